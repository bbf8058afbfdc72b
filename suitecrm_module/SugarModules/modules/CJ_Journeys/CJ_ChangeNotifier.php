<?php
/**
 * Signed change notifications to the suitejourney connector (`suitejourney serve`).
 *
 * Configured by the admin in config_override.php, never in code:
 *
 *     $sugar_config['cj_notify_url'] = 'https://journey.example.com:8765/notify';
 *     $sugar_config['cj_notify_secret'] = '<the connector's webhook_secret>';
 *     $sugar_config['cj_notify_timeout'] = 1;    // seconds, at most 1 (the default)
 *     $sugar_config['cj_notify_queue'] = true;   // keep failed notifications and resend them
 *
 * Without a URL and a secret it does nothing. A notification is
 * {"events":[{"module","id","event","time"}],"nonce"} posted with the headers
 * X-Journey-Timestamp (Unix time) and X-Journey-Signature: sha256=<hex HMAC-SHA256,
 * keyed with the secret, of "<timestamp>.<body>">; the connector refuses it when
 * the signature is wrong or the timestamp more than five minutes off.
 *
 * It never slows or breaks a user's save: each post waits one second at most;
 * after a failure the rest of the request's changes are not posted but queued;
 * every error is logged and swallowed. With cj_notify_queue, failed changes go
 * to the table cj_notify_queue (created when first needed, at most QUEUE_LIMIT
 * rows) and are resent, up to MAX_EVENTS at a time, after the next successful
 * post. The connector's scheduled sync remains the safety net either way.
 */
if (!defined('sugarEntry') || !sugarEntry) {
    die('Not A Valid Entry Point');
}

class CJ_ChangeNotifier
{
    const MAX_TIMEOUT = 1.0;
    const MAX_EVENTS = 100;
    const QUEUE_TABLE = 'cj_notify_queue';
    const QUEUE_LIMIT = 10000;

    /** @var array<string, bool> changes already sent in this request */
    private static $seen = array();
    /** @var bool a post failed in this request: queue the rest without trying */
    private static $failed = false;
    /** @var bool queued changes were resent in this request */
    private static $resent = false;

    /**
     * The configuration, or null when notifications are not configured.
     *
     * @return array|null
     */
    public static function config()
    {
        $config = isset($GLOBALS['sugar_config']) && is_array($GLOBALS['sugar_config']) ? $GLOBALS['sugar_config'] : array();
        $url = isset($config['cj_notify_url']) ? trim((string) $config['cj_notify_url']) : '';
        $secret = isset($config['cj_notify_secret']) ? (string) $config['cj_notify_secret'] : '';
        if ($url === '' || $secret === '' || !preg_match('#^https?://#i', $url)) {
            return null;
        }
        $timeout = isset($config['cj_notify_timeout']) ? (float) $config['cj_notify_timeout'] : self::MAX_TIMEOUT;
        if ($timeout <= 0 || $timeout > self::MAX_TIMEOUT) {
            $timeout = self::MAX_TIMEOUT;
        }

        return array(
            'url' => $url,
            'secret' => $secret,
            'timeout' => $timeout,
            'queue' => !empty($config['cj_notify_queue']),
        );
    }

    /**
     * The X-Journey-Signature value of a body sent at a timestamp.
     *
     * @param string $secret
     * @param string|int $timestamp
     * @param string $body
     * @return string
     */
    public static function sign($secret, $timestamp, $body)
    {
        return 'sha256=' . hash_hmac('sha256', ((string) $timestamp) . '.' . $body, $secret);
    }

    /**
     * @param array $events list of array('module', 'id', 'event', 'time')
     * @param string $nonce
     * @return string
     */
    public static function body(array $events, $nonce)
    {
        return (string) json_encode(array('events' => array_values($events), 'nonce' => $nonce));
    }

    /**
     * One change, as the connector reads it.
     *
     * @return array
     */
    public static function change($module, $id, $event, $time = null)
    {
        return array(
            'module' => (string) $module,
            'id' => (string) $id,
            'event' => (string) $event,
            'time' => $time === null ? gmdate('Y-m-d H:i:s') : (string) $time,
        );
    }

