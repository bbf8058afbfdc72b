"""Commands about the connection to SuiteCRM: ``check`` and ``config show``."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import click

from connector.app import connect_client, connect_legacy, pull_flavour
from connector.commands.common import State, connection_options
from connector.config import KEYS, Settings
from connector.crm.probe import ProbeReport, probe
from connector.errors import (
    EXIT_CONFIGURATION,
    EXIT_FAILURES,
    EXIT_OK,
    ConfigurationError,
    TransientError,
)
from connector.sync.job import legacy_problem


@click.command()
@connection_options
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.pass_obj
def check(state: State, /, as_json: bool, **flags: Any) -> int:
    """Connect to SuiteCRM and report what the connector can do there.

    Authenticates, then prints the API flavour and base path, the SuiteCRM version
    when the server reveals it, which of the configured modules the API user can
    read (with their record counts), whether REST v4_1 is available (needed to see
    deleted records), and whether the CJ module (CJ_Journeys, CJ_Touchpoints) is
    installed.

    Exit code 0 when everything the sync needs is there, 1 when a username and
    password are set but REST v4_1 refuses them or does not answer (a sync then goes
    on without it and says so), 2 when a configured module cannot be read, 3 when
    SuiteCRM cannot be reached or refuses the OAuth2 credentials.
    """
    settings = state.settings(**flags)
    client = connect_client(settings)
    try:
        report = probe(client, settings.modules)
    finally:
        client.close()
    legacy_note, version, problem = _legacy_status(settings, client.flavour)
    if version and not report.server.version:
        report = replace(report, server=replace(report.server, version=f"{version} (REST v4_1)"))
    warnings = [problem] if problem else []
    reads = _pull_reads(settings, client.flavour, problem)
    if as_json:
        data = report.as_dict()
        data["legacy_api"] = legacy_note
        data["pull_reads_through"] = reads
        data["warnings"] = warnings
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        _print_report(settings, report, legacy_note)
        click.echo(f"  pull       reads through {_API_NAMES[reads]} ({_pull_why(settings)})")
        for warning in warnings:
            click.secho(f"warning: {warning}", fg="yellow", err=True)
    if report.unreadable:
        return EXIT_CONFIGURATION
    return EXIT_FAILURES if warnings else EXIT_OK


_API_NAMES = {"v8": "V8 JSON:API", "legacy": "REST v4_1"}


def _pull_reads(settings: Settings, flavour: str, legacy_problem: str | None) -> str:
    """The API a pull reads through: as ``pull_api`` chooses, unless REST v4_1 was
    chosen by ``auto`` and cannot be used (then V8, as the pull itself does)."""
    chosen = pull_flavour(settings)
    if chosen == "legacy" and legacy_problem and settings.pull_api == "auto":
        return flavour
    return chosen


def _pull_why(settings: Settings) -> str:
    if settings.pull_api != "auto":
        return f"pull_api = {settings.pull_api}, from {settings.source_of('pull_api')}"
    if pull_flavour(settings) == "legacy":
        return "pull_api = auto: a username and password are set; pull_api = v8 reads through V8"
    return "pull_api = auto: set username and password to read through REST v4_1, much faster"


def _legacy_status(settings: Settings, flavour: str) -> tuple[str, str | None, str | None]:
    """Whether REST v4_1 answers too (the only way to see deleted records), the
    SuiteCRM version it reveals (V8 does not), and the problem when a configured
    v4_1 cannot be used: the same one a sync lists before going on without it."""
    if flavour == "legacy":
        return "in use", None, None
    try:
        legacy = connect_legacy(settings)
    except (ConfigurationError, TransientError) as exc:
        return "not available (syncs go on without it)", None, legacy_problem(exc)
    if legacy is None:
        note = "not configured (set username and password to detect deleted records quickly)"
        return note, None, None
    try:
        version = legacy.server_info().version
    except (ConfigurationError, TransientError):
        version = None
    finally:
        legacy.close()
    return "available", version, None


def _print_report(settings: Settings, report: ProbeReport, legacy_note: str) -> None:
    server = report.server
    flavour = "V8 JSON:API" if server.flavour == "v8" else "REST v4_1"
    click.echo(f"SuiteCRM at {server.base_url}")
    generation = server.details.get("generation")
    where = f"{server.api_path}" + (f" (SuiteCRM {generation})" if generation else "")
    click.echo(f"  API        {flavour} at {where}")
    if server.details.get("grant"):
        click.echo(f"  login      OAuth2 {server.details['grant']} grant")
    click.echo(f"  version    {server.version or 'not revealed by this API'}")
    click.echo(f"  REST v4_1  {legacy_note}")
    click.echo("  modules")
    width = max(len(m.name) for m in (*report.modules, *report.cj_modules))
    for status in report.modules:
        click.echo(
            f"    {status.name:<{width}}  {_status_text(status.state, status.count, status.detail)}"
        )
    if report.cj_installed:
        counts = ", ".join(
            f"{m.name} {m.count if m.count is not None else '?'}"
            for m in report.cj_modules
            if m.ok
        )
        click.echo(f"  CJ module  installed ({counts})")
        if report.cj_outdated:
            click.echo(
                "             an older version without CJ_Corrections: install the newer "
                "dist/suitecrm-journey-*.zip to keep the stage corrections people make"
            )
    else:
        click.echo(
            "  CJ module  not installed: install dist/suitecrm-journey-*.zip through "
            "Admin → Module Loader before `push`"
        )
    if report.unreadable:
        names = ", ".join(m.name for m in report.unreadable)
        click.secho(
            f"error: cannot read {names}: remove them from `modules` "
            f"({settings.source_of('modules')}) or give the API user access.",
            fg="red",
            err=True,
        )


def _status_text(state: str, count: int | None, detail: str) -> str:
    if state == "ok":
        return f"ok      {count:>9,} records" if count is not None else "ok"
    return f"{state:<7} {detail}"


@click.group("config")
def config_group() -> None:
    """Inspect the configuration."""


@config_group.command("show")
@connection_options
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def config_show(state: State, /, as_json: bool, **flags: Any) -> int:
    """Print the effective settings and where each was read (secrets masked)."""
    settings = state.settings(**flags)
    values = settings.describe()
    rows = [(k.name, values[k.name], settings.source_of(k.name)) for k in KEYS]
    if as_json:
        click.echo(json.dumps({n: {"value": v, "source": s} for n, v, s in rows}, indent=2))
        return EXIT_OK
    if settings.config_path:
        click.echo(f"# file: {settings.config_path}")
    if settings.instance:
        click.echo(f"# instance: {settings.instance}")
    width = max(len(n) for n, _, _ in rows)
    for name, value, source in rows:
        click.echo(f"{name:<{width}}  {value or '-':<40}  {source}")
    return EXIT_OK
