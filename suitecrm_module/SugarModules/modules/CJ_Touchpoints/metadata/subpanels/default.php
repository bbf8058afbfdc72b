<?php
/**
 * How touchpoints look as a subpanel (on Accounts and on a journey). No create,
 * select or remove buttons: touchpoints belong to the connector.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$subpanel_layout = array(
    'top_buttons' => array(),
    'where' => '',
    'list_fields' => array(
        'occurred_at' => array('vname' => 'LBL_OCCURRED_AT', 'width' => '15%'),
        'name' => array('vname' => 'LBL_NAME', 'widget_class' => 'SubPanelDetailViewLink', 'width' => '30%'),
        'stage' => array('vname' => 'LBL_STAGE', 'width' => '12%'),
        'channel' => array('vname' => 'LBL_CHANNEL', 'width' => '10%'),
        'mode' => array('vname' => 'LBL_MODE', 'width' => '9%'),
        'managed_by' => array('vname' => 'LBL_MANAGED_BY', 'width' => '10%'),
        'source_module' => array('vname' => 'LBL_SOURCE_MODULE', 'width' => '10%'),
    ),
);
