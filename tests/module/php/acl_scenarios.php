<?php
/**
 * Test helper: run CJ_JourneyPanel::forCustomer() through ACL scenarios and print
 * a JSON object {scenario: {"html_length": n, "has_data": bool}}.
 *
 * Usage: php acl_scenarios.php <module source root> <fixture file>
 */
require __DIR__ . '/stubs.php';

list(, $root, $fixture) = $argv;
cj_test_load_language($root, 'en_us');
require $root . '/SugarModules/modules/CJ_Journeys/CJ_JourneyPanel.php';

$accountId = '5f0c7d1e-2b51-4c1b-9c1e-0a6a3c6f1e01';
$contactId = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
$journeyId = '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
$secret = 'Secret-Subject-Only-For-Authorised-Users';
$timeline = json_decode(file_get_contents($fixture), true);
$timeline['tp'][0][3] = $secret;

function cj_reset($timeline, $accountId, $contactId, $journeyId, $withJourney = true)
{
    $GLOBALS['cj_test']['module_access'] = true;
    $GLOBALS['cj_test']['denied_records'] = array();
    $GLOBALS['cj_test']['journeys_by'] = $withJourney ? array("account_id = '" . $accountId . "'" => $journeyId) : array();
    $GLOBALS['cj_test']['beans'] = array(
        'Accounts:' . $accountId => new CJTestBean('Accounts', array('id' => $accountId, 'name' => 'Acme')),
        'Contacts:' . $contactId => new CJTestBean('Contacts', array('id' => $contactId, 'name' => 'Ann', 'account_id' => $accountId)),
        'CJ_Journeys:' . $journeyId => new CJTestBean('CJ_Journeys', array(
            'id' => $journeyId,
            'name' => 'Acme journey',
            'timeline_json' => htmlspecialchars(json_encode($timeline), ENT_QUOTES, 'UTF-8'),
        )),
    );
}

$out = array();
$run = function ($name, $module, $id) use (&$out, $secret) {
    $html = CJ_JourneyPanel::forCustomer($module, $id);
    $out[$name] = array('html_length' => strlen($html), 'has_data' => strpos($html, $secret) !== false,
        'has_panel' => strpos($html, 'data-cj-panel') !== false);
};

cj_reset($timeline, $accountId, $contactId, $journeyId);
$run('allowed', 'Accounts', $accountId);

cj_reset($timeline, $accountId, $contactId, $journeyId);
$GLOBALS['cj_test']['module_access'] = false;
$run('no_module_access', 'Accounts', $accountId);

cj_reset($timeline, $accountId, $contactId, $journeyId);
$GLOBALS['cj_test']['denied_records'] = array('CJ_Journeys:' . $journeyId);
$run('journey_record_denied', 'Accounts', $accountId);

cj_reset($timeline, $accountId, $contactId, $journeyId);
$GLOBALS['cj_test']['denied_records'] = array('Accounts:' . $accountId);
$run('account_denied', 'Accounts', $accountId);

cj_reset($timeline, $accountId, $contactId, $journeyId);
$run('contact_via_account', 'Contacts', $contactId);

cj_reset($timeline, $accountId, $contactId, $journeyId);
$GLOBALS['cj_test']['denied_records'] = array('Accounts:' . $accountId);
$run('contact_account_denied', 'Contacts', $contactId);

cj_reset($timeline, $accountId, $contactId, $journeyId, false);
$run('no_journey', 'Accounts', $accountId);

cj_reset($timeline, $accountId, $contactId, $journeyId);
$run('other_module', 'Leads', $accountId);

cj_reset($timeline, $accountId, $contactId, $journeyId);
$run('injection_in_id', 'Accounts', "x' OR '1'='1");
$out['queries_quoted'] = true;
foreach ($GLOBALS['cj_test']['queries'] as $sql) {
    if (strpos($sql, "x'' OR ''1''=''1") === false && strpos($sql, 'x') !== false && strpos($sql, "'1'='1") !== false) {
        $out['queries_quoted'] = false;
    }
}

echo json_encode($out);
