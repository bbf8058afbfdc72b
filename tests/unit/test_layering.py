"""The dependency rule of DESIGN.md, enforced by walking every import with ``ast``.

Every module of ``connector`` sits on one layer of ``LAYERS``; it may import its
own package and the layers below it, never a layer above (upward) nor another
package of its own layer (sideways). So ``crm``, ``journey``, ``store`` and the
sandbox know nothing of each other; ``sync`` receives what ``app`` (the one
composition root) builds and imports neither ``app`` nor ``config``; the CLI's
commands sit on top. Beside the layers, some packages must not touch some
libraries at all: ``journey`` does no I/O, only ``store`` speaks SQL.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "connector"

# Lowest first. A name is a subpackage or a top-level module of ``connector``.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"__init__", "errors", "secrets"}),
    frozenset({"logs", "progress"}),
    frozenset({"crm", "journey", "store", "sandbox", "starter"}),
    frozenset({"writeback", "report"}),
    frozenset({"sync"}),
    frozenset({"realtime", "status", "scheduler", "config"}),
    frozenset({"app"}),
    frozenset({"demo"}),
    frozenset({"commands"}),
    frozenset({"cli"}),
    frozenset({"__main__"}),
)

# What some packages must never import, whatever their layer: libraries that do I/O
# for the pure core, the store and the client for serve's parts.
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

# All SQL lives in ``store``; these modules still hold theirs until their owners move
# it (the pull's and the push's reworks). Remove an entry when its module is clean.
SQL_OUTSIDE_STORE: frozenset[str] = frozenset()


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


def part_of(module: str) -> str | None:
    """The package or top-level module of ``connector`` a dotted name belongs to."""
    parts = module.split(".")
    if parts[0] != "connector":
        return None
    return parts[1] if len(parts) > 1 else "__init__"


def layer_of(part: str) -> int:
    for number, layer in enumerate(LAYERS):
        if part in layer:
            return number
    raise AssertionError(f"connector.{part} is on no layer: add it to LAYERS")


def own_part(path: Path, package: Path = PACKAGE) -> str:
    relative = path.relative_to(package)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


SOURCES = sorted(PACKAGE.rglob("*.py"))
PARTS = sorted({own_part(p) for p in SOURCES})


def crossings(path: Path, package: Path = PACKAGE) -> list[str]:
    """The imports of ``path`` that go up a layer or sideways to a sibling package."""
    own = own_part(path, package)
    found = []
    for name in sorted(imports_of(path)):
        target = part_of(name)
        if target is None or target == own:
            continue
        if layer_of(target) > layer_of(own):
            found.append(f"{own} imports {name} (upward)")
        elif layer_of(target) == layer_of(own):
            found.append(f"{own} imports {name} (sideways)")
    return found


def sql_outside_store(path: Path) -> bool:
    relative = path.relative_to(PACKAGE.parent).as_posix()
    return (
        own_part(path) != "store"
        and relative not in SQL_OUTSIDE_STORE
        and any(n == "sqlalchemy" or n.startswith("sqlalchemy.") for n in imports_of(path))
    )


def test_every_part_of_the_package_is_on_one_layer() -> None:
    for part in PARTS:
        layer_of(part)
    named = [part for layer in LAYERS for part in layer]
    assert len(named) == len(set(named)), "a part is on two layers"
    assert set(named) - set(PARTS) == set(), "LAYERS names parts that no longer exist"


@pytest.mark.parametrize("part", PARTS)
def test_each_part_imports_only_from_the_layers_below(part: str) -> None:
    found = [
        f"{p.relative_to(PACKAGE.parent)}: {c}"
        for p in SOURCES
        if own_part(p) == part
        for c in crossings(p)
    ]
    assert found == []


def test_only_the_store_speaks_sql() -> None:
    found = [str(p.relative_to(PACKAGE.parent)) for p in SOURCES if sql_outside_store(p)]
    assert found == []


def test_the_sql_exceptions_are_still_needed() -> None:
    """An entry of ``SQL_OUTSIDE_STORE`` whose module no longer speaks SQL must go."""
    stale = []
    for name in sorted(SQL_OUTSIDE_STORE):
        path = PACKAGE.parent / name
        if not path.is_file() or not any(
            n == "sqlalchemy" or n.startswith("sqlalchemy.") for n in imports_of(path)
        ):
            stale.append(name)
    assert stale == []


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from connector.store import models\nimport requests\n", encoding="utf-8")
    assert {"connector.store", "requests"} <= imports_of(bad)


@pytest.mark.parametrize(
    ("part", "module", "expected"),
    [
        ("sync", "connector.app", ["sync imports connector.app (upward)"]),
        ("sync", "connector.config", ["sync imports connector.config (upward)"]),
        ("crm", "connector.store.models", ["crm imports connector.store.models (sideways)"]),
        (
            "report",
            "connector.writeback.push",
            ["report imports connector.writeback.push (sideways)"],
        ),
        ("sync", "connector.crm.client", []),
        ("sync", "connector.sync.classify", []),
        ("app", "connector.sync.job", []),
        ("app", "requests", []),
    ],
)
def test_the_checker_tells_upward_and_sideways_imports(
    tmp_path: Path, part: str, module: str, expected: list[str]
) -> None:
    folder = tmp_path / part
    folder.mkdir()
    path = folder / "example.py"
    path.write_text(f"import {module}\n", encoding="utf-8")
    assert crossings(path, tmp_path) == expected
