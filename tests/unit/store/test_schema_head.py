"""An up-to-date state database opens without Alembic (its ~10 MB stay out of a pull)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from connector.store.schema import HEAD_REVISION, head_revision

OPEN_AND_REPORT = """
import sys
from connector.secrets import Secret
from connector.store.database import StateDB
db = StateDB.open(Secret(sys.argv[1]))
db.close()
print("alembic" in sys.modules)
"""


def test_the_known_head_is_alembics() -> None:
    assert head_revision() == HEAD_REVISION


def test_an_up_to_date_database_opens_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'state.db'}"

    def open_in_a_fresh_interpreter() -> str:
        done = subprocess.run(
            [sys.executable, "-c", OPEN_AND_REPORT, url],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    assert open_in_a_fresh_interpreter() == "True"  # created: migrated by Alembic
    assert open_in_a_fresh_interpreter() == "False"  # at the head: Alembic not needed
