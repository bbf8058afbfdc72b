<?php
/**
 * CJ_Journeys: one customer journey (per account, or per contact without account).
 *
 * Records are written by the suitejourney connector through the V8 API; the
 * bean only declares its storage and takes part in SuiteCRM's ACL. It holds no
 * business logic: the stage, status and health score are computed outside.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

class CJ_Journeys extends Basic
{
    public $new_schema = true;
    public $module_dir = 'CJ_Journeys';
    public $object_name = 'CJ_Journeys';
    public $table_name = 'cj_journeys';
    public $importable = false;
    public $disable_row_level_security = true;

    public $id;
    public $name;
    public $date_entered;
    public $date_modified;
    public $modified_user_id;
    public $modified_by_name;
    public $created_by;
    public $created_by_name;
    public $description;
    public $deleted;
    public $created_by_link;
    public $modified_user_link;
    public $assigned_user_id;
    public $assigned_user_name;
    public $assigned_user_link;
    public $SecurityGroups;

    public $account_id;
    public $account_name;
    public $accounts;
    public $contact_id;
    public $contact_name;
    public $contacts;
    public $current_stage;
    public $awareness_date;
    public $evaluation_date;
    public $decision_date;
    public $purchase_date;
    public $loyalty_date;
    public $status;
    public $health_score;
    public $touchpoint_count;
    public $first_touch_date;
    public $last_touch_date;
    public $last_channel;
    public $days_in_stage;
    public $cost_to_serve;
    public $timeline_json;
    public $sync_hash;
    public $date_synced;
    public $journey_panel;
    public $cj_touchpoints;

    public function bean_implements($interface)
    {
        switch ($interface) {
            case 'ACL':
                return true;
        }

        return false;
    }
}
