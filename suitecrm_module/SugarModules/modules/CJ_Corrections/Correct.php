<?php
/**
 * Action "Correct" of CJ_Corrections: the journey panel's way to correct a touchpoint.
 *
 * POST index.php?module=CJ_Corrections&action=Correct&to_pdf=1 with
 *   touchpoint_key  <source_module>:<source_id> of the touchpoint
 *   stage           a stage, "not_a_touchpoint", or "" to go back to the rules' stage
 *   account_id / contact_id, name (the subject), previous_stage, rule_id: for the record
 * Creates or updates the touchpoint's live correction (or deletes it for ""), as the
 * user in session: the CJ_Corrections "edit" (or "delete") right is required. The
 * connector applies it at its next sync. Answers JSON {"ok": true, ...} or an error.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

require_once 'modules/CJ_Corrections/CJ_Corrections.php';

/**
 * @param int $status HTTP status
 * @param array $body
 */
function cj_correct_answer($status, array $body)
{
    if (!headers_sent()) {
        http_response_code($status);
        header('Content-Type: application/json; charset=utf-8');
        header('Cache-Control: no-store');
    }
    echo json_encode($body);
}

/**
 * A POST field as plain text (SuiteCRM's input cleaning encodes entities).
 *
 * @param string $name
 * @return string
 */
function cj_correct_field($name)
{
    if (!isset($_POST[$name]) || !is_string($_POST[$name])) {
        return '';
    }

    return trim(html_entity_decode($_POST[$name], ENT_QUOTES, 'UTF-8'));
}

/**
 * @return array{0: int, 1: array} the HTTP status and the answer
 */
function cj_correct()
{
    global $db, $current_user;
    if (!isset($_SERVER['REQUEST_METHOD']) || $_SERVER['REQUEST_METHOD'] !== 'POST') {
        return array(405, array('ok' => false, 'error' => 'method'));
    }
    $key = cj_correct_field('touchpoint_key');
    $stage = cj_correct_field('stage');
    if (!preg_match('/^[A-Za-z_]{1,60}:[A-Za-z0-9-]{1,64}$/', $key)) {
        return array(400, array('ok' => false, 'error' => 'touchpoint_key'));
    }
    if ($stage !== '' && !in_array($stage, CJ_Corrections::$values, true)) {
        return array(400, array('ok' => false, 'error' => 'stage'));
    }
    $right = $stage === '' ? 'delete' : 'edit';
    if (empty($current_user) || !ACLController::checkAccess('CJ_Corrections', $right, true)) {
        return array(403, array('ok' => false, 'error' => 'access'));
    }
    $ids = array();
    $result = $db->query(
        'SELECT id FROM cj_corrections WHERE touchpoint_key = ' . $db->quoted($key)
        . ' AND deleted = 0 ORDER BY date_modified DESC'
    );
    while ($result && ($row = $db->fetchByAssoc($result, false))) {
        $ids[] = $row['id'];
    }
    if ($stage === '') {
        $withdrawn = 0;
        foreach ($ids as $id) {
            $bean = BeanFactory::getBean('CJ_Corrections', $id);
            if (!empty($bean) && !empty($bean->id) && $bean->ACLAccess('delete')) {
                $bean->mark_deleted($id);
                $withdrawn++;
            }
        }

        return array(200, array('ok' => true, 'withdrawn' => $withdrawn));
    }
    $bean = !empty($ids) ? BeanFactory::getBean('CJ_Corrections', $ids[0]) : BeanFactory::newBean('CJ_Corrections');
    if (empty($bean) || (!empty($bean->id) && !$bean->ACLAccess('edit'))) {
        return array(403, array('ok' => false, 'error' => 'access'));
    }
    list($module, $sourceId) = explode(':', $key, 2);
    $bean->touchpoint_key = $key;
    $bean->source_module = $module;
    $bean->source_id = $sourceId;
    $bean->stage = $stage;
    $bean->corrected_by = $current_user->id;
    $bean->corrected_at = $GLOBALS['timedate']->nowDb();
    foreach (array('account_id', 'contact_id') as $field) {
        $value = cj_correct_field($field);
        if (preg_match('/^[A-Za-z0-9-]{1,64}$/', $value)) {
            $bean->$field = $value;
        }
    }
    $previous = cj_correct_field('previous_stage');
    if (in_array($previous, array('awareness', 'evaluation', 'decision', 'purchase', 'loyalty'), true)) {
        $bean->previous_stage = $previous;
    }
    $rule = cj_correct_field('rule_id');
    if ($rule !== '' && strlen($rule) <= 100) {
        $bean->rule_id = $rule;
    }
    $name = cj_correct_field('name');
    $bean->name = $name !== '' ? mb_substr($name, 0, 255, 'UTF-8') : $key;
    $bean->save();

    return array(200, array('ok' => true, 'id' => $bean->id, 'stage' => $stage));
}

list($status, $body) = cj_correct();
cj_correct_answer($status, $body);
