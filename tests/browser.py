"""Headless Chromium for the browser tests (the panel, the report): where it is, how to start it.

Debian's chromium, started headless with a fresh profile and every background
network feature off (this machine's network is closed, and a test page must not
reach out anyway).
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--hide-scrollbars",
)


def find_chromium() -> str:
    """Path of a headless-capable Chromium (``SUITEJOURNEY_CHROMIUM`` first), or skip."""
    configured = os.environ.get("SUITEJOURNEY_CHROMIUM")
    for candidate in ([configured] if configured else []) + list(CHROMIUM_NAMES):
        found = shutil.which(candidate)
        if found:
            return found
    pytest.skip("Chromium is not installed (Debian: apt-get install -y chromium)")
