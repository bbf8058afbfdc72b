"""Did SuiteCRM store what a writer sent? The comparison every HTTP writer makes.

A real SuiteCRM answered 200 to writes that stored nothing (``set_entries`` with a
chosen id and no ``new_with_id``) and stored text other than what it was sent (its
save-time cleaning rewrote a JSON timeline). So a writer compares what SuiteCRM
says it stored (V8's answer to the write, or a v4_1 read after ``set_entries``)
with what it sent, field by field, and a record that differs is a failure, not a
success: it is not recorded as written, and the next push writes it again.

Values are compared as SuiteCRM shows them back: every value as text, HTML
entities undone once on both sides, datetimes to the minute (V8 shows no
seconds) whichever way the server renders its offset, an empty datetime as
empty. No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from connector.crm.records import parse_datetime, unescape_value

# SuiteCRM's to_html on what it shows: quotes and angle brackets, never "&".
_TO_HTML = str.maketrans({'"': "&quot;", "'": "&#039;", "<": "&lt;", ">": "&gt;"})
_DB_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
SHOWN_LIMIT = 60


def as_shown(value: Any) -> str:
    """A sent value as SuiteCRM shows it back after storing it, once read by our clients."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(unescape_value(str(value).translate(_TO_HTML)))


def differences(sent: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    """The names of the sent fields whose stored value differs."""
    changed = []
    for name, value in sent.items():
        expected = as_shown(value)
        found = stored.get(name)
        shown = "" if found is None else str(found)
        if _DB_DATETIME.match(expected):
            # V8 shows UTC digits with the server's offset (SuiteCRM#9952), or, fixed,
            # local digits with their offset: either reading may match.
            readings = {parse_datetime(shown), parse_datetime(shown, trust_offset=True)}
            minutes = {w.strftime("%Y-%m-%d %H:%M") for w in readings if w is not None}
            if expected[:16] not in minutes:
                changed.append(name)
        elif shown != expected:
            changed.append(name)
    return changed


def describe(module: str, record_id: str, fields: list[str], stored: Mapping[str, Any]) -> str:
    """The failure message for a record stored differently from what was sent."""
    shown = ", ".join(
        f"{name} = {_short(stored.get(name))!r}" for name in fields[:3]
    ) + (" …" if len(fields) > 3 else "")
    return (
        f"SuiteCRM stored {module} {record_id} differently from what was sent ({shown}); "
        "it is written again at the next push (a logic hook or workflow on the module "
        "may be changing it)."
    )


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= SHOWN_LIMIT else text[: SHOWN_LIMIT - 1] + "…"
