<?php
/**
 * List view of CJ_Journeys: where each customer is, how healthy, since when.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$module_name = 'CJ_Journeys';
$listViewDefs[$module_name] = array(
    'NAME' => array('width' => '20%', 'label' => 'LBL_NAME', 'default' => true, 'link' => true),
    'ACCOUNT_NAME' => array(
        'width' => '15%',
        'label' => 'LBL_ACCOUNT_NAME',
        'module' => 'Accounts',
        'id' => 'ACCOUNT_ID',
        'link' => true,
        'default' => true,
        'ACLTag' => 'ACCOUNT',
        'related_fields' => array('account_id'),
    ),
    'CONTACT_NAME' => array(
        'width' => '12%',
        'label' => 'LBL_CONTACT_NAME',
        'module' => 'Contacts',
        'id' => 'CONTACT_ID',
        'link' => true,
        'default' => false,
        'ACLTag' => 'CONTACT',
        'related_fields' => array('contact_id'),
    ),
    'CURRENT_STAGE' => array('width' => '10%', 'label' => 'LBL_CURRENT_STAGE', 'default' => true),
    'STATUS' => array('width' => '8%', 'label' => 'LBL_STATUS', 'default' => true),
    'HEALTH_SCORE' => array('width' => '7%', 'label' => 'LBL_HEALTH_SCORE', 'default' => true),
    'DAYS_IN_STAGE' => array('width' => '7%', 'label' => 'LBL_DAYS_IN_STAGE', 'default' => true),
    'TOUCHPOINT_COUNT' => array('width' => '7%', 'label' => 'LBL_TOUCHPOINT_COUNT', 'default' => true),
    'LAST_TOUCH_DATE' => array('width' => '10%', 'label' => 'LBL_LAST_TOUCH_DATE', 'default' => true),
    'LAST_CHANNEL' => array('width' => '8%', 'label' => 'LBL_LAST_CHANNEL', 'default' => false),
    'FIRST_TOUCH_DATE' => array('width' => '10%', 'label' => 'LBL_FIRST_TOUCH_DATE', 'default' => false),
    'DATE_SYNCED' => array('width' => '10%', 'label' => 'LBL_DATE_SYNCED', 'default' => false),
    'ASSIGNED_USER_NAME' => array(
        'width' => '9%',
        'label' => 'LBL_ASSIGNED_TO_NAME',
        'module' => 'Employees',
        'id' => 'ASSIGNED_USER_ID',
        'default' => false,
    ),
);
