<?php
/**
 * How journeys look as a subpanel (on Accounts and Contacts). No create, select or
 * remove buttons: journeys belong to the connector, a hand-made one would be overwritten.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$subpanel_layout = array(
    'top_buttons' => array(),
    'where' => '',
    'list_fields' => array(
        'name' => array('vname' => 'LBL_NAME', 'widget_class' => 'SubPanelDetailViewLink', 'width' => '25%'),
        'current_stage' => array('vname' => 'LBL_CURRENT_STAGE', 'width' => '13%'),
        'status' => array('vname' => 'LBL_STATUS', 'width' => '12%'),
        'health_score' => array('vname' => 'LBL_HEALTH_SCORE', 'width' => '10%'),
        'days_in_stage' => array('vname' => 'LBL_DAYS_IN_STAGE', 'width' => '10%'),
        'touchpoint_count' => array('vname' => 'LBL_TOUCHPOINT_COUNT', 'width' => '10%'),
        'last_touch_date' => array('vname' => 'LBL_LAST_TOUCH_DATE', 'width' => '15%'),
        'edit_button' => array(
            'vname' => 'LBL_EDIT_BUTTON',
            'widget_class' => 'SubPanelEditButton',
            'module' => 'CJ_Journeys',
            'width' => '5%',
        ),
    ),
);
