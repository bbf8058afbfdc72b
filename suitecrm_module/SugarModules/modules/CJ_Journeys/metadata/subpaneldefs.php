<?php
/**
 * Subpanels shown on a journey: its touchpoints, most recent first.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$layout_defs['CJ_Journeys']['subpanel_setup']['cj_touchpoints'] = array(
    'order' => 10,
    'module' => 'CJ_Touchpoints',
    'subpanel_name' => 'default',
    'sort_order' => 'desc',
    'sort_by' => 'occurred_at',
    'title_key' => 'LBL_CJ_TOUCHPOINTS_SUBPANEL_TITLE',
    'get_subpanel_data' => 'cj_touchpoints',
    'top_buttons' => array(),
);
