<?php
/**
 * Edit view of CJ_Journeys. Journeys are written by the connector: a hand edit is
 * overwritten by the next sync (said in the help of "Last Synced"), so only the
 * descriptive fields are offered; the computed ones stay read-only.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Journeys';
$viewdefs[$module_name]['EditView'] = array(
    'templateMeta' => array(
        'maxColumns' => '2',
        'widths' => array(
            array('label' => '10', 'field' => '30'),
            array('label' => '10', 'field' => '30'),
        ),
        'useTabs' => false,
    ),
    'panels' => array(
        'LBL_PANEL_OVERVIEW' => array(
            array('name', 'account_name'),
            array(
                array('name' => 'current_stage', 'popupHelp' => 'LBL_CURRENT_STAGE_HELP'),
                array('name' => 'status', 'popupHelp' => 'LBL_STATUS_HELP'),
            ),
            array(
                array('name' => 'health_score', 'popupHelp' => 'LBL_HEALTH_SCORE_HELP'),
                'contact_name',
            ),
            array(
                array('name' => 'date_synced', 'type' => 'readonly', 'popupHelp' => 'LBL_DATE_SYNCED_HELP'),
                array('name' => 'touchpoint_count', 'type' => 'readonly', 'popupHelp' => 'LBL_TOUCHPOINT_COUNT_HELP'),
            ),
        ),
        'LBL_PANEL_ASSIGNMENT' => array(
            array('assigned_user_name', 'description'),
        ),
    ),
);
