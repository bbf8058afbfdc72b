<?php
/**
 * Edit view of CJ_Corrections. The corrected stage and the note are what people
 * change; who and when are stamped on save; the rules' stage is the connector's.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Corrections';
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
            array(
                array('name' => 'touchpoint_key', 'popupHelp' => 'LBL_TOUCHPOINT_KEY_HELP'),
                array('name' => 'stage', 'popupHelp' => 'LBL_STAGE_HELP'),
            ),
            array('name', array('name' => 'previous_stage', 'type' => 'readonly')),
            array('account_name', 'contact_name'),
            array('description', array('name' => 'rule_id', 'type' => 'readonly')),
        ),
        'LBL_PANEL_ASSIGNMENT' => array(
            array('assigned_user_name'),
        ),
    ),
);
