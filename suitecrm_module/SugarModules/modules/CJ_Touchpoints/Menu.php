<?php
/**
 * Shortcut menu of CJ_Touchpoints (shown only to users whose role allows the action).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

global $mod_strings;

if (ACLController::checkAccess('CJ_Touchpoints', 'list', true)) {
    $module_menu[] = array(
        'index.php?module=CJ_Touchpoints&action=index&return_module=CJ_Touchpoints&return_action=DetailView',
        $mod_strings['LNK_LIST'],
        'List',
        'CJ_Touchpoints',
    );
}
if (ACLController::checkAccess('CJ_Journeys', 'list', true)) {
    $module_menu[] = array(
        'index.php?module=CJ_Journeys&action=index',
        $mod_strings['LNK_JOURNEY_LIST'],
        'List',
        'CJ_Journeys',
    );
}
