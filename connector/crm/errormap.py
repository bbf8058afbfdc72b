"""The one table from SuiteCRM's status codes and error bodies to our exceptions.

SuiteCRM answers almost every V8 failure with HTTP 400 and a body
``{"errors": {"status": 400, "title": null, "detail": "..."}}`` (an object, not a
JSON:API array); OAuth failures with the league shape ``{"error", "error_description",
"hint", "message"}``, sometimes as HTTP 500 whose text repeats the user's password;
REST v4_1 with HTTP 200 and ``{"name", "number", "description"}``. So errors are
classified by body first, status second, and the text of a token-endpoint body is
never copied into a message.

This module only maps; it does no I/O and knows nothing of journeys.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from connector.errors import (
    AccessDeniedError,
    AuthenticationError,
    BadRequestError,
    ConnectorError,
    DuplicateIdError,
    EndpointNotFoundError,
    NotFoundError,
    RecordRejectedError,
    RemoteConfigurationError,
    ServerError,
    UnknownModuleError,
)


@dataclass(frozen=True)
class ErrorContext:
    """What is known about a failed answer, without secrets."""

    status: int
    method: str
    path: str
    body: Any
    module: str | None = None
    record_id: str | None = None

    @property
    def where(self) -> str:
        return f"{self.method} {self.path}"


Factory = Callable[[ErrorContext, "re.Match[str]"], ConnectorError]


@dataclass(frozen=True)
class V8Rule:
    """Matches a V8 ``errors.detail`` text (regex) at a status."""

    status: int
    pattern: re.Pattern[str]
    build: Factory


def _detail(body: Any) -> str:
    if isinstance(body, Mapping):
        errors = body.get("errors")
        if isinstance(errors, Mapping):
            return str(errors.get("detail") or "")
        if isinstance(errors, list) and errors and isinstance(errors[0], Mapping):
            return str(errors[0].get("detail") or "")
        if "message" in body and "error" not in body:
            return str(body["message"])
    return ""


def _rule(status: int, pattern: str, build: Factory) -> V8Rule:
    return V8Rule(status, re.compile(pattern, re.IGNORECASE), build)


V8_RULES: tuple[V8Rule, ...] = (
    _rule(
        400,
        r"^Module (?P<module>\S+) does not exist",
        lambda c, m: UnknownModuleError(
            f"SuiteCRM has no module named '{m['module']}' ({c.where}): module names are "
            "case-sensitive (Accounts, not accounts); check the 'modules' setting, or install "
            "the CJ module for CJ_Journeys/CJ_Touchpoints.",
            module=m["module"],
        ),
    ),
    _rule(
        400,
        r"^(?P<module>\S+) module with id (?P<id>\S+) is not found",
        lambda c, m: NotFoundError(
            f"{m['module']} record {m['id']} does not exist or is deleted ({c.where}).",
            module=m["module"],
            record_id=m["id"],
        ),
    ),
    _rule(
        400,
        r"AccessDenied|Not Allowed|does not have access",
        lambda c, m: AccessDeniedError(
            f"the SuiteCRM API user is not allowed to do this ({c.where}): give the user "
            "(or the OAuth2 client's associated user) a role with access to the module."
        ),
    ),
    _rule(
        400,
        r"^Bean (?P<module>\S+) with id (?P<id>\S+) is already exist",
        lambda c, m: DuplicateIdError(
            f"{m['module']} record {m['id']} already exists ({c.where}).",
            module=m["module"],
            record_id=m["id"],
        ),
    ),
    _rule(
        409,
        r".*",
        lambda c, m: DuplicateIdError(
            f"a record with this id already exists ({c.where}).",
            module=c.module,
            record_id=c.record_id,
        ),
    ),
    _rule(
        400,
        r"^Property (?P<field>\S+) in (?P<module>\S+) module is invalid",
        lambda c, m: RecordRejectedError(
            f"{m['module']} has no field '{m['field']}' ({c.where}); "
            "is the module at the version the connector expects?",
            module=c.module,
            record_id=c.record_id,
        ),
    ),
    _rule(
        400,
        r"^Database failure",
        lambda c, m: BadRequestError(
            f"SuiteCRM's database rejected the query ({c.where}); see suitecrm.log on the "
            "server (a filter on a non-database field causes this)."
        ),
    ),
    _rule(
        404,
        r".*",
        lambda c, m: EndpointNotFoundError(
            f"SuiteCRM answered 404 for {c.where}: check the url setting (SuiteCRM 8 serves "
            "the API under /legacy), that the V8 API is enabled, and rebuild .htaccess "
            "(Admin → Repair)."
        ),
    ),
)


def map_v8_error(ctx: ErrorContext) -> ConnectorError:
    """The exception for a failed V8 resource answer (never the token endpoint)."""
    detail = _detail(ctx.body)
    for rule in V8_RULES:
        if rule.status != ctx.status:
            continue
        match = rule.pattern.search(detail)
        if match:
            return rule.build(ctx, match)
    if ctx.status == 401:
        return AuthenticationError(
            f"SuiteCRM rejected the access token twice ({ctx.where}): the OAuth2 client or "
            "its key pair changed on the server; check client_id/client_secret."
        )
    if ctx.status == 403:
        return AccessDeniedError(f"SuiteCRM refused access ({ctx.where}).")
    if ctx.status >= 500:
        return ServerError(
            f"SuiteCRM failed with HTTP {ctx.status} ({ctx.where}); see suitecrm.log and the "
            "PHP error log on the server.",
            status=ctx.status,
        )
    clean = _short(detail) or f"HTTP {ctx.status}"
    return BadRequestError(f"SuiteCRM refused the request ({ctx.where}): {clean}")


# The token endpoint: (status, error code, description pattern) -> message.
# Descriptions of 500 answers can contain the clear-text password, so the
# message is always ours, never theirs.
_TOKEN_RULES: tuple[tuple[int | None, str | None, re.Pattern[str] | None, str, bool], ...] = (
    (
        401,
        "invalid_client",
        None,
        "SuiteCRM refused the OAuth2 client: client_id or client_secret is wrong, or the "
        "client is not allowed the '{grant}' grant (Admin → OAuth2 Clients and Tokens; "
        "client_credentials also needs a confidential client)",
        True,
    ),
    (
        None,
        None,
        re.compile(r"password is invalid", re.I),
        "SuiteCRM refused the password of user '{username}': check username/password",
        True,
    ),
    (
        None,
        None,
        re.compile(r"No user found", re.I),
        "SuiteCRM found no such user: check username, or give the OAuth2 client an "
        "Associated User (client_credentials)",
        True,
    ),
    (
        None,
        None,
        re.compile(r"OAuth2Clients module with id", re.I),
        "SuiteCRM does not know this client_id: copy the id of the client from "
        "Admin → OAuth2 Clients and Tokens",
        True,
    ),
    (
        None,
        None,
        re.compile(r"key", re.I),
        "SuiteCRM cannot read its OAuth2 key files (Api/V8/OAuth2/private.key and "
        "public.key): create them and make them readable by the web server",
        False,
    ),
    (
        400,
        "unsupported_grant_type",
        None,
        "SuiteCRM does not support the '{grant}' grant on this server",
        False,
    ),
    (
        400,
        "invalid_scope",
        None,
        "SuiteCRM refused the token request's scope",
        False,
    ),
    (
        400,
        "invalid_request",
        None,
        "SuiteCRM found the token request incomplete: set client_id and client_secret "
        "(and username/password for the password grant)",
        True,
    ),
)


def map_token_error(status: int, body: Any, *, grant: str, username: str | None) -> ConnectorError:
    """The exception for a failed ``access_token`` answer; never quotes the body."""
    code = str(body.get("error", "")) if isinstance(body, Mapping) else ""
    text = ""
    if isinstance(body, Mapping):
        text = str(body.get("error_description") or body.get("message") or "")
    for rule_status, rule_code, pattern, message, is_auth in _TOKEN_RULES:
        if rule_status is not None and rule_status != status:
            continue
        if rule_code is not None and rule_code != code:
            continue
        if pattern is not None and not pattern.search(text):
            continue
        formatted = message.format(grant=grant, username=username or "")
        formatted += f" (HTTP {status} from the token endpoint)."
        if is_auth:
            return AuthenticationError(formatted)
        return RemoteConfigurationError(formatted)
    if status == 404:
        return EndpointNotFoundError(
            "SuiteCRM's token endpoint was not found (HTTP 404): check the url setting; "
            "SuiteCRM 8 serves the API under /legacy/Api, and 7.x needs mod_rewrite and a "
            "rebuilt .htaccess (Admin → Repair → Rebuild .htaccess File)."
        )
    if status >= 500:
        return ServerError(
            f"SuiteCRM's token endpoint failed with HTTP {status} ({code or 'no error code'}); "
            "see suitecrm.log on the server.",
            status=status,
        )
    return AuthenticationError(
        f"SuiteCRM refused the token request (HTTP {status}, {code or 'no error code'}): "
        "check client_id, client_secret, username and password."
    )


# REST v4_1 answers errors with HTTP 200 and {"name", "number", "description"}.
LEGACY_INVALID_LOGIN = 10
LEGACY_INVALID_SESSION = 11
LEGACY_NO_MODULE = 20
LEGACY_ACCESS_DENIED = 40
LEGACY_DUPLICATE = 50
LEGACY_NO_RECORDS = 51


def is_legacy_error(body: Any) -> bool:
    return (
        isinstance(body, Mapping)
        and "number" in body
        and "name" in body
        and "description" in body
        and "entry_list" not in body
    )


def map_legacy_error(body: Mapping[str, Any], *, method: str, module: str | None) -> ConnectorError:
    """The exception for a v4_1 error object."""
    number = int(body.get("number") or 0)
    where = f"v4_1 {method}" + (f" on {module}" if module else "")
    if number == LEGACY_INVALID_LOGIN:
        return AuthenticationError(
            f"SuiteCRM refused the login ({where}): check username and password (REST v4_1 "
            "does not work for LDAP/SAML-only users)."
        )
    if number == LEGACY_INVALID_SESSION:
        return AuthenticationError(
            f"SuiteCRM rejected a fresh session ({where}): sessions are bound to the client "
            "IP; a proxy that changes address breaks them."
        )
    if number == LEGACY_NO_MODULE:
        return UnknownModuleError(
            f"SuiteCRM has no module named '{module}' ({where}).", module=module or ""
        )
    if number == LEGACY_ACCESS_DENIED:
        return AccessDeniedError(
            f"SuiteCRM denied access ({where}): the user lacks rights on the module, or the "
            "query was refused by SuiteCRM's SQL validator."
        )
    if number == LEGACY_DUPLICATE:
        return DuplicateIdError(f"duplicate record ({where}).", module=module)
    if number == LEGACY_NO_RECORDS:
        return NotFoundError(f"no such record ({where}).", module=module)
    name = _short(str(body.get("name") or ""))
    return BadRequestError(f"SuiteCRM answered error {number} '{name}' ({where}).")


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
