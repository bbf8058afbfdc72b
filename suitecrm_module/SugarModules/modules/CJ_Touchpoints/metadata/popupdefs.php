<?php
/**
 * Popup (select) view of CJ_Touchpoints.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$popupMeta = array(
    'moduleMain' => 'CJ_Touchpoints',
    'varName' => 'CJ_Touchpoints',
    'orderBy' => 'cj_touchpoints.occurred_at',
    'whereClauses' => array(
        'name' => 'cj_touchpoints.name',
        'stage' => 'cj_touchpoints.stage',
        'channel' => 'cj_touchpoints.channel',
    ),
    'searchInputs' => array('name', 'stage', 'channel'),
    'searchdefs' => array(
        'name' => array('name' => 'name', 'width' => '10%'),
        'stage' => array('name' => 'stage', 'width' => '10%'),
        'channel' => array('name' => 'channel', 'width' => '10%'),
    ),
    'listviewdefs' => array(
        'OCCURRED_AT' => array('width' => '20%', 'label' => 'LBL_OCCURRED_AT', 'default' => true, 'name' => 'occurred_at'),
        'NAME' => array('width' => '40%', 'label' => 'LBL_NAME', 'default' => true, 'link' => true, 'name' => 'name'),
        'STAGE' => array('width' => '20%', 'label' => 'LBL_STAGE', 'default' => true, 'name' => 'stage'),
        'CHANNEL' => array('width' => '20%', 'label' => 'LBL_CHANNEL', 'default' => true, 'name' => 'channel'),
    ),
);
