"""`php -l` on every PHP file of the SuiteCRM package and of the PHP test helpers."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.module.conftest import MODULE_SOURCE, PHP_HELPERS

PHP_FILES = sorted([*MODULE_SOURCE.rglob("*.php"), *PHP_HELPERS.rglob("*.php")])


def test_the_package_has_php_files() -> None:
    assert len(PHP_FILES) > 40


@pytest.mark.parametrize("path", PHP_FILES, ids=lambda p: str(p.relative_to(p.parents[3])))
def test_php_lint(php: str, path: Path) -> None:
    result = subprocess.run(
        [php, "-l", str(path)], capture_output=True, text=True, check=False, timeout=30
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", sorted(MODULE_SOURCE.rglob("*.php")), ids=lambda p: p.name)
def test_php_files_are_entry_point_guarded_and_7_4_compatible(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<?php\n"), "no BOM or whitespace before <?php (it would break headers)"
    if path.name != "manifest.php":
        assert "if (!defined('sugarEntry') || !sugarEntry)" in text
    for construct in ("readonly ", "enum ", " match (", "?->", "#["):
        assert construct not in text, f"{construct.strip()} is not PHP 7.4"
