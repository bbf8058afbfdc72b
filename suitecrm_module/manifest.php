<?php
/**
 * Module Loader manifest of the SuiteCRM Customer Journey package.
 *
 * Installs the CJ_Journeys and CJ_Touchpoints modules (written by the
 * `suitejourney` connector), CJ_Corrections (the stages people correct, which
 * the connector reads back), their one-to-many links to Accounts and Contacts,
 * the subpanels and the journey panel on the Account and Contact detail views,
 * and the logic hooks that tell the connector's `suitejourney serve` which
 * records changed (configured in config_override.php; see CJ_ChangeNotifier.php).
 * Installing a newer version over an older one (same id, no uninstall) keeps
 * every record: nothing here drops or truncates a table.
 */

$manifest = array(
    'key' => 'CJ',
    'name' => 'Customer Journey',
    'description' => 'Customer journeys of your accounts and contacts in five stages '
        . '(awareness, evaluation, decision, purchase, loyalty), written by the suitejourney connector.',
    'author' => 'SuiteCRM Customer Journey team',
    'version' => '@VERSION@',
    'published_date' => '@PUBLISHED_DATE@',
    'type' => 'module',
    'icon' => '',
    'readme' => '',
    'is_uninstallable' => true,
    'remove_tables' => 'prompt',
    'acceptable_sugar_flavors' => array('CE'),
    // $sugar_version is 6.5.x on every SuiteCRM 7 and in SuiteCRM 8's legacy folder.
    'acceptable_sugar_versions' => array(
        'exact_matches' => array(),
        'regex_matches' => array('6\.5\.\d+'),
    ),
    // SuiteCRM 7.12-7.14, and 8.x (whose legacy folder reports the 8.x version).
    'acceptable_suitecrm_versions' => array(
        'exact_matches' => array(),
        'regex_matches' => array('7\.1[234]\.\d+', '8\.\d+\.\d+'),
    ),
);

$installdefs = array(
    'id' => 'suitecrm_customer_journey',
    'beans' => array(
        array(
            'module' => 'CJ_Journeys',
            'class' => 'CJ_Journeys',
            'path' => 'modules/CJ_Journeys/CJ_Journeys.php',
            'tab' => true,
        ),
        array(
            'module' => 'CJ_Touchpoints',
            'class' => 'CJ_Touchpoints',
            'path' => 'modules/CJ_Touchpoints/CJ_Touchpoints.php',
            'tab' => true,
        ),
        array(
            'module' => 'CJ_Corrections',
            'class' => 'CJ_Corrections',
            'path' => 'modules/CJ_Corrections/CJ_Corrections.php',
            'tab' => true,
        ),
    ),
    'copy' => array(
        array(
            'from' => '<basepath>/SugarModules/modules/CJ_Journeys',
            'to' => 'modules/CJ_Journeys',
        ),
        array(
            'from' => '<basepath>/SugarModules/modules/CJ_Touchpoints',
            'to' => 'modules/CJ_Touchpoints',
        ),
        array(
            'from' => '<basepath>/SugarModules/modules/CJ_Corrections',
            'to' => 'modules/CJ_Corrections',
        ),
    ),
    'language' => array(
        array(
            'from' => '<basepath>/SugarModules/language/application/en_us.lang.php',
            'to_module' => 'application',
            'language' => 'en_us',
        ),
        array(
            'from' => '<basepath>/SugarModules/language/application/it_it.lang.php',
            'to_module' => 'application',
            'language' => 'it_it',
        ),
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Accounts/Ext/Language/en_us.cj_journey.php',
            'to_module' => 'Accounts',
            'language' => 'en_us',
        ),
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Accounts/Ext/Language/it_it.cj_journey.php',
            'to_module' => 'Accounts',
            'language' => 'it_it',
        ),
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Contacts/Ext/Language/en_us.cj_journey.php',
            'to_module' => 'Contacts',
            'language' => 'en_us',
        ),
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Contacts/Ext/Language/it_it.cj_journey.php',
            'to_module' => 'Contacts',
            'language' => 'it_it',
        ),
    ),
    'vardefs' => array(
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Accounts/Ext/Vardefs/cj_journey.php',
            'to_module' => 'Accounts',
        ),
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Contacts/Ext/Vardefs/cj_journey.php',
            'to_module' => 'Contacts',
        ),
    ),
    'layoutdefs' => array(
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Accounts/Ext/Layoutdefs/cj_journey.php',
            'to_module' => 'Accounts',
        ),
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Contacts/Ext/Layoutdefs/cj_journey.php',
            'to_module' => 'Contacts',
        ),
    ),
    // after_ui_frame hooks print the journey panel between the detail view and the subpanels.
    'hookdefs' => array(
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Accounts/Ext/LogicHooks/cj_journey_panel.php',
            'to_module' => 'Accounts',
        ),
        array(
            'from' => '<basepath>/SugarModules/Extension/modules/Contacts/Ext/LogicHooks/cj_journey_panel.php',
            'to_module' => 'Contacts',
        ),
    ),
);

// after_save, after_delete and after_relationship_add on every module the connector
// reads: CJ_ChangeHook tells `suitejourney serve` what changed (ModuleInstaller
// writes them into custom/modules/<module>/logic_hooks.php and removes them on
// uninstall). Without cj_notify_url and cj_notify_secret they do nothing.
$installdefs['logic_hooks'] = array();
foreach (array(
    'Accounts', 'Contacts', 'Leads', 'Calls', 'Meetings', 'Tasks', 'Notes', 'Emails', 'Cases',
    'Opportunities', 'Campaigns', 'CampaignLog', 'AOS_Quotes', 'AOS_Invoices', 'AOS_Contracts',
    'Documents',
) as $cj_module) {
    foreach (array(
        'after_save' => 'afterSave',
        'after_delete' => 'afterDelete',
        'after_relationship_add' => 'afterRelationshipAdd',
    ) as $cj_hook => $cj_function) {
        $installdefs['logic_hooks'][] = array(
            'module' => $cj_module,
            'hook' => $cj_hook,
            'order' => 95,
            'description' => 'Customer Journey: notify the connector',
            'file' => 'modules/CJ_Journeys/CJ_ChangeHook.php',
            'class' => 'CJ_ChangeHook',
            'function' => $cj_function,
        );
    }
}
