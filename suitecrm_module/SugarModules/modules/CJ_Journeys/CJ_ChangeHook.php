<?php
/**
 * Logic hooks (after_save, after_delete, after_relationship_add) of the modules
 * the connector reads: each tells the connector which record changed, through
 * CJ_ChangeNotifier. Installed by the manifest's "logic_hooks" installdefs.
 *
 * A hook must never break or slow a user's save: everything is caught and
 * logged, and CJ_ChangeNotifier waits at most one second.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

require_once 'modules/CJ_Journeys/CJ_ChangeNotifier.php';

class CJ_ChangeHook
{
    public function afterSave($bean, $event = '', $arguments = array())
    {
        $this->changed($bean, 'after_save');
    }

    public function afterDelete($bean, $event = '', $arguments = array())
    {
        $this->changed($bean, 'after_delete');
    }

    public function afterRelationshipAdd($bean, $event = '', $arguments = array())
    {
        $this->changed($bean, 'after_relationship_add');
    }

    private function changed($bean, $event)
    {
        try {
            if (!is_object($bean) || empty($bean->id) || empty($bean->module_dir)) {
                return;
            }
            CJ_ChangeNotifier::notify((string) $bean->module_dir, (string) $bean->id, $event);
        } catch (\Throwable $e) {
            if (isset($GLOBALS['log']) && is_object($GLOBALS['log'])) {
                $GLOBALS['log']->error('CJ change notification failed: ' . $e->getMessage());
            }
        }
    }
}
