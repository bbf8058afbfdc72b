<?php
/**
 * Subpanels that Accounts gains from the Customer Journey package. No buttons: the
 * records are written by the connector.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$layout_defs['Accounts']['subpanel_setup']['cj_journeys'] = array(
    'order' => 5,
    'module' => 'CJ_Journeys',
    'subpanel_name' => 'default',
    'sort_order' => 'desc',
    'sort_by' => 'date_modified',
    'title_key' => 'LBL_CJ_JOURNEYS_SUBPANEL_TITLE',
    'get_subpanel_data' => 'cj_journeys',
    'top_buttons' => array(),
);
$layout_defs['Accounts']['subpanel_setup']['cj_touchpoints'] = array(
    'order' => 6,
    'module' => 'CJ_Touchpoints',
    'subpanel_name' => 'default',
    'sort_order' => 'desc',
    'sort_by' => 'occurred_at',
    'title_key' => 'LBL_CJ_TOUCHPOINTS_SUBPANEL_TITLE',
    'get_subpanel_data' => 'cj_touchpoints',
    'top_buttons' => array(),
);
