"""What every command shares: the settings loader, connection flags, progress, stops."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any, TypeVar

import click

from connector.config import Settings, load_settings, secret_values
from connector.logs import ScrubFilter, emit_json
from connector.progress import Progress

F = TypeVar("F", bound=Callable[..., Any])


class State:
    """What the group's options leave for the commands."""

    def __init__(self, config: str | None, instance: str | None, log_filter: ScrubFilter) -> None:
        self.config = config
        self.instance = instance
        self.log_filter = log_filter

    def settings(self, **flags: Any) -> Settings:
        settings = load_settings(config_path=self.config, flags=flags, instance=self.instance)
        self.log_filter.secrets = secret_values(settings)
        for warning in settings.warnings:
            if not emit_json(logging.WARNING, "connector.config", warning):
                click.secho(f"warning: {warning}", fg="yellow", err=True)
        return settings


def connection_options(func: F) -> F:
    """Flags that override the connection keys (secrets only from the file or env)."""
    options = [
        click.option("--url", help="SuiteCRM site root (overrides `url`)."),
        click.option(
            "--api",
            type=click.Choice(["auto", "v8", "legacy"]),
            help="Which API to use (overrides `api`; auto tries V8 first).",
        ),
        click.option(
            "--client-id",
            help="OAuth2 client id (the secret comes from the file or SUITEJOURNEY_CLIENT_SECRET).",
        ),
        click.option(
            "--username",
            help="SuiteCRM user (the password comes from the file or SUITEJOURNEY_PASSWORD).",
        ),
        click.option("--timeout-read", type=float, help="Seconds to wait for each answer."),
        click.option("--retries", type=int, help="Retries of a failed request."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def stop_on_signals() -> Callable[[], bool]:
    """First Ctrl-C or SIGTERM: finish the current page or batch, then stop (exit 130)."""
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        name = "SIGTERM" if signum == signal.SIGTERM else "Ctrl-C"
        message = f"{name}: stopping after the current page or batch (Ctrl-C again to abort)"
        if not emit_json(logging.WARNING, "connector.cli", message):
            click.echo(f"\n{message}…", err=True)
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    return stop.is_set


def meter(label: str) -> Progress:
    """A progress line for one phase, on standard error when it is a terminal."""
    return Progress(label)


class ProgressLine:
    """The pull's progress: one line per module, on a terminal only."""

    def __init__(self) -> None:
        self.module = ""
        self.current: Progress | None = None

    def __call__(self, module: str, records: int) -> None:
        if module != self.module or self.current is None:
            self.finish()
            self.module, self.current = module, meter(module)
            self.current.unit = "records"
        self.current.advance(records)

    def finish(self) -> None:
        if self.current is not None:
            self.current.done()
            self.current = None
