<?php
/**
 * after_ui_frame logic hook of Accounts and Contacts: prints the journey panel
 * on their legacy detail view, between the record and its subpanels.
 *
 * It does nothing on any other view, on AJAX/PDF/print requests, or when the
 * user may not see the journey (CJ_JourneyPanel checks the ACL). SuiteCRM 8's
 * Angular record view does not run this hook; there the CJ subpanels remain.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

require_once 'modules/CJ_Journeys/CJ_JourneyPanel.php';

class CJ_JourneyPanelHook
{
    /**
     * Hook entry point. LogicHook passes ($event, $arguments), or ($bean, $event, $arguments)
     * when a bean was set earlier in the request; neither is needed here.
     *
     * @return void
     */
    public function afterUiFrame()
    {
        $module = isset($GLOBALS['module']) ? (string) $GLOBALS['module'] : '';
        $action = isset($GLOBALS['action']) ? (string) $GLOBALS['action'] : '';
        $record = isset($_REQUEST['record']) && is_string($_REQUEST['record']) ? $_REQUEST['record'] : '';
        if ($module !== 'Accounts' && $module !== 'Contacts') {
            return;
        }
        if (strtolower($action) !== 'detailview' || $record === '') {
            return;
        }
        foreach (array('to_pdf', 'sugar_body_only', 'print') as $flag) {
            if (!empty($_REQUEST[$flag])) {
                return;
            }
        }
        echo CJ_JourneyPanel::forCustomer($module, $record);
    }
}
