"""How a push looks on the command line: its progress on a terminal and its summary.

The summary's numbers agree with each other: the headline counts the journeys
that needed writing and the records written and deleted, and the table below
breaks the same records down per module. A stopped push says where it stopped
and what is left.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

import click

from connector.writeback.payload import JOURNEYS, TOUCHPOINTS
from connector.writeback.push import PushReport

REDRAW_SECONDS = 0.2


class PushProgressLine:
    """``push  120/250 journeys, 1,234 records written, 5 deleted`` on a terminal
    (stderr, redrawn at most five times a second); silent when not a terminal."""

    def __init__(
        self,
        enabled: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.clock = clock
        self.drawn_at: float | None = None
        self.shown = False

    def __call__(self, report: PushReport) -> None:
        now = self.clock()
        if not self.enabled or (self.drawn_at is not None and now - self.drawn_at < REDRAW_SECONDS):
            return
        self.drawn_at = now
        self.shown = True
        click.echo(f"\r  {progress_text(report)}", nl=False, err=True)

    def finish(self, report: PushReport | None = None) -> None:
        if self.enabled and self.shown:
            if report is not None:
                click.echo(f"\r  {progress_text(report)}", nl=False, err=True)
            click.echo(err=True)


def progress_text(report: PushReport) -> str:
    deleted = sum(report.deleted.values())
    return (
        f"push {report.journeys:>7,}/{report.total:,} journeys, "
        f"{report.written:,} records written, {deleted:,} deleted"
    )


def headline(report: PushReport) -> str:
    deleted = sum(report.deleted.values())
    if report.dry_run:
        return (
            f"push (dry run): would write {report.written:,} records and delete {deleted:,} "
            f"for {report.written_journeys:,} of {report.journeys:,} changed journeys"
        )
    if not report.written_journeys and not deleted:
        if not report.journeys:
            return "push: nothing to write (no journey changed)"
        return (
            f"push: nothing to write ({report.journeys:,} changed journeys were already "
            "up to date in SuiteCRM)"
        )
    others = f"; {report.unchanged:,} others already up to date" if report.unchanged else ""
    return (
        f"push: wrote {report.written_journeys:,} journeys ({report.written:,} records "
        f"written, {deleted:,} deleted){others}"
    )


def print_push(report: PushReport) -> None:
    click.echo(headline(report))
    if report.full_pass:
        click.echo(
            f"  touchpoint_records = {report.touchpoint_records}: every journey was "
            "checked against it"
        )
    click.echo(f"  {'record':<16} {'created':>8} {'updated':>8} {'deleted':>8}")
    for module in (JOURNEYS, TOUCHPOINTS):
        click.echo(
            f"  {module:<16} {report.created[module]:>8,} {report.updated[module]:>8,} "
            f"{report.deleted[module]:>8,}"
        )
    if report.operations:
        click.echo(f"  {report.operations:,} requests or statements")
    if report.stopped:
        click.secho(
            f"push stopped on request after {report.journeys:,} of {report.total:,} changed "
            f"journeys; {report.remaining:,} not written yet: run push or sync again to "
            "finish.",
            fg="yellow",
            err=True,
        )
    for module, record_id, message in report.failed[:20]:
        click.secho(f"  failed: {module} {record_id}: {message}", fg="red", err=True)
    if len(report.failed) > 20:
        click.secho(f"  … and {len(report.failed) - 20} more failures", fg="red", err=True)
