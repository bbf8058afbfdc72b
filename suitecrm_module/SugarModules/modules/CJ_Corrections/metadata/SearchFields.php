<?php
/**
 * Search fields of CJ_Corrections.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Corrections';
$searchFields[$module_name] = array(
    'name' => array('query_type' => 'default'),
    'account_name' => array('query_type' => 'default', 'db_field' => array('accounts.name')),
    'stage' => array('query_type' => 'default', 'options' => 'cj_correction_dom'),
    'previous_stage' => array('query_type' => 'default', 'options' => 'cj_stage_dom'),
    'rule_id' => array('query_type' => 'default'),
    'touchpoint_key' => array('query_type' => 'default'),
    'corrected_by' => array('query_type' => 'default'),
    'assigned_user_id' => array('query_type' => 'default'),
    'range_corrected_at' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'start_range_corrected_at' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'end_range_corrected_at' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
);
