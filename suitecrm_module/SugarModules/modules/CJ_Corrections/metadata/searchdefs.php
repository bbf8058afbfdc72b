<?php
/**
 * Search (filter) layout of CJ_Corrections.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Corrections';
$searchdefs[$module_name] = array(
    'layout' => array(
        'basic_search' => array(
            'name' => array('name' => 'name', 'default' => true, 'width' => '10%'),
            'stage' => array('name' => 'stage', 'default' => true, 'width' => '10%'),
        ),
        'advanced_search' => array(
            'name' => array('name' => 'name', 'default' => true, 'width' => '10%'),
            'account_name' => array(
                'name' => 'account_name',
                'type' => 'relate',
                'link' => true,
                'label' => 'LBL_ACCOUNT_NAME',
                'id' => 'ACCOUNT_ID',
                'default' => true,
                'width' => '10%',
            ),
            'stage' => array('name' => 'stage', 'default' => true, 'width' => '10%'),
            'previous_stage' => array('name' => 'previous_stage', 'default' => true, 'width' => '10%'),
            'rule_id' => array('name' => 'rule_id', 'default' => true, 'width' => '10%'),
            'corrected_at' => array('name' => 'corrected_at', 'default' => true, 'width' => '10%'),
            'touchpoint_key' => array('name' => 'touchpoint_key', 'default' => true, 'width' => '10%'),
        ),
    ),
    'templateMeta' => array(
        'maxColumns' => '3',
        'maxColumnsBasic' => '4',
        'widths' => array('label' => '10', 'field' => '30'),
    ),
);
