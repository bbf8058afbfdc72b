/**
 * Customer journey panel for SuiteCRM 7 detail views (Accounts, Contacts, CJ_Journeys).
 *
 * Reads the payload that CJ_JourneyPanel.php prints as JSON (the timeline
 * of timeline_json versions 1 and 2, which share one layout; labels, dropdown labels, the user's date format and time zone, the
 * server's "now") and draws the five stages as lanes across time, one mark per
 * touchpoint shaped by channel, the stage entry dates, the current stage, status
 * and health score, a "today" line, and beyond it the upcoming touchpoints
 * (timeline_json "up": planned calls and meetings) as dashed marks that count
 * for nothing yet.
 *
 * Rules this file keeps:
 * - every string from the data goes into the page through textContent or
 *   setAttribute, never through innerHTML: subjects come from customers' e-mails;
 * - links to source records are built only from a module matching ^[A-Za-z_]+$
 *   and an id matching ^[A-Za-z0-9-]+$;
 * - bad or missing data shows a message, never throws out of mountAll();
 * - no library, no network: plain ES5 that runs in any browser SuiteCRM 7 supports.
 */
(function (window, document) {
    'use strict';

    var SVG_NS = 'http://www.w3.org/2000/svg';
    var STAGES = ['awareness', 'evaluation', 'decision', 'purchase', 'loyalty'];
    var CHANNELS = ['email', 'phone', 'meeting', 'web', 'social', 'campaign', 'event', 'store',
        'support', 'document', 'other'];
    var STATUSES = ['active', 'won', 'lost', 'stalled', 'at_risk'];
    var MODULE_RE = /^[A-Za-z_]+$/;
    var ID_RE = /^[A-Za-z0-9-]+$/;
    var DAY = 86400000;
    var NARROW_WIDTH = 640;
    var LANE_ROWS = 3;

    var DEFAULT_LABELS = {
        LBL_PANEL_TITLE: 'Customer journey',
        LBL_PANEL_EMPTY: 'No touchpoints yet. They appear after the connector\'s next sync.',
        LBL_PANEL_NO_JOURNEY: 'No journey has been recorded for this customer yet. It appears after the connector\'s next sync.',
        LBL_PANEL_INVALID: 'The journey data of this record could not be read. Run a sync again; if this persists, tell your administrator.',
        LBL_PANEL_MISSING: 'This journey has no timeline yet. It appears after the connector\'s next sync.',
        LBL_PANEL_SHOWING: 'Showing the last {shown} of {total} touchpoints',
        LBL_PANEL_ALL_SHOWN: '{total} touchpoints',
        LBL_PANEL_ENTERED: 'since {date}',
        LBL_PANEL_NOT_REACHED: 'not reached',
        LBL_PANEL_CURRENT: 'current stage',
        LBL_PANEL_DAYS_IN_STAGE: '{days} days in stage',
        LBL_PANEL_HEALTH: 'Health',
        LBL_PANEL_COST: 'Cost to serve',
        LBL_PANEL_COST_SPLIT: 'acquisition {acquisition} · service {service}',
        LBL_PANEL_STATUS: 'Status',
        LBL_PANEL_STAGE: 'Stage',
        LBL_PANEL_TOUCHPOINTS: 'Touchpoints',
        LBL_PANEL_DATE: 'Date',
        LBL_PANEL_SUBJECT: 'Subject',
        LBL_PANEL_CHANNEL: 'Channel',
        LBL_PANEL_MODE: 'Mode',
        LBL_PANEL_MANAGED_BY: 'Managed by',
        LBL_PANEL_DIRECTION: 'Direction',
        LBL_PANEL_RULE: 'Rule',
        LBL_PANEL_SOURCE: 'Source',
        LBL_PANEL_OPEN_SOURCE: 'Click to open the source record',
        LBL_PANEL_LIST_VIEW: 'Show as list',
        LBL_PANEL_TIMELINE_VIEW: 'Show as timeline',
        LBL_PANEL_LEGEND: 'Filled: online, hollow: offline, dashed outline: third party',
        LBL_PANEL_VIA_ACCOUNT: 'Journey of the account {account}',
        LBL_PANEL_OPEN_JOURNEY: 'Open the journey record',
        LBL_PANEL_NO_SUBJECT: '(no subject)',
        LBL_PANEL_TODAY: 'Today',
        LBL_PANEL_UPCOMING: 'Upcoming',
        LBL_PANEL_UPCOMING_COUNT: '{count} upcoming',
        LBL_PANEL_UPCOMING_LEGEND: 'Dashed, beyond the today line: planned, not happened yet',
        LBL_PANEL_CORRECTED: 'Corrected; the rules gave',
        LBL_PANEL_CORRECT: 'Correct the stage of {subject}',
        LBL_PANEL_KEEP: 'Correct…',
        LBL_PANEL_USE_RULES: 'As the rules say',
        LBL_PANEL_CORRECT_SAVED: 'Saved: the journey changes at the next sync',
        LBL_PANEL_CORRECT_FAILED: 'Not saved'
    };

    var DEFAULT_LISTS = {
        stage: {awareness: 'Awareness', evaluation: 'Evaluation', decision: 'Decision', purchase: 'Purchase',
            loyalty: 'Loyalty'},
        status: {active: 'Active', won: 'Won', lost: 'Lost', stalled: 'Stalled', at_risk: 'At risk'},
        channel: {email: 'Email', phone: 'Phone', meeting: 'Meeting', web: 'Web', social: 'Social',
            campaign: 'Campaign', event: 'Event', store: 'Store', support: 'Support', document: 'Document',
            other: 'Other'},
        mode: {online: 'Online', offline: 'Offline'},
        managed_by: {company: 'Company', third_party: 'Third party'},
        direction: {inbound: 'Inbound', outbound: 'Outbound', none: 'None'},
        correction: {awareness: 'Awareness', evaluation: 'Evaluation', decision: 'Decision',
            purchase: 'Purchase', loyalty: 'Loyalty', not_a_touchpoint: 'Not a touchpoint'},
        modules: {}
    };
    var CORRECTIONS = ['awareness', 'evaluation', 'decision', 'purchase', 'loyalty', 'not_a_touchpoint'];

    // ---------------------------------------------------------------- small helpers

    function own(obj, key) {
        return obj !== null && typeof obj === 'object' && Object.prototype.hasOwnProperty.call(obj, key);
    }

    function text(value) {
        if (typeof value === 'string') {
            return value;
        }
        if (typeof value === 'number' && isFinite(value)) {
            return String(value);
        }
        return '';
    }

    function indexOf(list, value) {
        for (var i = 0; i < list.length; i++) {
            if (list[i] === value) {
                return i;
            }
        }
        return -1;
    }

    function el(tag, className, content) {
        var node = document.createElement(tag);
        if (className) {
            node.className = className;
        }
        if (content !== undefined && content !== null) {
            node.textContent = content;
        }
        return node;
    }

    function svgEl(tag, attrs) {
        var node = document.createElementNS(SVG_NS, tag);
        if (attrs) {
            for (var key in attrs) {
                if (own(attrs, key)) {
                    node.setAttribute(key, String(attrs[key]));
                }
            }
        }
        return node;
    }

    function fill(template, values) {
        return String(template).replace(/\{(\w+)\}/g, function (match, key) {
            return own(values, key) ? String(values[key]) : match;
        });
    }

    function parseTime(value) {
        if (typeof value !== 'string' || value.length < 10 || value.length > 40) {
            return null;
        }
        var t = Date.parse(value);
        return isNaN(t) ? null : t;
    }

    function sourceUrl(module, id) {
        if (typeof module !== 'string' || typeof id !== 'string' || !MODULE_RE.test(module) || !ID_RE.test(id)) {
            return null;
        }
        return 'index.php?module=' + encodeURIComponent(module) + '&action=DetailView&record=' +
            encodeURIComponent(id);
    }

    function formatNumber(n) {
        return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    }

    // ---------------------------------------------------------------- dates in the user's format

    function DateFormatter(locale) {
        locale = locale || {};
        this.dateFormat = typeof locale.date === 'string' && locale.date ? locale.date : 'Y-m-d';
        this.timeFormat = typeof locale.time === 'string' && locale.time ? locale.time : 'H:i';
        this.lang = typeof locale.lang === 'string' && /^[a-z]{2}$/.test(locale.lang) ? locale.lang : 'en';
        this.parts = null;
        this.monthFormat = null;
        var tz = typeof locale.tz === 'string' && locale.tz ? locale.tz : 'UTC';
        try {
            if (window.Intl && Intl.DateTimeFormat && Intl.DateTimeFormat.prototype.formatToParts) {
                this.parts = new Intl.DateTimeFormat('en-US', {
                    timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit',
                    hour: '2-digit', minute: '2-digit', hour12: false
                });
                this.monthFormat = new Intl.DateTimeFormat(this.lang, {timeZone: tz, month: 'short', year: 'numeric'});
            }
        } catch (e) {
            this.parts = null;   // unknown time zone: fall back to UTC below
            this.monthFormat = null;
        }
    }

    DateFormatter.prototype.fields = function (t) {
        var d = new Date(t);
        if (this.parts) {
            var out = {};
            var list = this.parts.formatToParts(d);
            for (var i = 0; i < list.length; i++) {
                out[list[i].type] = list[i].value;
            }
            var hour = parseInt(out.hour, 10) % 24;
            return {Y: parseInt(out.year, 10), m: parseInt(out.month, 10), d: parseInt(out.day, 10),
                H: hour, i: parseInt(out.minute, 10)};
        }
        return {Y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), H: d.getUTCHours(),
            i: d.getUTCMinutes()};
    };

    DateFormatter.prototype.apply = function (format, f) {
        var pad = function (n) { return n < 10 ? '0' + n : String(n); };
        var out = '';
        for (var i = 0; i < format.length; i++) {
            var c = format.charAt(i);
            switch (c) {
            case 'Y': out += f.Y; break;
            case 'y': out += pad(f.Y % 100); break;
            case 'm': out += pad(f.m); break;
            case 'n': out += f.m; break;
            case 'd': out += pad(f.d); break;
            case 'j': out += f.d; break;
            case 'H': out += pad(f.H); break;
            case 'G': out += f.H; break;
            case 'h': out += pad(f.H % 12 === 0 ? 12 : f.H % 12); break;
            case 'g': out += (f.H % 12 === 0 ? 12 : f.H % 12); break;
            case 'i': out += pad(f.i); break;
            case 'a': out += f.H < 12 ? 'am' : 'pm'; break;
            case 'A': out += f.H < 12 ? 'AM' : 'PM'; break;
            default: out += c;
            }
        }
        return out;
    };

    DateFormatter.prototype.date = function (t) {
        return this.apply(this.dateFormat, this.fields(t));
    };

    DateFormatter.prototype.dateTime = function (t) {
        var f = this.fields(t);
        return this.apply(this.dateFormat, f) + ' ' + this.apply(this.timeFormat, f);
    };

    DateFormatter.prototype.month = function (t) {
        if (this.monthFormat) {
            try {
                return this.monthFormat.format(new Date(t));
            } catch (e) {
                // fall through
            }
        }
        var f = this.fields(t);
        return f.Y + '-' + (f.m < 10 ? '0' + f.m : f.m);
    };

    // ---------------------------------------------------------------- data

    /** The cost to serve of a timeline ({total, acquisition, service, currency}), or null. */
    function readCost(cost) {
        if (!cost || typeof cost !== 'object') {
            return null;
        }
        var amount = function (v) { return typeof v === 'number' && isFinite(v) && v >= 0 ? v : null; };
        var total = amount(cost.total);
        if (total === null) {
            return null;
        }
        var currency = text(cost.currency);
        return {
            total: total,
            acquisition: amount(cost.acquisition),
            service: amount(cost.service),
            currency: /^[A-Za-z\u00a3\u20ac$]{1,10}$/.test(currency) ? currency : ''
        };
    }

    /** An amount for people: thousands separated, no decimals from 100 up, two below. */
    function formatMoney(value) {
        if (value === null) {
            return '-';
        }
        var fixed = value >= 100 ? Math.round(value).toString() : value.toFixed(2);
        var parts = fixed.split('.');
        return formatNumber(parts[0]) + (parts.length > 1 ? '.' + parts[1] : '');
    }

    /** Turn the raw payload into a checked model; never throws on bad data. */
    function buildModel(payload) {
        var model = {error: null, touchpoints: [], upcoming: [], skipped: 0, entered: {}, counts: {}};
        if (!payload || typeof payload !== 'object') {
            model.error = 'invalid';
            return model;
        }
        var timeline = payload.timeline;
        if (timeline === null || timeline === undefined) {
            if (payload.error === 'none' || !payload.journey) {
                model.error = 'no_journey';
            } else {
                model.error = payload.error === 'missing' ? 'missing' : 'invalid';
            }
            return model;
        }
        if (typeof timeline !== 'object' || (timeline.v !== 1 && timeline.v !== 2) ||
                !(timeline.tp instanceof Array)) {
            model.error = 'invalid';
            return model;
        }
        var customer = timeline.customer && typeof timeline.customer === 'object' ? timeline.customer : {};
        model.customerName = text(customer.name);
        model.stage = indexOf(STAGES, timeline.stage) >= 0 ? timeline.stage : null;
        model.status = text(timeline.status);
        model.health = typeof timeline.health === 'number' && isFinite(timeline.health) ?
            Math.max(0, Math.min(100, Math.round(timeline.health))) : null;
        model.cost = readCost(timeline.cost);
        model.daysInStage = typeof timeline.days_in_stage === 'number' && isFinite(timeline.days_in_stage) ?
            Math.max(0, Math.round(timeline.days_in_stage)) : null;
        var entered = timeline.entered && typeof timeline.entered === 'object' ? timeline.entered : {};
        var counts = timeline.counts && typeof timeline.counts === 'object' ? timeline.counts : {};
        for (var s = 0; s < STAGES.length; s++) {
            model.entered[STAGES[s]] = parseTime(entered[STAGES[s]]);
            model.counts[STAGES[s]] = 0;
            model.countsDeclared = model.countsDeclared || {};
            model.countsDeclared[STAGES[s]] = typeof counts[STAGES[s]] === 'number' ? counts[STAGES[s]] : null;
        }
        for (var i = 0; i < timeline.tp.length; i++) {
            var item = readRow(timeline.tp[i], i, false);
            if (item === null) {
                model.skipped++;
                continue;
            }
            model.touchpoints.push(item);
            model.counts[item.stage]++;
        }
        var up = timeline.up instanceof Array ? timeline.up : [];
        for (var u = 0; u < up.length; u++) {
            var planned = readRow(up[u], timeline.tp.length + u, true);
            if (planned !== null) {
                model.upcoming.push(planned);
            }
        }
        var byTime = function (a, b) { return a.t - b.t || a.index - b.index; };
        model.touchpoints.sort(byTime);
        model.upcoming.sort(byTime);
        model.upTotal = Math.max(model.upcoming.length, typeof timeline.up_total === 'number' &&
            isFinite(timeline.up_total) ? Math.round(timeline.up_total) : 0);
        model.now = parseTime(payload.now);
        if (model.now === null) {
            model.now = new Date().getTime();
        }
        model.shown = model.touchpoints.length;
        var total = typeof timeline.total === 'number' && isFinite(timeline.total) ? Math.round(timeline.total) : 0;
        model.total = Math.max(total, model.shown + model.skipped);
        var lo = null;
        var hi = null;
        var consider = function (v) {
            if (v === null) {
                return;
            }
            lo = lo === null || v < lo ? v : lo;
            hi = hi === null || v > hi ? v : hi;
        };
        for (var k = 0; k < model.touchpoints.length; k++) {
            consider(model.touchpoints[k].t);
        }
        for (var e = 0; e < STAGES.length; e++) {
            consider(model.entered[STAGES[e]]);
        }
        if (model.upcoming.length > 0) {
            // The future is drawn only when something is planned, up to the last planned mark.
            consider(model.now);
            consider(model.upcoming[model.upcoming.length - 1].t);
        } else if (lo !== null && model.now >= lo && model.now - hi < 400 * DAY) {
            consider(model.now);  // the today line, unless it would squash a journey long over
        }
        if (lo !== null) {
            var span = Math.max(hi - lo, DAY);
            model.t0 = lo - span * 0.02;
            model.t1 = hi + span * 0.02;
            if (hi - lo < DAY) {
                model.t0 = lo - DAY;
                model.t1 = hi + DAY;
            }
        }
        return model;
    }

    /** One fixed-order array of timeline_json ("tp" or "up") as a touchpoint, or null. */
    function readRow(row, index, upcoming) {
        var t = row instanceof Array ? parseTime(row[0]) : null;
        var stage = row instanceof Array ? row[1] : null;
        if (t === null || indexOf(STAGES, stage) < 0) {
            return null;
        }
        return {
            index: index,
            t: t,
            stage: stage,
            channel: indexOf(CHANNELS, row[2]) >= 0 ? row[2] : 'other',
            channelRaw: text(row[2]),
            subject: text(row[3]),
            module: text(row[4]),
            id: text(row[5]),
            mode: text(row[6]),
            managedBy: text(row[7]),
            direction: text(row[8]),
            rule: text(row[9]),
            // the rules' stage when a person corrected this touchpoint in SuiteCRM
            correctedFrom: indexOf(STAGES, row[10]) >= 0 ? row[10] : '',
            url: sourceUrl(row[4], row[5]),
            upcoming: upcoming
        };
    }

    // ---------------------------------------------------------------- marks

    /** An SVG shape per channel, centred on (x, y), r = half size. */
    function shape(channel, x, y, r) {
        var p = function (points) {
            var d = '';
            for (var i = 0; i < points.length; i++) {
                d += (i === 0 ? 'M' : 'L') + (x + points[i][0] * r).toFixed(1) + ' ' + (y + points[i][1] * r).toFixed(1);
            }
            return svgEl('path', {d: d + 'Z', 'class': 'cj-shape'});
        };
        var poly = function (n, rot) {
            var pts = [];
            for (var i = 0; i < n; i++) {
                var a = rot + i * 2 * Math.PI / n;
                pts.push([Math.cos(a), Math.sin(a)]);
            }
            return p(pts);
        };
        switch (channel) {
        case 'email':
            return svgEl('circle', {cx: x, cy: y, r: r, 'class': 'cj-shape'});
        case 'phone':
            return svgEl('rect', {x: x - r * 0.85, y: y - r * 0.85, width: r * 1.7, height: r * 1.7, 'class': 'cj-shape'});
        case 'meeting':
            return p([[0, -1.1], [1.1, 0], [0, 1.1], [-1.1, 0]]);
        case 'web':
            return p([[0, -1.1], [1, 0.8], [-1, 0.8]]);
        case 'social':
            return p([[-1, -0.8], [1, -0.8], [0, 1.1]]);
        case 'campaign':
            var star = [];
            for (var i = 0; i < 10; i++) {
                var a = -Math.PI / 2 + i * Math.PI / 5;
                var rr = i % 2 === 0 ? 1.2 : 0.5;
                star.push([Math.cos(a) * rr, Math.sin(a) * rr]);
            }
            return p(star);
        case 'event':
            return poly(5, -Math.PI / 2);
        case 'store':
            return poly(6, 0);
        case 'support':
            return p([[-0.35, -1], [0.35, -1], [0.35, -0.35], [1, -0.35], [1, 0.35], [0.35, 0.35], [0.35, 1],
                [-0.35, 1], [-0.35, 0.35], [-1, 0.35], [-1, -0.35], [-0.35, -0.35]]);
        case 'document':
            return svgEl('rect', {x: x - r * 0.7, y: y - r, width: r * 1.4, height: r * 2, 'class': 'cj-shape'});
        default:
            return svgEl('circle', {cx: x, cy: y, r: r * 0.75, 'class': 'cj-shape cj-shape-other'});
        }
    }

    // ---------------------------------------------------------------- the panel

    function Panel(host, payload) {
        this.host = host;
        this.payload = payload && typeof payload === 'object' ? payload : {};
        this.labels = {};
        var key;
        for (key in DEFAULT_LABELS) {
            if (own(DEFAULT_LABELS, key)) {
                this.labels[key] = DEFAULT_LABELS[key];
            }
        }
        var given = this.payload.labels;
        for (key in given) {
            if (own(given, key) && typeof given[key] === 'string' && given[key] !== '') {
                this.labels[key] = given[key];
            }
        }
        this.lists = this.payload.lists && typeof this.payload.lists === 'object' ? this.payload.lists : {};
        this.dates = new DateFormatter(this.payload.locale);
        this.model = buildModel(this.payload);
        this.view = 'timeline';
    }

    Panel.prototype.label = function (key) {
        return own(this.labels, key) ? this.labels[key] : key;
    };

    Panel.prototype.option = function (list, value) {
        var given = this.lists[list];
        if (own(given, value) && typeof given[value] === 'string' && given[value] !== '') {
            return given[value];
        }
        if (own(DEFAULT_LISTS[list], value)) {
            return DEFAULT_LISTS[list][value];
        }
        return value;
    };

    Panel.prototype.render = function () {
        var root = el('div', 'cj-panel');
        this.root = root;
        root.appendChild(this.renderHeader());
        var m = this.model;
        if (m.error) {
            var key = {no_journey: 'LBL_PANEL_NO_JOURNEY', missing: 'LBL_PANEL_MISSING'}[m.error] || 'LBL_PANEL_INVALID';
            var message = el('div', 'cj-message cj-message-' + m.error, this.label(key));
            message.setAttribute('role', 'status');
            root.appendChild(message);
            return root;
        }
        root.appendChild(this.renderSummary());
        var note = el('div', 'cj-note');
        note.appendChild(el('span', 'cj-count', m.total > m.shown ?
            fill(this.label('LBL_PANEL_SHOWING'), {shown: formatNumber(m.shown), total: formatNumber(m.total)}) :
            fill(this.label('LBL_PANEL_ALL_SHOWN'), {total: formatNumber(m.shown)})));
        if (m.upTotal > 0) {
            note.appendChild(el('span', 'cj-upcoming-count', fill(this.label('LBL_PANEL_UPCOMING_COUNT'),
                {count: formatNumber(m.upTotal)})));
        }
        var via = this.payload.context && this.payload.context.via_account;
        if (typeof via === 'string' && via !== '') {
            note.appendChild(el('span', 'cj-via', fill(this.label('LBL_PANEL_VIA_ACCOUNT'), {account: via})));
        }
        root.appendChild(note);
        if (m.shown === 0) {
            var empty = el('div', 'cj-empty', this.label('LBL_PANEL_EMPTY'));
            empty.setAttribute('role', 'status');
            root.appendChild(empty);
        }
        this.timelineNode = this.renderLanes();
        root.appendChild(this.timelineNode);
        this.listNode = null;
        root.appendChild(this.renderLegend());
        this.tooltip = el('div', 'cj-tooltip');
        this.tooltip.setAttribute('role', 'tooltip');
        this.tooltip.style.display = 'none';
        root.appendChild(this.tooltip);
        return root;
    };

    Panel.prototype.renderHeader = function () {
        var header = el('div', 'cj-header');
        var title = el('h3', 'cj-title', this.label('LBL_PANEL_TITLE'));
        var name = this.model.customerName || (this.payload.journey && text(this.payload.journey.name));
        if (name) {
            title.appendChild(el('span', 'cj-customer', name));
        }
        header.appendChild(title);
        var tools = el('div', 'cj-tools');
        var journey = this.payload.journey;
        if (journey && typeof journey.id === 'string' && ID_RE.test(journey.id) &&
                !(this.payload.context && this.payload.context.module === 'CJ_Journeys')) {
            var open = el('a', 'cj-open-journey', this.label('LBL_PANEL_OPEN_JOURNEY'));
            open.setAttribute('href', sourceUrl('CJ_Journeys', journey.id));
            tools.appendChild(open);
        }
        if (!this.model.error && (this.model.shown > 0 || this.model.upcoming.length > 0)) {
            var toggle = el('button', 'cj-toggle button', this.label('LBL_PANEL_LIST_VIEW'));
            toggle.setAttribute('type', 'button');
            toggle.setAttribute('aria-pressed', 'false');
            var self = this;
            toggle.onclick = function () { self.toggleView(toggle); };
            tools.appendChild(toggle);
        }
        header.appendChild(tools);
        return header;
    };

    Panel.prototype.renderSummary = function () {
        var m = this.model;
        var summary = el('div', 'cj-summary');
        var item = function (label, value, cls) {
            var box = el('div', 'cj-summary-item' + (cls ? ' ' + cls : ''));
            box.appendChild(el('span', 'cj-summary-label', label));
            if (value !== null) {
                box.appendChild(el('span', 'cj-summary-value', value));
            }
            summary.appendChild(box);
            return box;
        };
        var stage = item(this.label('LBL_PANEL_STAGE'), m.stage ? this.option('stage', m.stage) : '-',
            'cj-summary-stage' + (m.stage ? ' cj-stage-' + m.stage : ''));
        if (m.daysInStage !== null) {
            stage.appendChild(el('span', 'cj-summary-sub', fill(this.label('LBL_PANEL_DAYS_IN_STAGE'),
                {days: m.daysInStage})));
        }
        var statusKnown = indexOf(STATUSES, m.status) >= 0;
        item(this.label('LBL_PANEL_STATUS'), m.status ? this.option('status', m.status) : '-',
            'cj-summary-status cj-status-' + (statusKnown ? m.status : 'unknown'));
        var health = item(this.label('LBL_PANEL_HEALTH'), m.health === null ? '-' : String(m.health),
            'cj-summary-health');
        if (m.health !== null) {
            var meter = el('span', 'cj-meter ' + (m.health < 40 ? 'cj-meter-bad' : m.health < 70 ? 'cj-meter-warn' :
                'cj-meter-good'));
            meter.setAttribute('role', 'meter');
            meter.setAttribute('aria-valuemin', '0');
            meter.setAttribute('aria-valuemax', '100');
            meter.setAttribute('aria-valuenow', String(m.health));
            meter.setAttribute('aria-label', this.label('LBL_PANEL_HEALTH'));
            var bar = el('span', 'cj-meter-bar');
            bar.style.width = m.health + '%';
            meter.appendChild(bar);
            health.appendChild(meter);
        }
        item(this.label('LBL_PANEL_TOUCHPOINTS'), formatNumber(m.total), 'cj-summary-total');
        if (m.cost !== null) {
            var cost = item(this.label('LBL_PANEL_COST'),
                (formatMoney(m.cost.total) + ' ' + m.cost.currency).replace(/\s+$/, ''), 'cj-summary-cost');
            if (m.cost.acquisition !== null && m.cost.service !== null) {
                cost.appendChild(el('span', 'cj-summary-sub', fill(this.label('LBL_PANEL_COST_SPLIT'),
                    {acquisition: formatMoney(m.cost.acquisition), service: formatMoney(m.cost.service)})));
            }
        }
        return summary;
    };

    Panel.prototype.renderLanes = function () {
        var m = this.model;
        var box = el('div', 'cj-lanes');
        this.tracks = [];
        for (var s = 0; s < STAGES.length; s++) {
            var stage = STAGES[s];
            var lane = el('div', 'cj-lane cj-stage-' + stage + (stage === m.stage ? ' cj-lane-current' : ''));
            lane.setAttribute('data-stage', stage);
            var label = el('div', 'cj-lane-label');
            label.appendChild(el('span', 'cj-lane-name', this.option('stage', stage)));
            if (stage === m.stage) {
                label.appendChild(el('span', 'cj-lane-badge', this.label('LBL_PANEL_CURRENT')));
            }
            var entered = m.entered[stage];
            label.appendChild(el('span', 'cj-lane-date' + (entered === null ? ' cj-lane-date-none' : ''),
                entered === null ? this.label('LBL_PANEL_NOT_REACHED') :
                    fill(this.label('LBL_PANEL_ENTERED'), {date: this.dates.date(entered)})));
            label.appendChild(el('span', 'cj-lane-count', formatNumber(m.counts[stage])));
            lane.appendChild(label);
            var track = el('div', 'cj-lane-track');
            lane.appendChild(track);
            box.appendChild(lane);
            this.tracks.push({stage: stage, node: track});
        }
        var axisRow = el('div', 'cj-axis-row');
        axisRow.appendChild(el('div', 'cj-lane-label cj-axis-spacer'));
        this.axis = el('div', 'cj-axis');
        axisRow.appendChild(this.axis);
        box.appendChild(axisRow);
        return box;
    };

    Panel.prototype.renderLegend = function () {
        var legend = el('div', 'cj-legend');
        var used = {};
        for (var i = 0; i < this.model.touchpoints.length; i++) {
            used[this.model.touchpoints[i].channel] = true;
        }
        for (var c = 0; c < CHANNELS.length; c++) {
            var channel = CHANNELS[c];
            if (this.model.touchpoints.length > 0 && !used[channel]) {
                continue;
            }
            var item = el('span', 'cj-legend-item cj-ch-' + channel);
            var icon = svgEl('svg', {width: 14, height: 14, viewBox: '0 0 14 14', 'aria-hidden': 'true',
                focusable: 'false', 'class': 'cj-legend-icon'});
            icon.appendChild(shape(channel, 7, 7, 5));
            item.appendChild(icon);
            item.appendChild(document.createTextNode(this.option('channel', channel)));
            legend.appendChild(item);
        }
        legend.appendChild(el('span', 'cj-legend-note', this.label('LBL_PANEL_LEGEND')));
        if (this.model.upcoming.length > 0) {
            legend.appendChild(el('span', 'cj-legend-note cj-legend-upcoming', this.label('LBL_PANEL_UPCOMING_LEGEND')));
        }
        return legend;
    };

    /** Draw (or redraw, after a resize) the marks, entry lines and the time axis. */
    Panel.prototype.draw = function () {
        var m = this.model;
        if (m.error || !this.tracks) {
            return;
        }
        var width = this.root.clientWidth || 0;
        if (width > 0 && width < NARROW_WIDTH) {
            this.root.className = 'cj-panel cj-narrow';
        } else {
            this.root.className = 'cj-panel';
        }
        var trackWidth = Math.max(120, this.tracks[0].node.clientWidth || 600);
        var pad = 10;
        var span = m.t1 - m.t0;
        var x = function (t) {
            return pad + (span > 0 ? (t - m.t0) / span : 0.5) * (trackWidth - 2 * pad);
        };
        var rowHeight = 13;
        var laneHeight = rowHeight * LANE_ROWS + 8;
        var self = this;
        var byStage = {};
        for (var s = 0; s < STAGES.length; s++) {
            byStage[STAGES[s]] = [];
        }
        for (var i = 0; i < m.touchpoints.length; i++) {
            byStage[m.touchpoints[i].stage].push(m.touchpoints[i]);
        }
        for (var u = 0; u < m.upcoming.length; u++) {
            byStage[m.upcoming[u].stage].push(m.upcoming[u]);
        }
        var todayX = m.t0 !== undefined && m.now >= m.t0 && m.now <= m.t1 ? x(m.now) : null;
        for (var k = 0; k < this.tracks.length; k++) {
            var track = this.tracks[k];
            while (track.node.firstChild) {
                track.node.removeChild(track.node.firstChild);
            }
            var svg = svgEl('svg', {width: trackWidth, height: laneHeight, 'class': 'cj-lane-svg', role: 'img',
                'aria-label': this.option('stage', track.stage) + ': ' + byStage[track.stage].length});
            svg.appendChild(svgEl('line', {x1: pad, x2: trackWidth - pad, y1: laneHeight / 2, y2: laneHeight / 2,
                'class': 'cj-lane-axis'}));
            if (todayX !== null) {
                svg.appendChild(svgEl('rect', {x: todayX, y: 0, width: Math.max(0, trackWidth - todayX),
                    height: laneHeight, 'class': 'cj-future'}));
            }
            var entered = m.entered[track.stage];
            if (entered !== null && m.t0 !== undefined) {
                var ex = x(entered);
                if (track.stage === m.stage) {
                    var spanEnd = todayX !== null ? todayX : trackWidth - pad;
                    svg.appendChild(svgEl('rect', {x: ex, y: 1, width: Math.max(0, spanEnd - ex),
                        height: laneHeight - 2, 'class': 'cj-current-span'}));
                }
                var line = svgEl('line', {x1: ex, x2: ex, y1: 0, y2: laneHeight, 'class': 'cj-entry-line'});
                var title = svgEl('title');
                title.textContent = fill(this.label('LBL_PANEL_ENTERED'), {date: this.dates.date(entered)});
                line.appendChild(title);
                svg.appendChild(line);
            }
            if (todayX !== null) {
                var today = svgEl('line', {x1: todayX, x2: todayX, y1: 0, y2: laneHeight, 'class': 'cj-today-line'});
                var todayTitle = svgEl('title');
                todayTitle.textContent = this.label('LBL_PANEL_TODAY') + ' ' + this.dates.date(m.now);
                today.appendChild(todayTitle);
                svg.appendChild(today);
            }
            var lastX = [];
            for (var r = 0; r < LANE_ROWS; r++) {
                lastX.push(-Infinity);
            }
            var marks = byStage[track.stage];
            for (var j = 0; j < marks.length; j++) {
                var tp = marks[j];
                var mx = x(tp.t);
                var row = 0;
                var best = 0;
                for (r = 0; r < LANE_ROWS; r++) {
                    if (mx - lastX[r] >= 11) {
                        row = r;
                        break;
                    }
                    if (lastX[r] < lastX[best]) {
                        best = r;
                    }
                    row = best;
                }
                lastX[row] = mx;
                var order = [1, 0, 2];
                var my = 4 + rowHeight * order[row] + rowHeight / 2;
                svg.appendChild(this.mark(tp, mx, my));
            }
            track.node.appendChild(svg);
        }
        this.drawAxis(trackWidth, pad, x);
        if (!this.boundHover) {
            this.boundHover = true;
            this.root.addEventListener('mouseover', function (event) { self.hover(event); });
            this.root.addEventListener('mouseout', function (event) { self.unhover(event); });
            this.root.addEventListener('focusin', function (event) { self.hover(event); });
            this.root.addEventListener('focusout', function (event) { self.unhover(event); });
        }
    };

    Panel.prototype.mark = function (tp, x, y) {
        var cls = 'cj-mark cj-ch-' + tp.channel + (tp.mode === 'offline' ? ' cj-offline' : '') +
            (tp.managedBy === 'third_party' ? ' cj-third-party' : '') + (tp.upcoming ? ' cj-upcoming' : '') +
            (tp.correctedFrom ? ' cj-corrected' : '');
        var node;
        if (tp.url) {
            node = svgEl('a', {'class': cls + ' cj-mark-link', href: tp.url, tabindex: '-1'});
        } else {
            node = svgEl('g', {'class': cls});
        }
        node.setAttribute('data-cj-index', String(tp.index));
        node.appendChild(shape(tp.channel, x, y, 5));
        return node;
    };

    Panel.prototype.drawAxis = function (width, pad, x) {
        var m = this.model;
        while (this.axis.firstChild) {
            this.axis.removeChild(this.axis.firstChild);
        }
        if (m.t0 === undefined) {
            return;
        }
        var svg = svgEl('svg', {width: width, height: 22, 'class': 'cj-axis-svg', 'aria-hidden': 'true'});
        var span = m.t1 - m.t0;
        var maxTicks = Math.max(2, Math.floor(width / 80));
        var ticks = [];
        var useMonths = span > 45 * DAY;
        if (useMonths) {
            var start = new Date(m.t0);
            var year = start.getUTCFullYear();
            var month = start.getUTCMonth() + 1;
            var months = Math.ceil(span / (30.4 * DAY));
            var step = 1;
            var steps = [1, 2, 3, 6, 12, 24, 60, 120];
            for (var si = 0; si < steps.length; si++) {
                step = steps[si];
                if (months / step <= maxTicks) {
                    break;
                }
            }
            month = Math.ceil(month / step) * step - step + 1;
            for (var guard = 0; guard < 500; guard++) {
                var t = Date.UTC(year, month - 1, 1);
                if (t > m.t1) {
                    break;
                }
                if (t >= m.t0) {
                    ticks.push({t: t, label: this.dates.month(t)});
                }
                month += step;
                while (month > 12) {
                    month -= 12;
                    year++;
                }
            }
        } else {
            var dayStep = Math.max(1, Math.ceil(span / DAY / maxTicks));
            var first = Math.ceil(m.t0 / DAY) * DAY;
            for (var d = first; d <= m.t1 && ticks.length < 500; d += dayStep * DAY) {
                ticks.push({t: d, label: this.dates.date(d)});
            }
        }
        var lastRight = -Infinity;
        if (m.now >= m.t0 && m.now <= m.t1) {
            var nx = x(m.now);
            var todayLabel = this.label('LBL_PANEL_TODAY');
            svg.appendChild(svgEl('line', {x1: nx, x2: nx, y1: 0, y2: 7, 'class': 'cj-today-tick'}));
            var todayText = svgEl('text', {x: nx, y: 17, 'text-anchor': 'middle', 'class': 'cj-today-label'});
            todayText.textContent = todayLabel;
            svg.appendChild(todayText);
            // Month labels give way to the today label.
            var half = todayLabel.length * 3.4 + 6;
            var kept = [];
            for (var tk = 0; tk < ticks.length; tk++) {
                if (Math.abs(x(ticks[tk].t) - nx) > half + ticks[tk].label.length * 3.1) {
                    kept.push(ticks[tk]);
                }
            }
            ticks = kept;
        }
        for (var i = 0; i < ticks.length; i++) {
            var tx = x(ticks[i].t);
            svg.appendChild(svgEl('line', {x1: tx, x2: tx, y1: 0, y2: 5, 'class': 'cj-tick'}));
            var approx = ticks[i].label.length * 6.2;
            if (tx - approx / 2 < lastRight + 6 || tx + approx / 2 > width) {
                continue;
            }
            var label = svgEl('text', {x: tx, y: 17, 'text-anchor': 'middle', 'class': 'cj-tick-label'});
            label.textContent = ticks[i].label;
            svg.appendChild(label);
            lastRight = tx + approx / 2;
        }
        this.axis.appendChild(svg);
    };

    Panel.prototype.findMark = function (node) {
        while (node && node !== this.root) {
            if (node.getAttribute && node.getAttribute('data-cj-index') !== null) {
                return node;
            }
            node = node.parentNode;
        }
        return null;
    };

    Panel.prototype.hover = function (event) {
        var mark = this.findMark(event.target);
        if (!mark) {
            return;
        }
        var index = parseInt(mark.getAttribute('data-cj-index'), 10);
        var tp = null;
        var every = this.model.touchpoints.concat(this.model.upcoming);
        for (var i = 0; i < every.length; i++) {
            if (every[i].index === index) {
                tp = every[i];
                break;
            }
        }
        if (!tp) {
            return;
        }
        this.fillTooltip(tp);
        var tip = this.tooltip;
        tip.style.display = 'block';
        var rootBox = this.root.getBoundingClientRect();
        var box = mark.getBoundingClientRect();
        var left = box.left - rootBox.left + box.width / 2 - tip.offsetWidth / 2;
        left = Math.max(4, Math.min(left, this.root.clientWidth - tip.offsetWidth - 4));
        var top = box.top - rootBox.top - tip.offsetHeight - 8;
        if (top < 0) {
            top = box.bottom - rootBox.top + 8;
        }
        tip.style.left = left + 'px';
        tip.style.top = top + 'px';
    };

    Panel.prototype.unhover = function (event) {
        if (this.findMark(event.target)) {
            this.tooltip.style.display = 'none';
        }
    };

    Panel.prototype.fillTooltip = function (tp) {
        var tip = this.tooltip;
        while (tip.firstChild) {
            tip.removeChild(tip.firstChild);
        }
        tip.appendChild(el('div', 'cj-tip-subject', tp.subject || this.label('LBL_PANEL_NO_SUBJECT')));
        if (tp.upcoming) {
            tip.appendChild(el('div', 'cj-tip-upcoming', this.label('LBL_PANEL_UPCOMING')));
        }
        var list = el('dl', 'cj-tip-rows');
        var row = function (label, value) {
            if (value === '') {
                return;
            }
            list.appendChild(el('dt', null, label));
            list.appendChild(el('dd', null, value));
        };
        row(this.label('LBL_PANEL_DATE'), this.dates.dateTime(tp.t));
        row(this.label('LBL_PANEL_STAGE'), this.option('stage', tp.stage));
        row(this.label('LBL_PANEL_CHANNEL'), tp.channel === 'other' && tp.channelRaw && tp.channelRaw !== 'other' ?
            this.option('channel', 'other') + ' (' + tp.channelRaw + ')' : this.option('channel', tp.channel));
        row(this.label('LBL_PANEL_MODE'), tp.mode ? this.option('mode', tp.mode) : '');
        row(this.label('LBL_PANEL_MANAGED_BY'), tp.managedBy ? this.option('managed_by', tp.managedBy) : '');
        row(this.label('LBL_PANEL_DIRECTION'), tp.direction ? this.option('direction', tp.direction) : '');
        row(this.label('LBL_PANEL_RULE'), tp.rule);
        row(this.label('LBL_PANEL_CORRECTED'), tp.correctedFrom ? this.option('stage', tp.correctedFrom) : '');
        row(this.label('LBL_PANEL_SOURCE'), tp.module ? this.option('modules', tp.module) : '');
        tip.appendChild(list);
        if (tp.url) {
            tip.appendChild(el('div', 'cj-tip-hint', this.label('LBL_PANEL_OPEN_SOURCE')));
        }
    };

    Panel.prototype.renderList = function () {
        var wrap = el('div', 'cj-list');
        var table = el('table', 'cj-list-table list view');
        var head = el('thead');
        var hr = el('tr');
        var cols = ['LBL_PANEL_DATE', 'LBL_PANEL_STAGE', 'LBL_PANEL_CHANNEL', 'LBL_PANEL_SUBJECT', 'LBL_PANEL_MODE',
            'LBL_PANEL_MANAGED_BY', 'LBL_PANEL_RULE'];
        for (var c = 0; c < cols.length; c++) {
            var th = el('th', null, this.label(cols[c]));
            th.setAttribute('scope', 'col');
            hr.appendChild(th);
        }
        head.appendChild(hr);
        table.appendChild(head);
        var body = el('tbody');
        var rows = this.model.touchpoints.concat(this.model.upcoming);
        for (var i = rows.length - 1; i >= 0; i--) {
            var tp = rows[i];
            var tr = el('tr', 'cj-list-row' + (tp.upcoming ? ' cj-list-upcoming' : ''));
            var when = el('td', null, this.dates.dateTime(tp.t));
            if (tp.upcoming) {
                when.appendChild(el('span', 'cj-list-badge', this.label('LBL_PANEL_UPCOMING')));
            }
            tr.appendChild(when);
            tr.appendChild(tp.upcoming ? el('td', null, this.option('stage', tp.stage)) : this.stageCell(tp));
            tr.appendChild(el('td', null, this.option('channel', tp.channel)));
            var subject = el('td', 'cj-list-subject');
            var subjectText = tp.subject || this.label('LBL_PANEL_NO_SUBJECT');
            if (tp.url) {
                var a = el('a', null, subjectText);
                a.setAttribute('href', tp.url);
                subject.appendChild(a);
            } else {
                subject.textContent = subjectText;
            }
            tr.appendChild(subject);
            tr.appendChild(el('td', null, tp.mode ? this.option('mode', tp.mode) : ''));
            tr.appendChild(el('td', null, tp.managedBy ? this.option('managed_by', tp.managedBy) : ''));
            tr.appendChild(el('td', 'cj-list-rule', tp.rule));
            body.appendChild(tr);
        }
        table.appendChild(body);
        wrap.appendChild(table);
        return wrap;
    };

    // The stage in the list view; a person allowed to correct it gets a menu (keyboard friendly).
    Panel.prototype.stageCell = function (tp) {
        var cell = el('td', 'cj-list-stage');
        cell.appendChild(el('span', null, this.option('stage', tp.stage)));
        if (tp.correctedFrom) {
            var mark = el('span', 'cj-corrected-note', ' \u270e');
            mark.setAttribute('title', this.label('LBL_PANEL_CORRECTED') + ' ' + this.option('stage', tp.correctedFrom));
            cell.appendChild(mark);
        }
        var correct = this.payload.correct;
        if (!correct || typeof correct.url !== 'string' || !tp.module || !MODULE_RE.test(tp.module) ||
                !ID_RE.test(tp.id)) {
            return cell;
        }
        var self = this;
        var select = el('select', 'cj-correct');
        select.setAttribute('aria-label', fill(this.label('LBL_PANEL_CORRECT'),
            {subject: tp.subject || this.label('LBL_PANEL_NO_SUBJECT')}));
        var choices = [['-', this.label('LBL_PANEL_KEEP')]];
        for (var c = 0; c < CORRECTIONS.length; c++) {
            choices.push([CORRECTIONS[c], this.option('correction', CORRECTIONS[c])]);
        }
        if (tp.correctedFrom) {
            choices.push(['', this.label('LBL_PANEL_USE_RULES')]);
        }
        for (var k = 0; k < choices.length; k++) {
            var option = el('option', null, choices[k][1]);
            option.value = choices[k][0];
            select.appendChild(option);
        }
        var status = el('span', 'cj-correct-status');
        status.setAttribute('role', 'status');
        select.onchange = function () {
            if (select.value !== '-') {
                self.sendCorrection(tp, select.value, status);
            }
        };
        cell.appendChild(select);
        cell.appendChild(status);
        return cell;
    };

    Panel.prototype.sendCorrection = function (tp, stage, status) {
        var self = this;
        var customer = (this.payload.timeline && this.payload.timeline.customer) || {};
        var fields = {
            touchpoint_key: tp.module + ':' + tp.id,
            stage: stage,
            name: tp.subject,
            previous_stage: tp.correctedFrom || tp.stage,
            rule_id: tp.rule,
            account_id: customer.module === 'Accounts' ? text(customer.id) : '',
            contact_id: customer.module === 'Contacts' ? text(customer.id) : ''
        };
        var body = [];
        for (var name in fields) {
            if (own(fields, name)) {
                body.push(encodeURIComponent(name) + '=' + encodeURIComponent(fields[name]));
            }
        }
        var request = new window.XMLHttpRequest();
        request.open('POST', this.payload.correct.url, true);
        request.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
        request.onreadystatechange = function () {
            if (request.readyState !== 4) {
                return;
            }
            var ok = false;
            try {
                ok = request.status === 200 && JSON.parse(request.responseText).ok === true;
            } catch (e) {
                ok = false;
            }
            status.textContent = ' ' + self.label(ok ? 'LBL_PANEL_CORRECT_SAVED' : 'LBL_PANEL_CORRECT_FAILED');
            status.className = 'cj-correct-status ' + (ok ? 'cj-correct-saved' : 'cj-correct-failed');
        };
        request.send(body.join('&'));
    };

    Panel.prototype.toggleView = function (button) {
        if (this.view === 'timeline') {
            if (!this.listNode) {
                this.listNode = this.renderList();
                this.root.insertBefore(this.listNode, this.timelineNode);
            }
            this.listNode.style.display = '';
            this.timelineNode.style.display = 'none';
            this.view = 'list';
            button.textContent = this.label('LBL_PANEL_TIMELINE_VIEW');
            button.setAttribute('aria-pressed', 'true');
        } else {
            this.listNode.style.display = 'none';
            this.timelineNode.style.display = '';
            this.view = 'timeline';
            button.textContent = this.label('LBL_PANEL_LIST_VIEW');
            button.setAttribute('aria-pressed', 'false');
            this.draw();
        }
    };

    // ---------------------------------------------------------------- mounting

    var panels = [];
    var resizeTimer = null;

    function onResize() {
        if (resizeTimer) {
            window.clearTimeout(resizeTimer);
        }
        resizeTimer = window.setTimeout(function () {
            for (var i = 0; i < panels.length; i++) {
                try {
                    panels[i].draw();
                } catch (e) {
                    // a redraw failure must not break the page
                }
            }
        }, 120);
    }

    function showFailure(host) {
        while (host.firstChild) {
            host.removeChild(host.firstChild);
        }
        var box = el('div', 'cj-panel');
        box.appendChild(el('h3', 'cj-title', DEFAULT_LABELS.LBL_PANEL_TITLE));
        var message = el('div', 'cj-message cj-message-invalid', DEFAULT_LABELS.LBL_PANEL_INVALID);
        message.setAttribute('role', 'status');
        box.appendChild(message);
        host.appendChild(box);
    }

    /** Render a payload into a host element; returns the Panel. */
    function render(host, payload) {
        var panel = new Panel(host, payload);
        var node = panel.render();
        while (host.firstChild) {
            host.removeChild(host.firstChild);
        }
        host.appendChild(node);
        panel.draw();
        panels.push(panel);
        if (panels.length === 1 && window.addEventListener) {
            window.addEventListener('resize', onResize);
        }
        return panel;
    }

    /** Mount every panel host of the page that is not mounted yet. */
    function mountAll(scope) {
        var hosts = (scope || document).querySelectorAll('[data-cj-panel]');
        for (var i = 0; i < hosts.length; i++) {
            var host = hosts[i];
            if (host.getAttribute('data-cj-mounted') === '1') {
                continue;
            }
            host.setAttribute('data-cj-mounted', '1');
            try {
                var data = host.querySelector('script.cj-panel-data');
                var payload = JSON.parse(data ? data.textContent : 'null');
                render(host, payload);
            } catch (e) {
                showFailure(host);
            }
        }
    }

    window.CJJourneyPanel = {
        version: 1,
        render: render,
        mountAll: mountAll,
        buildModel: buildModel
    };

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', function () { mountAll(document); });
    } else {
        mountAll(document);
    }
}(window, document));
