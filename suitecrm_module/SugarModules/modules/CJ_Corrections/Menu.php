<?php
/**
 * Shortcut menu of CJ_Corrections (shown only to users whose role allows the action).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

global $mod_strings;

if (ACLController::checkAccess('CJ_Corrections', 'list', true)) {
    $module_menu[] = array(
        'index.php?module=CJ_Corrections&action=index',
        $mod_strings['LNK_LIST'],
        'List',
        'CJ_Corrections',
    );
}
if (ACLController::checkAccess('CJ_Touchpoints', 'list', true)) {
    $module_menu[] = array(
        'index.php?module=CJ_Touchpoints&action=index&searchFormTab=advanced_search&query=true'
            . '&review_advanced[]=conflict&review_advanced[]=keyword&review_advanced[]=fallback',
        $mod_strings['LNK_REVIEW_LIST'],
        'List',
        'CJ_Touchpoints',
    );
}
