"""Rewrite what was written in an older stored form.

Journeys are written only when their content changes, so a record SuiteCRM
stored damaged (version 1 kept ``timeline_json`` as plain JSON, which SuiteCRM's
save-time cleaning broke when a subject held "<john@example.com>") would stay
damaged for good. The state database remembers the ``PAYLOAD_VERSION`` it last
wrote with; when the connector writes a newer form, every journey is marked to
be written again, and each record whose stored form changed (its hash differs)
is sent once. Records written in the current form are left alone. All SQL goes
through ``connector.store``.
"""

from __future__ import annotations

import logging

from connector.store.database import Connection
from connector.store.meta import read_meta, write_meta
from connector.store.writeback import mark_every_journey_changed
from connector.writeback.payload import PAYLOAD_VERSION

log = logging.getLogger(__name__)

META = "writeback_payload_version"


def rewrite_older_payloads(conn: Connection) -> int:
    """Mark every written journey as changed when it was written in an older form;
    the number of journeys marked."""
    stored = read_meta(conn, META)
    if stored == str(PAYLOAD_VERSION):
        return 0
    count = mark_every_journey_changed(conn)
    write_meta(conn, META, str(PAYLOAD_VERSION))
    if count:
        log.info(
            "CJ records were written in an older form (%s); %d journeys are written again",
            stored or "1",
            count,
        )
    return count
