<?php
/**
 * Minimal stand-ins for the SuiteCRM 7 API that CJ_JourneyPanel uses, so the
 * panel's PHP can run under php-cli in the tests: translate(), ACLController,
 * BeanFactory, DBManagerFactory, the current user. The ACL answers and the
 * records come from $GLOBALS['cj_test'], set by each test script.
 */
define('sugarEntry', true);

$GLOBALS['cj_test'] = array(
    'module_access' => true,
    'denied_records' => array(),
    'beans' => array(),
    'journeys_by' => array(),
    'queries' => array(),
);

function cj_test_load_language($root, $lang)
{
    $mod_strings = array();
    include $root . '/SugarModules/modules/CJ_Journeys/language/' . $lang . '.lang.php';
    $GLOBALS['cj_mod_strings'] = $mod_strings;
    $app_list_strings = array('moduleListSingular' => array('Emails' => 'Email', 'Calls' => 'Call', 'Cases' => 'Case'));
    include $root . '/SugarModules/language/application/' . $lang . '.lang.php';
    $GLOBALS['app_list_strings'] = $app_list_strings;
    $GLOBALS['current_language'] = $lang;
}

function translate($key, $module = '', $selected = '')
{
    if ($module === 'CJ_Journeys' && isset($GLOBALS['cj_mod_strings'][$key])) {
        return $GLOBALS['cj_mod_strings'][$key];
    }

    return $key;
}

class ACLController
{
    public static function checkAccess($category, $action, $isOwner = false, $type = 'module', $inGroup = false)
    {
        return $GLOBALS['cj_test']['module_access'];
    }
}

class CJTestBean
{
    public $id;
    public $module_dir;
    public $name;
    public $account_id;
    public $timeline_json;

    public function __construct($module, array $fields)
    {
        $this->module_dir = $module;
        foreach ($fields as $key => $value) {
            $this->$key = $value;
        }
    }

    public function ACLAccess($action)
    {
        return !in_array($this->module_dir . ':' . $this->id, $GLOBALS['cj_test']['denied_records'], true);
    }
}

class BeanFactory
{
    public static function getBean($module, $id = null)
    {
        $key = $module . ':' . $id;

        return isset($GLOBALS['cj_test']['beans'][$key]) ? $GLOBALS['cj_test']['beans'][$key] : false;
    }
}

class CJTestDb
{
    private $rows = array();

    public function quoted($value)
    {
        return "'" . str_replace("'", "''", $value) . "'";
    }

    public function limitQuery($sql, $start, $count, $dieOnError = false)
    {
        $GLOBALS['cj_test']['queries'][] = $sql;
        $this->rows = array();
        foreach ($GLOBALS['cj_test']['journeys_by'] as $where => $id) {
            if (strpos($sql, $where) !== false) {
                $this->rows[] = array('id' => $id);
            }
        }

        return true;
    }

    public function fetchByAssoc($result, $encode = true)
    {
        return array_shift($this->rows) ?: false;
    }
}

class DBManagerFactory
{
    public static function getInstance()
    {
        static $db = null;

        return $db ?: ($db = new CJTestDb());
    }
}

class CJTestUser
{
    public function getPreference($name)
    {
        $prefs = array('datef' => 'Y-m-d', 'timef' => 'H:i', 'timezone' => 'UTC');

        return isset($prefs[$name]) ? $prefs[$name] : null;
    }
}

$GLOBALS['current_user'] = new CJTestUser();
