"""Direct writes (and reads) of SuiteCRM's own ``cj_journeys`` and ``cj_touchpoints`` tables.

For very large instances: one multi-row ``INSERT … ON DUPLICATE KEY UPDATE`` per
batch, in a transaction, instead of one HTTP request (and one full SuiteCRM save,
35 to 60 ms) per record. Only our two tables are touched, never SuiteCRM's own
modules. Columns follow the CJ module's vardefs (the ``basic`` and ``assignable``
templates plus our fields); empty strings become NULL for datetime and integer
columns, as SuiteCRM itself stores them.

What this bypasses, by design: SuiteCRM's logic hooks, workflows and AOD search
indexing for CJ records (run Admin → AOD re-index if you search them). Speaks
to MySQL/MariaDB through PyMySQL; knows nothing of journeys.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlsplit

import pymysql
import pymysql.cursors

from connector.errors import ConfigurationError, ConnectionFailedError
from connector.secrets import Secret, mask_url

log = logging.getLogger(__name__)

TABLES = {"CJ_Journeys": "cj_journeys", "CJ_Touchpoints": "cj_touchpoints"}
BASIC = (
    "id",
    "name",
    "date_entered",
    "date_modified",
    "modified_user_id",
    "created_by",
    "description",
    "deleted",
    "assigned_user_id",
)
COLUMNS = {
    "CJ_Journeys": (
        *BASIC,
        "account_id",
        "contact_id",
        "current_stage",
        "awareness_date",
        "evaluation_date",
        "decision_date",
        "purchase_date",
        "loyalty_date",
        "status",
        "health_score",
        "touchpoint_count",
        "first_touch_date",
        "last_touch_date",
        "last_channel",
        "days_in_stage",
        "cost_to_serve",
        "timeline_json",
        "sync_hash",
        "date_synced",
    ),
    "CJ_Touchpoints": (
        *BASIC,
        "journey_id",
        "account_id",
        "stage",
        "phase",
        "channel",
        "mode",
        "managed_by",
        "direction",
        "occurred_at",
        "source_module",
        "source_id",
        "rule_id",
        "external_key",
        "sync_hash",
        "rule_stage",
        "corrected_stage",
        "review",
    ),
}
NULL_WHEN_EMPTY = frozenset(
    {
        "awareness_date",
        "evaluation_date",
        "decision_date",
        "purchase_date",
        "loyalty_date",
        "first_touch_date",
        "last_touch_date",
        "date_synced",
        "occurred_at",
        "health_score",
        "touchpoint_count",
        "days_in_stage",
        "cost_to_serve",
    }
)
KEEP_ON_UPDATE = frozenset({"id", "date_entered", "created_by"})
SYSTEM_USER = "1"  # SuiteCRM's administrator


def connect(url: Secret) -> pymysql.connections.Connection[Any]:
    """A PyMySQL connection from ``mysql+pymysql://user:password@host:port/database``."""
    text = url.reveal()
    parts = urlsplit(text)
    if not parts.scheme.startswith(("mysql", "mariadb")) or not parts.path.strip("/"):
        raise ConfigurationError(
            f"suitecrm_database_url {mask_url(text)!r} must look like "
            "mysql+pymysql://user:password@host/suitecrm"
        )
    try:
        return pymysql.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 3306,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            database=parts.path.strip("/"),
            charset="utf8mb4",
            autocommit=False,
            connect_timeout=10,
        )
    except pymysql.err.OperationalError as exc:
        reason = str(exc.args[-1]) if exc.args else type(exc).__name__
        password = parts.password
        if password:
            reason = reason.replace(password, "********")
        raise ConnectionFailedError(
            f"cannot open SuiteCRM's database {mask_url(text)}: {reason}"
        ) from None


