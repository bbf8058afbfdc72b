<?php
/**
 * Subpanels that Contacts gains from the Customer Journey package. No buttons: the
 * records are written by the connector.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$layout_defs['Contacts']['subpanel_setup']['cj_journeys'] = array(
    'order' => 5,
    'module' => 'CJ_Journeys',
    'subpanel_name' => 'default',
    'sort_order' => 'desc',
    'sort_by' => 'date_modified',
    'title_key' => 'LBL_CJ_JOURNEYS_SUBPANEL_TITLE',
    'get_subpanel_data' => 'cj_journeys',
    'top_buttons' => array(),
);
