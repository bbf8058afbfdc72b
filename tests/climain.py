"""Run ``suitejourney`` in this process, as the console script does, for tests that
need its exit codes and both output streams without a child process."""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

import pytest

from connector.cli import main


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    err: str


def invoke(
    args: list[str],
    env: dict[str, str],
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> Outcome:
    """``suitejourney ARGS`` with only ``env`` as SUITEJOURNEY_* settings, in ``folder``."""
    with monkeypatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("SUITEJOURNEY_")]:
            patch.delenv(name)
        for name, value in env.items():
            patch.setenv(name, value)
        patch.chdir(folder)
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
        capsys.readouterr()
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        finally:
            for number, handler in handlers.items():
                signal.signal(number, handler)
        captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)
