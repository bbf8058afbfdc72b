<?php
/**
 * Search fields of CJ_Journeys: range search on the numbers and dates, and the
 * "with an open case" filter (a case of the journey's account, or of its contact, in state Open).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Journeys';
$searchFields[$module_name] = array(
    'name' => array('query_type' => 'default'),
    'account_name' => array('query_type' => 'default', 'db_field' => array('accounts.name')),
    'current_stage' => array('query_type' => 'default', 'options' => 'cj_stage_dom'),
    'status' => array('query_type' => 'default', 'options' => 'cj_status_dom'),
    'last_channel' => array('query_type' => 'default', 'options' => 'cj_channel_dom'),
    'current_user_only' => array(
        'query_type' => 'default',
        'db_field' => array('assigned_user_id'),
        'my_items' => true,
        'vname' => 'LBL_CURRENT_USER_FILTER',
        'type' => 'bool',
    ),
    'assigned_user_id' => array('query_type' => 'default'),
    'open_case_only' => array(
        'query_type' => 'format',
        'operator' => 'subquery',
        'checked_only' => true,
        'subquery' => 'SELECT cj_oc.id FROM cj_journeys cj_oc'
            . ' INNER JOIN cases cj_c ON cj_c.account_id = cj_oc.account_id AND cj_c.deleted = 0 AND cj_c.state = \'Open\''
            . ' WHERE cj_oc.deleted = 0'
            . ' UNION SELECT cj_oc2.id FROM cj_journeys cj_oc2'
            . ' INNER JOIN contacts_cases cj_cc ON cj_cc.contact_id = cj_oc2.contact_id AND cj_cc.deleted = 0'
            . ' INNER JOIN cases cj_c2 ON cj_c2.id = cj_cc.case_id AND cj_c2.deleted = 0 AND cj_c2.state = \'Open\''
            . ' WHERE cj_oc2.deleted = 0',
        'db_field' => array('id'),
        'vname' => 'LBL_OPEN_CASE_ONLY',
        'type' => 'bool',
    ),
    'range_health_score' => array('query_type' => 'default', 'enable_range_search' => true),
    'start_range_health_score' => array('query_type' => 'default', 'enable_range_search' => true),
    'end_range_health_score' => array('query_type' => 'default', 'enable_range_search' => true),
    'range_days_in_stage' => array('query_type' => 'default', 'enable_range_search' => true),
    'start_range_days_in_stage' => array('query_type' => 'default', 'enable_range_search' => true),
    'end_range_days_in_stage' => array('query_type' => 'default', 'enable_range_search' => true),
    'range_touchpoint_count' => array('query_type' => 'default', 'enable_range_search' => true),
    'start_range_touchpoint_count' => array('query_type' => 'default', 'enable_range_search' => true),
    'end_range_touchpoint_count' => array('query_type' => 'default', 'enable_range_search' => true),
    'range_last_touch_date' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'start_range_last_touch_date' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'end_range_last_touch_date' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'range_date_entered' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'start_range_date_entered' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'end_range_date_entered' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'range_date_modified' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'start_range_date_modified' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'end_range_date_modified' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
);
