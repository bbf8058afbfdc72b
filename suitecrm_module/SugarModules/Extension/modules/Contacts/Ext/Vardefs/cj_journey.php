<?php
/**
 * Link fields that Contacts gains from the Customer Journey package (installed with the
 * "vardefs" installdef into custom/Extension/modules/Contacts/Ext/Vardefs/).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$dictionary['Contact']['fields']['cj_journeys'] = array(
    'name' => 'cj_journeys',
    'type' => 'link',
    'relationship' => 'cj_journeys_contacts',
    'module' => 'CJ_Journeys',
    'bean_name' => 'CJ_Journeys',
    'source' => 'non-db',
    'vname' => 'LBL_CJ_JOURNEYS_SUBPANEL_TITLE',
);
