"""The signature of a change notification: HMAC-SHA256 over the timestamp and the body.

SuiteCRM's logic hook (suitecrm_module/…/CJ_ChangeNotifier.php) and the sandbox
sign the same way: ``X-Journey-Timestamp`` holds the Unix time of sending, and
``X-Journey-Signature`` is ``sha256=`` followed by the hex HMAC-SHA256, keyed with
the shared secret, of ``<timestamp>.<body>`` (the body's exact bytes). A
notification is accepted only when the HMAC matches and the timestamp is within
five minutes of the receiver's clock, either way; a replay of a signed request
inside those five minutes is caught by ``ReplayGuard``. Pure functions and a
small thread-safe cache; the clock is passed in. Secrets never enter a message.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import threading
from collections import OrderedDict

TIMESTAMP_HEADER = "X-Journey-Timestamp"
SIGNATURE_HEADER = "X-Journey-Signature"
SCHEME = "sha256="
TOLERANCE = 300.0  # seconds: older (or further in the future) is refused
_TIMESTAMP = re.compile(r"^\d{1,12}$")
_SIGNATURE = re.compile(r"^sha256=[0-9a-f]{64}$")


class SignatureError(Exception):
    """The notification is not authentic or not fresh; ``reason`` names the counter."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


def sign(secret: bytes, timestamp: int, body: bytes) -> str:
    """The ``X-Journey-Signature`` value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret, str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return SCHEME + digest.hexdigest()


def signed_headers(secret: bytes, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(secret, timestamp, body),
        "Content-Type": "application/json",
    }


def verify(
    secret: bytes,
    timestamp: str | None,
    signature: str | None,
    body: bytes,
    now: float,
    tolerance: float = TOLERANCE,
) -> int:
    """Check a notification; return its timestamp, or raise ``SignatureError``.

    The HMAC is checked before the time, so an unsigned request learns nothing
    about the receiver's clock."""
    if not timestamp or not signature:
        raise SignatureError("unsigned", "the notification carries no signature or timestamp")
    signature = signature.strip().lower()
    timestamp = timestamp.strip()
    if not _TIMESTAMP.match(timestamp) or not _SIGNATURE.match(signature):
        raise SignatureError("bad_signature", "the signature or timestamp is malformed")
    expected = sign(secret, int(timestamp), body)
    if not hmac.compare_digest(expected, signature):
        raise SignatureError("bad_signature", "the signature does not match")
    sent = int(timestamp)
    if abs(now - sent) > tolerance:
        raise SignatureError(
            "stale",
            f"the notification was signed {now - sent:+.0f} s from now; more than "
            f"{tolerance:.0f} s is refused (a replay, or the two clocks disagree)",
        )
    return sent


class ReplayGuard:
    """Signatures seen within the tolerance: the same signed request twice is a replay.

    Bounded: at most ``capacity`` signatures are kept (oldest forgotten first);
    entries older than the tolerance are useless (``verify`` refuses them anyway)
    and are dropped as new ones arrive."""

    def __init__(self, capacity: int = 100_000, tolerance: float = TOLERANCE) -> None:
        self.capacity = capacity
        self.tolerance = tolerance
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, signature: str, sent: int, now: float) -> bool:
        """Remember ``signature``; False when it was seen before (a replay)."""
        with self._lock:
            while self._seen:
                oldest, at = next(iter(self._seen.items()))
                if at >= now - self.tolerance and len(self._seen) < self.capacity:
                    break
                del self._seen[oldest]
            if signature in self._seen:
                return False
            self._seen[signature] = float(sent)
            return True

    def __len__(self) -> int:
        return len(self._seen)
