<?php
/**
 * Search (filter) layout of CJ_Touchpoints.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Touchpoints';
$searchdefs[$module_name] = array(
    'layout' => array(
        'basic_search' => array(
            'name' => array('name' => 'name', 'default' => true, 'width' => '10%'),
            'stage' => array('name' => 'stage', 'default' => true, 'width' => '10%'),
            'channel' => array('name' => 'channel', 'default' => true, 'width' => '10%'),
            'review' => array('name' => 'review', 'default' => true, 'width' => '10%'),
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
            'phase' => array('name' => 'phase', 'default' => true, 'width' => '10%'),
            'channel' => array('name' => 'channel', 'default' => true, 'width' => '10%'),
            'mode' => array('name' => 'mode', 'default' => true, 'width' => '10%'),
            'managed_by' => array('name' => 'managed_by', 'default' => true, 'width' => '10%'),
            'direction' => array('name' => 'direction', 'default' => true, 'width' => '10%'),
            'occurred_at' => array('name' => 'occurred_at', 'default' => true, 'width' => '10%'),
            'source_module' => array('name' => 'source_module', 'default' => true, 'width' => '10%'),
            'rule_id' => array('name' => 'rule_id', 'default' => true, 'width' => '10%'),
            'review' => array('name' => 'review', 'default' => true, 'width' => '10%'),
            'corrected_stage' => array('name' => 'corrected_stage', 'default' => true, 'width' => '10%'),
        ),
    ),
    'templateMeta' => array(
        'maxColumns' => '3',
        'maxColumnsBasic' => '4',
        'widths' => array('label' => '10', 'field' => '30'),
    ),
);
