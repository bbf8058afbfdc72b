<?php
/**
 * Test helper: run CJ_ChangeHook / CJ_ChangeNotifier under php-cli on small stubs
 * (the log, the database, create_guid) and print what happened as JSON.
 *
 * Usage:
 *   php notifier_scenarios.php <module source root> sign <secret> <timestamp> <body>
 *   php notifier_scenarios.php <module source root> body <events json> <nonce>
 *   php notifier_scenarios.php <module source root> save <config json> <bean json list> [queued json]
 *
 * "save" calls the after_save hook for each bean of the list (one PHP request),
 * with $sugar_config from the config and, optionally, rows already in the queue.
 */
define('sugarEntry', true);

class CJNotifyTestLog
{
    public $lines = array();

    public function __call($level, $arguments)
    {
        $this->lines[] = array($level, (string) $arguments[0]);
    }
}

class CJNotifyTestDb
{
    public $queries = array();
    public $tables = array();
    public $queue = array();
    private $results = array();

    public function quoted($value)
    {
        return "'" . str_replace("'", "''", (string) $value) . "'";
    }

    public function tableExists($name)
    {
        return in_array($name, $this->tables, true);
    }

    public function createTableParams($name, $fields, $indices)
    {
        $this->queries[] = 'CREATE TABLE ' . $name . ' (' . implode(', ', array_keys($fields)) . ')';
        $this->tables[] = $name;
    }

    public function query($sql)
    {
        $this->queries[] = $sql;
        if (strpos($sql, 'SELECT COUNT(*)') === 0) {
            return $this->result(array(array('queued' => count($this->queue))));
        }
        if (preg_match('/^INSERT INTO cj_notify_queue .* VALUES \((.*)\)$/', $sql, $m)) {
            $values = array_map(function ($v) { return trim($v, " '"); }, explode(',', $m[1]));
            $this->queue[] = array_combine(array('id', 'module', 'record_id', 'event', 'event_time', 'date_entered'), $values);
        }
        if (strpos($sql, 'DELETE FROM cj_notify_queue') === 0) {
            $kept = array();
            foreach ($this->queue as $row) {
                if (strpos($sql, "'" . $row['id'] . "'") === false) {
                    $kept[] = $row;
                }
            }
            $this->queue = $kept;
        }

        return true;
    }

    public function limitQuery($sql, $start, $count)
    {
        $this->queries[] = $sql;

        return $this->result(array_slice($this->queue, $start, $count));
    }

    public function fetchByAssoc($result, $encode = true)
    {
        return array_shift($this->results[$result]) ?: false;
    }

    /** A result handle: an index into $results, offset so that it is never falsy. */
    private function result(array $rows)
    {
        $handle = 1000 + count($this->results);
        $this->results[$handle] = $rows;

        return $handle;
    }
}

function create_guid()
{
    return sprintf('%08x-0000-4000-8000-%012x', mt_rand(), mt_rand());
}

class CJNotifyTestBean
{
    public $id;
    public $module_dir;

    public function __construct($module, $id)
    {
        $this->module_dir = $module;
        $this->id = $id;
    }
}

list(, $root, $scenario) = $argv;
chdir($root . '/SugarModules');
require 'modules/CJ_Journeys/CJ_ChangeHook.php';

if ($scenario === 'sign') {
    echo json_encode(array('signature' => CJ_ChangeNotifier::sign($argv[3], $argv[4], $argv[5])));
    exit(0);
}
if ($scenario === 'body') {
    echo CJ_ChangeNotifier::body(json_decode($argv[3], true), $argv[4]);
    exit(0);
}

$GLOBALS['log'] = new CJNotifyTestLog();
$GLOBALS['db'] = new CJNotifyTestDb();
$GLOBALS['sugar_config'] = json_decode($argv[3], true);
$beans = json_decode($argv[4], true);
if (isset($argv[5])) {
    $GLOBALS['db']->tables[] = 'cj_notify_queue';
    $GLOBALS['db']->queue = json_decode($argv[5], true);
}
$hook = new CJ_ChangeHook();
$timings = array();
foreach ($beans as $bean) {
    $started = microtime(true);
    $hook->afterSave(new CJNotifyTestBean($bean[0], $bean[1]), 'after_save', array());
    $timings[] = microtime(true) - $started;
}
$hook->afterSave(null, 'after_save', array()); // nothing to say, and no error
echo json_encode(array(
    'log' => $GLOBALS['log']->lines,
    'queries' => $GLOBALS['db']->queries,
    'queue' => $GLOBALS['db']->queue,
    'seconds' => $timings,
));
