<?php
/**
 * Detail view of CJ_Journeys: the summary, the stage entry dates and the timeline.
 * timeline_json itself is never shown raw; the "journey_panel" function field draws it.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Journeys';
$viewdefs[$module_name]['DetailView'] = array(
    'templateMeta' => array(
        'form' => array('buttons' => array('EDIT', 'DELETE')),
        'maxColumns' => '2',
        'widths' => array(
            array('label' => '10', 'field' => '30'),
            array('label' => '10', 'field' => '30'),
        ),
        'useTabs' => false,
        'tabDefs' => array(
            'LBL_PANEL_OVERVIEW' => array('newTab' => false, 'panelDefault' => 'expanded'),
            'LBL_PANEL_TIMELINE' => array('newTab' => false, 'panelDefault' => 'expanded'),
            'LBL_PANEL_STAGES' => array('newTab' => false, 'panelDefault' => 'expanded'),
            'LBL_PANEL_ASSIGNMENT' => array('newTab' => false, 'panelDefault' => 'collapsed'),
        ),
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
                array('name' => 'days_in_stage', 'popupHelp' => 'LBL_DAYS_IN_STAGE_HELP'),
            ),
            array(
                array('name' => 'touchpoint_count', 'popupHelp' => 'LBL_TOUCHPOINT_COUNT_HELP'),
                array('name' => 'last_channel', 'popupHelp' => 'LBL_LAST_CHANNEL_HELP'),
            ),
            array('first_touch_date', 'last_touch_date'),
            array(array('name' => 'cost_to_serve', 'popupHelp' => 'LBL_COST_TO_SERVE_HELP'), ''),
            array('contact_name', array('name' => 'date_synced', 'popupHelp' => 'LBL_DATE_SYNCED_HELP')),
        ),
        'LBL_PANEL_TIMELINE' => array(
            array(array('name' => 'journey_panel', 'label' => '', 'hideLabel' => true)),
        ),
        'LBL_PANEL_STAGES' => array(
            array('awareness_date', 'evaluation_date'),
            array('decision_date', 'purchase_date'),
            array('loyalty_date', ''),
        ),
        'LBL_PANEL_ASSIGNMENT' => array(
            array('assigned_user_name', 'description'),
            array(
                array(
                    'name' => 'date_entered',
                    'customCode' => '{$fields.date_entered.value} {$APP.LBL_BY} {$fields.created_by_name.value}',
                    'label' => 'LBL_DATE_ENTERED',
                ),
                array(
                    'name' => 'date_modified',
                    'customCode' => '{$fields.date_modified.value} {$APP.LBL_BY} {$fields.modified_by_name.value}',
                    'label' => 'LBL_DATE_MODIFIED',
                ),
            ),
        ),
    ),
);
