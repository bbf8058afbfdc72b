<?php
/**
 * List view of CJ_Touchpoints.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Touchpoints';
$listViewDefs[$module_name] = array(
    'OCCURRED_AT' => array('width' => '12%', 'label' => 'LBL_OCCURRED_AT', 'default' => true),
    'NAME' => array('width' => '25%', 'label' => 'LBL_NAME', 'default' => true, 'link' => true),
    'ACCOUNT_NAME' => array(
        'width' => '14%',
        'label' => 'LBL_ACCOUNT_NAME',
        'module' => 'Accounts',
        'id' => 'ACCOUNT_ID',
        'link' => true,
        'default' => true,
        'ACLTag' => 'ACCOUNT',
        'related_fields' => array('account_id'),
    ),
    'STAGE' => array('width' => '9%', 'label' => 'LBL_STAGE', 'default' => true),
    'REVIEW' => array('width' => '7%', 'label' => 'LBL_REVIEW', 'default' => true),
    'RULE_STAGE' => array('width' => '9%', 'label' => 'LBL_RULE_STAGE', 'default' => false),
    'CHANNEL' => array('width' => '8%', 'label' => 'LBL_CHANNEL', 'default' => true),
    'MODE' => array('width' => '7%', 'label' => 'LBL_MODE', 'default' => true),
    'MANAGED_BY' => array('width' => '8%', 'label' => 'LBL_MANAGED_BY', 'default' => true),
    'SOURCE_MODULE' => array('width' => '8%', 'label' => 'LBL_SOURCE_MODULE', 'default' => true),
    'PHASE' => array('width' => '8%', 'label' => 'LBL_PHASE', 'default' => false),
    'DIRECTION' => array('width' => '7%', 'label' => 'LBL_DIRECTION', 'default' => false),
    'RULE_ID' => array('width' => '10%', 'label' => 'LBL_RULE_ID', 'default' => false),
    'JOURNEY_NAME' => array(
        'width' => '12%',
        'label' => 'LBL_JOURNEY_NAME',
        'module' => 'CJ_Journeys',
        'id' => 'JOURNEY_ID',
        'link' => true,
        'default' => false,
        'related_fields' => array('journey_id'),
    ),
);
