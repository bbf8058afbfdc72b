<?php
/**
 * Detail view of CJ_Corrections: what was corrected, to what, by whom, and the record it concerns.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Corrections';
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
            array('name', array('name' => 'source_record', 'label' => 'LBL_SOURCE_RECORD')),
            array(
                array('name' => 'stage', 'popupHelp' => 'LBL_STAGE_HELP'),
                'previous_stage',
            ),
            array('account_name', 'contact_name'),
            array('corrected_by_name', 'corrected_at'),
            array(array('name' => 'rule_id', 'popupHelp' => 'LBL_RULE_ID_HELP'), 'description'),
        ),
        'LBL_PANEL_ASSIGNMENT' => array(
            array(
                array('name' => 'touchpoint_key', 'popupHelp' => 'LBL_TOUCHPOINT_KEY_HELP'),
                'assigned_user_name',
            ),
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
