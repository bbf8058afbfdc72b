<?php
/**
 * Field definitions of CJ_Touchpoints (table cj_touchpoints).
 *
 * The names are a contract with the Python connector: change none without
 * changing both sides. external_key ("Calls:<uuid>") is unique: the connector
 * upserts on it, so a touchpoint is never written twice.
 *
 * The connector writes stage = corrected_stage when a person corrected the
 * touchpoint (CJ_Corrections), else rule_stage (what its rules gave). A user who
 * changes stage here makes a correction: the connector sees a stage that is
 * neither and records it as a CJ_Corrections record at its next sync. review says
 * why the rules are unsure of the classification (the "to review" filter).
 *
 * Not in SuiteCRM's search index: AOD indexes a module only when its dictionary
 * says unified_search (AOD_Index::isModuleSearchable), and indexing cost ~55 ms
 * of every save, measured (most of a touchpoint record's write). Subpanels and
 * the module's own list filters work without it. To search touchpoints in the
 * global search anyway, add custom/Extension/modules/CJ_Touchpoints/Ext/Vardefs/
 * cj_search.php with  $dictionary['CJ_Touchpoints']['unified_search'] = true;
 * and run Admin -> Repair -> Quick Repair and Rebuild (then AOD's reindex).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

$dictionary['CJ_Touchpoints'] = array(
    'table' => 'cj_touchpoints',
    'audited' => false,
    'duplicate_merge' => false,
    'unified_search' => false,
    'full_text_search' => false,
    'comment' => 'Classified touchpoints of customer journeys, written by the suitejourney connector',
    'fields' => array(
        'journey_id' => array(
            'name' => 'journey_id',
            'vname' => 'LBL_JOURNEY_ID',
            'type' => 'id',
            'reportable' => false,
            'massupdate' => false,
        ),
        'journey_name' => array(
            'name' => 'journey_name',
            'vname' => 'LBL_JOURNEY_NAME',
            'type' => 'relate',
            'source' => 'non-db',
            'rname' => 'name',
            'id_name' => 'journey_id',
            'link' => 'cj_journey',
            'table' => 'cj_journeys',
            'join_name' => 'cj_journeys',
            'module' => 'CJ_Journeys',
            'save' => true,
            'isnull' => 'true',
            'dbType' => 'varchar',
            'len' => 255,
            'massupdate' => false,
        ),
        'cj_journey' => array(
            'name' => 'cj_journey',
            'vname' => 'LBL_JOURNEY',
            'type' => 'link',
            'relationship' => 'cj_journeys_cj_touchpoints',
            'module' => 'CJ_Journeys',
            'bean_name' => 'CJ_Journeys',
            'link_type' => 'one',
            'side' => 'right',
            'source' => 'non-db',
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
            'relationship' => 'cj_touchpoints_accounts',
            'module' => 'Accounts',
            'bean_name' => 'Account',
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
            'massupdate' => false,
        ),
        'rule_stage' => array(
            'name' => 'rule_stage',
            'vname' => 'LBL_RULE_STAGE',
            'type' => 'enum',
            'options' => 'cj_stage_dom',
            'len' => 30,
            'massupdate' => false,
            'inline_edit' => false,
            'importable' => false,
        ),
        'corrected_stage' => array(
            'name' => 'corrected_stage',
            'vname' => 'LBL_CORRECTED_STAGE',
            'type' => 'enum',
            'options' => 'cj_correction_dom',
            'len' => 30,
            'massupdate' => false,
            'inline_edit' => false,
            'importable' => false,
        ),
        'review' => array(
            'name' => 'review',
            'vname' => 'LBL_REVIEW',
            'type' => 'enum',
            'options' => 'cj_review_dom',
            'len' => 20,
            'massupdate' => false,
            'inline_edit' => false,
            'importable' => false,
        ),
        'phase' => array(
            'name' => 'phase',
            'vname' => 'LBL_PHASE',
            'type' => 'enum',
            'options' => 'cj_phase_dom',
            'len' => 30,
            'massupdate' => false,
        ),
        'channel' => array(
            'name' => 'channel',
            'vname' => 'LBL_CHANNEL',
            'type' => 'enum',
            'options' => 'cj_channel_dom',
            'len' => 30,
            'massupdate' => false,
        ),
        'mode' => array(
            'name' => 'mode',
            'vname' => 'LBL_MODE',
            'type' => 'enum',
            'options' => 'cj_mode_dom',
            'len' => 20,
            'massupdate' => false,
        ),
        'managed_by' => array(
            'name' => 'managed_by',
            'vname' => 'LBL_MANAGED_BY',
            'type' => 'enum',
            'options' => 'cj_managed_by_dom',
            'len' => 20,
            'massupdate' => false,
        ),
        'direction' => array(
            'name' => 'direction',
            'vname' => 'LBL_DIRECTION',
            'type' => 'enum',
            'options' => 'cj_direction_dom',
            'len' => 20,
            'massupdate' => false,
        ),
        'occurred_at' => array(
            'name' => 'occurred_at',
            'vname' => 'LBL_OCCURRED_AT',
            'type' => 'datetime',
            'enable_range_search' => true,
            'options' => 'date_range_search_dom',
            'massupdate' => false,
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
        // A link to the record the touchpoint comes from (detail view only).
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
        'rule_id' => array(
            'name' => 'rule_id',
            'vname' => 'LBL_RULE_ID',
            'type' => 'varchar',
            'len' => 100,
            'massupdate' => false,
        ),
        'external_key' => array(
            'name' => 'external_key',
            'vname' => 'LBL_EXTERNAL_KEY',
            'type' => 'varchar',
            'len' => 120,
            'required' => true,
            'massupdate' => false,
            'importable' => false,
            'inline_edit' => false,
            'comment' => 'Unique key <source_module>:<source_id>, e.g. Calls:<uuid>',
        ),
        'sync_hash' => array(
            'name' => 'sync_hash',
            'vname' => 'LBL_SYNC_HASH',
            'type' => 'varchar',
            'len' => 64,
            'massupdate' => false,
            'importable' => false,
            'reportable' => false,
            'inline_edit' => false,
            'studio' => false,
        ),
    ),
    'indices' => array(
        array('name' => 'idx_cj_tp_external_key', 'type' => 'unique', 'fields' => array('external_key')),
        array('name' => 'idx_cj_tp_journey', 'type' => 'index', 'fields' => array('journey_id', 'deleted', 'occurred_at')),
        array('name' => 'idx_cj_tp_account', 'type' => 'index', 'fields' => array('account_id', 'deleted')),
        array('name' => 'idx_cj_tp_source', 'type' => 'index', 'fields' => array('source_module', 'source_id')),
        array('name' => 'idx_cj_tp_review', 'type' => 'index', 'fields' => array('review', 'deleted')),
    ),
    'relationships' => array(
        'cj_touchpoints_accounts' => array(
            'lhs_module' => 'Accounts',
            'lhs_table' => 'accounts',
            'lhs_key' => 'id',
            'rhs_module' => 'CJ_Touchpoints',
            'rhs_table' => 'cj_touchpoints',
            'rhs_key' => 'account_id',
            'relationship_type' => 'one-to-many',
        ),
    ),
    'optimistic_locking' => true,
);

if (!class_exists('VardefManager')) {
    require_once 'include/SugarObjects/VardefManager.php';
}
VardefManager::createVardef('CJ_Touchpoints', 'CJ_Touchpoints', array('basic', 'assignable', 'security_groups'));
