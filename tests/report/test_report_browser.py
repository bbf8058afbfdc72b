"""The HTML report in a real browser: Debian's headless Chromium, offline.

The page made from the hand-made journeys (hostile names included) is loaded
from a file with Chromium's console logged to stderr: no console message at
all (no error, no blocked request) may appear. A control page with an image
pointing at a local HTTP server and an inline script proves both that the
page's Content-Security-Policy blocks such requests (the server sees nothing)
and that the console check would notice. A probe copy of the page, its one
script allowed by hash, measures the layout at 1280 px. Screenshots of the page
at 1280 px (and a PDF print) are kept under test-artifacts/report/.

The demo's own data (``suitejourney demo``: the sandbox, pull, classify, push)
makes a second page, whose personas section (patterns with their path
diagrams, cost to serve and revenue per persona) is checked in the DOM and
kept as a screenshot.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from connector.demo import run_demo
from connector.report import JourneyInput, compute_report, render_html
from tests.browser import CHROMIUM_FLAGS
from tests.unit.report.fixtures import CRM, NOW, journeys
from tests.unit.report.persona_fixtures import persona_journeys
from tests.unit.report.test_formats import hostile_at_risk

FLAGS = (
    *CHROMIUM_FLAGS,
    "--enable-logging=stderr",
    "--v=0",
    "--virtual-time-budget=2000",
)
PROBE = """
var r = {errors: window.__errors, innerWidth: window.innerWidth,
  scrollWidth: document.documentElement.scrollWidth, svgs: [], sections: [], links: []};
document.querySelectorAll('svg.chart').forEach(function (s) {
  var b = s.getBoundingClientRect(); r.svgs.push([Math.round(b.width), Math.round(b.height)]);
});
document.querySelectorAll('section').forEach(function (s) { r.sections.push(s.id); });
document.querySelectorAll('a[href^="http"]').forEach(function (a) { r.links.push(a.href); });
document.getElementById('probe').textContent = JSON.stringify(r);
"""
ERRORS = "window.__errors = []; window.addEventListener('error', function (e) " \
    "{ window.__errors.push(String(e.message)); });"  # fmt: skip


def chromium_run(chromium: str, page: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="cj-report-chromium-") as profile:
        return subprocess.run(
            [chromium, *FLAGS, f"--user-data-dir={profile}", *extra, page.as_uri()],
            capture_output=True,
            text=True,
            check=False,
            timeout=90,
        )


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    personas = [JourneyInput(j) for j in persona_journeys()]
    report = compute_report([*journeys(), hostile_at_risk(), *personas], now=NOW, crm_url=CRM)
    path = tmp_path_factory.mktemp("report") / "journey-report.html"
    path.write_text(render_html(report), encoding="utf-8")
    return path


class Hits(BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Hits.seen.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    Hits.seen = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Hits)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", Hits.seen
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_page_opens_offline_without_console_messages(
    chromium: str, page: Path, artifacts: Path
) -> None:
    shot = artifacts / "report-1280px.png"
    result = chromium_run(chromium, page, "--window-size=1280,5200", f"--screenshot={shot}")
    assert console_lines(result.stderr) == []
    assert shot.is_file() and shot.stat().st_size > 20_000, result.stderr[-2000:]
    print(f"\nreport screenshot: {shot}")
    dom = chromium_run(chromium, page, "--dump-dom").stdout
    assert '<section id="postsale">' in dom and "<svg" in dom
    assert "<script" not in dom


def test_csp_blocks_requests_and_the_console_check_sees_it(
    chromium: str, page: Path, server: tuple[str, list[str]], tmp_path: Path
) -> None:
    base, seen = server
    bad = tmp_path / "bad.html"
    injected = f'<img src="{base}/pixel.png"><link rel="stylesheet" href="{base}/x.css">' \
        "<script>window.nope(</script>"  # fmt: skip
    bad.write_text(page.read_text("utf-8").replace("<main>", "<main>" + injected), "utf-8")
    result = chromium_run(chromium, bad, "--dump-dom")
    messages = "\n".join(console_lines(result.stderr))
    assert "pixel.png" in messages and "Content Security Policy" in messages
    assert seen == []  # the browser refused: nothing reached the server


def test_layout_at_1280_px(chromium: str, page: Path, tmp_path: Path) -> None:
    script = ERRORS + PROBE
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    text = page.read_text("utf-8").replace(
        "default-src &#x27;none&#x27;;",
        f"default-src &#x27;none&#x27;; script-src &#x27;sha256-{digest}&#x27;;",
    )
    assert "script-src" in text
    text = text.replace("</body>", f'<pre id="probe"></pre><script>{script}</script></body>')
    probe = tmp_path / "probe.html"
    probe.write_text(text, "utf-8")
    result = chromium_run(chromium, probe, "--window-size=1280,900", "--dump-dom")
    match = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert match and match.group(1), result.stderr[-2000:]
    r = json.loads(html.unescape(match.group(1)))
    assert r["errors"] == []
    assert r["scrollWidth"] <= r["innerWidth"] + 1, "the page scrolls sideways at 1280 px"
    assert r["sections"] == ["funnel", "time", "dropoff", "channels", "paths", "personas",
                             "postsale", "method"]  # fmt: skip
    assert len(r["svgs"]) >= 9 and all(w >= 300 and h >= 40 for w, h in r["svgs"]), r["svgs"]
    assert len(r["links"]) == 2 and all(link.startswith(CRM + "/index.php?") for link in r["links"])


def test_page_prints_to_pdf(chromium: str, page: Path, artifacts: Path) -> None:
    pdf = artifacts / "report-print.pdf"
    result = chromium_run(chromium, page, "--no-pdf-header-footer", f"--print-to-pdf={pdf}")
    assert pdf.is_file(), result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 3


PERSONAS_ONLY = "section:not(#personas), .kpis { display:none }"
PERSONAS_PROBE = """
var r = {errors: window.__errors, rows: [], diagrams: [], patterns: [],
  innerWidth: window.innerWidth, scrollWidth: document.documentElement.scrollWidth};
