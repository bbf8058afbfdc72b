"""The sandbox's request and response values, independent of the HTTP server.

Handlers take a ``Request`` and return a ``Response``; the server turns those
into bytes on a socket. Keeping them plain values lets the faults, the request
log and both APIs be tested without sockets. No I/O here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

JSON_TYPE = "application/json"
JSONAPI_TYPE = "application/vnd.api+json"
JSON_UTF8 = "application/json; charset=UTF-8"
HTML_TYPE = "text/html; charset=UTF-8"


@dataclass
class Request:
    method: str
    path: str
    query: list[tuple[str, str]] = field(default_factory=list)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lowered:
                return value
        return None

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    def is_json(self) -> bool:
        kind = self.content_type
        return kind == JSON_TYPE or kind.endswith("+json")

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def json(self) -> Any:
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def params(self) -> dict[str, str]:
        """Form fields or a JSON object, whichever the body is (token endpoint)."""
        if self.is_json():
            data = self.json()
            return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
        return self.form()


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


def json_response(status: int, payload: Any, content_type: str = JSON_TYPE) -> Response:
    body = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    return Response(status, body, content_type)


def html_response(status: int, title: str, message: str) -> Response:
    page = (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
        f"<title>{status} {title}</title>\n</head><body>\n<h1>{title}</h1>\n<p>{message}</p>\n"
        "<hr>\n<address>Apache/2.4.62 (Debian) Server at 127.0.0.1 Port 80</address>\n"
        "</body></html>\n"
    )
    return Response(status, page.encode("utf-8"), HTML_TYPE)
