"""Fixtures for write-back scenarios: a pulled and classified world, writers, CJ records."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from connector.crm.mysql import COLUMNS, CjTables
from connector.crm.mysql import connect as connect_mysql
from connector.crm.records import Query
from connector.journey import load_mapping
from connector.secrets import Secret
from connector.sync.classify import classify_customers
from connector.writeback.payload import instance_namespace
from connector.writeback.push import PushReport, push
from connector.writeback.writers import ApiWriter, BulkWriter, MysqlWriter, Writer
from tests.conftest import MYSQL_DEFAULT, MYSQL_ENV
from tests.integration.conftest import World

MAPPING = os.path.join(os.path.dirname(__file__), "..", "..", "..", "mappings", "default.yaml")
# Every column but SuiteCRM's own stamps; the owner (assigned_user_id) is compared too.
CJ_FIELDS = {m: [c for c in cols if c not in ("date_entered", "date_modified", "created_by",
                                             "modified_user_id", "description", "deleted",
                                             "date_synced")]
             for m, cols in COLUMNS.items()}


def classify(world: World) -> None:
    classify_customers(world.db, load_mapping(MAPPING), world.sandbox.control.now(),
                       refresh_after=timedelta(days=3650))


NAMESPACE = instance_namespace("https://crm.example.test")


def push_with(world: World, writer: Writer, **options: Any) -> PushReport:
    """A push with ``writer``; every touchpoint gets a record unless ``options`` say else."""
    options.setdefault("touchpoint_records", "all")
    try:
        return push(world.db, writer, NAMESPACE, world.sandbox.control.now, **options)
    finally:
        writer.close()


def api_writer(world: World) -> ApiWriter:
    return ApiWriter(world.v8())


def bulk_writer(world: World) -> BulkWriter:
    return BulkWriter(world.legacy(), batch_size=40)


def cj_records(world: World) -> dict[str, dict[str, dict[str, str]]]:
    """Every live CJ record in the sandbox, as {module: {id: {field: value}}}."""
    client = world.v8()
    found: dict[str, dict[str, dict[str, str]]] = {}
    try:
        for module, fields in CJ_FIELDS.items():
            found[module] = {
                r.id: {f: _text(r.get(f)) for f in fields if f != "id"}
                for r in client.iter_records(Query(module, sort="id"), page_size=500)
            }
    finally:
        client.close()
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    text_value = str(value)
    if "T" in text_value and text_value.endswith("+00:00") and len(text_value) == 25:
        return text_value[:16].replace("T", " ")  # V8 shows minutes; compare at that
    if len(text_value) == 19 and text_value[10] == " " and text_value[4] == "-":
        return text_value[:16]
    return text_value


def mysql_records(tables: CjTables) -> dict[str, dict[str, dict[str, str]]]:
    found: dict[str, dict[str, dict[str, str]]] = {}
    for module, fields in CJ_FIELDS.items():
        found[module] = {
            str(row["id"]): {f: _text(row[f] if not hasattr(row[f], "strftime")
                                      else row[f].strftime("%Y-%m-%d %H:%M:%S"))
                             for f in fields if f != "id"}
            for row in tables.rows(module)
        }
    return found


DDL = {
    "cj_journeys": """
        CREATE TABLE cj_journeys (
          id char(36) NOT NULL PRIMARY KEY, name varchar(255), date_entered datetime,
          date_modified datetime, modified_user_id char(36), created_by char(36),
          description text, deleted tinyint(1) DEFAULT 0, assigned_user_id char(36),
          account_id char(36), contact_id char(36), current_stage varchar(100),
          awareness_date datetime, evaluation_date datetime, decision_date datetime,
          purchase_date datetime, loyalty_date datetime, status varchar(100),
          health_score int, touchpoint_count int, first_touch_date datetime,
          last_touch_date datetime, last_channel varchar(100), days_in_stage int,
          cost_to_serve decimal(26,2), timeline_json longtext, sync_hash varchar(64),
          date_synced datetime
        ) CHARACTER SET utf8mb4""",
    "cj_touchpoints": """
        CREATE TABLE cj_touchpoints (
          id char(36) NOT NULL PRIMARY KEY, name varchar(255), date_entered datetime,
          date_modified datetime, modified_user_id char(36), created_by char(36),
          description text, deleted tinyint(1) DEFAULT 0, assigned_user_id char(36),
          journey_id char(36), account_id char(36), stage varchar(100), phase varchar(100),
          channel varchar(100), mode varchar(100), managed_by varchar(100),
          direction varchar(100), occurred_at datetime, source_module varchar(100),
          source_id char(36), rule_id varchar(100), external_key varchar(120),
          sync_hash varchar(64), rule_stage varchar(100), corrected_stage varchar(100),
          review varchar(100), UNIQUE KEY idx_cj_tp_external_key (external_key)
        ) CHARACTER SET utf8mb4""",
}


@pytest.fixture
def crm_database() -> Iterator[Secret]:
    """The CJ tables as the module's installer creates them, in a MariaDB database."""
    base = make_url(os.environ.get(MYSQL_ENV) or MYSQL_DEFAULT)
    # A second database beside the configured one, named after it: the suite never
    # touches a database whose name it did not derive from SUITEJOURNEY_TEST_MYSQL_URL.
    crm_name = f"{base.database or 'suitejourney_test'}_crm"
    url = base.set(database=crm_name)
    try:
        engine = create_engine(base.set(database="mysql"))
        with engine.begin() as conn:
            conn.execute(text(f"CREATE DATABASE IF NOT EXISTS `{crm_name}` "
                              "CHARACTER SET utf8mb4"))
        engine.dispose()
    except Exception as exc:  # no MariaDB here
        if os.environ.get("SUITEJOURNEY_REQUIRE_MARIADB"):
            pytest.fail(f"MariaDB needed for the mysql writer: {exc}")
        pytest.skip(f"MariaDB not reachable for the mysql writer test: {type(exc).__name__}")
    engine = create_engine(url)
    with engine.begin() as conn:
        for table, ddl in DDL.items():
            conn.execute(text(f"DROP TABLE IF EXISTS {table}"))
            conn.execute(text(ddl))
    engine.dispose()
    yield Secret(url.render_as_string(hide_password=False))


def mysql_writer(url: Secret) -> MysqlWriter:
    return MysqlWriter(CjTables(connect_mysql(url)), batch_size=100)
