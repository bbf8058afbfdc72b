"""``suitejourney serve``: refresh journeys as SuiteCRM's logic hook reports saves."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

import click

from connector.app import build_refresher, load_rules, open_state
from connector.commands.common import State, connection_options
from connector.config import Settings
from connector.errors import EXIT_OK, ConfigurationError
from connector.realtime.service import MIN_SECRET, RealtimeService, ServeOptions
from connector.secrets import Secret


def webhook_secret(settings: Settings) -> Secret:
    secret = settings.webhook_secret
    if secret is None or not secret.reveal():
        raise ConfigurationError(
            "webhook_secret is not set: put the shared secret of SuiteCRM's change "
            "notifications in SUITEJOURNEY_WEBHOOK_SECRET (the same value as "
            "$sugar_config['cj_notify_secret'] in SuiteCRM's config_override.php)."
        )
    if len(secret.reveal()) < MIN_SECRET:
        raise ConfigurationError(
            f"webhook_secret ({settings.source_of('webhook_secret')}) is shorter than "
            f"{MIN_SECRET} characters; use a long random value (openssl rand -hex 32)."
        )
    return secret


@click.command("serve")
@connection_options
@click.option("--host", help="Address to listen on (overrides `serve_host`; default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (overrides `serve_port`; default 8765).")
@click.pass_obj
def serve_command(state: State, /, host: str | None, port: int | None, **flags: Any) -> int:
    """Receive SuiteCRM's change notifications and update those journeys at once.

    The CJ module's logic hook posts a signed notification whenever a record the
    connector reads is saved, deleted or related; `serve` checks the signature
    (webhook_secret) and the time, answers at once, and within seconds reads
    those records, rebuilds their customers' journeys and writes them back —
    under the same lock as a sync, so the two never write at once. GET /healthz
    answers while it runs. SIGTERM or Ctrl-C stops it after refreshing what is
    waiting. Run the scheduler beside it: the scheduled sync remains the safety
    net for anything a notification missed.
    """
    settings = state.settings(serve_host=host, serve_port=port, **flags)
    settings.require_crm()
    secret = webhook_secret(settings)
    rules = load_rules(settings)
    db = open_state(settings)
    refresher = build_refresher(settings, db, rules)
    options = ServeOptions(
        secret=secret,
        modules=settings.modules,
        host=settings.serve_host,
        port=settings.serve_port,
        debounce=settings.serve_debounce,
        capacity=settings.serve_queue,
    )
    try:
        try:
            service = RealtimeService(options, refresher.refresh)
        except OSError as exc:
            raise ConfigurationError(
                f"cannot listen on {settings.serve_host}:{settings.serve_port} "
                f"({exc.strerror or exc}); set serve_host/serve_port or --host/--port."
            ) from None
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        service.start()
        click.echo(
            f"serving change notifications on {service.notify_url} (health: {service.url}"
            "/healthz); Ctrl-C or SIGTERM stops",
            err=True,
        )
        stop.wait()
        click.echo("stopping: refreshing what is still waiting…", err=True)
        left = service.stop()
        counts = service.counters.snapshot()
        shown = ", ".join(f"{k} {v}" for k, v in counts.items()) or "nothing received"
        click.echo(f"stopped ({shown}); {left} changed records left for the next sync", err=True)
    finally:
        refresher.close()
        db.close()
    return EXIT_OK
