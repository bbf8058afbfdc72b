<?php
/**
 * after_ui_frame hook of Contacts: the journey panel on the legacy detail view
 * (installed with the "hookdefs" installdef; compiled into logichooks.ext.php).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$hook_version = 1;
if (!isset($hook_array) || !is_array($hook_array)) {
    $hook_array = array();
}
if (!isset($hook_array['after_ui_frame']) || !is_array($hook_array['after_ui_frame'])) {
    $hook_array['after_ui_frame'] = array();
}
$hook_array['after_ui_frame'][] = array(
    90,
    'Customer journey panel',
    'modules/CJ_Journeys/CJ_JourneyPanelHook.php',
    'CJ_JourneyPanelHook',
    'afterUiFrame',
);