    /**
     * Tell the connector that a record changed. Never throws.
     *
     * @param string $module
     * @param string $id
     * @param string $event after_save, after_delete or after_relationship_add
     * @return void
     */
    public static function notify($module, $id, $event)
    {
        try {
            $config = self::config();
            if ($config === null) {
                return;
            }
            $key = $module . ':' . $id . ':' . $event;
            if (isset(self::$seen[$key])) {
                return; // one notice per record and event per request
            }
            self::$seen[$key] = true;
            $change = self::change($module, $id, $event);
            if (self::$failed) {
                self::enqueue($config, array($change));

                return;
            }
            if (!self::post($config, array($change))) {
                self::$failed = true;
                self::enqueue($config, array($change));

                return;
            }
            if ($config['queue'] && !self::$resent) {
                self::$resent = true;
                self::resendQueued($config);
            }
        } catch (\Throwable $e) {
            self::log('error', 'could not notify the journey connector: ' . $e->getMessage());
        }
    }

    /**
     * Post changes; true when the connector accepted them.
     *
     * @return bool
     */
    public static function post(array $config, array $changes)
    {
        $body = self::body($changes, bin2hex(random_bytes(8)));
        $timestamp = (string) time();
        $headers = array(
            'Content-Type: application/json',
            'X-Journey-Timestamp: ' . $timestamp,
            'X-Journey-Signature: ' . self::sign($config['secret'], $timestamp, $body),
        );
        $status = self::send($config['url'], $headers, $body, $config['timeout']);
        if ($status >= 200 && $status < 300) {
            return true;
        }
        if ($status === 0) {
            self::log('warn', 'the journey connector did not answer at ' . self::safeUrl($config['url']));
        } elseif ($status === 401) {
            self::log('error', 'the journey connector refused the signature (HTTP 401): check that '
                . "\$sugar_config['cj_notify_secret'] equals its webhook_secret and that both clocks are right");
        } else {
            self::log('warn', 'the journey connector answered HTTP ' . $status);
        }

        return false;
    }

    /**
     * POST with a hard time limit; the HTTP status, or 0 when there was no answer.
     *
     * @return int
     */
    public static function send($url, array $headers, $body, $timeout)
    {
        $milliseconds = (int) max(1, round($timeout * 1000));
        if (function_exists('curl_init')) {
            $curl = curl_init($url);
            curl_setopt_array($curl, array(
                CURLOPT_POST => true,
                CURLOPT_POSTFIELDS => $body,
                CURLOPT_HTTPHEADER => $headers,
                CURLOPT_RETURNTRANSFER => true,
                CURLOPT_FOLLOWLOCATION => false,
                CURLOPT_NOSIGNAL => true,
                CURLOPT_CONNECTTIMEOUT_MS => $milliseconds,
                CURLOPT_TIMEOUT_MS => $milliseconds,
            ));
            $answer = curl_exec($curl);
            $status = $answer === false ? 0 : (int) curl_getinfo($curl, CURLINFO_HTTP_CODE);
            curl_close($curl);

            return $status;
        }
        $context = stream_context_create(array(
            'http' => array(
                'method' => 'POST',
                'header' => implode("\r\n", $headers),
                'content' => $body,
                'timeout' => $timeout,
                'ignore_errors' => true,
                'follow_location' => 0,
            ),
        ));
        $previous = ini_get('default_socket_timeout');
        ini_set('default_socket_timeout', '1'); // the connect phase of the http wrapper
        $http_response_header = array();
        $started = microtime(true);
        $answer = @file_get_contents($url, false, $context);
        ini_set('default_socket_timeout', (string) $previous);
        if ($answer === false && microtime(true) - $started >= $timeout) {
            return 0;
        }
        if (isset($http_response_header[0]) && preg_match('#^HTTP/\S+\s+(\d{3})#', $http_response_header[0], $match)) {
            return (int) $match[1];
        }

        return 0;
    }

