<?php
/**
 * How corrections look as a subpanel.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$subpanel_layout = array(
    'top_buttons' => array(),
    'where' => '',
    'list_fields' => array(
        'name' => array('vname' => 'LBL_NAME', 'widget_class' => 'SubPanelDetailViewLink', 'width' => '35%'),
        'previous_stage' => array('vname' => 'LBL_PREVIOUS_STAGE', 'width' => '15%'),
        'stage' => array('vname' => 'LBL_STAGE', 'width' => '15%'),
        'corrected_by_name' => array('vname' => 'LBL_CORRECTED_BY_NAME', 'width' => '15%'),
        'corrected_at' => array('vname' => 'LBL_CORRECTED_AT', 'width' => '15%'),
    ),
);
