"""Every package the code imports is declared, so a fresh machine can install it.

The connector's run-time imports must be in `[project] dependencies`; the tests'
and scripts' imports in `dependencies` or `[dev]`. A package that happens to be
installed on this machine by hand is exactly what this test exists to catch.
(.ci/run also installs the wheel into an empty virtual environment and imports
every module, the same check done for real.)
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
OWN = {"connector", "tests", "scripts"}


def requirement_names(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements
    }


def top_level_imports(folder: Path) -> dict[str, str]:
    """Top-level module name → first file that imports it (absolute imports only)."""
    found: dict[str, str] = {}
    for path in sorted(folder.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue  # read by mypy only, never imported at run time
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def undeclared(folder: str, declared: set[str]) -> list[str]:
    distributions = packages_distributions()
    missing = []
    for module, where in top_level_imports(ROOT / folder).items():
        if module in sys.stdlib_module_names or module in OWN or module == "__future__":
            continue
        owners = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not owners & declared:
            missing.append(f"{module} (imported by {where}; from {', '.join(sorted(owners))})")
    return missing


def test_the_package_declares_what_it_imports() -> None:
    assert undeclared("connector", requirement_names(PROJECT["dependencies"])) == []


@pytest.mark.parametrize("folder", ["tests", "scripts"])
def test_tests_and_scripts_declare_what_they_import(folder: str) -> None:
    declared = requirement_names(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"])
    assert undeclared(folder, declared) == []


def test_the_check_sees_an_undeclared_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "m.py").write_text("import yaml\nimport alembic.op\nimport os\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert [m.split(" ")[0] for m in undeclared("pkg", {"pyyaml"})] == ["alembic"]
