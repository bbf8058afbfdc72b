<?php
/**
 * List view of CJ_Corrections.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Corrections';
$listViewDefs[$module_name] = array(
    'NAME' => array('width' => '25%', 'label' => 'LBL_NAME', 'default' => true, 'link' => true),
    'ACCOUNT_NAME' => array(
        'width' => '15%',
        'label' => 'LBL_ACCOUNT_NAME',
        'module' => 'Accounts',
        'id' => 'ACCOUNT_ID',
        'link' => true,
        'default' => true,
        'ACLTag' => 'ACCOUNT',
        'related_fields' => array('account_id'),
    ),
    'PREVIOUS_STAGE' => array('width' => '10%', 'label' => 'LBL_PREVIOUS_STAGE', 'default' => true),
    'STAGE' => array('width' => '10%', 'label' => 'LBL_STAGE', 'default' => true),
    'CORRECTED_BY_NAME' => array('width' => '12%', 'label' => 'LBL_CORRECTED_BY_NAME', 'default' => true),
    'CORRECTED_AT' => array('width' => '12%', 'label' => 'LBL_CORRECTED_AT', 'default' => true),
    'RULE_ID' => array('width' => '10%', 'label' => 'LBL_RULE_ID', 'default' => false),
    'SOURCE_MODULE' => array('width' => '8%', 'label' => 'LBL_SOURCE_MODULE', 'default' => false),
    'TOUCHPOINT_KEY' => array('width' => '15%', 'label' => 'LBL_TOUCHPOINT_KEY', 'default' => false),
);
