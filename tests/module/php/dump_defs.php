<?php
/**
 * Test helper: load the package's definitions the way SuiteCRM would include them
 * and print them as JSON (vardefs, Account/Contact extensions, languages, view metadata).
 *
 * Usage: php dump_defs.php <module source root>
 */
define('sugarEntry', true);

class VardefManager
{
    public static $templates = array();

    public static function createVardef($module, $object, $templates)
    {
        self::$templates[$module] = $templates;
    }
}

class ACLController
{
    public static function checkAccess($category, $action, $isOwner = false)
    {
        return true;
    }
}

$root = $argv[1] . '/SugarModules';
$out = array('modules' => array());
$dictionary = array();
foreach (array('CJ_Journeys', 'CJ_Touchpoints', 'CJ_Corrections') as $module) {
    include "$root/modules/$module/vardefs.php";
    $entry = array('languages' => array(), 'views' => array());
    foreach (array('en_us', 'it_it') as $lang) {
        $mod_strings = array();
        include "$root/modules/$module/language/$lang.lang.php";
        $entry['languages'][$lang] = $mod_strings;
    }
    $module_name = $module;
    $listViewDefs = $searchdefs = $searchFields = $viewdefs = $layout_defs = array();
    $popupMeta = $subpanel_layout = $module_menu = $metafiles = array();
    $mod_strings = $entry['languages']['en_us'];
    foreach (glob("$root/modules/$module/metadata/*.php") as $file) {
        include $file;
    }
    include "$root/modules/$module/metadata/subpanels/default.php";
    include "$root/modules/$module/Menu.php";
    $entry['views'] = array(
        'list' => $listViewDefs[$module],
        'search' => $searchdefs[$module],
        'searchfields' => $searchFields[$module],
        'detail' => $viewdefs[$module]['DetailView'],
        'edit' => $viewdefs[$module]['EditView'],
        'popup' => $popupMeta,
        'subpanel' => $subpanel_layout,
        'subpaneldefs' => isset($layout_defs[$module]) ? $layout_defs[$module] : null,
        'menu' => $module_menu,
        'metafiles' => $metafiles[$module],
    );
    $entry['templates'] = VardefManager::$templates[$module];
    $out['modules'][$module] = $entry;
}
$out['dictionary'] = $dictionary;

$ext = array();
foreach (array('Accounts' => 'Account', 'Contacts' => 'Contact') as $module => $object) {
    $dictionary = array();
    $layout_defs = array();
    $hook_array = array();
    include "$root/Extension/modules/$module/Ext/Vardefs/cj_journey.php";
    include "$root/Extension/modules/$module/Ext/Layoutdefs/cj_journey.php";
    include "$root/Extension/modules/$module/Ext/LogicHooks/cj_journey_panel.php";
    $languages = array();
    foreach (array('en_us', 'it_it') as $lang) {
        $mod_strings = array();
        include "$root/Extension/modules/$module/Ext/Language/$lang.cj_journey.php";
        $languages[$lang] = $mod_strings;
    }
    $ext[$module] = array(
        'fields' => $dictionary[$object]['fields'],
        'subpanels' => $layout_defs[$module]['subpanel_setup'],
        'hooks' => $hook_array,
        'languages' => $languages,
    );
}
$out['extensions'] = $ext;

$app = array();
foreach (array('en_us', 'it_it') as $lang) {
    $app_list_strings = array();
    include "$root/language/application/$lang.lang.php";
    $app[$lang] = $app_list_strings;
}
$out['application'] = $app;

echo json_encode($out);
