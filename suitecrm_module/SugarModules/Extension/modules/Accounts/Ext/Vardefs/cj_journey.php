<?php
/**
 * Link fields that Accounts gains from the Customer Journey package (installed with the
 * "vardefs" installdef into custom/Extension/modules/Accounts/Ext/Vardefs/).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$dictionary['Account']['fields']['cj_journeys'] = array(
    'name' => 'cj_journeys',
    'type' => 'link',
    'relationship' => 'cj_journeys_accounts',
    'module' => 'CJ_Journeys',
    'bean_name' => 'CJ_Journeys',
    'source' => 'non-db',
    'vname' => 'LBL_CJ_JOURNEYS_SUBPANEL_TITLE',
);
$dictionary['Account']['fields']['cj_touchpoints'] = array(
    'name' => 'cj_touchpoints',
    'type' => 'link',
    'relationship' => 'cj_touchpoints_accounts',
    'module' => 'CJ_Touchpoints',
    'bean_name' => 'CJ_Touchpoints',
    'source' => 'non-db',
    'vname' => 'LBL_CJ_TOUCHPOINTS_SUBPANEL_TITLE',
);
