"""Fixtures of the SuiteCRM module tests: php-cli, headless Chromium, the built zip, artifacts.

php-cli and Chromium come from Debian (.ci/run installs php-cli and chromium); on a
machine without them the tests that need them skip and say which package to install.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import find_chromium

ROOT = Path(__file__).resolve().parents[2]
MODULE_SOURCE = ROOT / "suitecrm_module"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
PHP_HELPERS = Path(__file__).resolve().parent / "php"
ARTIFACTS = ROOT / "test-artifacts" / "module"


@pytest.fixture(scope="session")
def php() -> str:
    """Path of php-cli, or skip."""
    found = shutil.which("php")
    if found is None:
        pytest.skip("php-cli is not installed (Debian: apt-get install -y php-cli)")
    return found


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless-capable Chromium, or skip."""
    return find_chromium()


@pytest.fixture(scope="session")
def artifacts() -> Iterator[Path]:
    """test-artifacts/module/, emptied when the session starts; its path is printed at the end."""
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    yield ARTIFACTS
    shots = sorted(ARTIFACTS.glob("*.png"))
    sys.stdout.write(f"\nmodule test artifacts ({len(shots)} screenshots): {ARTIFACTS}\n")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say where the screenshots are, even when pytest captures output."""
    if ARTIFACTS.is_dir() and any(ARTIFACTS.glob("*.png")):
        terminalreporter.write_line(f"panel screenshots: {ARTIFACTS}")
