<?php
/**
 * Edit view of CJ_Touchpoints. Touchpoints are written by the connector: the
 * keys that tie them to their source stay read-only. A changed stage is a
 * correction the connector keeps (see vardefs.php).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Touchpoints';
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
            array('name', 'occurred_at'),
            array('journey_name', 'account_name'),
            array(
                array('name' => 'stage', 'popupHelp' => 'LBL_STAGE_HELP'),
                array('name' => 'phase', 'popupHelp' => 'LBL_PHASE_HELP'),
            ),
            array('channel', array('name' => 'mode', 'popupHelp' => 'LBL_MODE_HELP')),
            array(array('name' => 'managed_by', 'popupHelp' => 'LBL_MANAGED_BY_HELP'), 'direction'),
            array(
                array('name' => 'external_key', 'type' => 'readonly'),
                array('name' => 'rule_id', 'type' => 'readonly', 'popupHelp' => 'LBL_RULE_ID_HELP'),
            ),
            array(
                array('name' => 'rule_stage', 'type' => 'readonly'),
                array('name' => 'review', 'type' => 'readonly', 'popupHelp' => 'LBL_REVIEW_HELP'),
            ),
        ),
        'LBL_PANEL_ASSIGNMENT' => array(
            array('assigned_user_name', 'description'),
        ),
    ),
);
