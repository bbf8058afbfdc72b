"""``python -m connector``: the same as the ``suitejourney`` command."""

from __future__ import annotations

from connector.cli import main

if __name__ == "__main__":  # importing this module (a checker walking the package) runs nothing
    main()
