"""``suitejourney patterns`` on a state database: text, JSON, one persona, bad options."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from connector.cli import main
from connector.journey.summary import journey_summary
from connector.report import JourneyInput, compute_personas, personas_dict
from tests.unit.report.persona_fixtures import persona_journeys
from tests.unit.report.statedb import open_db, store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as ended:
        main(["patterns", *args])
    out, err = capsys.readouterr()
    return int(ended.value.code or 0), out, err


@pytest.fixture
def filled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("SUITEJOURNEY_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SUITEJOURNEY_DATABASE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    db = open_db(tmp_path / "state.db")
    store(db, [JourneyInput(j) for j in persona_journeys()], [])
    db.close()
    return tmp_path


def test_text_lists_every_persona_with_its_patterns(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys)
    assert code == 0
    assert out.startswith("Prevailing journey patterns per persona (tolerance 1; listed until 80%")
    assert (
        "Small businesses (smb): 10 customers (77%), 50% bought, median 50 days to purchase, "
        "median health 57.5"
    ) in out
    assert "cost to serve 182.02 EUR per customer (per purchase: acquisition 308.04" in out
    assert (
        "  #1  7 customers (70%, 4 paths): 71% bought, median 50 days to purchase, dropped "
        "off: decision 2, on their way 0, cost to serve 254.29 EUR per customer\n"
        "      awareness (campaign) > evaluation (meeting) > decision (email) > purchase "
        "(document)"
    ) in out
    assert "  2 patterns cover 100% of 10 customers (6 distinct paths)" in out
    assert out.index("(smb)") < out.index("(ent)") < out.index("((unknown))")


def test_one_persona_by_id_or_label_and_json(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--persona", "ENT")
    assert code == 0 and "(ent)" in out and "(smb)" not in out
    code, out, _ = run(capsys, "--persona", "small businesses", "--json", "--tolerance", "0")
    assert code == 0
    document = json.loads(out)
    expected = personas_dict(
        compute_personas([journey_summary(j) for j in persona_journeys()], tolerance=0)
    )
    assert document["personas"] == [expected["personas"][0]]
    assert document["overall"] == expected["overall"] and document["tolerance"] == 0


def test_an_unknown_persona_and_bad_options_exit_2(
    filled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--persona", "pirates")
    assert code == 2
    assert "no journey belongs to persona 'pirates'; the journeys have: smb, ent, (unknown)" in err
    code, _, err = run(capsys, "--coverage", "0")
    assert code == 2 and "--coverage" in err
    code, _, err = run(capsys, "--tolerance", "-1")
    assert code == 2 and "--tolerance" in err


def test_no_journeys_yet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in [n for n in os.environ if n.startswith("SUITEJOURNEY_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SUITEJOURNEY_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    code, out, _ = run(capsys)
    assert code == 0 and "no journeys yet" in out
