<?php
/**
 * CJ_Corrections: a person's correction of one touchpoint's stage.
 *
 * Made in the journey panel (action Correct), on the list/edit views, or by the
 * suitejourney connector when someone changes the stage of a CJ_Touchpoints
 * record. On save, a changed stage is stamped with who made it and when, unless
 * the writer says so itself (the connector records the user who edited the
 * touchpoint). The connector reads every live record at each sync.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

class CJ_Corrections extends Basic
{
    public $new_schema = true;
    public $module_dir = 'CJ_Corrections';
    public $object_name = 'CJ_Corrections';
    public $table_name = 'cj_corrections';
    public $importable = true;
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

    public $touchpoint_key;
    public $source_module;
    public $source_id;
    public $source_record;
    public $account_id;
    public $account_name;
    public $accounts;
    public $contact_id;
    public $contact_name;
    public $contacts;
    public $stage;
    public $previous_stage;
    public $rule_id;
    public $corrected_by;
    public $corrected_by_name;
    public $corrected_by_link;
    public $corrected_at;

    /** The stages a touchpoint can be corrected to (keys of cj_correction_dom). */
    public static $values = array(
        'awareness', 'evaluation', 'decision', 'purchase', 'loyalty', 'not_a_touchpoint',
    );

    public function bean_implements($interface)
    {
        switch ($interface) {
            case 'ACL':
                return true;
        }

        return false;
    }

    public function save($check_notify = false)
    {
        global $current_user, $timedate;
        $user = isset($current_user) ? $current_user->id : '';
        if (empty($this->fetched_row)) {
            if (empty($this->corrected_by)) {
                $this->corrected_by = $user;
            }
            if (empty($this->corrected_at)) {
                $this->corrected_at = $timedate->nowDb();
            }
        } elseif ($this->fetched_row['stage'] !== $this->stage
            && $this->fetched_row['corrected_by'] === $this->corrected_by
        ) {
            // A new stage without a new author: whoever saves it now made the correction.
            $this->corrected_by = $user;
            $this->corrected_at = $timedate->nowDb();
        }
        if (empty($this->name)) {
            $this->name = $this->touchpoint_key;
        }
        if (empty($this->source_module) && strpos((string) $this->touchpoint_key, ':') !== false) {
            list($this->source_module, $this->source_id) = explode(':', $this->touchpoint_key, 2);
        }

        return parent::save($check_notify);
    }
}
