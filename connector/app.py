"""The composition root: builds everything a command runs with from ``Settings``.

The one place that reads settings to build things: the transport and the
SuiteCRM clients, the writer, the state database, the rules and the clock. The
CLI's commands, the scheduler's job and ``serve`` call the functions here; the
steps in ``connector.sync`` receive the built objects (an ``Instance``, a
``StateDB``, the rules, the clock) and build nothing themselves.

Choosing the API (``api = auto``): V8 when OAuth2 credentials are set (7.x
``/Api``, then 8.x ``/legacy/Api``), falling back to REST v4_1 when V8 is not
found and a username and password are set; v4_1 when only those are set.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import requests

from connector.config import Settings, module_suggestion
from connector.crm.client import CrmClient
from connector.crm.http import RetryPolicy, Timeouts, Transport
from connector.crm.legacy import LegacyClient, LegacyCredentials
from connector.crm.mysql import SYSTEM_USER, CjTables, find_user_id
from connector.crm.mysql import connect as connect_mysql
from connector.crm.oauth import OAuthCredentials
from connector.crm.v8 import V8Client
from connector.errors import ConfigurationError, EndpointNotFoundError, TransientError
from connector.journey import Mapping, load_mapping
from connector.store.corrections import Correction
from connector.store.database import StateDB
from connector.sync.classify import ClassifyReport
from connector.sync.exchange import ImportReport
from connector.sync.instance import Instance
from connector.sync.job import (
    Meter,
    SyncReport,
    import_corrections_locked,
    pull_instance,
    record_classify,
    record_push,
    run_sync,
)
from connector.sync.pull import Progress
from connector.sync.refresh import Refresher
from connector.sync.runner import PullReport
from connector.writeback.payload import instance_namespace
from connector.writeback.push import Progress as PushProgress
from connector.writeback.push import PushReport
from connector.writeback.writers import ApiWriter, BulkWriter, MysqlWriter, Writer

log = logging.getLogger(__name__)
StopAsked = Callable[[], bool]


def utc_now() -> datetime:
    """The clock every run is given (tests replace it with the sandbox's)."""
    return datetime.now(UTC)


def build_transport(
    settings: Settings,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> Transport:
    settings.require_crm()
    assert settings.url is not None
    return Transport(
        settings.url,
        session=session,
        timeouts=Timeouts(settings.timeout_connect, settings.timeout_read),
        retry=RetryPolicy(max_retries=settings.retries),
        sleep=sleep,
        verify_tls=settings.verify_tls,
    )


def oauth_credentials(settings: Settings) -> OAuthCredentials | None:
    if not (settings.client_id and settings.client_secret):
        return None
    return OAuthCredentials(
        client_id=settings.client_id,
        client_secret=settings.client_secret,
        username=settings.username,
        password=settings.password,
        grant_type=settings.grant,
    )


def legacy_credentials(settings: Settings) -> LegacyCredentials | None:
    if not (settings.username and settings.password):
        return None
    return LegacyCredentials(settings.username, settings.password)


def connect_client(
    settings: Settings,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> CrmClient:
    """An authenticated client for the configured instance."""
    transport = build_transport(settings, session=session, sleep=sleep)
    oauth = oauth_credentials(settings)
    legacy = legacy_credentials(settings)
    if settings.api == "legacy" or (settings.api == "auto" and oauth is None):
        assert legacy is not None
        return LegacyClient.connect(transport, legacy)
    assert oauth is not None
    try:
        return V8Client.connect(transport, oauth)
    except EndpointNotFoundError:
        if settings.api == "auto" and legacy is not None:
            return LegacyClient.connect(transport, legacy)
        raise


def pull_flavour(settings: Settings) -> str:
    """The API the pull reads through (``pull_api``): with ``auto``, REST v4_1 when a
    username and password are set (it answers a list several times faster than V8,
    which serialises every field of every record), V8 otherwise."""
    if settings.pull_api != "auto":
        return settings.pull_api
    if legacy_credentials(settings) is not None or oauth_credentials(settings) is None:
        return "legacy"
    return "v8"


def connect_reader(
    settings: Settings,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> CrmClient:
    """The client the pull reads through (``pull_flavour``). With ``pull_api = auto``,
    a REST v4_1 that refuses the login or does not answer leaves the pull to V8."""
    if pull_flavour(settings) == "v8":
        return connect_client(settings, session=session, sleep=sleep)
    legacy = legacy_credentials(settings)
    assert legacy is not None
    transport = build_transport(settings, session=session, sleep=sleep)
    try:
        return LegacyClient.connect(transport, legacy)
    except (ConfigurationError, TransientError) as exc:
        if settings.pull_api == "legacy" or oauth_credentials(settings) is None:
            raise
        log.warning("reading through V8: REST v4_1 cannot be used (%s)", exc.message)
        return connect_client(settings, session=session, sleep=sleep)


def connect_legacy(
    settings: Settings,
    *,
    session: requests.Session | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> LegacyClient | None:
    """A REST v4_1 client when a username and password are configured (for deletions)."""
    legacy = legacy_credentials(settings)
    if legacy is None:
        return None
    return LegacyClient.connect(build_transport(settings, session=session, sleep=sleep), legacy)


def open_state(settings: Settings, *, migrate: bool = True) -> StateDB:
    """The instance's state database, migrated to the newest schema."""
    return StateDB.open(settings.database_url, migrate=migrate)


def open_existing_state(settings: Settings) -> StateDB:
    """The instance's state database if it exists; never creates one (``status``)."""
    return StateDB.open_existing(settings.database_url)


# A checkout (editable install) has mappings/ next to the package; a wheel installs
# them under <prefix>/share/suitecrm-journey/mappings (pyproject's data-files).
SHIPPED_MAPPINGS = (
    Path(__file__).resolve().parent.parent / "mappings",
    Path(sys.prefix) / "share" / "suitecrm-journey" / "mappings",
)


def mapping_path(settings: Settings, override: str | None = None) -> Path:
    """Where the mapping file is: as given (absolute, or relative to the working
    directory, then to the configuration file's folder), else the shipped one."""
    name = override or settings.mapping
    candidates = [Path(name)]
    if settings.config_path is not None and not Path(name).is_absolute():
        candidates.append(settings.config_path.parent / name)
    if name == "mappings/default.yaml" or Path(name).name == name:
        candidates.extend(folder / Path(name).name for folder in SHIPPED_MAPPINGS)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise ConfigurationError(
        f"mapping file {name!r} not found (looked at {tried}); set `mapping` "
        f"({settings.source_of('mapping')}) to the path of your mapping file."
    )


def load_rules(settings: Settings, override: str | None = None) -> Mapping:
    return load_mapping(mapping_path(settings, override))


def build_writer(settings: Settings, *, session: requests.Session | None = None) -> Writer:
    """The configured writer, connected."""
    if settings.writer == "mysql":
        assert settings.suitecrm_database_url is not None
        connection = connect_mysql(settings.suitecrm_database_url)
        owner = find_user_id(connection, settings.username, settings.client_id)
        if owner is None:
            log.warning(
                "cannot find the SuiteCRM user %s in SuiteCRM's database; CJ records written "
                "by the mysql writer are owned by the administrator (id %s)",
                settings.username or "of the OAuth2 client",
                SYSTEM_USER,
            )
        return MysqlWriter(CjTables(connection, owner or SYSTEM_USER), settings.write_batch)
    if settings.writer == "bulk":
        legacy = connect_legacy(settings, session=session)
        if legacy is None:
            raise ConfigurationError(
                f"writer = bulk ({settings.source_of('writer')}) uses REST v4_1: set username "
                "and password (SUITEJOURNEY_PASSWORD)."
            )
        return BulkWriter(legacy, settings.write_batch)
    return ApiWriter(connect_client(settings, session=session))


def build_refresher(settings: Settings, db: StateDB, rules: Mapping) -> Refresher:
    """What ``serve`` refreshes notified records with: clients opened when first
    needed (SuiteCRM may be down when the service starts) and kept."""
    assert settings.url is not None
    return Refresher(
        db,
        rules,
        instance_namespace(settings.url),
        connect=lambda: connect_client(settings),
        writer=lambda: build_writer(settings),
        clock=utc_now,
        touchpoint_records=settings.touchpoint_records,
    )


def explain_unknown_module(settings: Settings) -> Callable[[str], str]:
    where = settings.source_of("modules")

    def message(module: str) -> str:
        return (
            f"SuiteCRM has no module named '{module}'{module_suggestion(module)}: "
            f"fix `modules` ({where}); names are case-sensitive, and modules your edition "
            "lacks must be left out."
        )

    return message


def build_instance(settings: Settings) -> Instance:
    """The configured SuiteCRM instance, as the sync's steps are given it: nothing is
    connected until a step opens a client."""
    settings.require_crm()
    assert settings.url is not None
    return Instance(
        connect=lambda: connect_client(settings),
        connect_deletions=lambda: connect_legacy(settings),
        open_writer=lambda: build_writer(settings),
        namespace=instance_namespace(settings.url),
        modules=tuple(settings.modules),
        page_size=settings.page_size,
        concurrency=settings.concurrency,
        explain_unknown_module=explain_unknown_module(settings),
        connect_reader=lambda: connect_reader(settings),
        readers=settings.pull_readers,
        touchpoint_records=settings.touchpoint_records,
        write_concurrency=settings.write_concurrency,
    )


def pull_configured(
    settings: Settings,
    db: StateDB,
    *,
    full: bool = False,
    progress: Progress | None = None,
    should_stop: StopAsked | None = None,
) -> PullReport:
    """``suitejourney pull``: one pull run of the configured instance into ``db``."""
    return pull_instance(
        build_instance(settings), db, utc_now, full=full, progress=progress, should_stop=should_stop
    )


def sync_configured(
    settings: Settings,
    *,
    full: bool = False,
    progress: Progress | None = None,
    should_stop: StopAsked | None = None,
    kind: str = "sync",
    meter: Meter | None = None,
    push_progress: PushProgress | None = None,
) -> SyncReport:
    """``suitejourney sync`` (and each of ``schedule``'s runs): pull, classify, push."""
    rules = load_rules(settings)  # a broken mapping stops the run before any request
    instance = build_instance(settings)
    db = open_state(settings)
    try:
        return run_sync(
            instance,
            db,
            rules,
            utc_now,
            full=full,
            progress=progress,
            should_stop=should_stop,
            kind=kind,
            meter=meter,
            push_progress=push_progress,
        )
    finally:
        db.close()


def classify_configured(
    settings: Settings,
    rules: Mapping,
    *,
    everything: bool = False,
    should_stop: StopAsked | None = None,
    meter: Meter | None = None,
) -> tuple[int, ClassifyReport]:
    """``suitejourney classify``: one recorded classify run; returns (run id, report)."""
    db = open_state(settings)
    try:
        return record_classify(
            db, rules, utc_now, everything=everything, should_stop=should_stop, meter=meter
        )
    finally:
        db.close()


def push_configured(
    settings: Settings,
    *,
    dry_run: bool = False,
    should_stop: StopAsked | None = None,
    meter: Meter | None = None,
    progress: PushProgress | None = None,
) -> tuple[int, PushReport, str]:
    """``suitejourney push``: one recorded push run; returns (run id, report, stop message)."""
    instance = build_instance(settings)
    db = open_state(settings)
    try:
        return record_push(
            instance,
            db,
            utc_now,
            dry_run=dry_run,
            should_stop=should_stop,
            meter=meter,
            progress=progress,
        )
    finally:
        db.close()


def import_corrections_configured(
    settings: Settings, corrections: list[Correction], *, dry_run: bool = False
) -> ImportReport:
    """``suitejourney corrections import``: write corrections into SuiteCRM, holding the
    instance lock."""
    instance = build_instance(settings)
    db = open_state(settings)
    try:
        return import_corrections_locked(instance, db, utc_now, corrections, dry_run=dry_run)
    finally:
        db.close()
