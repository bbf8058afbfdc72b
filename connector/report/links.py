"""Links from the report into SuiteCRM: a customer's record in the classic DetailView.

Only an http(s) site root, a customer module the connector knows (Accounts,
Contacts, Leads) and an id of letters, digits and dashes make a link; anything
else makes none, so a hostile key can never turn into a script or a foreign URL.

Pure string work; no I/O.
"""

from __future__ import annotations

import re

RECORD_MODULES = frozenset({"Accounts", "Contacts", "Leads"})
RECORD_ID = re.compile(r"[A-Za-z0-9-]+")
SITE = re.compile(r"https?://[^\s\"'<>`]+")


def record_url(crm_url: str | None, customer_key: str) -> str | None:
    """``{crm_url}/index.php?module=<module>&action=DetailView&record=<id>`` or None."""
    if not crm_url or not SITE.fullmatch(crm_url):
        return None
    module, _, record = customer_key.partition(":")
    if module not in RECORD_MODULES or not RECORD_ID.fullmatch(record):
        return None
    return f"{crm_url.rstrip('/')}/index.php?module={module}&action=DetailView&record={record}"
