"""What ``suitejourney check`` finds out about a SuiteCRM instance.

Given an authenticated client, ``probe`` tells which API answered and where, the
version when the server reveals it, whether each module we read can be listed
(and how many records it holds), and whether our CJ module is installed. It only
reads; it never writes to SuiteCRM.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from connector.crm.client import CrmClient
from connector.crm.records import ServerInfo
from connector.errors import AccessDeniedError, BadRequestError, UnknownModuleError

log = logging.getLogger(__name__)

CJ_MODULES = ("CJ_Journeys", "CJ_Touchpoints", "CJ_Corrections")
# What the write-back needs; CJ_Corrections came with a later package version.
CJ_REQUIRED = ("CJ_Journeys", "CJ_Touchpoints")


@dataclass(frozen=True)
class ModuleStatus:
    name: str
    state: str  # ok | missing | denied | error
    count: int | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.state == "ok"


@dataclass(frozen=True)
class ProbeReport:
    server: ServerInfo
    modules: tuple[ModuleStatus, ...]
    cj_modules: tuple[ModuleStatus, ...]
    legacy_available: bool | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def cj_installed(self) -> bool:
        return all(m.ok for m in self.cj_modules if m.name in CJ_REQUIRED)

    @property
    def cj_outdated(self) -> bool:
        """Installed, but without CJ_Corrections (a package older than the connector)."""
        return self.cj_installed and not all(m.ok for m in self.cj_modules)

    @property
    def unreadable(self) -> tuple[ModuleStatus, ...]:
        return tuple(m for m in self.modules if not m.ok)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["server"]["details"] = dict(self.server.details)
        data["cj_installed"] = self.cj_installed
        data["cj_outdated"] = self.cj_outdated
        return data


def module_status(client: CrmClient, module: str) -> ModuleStatus:
    """List one record of ``module`` and count them; never raises for one module's fault."""
    try:
        count = client.count(module)
    except UnknownModuleError:
        return ModuleStatus(module, "missing", detail="no such module on this instance")
    except AccessDeniedError:
        return ModuleStatus(module, "denied", detail="the API user may not list it")
    except BadRequestError as exc:
        return ModuleStatus(module, "error", detail=str(exc))
    return ModuleStatus(module, "ok", count=count)


def probe(client: CrmClient, modules: Sequence[str]) -> ProbeReport:
    server = client.server_info()
    statuses = tuple(module_status(client, m) for m in modules)
    cj = tuple(module_status(client, m) for m in CJ_MODULES)
    log.info(
        "probe: %d of %d modules readable, CJ module %s",
        sum(s.ok for s in statuses),
        len(statuses),
        "installed" if all(s.ok for s in cj if s.name in CJ_REQUIRED) else "missing",
    )
    return ProbeReport(
        server=server,
        modules=statuses,
        cj_modules=cj,
        legacy_available=client.supports_deleted or None,
    )
