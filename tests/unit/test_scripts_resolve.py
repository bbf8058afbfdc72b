"""The benchmarks and tools under ``scripts/`` name only what the product still has.

Scripts run by hand, not in the suite, so a renamed function breaks them silently
(``bench_pull`` and ``bench_push`` imported ``pull_configured`` from a module it
had left). Every ``from connector… import name`` in a script, at any depth (the
benchmarks import inside functions), must resolve.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((ROOT / "scripts").glob("*.py"))


def unresolved(source: str) -> list[str]:
    """``module.name`` for each own import in ``source`` that does not resolve."""
    missing = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if node.module.split(".")[0] not in {"connector", "scripts"}:
            continue
        module = importlib.import_module(node.module)
        for alias in node.names:
            if hasattr(module, alias.name):
                continue
            try:
                importlib.import_module(f"{node.module}.{alias.name}")
            except ImportError:
                missing.append(f"{node.module}.{alias.name} (line {node.lineno})")
    return missing


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_every_own_import_resolves(script: Path) -> None:
    assert unresolved(script.read_text(encoding="utf-8")) == []


def test_the_check_finds_a_name_that_is_gone() -> None:
    source = "def f():\n    from connector.sync.job import no_such_function\n"
    assert unresolved(source) == ["connector.sync.job.no_such_function (line 2)"]