def find_user_id(
    connection: pymysql.connections.Connection[Any],
    username: str | None,
    client_id: str | None,
) -> str | None:
    """The id of the SuiteCRM user the connector acts as: the configured user, else
    the OAuth2 client's associated user; None when SuiteCRM's tables do not say."""
    lookups = []
    if username:
        lookups.append(("SELECT id FROM users WHERE user_name = %s AND deleted = 0", username))
    if client_id:
        lookups.append(
            ("SELECT assigned_user_id FROM oauth2clients WHERE id = %s AND deleted = 0", client_id)
        )
    found: str | None = None
    try:
        with connection.cursor() as cursor:
            for sql, value in lookups:
                cursor.execute(sql, (value,))
                row = cursor.fetchone()
                if row and row[0]:
                    found = str(row[0])
                    break
    except pymysql.err.ProgrammingError:
        log.debug("SuiteCRM's users/oauth2clients tables are not readable here")
    connection.rollback()
    return found


class CjTables:
    """Upserts and soft deletes in the CJ tables, one transaction per call."""

    def __init__(
        self, connection: pymysql.connections.Connection[Any], user_id: str = SYSTEM_USER
    ) -> None:
        self.connection = connection
        self.user_id = user_id
        self.statements = 0

    def _table(self, module: str) -> str:
        try:
            return TABLES[module]
        except KeyError:
            raise ConfigurationError(
                f"the mysql writer only writes CJ modules, not {module}"
            ) from None

    def upsert(self, module: str, rows: Sequence[tuple[str, Mapping[str, Any]]], now: str) -> None:
        if not rows:
            return
        table = self._table(module)
        columns = COLUMNS[module]
        values = []
        for record_id, attributes in rows:
            full = {
                "id": record_id,
                "date_entered": now,
                "date_modified": now,
                "modified_user_id": self.user_id,
                "created_by": self.user_id,
                "description": None,
                "deleted": 0,
                "assigned_user_id": self.user_id,
                **{k: v for k, v in attributes.items() if k in columns},
            }
            values.append(tuple(self._value(c, full.get(c)) for c in columns))
        updates = ", ".join(f"`{c}` = VALUES(`{c}`)" for c in columns if c not in KEEP_ON_UPDATE)
        placeholders = "(" + ", ".join(["%s"] * len(columns)) + ")"
        sql = (
            f"INSERT INTO `{table}` ({', '.join(f'`{c}`' for c in columns)}) VALUES "
            f"{', '.join([placeholders] * len(values))} ON DUPLICATE KEY UPDATE {updates}"
        )
        flat = [v for row in values for v in row]
        self._execute(sql, flat)

    def mark_deleted(self, module: str, ids: Sequence[str]) -> None:
        if not ids:
            return
        table = self._table(module)
        marks = ", ".join(["%s"] * len(ids))
        self._execute(
            f"UPDATE `{table}` SET deleted = 1, date_modified = UTC_TIMESTAMP() "
            f"WHERE id IN ({marks})",
            list(ids),
        )

    def _execute(self, sql: str, params: Sequence[Any]) -> None:
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(sql, params)
            self.connection.commit()
        except pymysql.err.ProgrammingError as exc:
            self.connection.rollback()
            raise ConfigurationError(
                f"SuiteCRM's database refused the write ({exc.args[-1]}): is the CJ module "
                "installed (tables cj_journeys, cj_touchpoints)?"
            ) from None
        except pymysql.err.OperationalError as exc:
            self.connection.rollback()
            raise ConnectionFailedError(f"SuiteCRM's database failed: {exc.args[-1]}") from None
        self.statements += 1

    @staticmethod
    def _value(column: str, value: Any) -> Any:
        if value == "" and column in NULL_WHEN_EMPTY:
            return None
        return value

    def rows(self, module: str, *, include_deleted: bool = False) -> Iterator[dict[str, Any]]:
        table = self._table(module)
        where = "" if include_deleted else " WHERE deleted = 0"
        with self.connection.cursor(pymysql.cursors.DictCursor) as cursor:
            cursor.execute(f"SELECT * FROM `{table}`{where} ORDER BY id")
            yield from cursor.fetchall()
        self.connection.commit()

    def close(self) -> None:
        self.connection.close()
