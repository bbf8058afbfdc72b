"""The three formats: JSON valid against schema.json, CSV with the same figures, HTML safe.

The JSON is checked by the small validator of ``schema_subset`` (and by the
``jsonschema`` package too when it happens to be installed); the CSV is read
back and its numbers compared with the JSON's; the HTML is searched for
anything that could run or load: scripts, foreign URLs, unescaped names.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections import Counter
from importlib import resources
from typing import Any

import pytest

from connector.report import (
    JourneyInput,
    compute_report,
    render_html,
    render_json,
    render_report_csv,
    report_to_dict,
)
from connector.report.figures import Report
from tests.unit.report.fixtures import (
    CRM,
    HOSTILE_INDUSTRY,
    HOSTILE_NAME,
    NOW,
    journey,
    journeys,
    profile,
)
from tests.unit.report.schema_subset import UnsupportedKeyword, validate

CRM_LINK = re.compile(
    r"https://crm\.example\.com/index\.php\?module=(Accounts|Contacts|Leads)"
    r"&(amp;)?action=DetailView&(amp;)?record=[A-Za-z0-9-]+"
)


def hostile_at_risk() -> JourneyInput:
    data = journey(
        'Accounts:x-1" onmouseover="alert(1)',
        HOSTILE_NAME,
        "account",
        "at_risk",
        [(0, "purchase", "document", True, ()), (9, "loyalty", "support", True, ())],
        health=10,
    )
    data["status_reason"] = "=1+2 <b>complaint</b>"
    return JourneyInput(data, profile("Banking", "Customer"))


@pytest.fixture(scope="module")
def report() -> Report:
    return compute_report([*journeys(), hostile_at_risk()], now=NOW, crm_url=CRM)


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    text = resources.files("connector.report").joinpath("schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def test_json_validates_against_the_schema(report: Report, schema: dict[str, Any]) -> None:
    document = json.loads(render_json(report))
    assert validate(document, schema) == []
    assert document == report_to_dict(report)
    empty = report_to_dict(compute_report([], now=NOW))
    assert validate(empty, schema) == []


def test_json_validates_with_jsonschema_when_installed(
    report: Report, schema: dict[str, Any]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(report_to_dict(report)))
    assert errors == []


def test_the_validator_catches_what_the_schema_forbids(
    report: Report, schema: dict[str, Any]
) -> None:
    document = report_to_dict(report)
    document["summary"]["customers"] = -1
    document["funnel"]["overall"]["stages"][0]["stage"] = "shopping"
    document["postsale"]["at_risk"]["customers"][0]["url"] = "javascript:alert(1)"
    del document["channels"]["attribution"]["models"]["linear"]
    document["surprise"] = True
    problems = validate(document, schema)
    assert len(problems) == 5, problems
    with pytest.raises(UnsupportedKeyword):
        validate({}, {"type": "object", "oneOf": []})


def numbers_in_json(value: Any, key: str = "") -> Counter[float]:
    """Every figure of the document (not the bucket bounds or the version)."""
    found: Counter[float] = Counter()
    if isinstance(value, dict):
        for k, v in value.items():
            if k not in ("from", "to", "version"):
                found += numbers_in_json(v, k)
    elif isinstance(value, list):
        for v in value:
            found += numbers_in_json(v, key)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found[round(float(value), 6)] += 1
    return found


def test_csv_carries_the_same_figures_as_json(report: Report) -> None:
    rows = list(csv.DictReader(io.StringIO(render_report_csv(report))))
    assert list(rows[0]) == ["section", "segment", "metric", "key", "value"]
    in_csv: Counter[float] = Counter()
    for row in rows:
        if row["metric"] in ("at_risk_name", "at_risk_reason", "at_risk_url", "at_risk_kind",
                             "at_risk_stage", "at_risk_last_touch"):  # fmt: skip
            continue
        if row["value"] != "":
            in_csv[round(float(row["value"]), 6)] += 1
    assert in_csv == numbers_in_json(report_to_dict(report))
    cell = {(r["section"], r["segment"], r["metric"], r["key"]): r["value"] for r in rows}
    assert cell[("funnel", "all", "reached", "evaluation")] == "7"
    assert cell[("funnel", "industry=Banking", "purchase_rate", "")] == "1.0"
    assert cell[("dropoff", "all", "status_by_stage", "decision/lost")] == "1"
    assert cell[("channels", "all", "linear_share", "meeting")] == "0.2222"  # 0.6667 / 3
    assert cell[("time", "all", "completed_p90", "evaluation")] == "36.0"
    assert cell[("funnel", "all", "conversion_to_next", "loyalty")] == ""


def test_csv_defuses_spreadsheet_formulas(report: Report) -> None:
    rows = list(csv.reader(io.StringIO(render_report_csv(report))))
    assert not any(cell.startswith(("=", "@", "+")) for row in rows for cell in row)
    reasons = [row[4] for row in rows if row[2] == "at_risk_reason"]
    assert "'=1+2 <b>complaint</b>" in reasons


def test_html_escapes_customer_text_and_loads_nothing(report: Report) -> None:
    page = render_html(report)
    assert "<script" not in page.lower()
    assert HOSTILE_NAME not in page and "&lt;script&gt;alert(&quot;x&quot;)" in page
    assert HOSTILE_INDUSTRY not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>complaint</b>" not in page
    assert "onmouseover=" not in page.replace("onmouseover=&quot;", "")
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp and html.unescape(csp.group(1)).startswith("default-src 'none'; ")
    for attribute, value in re.findall(r'\s(src|href|xlink:href|action)="([^"]*)"', page):
        assert attribute == "href", f"{attribute}={value}"
        assert value.startswith("#") or CRM_LINK.fullmatch(value), value
    links = re.findall(r'href="(https://[^"]*)"', page)
    assert len(links) == 2  # Bravo and Golf; the hostile key makes no link
    assert "url(#arrow)" in page and "url(http" not in page


def test_html_shows_every_section_with_charts(report: Report) -> None:
    page = render_html(report)
    for anchor in ("funnel", "time", "dropoff", "channels", "paths", "postsale", "method"):
        assert f'<section id="{anchor}">' in page
    assert page.count("<svg ") >= 9
    assert "first touch" in page and "linear" in page  # attribution documented on the page


def test_empty_report_page_says_there_is_nothing_yet() -> None:
    page = render_html(compute_report([], now=NOW))
    assert "Nothing to report yet" in page and "suitejourney sync" in page
    assert "<svg" not in page
