<?php
/**
 * The journey panel: finds the journey a user may see and prints the markup
 * that js/cj_panel.js turns into the timeline.
 *
 * Everything runs in the user's own session: the module ACL (CJ_Journeys
 * "view"), the record ACL of the customer (Account or Contact) and of the
 * journey (owner, Security Groups) are checked before a byte of journey data is
 * printed; a user without access gets nothing at all. The timeline travels as
 * JSON inside <script type="application/json"> encoded with JSON_HEX_* so that
 * no string in it (subjects come from customers' e-mails) can close the tag;
 * the browser side builds the DOM with textContent only.
 *
 * This file must not write anything: it only reads (corrections are written by
 * modules/CJ_Corrections/Correct.php, which the panel's list view calls).
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

class CJ_JourneyPanel
{
    const MODULE = 'CJ_Journeys';
    const ASSET_JS = 'modules/CJ_Journeys/js/cj_panel.js';
    const ASSET_CSS = 'modules/CJ_Journeys/css/cj_panel.css';
    /**
     * Marks timeline_json version 2: base64 of the JSON, which SuiteCRM's save-time
     * cleaning leaves alone (version 1, plain JSON, was broken by it when a subject
     * held "<john@example.com>").
     */
    const TIMELINE_PREFIX = 'v2.b64:';

    /** Customer modules whose detail view shows the panel, with their column in cj_journeys. */
    private static $customerColumns = array('Accounts' => 'account_id', 'Contacts' => 'contact_id');

    /** Whether the page already carries the JS and CSS (one panel per page in practice). */
    private static $assetsPrinted = false;

    /**
     * The panel for an Account or Contact detail view, or '' when the user may not see it.
     *
     * @param string $module Accounts or Contacts
     * @param string $recordId the customer's id
     * @return string HTML
     */
    public static function forCustomer($module, $recordId)
    {
        if (!isset(self::$customerColumns[$module]) || !is_string($recordId) || $recordId === '') {
            return '';
        }
        if (!self::userMayViewModule()) {
            return '';
        }
        $customer = BeanFactory::getBean($module, $recordId);
        if (empty($customer) || empty($customer->id) || !$customer->ACLAccess('view')) {
            return '';
        }

        $context = array('module' => $module, 'id' => $customer->id, 'via_account' => null);
        $journeyId = self::findJourneyId(self::$customerColumns[$module], $customer->id);
        if ($journeyId === null && $module === 'Contacts' && !empty($customer->account_id)) {
            // A contact of an account has no journey of its own: show the account's.
            $account = BeanFactory::getBean('Accounts', $customer->account_id);
            if (!empty($account) && !empty($account->id) && $account->ACLAccess('view')) {
                $journeyId = self::findJourneyId('account_id', $account->id);
                if ($journeyId !== null) {
                    $context['via_account'] = html_entity_decode((string) $account->name, ENT_QUOTES, 'UTF-8');
                }
            }
        }
        if ($journeyId === null) {
            return self::render(self::payload(null, $context));
        }

        $journey = BeanFactory::getBean(self::MODULE, $journeyId);
        if (empty($journey) || empty($journey->id) || !$journey->ACLAccess('view')) {
            return '';
        }

        return self::render(self::payload($journey, $context));
    }

    /**
     * The panel for a journey's own detail view.
     *
     * @param SugarBean $journey
     * @return string HTML
     */
    public static function forJourney($journey)
    {
        if (empty($journey) || empty($journey->id) || !self::userMayViewModule() || !$journey->ACLAccess('view')) {
            return '';
        }

        return self::render(self::payload($journey, array('module' => self::MODULE, 'id' => $journey->id, 'via_account' => null)));
    }

    /**
     * Decode a stored timeline_json: version 2 (the marker, then base64 of the JSON), or
     * version 1's plain JSON as written or HTML-entity encoded (as SugarBean::retrieve returns it).
     *
     * @param mixed $raw
     * @return array{0: array|null, 1: string} the timeline (or null) and an error code: '', 'missing' or 'invalid'
     */
    public static function decodeTimeline($raw)
    {
        if (!is_string($raw) || trim($raw) === '') {
            return array(null, 'missing');
        }
        $raw = trim($raw);
        $prefix = self::TIMELINE_PREFIX;
        if (strncmp($raw, $prefix, strlen($prefix)) === 0) {
            $json = base64_decode(substr($raw, strlen($prefix)), true);
            $data = is_string($json) ? json_decode($json, true) : null;
        } else {
            $data = json_decode($raw, true);
            if (!is_array($data)) {
                $data = json_decode(html_entity_decode($raw, ENT_QUOTES, 'UTF-8'), true);
            }
        }
        if (!is_array($data) || !isset($data['v']) || !isset($data['tp']) || !is_array($data['tp'])) {
            return array(null, 'invalid');
        }

        return array($data, '');
    }

    /**
     * Everything the browser needs, as a plain array (no markup).
     *
     * @param SugarBean|null $journey
     * @param array $context
     * @return array
     */
    public static function payload($journey, array $context)
    {
        $timeline = null;
        $error = 'none';
        $journeyInfo = null;
        if ($journey !== null) {
            list($timeline, $error) = self::decodeTimeline($journey->timeline_json);
            $journeyInfo = array(
                'id' => (string) $journey->id,
                'name' => html_entity_decode((string) $journey->name, ENT_QUOTES, 'UTF-8'),
            );
        }

        return array(
            'timeline' => $timeline,
            'error' => $error,
            'journey' => $journeyInfo,
            // Users who may edit CJ_Corrections can correct a touchpoint's stage from the list view.
            'correct' => $timeline !== null && self::userMayCorrect()
                ? array('url' => 'index.php?module=CJ_Corrections&action=Correct&to_pdf=1')
                : null,
            'context' => $context,
            'labels' => self::labels(),
            'lists' => self::lists(),
            'locale' => self::locale(),
            // Where the panel draws its "today" line: the server's clock, in UTC.
            'now' => gmdate('Y-m-d\\TH:i:s\\Z'),
        );
    }

    /**
     * The panel markup for a payload: a container, the JSON, and (once) the assets.
     *
     * @param array $payload
     * @param string $assetVersion cache-busting suffix for the JS/CSS URLs
     * @return string HTML
     */
    public static function render(array $payload, $assetVersion = null)
    {
        $flags = JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT;
        if (defined('JSON_INVALID_UTF8_SUBSTITUTE')) {
            $flags |= JSON_INVALID_UTF8_SUBSTITUTE;
        }
        $json = json_encode($payload, $flags);
        if ($json === false) {
            $json = json_encode(array('timeline' => null, 'error' => 'invalid', 'labels' => self::labels()), $flags);
        }
        $title = self::label('LBL_PANEL_TITLE', 'Customer journey');
        $noscript = self::label('LBL_PANEL_NOSCRIPT', 'The journey timeline needs JavaScript.');

        $html = '';
        if (!self::$assetsPrinted) {
            self::$assetsPrinted = true;
            $version = $assetVersion !== null ? (string) $assetVersion : self::assetVersion();
            $html .= '<link rel="stylesheet" type="text/css" href="' . self::e(self::ASSET_CSS . '?v=' . $version) . '">' . "\n";
            $html .= '<script type="text/javascript" src="' . self::e(self::ASSET_JS . '?v=' . $version) . '"></script>' . "\n";
        }
        $html .= '<div class="cj-panel-host" data-cj-panel="1" role="region" aria-label="' . self::e($title) . '">'
            . '<script type="application/json" class="cj-panel-data">' . $json . '</script>'
            . '<noscript>' . self::e($noscript) . '</noscript>'
            . '</div>' . "\n"
            . '<script type="text/javascript">if (window.CJJourneyPanel) { window.CJJourneyPanel.mountAll(document); }</script>' . "\n";

        return $html;
    }

    /**
     * The id of the most recently changed journey of a customer, or null.
     *
     * @param string $column account_id or contact_id
     * @param string $customerId
     * @return string|null
     */
    private static function findJourneyId($column, $customerId)
    {
        $db = DBManagerFactory::getInstance();
        $sql = 'SELECT id FROM cj_journeys WHERE ' . $column . ' = ' . $db->quoted($customerId)
            . ' AND deleted = 0 ORDER BY date_modified DESC';
        $result = $db->limitQuery($sql, 0, 1, false);
        $row = $result ? $db->fetchByAssoc($result, false) : false;

        return !empty($row['id']) ? (string) $row['id'] : null;
    }

    /**
     * @return bool whether the current user may view CJ_Journeys at all (owner rules are checked per record)
     */
    private static function userMayViewModule()
    {
        return ACLController::checkAccess(self::MODULE, 'view', true);
    }

    /**
     * @return bool whether the current user may record corrections (CJ_Corrections "edit")
     */
    private static function userMayCorrect()
    {
        return ACLController::checkAccess('CJ_Corrections', 'edit', true);
    }

    /**
     * Panel strings in the user's language.
     *
     * @return array<string, string>
     */
    private static function labels()
    {
        $keys = array(
            'LBL_PANEL_TITLE', 'LBL_PANEL_EMPTY', 'LBL_PANEL_NO_JOURNEY', 'LBL_PANEL_INVALID', 'LBL_PANEL_MISSING',
            'LBL_PANEL_SHOWING', 'LBL_PANEL_ALL_SHOWN', 'LBL_PANEL_ENTERED', 'LBL_PANEL_NOT_REACHED',
            'LBL_PANEL_CURRENT', 'LBL_PANEL_DAYS_IN_STAGE', 'LBL_PANEL_HEALTH', 'LBL_PANEL_COST', 'LBL_PANEL_COST_SPLIT', 'LBL_PANEL_STATUS',
            'LBL_PANEL_STAGE', 'LBL_PANEL_TOUCHPOINTS', 'LBL_PANEL_DATE', 'LBL_PANEL_SUBJECT', 'LBL_PANEL_CHANNEL',
            'LBL_PANEL_MODE', 'LBL_PANEL_MANAGED_BY', 'LBL_PANEL_DIRECTION', 'LBL_PANEL_RULE', 'LBL_PANEL_SOURCE',
            'LBL_PANEL_OPEN_SOURCE', 'LBL_PANEL_LIST_VIEW', 'LBL_PANEL_TIMELINE_VIEW', 'LBL_PANEL_LEGEND',
            'LBL_PANEL_VIA_ACCOUNT', 'LBL_PANEL_OPEN_JOURNEY', 'LBL_PANEL_NO_SUBJECT', 'LBL_PANEL_NOSCRIPT',
            'LBL_PANEL_TODAY', 'LBL_PANEL_UPCOMING', 'LBL_PANEL_UPCOMING_COUNT', 'LBL_PANEL_UPCOMING_LEGEND',
            'LBL_PANEL_CORRECTED', 'LBL_PANEL_CORRECT', 'LBL_PANEL_KEEP', 'LBL_PANEL_USE_RULES',
            'LBL_PANEL_CORRECT_SAVED', 'LBL_PANEL_CORRECT_FAILED',
        );
        $labels = array();
        foreach ($keys as $key) {
            $value = self::label($key, '');
            if ($value !== '') {
                $labels[$key] = $value;
            }
        }

        return $labels;
    }

    /**
     * @param string $key
     * @param string $default
     * @return string
     */
    private static function label($key, $default)
    {
        if (function_exists('translate')) {
            $value = translate($key, self::MODULE);
            if (is_string($value) && $value !== '' && $value !== $key) {
                return html_entity_decode($value, ENT_QUOTES, 'UTF-8');
            }
        }

        return $default;
    }

    /**
     * The dropdown labels the panel shows, in the user's language.
     *
     * @return array<string, array<string, string>>
     */
    private static function lists()
    {
        global $app_list_strings;
        $names = array(
            'stage' => 'cj_stage_dom', 'status' => 'cj_status_dom', 'channel' => 'cj_channel_dom',
            'mode' => 'cj_mode_dom', 'managed_by' => 'cj_managed_by_dom', 'direction' => 'cj_direction_dom',
            'correction' => 'cj_correction_dom',
        );
        $lists = array();
        foreach ($names as $key => $dom) {
            $lists[$key] = array();
            if (isset($app_list_strings[$dom]) && is_array($app_list_strings[$dom])) {
                foreach ($app_list_strings[$dom] as $value => $label) {
                    $lists[$key][(string) $value] = html_entity_decode((string) $label, ENT_QUOTES, 'UTF-8');
                }
            }
        }
        $lists['modules'] = array();
        if (isset($app_list_strings['moduleListSingular']) && is_array($app_list_strings['moduleListSingular'])) {
            foreach ($app_list_strings['moduleListSingular'] as $value => $label) {
                $lists['modules'][(string) $value] = html_entity_decode((string) $label, ENT_QUOTES, 'UTF-8');
            }
        }

        return $lists;
    }

    /**
     * The user's date format (PHP letters, e.g. d/m/Y), time format and time zone.
     *
     * @return array<string, string>
     */
    private static function locale()
    {
        global $current_user, $current_language;
        $locale = array('date' => 'Y-m-d', 'time' => 'H:i', 'tz' => 'UTC', 'lang' => 'en');
        if (!empty($current_user) && method_exists($current_user, 'getPreference')) {
            $date = $current_user->getPreference('datef');
            $time = $current_user->getPreference('timef');
            $tz = $current_user->getPreference('timezone');
            if (is_string($date) && $date !== '') {
                $locale['date'] = $date;
            }
            if (is_string($time) && $time !== '') {
                $locale['time'] = $time;
            }
            if (is_string($tz) && $tz !== '') {
                $locale['tz'] = $tz;
            }
        }
        if (is_string($current_language) && $current_language !== '') {
            $locale['lang'] = substr($current_language, 0, 2);
        }

        return $locale;
    }

    /**
     * @return string a suffix that changes when the JS or CSS changes
     */
    private static function assetVersion()
    {
        $js = @filemtime(self::ASSET_JS);
        $css = @filemtime(self::ASSET_CSS);

        return (string) max((int) $js, (int) $css);
    }

    /**
     * @param string $text
     * @return string
     */
    private static function e($text)
    {
        return htmlspecialchars((string) $text, ENT_QUOTES, 'UTF-8');
    }
}

/**
 * Vardef function field "journey_panel" of CJ_Journeys: the timeline on the record's own detail view.
 *
 * @param SugarBean $focus
 * @param string $field
 * @param mixed $value
 * @param string $view
 * @return string
 */
function cj_journey_panel_field($focus, $field = '', $value = '', $view = 'DetailView')
{
    if ($view !== 'DetailView') {
        return '';
    }

    return CJ_JourneyPanel::forJourney($focus);
}
