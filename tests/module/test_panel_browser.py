"""The journey panel in a real browser: Debian's headless Chromium on sample timelines.

Each scenario renders the panel markup with the package's own PHP
(CJ_JourneyPanel::render, run by php-cli on stubs), puts it in a page next to
the package's cj_panel.js and cj_panel.css, loads it in a fresh headless
Chromium at 1280 and at 400 px, and reads back a report the page writes about
itself: lanes, marks, dates, messages, tooltips, links, and whether any
injected script ran (the page defines window.__pwned; hostile strings try to set
it). A screenshot of every run is kept under test-artifacts/module/.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM_FLAGS as BASE_FLAGS
from tests.module.conftest import FIXTURES, MODULE_SOURCE, PHP_HELPERS

PANEL_ASSETS = MODULE_SOURCE / "SugarModules" / "modules" / "CJ_Journeys"
STAGES = ["awareness", "evaluation", "decision", "purchase", "loyalty"]
WIDTHS = (1280, 400)
HEIGHTS = {1280: 1000, 400: 1500}
CHROMIUM_FLAGS = (
    *BASE_FLAGS,
    "--virtual-time-budget=3000",
)

# Runs in the page after the panel mounted and writes its report (see the file).
REPORT_JS = (Path(__file__).resolve().parent / "panel_report.js").read_text(encoding="utf-8")

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Journey panel: {title}</title>
<script>
window.__pwned = undefined;
window.__errors = [];
window.addEventListener('error', function (e) {{ window.__errors.push(String(e.message)); }});
window.alert = function () {{ window.__pwned = 'alert'; }};
</script>
<style>body {{ margin: 0; padding: 8px; font-family: Arial, Helvetica, sans-serif; }}
#cj-report {{ display: none; }}
/* SuiteP's button colours, which made "Show as list" white on near-white. */
.button {{ color: #fff; background-color: #f7f7f7; border: 1px solid #e0e0e0; }}</style>
</head><body>
<div id="content">
{panel}
</div>
<pre id="cj-report"></pre>
<script>{report}</script>
</body></html>
"""


@dataclass(frozen=True)
class Scenario:
    """A fixture and how the journey's timeline_json is stored."""

    name: str
    fixture: str
    # raw | encoded (as SugarBean::retrieve returns it) | v2 (as the connector writes it
    # since version 2: marker, then base64) | missing | none (no journey)
    mode: str
    lang: str = "en_us"
    now: str = "2024-12-01T12:00:00Z"  # the server's "now": where the today line is drawn


SCENARIOS = (
    Scenario("long", "timeline_long.json", "encoded"),
    Scenario("empty", "timeline_empty.json", "raw"),
    Scenario("hostile", "timeline_hostile.json", "encoded"),
    Scenario("hostile_v2", "timeline_hostile.json", "v2"),
    Scenario("invalid", "timeline_invalid.json", "raw"),
    Scenario("no_journey", "-", "none"),
    Scenario("italian", "timeline_long.json", "raw", "it_it"),
    Scenario("upcoming", "timeline_upcoming.json", "encoded"),
    Scenario("upcoming_italian", "timeline_upcoming.json", "raw", "it_it"),
    Scenario("corrected", "timeline_corrected.json", "raw"),
)


