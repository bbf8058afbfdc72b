"""Fixtures of the report browser tests: headless Chromium and the artifacts folder.

Chromium comes from Debian (.ci/run installs it); without it the tests skip and
say which package to install. Screenshots go to test-artifacts/report/.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import find_chromium

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "report"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless-capable Chromium, or skip."""
    return find_chromium()


@pytest.fixture(scope="session")
def artifacts() -> Iterator[Path]:
    """test-artifacts/report/, emptied when the session starts; its path printed at the end."""
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    yield ARTIFACTS
    shots = sorted(ARTIFACTS.glob("*.png"))
    sys.stdout.write(f"\nreport test artifacts ({len(shots)} screenshots): {ARTIFACTS}\n")
