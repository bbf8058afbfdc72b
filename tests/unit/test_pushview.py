"""The push summary: a headline that agrees with the table, stops that say what is left."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from connector.commands.pushview import PushProgressLine, headline, print_push, progress_text
from connector.writeback.push import PushReport


def report(**fields: object) -> PushReport:
    r = PushReport()
    for name, value in fields.items():
        setattr(r, name, value)
    return r


def printed(r: PushReport) -> tuple[str, str]:
    @click.command()
    def show() -> None:
        print_push(r)

    result = CliRunner().invoke(show)
    return result.stdout, result.stderr


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, "push: nothing to write (no journey changed)"),
        (
            {"journeys": 34, "unchanged": 34, "total": 34},
            "push: nothing to write (34 changed journeys were already up to date in SuiteCRM)",
        ),
        (
            {
                "journeys": 34, "written_journeys": 3, "unchanged": 31,
                "created": {"CJ_Journeys": 1, "CJ_Touchpoints": 4},
                "updated": {"CJ_Journeys": 2, "CJ_Touchpoints": 0},
                "deleted": {"CJ_Journeys": 0, "CJ_Touchpoints": 1},
            },
            "push: wrote 3 journeys (7 records written, 1 deleted); "
            "31 others already up to date",
        ),
        (
            {"dry_run": True, "journeys": 5, "written_journeys": 5,
             "created": {"CJ_Journeys": 5, "CJ_Touchpoints": 20}},
            "push (dry run): would write 25 records and delete 0 for 5 of 5 changed journeys",
        ),
    ],
)
def test_the_headline_counts_what_the_table_shows(
    fields: dict[str, object], expected: str
) -> None:
    r = report(**fields)
    assert headline(r) == expected
    out, _ = printed(r)
    assert out.splitlines()[0] == expected


def test_a_stop_says_where_it_stopped_and_what_is_left() -> None:
    r = report(journeys=120, written_journeys=120, total=250, stopped=True,
               created={"CJ_Journeys": 120, "CJ_Touchpoints": 600})
    _, err = printed(r)
    assert "push stopped on request after 120 of 250 changed journeys; 130 not written yet" in err


def test_a_full_pass_names_the_setting() -> None:
    out, _ = printed(report(full_pass=True, touchpoint_records="none"))
    assert "touchpoint_records = none: every journey was checked" in out


def test_progress_is_drawn_on_a_terminal_at_most_five_times_a_second() -> None:
    now = [0.0]
    line = PushProgressLine(enabled=True, clock=lambda: now[0])
    r = report(total=10, journeys=1, created={"CJ_Journeys": 1, "CJ_Touchpoints": 3})

    @click.command()
    def run() -> None:
        line(r)
        now[0] = 0.1
        line(r)  # too soon: not drawn
        now[0] = 0.3
        r.journeys = 2
        line(r)
        line.finish(r)

    result = CliRunner().invoke(run)
    assert result.stderr.count("\r") == 3
    assert result.stderr.endswith(progress_text(r) + "\n")
    assert "push       2/10 journeys, 4 records written, 0 deleted" in result.stderr


def test_no_progress_when_not_a_terminal() -> None:
    line = PushProgressLine(enabled=False)
    line(report())
    line.finish(report())
    assert not line.shown


def test_a_sync_whose_push_was_stopped_exits_130() -> None:
    from connector.sync.classify import ClassifyReport
    from connector.sync.job import SyncReport
    from connector.sync.runner import PullReport

    pulled = PullReport(1, "ok", (), ())
    customers: dict[str, dict[str, int]] = {"stage": {}, "status": {}}
    stopped = SyncReport(pulled, ClassifyReport(), customers, report(stopped=True))
    assert stopped.exit_code == 130
    failed = SyncReport(pulled, ClassifyReport(), customers, report(failed=[("m", "i", "x")]))
    assert failed.exit_code == 1
    assert SyncReport(pulled, ClassifyReport(), customers, report()).exit_code == 0
