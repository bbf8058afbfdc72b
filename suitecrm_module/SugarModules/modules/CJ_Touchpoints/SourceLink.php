<?php
/**
 * The "Source record" field of a touchpoint: a link to the record it came from.
 *
 * Module and id are validated (^[A-Za-z_]+$, ^[A-Za-z0-9-]+$) and escaped, and
 * the link is only drawn when the user may see that module: a hostile or stale
 * value shows as plain text, never as markup.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

/**
 * Vardef function field callback: ($focus, $field, $value, $view) => HTML.
 *
 * @param SugarBean $focus
 * @param string $field
 * @param mixed $value
 * @param string $view
 * @return string
 */
function cj_touchpoint_source_link($focus, $field = '', $value = '', $view = 'DetailView')
{
    $module = isset($focus->source_module) ? html_entity_decode((string) $focus->source_module, ENT_QUOTES, 'UTF-8') : '';
    $id = isset($focus->source_id) ? html_entity_decode((string) $focus->source_id, ENT_QUOTES, 'UTF-8') : '';
    if ($module === '' || $id === '') {
        return '';
    }
    $text = htmlspecialchars($module . ' ' . $id, ENT_QUOTES, 'UTF-8');
    $valid = preg_match('/^[A-Za-z_]+$/', $module) === 1 && preg_match('/^[A-Za-z0-9-]+$/', $id) === 1;
    if (!$valid) {
        return $text;
    }
    if (class_exists('ACLController') && !ACLController::checkAccess($module, 'view', true)) {
        return $text;
    }
    $label = $module;
    if (function_exists('translate')) {
        $moduleList = translate('moduleListSingular', '', $module);
        if (is_string($moduleList) && $moduleList !== '' && $moduleList !== 'moduleListSingular') {
            $label = $moduleList;
        }
    }
    $url = 'index.php?module=' . rawurlencode($module) . '&action=DetailView&record=' . rawurlencode($id);

    return '<a href="' . htmlspecialchars($url, ENT_QUOTES, 'UTF-8') . '">'
        . htmlspecialchars($label, ENT_QUOTES, 'UTF-8') . '</a>';
}
