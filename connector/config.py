"""Settings: ``suitejourney.toml`` < environment ``SUITEJOURNEY_<KEY>`` < command-line flags.

Every key is declared once in ``KEYS`` (type, default, help). ``load_settings``
reads the three layers, remembers where each value came from (``file:line``,
the environment variable, the flag) and reports every problem at once in one
``ConfigurationProblems``. Secrets (client_secret, password, the password in
database_url) become ``Secret`` values that never print; a file holding secrets
that others can read earns a warning.

Several SuiteCRM instances share one file through ``[instances.NAME]`` tables
whose keys override the top level; ``--instance NAME`` picks one.

This module reads files and the environment only when asked (``load_settings``);
it never touches the network, and it knows nothing of SuiteCRM's APIs.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from connector.errors import ConfigurationProblems
from connector.secrets import Secret, mask_url, url_password

ENV_PREFIX = "SUITEJOURNEY_"
DEFAULT_CONFIG = "suitejourney.toml"
DEFAULT_MODULES = (
    "Accounts",
    "Contacts",
    "Leads",
    "Calls",
    "Meetings",
    "Tasks",
    "Notes",
    "Emails",
    "Cases",
    "Opportunities",
    "Campaigns",
    "CampaignLog",
    "AOS_Quotes",
    "AOS_Invoices",
    "AOS_Contracts",
    "Documents",
)
SECRET_KEYS = frozenset({"client_secret", "password", "webhook_secret"})
# Other standard SuiteCRM 7 modules, so a name in the wrong case can be corrected.
KNOWN_MODULES = (
    *DEFAULT_MODULES,
    "Bugs",
    "Project",
    "ProjectTask",
    "Prospects",
    "ProspectLists",
    "AOS_Products",
    "AOS_Product_Categories",
    "AOK_KnowledgeBase",
    "FP_events",
    "Surveys",
    "SurveyResponses",
    "CJ_Journeys",
    "CJ_Touchpoints",
)


def module_suggestion(name: str) -> str:
    """`` (did you mean 'Calls'?)`` for a name close to a standard module, else ``""``."""
    by_fold = {m.casefold(): m for m in KNOWN_MODULES}
    if name.casefold() in by_fold:
        return f" (did you mean '{by_fold[name.casefold()]}'? names are case-sensitive)"
    close = difflib.get_close_matches(name.casefold(), list(by_fold), n=1, cutoff=0.75)
    return f" (did you mean '{by_fold[close[0]]}'?)" if close else ""


@dataclass(frozen=True)
class Key:
    """One configuration key: its type, default and a line of help."""

    name: str
    kind: str  # str | secret | int | float | bool | list | choice
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.name.upper()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


KEYS: tuple[Key, ...] = (
    Key("url", "str", None, "SuiteCRM site root, e.g. https://crm.example.com (8.x: no /legacy)"),
    Key("api", "choice", "auto", "which API to use", choices=("auto", "v8", "legacy")),
    Key("client_id", "str", None, "OAuth2 client id (Admin → OAuth2 Clients and Tokens)"),
    Key("client_secret", "secret", None, "OAuth2 client secret"),
    Key("username", "str", None, "SuiteCRM user (password grant, or REST v4_1 login)"),
    Key(
        "grant",
        "choice",
        "auto",
        "OAuth2 grant: auto tries password when a user is set, then client_credentials",
        choices=("auto", "client_credentials", "password"),
    ),
    Key("password", "secret", None, "that user's password"),
    Key("database_url", "str", None, "state database (default: SQLite file next to the config)"),
    Key("mapping", "str", "mappings/default.yaml", "stage mapping file"),
    Key("modules", "list", DEFAULT_MODULES, "SuiteCRM modules to read"),
    Key("page_size", "int", 200, "records per list request", minimum=1, maximum=5000),
    Key("concurrency", "int", 1, "parallel list requests", minimum=1, maximum=8),
    Key(
        "pull_api",
        "choice",
        "auto",
        "API the pull reads through: auto = REST v4_1 when username and password are set "
        "(several times faster than V8), else V8",
        choices=("auto", "v8", "legacy"),
    ),
    Key(
        "pull_readers",
        "int",
        2,
        "list requests in flight inside one module during a pull",
        minimum=1,
        maximum=8,
    ),
    Key(
        "writer", "choice", "api", "how journeys are written back", choices=("api", "bulk", "mysql")
    ),
    Key(
        "write_batch",
        "int",
        100,
        "records per set_entries call or SQL statement (bulk, mysql)",
        minimum=1,
        maximum=1000,
    ),
    Key(
        "touchpoint_records",
        "choice",
        "milestones",
        "which touchpoints get a CJ_Touchpoints record: milestones (those that moved the "
        "stage and the 3 most recent), none, or all",
        choices=("milestones", "none", "all"),
    ),
    Key(
        "write_concurrency",
        "int",
        3,
        "write requests in flight during a push",
        minimum=1,
        maximum=8,
    ),
    Key(
        "suitecrm_database_url",
        "str",
        None,
        "SuiteCRM's own database, for writer = mysql (mysql+pymysql://user:pw@host/db)",
    ),
    Key("schedule", "str", "every 1h", "when `schedule` runs sync: 'every 15m' or a cron line"),
    Key("timeout_connect", "float", 10.0, "seconds to wait for a connection", minimum=0.1),
    Key("timeout_read", "float", 60.0, "seconds to wait for an answer", minimum=0.1),
    Key(
        "retries",
        "int",
        5,
        "retries of a failed request (429, 5xx, timeouts)",
        minimum=0,
        maximum=20,
    ),
    Key("verify_tls", "bool", True, "verify the server's TLS certificate"),
    Key(
        "webhook_secret",
        "secret",
        None,
        "shared secret of SuiteCRM's change notifications (`serve`; at least 16 characters)",
    ),
    Key("serve_host", "str", "127.0.0.1", "address `serve` listens on"),
    Key("serve_port", "int", 8765, "port `serve` listens on", minimum=1, maximum=65535),
    Key(
        "serve_debounce",
        "float",
        1.0,
        "seconds `serve` waits for more saves before updating",
        minimum=0.0,
        maximum=60.0,
    ),
    Key(
        "serve_queue",
        "int",
        10000,
        "records `serve` keeps waiting at most (beyond: 429)",
        minimum=10,
        maximum=1000000,
    ),
)
KEYS_BY_NAME: Mapping[str, Key] = {k.name: k for k in KEYS}


@dataclass(frozen=True)
class Settings:
    """Validated settings. ``sources`` says where each non-default value came from."""

    url: str | None
    api: str
    client_id: str | None
    client_secret: Secret | None
    username: str | None
    grant: str
    password: Secret | None
    database_url: Secret
    mapping: str
    modules: tuple[str, ...]
    page_size: int
    concurrency: int
    writer: str
    write_batch: int
    touchpoint_records: str
    write_concurrency: int
    suitecrm_database_url: Secret | None
    schedule: str
    timeout_connect: float
    timeout_read: float
    retries: int
    verify_tls: bool
    webhook_secret: Secret | None = None
    serve_host: str = "127.0.0.1"
    serve_port: int = 8765
    serve_debounce: float = 1.0
    serve_queue: int = 10000
    pull_api: str = "auto"
    pull_readers: int = 2
    instance: str | None = None
    config_path: Path | None = None
    sources: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.describe().items())
        return f"Settings({shown})"

    def describe(self) -> dict[str, str]:
        """Every key with its value as safe to show (secrets masked)."""
        out: dict[str, str] = {}
        for key in KEYS:
            value = getattr(self, key.name)
            if key.name in ("database_url", "suitecrm_database_url") and value is not None:
                out[key.name] = mask_url(value.reveal())
            elif isinstance(value, Secret):
                out[key.name] = str(value)
            elif isinstance(value, tuple):
                out[key.name] = ",".join(value)
            else:
                out[key.name] = "" if value is None else str(value)
        return out

    def source_of(self, name: str) -> str:
        return self.sources.get(name, "default")

    def require_crm(self) -> None:
        """Raise unless SuiteCRM can be addressed and authenticated with these settings."""
        problems: list[str] = []
        if not self.url:
            problems.append(
                f'url is not set: put url = "https://crm.example.com" in {DEFAULT_CONFIG} '
                f"or set {KEYS_BY_NAME['url'].env}"
            )
        has_oauth = bool(self.client_id and self.client_secret)
        has_user = bool(self.username and self.password)
        if self.api == "v8" and not has_oauth:
            problems.append(
                f"api = v8 needs client_id and client_secret (from {self.source_of('api')}); "
                "create an OAuth2 client under Admin → OAuth2 Clients and Tokens"
            )
        if self.api == "legacy" and not has_user:
            problems.append(
                f"api = legacy needs username and password (from {self.source_of('api')})"
            )
        if self.api == "auto" and not (has_oauth or has_user):
            problems.append(
                "no credentials: set client_id and client_secret (V8 API), or username and "
                "password (REST v4_1), in the file or as SUITEJOURNEY_CLIENT_SECRET etc."
            )
        if self.pull_api == "legacy" and not has_user:
            problems.append(
                f"pull_api = legacy needs username and password (from "
                f"{self.source_of('pull_api')})"
            )
        if self.pull_api == "v8" and not has_oauth:
            problems.append(
                f"pull_api = v8 needs client_id and client_secret (from "
                f"{self.source_of('pull_api')})"
            )
        if self.grant == "password" and not has_user:
            problems.append(
                f"grant = password (from {self.source_of('grant')}) needs username and password"
            )
        if bool(self.username) != bool(self.password):
            missing = "password" if self.username else "username"
            problems.append(f"{missing} is not set but its partner is")
        if bool(self.client_id) != bool(self.client_secret):
            missing = "client_secret" if self.client_id else "client_id"
            problems.append(f"{missing} is not set but its partner is")
        if problems:
            raise ConfigurationProblems(problems)


# -- reading ------------------------------------------------------------------------


def _locate_lines(text: str) -> dict[tuple[str, str], int]:
    """Line of each ``key =`` per table (``""`` for the top level)."""
    lines: dict[tuple[str, str], int] = {}
    table = ""
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
    assignment = re.compile(r"^\s*\"?([A-Za-z0-9_\-]+)\"?\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if m := header.match(line):
            table = m.group(1).replace('"', "").replace(" ", "")
        elif m := assignment.match(line):
            lines.setdefault((table, m.group(1)), number)
    return lines


@dataclass
class _Layer:
    values: dict[str, Any]
    where: dict[str, str]


def _read_file(path: Path, instance: str | None, problems: list[str]) -> tuple[_Layer, list[str]]:
    layer = _Layer({}, {})
    warnings: list[str] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        problems.append(f"{path}: cannot read the configuration file ({exc.strerror})")
        return layer, warnings
    except UnicodeDecodeError:
        problems.append(f"{path}: not a UTF-8 text file")
        return layer, warnings
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"{path}: not valid TOML: {exc}")
        return layer, warnings
    lines = _locate_lines(text)

    def take(table: Mapping[str, Any], table_name: str) -> None:
        for key, value in table.items():
            if key == "instances" and table_name == "":
                continue
            line = lines.get((table_name, key))
            where = f"{path}:{line}" if line else str(path)
            if key not in KEYS_BY_NAME:
                known = ", ".join(sorted(KEYS_BY_NAME))
                problems.append(f"{where}: unknown key '{key}' (known keys: {known})")
                continue
            layer.values[key] = value
            layer.where[key] = where

    take(data, "")
    instances = data.get("instances", {})
    if not isinstance(instances, dict):
        problems.append(f"{path}: 'instances' must be a table of [instances.NAME] tables")
        instances = {}
    if instance is not None:
        table = instances.get(instance)
        if not isinstance(table, dict):
            names = ", ".join(sorted(instances)) or "none defined"
            problems.append(f"{path}: no [instances.{instance}] table (instances: {names})")
        else:
            take(table, f"instances.{instance}")
    secrets_here = [k for k in layer.values if k in SECRET_KEYS]
    for name in ("database_url", "suitecrm_database_url"):
        url = layer.values.get(name)
        if isinstance(url, str) and url_password(url):
            secrets_here.append(f"{name} password")
    if secrets_here and _readable_by_others(path):
        mode = stat.S_IMODE(path.stat().st_mode)
        warnings.append(
            f"{path} holds secrets ({', '.join(secrets_here)}) and is readable by other users "
            f"(mode {mode:04o}): run chmod 600 {path}, or move the secrets to environment "
            "variables"
        )
    return layer, warnings


def _readable_by_others(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & (stat.S_IRGRP | stat.S_IROTH))
    except OSError:
        return False


def _read_env(env: Mapping[str, str], instance: str | None) -> _Layer:
    """``SUITEJOURNEY_KEY``, and ``SUITEJOURNEY_<INSTANCE>_KEY`` over it for an instance."""
    layer = _Layer({}, {})
    for key in KEYS:
        names = [key.env]
        if instance:
            names.append(f"{ENV_PREFIX}{instance.upper().replace('-', '_')}_{key.name.upper()}")
        for name in names:
            if name in env:
                layer.values[key.name] = env[name]
                layer.where[key.name] = f"environment {name}"
    return layer


def _coerce(key: Key, value: Any, where: str, problems: list[str]) -> Any:
    """Turn a TOML or string value into the key's type, or record a problem."""
    handler = _COERCERS[key.kind]
    try:
        return handler(key, value)
    except (TypeError, ValueError) as exc:
        problems.append(f"{where}: {key.name} {exc}")
        return None


