"""The ``Secret`` type and the scrubbing of secrets out of text.

A ``Secret`` prints as ``'********'`` in ``repr``, ``str``, f-strings, logs and
tracebacks; only ``reveal()`` gives the value, and only the code that puts it on
the wire calls it. ``mask_url`` hides the password of a database URL. This
module imports nothing of the package and performs no I/O.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

MASK = "********"


class Secret:
    """A value that must never be shown."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", self._value))

    def __reduce__(self) -> tuple[type[Secret], tuple[str]]:
        raise TypeError("a Secret cannot be pickled")


def mask_url(url: str) -> str:
    """``mysql+pymysql://user:pw@host/db`` → ``mysql+pymysql://user:********@host/db``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    netloc = f"{user}:{MASK}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def url_password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


_SECRET_PARAMS = re.compile(
    r"(?i)(\b(?:access_token|refresh_token|client_secret|password|session|token)\b"
    r"[\"']?\s*[:=]\s*[\"']?)([^\"'&\s,}]+)"
)
_BEARER = re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+")


def scrub(text: str, secrets: tuple[str, ...] = ()) -> str:
    """Remove known secret values and anything shaped like a credential from text."""
    for value in secrets:
        if value and len(value) >= 3:
            text = text.replace(value, MASK)
    text = _BEARER.sub(rf"\g<1>{MASK}", text)
    return _SECRET_PARAMS.sub(rf"\g<1>{MASK}", text)