def render_panel(php: str, scenario: Scenario) -> str:
    """The markup CJ_JourneyPanel prints for this scenario."""
    fixture = scenario.fixture if scenario.fixture == "-" else str(FIXTURES / scenario.fixture)
    result = subprocess.run(
        [
            php,
            str(PHP_HELPERS / "render_panel.php"),
            str(MODULE_SOURCE),
            fixture,
            scenario.mode,
            scenario.lang,
            scenario.now,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def run_page(chromium: str, page: Path, width: int, screenshot: Path) -> dict[str, Any]:
    """Load the page in a fresh headless Chromium; return the page's report."""
    with tempfile.TemporaryDirectory(prefix="cj-chromium-") as profile:
        result = subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{HEIGHTS[width]}",
                f"--screenshot={screenshot}",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=90,
        )
    match = re.search(r'<pre id="cj-report">(.*?)</pre>', result.stdout, re.S)
    assert match and match.group(1), f"no report from Chromium:\n{result.stderr[-2000:]}"
    report: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return report


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder laid out like the SuiteCRM root for the panel's relative asset URLs."""
    root = tmp_path_factory.mktemp("site")
    target = root / "modules" / "CJ_Journeys"
    target.mkdir(parents=True)
    for folder in ("js", "css"):
        shutil.copytree(PANEL_ASSETS / folder, target / folder)
    return root


@pytest.fixture(scope="module")
def reports(
    php: str, chromium: str, site: Path, artifacts: Path
) -> dict[tuple[str, int], dict[str, Any]]:
    """Every scenario at every width, rendered once for all the tests of this file."""
    out: dict[tuple[str, int], dict[str, Any]] = {}
    for scenario in SCENARIOS:
        panel = render_panel(php, scenario)
        page = site / f"{scenario.name}.html"
        page.write_text(
            PAGE.format(title=scenario.name, panel=panel, report=REPORT_JS), encoding="utf-8"
        )
        small = scenario.name.endswith("italian") or scenario.name == "corrected"
        widths = WIDTHS if not small else (1280,)
        for width in widths:
            shot = artifacts / f"panel-{scenario.name}-{width}px.png"
            out[(scenario.name, width)] = run_page(chromium, page, width, shot)
            assert shot.is_file() and shot.stat().st_size > 1000, f"no screenshot {shot}"
    print(f"\npanel screenshots: {artifacts}")
    return out


def assert_safe(report: dict[str, Any]) -> None:
    """Nothing injected ran or was created, and the page had no JavaScript error."""
    assert report["pwned"] is None
    assert report["errors"] == []
    assert report["onAttributes"] == []
    assert report["injectedElements"] == 0
    assert report["injectedScripts"] == 0
    for href in report["links"]:
        assert re.fullmatch(
            r"index\.php\?module=[A-Za-z_]+&action=DetailView&record=[A-Za-z0-9-]+", href
        )


@pytest.mark.parametrize("width", WIDTHS)
def test_long_journey(reports: dict[tuple[str, int], dict[str, Any]], width: int) -> None:
    r = reports[("long", width)]
    assert_safe(r)
    assert r["lanes"] == STAGES
    assert r["marks"] == 500
    assert r["marksPerLane"] == [90, 90, 40, 30, 250]
    assert r["marksOutsideLane"] == 0
    assert r["laneDates"] == [
        "since 2021-03-02",
        "since 2021-09-14",
        "since 2022-04-20",
        "since 2022-07-01",
        "since 2022-08-15",
    ]
    assert r["current"] == ["loyalty"]
    assert "Showing the last 500 of 1,234 touchpoints" in r["note"]
    assert "Acme Industrial S.p.A." in r["title"]
    assert "Active" in r["summary"] and "72" in r["summary"] and "838 days in stage" in r["summary"]
    assert "Cost to serve" in r["summary"] and "12,346 EUR" in r["summary"]
    assert "acquisition 9,000 · service 3,345" in r["summary"]
    assert len(r["tooltips"]) == 500 and all(t and "Date" in t for t in r["tooltips"])
    assert r["tooltipVisible"]
    assert r["listRows"] == 500
    assert len(r["links"]) == 501  # every mark, and "Open the journey record"
    # Nothing planned: the today line closes the lanes, every mark lies before it.
    assert (r["todayLines"], r["upcomingMarks"], r["upcomingNote"]) == (5, 0, "")
    assert r["pastAfterToday"] == 0
    assert r["narrow"] is (width < 640)
    assert r["scrollWidth"] <= r["innerWidth"] + 1, "the page scrolls sideways"
    # Readable under SuiteP's button colours, pressed or not (WCAG AA: 4.5).
    assert r["toggleContrast"] >= 4.5 and r["pressedContrast"] >= 4.5, r


@pytest.mark.parametrize("width", WIDTHS)
def test_empty_journey(reports: dict[tuple[str, int], dict[str, Any]], width: int) -> None:
    r = reports[("empty", width)]
    assert_safe(r)
    assert r["lanes"] == STAGES
    assert r["marks"] == 0
    assert r["laneDates"] == [
        "since 2024-06-03",
        "not reached",
        "not reached",
        "not reached",
        "not reached",
    ]
    assert r["empty"].startswith("No touchpoints yet")
    assert "0 touchpoints" in r["note"]
    assert r["listRows"] is None, "no list toggle without touchpoints"
    assert r["scrollWidth"] <= r["innerWidth"] + 1


@pytest.mark.parametrize("width", WIDTHS)
def test_hostile_strings_show_as_text(
    reports: dict[tuple[str, int], dict[str, Any]], width: int
) -> None:
    r = reports[("hostile", width)]
    assert_safe(r)
    assert r["lanes"] == STAGES
    assert r["marks"] == 6, "the touchpoint with an unreadable date is left out"
    assert r["laneDates"][:3] == ["since 2024-01-03", "since 2024-02-01", "since 2024-03-15"]
    assert r["laneDates"][3:] == ["not reached", "not reached"]
    assert "Evil </script><script>window.__pwned=2</script> & Co" in r["title"]
    tips = "\n".join(r["tooltips"])
    assert '<img src=x onerror="window.__pwned=1">' in tips
    assert "</script><script>window.__pwned=5</script>" in tips
    assert '<a href="javascript:window.__pwned=8">click</a>' in tips
    assert "<i>rule</i>" in tips
    assert "Other (<img src=x onerror=window.__pwned=4>)" in tips
    assert '<img src=x onerror="window.__pwned=1">' in r["listSubjects"]
    assert "<b onmouseover=alert(1)>at_risk</b>" in r["summary"]
    # a cost with a bad currency and bad parts shows the total alone
    assert r["summary"].endswith("|Cost to serve5.50")
    assert "window.__pwned=9" not in r["summary"] and "acquisition" not in r["summary"]
    # links only where module and id pass the checks: 4 of the 6 (a module named "javascript"
    # is only a harmless index.php?module=javascript), plus the journey record
    assert len(r["links"]) == 5
    assert r["listWidthOk"]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_version_2_timeline_draws_as_version_1_did(
    reports: dict[tuple[str, int], dict[str, Any]], width: int
) -> None:
    r = reports[("hostile_v2", width)]
    assert_safe(r)
    before = reports[("hostile", width)]
    for key in ("lanes", "marks", "laneDates", "tooltips", "listSubjects", "summary", "links"):
        assert r[key] == before[key], key
    assert r["message"] == ""


@pytest.mark.parametrize("width", WIDTHS)
def test_invalid_timeline_shows_a_message(
    reports: dict[tuple[str, int], dict[str, Any]], width: int
) -> None:
    r = reports[("invalid", width)]
    assert_safe(r)
    assert r["lanes"] == []
    assert r["message"].startswith("The journey data of this record could not be read")


@pytest.mark.parametrize("width", WIDTHS)
def test_customer_without_journey(
    reports: dict[tuple[str, int], dict[str, Any]], width: int
) -> None:
    r = reports[("no_journey", width)]
    assert_safe(r)
    assert r["lanes"] == []
    assert r["message"].startswith("No journey has been recorded for this customer yet")


def test_italian_labels(reports: dict[tuple[str, int], dict[str, Any]]) -> None:
    r = reports[("italian", 1280)]
    assert_safe(r)
    assert r["laneNames"] == [
        "Consapevolezza",
        "Valutazione",
        "Decisione",
        "Acquisto",
        "Fidelizzazione",
    ]
    assert r["laneDates"][0] == "dal 2021-03-02"
    assert "Ultimi 500 di 1,234 punti di contatto" in r["note"]
    assert "Costo di servizio" in r["summary"] and "acquisizione 9,000" in r["summary"]


@pytest.mark.parametrize("width", WIDTHS)
def test_upcoming_touchpoints_lie_beyond_the_today_line(
    reports: dict[tuple[str, int], dict[str, Any]], width: int
) -> None:
    r = reports[("upcoming", width)]
    assert_safe(r)
    assert r["marks"] == 6 + 3, "six touchpoints and three readable upcoming ones"
    assert r["upcomingMarks"] == 3
    assert r["upcomingPerLane"] == [0, 0, 2, 0, 1]
    assert r["laneCounts"] == ["1", "3", "2", "0", "0"], "upcoming ones count for nothing"
    assert r["todayLines"] == 5 and r["todayLabel"] == "Today"
    assert r["upcomingBeforeToday"] == 0 and r["pastAfterToday"] == 0
    assert "5 upcoming" in r["upcomingNote"]
    assert all("Upcoming" in t for t in r["upcomingTips"])
    hostile = 'Follow-up <b onmouseover="window.__pwned=9">call</b>'
    assert any(hostile in t for t in r["upcomingTips"])
    assert r["listRows"] == 9 and r["listUpcoming"] == 3
    assert r["listFirst"].startswith("2025-01-10") and r["listFirst"].endswith("Upcoming")
    assert r["scrollWidth"] <= r["innerWidth"] + 1


def test_upcoming_in_italian(reports: dict[tuple[str, int], dict[str, Any]]) -> None:
    r = reports[("upcoming_italian", 1280)]
    assert_safe(r)
    assert r["todayLabel"] == "Oggi"
    assert "5 in programma" in r["upcomingNote"]
    assert all("In programma" in t for t in r["upcomingTips"])


def test_acl_a_user_without_access_gets_no_journey_data(php: str) -> None:
    result = subprocess.run(
        [
            php,
            str(PHP_HELPERS / "acl_scenarios.php"),
            str(MODULE_SOURCE),
            str(FIXTURES / "timeline_long.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = json.loads(result.stdout)
    assert out["allowed"]["has_data"]
    assert out["contact_via_account"]["has_data"]
    for denied in ("no_module_access", "journey_record_denied", "account_denied", "other_module"):
        assert out[denied]["html_length"] == 0, denied
    assert not out["contact_account_denied"]["has_data"]
    assert out["no_journey"]["has_panel"] and not out["no_journey"]["has_data"]
    assert out["queries_quoted"]


def test_corrected_touchpoints_are_marked_and_can_be_corrected(
    reports: dict[tuple[str, int], dict[str, Any]],
) -> None:
    r = reports[("corrected", 1280)]
    assert_safe(r)
    assert r["marks"] == 4
    assert r["corrected"] == 2  # the rows that say what the rules gave
    assert sum("Corrected; the rules gave" in (t or "") for t in r["tooltips"]) == 2
    assert any("Corrected; the rules gaveDecision" in (t or "") for t in r["tooltips"])
    assert r["correctedNotes"] == [
        "Corrected; the rules gave Evaluation",
        "Corrected; the rules gave Decision",
    ]  # newest first, as the list shows them
    assert r["correctMenus"] == 4
    stages = ["-", *STAGES, "not_a_touchpoint"]
    assert r["correctChoices"] == [[*stages, ""], [*stages, ""], stages, stages]
