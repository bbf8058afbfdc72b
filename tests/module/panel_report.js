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
  var toggle = document.querySelector('.cj-toggle');
  r.listRows = null;
  if (toggle) {
    toggle.click();
    r.listRows = all('.cj-list-row').length;
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
