"""The state database's tables, as SQLAlchemy 2 declarative models.

One state database per SuiteCRM instance. What lives here:

* ``touchpoints``: one row per source record read from SuiteCRM (accounts,
  contacts and leads included), normalised: when it happened, its subject, the
  fields the mappings read, the raw record (for ``mappings explain``), its direct
  link (``link_key``) and the customer it resolves to (``customer_key``);
* ``entity_links``: how customers hang together (contact → account, converted
  lead → account or contact, opportunity → account, …), so a touchpoint on a lead
  counts for the customer the lead became;
* ``cursors``: per module, the last date_modified read and the ids seen at it,
  and the last instant read whole and settled (a tie group not to read again);
* ``sync_runs``, ``run_module_stats``, ``run_errors``: what each run did;
* ``quarantine``: source records skipped because they could not be normalised;
* ``locks``: one lease row per instance, so only one sync runs at a time;
* ``dirty_customers``: customers whose journey must be rebuilt;
* ``journeys``, ``journey_summaries`` and ``writeback_state``: built journeys, their
  small summaries (persona, cost, path) and what was written back;
* ``corrections``: the stages people corrected in SuiteCRM (CJ_Corrections), mirrored
  at each sync; SuiteCRM holds the truth, so a lost state database loses none.

Datetimes are stored as naive UTC (MySQL DATETIME has no zone) and read back as
aware UTC through ``UtcDateTime``. No queries here, and nothing of SuiteCRM's API.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects import mysql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

KEY = 96  # "AOS_Contracts:" + a 36-character id, with room to spare
LongText = Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC in Python, naive UTC in the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r} given to the state database")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class TouchpointRow(Base):
    __tablename__ = "touchpoints"
    __table_args__ = (
        Index("ix_touchpoints_customer", "customer_key", "occurred_at"),
        Index("ix_touchpoints_link", "link_key"),
        Index("ix_touchpoints_module", "module", "date_modified"),
    )

    key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    module: Mapped[str] = mapped_column(String(40))
    source_id: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    date_modified: Mapped[datetime | None] = mapped_column(UtcDateTime())
    subject: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str] = mapped_column(String(64), default="")
    direction: Mapped[str] = mapped_column(String(32), default="")
    link_key: Mapped[str | None] = mapped_column(String(KEY))
    customer_key: Mapped[str | None] = mapped_column(String(KEY))
    fields_json: Mapped[str] = mapped_column(LongText, default="{}")
    raw_json: Mapped[str] = mapped_column(LongText, default="{}")
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class EntityLinkRow(Base):
    """``entity_key`` belongs to ``parent_key`` (e.g. Contacts:c → Accounts:a)."""

    __tablename__ = "entity_links"

    entity_key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    parent_key: Mapped[str] = mapped_column(String(KEY), index=True)
    reason: Mapped[str] = mapped_column(String(40))


class CursorRow(Base):
    __tablename__ = "cursors"

    module: Mapped[str] = mapped_column(String(40), primary_key=True)
    date_modified: Mapped[datetime | None] = mapped_column(UtcDateTime())
    boundary_ids: Mapped[str] = mapped_column(LongText, default="[]")
    last_full_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_reconciled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # An instant whose records were all read, after it had ended (lag included):
    # nothing can appear in it any more, so a later read starts after it.
    sealed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Per lane (an id range read beside the others), its own position, as JSON.
    lanes_json: Mapped[str | None] = mapped_column(Text)


class SyncRunRow(Base):
    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    started_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(16), default="running")
    message: Mapped[str] = mapped_column(Text, default="")
    host: Mapped[str] = mapped_column(String(128), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    # What the run's phases did beyond the per-module pull counts (classify, push,
    # where a stop happened), as JSON: {"classify": {...}, "push": {...}, "stopped": ...}.
    summary_json: Mapped[str | None] = mapped_column(Text)


class RunModuleStatsRow(Base):
    __tablename__ = "run_module_stats"

    run_id: Mapped[int] = mapped_column(
        ForeignKey("sync_runs.id", ondelete="CASCADE"), primary_key=True
    )
    module: Mapped[str] = mapped_column(String(40), primary_key=True)
    read: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    deleted: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    orphans: Mapped[int] = mapped_column(Integer, default=0)
    requests: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


class RunErrorRow(Base):
    __tablename__ = "run_errors"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id", ondelete="CASCADE"), index=True)
    module: Mapped[str] = mapped_column(String(40), default="")
    record_id: Mapped[str] = mapped_column(String(64), default="")
    kind: Mapped[str] = mapped_column(String(16), default="record")
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class QuarantineRow(Base):
    """A source record that could not be normalised (a date that does not exist, a
    broken encoding …): skipped, shown by ``status``, and read again at every pull
    until SuiteCRM holds a good version of it or no longer has it."""

    __tablename__ = "quarantine"

    module: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), default="")
    value: Mapped[str] = mapped_column(String(255), default="")
    reason: Mapped[str] = mapped_column(String(255), default="")
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    last_run_id: Mapped[int] = mapped_column(Integer, default=0)


class LockRow(Base):
    __tablename__ = "locks"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    owner: Mapped[str] = mapped_column(String(128))
    acquired_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DirtyCustomerRow(Base):
    __tablename__ = "dirty_customers"

    customer_key: Mapped[str] = mapped_column(String(KEY), primary_key=True)


class JourneyRow(Base):
    __tablename__ = "journeys"

    customer_key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), default="")
    stage: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    health_score: Mapped[int] = mapped_column(Integer, default=0)
    touchpoint_count: Mapped[int] = mapped_column(Integer, default=0)
    data_json: Mapped[str] = mapped_column(LongText)
    content_hash: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(UtcDateTime())


class JourneySummaryRow(Base):
    """``journey.summary.journey_summary`` of a stored journey: what ``patterns`` reads.

    A table of its own, not a column of ``journeys``: a row read there would walk the
    pages of the large ``data_json`` before it. A journey built before summaries
    existed has none (its summary is then made from ``data_json``).
    """

    __tablename__ = "journey_summaries"

    customer_key: Mapped[str] = mapped_column(
        ForeignKey("journeys.customer_key", ondelete="CASCADE"), primary_key=True
    )
    summary_json: Mapped[str] = mapped_column(Text)


class WritebackRow(Base):
    """What was last written to SuiteCRM for one CJ record, by content hash."""

    __tablename__ = "writeback_state"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # journey | touchpoint
    key: Mapped[str] = mapped_column(String(KEY))
    crm_id: Mapped[str] = mapped_column(String(36))
    customer_key: Mapped[str] = mapped_column(String(KEY), index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    # For journeys: the journey's content hash when it was last written, so a push
    # finds the journeys to write by comparing it with journeys.content_hash.
    source_hash: Mapped[str | None] = mapped_column(String(64))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SettingRow(Base):
    """Small facts about this state database (schema owner instance, probes)."""

    __tablename__ = "state_meta"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    flag: Mapped[bool] = mapped_column(Boolean, default=False)


class SeenIdRow(Base):
    """Ids listed by the server during an id reconciliation (V8 cannot list deletions)."""

    __tablename__ = "reconcile_ids"

    module: Mapped[str] = mapped_column(String(40), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class CorrectionRow(Base):
    """A touchpoint's stage as a person corrected it in SuiteCRM (a CJ_Corrections record)."""

    __tablename__ = "corrections"

    touchpoint_key: Mapped[str] = mapped_column(String(KEY), primary_key=True)
    stage: Mapped[str] = mapped_column(String(20))  # a stage, or not_a_touchpoint
    previous_stage: Mapped[str] = mapped_column(String(20), default="")  # the rules' stage then
    rule_id: Mapped[str] = mapped_column(String(100), default="")  # the rule that had decided
    corrected_by: Mapped[str] = mapped_column(String(64), default="")  # SuiteCRM user id
    corrected_by_name: Mapped[str] = mapped_column(String(255), default="")
    corrected_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    crm_id: Mapped[str] = mapped_column(String(36), default="")  # the CJ_Corrections record
    origin: Mapped[str] = mapped_column(String(16), default="")  # panel | record | import
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