document.querySelectorAll('#personas table tbody tr').forEach(function (tr) {
  r.rows.push(Array.prototype.map.call(tr.cells, function (c) { return c.textContent; }));
});
document.querySelectorAll('#personas svg.path').forEach(function (s) {
  var b = s.getBoundingClientRect();
  r.diagrams.push([Math.round(b.width), Math.round(b.height), s.querySelectorAll('rect').length]);
});
document.querySelectorAll('#personas ol.patterns .outcomes').forEach(function (o) {
  r.patterns.push(o.textContent);
});
document.getElementById('probe').textContent = JSON.stringify(r);
"""


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of ``suitejourney demo``'s data (40 accounts, seed 7), as the demo writes it."""
    folder = tmp_path_factory.mktemp("demo")
    result = run_demo(report_folder=folder)
    assert result.report_path is not None
    return result.report_path


def test_demo_report_shows_patterns_and_costs(
    chromium: str, demo_page: Path, artifacts: Path, tmp_path: Path
) -> None:
    page = demo_page.read_text("utf-8")
    assert '<section id="personas">' in page
    focused = tmp_path / "personas.html"
    focused.write_text(page.replace("</style>", PERSONAS_ONLY + "</style>"), "utf-8")
    shot = artifacts / "demo-personas-1280px.png"
    result = chromium_run(chromium, focused, "--window-size=1280,3600", f"--screenshot={shot}")
    assert console_lines(result.stderr) == []
    assert shot.is_file() and shot.stat().st_size > 20_000, result.stderr[-2000:]
    print(f"\ndemo personas screenshot: {shot}")
    full = artifacts / "demo-report-1280px.png"
    chromium_run(chromium, demo_page, "--window-size=1280,9000", f"--screenshot={full}")
    assert full.is_file()

    script = ERRORS + PERSONAS_PROBE
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    probe = tmp_path / "probe.html"
    probe.write_text(
        page.replace(
            "default-src &#x27;none&#x27;;",
            f"default-src &#x27;none&#x27;; script-src &#x27;sha256-{digest}&#x27;;",
        ).replace("</body>", f'<pre id="probe"></pre><script>{script}</script></body>'),
        "utf-8",
    )
    dom = chromium_run(chromium, probe, "--window-size=1280,900", "--dump-dom").stdout
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert match and match.group(1)
    r = json.loads(html.unescape(match.group(1)))
    assert r["errors"] == [] and r["scrollWidth"] <= r["innerWidth"] + 1
    personas = {row[0]: row for row in r["rows"]}
    # The demo's accounts have employees (10 to 5,000): the default personas sort them by size,
    # its B2C contacts are consumers; every persona carries a cost to serve in EUR.
    assert {"Enterprise", "Mid-market", "Small businesses", "All customers"} <= set(personas)
    assert all(row[5].endswith(" EUR") for row in r["rows"]), r["rows"]
    assert any(row[8] != "\u2013" for row in r["rows"]), "no won revenue at all"
    assert len(r["diagrams"]) >= len(personas) - 1
    assert all(w >= 80 and h >= 30 and boxes >= 1 for w, h, boxes in r["diagrams"])
    assert all(" bought" in text and "cost to serve" in text for text in r["patterns"])
