<?php
/**
 * CJ_Touchpoints: one classified touchpoint of a customer journey.
 *
 * Written by the suitejourney connector (upsert keyed on external_key =
 * "<source_module>:<source_id>"). The bean declares storage and ACL only; the
 * classification (stage, phase, channel, ...) is done by the connector.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

class CJ_Touchpoints extends Basic
{
    public $new_schema = true;
    public $module_dir = 'CJ_Touchpoints';
    public $object_name = 'CJ_Touchpoints';
    public $table_name = 'cj_touchpoints';
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

    public $journey_id;
    public $journey_name;
    public $cj_journey;
    public $account_id;
    public $account_name;
    public $accounts;
    public $stage;
    public $phase;
    public $channel;
    public $mode;
    public $managed_by;
    public $direction;
    public $occurred_at;
    public $source_module;
    public $source_id;
    public $source_record;
    public $rule_id;
    public $external_key;
    public $sync_hash;
    public $rule_stage;
    public $corrected_stage;
    public $review;

    public function bean_implements($interface)
    {
        switch ($interface) {
            case 'ACL':
                return true;
        }

        return false;
    }
}
