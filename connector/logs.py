"""Logging set-up for the command line: readable lines or JSON, secrets scrubbed.

Library code only calls ``logging.getLogger(__name__)``; this module is called by
the CLI and the scheduler, once, to attach a handler. A filter removes every known
secret value (and anything shaped like a bearer token) from each record before
it is written.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import TextIO

from connector.secrets import scrub


class ScrubFilter(logging.Filter):
    """Rewrites each record's message with secrets masked."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage(), self.secrets)
        record.msg = message
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrub(
                logging.Formatter().formatException(record.exc_info), self.secrets
            )
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        exit_code = getattr(record, "exit_code", None)
        if exit_code is not None:
            entry["exit_code"] = exit_code
        return json.dumps(entry, ensure_ascii=False)


def json_handler() -> logging.Handler | None:
    """The command line's handler when it logs JSON (``--log-format json``), else None."""
    for handler in logging.getLogger("connector").handlers:
        if getattr(handler, "_suitejourney", False) and isinstance(
            handler.formatter, JsonFormatter
        ):
            return handler
    return None


def emit_json(level: int, logger: str, message: str, **extra: object) -> bool:
    """Write one message as a JSON log line when logging JSON; False (nothing written)
    otherwise, so the caller prints its readable line instead. For what the command
    line itself says outside the log (a settings warning, the final error line)."""
    handler = json_handler()
    if handler is None:
        return False
    record = logging.LogRecord(logger, level, "", 0, message, None, None)
    for key, value in extra.items():
        setattr(record, key, value)
    if handler.filter(record):
        handler.handle(record)
    return True


def setup_logging(
    level: str = "WARNING",
    fmt: str = "text",
    secrets: tuple[str, ...] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Attach one handler to the ``connector`` logger; returns it (tests remove it)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(ScrubFilter(secrets))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s", "%H:%M:%S")
        )
    logger = logging.getLogger("connector")
    for old in [h for h in logger.handlers if getattr(h, "_suitejourney", False)]:
        logger.removeHandler(old)
    handler._suitejourney = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
    return handler
