"""The dependency rule of DESIGN.md, enforced by walking every import with ``ast``.

cli/scheduler → sync → crm, journey, store, writeback; ``crm`` knows nothing of
journeys, stores, syncs or settings; ``journey`` does no I/O at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "connector"

FORBIDDEN = {
    "crm": {
        "connector.store",
        "connector.journey",
        "connector.sync",
        "connector.writeback",
        "connector.report",
        "connector.config",
        "connector.app",
        "connector.cli",
        "connector.scheduler",
        "connector.sandbox",
    },
    "journey": {
        "connector.crm",
        "connector.store",
        "connector.sync",
        "connector.writeback",
        "connector.sandbox",
        "connector.config",
        "connector.app",
        "requests",
        "sqlalchemy",
        "pymysql",
        "socket",
        "urllib.request",
        "http",
        "subprocess",
        "sqlite3",
    },
    "store": {"connector.sync", "connector.cli", "connector.crm", "connector.journey"},
    "sandbox": {
        "connector.crm",
        "connector.sync",
        "connector.store",
        "connector.journey",
        "connector.realtime",
    },
    # serve's parts receive the refresher built by the composition root.
    "realtime": {
        "connector.app",
        "connector.cli",
        "connector.commands",
        "connector.sandbox",
        "connector.store",
        "connector.crm",
        "connector.config",
    },
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def violations(layer: str) -> list[str]:
    found = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imports_of(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    found.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downward(layer: str) -> None:
    assert violations(layer) == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from connector.store import models\nimport requests\n", encoding="utf-8")
    assert {"connector.store", "requests"} <= imports_of(bad)
