"""The parts every sandbox front end shares, bundled: catalog, store, renderer,
writer, OAuth server and clock, plus module-name resolution.

Built once per running sandbox by ``server.build_services``; holds no global
state and does no I/O of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from connector.sandbox.auth import OAuthServer
from connector.sandbox.clock import SandboxClock
from connector.sandbox.records import Records
from connector.sandbox.render import Renderer
from connector.sandbox.savecost import SaveCost
from connector.sandbox.schema import ModuleSpec
from connector.sandbox.store import Store

# V8 accepts bean aliases and class names for module names (beanAliases.php).
EXTRA_ALIASES = {"Quotes": "AOS_Quotes", "Invoices": "AOS_Invoices", "Contracts": "AOS_Contracts"}
REAL_LIST_MAX_ENTRIES = 20


@dataclass
class Services:
    catalog: Mapping[str, ModuleSpec]
    store: Store
    renderer: Renderer
    records: Records
    oauth: OAuthServer
    clock: SandboxClock
    # Rows a list without paging returns: SuiteCRM's list_max_entries_per_page
    # (20 on a stock install, as recorded); None returns every row.
    unpaged_limit: int | None = REAL_LIST_MAX_ENTRIES
    # The server time every record saved through an API costs (none by default).
    saves: SaveCost = field(default_factory=SaveCost)

    def module(self, name: str) -> ModuleSpec | None:
        """A module by its name, object name or alias (case-sensitive, as SuiteCRM)."""
        spec = self.catalog.get(name)
        if spec is not None:
            return spec
        alias = EXTRA_ALIASES.get(name)
        if alias:
            return self.catalog[alias]
        for candidate in self.catalog.values():
            if candidate.object_name == name:
                return candidate
        return None
