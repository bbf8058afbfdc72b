<?php
/**
 * Search (filter) layout of CJ_Journeys: stage, status and health score first,
 * and "with an open case" so support can list, say, customers in loyalty with an open case.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Journeys';
$searchdefs[$module_name] = array(
    'layout' => array(
        'basic_search' => array(
            'name' => array('name' => 'name', 'default' => true, 'width' => '10%'),
            'current_stage' => array('name' => 'current_stage', 'default' => true, 'width' => '10%'),
            'status' => array('name' => 'status', 'default' => true, 'width' => '10%'),
            'current_user_only' => array(
                'name' => 'current_user_only',
                'label' => 'LBL_CURRENT_USER_FILTER',
                'type' => 'bool',
                'default' => true,
                'width' => '10%',
            ),
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
            'current_stage' => array('name' => 'current_stage', 'default' => true, 'width' => '10%'),
            'status' => array('name' => 'status', 'default' => true, 'width' => '10%'),
            'health_score' => array('name' => 'health_score', 'default' => true, 'width' => '10%'),
            'open_case_only' => array(
                'name' => 'open_case_only',
                'label' => 'LBL_OPEN_CASE_ONLY',
                'type' => 'bool',
                'default' => true,
                'width' => '10%',
            ),
            'days_in_stage' => array('name' => 'days_in_stage', 'default' => true, 'width' => '10%'),
            'last_channel' => array('name' => 'last_channel', 'default' => true, 'width' => '10%'),
            'last_touch_date' => array('name' => 'last_touch_date', 'default' => true, 'width' => '10%'),
            'assigned_user_id' => array(
                'name' => 'assigned_user_id',
                'label' => 'LBL_ASSIGNED_TO',
                'type' => 'enum',
                'function' => array('name' => 'get_user_array', 'params' => array(false)),
                'default' => true,
                'width' => '10%',
            ),
        ),
    ),
    'templateMeta' => array(
        'maxColumns' => '3',
        'maxColumnsBasic' => '4',
        'widths' => array('label' => '10', 'field' => '30'),
    ),
);
