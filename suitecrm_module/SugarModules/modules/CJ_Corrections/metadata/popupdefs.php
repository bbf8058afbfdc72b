<?php
/**
 * Popup (select) view of CJ_Corrections.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$popupMeta = array(
    'moduleMain' => 'CJ_Corrections',
    'varName' => 'CJ_Corrections',
    'orderBy' => 'cj_corrections.corrected_at',
    'whereClauses' => array(
        'name' => 'cj_corrections.name',
        'stage' => 'cj_corrections.stage',
    ),
    'searchInputs' => array('name', 'stage'),
    'searchdefs' => array(
        'name' => array('name' => 'name', 'width' => '10%'),
        'stage' => array('name' => 'stage', 'width' => '10%'),
    ),
    'listviewdefs' => array(
        'NAME' => array('width' => '40%', 'label' => 'LBL_NAME', 'default' => true, 'link' => true, 'name' => 'name'),
        'STAGE' => array('width' => '20%', 'label' => 'LBL_STAGE', 'default' => true, 'name' => 'stage'),
        'CORRECTED_AT' => array('width' => '20%', 'label' => 'LBL_CORRECTED_AT', 'default' => true, 'name' => 'corrected_at'),
    ),
);
