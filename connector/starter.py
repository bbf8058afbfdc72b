"""``suitejourney init``: a commented configuration file to start from.

Written with mode 600 (it will hold secrets, or point at them), never over an
existing file unless asked.
"""

from __future__ import annotations

import os
from pathlib import Path

from connector.errors import ConfigurationError

TEMPLATE = """\
# suitejourney.toml — settings of the SuiteCRM customer-journey connector.
# Precedence: this file < environment SUITEJOURNEY_<KEY> < command-line flags.
# `suitejourney config show` prints the effective values and where each came from.

# The SuiteCRM site root (SuiteCRM 8 too: the connector finds /legacy/Api itself).
url = "https://crm.example.com"

# api: "auto" (V8 at /Api, then /legacy/Api, then REST v4_1), "v8" or "legacy".
api = "auto"

# An OAuth2 client from Admin → OAuth2 Clients and Tokens, with an Associated User
# who may read the modules below and write CJ_Journeys and CJ_Touchpoints.
client_id = ""
# Prefer the environment for secrets:  export SUITEJOURNEY_CLIENT_SECRET=...
# client_secret = ""

# Optional: a SuiteCRM user for REST v4_1, the only API that lists deleted records
# (without it, deletions are found by a daily reconciliation).
# username = "journey-api"
# export SUITEJOURNEY_PASSWORD=...

# The state database; default: suitejourney.db next to this file (SQLite).
# database_url = "mysql+pymysql://journey:PASSWORD@db.example.com/journey"

# The stage rules.
mapping = "mappings/default.yaml"

# The SuiteCRM modules to read (remove those your edition lacks).
modules = [
  "Accounts", "Contacts", "Leads", "Calls", "Meetings", "Tasks", "Notes", "Emails",
  "Cases", "Opportunities", "Campaigns", "CampaignLog", "AOS_Quotes", "AOS_Invoices",
  "AOS_Contracts", "Documents",
]

page_size = 200        # records per request (SuiteCRM loads each record in full)
concurrency = 1        # parallel requests
writer = "api"         # write-back: "api" (V8), "bulk" (REST v4_1 set_entries), "mysql"
write_concurrency = 3  # write requests in flight (a small SuiteCRM saves ~2 at a time)
# CJ_Touchpoints records: "milestones" (stage moves + 3 most recent, <= 8 a customer),
# "none", or "all" (one per touchpoint: every save costs SuiteCRM 120-180 ms).
touchpoint_records = "milestones"
schedule = "every 1h"  # for `suitejourney schedule`: "every 30m" or a cron line (UTC)

# Real time (`suitejourney serve`): the CJ module's hooks post signed change notices.
# export SUITEJOURNEY_WEBHOOK_SECRET=...   (the same as cj_notify_secret in SuiteCRM)
# serve_host = "127.0.0.1"
# serve_port = 8765

# Several SuiteCRM instances: one table per instance, picked with --instance NAME.
# [instances.eu]
# url = "https://crm-eu.example.com"
# client_id = "..."
"""


def write_config(target: str | Path, *, force: bool = False) -> Path:
    path = Path(target)
    if path.exists() and not force:
        raise ConfigurationError(f"{path} already exists; use --force to overwrite it.")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(TEMPLATE)
    os.chmod(path, 0o600)
    return path
