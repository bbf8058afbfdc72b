"""Importing any module of the package touches nothing: no socket, no file written,
no setting read. Each check runs in a fresh interpreter with a real guard, so a
module already imported by another test cannot hide a side effect.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "connector"

# Runs in the child: refuse network and file writes through an audit hook, and
# refuse any read of a SUITEJOURNEY_* setting, then import every module named.
GUARD = textwrap.dedent(
    """
    import importlib, os, sys

    class Refused(BaseException):
        \"\"\"A side effect at import (not an Exception, so no module can swallow it).\"\"\"

    WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC

    def audit(event, args):
        # (urllib3 binds a loopback socket to port 0 at import to probe IPv6: harmless)
        if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto"):
            raise Refused(f"{event} {args[1:]!r}")
        if event == "open" and len(args) > 2:
            mode, flags = args[1], args[2]
            if (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & WRITE_FLAGS
            ):
                if not isinstance(args[0], int) and "__pycache__" not in str(args[0]):
                    raise Refused(f"open for writing {args[0]!r}")

    class GuardedEnviron(type(os.environ)):
        def __getitem__(self, key):
            if str(key).startswith("SUITEJOURNEY"):
                raise Refused(f"read setting {key}")
            return super().__getitem__(key)

    os.environ.__class__ = GuardedEnviron
    sys.addaudithook(audit)
    for name in sys.argv[1:]:
        try:
            importlib.import_module(name)
        except Refused as exc:
            print(f"SIDE EFFECT {name}: {exc}")
            sys.exit(1)
    print("CLEAN", len(sys.argv) - 1)
    """
)


def package_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue  # Alembic scripts run inside Alembic's context
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    return names


def run_guarded(
    modules: list[str], extra_path: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env_path = [str(ROOT)] + ([str(extra_path)] if extra_path else [])
    code = f"import sys; sys.path[:0] = {env_path!r}\n" + GUARD
    return subprocess.run(
        [sys.executable, "-c", code, *modules],
        capture_output=True,
        text=True,
        env={
            "SUITEJOURNEY_URL": "http://must-not-be-read",
            "PATH": "/usr/bin:/bin",
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        cwd=ROOT,
    )


def test_importing_every_module_touches_nothing() -> None:
    modules = package_modules()
    assert len(modules) > 40
    result = run_guarded(modules)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"CLEAN {len(modules)}"


def test_the_guard_sees_a_socket_a_write_and_a_setting(tmp_path: Path) -> None:
    """The guard above can fail: three modules that misbehave at import are caught."""
    (tmp_path / "opens_socket.py").write_text(
        "import socket\nsocket.create_connection(('127.0.0.1', 9), timeout=0.1)\n"
    )
    (tmp_path / "writes_file.py").write_text(f"open({str(tmp_path / 'x.txt')!r}, 'w')\n")
    (tmp_path / "reads_setting.py").write_text("import os\nos.environ.get('SUITEJOURNEY_URL')\n")
    for name in ("opens_socket", "writes_file", "reads_setting"):
        result = run_guarded([name], extra_path=tmp_path)
        assert result.returncode == 1, (name, result.stdout, result.stderr)
        assert result.stdout.startswith(f"SIDE EFFECT {name}")
