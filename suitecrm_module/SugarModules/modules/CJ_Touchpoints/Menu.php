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
if (ACLController::checkAccess('CJ_Touchpoints', 'list', true)) {
    // The review queue: classifications the rules are unsure of (suitejourney review).
    $module_menu[] = array(
        'index.php?module=CJ_Touchpoints&action=index&searchFormTab=advanced_search&query=true'
            . '&review_advanced[]=conflict&review_advanced[]=keyword&review_advanced[]=fallback',
        $mod_strings['LNK_REVIEW_LIST'],
        'List',
        'CJ_Touchpoints',
    );
}
if (ACLController::checkAccess('CJ_Corrections', 'list', true)) {
    $module_menu[] = array(
        'index.php?module=CJ_Corrections&action=index',
        $mod_strings['LNK_CORRECTION_LIST'],
        'List',
        'CJ_Corrections',
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
