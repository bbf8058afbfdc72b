/*
 * Test probe run in the harness page after the journey panel mounted (test_panel_browser.py):
 * hovers every mark, opens the list view and back, then writes what it saw as JSON into
 * <pre id="cj-report">. Not part of the SuiteCRM package.
 */
window.addEventListener('load', function () { setTimeout(function () {
  function all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function texts(sel) { return all(sel).map(function (n) { return n.textContent; }); }
  var r = {};
  r.lanes = all('.cj-lane').map(function (n) { return n.getAttribute('data-stage'); });
  r.laneNames = texts('.cj-lane-name');
  r.laneDates = texts('.cj-lane-date');
  r.laneCounts = texts('.cj-lane-count');
  r.marksPerLane = all('.cj-lane').map(function (n) { return all('.cj-mark', n).length; });
  r.marks = all('.cj-mark').length;
  r.corrected = all('.cj-mark.cj-corrected').length;
  r.title = texts('.cj-title').join('|');
  r.summary = texts('.cj-summary-item').join('|');
  r.note = texts('.cj-note').join('|');
  r.message = texts('.cj-message').join('|');
  r.empty = texts('.cj-empty').join('|');
  r.current = all('.cj-lane-current').map(function (n) { return n.getAttribute('data-stage'); });
  r.narrow = all('.cj-panel.cj-narrow').length > 0;
  r.links = all('a').map(function (a) { return a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'); });
  r.tooltips = [];
  var marks = all('.cj-mark');
  marks.forEach(function (m) {
    m.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    var tip = document.querySelector('.cj-tooltip');
    r.tooltips.push(tip ? tip.textContent : null);
  });
  var markOutside = 0;
  all('.cj-lane-svg').forEach(function (svg) {
    var box = svg.getBoundingClientRect();
    all('.cj-mark', svg).forEach(function (m) {
      var b = m.getBoundingClientRect();
      if (b.left < box.left - 1 || b.right > box.right + 1 || b.top < box.top - 1 || b.bottom > box.bottom + 1) { markOutside++; }
    });
  });
  r.marksOutsideLane = markOutside;
  // The today line and what lies on each side of it (centres of the marks, in page pixels).
  r.todayLines = all('.cj-today-line').length;
  r.todayLabel = texts('.cj-today-label').join('|');
  r.upcomingMarks = all('.cj-upcoming').length;
  r.upcomingNote = texts('.cj-upcoming-count').join('|');
  r.upcomingBeforeToday = 0;
  r.pastAfterToday = 0;
  all('.cj-lane-svg').forEach(function (svg) {
    var line = svg.querySelector('.cj-today-line');
    if (!line) { return; }
    var todayX = line.getBoundingClientRect().left;
    all('.cj-mark', svg).forEach(function (m) {
      var b = m.getBoundingClientRect();
      var centre = b.left + b.width / 2;
      if (m.classList.contains('cj-upcoming') && centre < todayX) { r.upcomingBeforeToday++; }
      if (!m.classList.contains('cj-upcoming') && centre > todayX + 0.5) { r.pastAfterToday++; }
    });
  });
  r.upcomingPerLane = all('.cj-lane').map(function (n) { return all('.cj-upcoming', n).length; });
  r.upcomingTips = [];
  all('.cj-upcoming').forEach(function (m) {
    m.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    var tip = document.querySelector('.cj-tooltip');
    r.upcomingTips.push(tip ? tip.textContent : null);
  });
  var toggle = document.querySelector('.cj-toggle');
  r.listRows = null;
  function rgb(s) { return (s.match(/[\d.]+/g) || []).map(Number); }
  function luminance(c) {
    var v = c.slice(0, 3).map(function (x) {
      x /= 255; return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }
  function backdrop(n) {
    for (; n && n.nodeType === 1; n = n.parentNode) {
      var c = rgb(getComputedStyle(n).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) { return c; }
    }
    return [255, 255, 255];
  }
  function contrast(n) {
    var a = luminance(rgb(getComputedStyle(n).color)), b = luminance(backdrop(n));
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  }
  if (toggle) {
    r.toggleContrast = contrast(toggle);
    toggle.click();
    r.pressedContrast = contrast(document.querySelector('.cj-toggle'));
    r.listRows = all('.cj-list-row').length;
    r.listUpcoming = all('.cj-list-upcoming').length;
    r.listFirst = texts('.cj-list-row td:first-child')[0] || null;
    r.listSubjects = texts('.cj-list-subject');
    r.correctMenus = all('select.cj-correct').length;
    r.correctedNotes = all('.cj-corrected-note').map(function (n) { return n.getAttribute('title'); });
    r.correctChoices = all('select.cj-correct').map(function (n) { return all('option', n).map(function (o) { return o.value; }); });
    r.listWidthOk = document.documentElement.scrollWidth <= window.innerWidth + 1;
    toggle.click();
  }
  marks = all('.cj-mark');  // the list toggle redrew the lanes
  if (marks.length) { marks[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); }
  r.tooltipVisible = !!document.querySelector('.cj-tooltip') && document.querySelector('.cj-tooltip').style.display !== 'none';
  r.onAttributes = all('*').filter(function (n) {
    return Array.prototype.some.call(n.attributes, function (a) { return /^on/i.test(a.name); });
  }).map(function (n) { return n.outerHTML.slice(0, 80); });
  r.injectedElements = all('img, iframe, object, embed, #content style').length;
  var payloadMark = new RegExp('__pwn' + 'ed=');  // split so this script does not match itself
  r.injectedScripts = all('script').filter(function (s) {
    return s.type !== 'application/json' && payloadMark.test(s.textContent);
  }).length;
  r.pwned = typeof window.__pwned === 'undefined' ? null : String(window.__pwned);
  r.errors = window.__errors;
  r.scrollWidth = document.documentElement.scrollWidth;
  r.innerWidth = window.innerWidth;
  document.getElementById('cj-report').textContent = JSON.stringify(r);
}, 200); });
