<?php
/**
 * Field definitions of CJ_Corrections (table cj_corrections).
 *
 * A correction is a person's judgement on one touchpoint: the stage it really
 * belongs to, or "not a touchpoint". It wins over the connector's rules from the
 * next sync on, whatever the rules say later, and lives here (not in the
 * connector's state database), so it survives rule changes and a lost state
 * database. Deleting the record withdraws the correction.
 *
 * The names are a contract with the Python connector (connector/sync/corrections.py):
 * change none without changing both sides. touchpoint_key is "<source_module>:<source_id>".
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$dictionary['CJ_Corrections'] = array(
    'table' => 'cj_corrections',
    'audited' => true,
    'duplicate_merge' => false,
    // Few records: no search index (AOD) cost on save, as for CJ_Touchpoints.
    'unified_search' => false,
    'full_text_search' => false,
    'comment' => 'Stages people corrected on customer-journey touchpoints; read by the suitejourney connector',
    'fields' => array(
        'touchpoint_key' => array(
            'name' => 'touchpoint_key',
            'vname' => 'LBL_TOUCHPOINT_KEY',
            'type' => 'varchar',
            'len' => 120,
            'required' => true,
            'massupdate' => false,
            'inline_edit' => false,
            'comment' => 'The touchpoint corrected: <source_module>:<source_id>, e.g. Calls:<uuid>',
        ),
        'source_module' => array(
            'name' => 'source_module',
            'vname' => 'LBL_SOURCE_MODULE',
            'type' => 'varchar',
            'len' => 100,
            'massupdate' => false,
        ),
        'source_id' => array(
            'name' => 'source_id',
            'vname' => 'LBL_SOURCE_ID',
            'type' => 'id',
            'massupdate' => false,
        ),
        'source_record' => array(
            'name' => 'source_record',
            'vname' => 'LBL_SOURCE_RECORD',
            'type' => 'function',
            'source' => 'non-db',
            'massupdate' => false,
            'importable' => 'false',
            'reportable' => false,
            'inline_edit' => false,
            'duplicate_merge' => 'disabled',
            'studio' => array('listview' => false, 'editview' => false, 'searchview' => false),
            'api-visible' => false,
            'function' => array(
                'name' => 'cj_touchpoint_source_link',
                'returns' => 'html',
                'include' => 'modules/CJ_Touchpoints/SourceLink.php',
            ),
        ),
        'account_id' => array(
            'name' => 'account_id',
            'vname' => 'LBL_ACCOUNT_ID',
            'type' => 'id',
            'reportable' => false,
            'massupdate' => false,
        ),
        'account_name' => array(
            'name' => 'account_name',
            'vname' => 'LBL_ACCOUNT_NAME',
            'type' => 'relate',
            'source' => 'non-db',
            'rname' => 'name',
            'id_name' => 'account_id',
            'link' => 'accounts',
            'table' => 'accounts',
            'join_name' => 'accounts',
            'module' => 'Accounts',
            'save' => true,
            'isnull' => 'true',
            'dbType' => 'varchar',
            'len' => 255,
            'massupdate' => false,
        ),
        'accounts' => array(
            'name' => 'accounts',
            'vname' => 'LBL_ACCOUNT',
            'type' => 'link',
            'relationship' => 'cj_corrections_accounts',
            'module' => 'Accounts',
            'bean_name' => 'Account',
            'link_type' => 'one',
            'side' => 'right',
            'source' => 'non-db',
        ),
        'contact_id' => array(
            'name' => 'contact_id',
            'vname' => 'LBL_CONTACT_ID',
            'type' => 'id',
            'reportable' => false,
            'massupdate' => false,
        ),
        'contact_name' => array(
            'name' => 'contact_name',
            'vname' => 'LBL_CONTACT_NAME',
            'type' => 'relate',
            'source' => 'non-db',
            'rname' => 'last_name',
            'id_name' => 'contact_id',
            'link' => 'contacts',
            'table' => 'contacts',
            'join_name' => 'contacts',
            'module' => 'Contacts',
            'save' => true,
            'isnull' => 'true',
            'dbType' => 'varchar',
            'len' => 255,
            'massupdate' => false,
        ),
        'contacts' => array(
            'name' => 'contacts',
            'vname' => 'LBL_CONTACT',
            'type' => 'link',
            'relationship' => 'cj_corrections_contacts',
            'module' => 'Contacts',
            'bean_name' => 'Contact',
            'link_type' => 'one',
            'side' => 'right',
            'source' => 'non-db',
        ),
        'stage' => array(
            'name' => 'stage',
            'vname' => 'LBL_STAGE',
            'type' => 'enum',
            'options' => 'cj_correction_dom',
            'len' => 30,
            'required' => true,
            'audited' => true,
            'massupdate' => true,
        ),
        'previous_stage' => array(
            'name' => 'previous_stage',
            'vname' => 'LBL_PREVIOUS_STAGE',
            'type' => 'enum',
            'options' => 'cj_stage_dom',
            'len' => 30,
            'massupdate' => false,
            'inline_edit' => false,
        ),
        'rule_id' => array(
            'name' => 'rule_id',
            'vname' => 'LBL_RULE_ID',
            'type' => 'varchar',
            'len' => 100,
            'massupdate' => false,
            'inline_edit' => false,
        ),
        'corrected_by' => array(
            'name' => 'corrected_by',
            'vname' => 'LBL_CORRECTED_BY',
            'type' => 'id',
            'reportable' => false,
            'massupdate' => false,
        ),
        'corrected_by_name' => array(
            'name' => 'corrected_by_name',
            'vname' => 'LBL_CORRECTED_BY_NAME',
            'type' => 'relate',
            'source' => 'non-db',
            'rname' => 'user_name',
            'id_name' => 'corrected_by',
            'link' => 'corrected_by_link',
            'table' => 'users',
            'module' => 'Users',
            'isnull' => 'true',
            'dbType' => 'varchar',
            'len' => 255,
            'massupdate' => false,
            'inline_edit' => false,
        ),
        'corrected_by_link' => array(
            'name' => 'corrected_by_link',
            'vname' => 'LBL_CORRECTED_BY',
            'type' => 'link',
            'relationship' => 'cj_corrections_corrected_by',
            'module' => 'Users',
            'bean_name' => 'User',
            'link_type' => 'one',
            'side' => 'right',
            'source' => 'non-db',
        ),
        'corrected_at' => array(
            'name' => 'corrected_at',
            'vname' => 'LBL_CORRECTED_AT',
            'type' => 'datetime',
            'enable_range_search' => true,
            'options' => 'date_range_search_dom',
            'massupdate' => false,
            'inline_edit' => false,
        ),
    ),
    'indices' => array(
        array('name' => 'idx_cj_cor_touchpoint', 'type' => 'index', 'fields' => array('touchpoint_key', 'deleted')),
        array('name' => 'idx_cj_cor_account', 'type' => 'index', 'fields' => array('account_id', 'deleted')),
    ),
    'relationships' => array(
        'cj_corrections_accounts' => array(
            'lhs_module' => 'Accounts',
            'lhs_table' => 'accounts',
            'lhs_key' => 'id',
            'rhs_module' => 'CJ_Corrections',
            'rhs_table' => 'cj_corrections',
            'rhs_key' => 'account_id',
            'relationship_type' => 'one-to-many',
        ),
        'cj_corrections_contacts' => array(
            'lhs_module' => 'Contacts',
            'lhs_table' => 'contacts',
            'lhs_key' => 'id',
            'rhs_module' => 'CJ_Corrections',
            'rhs_table' => 'cj_corrections',
            'rhs_key' => 'contact_id',
            'relationship_type' => 'one-to-many',
        ),
        'cj_corrections_corrected_by' => array(
            'lhs_module' => 'Users',
            'lhs_table' => 'users',
            'lhs_key' => 'id',
            'rhs_module' => 'CJ_Corrections',
            'rhs_table' => 'cj_corrections',
            'rhs_key' => 'corrected_by',
            'relationship_type' => 'one-to-many',
        ),
    ),
    'optimistic_locking' => true,
);

if (!class_exists('VardefManager')) {
    require_once 'include/SugarObjects/VardefManager.php';
}
VardefManager::createVardef('CJ_Corrections', 'CJ_Corrections', array('basic', 'assignable', 'security_groups'));
