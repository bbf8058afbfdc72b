"""``python -m connector``: the same as the ``suitejourney`` command."""

from __future__ import annotations

from connector.cli import main

main()
