<?php
/**
 * English application strings of the Customer Journey package: module names and dropdowns.
 * The dropdown keys are a contract with the connector; only the labels may be changed (Studio).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$app_list_strings['moduleList']['CJ_Journeys'] = 'Customer Journeys';
$app_list_strings['moduleList']['CJ_Corrections'] = 'Journey Corrections';
$app_list_strings['moduleList']['CJ_Touchpoints'] = 'Touchpoints';
$app_list_strings['moduleListSingular']['CJ_Journeys'] = 'Customer Journey';
$app_list_strings['moduleListSingular']['CJ_Corrections'] = 'Journey Correction';
$app_list_strings['moduleListSingular']['CJ_Touchpoints'] = 'Touchpoint';

$app_list_strings['cj_stage_dom'] = array(
    'awareness' => 'Awareness',
    'evaluation' => 'Evaluation',
    'decision' => 'Decision',
    'purchase' => 'Purchase',
    'loyalty' => 'Loyalty',
);
$app_list_strings['cj_status_dom'] = array(
    'active' => 'Active',
    'won' => 'Won',
    'lost' => 'Lost',
    'stalled' => 'Stalled',
    'at_risk' => 'At risk',
);
$app_list_strings['cj_channel_dom'] = array(
    'email' => 'Email',
    'phone' => 'Phone',
    'meeting' => 'Meeting',
    'web' => 'Web',
    'social' => 'Social',
    'campaign' => 'Campaign',
    'event' => 'Event',
    'store' => 'Store',
    'support' => 'Support',
    'document' => 'Document',
    'other' => 'Other',
);
$app_list_strings['cj_phase_dom'] = array(
    'pre_purchase' => 'Pre-purchase',
    'purchase' => 'Purchase',
    'post_purchase' => 'Post-purchase',
);
$app_list_strings['cj_mode_dom'] = array(
    'online' => 'Online',
    'offline' => 'Offline',
);
$app_list_strings['cj_managed_by_dom'] = array(
    'company' => 'Company',
    'third_party' => 'Third party',
);
$app_list_strings['cj_direction_dom'] = array(
    'inbound' => 'Inbound',
    'outbound' => 'Outbound',
    'none' => 'None',
);
// What a touchpoint can be corrected to: a stage, or not a touchpoint at all.
$app_list_strings['cj_correction_dom'] = array(
    'awareness' => 'Awareness',
    'evaluation' => 'Evaluation',
    'decision' => 'Decision',
    'purchase' => 'Purchase',
    'loyalty' => 'Loyalty',
    'not_a_touchpoint' => 'Not a touchpoint',
);
// Why the rules are unsure of a classification (empty: they are not).
$app_list_strings['cj_review_dom'] = array(
    '' => '',
    'conflict' => 'Conflict',
    'keyword' => 'Keyword only',
    'fallback' => 'Fallback',
);
