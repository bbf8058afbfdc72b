"""Responses the recordings lack, built in the recorded shapes (never a new shape).

Each builder starts from a real recorded answer (tests/fixtures/recorded) and
changes only values: token strings, record subsets, page counters, an entity in
a name. The two bodies that are not JSON (an HTML error page, a PHP notice after
the JSON) are what Apache/PHP print; the refused refresh token follows the row
"bad/expired refresh token | 401 | invalid_request" of shared/suitecrm/reference.md.
"""

from __future__ import annotations

import copy
from typing import Any

from tests.unit.crm.conftest import Recorded, recorded

HTML_CONTENT_TYPE = "text/html; charset=UTF-8"

HTML_ERROR_PAGE = """<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>500 Internal Server Error</title>
</head><body>
<h1>Internal Server Error</h1>
<p>The server encountered an internal error or misconfiguration and was unable to
complete your request.</p>
<br />
<b>Fatal error</b>:  Uncaught Exception in /var/www/html/include/database/MysqliManager.php:123
</body></html>
"""

PHP_NOTICE = (
    "<br />\n<b>Warning</b>:  Database failure. Please refer to suitecrm.log for details. in "
    "<b>/var/www/html/include/database/DBManager.php</b> on line <b>353</b><br />\n"
)


def html_error_page(status: int) -> Recorded:
    """What Apache/PHP send when SuiteCRM dies before its JSON: an HTML page."""
    return Recorded(f"html_error_page_{status}", status, HTML_CONTENT_TYPE, HTML_ERROR_PAGE, "text")


def invalid_json(status: int = 200) -> Recorded:
    """A JSON content type whose body is cut off mid-object."""
    return Recorded(
        "invalid_json", status, "application/vnd.api+json", '{"data": [{"type": "Acc', "text"
    )


def json_followed_by_php_notice(name: str) -> Recorded:
    """A recorded JSON answer with a PHP warning printed after it (display_errors on)."""
    base = recorded(name)
    return Recorded(
        f"{name}_with_php_notice",
        base.status,
        base.content_type,
        base.text + "\n" + PHP_NOTICE,
        "text",
    )


def token(
    access: str, refresh: str | None = None, expires_in: int = 3600, *, grant: str = "password"
) -> Recorded:
    """A recorded token answer with real-looking token values instead of REDACTED."""
    name = "token_password_success" if grant == "password" else "token_client_credentials_success"
    if grant == "refresh_token":
        name = "token_refresh_success"
    base = recorded(name)
    body = dict(base.body)
    body["access_token"] = access
    body["expires_in"] = expires_in
    if refresh is None:
        body.pop("refresh_token", None)
    else:
        body["refresh_token"] = refresh
    return base.with_body(body)


def refresh_refused(status: int = 401, error: str = "invalid_request") -> Recorded:
    """The token endpoint refusing a used or expired refresh token (league/oauth2-server)."""
    base = recorded("token_failure_bad_secret")
    body = {
        "error": error,
        "error_description": "The refresh token is invalid.",
        "hint": "Token has been revoked",
        "message": "The refresh token is invalid.",
    }
    return Recorded("refresh_refused", status, base.content_type, body, "json")


def v8_page(name: str, ids: list[str] | None = None, count: int | None = None) -> Recorded:
    """A recorded V8 list page, optionally cut to ``count`` rows or given other ids."""
    base = recorded(name)
    body = copy.deepcopy(base.body)
    data = body["data"]
    if count is not None:
        data = data[:count]
    if ids is not None:
        data = [dict(copy.deepcopy(data[i % len(data)]), id=new_id) for i, new_id in enumerate(ids)]
    body["data"] = data
    if "meta" in body and "records-on-this-page" in body["meta"]:
        body["meta"]["records-on-this-page"] = len(data)
    return base.with_body(body)


def v8_record_with_entities() -> Recorded:
    """accounts_get_single with the HTML entities SuiteCRM's to_html() produces."""
    base = recorded("accounts_get_single")
    body = copy.deepcopy(base.body)
    body["data"]["attributes"]["name"] = "O&#039;Reilly &amp; Sons"
    body["data"]["attributes"]["description"] = "&lt;b&gt;VIP&lt;/b&gt; &quot;gold&quot;"
    return base.with_body(body)


def legacy_entries(count: int, *, start: int = 0) -> list[dict[str, Any]]:
    """``count`` entries shaped like legacy_get_entry_list_calls, with distinct ids."""
    template = recorded("legacy_get_entry_list_calls").body["entry_list"]
    entries = []
    for i in range(start, start + count):
        entry = copy.deepcopy(template[i % len(template)])
        new_id = f"00000000-0000-0000-0000-{i:012d}"
        entry["id"] = new_id
        entry["name_value_list"]["id"]["value"] = new_id
        entries.append(entry)
    return entries


def legacy_page(
    entries: list[dict[str, Any]], *, total_count: int | str, next_offset: int
) -> Recorded:
    """A get_entry_list answer in the recorded shape (total_count is a string there)."""
    base = recorded("legacy_get_entry_list_calls")
    body = {
        "result_count": len(entries),
        "total_count": str(total_count),
        "next_offset": next_offset,
        "entry_list": entries,
        "relationship_list": [],
    }
    return base.with_body(body)


def legacy_login(session_id: str) -> Recorded:
    """The recorded v4_1 login answer with a real-looking session id."""
    base = recorded("legacy_login")
    body = copy.deepcopy(base.body)
    body["id"] = session_id
    return base.with_body(body)


def legacy_entry_with_entities() -> Recorded:
    """legacy_get_entry_list_accounts_modified_since with an escaped account name."""
    base = recorded("legacy_get_entry_list_accounts_modified_since")
    body = copy.deepcopy(base.body)
    body["entry_list"][0]["name_value_list"]["name"]["value"] = "O&#039;Reilly &amp; Sons"
    return base.with_body(body)


def relationship_changed(message: str) -> Recorded:
    """A V8 answer carrying only a meta message, shaped like notes_delete."""
    base = recorded("notes_delete")
    return base.with_body({"meta": {"message": message}, "data": []})
