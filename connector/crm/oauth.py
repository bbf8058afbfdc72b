"""OAuth2 for SuiteCRM's V8 API: credentials, the token source, the bearer auth.

Facts (shared/suitecrm/): the token endpoint is ``{api}/access_token``; tokens
live one hour; refresh tokens come only with the password grant and are
single-use (rotating, working from 7.14.5); a grant the client is not allowed is
refused like a bad secret. ``TokenSource`` gets, caches and renews tokens a
little before they expire; ``BearerAuth`` (a ``requests`` auth) puts the token on
every request and, when SuiteCRM refuses one (401), renews it: ``Transport``
asks it to once per request, and a second 401 is a configuration error.

Speaks HTTP through ``Transport`` only; the token endpoint's answers are read by
``handlers.token_errors``, which never quotes them (they can repeat a password).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests

from connector.crm.handlers import token_errors
from connector.crm.http import Transport
from connector.errors import AuthenticationError, ProtocolError
from connector.secrets import Secret

log = logging.getLogger(__name__)

RENEW_MARGIN_SECONDS = 60.0


@dataclass(frozen=True)
class OAuthCredentials:
    """What the token endpoint needs. Secrets stay masked until the form is built."""

    client_id: str
    client_secret: Secret
    username: str | None = None
    password: Secret | None = None
    grant_type: str = "auto"

    @property
    def grant(self) -> str:
        """The grant tried first: as configured, else client_credentials (the kind of client
        SuiteCRM recommends for integrations; a user may be set only for REST v4_1)."""
        if self.grant_type != "auto":
            return self.grant_type
        return "client_credentials"

    @property
    def alternative(self) -> str | None:
        """With ``auto`` and a user set, the password grant, tried once when the client
        refuses client_credentials (SuiteCRM answers a grant the client is not allowed
        like a bad secret)."""
        if self.grant_type != "auto" or not (self.username and self.password):
            return None
        return "password"


class TokenSource:
    """Gets, caches and renews access tokens; renews ``margin`` seconds before expiry.

    With the password grant, SuiteCRM also returns a refresh token (single-use,
    rotating, working from 7.14.5); a failed refresh falls back to the grant.
    """

    def __init__(
        self,
        transport: Transport,
        token_path: str,
        credentials: OAuthCredentials,
        *,
        clock: Callable[[], float] | None = None,
        margin: float = RENEW_MARGIN_SECONDS,
    ) -> None:
        self.transport = transport
        self.token_path = token_path
        self.credentials = credentials
        self.clock = clock or transport.clock
        self.margin = margin
        self._access: Secret | None = None
        self._refresh: Secret | None = None
        self._expires_at = 0.0
        self._margin = margin
        self.issued = 0
        self.grant = credentials.grant
        self._fallback = credentials.alternative

    def access_token(self) -> str:
        if self._access is None or self.clock() >= self._expires_at - self._margin:
            self._obtain()
        assert self._access is not None
        return self._access.reveal()

    def invalidate(self) -> None:
        self._access = None
        self._expires_at = 0.0

    def _obtain(self) -> None:
        if self._refresh is not None:
            try:
                self._store(self._post(self._refresh_form(self._refresh)))
                return
            except AuthenticationError:
                log.info(
                    "refresh token refused; asking for a new token with the %s grant",
                    self.grant,
                )
                self._refresh = None
        try:
            self._store(self._post(self._grant_form(self.grant)))
        except AuthenticationError as first:
            other, self._fallback = self._fallback, None
            if other is None:
                raise
            try:
                self._store(self._post(self._grant_form(other)))
            except AuthenticationError:
                raise first from None
            log.info("the OAuth2 client accepts the %s grant, not %s", other, self.grant)
            self.grant = other
        self._fallback = None

    def _grant_form(self, grant: str) -> dict[str, str]:
        c = self.credentials
        form = {
            "grant_type": grant,
            "client_id": c.client_id,
            "client_secret": c.client_secret.reveal(),
        }
        if grant == "password":
            assert c.username is not None and c.password is not None
            form["username"] = c.username
            form["password"] = c.password.reveal()
        return form

    def _refresh_form(self, refresh: Secret) -> dict[str, str]:
        return {
            "grant_type": "refresh_token",
            "client_id": self.credentials.client_id,
            "client_secret": self.credentials.client_secret.reveal(),
            "refresh_token": refresh.reveal(),
        }

    def _post(self, form: dict[str, str]) -> Mapping[str, Any]:
        grant = form["grant_type"]
        username = self.credentials.username

        result = self.transport.request(
            "POST",
            self.token_path,
            data=form,
            headers={"Accept": "application/json"},
            # SuiteCRM answers bad passwords and unknown clients with a JSON 500: an
            # answer, not a crash; other 500s (and HTML pages) are retried.
            handler=token_errors(grant, username),
        )
        body = result.body
        if not isinstance(body, Mapping) or not body.get("access_token"):
            raise ProtocolError(
                f"SuiteCRM's token endpoint ({self.token_path}) answered without an access token."
            )
        return body

    def _store(self, body: Mapping[str, Any]) -> None:
        self._access = Secret(str(body["access_token"]))
        try:
            lifetime = float(body.get("expires_in") or 3600)
        except (TypeError, ValueError):
            lifetime = 3600.0
        self._expires_at = self.clock() + lifetime
        # Renew a minute early, or a tenth of the lifetime early for short-lived tokens.
        self._margin = min(self.margin, lifetime / 10)
        refresh = body.get("refresh_token")
        self._refresh = Secret(str(refresh)) if refresh else None
        self.issued += 1
        log.debug("new access token, valid %.0f s", lifetime)


class BearerAuth(requests.auth.AuthBase):
    """Puts a fresh bearer token on every request; ``renew`` drops the cached one."""

    def __init__(self, tokens: TokenSource) -> None:
        self.tokens = tokens

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.tokens.access_token()}"
        return request

    def renew(self) -> None:
        self.tokens.invalidate()
