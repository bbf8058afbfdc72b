<?php
/**
 * Popup (select) view of CJ_Journeys, used by the relate field of CJ_Touchpoints.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$popupMeta = array(
    'moduleMain' => 'CJ_Journeys',
    'varName' => 'CJ_Journeys',
    'orderBy' => 'cj_journeys.name',
    'whereClauses' => array(
        'name' => 'cj_journeys.name',
        'current_stage' => 'cj_journeys.current_stage',
        'status' => 'cj_journeys.status',
    ),
    'searchInputs' => array('name', 'current_stage', 'status'),
    'searchdefs' => array(
        'name' => array('name' => 'name', 'width' => '10%'),
        'current_stage' => array('name' => 'current_stage', 'width' => '10%'),
        'status' => array('name' => 'status', 'width' => '10%'),
    ),
    'listviewdefs' => array(
        'NAME' => array('width' => '35%', 'label' => 'LBL_NAME', 'default' => true, 'link' => true, 'name' => 'name'),
        'CURRENT_STAGE' => array('width' => '20%', 'label' => 'LBL_CURRENT_STAGE', 'default' => true, 'name' => 'current_stage'),
        'STATUS' => array('width' => '20%', 'label' => 'LBL_STATUS', 'default' => true, 'name' => 'status'),
        'HEALTH_SCORE' => array('width' => '15%', 'label' => 'LBL_HEALTH_SCORE', 'default' => true, 'name' => 'health_score'),
    ),
);
