<?php
/**
 * English labels of CJ_Corrections (fields, help texts, menu).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$mod_strings = array(
    'LBL_MODULE_NAME' => 'Journey Corrections',
    'LBL_MODULE_TITLE' => 'Journey Corrections',
    'LBL_OBJECT_NAME' => 'Journey Correction',
    'LBL_LIST_FORM_TITLE' => 'Journey Correction List',
    'LBL_SEARCH_FORM_TITLE' => 'Search Journey Corrections',
    'LBL_HOMEPAGE_TITLE' => 'My Journey Corrections',
    'LBL_NEW_FORM_TITLE' => 'New Journey Correction',
    'LNK_NEW_RECORD' => 'Create Journey Correction',
    'LNK_LIST' => 'View Journey Corrections',
    'LNK_REVIEW_LIST' => 'Touchpoints to review',
    'LBL_ASSIGNED_TO_ID' => 'Assigned User Id',
    'LBL_ASSIGNED_TO_NAME' => 'Assigned to',
    'LBL_ASSIGNED_TO' => 'Assigned to',
    'LBL_SECURITYGROUPS' => 'Security Groups',
    'LBL_ID' => 'ID',
    'LBL_DATE_ENTERED' => 'Date Created',
    'LBL_DATE_MODIFIED' => 'Date Modified',
    'LBL_MODIFIED' => 'Modified By',
    'LBL_MODIFIED_ID' => 'Modified By Id',
    'LBL_MODIFIED_NAME' => 'Modified By Name',
    'LBL_CREATED' => 'Created By',
    'LBL_CREATED_ID' => 'Created By Id',
    'LBL_CREATED_USER' => 'Created by User',
    'LBL_MODIFIED_USER' => 'Modified by User',
    'LBL_DESCRIPTION' => 'Note',
    'LBL_DELETED' => 'Deleted',
    'LBL_NAME' => 'Touchpoint',
    'LBL_LIST_NAME' => 'Touchpoint',
    'LBL_EDIT_BUTTON' => 'Edit',
    'LBL_REMOVE' => 'Remove',
    'LBL_PANEL_OVERVIEW' => 'Overview',
    'LBL_PANEL_ASSIGNMENT' => 'Other',

    'LBL_TOUCHPOINT_KEY' => 'Touchpoint key',
    'LBL_SOURCE_MODULE' => 'Source Module',
    'LBL_SOURCE_ID' => 'Source Record ID',
    'LBL_SOURCE_RECORD' => 'Source Record',
    'LBL_ACCOUNT' => 'Account',
    'LBL_ACCOUNT_ID' => 'Account ID',
    'LBL_ACCOUNT_NAME' => 'Account',
    'LBL_CONTACT' => 'Contact',
    'LBL_CONTACT_ID' => 'Contact ID',
    'LBL_CONTACT_NAME' => 'Contact',
    'LBL_STAGE' => 'Corrected stage',
    'LBL_PREVIOUS_STAGE' => 'Stage the rules gave',
    'LBL_RULE_ID' => 'Rule',
    'LBL_CORRECTED_BY' => 'Corrected by',
    'LBL_CORRECTED_BY_NAME' => 'Corrected by',
    'LBL_CORRECTED_AT' => 'Corrected on',

    'LBL_STAGE_HELP' => 'The stage this touchpoint really belongs to, or "Not a touchpoint" to leave it out of the journey. It wins over the rules from the next sync on; delete this record to go back to the rules.',
    'LBL_TOUCHPOINT_KEY_HELP' => 'The record corrected, as <module>:<id> (for example Calls:1b2c...).',
    'LBL_RULE_ID_HELP' => 'The mapping rule that had placed the touchpoint in its stage.',
);
