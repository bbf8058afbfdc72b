"""Corrections as a YAML file: exported from one instance, imported into another.

``export_yaml`` writes the corrections mirrored in the state database (as the
last sync read them from SuiteCRM) with the subject and customer of each
touchpoint, for people to read. ``parse_yaml`` reads such a file back and
reports every problem at once as ``file:line: message``. ``import_corrections``
writes them into SuiteCRM as CJ_Corrections records (updating the live one of a
touchpoint, creating the others) and mirrors the result into the state database,
so the next ``classify`` applies them; touchpoints the state database does not
hold yet are kept (they apply once pulled) and counted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from connector.crm.client import CrmClient
from connector.crm.records import parse_datetime
from connector.errors import ConfigurationProblems, DuplicateIdError, SkippableError, UsageError
from connector.store.corrections import Correction, load_corrections, touchpoint_rows
from connector.store.database import StateDB
from connector.sync.corrections import (
    CORRECTIONS,
    VALUES,
    CorrectionsReader,
    CorrectionsReport,
)

VERSION = 1
FIELDS = ("touchpoint", "stage", "previous_stage", "rule", "by", "by_name", "at", "note")
INFORMATIVE = ("subject", "customer")  # written for people, ignored on import


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat().replace("+00:00", "Z")


def export_yaml(db: StateDB, header: str) -> tuple[str, int]:
    """The corrections as YAML (with ``header`` as a comment), and how many there are."""
    with db.read() as conn:
        corrections = load_corrections(conn)
        rows = touchpoint_rows(conn, corrections)
    entries = []
    for key in sorted(corrections):
        c = corrections[key]
        row = rows.get(key)
        entries.append(
            {
                "touchpoint": key,
                "stage": c.stage,
                "previous_stage": c.previous_stage,
                "rule": c.rule_id,
                "by": c.corrected_by,
                "by_name": c.corrected_by_name,
                "at": _iso(c.corrected_at),
                "note": c.note,
                "subject": row.subject if row is not None else "",
                "customer": (row.customer_key or "") if row is not None else "",
            }
        )
    body = yaml.safe_dump(
        {"version": VERSION, "corrections": entries},
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
    )
    comment = "".join(f"# {line}\n" for line in header.splitlines())
    return comment + body, len(entries)


def _scalar(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return None


def parse_yaml(path: Path) -> list[Correction]:
    """The corrections in an exported file; every problem raised together."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}.") from None
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise UsageError(f"{where}: not valid YAML ({getattr(exc, 'problem', exc)}).") from None
    top = _mapping(root)
    if top is None or "corrections" not in top:
        raise UsageError(
            f"{path}:1: expected a 'corrections:' list (a file written by "
            "'suitejourney corrections export')."
        )
    items = top["corrections"]
    if not isinstance(items, yaml.SequenceNode):
        raise UsageError(f"{path}:{items.start_mark.line + 1}: 'corrections' must be a list.")
    problems: list[str] = []
    found: list[Correction] = []
    seen: dict[str, int] = {}
    for node in items.value:
        line = node.start_mark.line + 1
        where = f"{path}:{line}"
        entry = _mapping(node)
        if entry is None:
            problems.append(f"{where}: each correction must be a mapping (touchpoint, stage, …).")
            continue
        values = {k: _scalar(v) for k, v in entry.items()}
        unknown = sorted(set(values) - set(FIELDS) - set(INFORMATIVE))
        if unknown:
            problems.append(f"{where}: unknown key(s) {', '.join(unknown)}.")
        key = values.get("touchpoint") or ""
        module, _, source_id = key.partition(":")
        if not (module and source_id):
            problems.append(f"{where}: touchpoint must be 'Module:id' (e.g. Calls:<id>).")
            continue
        stage = values.get("stage") or ""
        if stage not in VALUES:
            problems.append(f"{where}: stage {stage!r} is not one of {', '.join(VALUES)}.")
            continue
        at_text = values.get("at") or ""
        at = parse_datetime(at_text)
        if at_text and at is None:
            problems.append(f"{where}: at {at_text!r} is not a date and time (ISO 8601).")
            continue
        if key in seen:
            problems.append(f"{where}: {key} is corrected twice (also line {seen[key]}).")
            continue
        seen[key] = line
        found.append(
            Correction(
                touchpoint_key=key,
                stage=stage,
                previous_stage=values.get("previous_stage") or "",
                rule_id=values.get("rule") or "",
                corrected_by=values.get("by") or "",
                corrected_by_name=values.get("by_name") or "",
                corrected_at=at,
                note=values.get("note") or "",
                origin="import",
            )
        )
    if problems:
        raise ConfigurationProblems(problems)
    return found


