<?php
/**
 * Test helper: print the journey panel markup for a timeline fixture, exactly as
 * CJ_JourneyPanel renders it on a detail view.
 *
 * Usage: php render_panel.php <module source root> <fixture file|-> <raw|encoded|v2|missing|none> [lang] [now]
 * "encoded" stores the fixture HTML-entity encoded, as SugarBean::retrieve returns it;
 * "v2" stores it as the connector writes timeline_json version 2 (marker, then base64);
 * "now" (ISO 8601 UTC) replaces the server clock's "now", so the today line is where the test says.
 */
require __DIR__ . '/stubs.php';

list(, $root, $fixture, $mode) = $argv;
$lang = isset($argv[4]) ? $argv[4] : 'en_us';
$now = isset($argv[5]) ? $argv[5] : null;
cj_test_load_language($root, $lang);
require $root . '/SugarModules/modules/CJ_Journeys/CJ_JourneyPanel.php';

$json = $fixture === '-' ? '' : file_get_contents($fixture);
if ($mode === 'encoded') {
    $json = htmlspecialchars($json, ENT_QUOTES, 'UTF-8');
} elseif ($mode === 'v2') {
    $timeline = json_decode($json, true);
    $timeline['v'] = 2;
    $json = 'v2.b64:' . base64_encode(json_encode($timeline));
} elseif ($mode === 'missing') {
    $json = '';
}
$journey = null;
if ($mode !== 'none') {
    $journey = new CJTestBean('CJ_Journeys', array(
        'id' => '3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
        'name' => 'Journey &lt;b&gt;Acme&lt;/b&gt;',
        'timeline_json' => $json,
    ));
}
$context = array('module' => 'Accounts', 'id' => '5f0c7d1e-2b51-4c1b-9c1e-0a6a3c6f1e01', 'via_account' => null);
$payload = CJ_JourneyPanel::payload($journey, $context);
if (!preg_match('/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/', (string) $payload['now'])) {
    fwrite(STDERR, "payload 'now' is not ISO 8601 UTC: " . var_export($payload['now'], true) . "\n");
    exit(1);
}
if ($now !== null) {
    $payload['now'] = $now;
}
echo CJ_JourneyPanel::render($payload, 'test');
