"""``suitejourney sandbox``: serve a seeded SuiteCRM-compatible API until stopped.

A thin shell over ``connector.sandbox.server``: parse options, start, print the
URL and the sandbox's fixed demo credentials, wait for Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import errno
import logging
import signal
import socket
import threading
from types import FrameType

import click

from connector.errors import UsageError
from connector.sandbox.credentials import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_PASSWORD_CLIENT_ID,
    SANDBOX_PASSWORD_CLIENT_SECRET,
    SANDBOX_USERNAME,
)
from connector.sandbox.server import SandboxConfig, start


@click.command("sandbox")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8080,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option(
    "--accounts",
    type=click.IntRange(0),
    default=50,
    show_default=True,
    help="Accounts to generate (each with its journey).",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Seed of the generated data and of the faults.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    default=None,
    help="SQLite file; served as is if it holds data (see scripts/generate_data.py).",
)
@click.option(
    "--latency-ms", type=click.FloatRange(0), default=0.0, help="Added latency per request."
)
@click.option(
    "--fail-rate",
    type=click.FloatRange(0, 1),
    default=0.0,
    help="Fraction of requests answered 500.",
)
@click.option(
    "--rate-limit",
    type=click.FloatRange(0, min_open=True),
    default=None,
    help="Requests per second beyond which the answer is 429 with Retry-After.",
)
@click.option(
    "--token-ttl",
    type=click.FloatRange(1),
    default=3600.0,
    show_default=True,
    help="Seconds an access token lives.",
)
@click.option("--html-errors", is_flag=True, help="Injected failures come as HTML pages, not JSON.")
@click.option(
    "--webhook",
    metavar="URL",
    help="Post signed change notifications to URL on every save, as the CJ module's "
    "logic hook does (e.g. http://127.0.0.1:8765/notify of `suitejourney serve`).",
)
@click.option(
    "--webhook-secret",
    metavar="S",
    envvar="SUITEJOURNEY_WEBHOOK_SECRET",
    help="The notifications' shared secret [env SUITEJOURNEY_WEBHOOK_SECRET].",
)
@click.option(
    "--oddities",
    is_flag=True,
    help="Add the rows old databases hold: zero, impossible and absurd dates, control characters.",
)
@click.option(
    "--save-latency-ms",
    type=click.FloatRange(0),
    default=0.0,
    help="Server time each record saved through the APIs costs (a real SuiteCRM: 120-180).",
)
@click.option(
    "--concurrent-saves",
    type=click.IntRange(1),
    default=2,
    show_default=True,
    help="Saves the server runs at once; more requests wait (with --save-latency-ms).",
)
def sandbox_command(
    port: int,
    accounts: int,
    seed: int,
    db: str | None,
    latency_ms: float,
    fail_rate: float,
    rate_limit: float | None,
    token_ttl: float,
    html_errors: bool,
    webhook: str | None,
    webhook_secret: str | None,
    oddities: bool,
    save_latency_ms: float,
    concurrent_saves: int,
) -> None:
    """Serve a seeded SuiteCRM-compatible API (V8 and REST v4_1) on 127.0.0.1."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if webhook and not webhook_secret:
        raise click.UsageError("--webhook needs --webhook-secret (or SUITEJOURNEY_WEBHOOK_SECRET)")
    if webhook and not webhook.startswith(("http://", "https://")):
        raise click.UsageError(f"--webhook must be an http:// or https:// URL, not {webhook!r}")
    config = SandboxConfig(
        port=port,
        accounts=accounts,
        seed=seed,
        db=db,
        latency_ms=latency_ms,
        fail_rate=fail_rate,
        rate_limit=rate_limit,
        token_ttl=token_ttl,
        html_errors=html_errors,
        webhook_url=webhook,
        webhook_secret=webhook_secret or "",
        generator={"oddities": True} if oddities else {},
        save_latency_ms=save_latency_ms,
        concurrent_saves=concurrent_saves,
    )
    refuse_a_taken_port(port)
    click.echo(f"Generating {accounts} accounts (seed {seed})..." if not db else f"Opening {db}...")
    try:
        running = start(config)
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        raise UsageError(f"port {port} is in use; pick another with --port") from None
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    click.echo(f"SuiteCRM sandbox on {running.url}")
    click.echo(f"  V8 API      {running.url}/Api/V8 (token: POST {running.url}/Api/access_token)")
    click.echo(f"  REST v4_1   {running.url}/service/v4_1/rest.php")
    click.echo(f"  admin       {running.url}/sandbox/admin/requests")
    click.echo(
        f"  client_credentials: client_id={SANDBOX_CLIENT_ID} client_secret={SANDBOX_CLIENT_SECRET}"
    )
    click.echo(
        f"  password grant:     client_id={SANDBOX_PASSWORD_CLIENT_ID} "
        f"client_secret={SANDBOX_PASSWORD_CLIENT_SECRET}"
    )
    click.echo(f"  user:               {SANDBOX_USERNAME} / {SANDBOX_PASSWORD}")
    if webhook:
        click.echo(f"  change notifications to {webhook} (signed)")
    click.echo("Press Ctrl-C to stop.")
    try:
        stop.wait()
    finally:
        running.stop()
        click.echo("Sandbox stopped.")


def refuse_a_taken_port(port: int) -> None:
    """Say at once that the port is taken, before spending time generating data."""
    if port == 0:
        return
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
    try:
        probe.bind(("127.0.0.1", port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} is in use; pick another with --port") from None
        raise
    finally:
        probe.close()
