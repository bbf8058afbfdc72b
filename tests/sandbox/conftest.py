"""Fixtures for the sandbox tests: running sandboxes on 127.0.0.1 with a frozen clock,
and small helpers to talk to them over real HTTP."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from connector.sandbox import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_PASSWORD,
    SANDBOX_USERNAME,
    RunningSandbox,
    start_sandbox,
)

FROZEN_AT = "2026-11-22 21:49:36"


class Api:
    """A tiny HTTP helper bound to one sandbox (tokens and sessions on demand)."""

    def __init__(self, sandbox: RunningSandbox) -> None:
        self.sandbox = sandbox
        self.url = sandbox.url
        self.http = requests.Session()

    def token(self) -> str:
        answer = self.http.post(
            f"{self.url}/Api/access_token",
            data={
                "grant_type": "client_credentials",
                "client_id": SANDBOX_CLIENT_ID,
                "client_secret": SANDBOX_CLIENT_SECRET,
            },
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return str(answer.json()["access_token"])

    def v8(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        params: Any = None,
        body: Any = None,
    ) -> requests.Response:
        headers = {
            "Authorization": f"Bearer {token or self.token()}",
            "Accept": "application/vnd.api+json",
        }
        if body is not None:
            headers["Content-Type"] = "application/vnd.api+json"
        return self.http.request(
            method,
            f"{self.url}/Api/V8/{path}",
            params=params,
            data=json.dumps(body) if body is not None else None,
            headers=headers,
            timeout=10,
        )

    def session(self) -> str:
        answer = self.legacy(
            "login",
            [
                {
                    "user_name": SANDBOX_USERNAME,
                    "password": hashlib.md5(SANDBOX_PASSWORD.encode()).hexdigest(),
                },
                "tests",
                [],
            ],
        )
        return str(answer["id"])

    def legacy(self, method: str, rest_data: Any) -> Any:
        answer = self.http.post(
            f"{self.url}/service/v4_1/rest.php",
            data={
                "method": method,
                "input_type": "JSON",
                "response_type": "JSON",
                "rest_data": json.dumps(rest_data),
            },
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()


@pytest.fixture(scope="module")
def sandbox() -> Iterator[RunningSandbox]:
    """A module's own sandbox: 20 accounts and their journeys, clock frozen."""
    with start_sandbox(accounts=20, seed=7, now=FROZEN_AT) as running:
        yield running


@pytest.fixture(scope="module")
def api(sandbox: RunningSandbox) -> Api:
    return Api(sandbox)