def _mapping(node: yaml.Node | None) -> dict[str, yaml.Node] | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    found: dict[str, yaml.Node] = {}
    for key, value in node.value:
        name = _scalar(key)
        if name is not None:
            found[name] = value
    return found


@dataclass
class ImportReport:
    """What an import did (or, dry, would do)."""

    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    unknown: list[str] = field(default_factory=list)  # touchpoints not in the state database
    failed: list[str] = field(default_factory=list)
    mirrored: CorrectionsReport | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "unknown_touchpoints": self.unknown,
            "failed": self.failed,
            "customers_to_rebuild": self.mirrored.customers if self.mirrored else 0,
        }


def _values(correction: Correction, row: Any) -> dict[str, Any]:
    module, _, source_id = correction.touchpoint_key.partition(":")
    customer = (row.customer_key or "") if row is not None else ""
    kind, _, customer_id = customer.partition(":")
    values: dict[str, Any] = {
        "name": ((row.subject if row is not None else "") or correction.touchpoint_key)[:255],
        "touchpoint_key": correction.touchpoint_key,
        "source_module": module,
        "source_id": source_id,
        "account_id": customer_id if kind == "Accounts" else "",
        "contact_id": customer_id if kind == "Contacts" else "",
        "stage": correction.stage,
        "previous_stage": correction.previous_stage,
        "rule_id": correction.rule_id,
        "corrected_by": correction.corrected_by,
        "description": correction.note,
    }
    if correction.corrected_at is not None:
        values["corrected_at"] = correction.corrected_at.strftime("%Y-%m-%d %H:%M:%S")
    return values


def _same(live: Correction, wanted: Correction) -> bool:
    return (live.stage, live.previous_stage, live.rule_id, live.note) == (
        wanted.stage,
        wanted.previous_stage,
        wanted.rule_id,
        wanted.note,
    )


def import_corrections(
    client: CrmClient,
    db: StateDB,
    corrections: Sequence[Correction],
    namespace: uuid.UUID,
    clock: Callable[[], datetime],
    *,
    dry_run: bool = False,
    page_size: int = 200,
) -> ImportReport:
    """Write ``corrections`` into SuiteCRM and mirror them (the caller holds the lock)."""
    report = ImportReport(dry_run=dry_run)
    reader = CorrectionsReader(client, db, namespace, clock, page_size=page_size)
    live: Mapping[str, Correction] = reader.live_corrections()
    with db.read() as conn:
        rows = touchpoint_rows(conn, [c.touchpoint_key for c in corrections])
    for correction in corrections:
        key = correction.touchpoint_key
        if key not in rows:
            report.unknown.append(key)
        existing = live.get(key)
        if existing is not None and _same(existing, correction):
            report.unchanged += 1
            continue
        if dry_run:
            if existing is not None:
                report.updated += 1
            else:
                report.created += 1
            continue
        values = _values(correction, rows.get(key))
        try:
            if existing is not None:
                client.update_record(CORRECTIONS, existing.crm_id, values)
                report.updated += 1
            else:
                # A fixed id: an import run twice (or after a lost answer) creates one record.
                crm_id = str(uuid.uuid5(namespace, f"correction:{key}:import"))
                try:
                    client.create_record(CORRECTIONS, values, crm_id)
                except DuplicateIdError:  # that record was deleted since: a new one
                    client.create_record(CORRECTIONS, values)
                report.created += 1
        except SkippableError as exc:
            report.failed.append(f"{key}: {exc.message}")
    if not dry_run:
        report.mirrored = reader.run()
    return report
