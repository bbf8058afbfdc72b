"""The sandbox's stand-in for the CJ module's logic hook: signed change notifications.

Started with ``--webhook URL --webhook-secret S``, the sandbox does on its own
saves what CJ_ChangeNotifier.php does in SuiteCRM: after a record of a hooked
module is saved or deleted, or related to another record (both sides, as
SuiteCRM calls after_relationship_add on each), it posts
``{"events": [{"module", "id", "event", "time"}], "nonce"}`` to the URL, signed with
HMAC-SHA256 over ``<timestamp>.<body>`` (headers ``X-Journey-Timestamp`` and
``X-Journey-Signature: sha256=<hex>``), waits at most one second, and logs and
swallows any failure: the save itself always succeeds. Like the PHP hook, it
posts while the saving request runs, so the answer to a save comes after the
notification went out.

Written apart from ``connector.realtime`` on purpose: it is the other side of the
wire, and the end-to-end tests check that the two agree.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
from collections.abc import Callable

import requests

log = logging.getLogger(__name__)

# The modules the CJ module's manifest registers the hook on (the connector's defaults).
HOOKED_MODULES = frozenset(
    {
        "Accounts",
        "Contacts",
        "Leads",
        "Calls",
        "Meetings",
        "Tasks",
        "Notes",
        "Emails",
        "Cases",
        "Opportunities",
        "Campaigns",
        "CampaignLog",
        "AOS_Quotes",
        "AOS_Invoices",
        "AOS_Contracts",
        "Documents",
    }
)
TIMEOUT = 1.0


class WebhookNotifier:
    def __init__(
        self,
        url: str,
        secret: str,
        *,
        timeout: float = TIMEOUT,
        now: Callable[[], float] = time.time,
        session: requests.Session | None = None,
    ) -> None:
        self.url = url
        self._secret = secret.encode("utf-8")
        self.timeout = timeout
        self.now = now
        self._session = session or requests.Session()
        self._lock = threading.Lock()
        self.sent = 0
        self.failed = 0

    def changed(self, module: str, record_id: str, event: str, when: str) -> None:
        """Notify one change of a hooked module; never raises."""
        if module not in HOOKED_MODULES:
            return
        body = json.dumps(
            {
                "events": [{"module": module, "id": record_id, "event": event, "time": when}],
                "nonce": secrets.token_hex(8),
            },
            separators=(",", ":"),
        ).encode("utf-8")
        stamp = str(int(self.now()))
        signature = hmac.new(self._secret, stamp.encode() + b"." + body, hashlib.sha256)
        headers = {
            "Content-Type": "application/json",
            "X-Journey-Timestamp": stamp,
            "X-Journey-Signature": "sha256=" + signature.hexdigest(),
        }
        try:
            answer = self._session.post(self.url, data=body, headers=headers, timeout=self.timeout)
            ok = 200 <= answer.status_code < 300
            if not ok:
                log.warning(
                    "change notification of %s %s answered HTTP %d",
                    module,
                    record_id,
                    answer.status_code,
                )
        except requests.RequestException as exc:
            ok = False
            log.warning(
                "change notification of %s %s failed: %s", module, record_id, type(exc).__name__
            )
        with self._lock:
            if ok:
                self.sent += 1
            else:
                self.failed += 1

    def close(self) -> None:
        self._session.close()
