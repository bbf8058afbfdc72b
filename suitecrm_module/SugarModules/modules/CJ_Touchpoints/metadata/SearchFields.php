<?php
/**
 * Search fields of CJ_Touchpoints.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Touchpoints';
$searchFields[$module_name] = array(
    'name' => array('query_type' => 'default'),
    'account_name' => array('query_type' => 'default', 'db_field' => array('accounts.name')),
    'stage' => array('query_type' => 'default', 'options' => 'cj_correction_dom'),
    'phase' => array('query_type' => 'default', 'options' => 'cj_phase_dom'),
    'channel' => array('query_type' => 'default', 'options' => 'cj_channel_dom'),
    'mode' => array('query_type' => 'default', 'options' => 'cj_mode_dom'),
    'managed_by' => array('query_type' => 'default', 'options' => 'cj_managed_by_dom'),
    'direction' => array('query_type' => 'default', 'options' => 'cj_direction_dom'),
    'source_module' => array('query_type' => 'default'),
    'rule_id' => array('query_type' => 'default'),
    'review' => array('query_type' => 'default', 'options' => 'cj_review_dom'),
    'corrected_stage' => array('query_type' => 'default', 'options' => 'cj_correction_dom'),
    'assigned_user_id' => array('query_type' => 'default'),
    'range_occurred_at' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'start_range_occurred_at' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'end_range_occurred_at' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'range_date_entered' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'start_range_date_entered' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'end_range_date_entered' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'range_date_modified' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'start_range_date_modified' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
    'end_range_date_modified' => array('query_type' => 'default', 'enable_range_search' => true, 'is_date_field' => true),
);
