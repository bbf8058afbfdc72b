"""SQLite storage of the sandbox's SuiteCRM data: tables, indexes, reads and writes.

One connection, guarded by one lock, serves every request thread (SQLite work is
short; JSON encoding happens outside the lock). Column names that reach SQL come
only from the catalog, values only as bound parameters: no caller's text is ever
executed. Counts are cached until the next write, because a paging client asks
the same count once per page. This module knows nothing of HTTP or of the API
shapes.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from connector.sandbox.catalog import JOIN_TABLES
from connector.sandbox.schema import LinkSpec, ModuleSpec

log = logging.getLogger(__name__)

USER_COLUMNS = frozenset({"modified_user_id", "created_by", "assigned_user_id"})


@dataclass(frozen=True)
class Where:
    """A validated SQL predicate over a module's own columns, with bound parameters."""

    sql: str = ""
    params: tuple[Any, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.sql)


@dataclass(frozen=True)
class Order:
    column: str
    descending: bool = False

    def sql(self) -> str:
        return f'"{self.column}" {"DESC" if self.descending else "ASC"}'


class Store:
    """The sandbox database."""

    def __init__(self, catalog: Mapping[str, ModuleSpec], path: str | None = None) -> None:
        self.catalog = catalog
        self.path = path or ":memory:"
        self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self.lock = threading.RLock()
        self._counts: dict[tuple[Any, ...], int] = {}
        self.conn.execute("PRAGMA journal_mode=WAL" if path else "PRAGMA journal_mode=MEMORY")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-65536")
        self.conn.execute("PRAGMA temp_store=MEMORY")

    # -- schema ------------------------------------------------------------------

    def create_schema(self) -> None:
        with self.lock:
            for spec in self.catalog.values():
                self._create_module_table(spec)
            for table, (left, right, extra) in JOIN_TABLES.items():
                cols = ", ".join(f'"{c}" TEXT' for c in (left, right, *extra))
                self.conn.execute(
                    f'CREATE TABLE IF NOT EXISTS "{table}" (id TEXT PRIMARY KEY, {cols}, '
                    "date_modified TEXT, deleted INTEGER NOT NULL DEFAULT 0)"
                )
                for col in (left, right):
                    self.conn.execute(
                        f'CREATE INDEX IF NOT EXISTS "ix_{table}_{col}" ON "{table}" ("{col}")'
                    )
            self.conn.execute(
                "CREATE TABLE IF NOT EXISTS sandbox_meta (key TEXT PRIMARY KEY, value TEXT)"
            )

    def _create_module_table(self, spec: ModuleSpec) -> None:
        cols = []
        for name in spec.columns:
            if name == "id":
                cols.append('"id" TEXT PRIMARY KEY')
            elif name == "deleted":
                cols.append('"deleted" INTEGER NOT NULL DEFAULT 0')
            else:
                cols.append(f'"{name}" TEXT')
        t = spec.table
        self.conn.execute(f'CREATE TABLE IF NOT EXISTS "{t}" ({", ".join(cols)})')
        self.conn.execute(
            f'CREATE INDEX IF NOT EXISTS "ix_{t}_list" ON "{t}" (deleted, date_modified, id)'
        )
        self.conn.execute(f'CREATE INDEX IF NOT EXISTS "ix_{t}_dm" ON "{t}" (date_modified, id)')
        if "parent_id" in spec.columns and "parent_type" in spec.columns:
            self.conn.execute(
                f'CREATE INDEX IF NOT EXISTS "ix_{t}_parent" ON "{t}" (parent_id, parent_type)'
            )
        for name in spec.columns:
            if (name.endswith("_id") and name not in USER_COLUMNS and name != "parent_id") or (
                name == "target_id"
            ):
                self.conn.execute(f'CREATE INDEX IF NOT EXISTS "ix_{t}_{name}" ON "{t}" ("{name}")')
        if t == "cj_touchpoints":
            self.conn.execute(
                'CREATE UNIQUE INDEX IF NOT EXISTS "ux_cj_touchpoints_external_key" '
                'ON "cj_touchpoints" (external_key) WHERE deleted = 0'
            )

    def meta(self) -> dict[str, str]:
        with self.lock:
            rows = self.conn.execute("SELECT key, value FROM sandbox_meta").fetchall()
        return {str(k): str(v) for k, v in rows}

    def set_meta(self, values: Mapping[str, str]) -> None:
        with self.lock:
            self.conn.executemany(
                "INSERT OR REPLACE INTO sandbox_meta (key, value) VALUES (?, ?)",
                list(values.items()),
            )

    def has_data(self) -> bool:
        with self.lock:
            row = self.conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name='accounts'"
            ).fetchone()
            if row is None:
                return False
            return self.conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # -- bulk load -----------------------------------------------------------------

    def insert_many(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Append rows to a table in one executemany (the generator's path)."""
        names = ", ".join(f'"{c}"' for c in columns)
        marks = ", ".join("?" for _ in columns)
        with self.lock:
            self.conn.execute("BEGIN")
            self.conn.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
            self.conn.execute("COMMIT")
            self._counts.clear()

    # -- reads ---------------------------------------------------------------------

    def _rows(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        with self.lock:
            cursor = self.conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            rows = cursor.fetchall()
        return [dict(zip(names, row, strict=True)) for row in rows]

    @staticmethod
    def _where(where: Where, include_deleted: bool) -> tuple[str, tuple[Any, ...]]:
        parts = [] if include_deleted else ["deleted = 0"]
        if where:
            parts.append(f"({where.sql})")
        return (" WHERE " + " AND ".join(parts)) if parts else "", where.params

    def select(
        self,
        spec: ModuleSpec,
        where: Where = Where(),
        order: Sequence[Order] = (),
        *,
        limit: int | None = None,
        offset: int = 0,
        include_deleted: bool = False,
    ) -> list[dict[str, Any]]:
        clause, params = self._where(where, include_deleted)
        sql = f'SELECT * FROM "{spec.table}"{clause}'
        if order:
            sql += " ORDER BY " + ", ".join(o.sql() for o in order)
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        elif offset:
            sql += f" LIMIT -1 OFFSET {int(offset)}"
        return self._rows(sql, params)

    def count(
        self, spec: ModuleSpec, where: Where = Where(), *, include_deleted: bool = False
    ) -> int:
        key = (spec.table, where.sql, where.params, include_deleted)
        with self.lock:
            cached = self._counts.get(key)
            if cached is not None:
                return cached
            clause, params = self._where(where, include_deleted)
            value = int(
                self.conn.execute(
                    f'SELECT COUNT(*) FROM "{spec.table}"{clause}', params
                ).fetchone()[0]
            )
            self._counts[key] = value
        return value

    def get(
        self, spec: ModuleSpec, record_id: str, *, include_deleted: bool = False
    ) -> dict[str, Any] | None:
        rows = self.select(spec, Where("id = ?", (record_id,)), include_deleted=include_deleted)
        return rows[0] if rows else None

    def names(self, spec: ModuleSpec, ids: Iterable[str]) -> dict[str, str]:
        """id → display name for many ids in one query (deleted rows included, as
        SuiteCRM's relate fields show them)."""
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        with self.lock:
            rows = self.conn.execute(
                f'SELECT id, {spec.name_sql} FROM "{spec.table}" WHERE id IN ({marks})', wanted
            ).fetchall()
        return {str(i): str(n or "") for i, n in rows}

    def latest_links(
        self, table: str, self_col: str, other_col: str, ids: Iterable[str]
    ) -> dict[str, str]:
        """For each id, the most recently linked other id through a join table."""
        wanted = sorted({i for i in ids if i})
        if not wanted:
            return {}
        marks = ", ".join("?" for _ in wanted)
        with self.lock:
            rows = self.conn.execute(
                f'SELECT "{self_col}", "{other_col}" FROM "{table}" WHERE deleted = 0 AND '
                f'"{self_col}" IN ({marks}) ORDER BY date_modified, id',
                wanted,
            ).fetchall()
        return {str(a): str(b) for a, b in rows}

    # -- writes --------------------------------------------------------------------

    def insert(self, spec: ModuleSpec, values: Mapping[str, Any]) -> None:
        columns = [c for c in spec.columns if c in values]
        with self.lock:
            self.conn.execute(
                f'INSERT INTO "{spec.table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
                f"VALUES ({', '.join('?' for _ in columns)})",
                [values[c] for c in columns],
            )
            self._counts.clear()

    def update(self, spec: ModuleSpec, record_id: str, values: Mapping[str, Any]) -> None:
        columns = [c for c in spec.columns if c in values and c != "id"]
        if not columns:
            return
        sets = ", ".join(f'"{c}" = ?' for c in columns)
        with self.lock:
            self.conn.execute(
                f'UPDATE "{spec.table}" SET {sets} WHERE id = ?',
                [*(values[c] for c in columns), record_id],
            )
            self._counts.clear()

    def exists(self, spec: ModuleSpec, record_id: str) -> bool:
        """True when a row with this id exists, deleted or not."""
        with self.lock:
            return (
                self.conn.execute(
                    f'SELECT 1 FROM "{spec.table}" WHERE id = ?', (record_id,)
                ).fetchone()
                is not None
            )

    def next_number(self, spec: ModuleSpec, column: str) -> str:
        with self.lock:
            row = self.conn.execute(
                f'SELECT MAX(CAST("{column}" AS INTEGER)) FROM "{spec.table}"'
            ).fetchone()
        return str(int(row[0] or 0) + 1)

    def mark_join_rows_deleted(
        self, record_id: str, columns_by_table: Mapping[str, str], now: str
    ) -> None:
        with self.lock:
            for table, column in columns_by_table.items():
                self.conn.execute(
                    f'UPDATE "{table}" SET deleted = 1, date_modified = ? '
                    f'WHERE "{column}" = ? AND deleted = 0',
                    (now, record_id),
                )
            self._counts.clear()

    # -- relationships -------------------------------------------------------------

    def related(
        self,
        link: LinkSpec,
        record_id: str,
        where: Where = Where(),
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[dict[str, Any]]:
        """Live rows of ``link.target`` related to ``record_id`` through ``link``."""
        target = self.catalog[link.target]
        source = self.catalog[link.module]
        clause, params = self._link_clause(link, source, record_id)
        if where:
            clause += f" AND ({where.sql})"
            params = (*params, *where.params)
        sql = (
            f'SELECT t.* FROM "{target.table}" t WHERE t.deleted = 0 AND {clause} '
            "ORDER BY t.date_modified, t.id"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return self._rows(sql, params)

    def _link_clause(
        self, link: LinkSpec, source: ModuleSpec, record_id: str
    ) -> tuple[str, tuple[Any, ...]]:
        if link.kind == "m2m":
            pins = "".join(f' AND j."{c}" = ?' for c, _ in link.extra)
            return (
                f't.id IN (SELECT j."{link.other_col}" FROM "{link.table}" j WHERE j.deleted = 0 '
                f'AND j."{link.self_col}" = ?{pins})',
                (record_id, *(v for _, v in link.extra)),
            )
        if link.kind == "children":
            pins = "".join(f' AND t."{c}" = ?' for c, _ in link.extra)
            return f't."{link.column}" = ?{pins}', (record_id, *(v for _, v in link.extra))
        if link.kind == "owner":
            return (
                f't.id = (SELECT s."{link.column}" FROM "{source.table}" s WHERE s.id = ?)',
                (record_id,),
            )
        if link.kind == "parented":
            return "t.parent_id = ? AND t.parent_type = ?", (record_id, link.module)
        # parent
        return (
            f't.id = (SELECT s.parent_id FROM "{source.table}" s WHERE s.id = ? '
            "AND s.parent_type = ?)",
            (record_id, link.target),
        )

    def relate(self, link: LinkSpec, record_id: str, other_id: str, now: str) -> None:
        """Link two records the way SuiteCRM's relationship of this kind does."""
        source = self.catalog[link.module]
        target = self.catalog[link.target]
        with self.lock:
            if link.kind == "m2m":
                pins = dict(link.extra)
                already = self.conn.execute(
                    f'SELECT 1 FROM "{link.table}" WHERE deleted = 0 AND "{link.self_col}" = ? '
                    f'AND "{link.other_col}" = ?' + "".join(f' AND "{c}" = ?' for c in pins),
                    (record_id, other_id, *pins.values()),
                ).fetchone()
                if already is None:
                    cols = {
                        "id": str(uuid.uuid4()),
                        link.self_col: record_id,
                        link.other_col: other_id,
                        **pins,
                        "date_modified": now,
                        "deleted": 0,
                    }
                    self.conn.execute(
                        f'INSERT INTO "{link.table}" ({", ".join(cols)}) '
                        f"VALUES ({', '.join('?' for _ in cols)})",
                        list(cols.values()),
                    )
            elif link.kind == "children":
                sets = {link.column: record_id, **dict(link.extra), "date_modified": now}
                self._set(target, other_id, sets)
            elif link.kind == "owner":
                self._set(source, record_id, {link.column: other_id, "date_modified": now})
            elif link.kind == "parented":
                self._set(
                    target,
                    other_id,
                    {"parent_type": link.module, "parent_id": record_id, "date_modified": now},
                )
            else:
                self._set(
                    source,
                    record_id,
                    {"parent_type": link.target, "parent_id": other_id, "date_modified": now},
                )
            self._counts.clear()

    def unrelate(self, link: LinkSpec, record_id: str, other_id: str, now: str) -> None:
        source = self.catalog[link.module]
        target = self.catalog[link.target]
        with self.lock:
            if link.kind == "m2m":
                self.conn.execute(
                    f'UPDATE "{link.table}" SET deleted = 1, date_modified = ? WHERE deleted = 0 '
                    f'AND "{link.self_col}" = ? AND "{link.other_col}" = ?',
                    (now, record_id, other_id),
                )
            elif link.kind == "children":
                self._set(target, other_id, {link.column: None, "date_modified": now})
            elif link.kind == "owner":
                self._set(source, record_id, {link.column: None, "date_modified": now})
            elif link.kind == "parented":
                self._set(
                    target, other_id, {"parent_type": None, "parent_id": None, "date_modified": now}
                )
            else:
                self._set(
                    source,
                    record_id,
                    {"parent_type": None, "parent_id": None, "date_modified": now},
                )
            self._counts.clear()

    def _set(self, spec: ModuleSpec, record_id: str, values: Mapping[str, Any]) -> None:
        sets = ", ".join(f'"{c}" = ?' for c in values)
        self.conn.execute(
            f'UPDATE "{spec.table}" SET {sets} WHERE id = ?', [*values.values(), record_id]
        )
