"""Rows that real, old SuiteCRM databases hold and a clean install never does.

With ``GeneratorConfig(oddities=True)`` (``suitejourney sandbox --oddities``) the
generator adds, on the first generated account, one row of each kind a
connector has to survive:

* ``zero_date``: a meeting whose ``date_start`` is MySQL's zero date
  ``0000-00-00 00:00:00`` (non-strict sql_mode lets it in; old data is full of them);
* ``zero_date_only``: an invoice whose ``invoice_date`` (a date field) is ``0000-00-00``;
* ``impossible_date``: a meeting on ``2026-02-30 10:00:00`` (MySQL with
  ALLOW_INVALID_DATES, or an import that bypassed validation);
* ``absurd_future``: a call on ``9999-12-31 23:59:59``, a "never" placeholder;
* ``absurd_past``: a call on ``1970-01-01 00:00:00``, a timestamp that was 0;
* ``control_chars``: an account whose name holds a NUL and other control
  characters, as pasted from another system;
* ``html_entities``: a note whose subject was typed with ``&amp;`` and quotes, so
  SuiteCRM's own escaping comes on top.

The ids are fixed (``ODD_IDS``) so tests can find and fix the rows. Writes go to
the ``Sink`` only; no SQL, no HTTP here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from connector.sandbox.clock import to_db
from connector.sandbox.history import Sink

ODD_IDS: Mapping[str, str] = {
    "zero_date": "0dd00000-0000-4000-8000-000000000001",
    "zero_date_only": "0dd00000-0000-4000-8000-000000000002",
    "impossible_date": "0dd00000-0000-4000-8000-000000000003",
    "absurd_future": "0dd00000-0000-4000-8000-000000000004",
    "absurd_past": "0dd00000-0000-4000-8000-000000000005",
    "control_chars": "0dd00000-0000-4000-8000-000000000006",
    "html_entities": "0dd00000-0000-4000-8000-000000000007",
}
# The kinds a connector cannot take as they are: it must skip them until fixed.
BAD_KINDS = ("impossible_date", "absurd_future", "absurd_past")
CONTROL_NAME = "Odd\x00 Trading\x07 Co\x1b."


def _base(record_id: str, at: datetime) -> dict[str, Any]:
    return {
        "id": record_id,
        "date_entered": to_db(at),
        "date_modified": to_db(at),
        "created_by": "1",
        "modified_user_id": "1",
        "assigned_user_id": "1",
        "deleted": 0,
    }


def add_oddities(sink: Sink, account_id: str, at: datetime) -> None:
    """One row of each odd kind, tied to the account ``account_id``, dated ``at``."""
    parent = {"parent_type": "Accounts", "parent_id": account_id}
    at = at - timedelta(days=1)
    meetings = (
        ("zero_date", "0000-00-00 00:00:00", "Kick-off (date lost in a migration)"),
        ("impossible_date", "2026-02-30 10:00:00", "Review on a day that does not exist"),
    )
    for kind, start, name in meetings:
        sink.add(
            "meetings",
            {
                **_base(ODD_IDS[kind], at),
                **parent,
                "name": name,
                "status": "Held",
                "date_start": start,
                "duration_hours": "1",
                "duration_minutes": "0",
            },
        )
        sink.odd(kind)
    calls = (
        ("absurd_future", "9999-12-31 23:59:59", "Call back some day"),
        ("absurd_past", "1970-01-01 00:00:00", "Call imported with a zero timestamp"),
    )
    for kind, start, name in calls:
        sink.add(
            "calls",
            {
                **_base(ODD_IDS[kind], at),
                **parent,
                "name": name,
                "status": "Held",
                "direction": "Outbound",
                "date_start": start,
                "duration_hours": "0",
                "duration_minutes": "15",
            },
        )
        sink.odd(kind)
    sink.add(
        "aos_invoices",
        {
            **_base(ODD_IDS["zero_date_only"], at),
            "name": "Invoice with no invoice date",
            "number": "900001",
            "status": "Unpaid",
            "invoice_date": "0000-00-00",
            "currency_id": "-99",
            "billing_account_id": account_id,
            "total_amount": "100.000000",
        },
    )
    sink.odd("zero_date_only")
    sink.add(
        "accounts",
        {
            **_base(ODD_IDS["control_chars"], at),
            "name": CONTROL_NAME,
            "account_type": "Customer",
            "industry": "Retail",
        },
    )
    sink.odd("control_chars")
    sink.add(
        "notes",
        {
            **_base(ODD_IDS["html_entities"], at),
            **parent,
            "name": 'Q&amp;A "pricing" <draft>',
        },
    )
    sink.odd("html_entities")
