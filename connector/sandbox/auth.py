"""OAuth2 for the sandbox's V8 API, answering as SuiteCRM 7.14's league/oauth2-server does.

Grants: client_credentials, password and refresh_token (single-use, rotating).
Access tokens are JWTs (three dot-separated parts, HMAC-signed with a key made
per server) that expire after ``ttl`` seconds of the sandbox clock. Errors keep
SuiteCRM's codes and bodies, including its flaws: an unknown client or a wrong
user password is a 500 ``unknown_error``, and the latter repeats the password.
Nothing here touches the network or logs a secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from connector.sandbox.clock import SandboxClock

DENIED = "The resource owner or authorization server denied the request."
REFRESH_TTL = 30 * 24 * 3600.0
GRANTS = ("client_credentials", "password", "refresh_token")


@dataclass(frozen=True)
class OAuthClient:
    client_id: str
    secret: str
    grant: str
    confidential: bool = True


@dataclass
class IssuedToken:
    client_id: str
    username: str | None
    expires_at: float
    revoked: bool = False


class TokenError(Exception):
    """A token-endpoint or bearer failure, with league's body."""

    def __init__(self, status: int, error: str, description: str, hint: str | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.error = error
        self.description = description
        self.hint = hint

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.error, "error_description": self.description}
        if self.hint is not None:
            body["hint"] = self.hint
        body["message"] = self.description
        return body


def invalid_request(parameter: str) -> TokenError:
    return TokenError(
        400,
        "invalid_request",
        "The request is missing a required parameter, includes an invalid parameter value, "
        "includes a parameter more than once, or is otherwise malformed.",
        f"Check the `{parameter}` parameter",
    )


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def access_denied(hint: str) -> TokenError:
    return TokenError(401, "access_denied", DENIED, hint)