    /**
     * Keep changes for a later resend (when cj_notify_queue is on).
     *
     * @return void
     */
    public static function enqueue(array $config, array $changes)
    {
        if (!$config['queue']) {
            return;
        }
        try {
            $db = self::db();
            if ($db === null || !self::ensureQueue($db)) {
                return;
            }
            $result = $db->query('SELECT COUNT(*) AS queued FROM ' . self::QUEUE_TABLE);
            $row = $result ? $db->fetchByAssoc($result) : false;
            if ($row && (int) $row['queued'] >= self::QUEUE_LIMIT) {
                self::log('warn', 'the journey notification queue is full; the next sync reads the change');

                return;
            }
            $now = gmdate('Y-m-d H:i:s');
            foreach ($changes as $change) {
                $db->query(sprintf(
                    'INSERT INTO %s (id, module, record_id, event, event_time, date_entered) VALUES (%s, %s, %s, %s, %s, %s)',
                    self::QUEUE_TABLE,
                    $db->quoted(create_guid()),
                    $db->quoted($change['module']),
                    $db->quoted($change['id']),
                    $db->quoted($change['event']),
                    $db->quoted($change['time']),
                    $db->quoted($now)
                ));
            }
        } catch (\Throwable $e) {
            self::log('error', 'could not queue a journey notification: ' . $e->getMessage());
        }
    }

    /**
     * Resend the oldest queued changes (one post); delete them when accepted.
     *
     * @return int the number resent
     */
    public static function resendQueued(array $config)
    {
        $db = self::db();
        if ($db === null || !$db->tableExists(self::QUEUE_TABLE)) {
            return 0;
        }
        $result = $db->limitQuery(
            'SELECT id, module, record_id, event, event_time FROM ' . self::QUEUE_TABLE . ' ORDER BY date_entered, id',
            0,
            self::MAX_EVENTS
        );
        $ids = array();
        $changes = array();
        while ($result && ($row = $db->fetchByAssoc($result, false))) {
            $ids[] = $db->quoted($row['id']);
            $changes[] = self::change($row['module'], $row['record_id'], $row['event'], $row['event_time']);
        }
        if (!$changes || !self::post($config, $changes)) {
            return 0;
        }
        $db->query('DELETE FROM ' . self::QUEUE_TABLE . ' WHERE id IN (' . implode(', ', $ids) . ')');

        return count($changes);
    }

    /**
     * The queue table, created when first needed.
     *
     * @return bool
     */
    private static function ensureQueue($db)
    {
        if ($db->tableExists(self::QUEUE_TABLE)) {
            return true;
        }
        $fields = array(
            'id' => array('name' => 'id', 'type' => 'id', 'required' => true),
            'module' => array('name' => 'module', 'type' => 'varchar', 'len' => 100),
            'record_id' => array('name' => 'record_id', 'type' => 'id'),
            'event' => array('name' => 'event', 'type' => 'varchar', 'len' => 40),
            'event_time' => array('name' => 'event_time', 'type' => 'datetime'),
            'date_entered' => array('name' => 'date_entered', 'type' => 'datetime'),
        );
        $indices = array(
            array('name' => 'cj_notify_queuepk', 'type' => 'primary', 'fields' => array('id')),
            array('name' => 'idx_cj_notify_queue_date', 'type' => 'index', 'fields' => array('date_entered')),
        );
        $db->createTableParams(self::QUEUE_TABLE, $fields, $indices);

        return (bool) $db->tableExists(self::QUEUE_TABLE);
    }

    private static function db()
    {
        if (isset($GLOBALS['db']) && is_object($GLOBALS['db'])) {
            return $GLOBALS['db'];
        }

        return class_exists('DBManagerFactory') ? DBManagerFactory::getInstance() : null;
    }

    /** The URL without user, password or query, for the log. */
    private static function safeUrl($url)
    {
        $parts = parse_url($url);
        if (!is_array($parts) || !isset($parts['host'])) {
            return '(the configured URL)';
        }
        $port = isset($parts['port']) ? ':' . $parts['port'] : '';
        $path = isset($parts['path']) ? $parts['path'] : '';

        return (isset($parts['scheme']) ? $parts['scheme'] : 'http') . '://' . $parts['host'] . $port . $path;
    }

    private static function log($level, $message)
    {
        if (isset($GLOBALS['log']) && is_object($GLOBALS['log'])) {
            $GLOBALS['log']->$level('CJ change notification: ' . $message);
        }
    }

    /** Forget this request's state (tests; a long-running worker process). */
    public static function reset()
    {
        self::$seen = array();
        self::$failed = false;
        self::$resent = false;
    }
}