def _as_str(key: Key, value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"must be a string, not {type(value).__name__} {value!r}")
    return value.strip()


def _as_secret(key: Key, value: Any) -> Secret:
    if not isinstance(value, str):
        raise TypeError(f"must be a string, not {type(value).__name__}")
    return Secret(value)


def _as_number(key: Key, value: Any) -> int | float:
    if isinstance(value, bool):
        raise TypeError(f"must be a number, not {value!r}")
    cast: Callable[[Any], int | float] = int if key.kind == "int" else float
    try:
        number = cast(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        raise ValueError(
            f"must be {'a whole number' if key.kind == 'int' else 'a number'}, not {value!r}"
        ) from None
    if key.kind == "int" and isinstance(value, float) and not value.is_integer():
        raise ValueError(f"must be a whole number, not {value!r}")
    if key.minimum is not None and number < key.minimum:
        raise ValueError(f"must be at least {key.minimum:g}, not {number}")
    if key.maximum is not None and number > key.maximum:
        raise ValueError(f"must be at most {key.maximum:g}, not {number}")
    return number


def _as_bool(key: Key, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"must be true or false, not {value!r}")


def _as_list(key: Key, value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise TypeError(f"must be a list of names or a comma-separated string, not {value!r}")
    names = tuple(dict.fromkeys(i.strip() for i in items if i.strip()))
    if not names:
        raise ValueError("must name at least one module")
    bad = [n for n in names if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n)]
    if bad:
        raise ValueError(f"has names that are not SuiteCRM module names: {', '.join(bad)}")
    # SuiteCRM's module names are case-sensitive: 'calls' is refused by the API.
    cased = {m.casefold(): m for m in KNOWN_MODULES}
    wrong = [n for n in names if n not in KNOWN_MODULES and n.casefold() in cased]
    if wrong:
        fixes = ", ".join(f"'{n}' → '{cased[n.casefold()]}'" for n in wrong)
        raise ValueError(f"has module names in the wrong case ({fixes}); names are case-sensitive")
    return names


def _as_choice(key: Key, value: Any) -> str:
    text = str(value).strip().lower()
    if text not in key.choices:
        raise ValueError(f"must be one of {', '.join(key.choices)}, not {value!r}")
    return text


_COERCERS: Mapping[str, Callable[[Key, Any], Any]] = {
    "str": _as_str,
    "secret": _as_secret,
    "int": _as_number,
    "float": _as_number,
    "bool": _as_bool,
    "list": _as_list,
    "choice": _as_choice,
}


def _check_url(value: str, where: str, problems: list[str]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(f"{where}: url must start with http:// or https://, not {value!r}")
        return value
    if parts.username or parts.password:
        problems.append(f"{where}: url must not carry a user or password; use the credential keys")
        return value
    path = parts.path.rstrip("/")
    for suffix in ("/index.php", "/Api", "/legacy/Api", "/service/v4_1/rest.php"):
        if path.endswith(suffix):
            problems.append(
                f"{where}: url must be the site root; drop '{suffix}' "
                "(the connector finds the API paths itself)"
            )
    return value.rstrip("/")


def _check_database_url(value: str, where: str, problems: list[str]) -> None:
    scheme = urlsplit(value).scheme
    if not (
        scheme.startswith("sqlite") or scheme.startswith("mysql") or scheme.startswith("mariadb")
    ):
        problems.append(
            f"{where}: database_url must be sqlite:///FILE or mysql+pymysql://USER:PASS@HOST/DB, "
            f"not {mask_url(value)!r}"
        )


def default_database_url(config_path: Path | None, instance: str | None) -> str:
    folder = (config_path.parent if config_path else Path.cwd()).resolve()
    name = f"suitejourney-{instance}.db" if instance else "suitejourney.db"
    return f"sqlite:///{folder / name}"


def load_settings(
    *,
    config_path: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, Any] | None = None,
    instance: str | None = None,
) -> Settings:
    """Read and validate the three layers; raise ``ConfigurationProblems`` with every
    problem found. ``flags`` maps key names to values given on the command line
    (``None`` values are ignored)."""
    env = os.environ if env is None else env
    problems: list[str] = []
    warnings: list[str] = []
    explicit = config_path is not None or f"{ENV_PREFIX}CONFIG" in env
    path = Path(config_path or env.get(f"{ENV_PREFIX}CONFIG") or DEFAULT_CONFIG)
    instance = instance or env.get(f"{ENV_PREFIX}INSTANCE") or None

    layers: list[_Layer] = []
    if path.is_file():
        file_layer, file_warnings = _read_file(path, instance, problems)
        layers.append(file_layer)
        warnings.extend(file_warnings)
    elif explicit:
        problems.append(f"{path}: configuration file not found (run `suitejourney init`)")
    elif instance:
        problems.append(
            f"--instance {instance} needs a configuration file with [instances.{instance}]"
        )
    layers.append(_read_env(env, instance))
    flag_layer = _Layer({}, {})
    for name, value in (flags or {}).items():
        if value is not None and name in KEYS_BY_NAME:
            flag_layer.values[name] = value
            flag_layer.where[name] = f"flag {KEYS_BY_NAME[name].flag}"
    layers.append(flag_layer)

    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for layer in layers:
        for name, value in layer.values.items():
            merged[name] = value
            sources[name] = layer.where[name]

    values: dict[str, Any] = {}
    for key in KEYS:
        if key.name in merged:
            raw = merged[key.name]
            if key.kind in ("str", "secret") and isinstance(raw, str) and not raw.strip():
                values[key.name] = None if key.default is None else key.default
                continue
            values[key.name] = _coerce(key, raw, sources[key.name], problems)
        else:
            values[key.name] = key.default

    if values.get("url"):
        values["url"] = _check_url(values["url"], sources.get("url", "url"), problems)
    config_file = path if path.is_file() else None
    db = values.get("database_url") or default_database_url(config_file, instance)
    if values.get("database_url"):
        _check_database_url(db, sources.get("database_url", "database_url"), problems)
    values["database_url"] = Secret(db)
    crm_db = values.get("suitecrm_database_url")
    if crm_db:
        where = sources.get("suitecrm_database_url", "suitecrm_database_url")
        if not urlsplit(crm_db).scheme.startswith(("mysql", "mariadb")):
            problems.append(
                f"{where}: suitecrm_database_url must be mysql+pymysql://…, not "
                f"{mask_url(crm_db)!r}"
            )
        values["suitecrm_database_url"] = Secret(crm_db)
    if values.get("writer") == "mysql" and not crm_db:
        problems.append(
            f"writer = mysql ({sources.get('writer', 'default')}) needs "
            "suitecrm_database_url, SuiteCRM's own database"
        )

    if problems:
        raise ConfigurationProblems(problems)
    return Settings(
        **values,
        instance=instance,
        config_path=config_file,
        sources=sources,
        warnings=tuple(warnings),
    )


def secret_values(settings: Settings) -> tuple[str, ...]:
    """The clear values to scrub from any text that leaves the process."""
    found: list[str] = []
    for secret in (settings.client_secret, settings.password, settings.webhook_secret):
        if secret:
            found.append(secret.reveal())
    for url in (settings.database_url, settings.suitecrm_database_url):
        password = url_password(url.reveal()) if url else None
        if password:
            found.append(password)
    return tuple(found)