class OAuthServer:
    """Issues and checks tokens."""

    def __init__(
        self,
        clock: SandboxClock,
        clients: Mapping[str, OAuthClient],
        users: Mapping[str, str],
        ttl: float = 3600.0,
    ) -> None:
        self.clock = clock
        self.clients = dict(clients)
        self.users = dict(users)
        self.ttl = ttl
        self._key = secrets.token_bytes(32)
        self._tokens: dict[str, IssuedToken] = {}
        self._refresh: dict[str, IssuedToken] = {}
        self._lock = threading.Lock()

    # -- token endpoint ------------------------------------------------------------

    def grant(
        self, params: Mapping[str, str], basic: tuple[str, str] | None = None
    ) -> dict[str, Any]:
        """Answer a token request, or raise ``TokenError``."""
        grant_type = params.get("grant_type", "")
        if grant_type not in GRANTS:
            raise TokenError(
                400,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
                "Check that all required parameters have been provided",
            )
        client = self._client(params, basic, grant_type)
        if params.get("scope"):
            raise TokenError(
                400,
                "invalid_scope",
                "The requested scope is invalid, unknown, or malformed",
                f"Check the `{params['scope']}` scope",
            )
        if grant_type == "password":
            username = self._user(params)
            return self._issue(client, username, with_refresh=True)
        if grant_type == "refresh_token":
            return self._refresh_grant(client, params.get("refresh_token", ""))
        return self._issue(client, None, with_refresh=False)

    def _client(
        self, params: Mapping[str, str], basic: tuple[str, str] | None, grant_type: str
    ) -> OAuthClient:
        client_id = params.get("client_id") or (basic[0] if basic else "")
        secret = params.get("client_secret") or (basic[1] if basic else "")
        if not client_id:
            raise invalid_request("client_id")
        client = self.clients.get(client_id)
        if client is None:
            message = f"OAuth2Clients module with id {client_id} is not found"
            raise TokenError(500, "unknown_error", message)
        allowed = grant_type == client.grant or grant_type == "refresh_token"
        if grant_type == "client_credentials" and not client.confidential:
            allowed = False
        if not hmac.compare_digest(secret, client.secret) or not allowed:
            raise TokenError(401, "invalid_client", "Client authentication failed")
        return client

    def _user(self, params: Mapping[str, str]) -> str:
        username = params.get("username", "")
        password = params.get("password", "")
        if not username:
            raise invalid_request("username")
        if not password:
            raise invalid_request("password")
        expected = self.users.get(username)
        if expected is None:
            raise TokenError(500, "unknown_error", f"No user found with this username: {username}")
        if not hmac.compare_digest(password, expected):
            # SuiteCRM really does repeat the password here.
            raise TokenError(500, "unknown_error", f"The password is invalid: {password}")
        return username

    def _refresh_grant(self, client: OAuthClient, refresh_token: str) -> dict[str, Any]:
        if not refresh_token:
            raise invalid_request("refresh_token")
        now = self.clock.timestamp()
        with self._lock:
            issued = self._refresh.get(refresh_token)
            if issued is None:
                raise TokenError(
                    401,
                    "invalid_request",
                    "The refresh token is invalid.",
                    "Cannot decrypt the refresh token",
                )
            if issued.client_id != client.client_id:
                raise TokenError(
                    401,
                    "invalid_request",
                    "The refresh token is invalid.",
                    "Token is not linked to client",
                )
            if issued.revoked or issued.expires_at < now:
                raise TokenError(
                    401,
                    "invalid_request",
                    "The refresh token is invalid.",
                    "Token has been revoked" if issued.revoked else "Token has expired",
                )
            issued.revoked = True
            for token in self._tokens.values():
                if token.client_id == client.client_id and token.username == issued.username:
                    token.revoked = True
        return self._issue(client, issued.username, with_refresh=True)

    def _issue(
        self, client: OAuthClient, username: str | None, *, with_refresh: bool
    ) -> dict[str, Any]:
        now = self.clock.timestamp()
        jti = secrets.token_hex(40)
        expires = now + self.ttl
        header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
        payload = _b64(
            json.dumps(
                {
                    "aud": client.client_id,
                    "jti": jti,
                    "iat": int(now),
                    "nbf": int(now),
                    "exp": expires,
                    "sub": "1",
                    "scopes": [],
                }
            ).encode()
        )
        signature = _b64(
            hmac.new(self._key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        )
        body: dict[str, Any] = {
            "token_type": "Bearer",
            "expires_in": round(self.ttl),
            "access_token": f"{header}.{payload}.{signature}",
        }
        with self._lock:
            self._tokens[jti] = IssuedToken(client.client_id, username, expires)
            if with_refresh:
                refresh = secrets.token_urlsafe(48)
                self._refresh[refresh] = IssuedToken(client.client_id, username, now + REFRESH_TTL)
                body["refresh_token"] = refresh
        return body

    # -- bearer checks -------------------------------------------------------------

    def verify(self, authorization: str | None) -> str:
        """The token's id for a valid ``Authorization`` header, else ``TokenError``."""
        token = ""
        if authorization and authorization[:7].lower() == "bearer ":
            token = authorization[7:].strip()
        parts = token.split(".")
        if len(parts) != 3:
            raise access_denied("The JWT string must have two dots")
        header, payload, signature = parts
        expected = _b64(
            hmac.new(self._key, f"{header}.{payload}".encode(), hashlib.sha256).digest()
        )
        try:
            claims = json.loads(_unb64(payload))
        except ValueError:
            raise access_denied("Access token could not be verified") from None
        now = self.clock.timestamp()
        if not hmac.compare_digest(signature, expected) or float(claims.get("exp", 0)) <= now:
            raise access_denied("Access token could not be verified")
        jti = str(claims.get("jti", ""))
        with self._lock:
            issued = self._tokens.get(jti)
            if issued is None or issued.revoked or issued.expires_at <= now:
                raise access_denied("Access token has been revoked")
        return jti

    def revoke(self, jti: str) -> None:
        with self._lock:
            if jti in self._tokens:
                self._tokens[jti].revoked = True

    def expire_all(self) -> int:
        """Expire every issued token on the server side (as an old oauth2tokens row)."""
        now = self.clock.timestamp()
        with self._lock:
            for token in self._tokens.values():
                token.expires_at = min(token.expires_at, now)
            return len(self._tokens)

    @property
    def issued(self) -> int:
        with self._lock:
            return len(self._tokens)
