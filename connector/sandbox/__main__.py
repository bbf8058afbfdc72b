"""``python -m connector.sandbox``: the sandbox command without the main CLI."""

from __future__ import annotations

from connector.sandbox.cli import sandbox_command

if __name__ == "__main__":
    sandbox_command()
