<?php
/**
 * Detail view of CJ_Touchpoints, with a link to the record it comes from.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Touchpoints';
$viewdefs[$module_name]['DetailView'] = array(
    'templateMeta' => array(
        'form' => array('buttons' => array('EDIT', 'DELETE')),
        'maxColumns' => '2',
        'widths' => array(
            array('label' => '10', 'field' => '30'),
            array('label' => '10', 'field' => '30'),
        ),
        'useTabs' => false,
    ),
    'panels' => array(
        'LBL_PANEL_OVERVIEW' => array(
            array('name', 'occurred_at'),
            array('journey_name', 'account_name'),
            array(
                array('name' => 'stage', 'popupHelp' => 'LBL_STAGE_HELP'),
                array('name' => 'phase', 'popupHelp' => 'LBL_PHASE_HELP'),
            ),
            array('channel', array('name' => 'mode', 'popupHelp' => 'LBL_MODE_HELP')),
            array(array('name' => 'managed_by', 'popupHelp' => 'LBL_MANAGED_BY_HELP'), 'direction'),
            array(
                array('name' => 'source_record', 'label' => 'LBL_SOURCE_RECORD'),
                array('name' => 'rule_id', 'popupHelp' => 'LBL_RULE_ID_HELP'),
            ),
            array(
                'rule_stage',
                array('name' => 'corrected_stage', 'popupHelp' => 'LBL_CORRECTED_STAGE_HELP'),
            ),
            array(array('name' => 'review', 'popupHelp' => 'LBL_REVIEW_HELP'), ''),
        ),
        'LBL_PANEL_ASSIGNMENT' => array(
            array('assigned_user_name', 'external_key'),
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
