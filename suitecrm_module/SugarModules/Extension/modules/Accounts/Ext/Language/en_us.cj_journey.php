<?php
/**
 * English labels that Accounts gains from the Customer Journey package (subpanel titles).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$mod_strings['LBL_CJ_JOURNEYS_SUBPANEL_TITLE'] = 'Customer Journeys';
$mod_strings['LBL_CJ_TOUCHPOINTS_SUBPANEL_TITLE'] = 'Touchpoints';
