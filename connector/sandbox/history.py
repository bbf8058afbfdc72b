"""One customer's generated history: the rows a real SuiteCRM would hold for it.

``HistoryWriter`` walks a customer through awareness, evaluation, decision,
purchase and loyalty (or a loss, or a stall) and hands each row to a ``Sink``.
Time is as messy as in a real CRM: calls and meetings planned after ``end`` (the
data's "now"), calls not held or left Planned after their date, open
opportunities edited long after they went quiet and overdue on their expected
close date, accounts and contacts imported long after the first contact, and
yearly renewals; the sink counts each such case (``timing``).
All randomness comes from the ``random.Random`` it is given, so the generator
decides determinism. It knows SuiteCRM's field names and dropdown keys (its own
copy of them: the sandbox stands in for SuiteCRM, so it shares no facts with the
connector it tests), and nothing of SQL or HTTP.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol

from connector.sandbox.clock import to_db
from connector.sandbox.vocabulary import (
    CITIES,
    COMPANY_PARTS,
    COMPANY_SUFFIXES,
    DESCRIPTIONS,
    FIRST_NAMES,
    INDUSTRIES,
    LAST_NAMES,
    NON_LATIN_COMPANIES,
    NON_LATIN_NAMES,
    SUBJECTS,
    TITLES,
)

OPEN_SALES_STAGES = (
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
)
PROBABILITY = dict(zip(OPEN_SALES_STAGES, (10, 20, 25, 30, 40, 50, 65, 80), strict=True))
DECISION_FROM = 4  # index of "Id. Decision Makers": later stages belong to the decision
USERS = (
    "seed_sally_id",
    "seed_max_id",
    "seed_chris_id",
    "seed_will_id",
    "seed_sarah_id",
    "seed_giulia_id",
)
SOURCES = (
    ("campaign", "Campaign", 30),
    ("webform", "Web Site", 25),
    ("tradeshow", "Trade Show", 15),
    ("partner", "Partner", 10),
    ("cold", "Cold Call", 10),
    ("wom", "Word of mouth", 10),
)
OUTCOMES = (("won", 45), ("lost", 20), ("stalled", 15), ("open", 20))
CASE_STATUSES = (
    "Open_New",
    "Open_Assigned",
    "Open_Pending Input",
    "Closed_Closed",
    "Closed_Rejected",
    "Closed_Duplicate",
)
ODD_KINDS = ("missing_date", "orphan_parent", "unknown_parent", "long_text", "non_latin_subject")
LONG_TEXT = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 400).strip()


class Sink(Protocol):
    def add(self, table: str, row: dict[str, Any]) -> None: ...

    def odd(self, kind: str) -> None: ...

    def timing(self, kind: str) -> None: ...


def pick(rng: random.Random, weighted: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(weighted, weights=[w[-1] for w in weighted])[0]


class HistoryWriter:
    """Writes one customer's rows, oldest first."""

    def __init__(
        self,
        rng: random.Random,
        sink: Sink,
        start: datetime,
        end: datetime,
        campaigns: Sequence[str],
        odd_share: float,
        *,
        kind: str = "b2b",
    ) -> None:
        self.rng = rng
        self.sink = sink
        self.start = start
        self.end = end
        self.campaigns = campaigns
        self.odd_share = odd_share
        self.kind = kind
        self.account_row: dict[str, Any] | None = None
        self.lang = "it" if rng.random() < 0.3 else "en"
        self.user = rng.choice(USERS)
        self.stages: set[str] = set()
        self.account_id = ""
        self.account_name = ""
        self.contacts: list[str] = []
        self.city = rng.choice(CITIES)
        self.serial = rng.randrange(10**6, 10**7)
        self.imported_at: datetime | None = None  # records created long after the first contact

    # -- small helpers -------------------------------------------------------------

    def new_id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def later(self, t: datetime, low_days: float, high_days: float) -> datetime:
        moment = t + timedelta(days=self.rng.uniform(low_days, high_days))
        return moment.replace(second=self.rng.randrange(60), microsecond=0)

    def subject(self, key: str) -> str:
        return self.rng.choice(SUBJECTS[self.lang][key])

    def describe(self) -> str:
        return self.rng.choice(DESCRIPTIONS[self.lang]) if self.rng.random() < 0.6 else ""

    def base(self, t: datetime, modified: datetime | None = None) -> dict[str, Any]:
        touched = min(modified or self.later(t, 0, 2), self.end)
        return {
            "id": self.new_id(),
            "date_entered": to_db(min(t, self.end)),
            "date_modified": to_db(max(touched, min(t, self.end))),
            "created_by": "1",
            "modified_user_id": "1",
            "assigned_user_id": self.user,
            "deleted": 0,
        }

    def person(self) -> tuple[str, str]:
        if self.rng.random() < self.odd_share:
            self.sink.odd("non_latin_name")
            return self.rng.choice(NON_LATIN_NAMES)
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def email_address(self, first: str, last: str) -> str:
        local = "".join(
            c for c in f"{first}.{last}".lower() if c.isascii() and (c.isalnum() or c == ".")
        )
        domain = "example.it" if self.lang == "it" else "example.com"
        return f"{local or 'contact'}{self.rng.randrange(100)}@{domain}"

    # -- the journey ---------------------------------------------------------------

    def build(self, *, full: bool = True) -> str:
        first_touch = self.start + timedelta(
            seconds=self.rng.uniform(0, (self.end - self.start).total_seconds() * 0.85)
        )
        if not full:
            self.add_account(first_touch)
            self.flush_account()
            return "account_only"
        if self.kind == "b2c":
            return self.build_b2c(first_touch)
        source, lead_source, _ = pick(self.rng, SOURCES)
        t, lead = self.awareness(first_touch, source, lead_source)
        if self.kind == "lead":
            self.stall_lead(t, lead)
            return "stalled_lead"
        outcome = str(pick(self.rng, OUTCOMES)[0])
        t = self.later(t, 3, 40)
        self.convert(t, lead, lead_source)
        t, stage_index = self.evaluation(t, outcome)
        if outcome in ("won", "lost") or stage_index >= DECISION_FROM:
            t = self.decision(t, outcome)
        if outcome == "won":
            t = self.purchase(t)
            self.loyalty(t)
        self.opportunity(self.opp_start, outcome, stage_index, self.opp_id, t)
        if outcome in ("open", "won"):
            self.plan_ahead(outcome, stage_index)
        self.flush_account()
        return outcome

    def flush_account(self) -> None:
        if self.account_row is not None:
            self.sink.add("accounts", self.account_row)
            self.account_row = None

    def decide_import(self, t: datetime) -> None:
        """Some customers' records were created (imported, tidied) long after first contact."""
        if self.rng.random() < 0.2:
            moment = self.end - timedelta(days=self.rng.uniform(1, 25))
            if moment - t > timedelta(days=120):
                self.imported_at = moment.replace(microsecond=0)
                self.sink.timing("imported")

    def created(self, row: dict[str, Any]) -> None:
        """Date an account or contact row at the import, when there was one."""
        if self.imported_at is not None:
            row["date_entered"] = to_db(self.imported_at)
            row["date_modified"] = max(row["date_modified"], row["date_entered"])

    def add_account(self, t: datetime) -> None:
        self.decide_import(t)
        self.account_id = self.new_id()
        if self.rng.random() < self.odd_share:
            self.sink.odd("non_latin_name")
            self.account_name = self.rng.choice(NON_LATIN_COMPANIES)
        else:
            self.account_name = (
                f"{self.rng.choice(COMPANY_PARTS)} {self.rng.choice(COMPANY_SUFFIXES)}"
            )
        row = self.base(t, self.later(t, 0, 30))
        if self.rng.random() < 0.1:  # imported in one batch: many rows share one instant
            row["date_modified"] = to_db(self.end - timedelta(days=30))
        city, state, country = self.city
        row.update(
            id=self.account_id,
            name=self.account_name,
            account_type="Prospect",
            industry=self.rng.choice(INDUSTRIES),
            billing_address_city=city,
            billing_address_state=state,
            billing_address_country=country,
            shipping_address_city=city,
            shipping_address_country=country,
            phone_office=f"+39 02 {self.rng.randrange(1000000, 9999999)}",
            website=f"www.{self.account_name.split()[0].lower()}.example",
            email1=f"info{self.rng.randrange(1000)}@example.com",
            employees=str(self.rng.choice((10, 50, 200, 1000, 5000))),
            description=self.describe(),
        )
        self.created(row)
        self.account_row = row

    def awareness(
        self, t: datetime, source: str, lead_source: str
    ) -> tuple[datetime, dict[str, Any]]:
        self.stages.add("awareness")
        campaign = self.rng.choice(self.campaigns) if source == "campaign" else None
        first, last = self.person()
        lead = self.base(t)
        lead.update(
            first_name=first,
            last_name=last,
            lead_source=lead_source,
            status="New",
            account_name=f"{self.rng.choice(COMPANY_PARTS)} {self.rng.choice(COMPANY_SUFFIXES)}",
            email1=self.email_address(first, last),
            title=self.rng.choice(TITLES),
            campaign_id=campaign,
            converted="0",
            primary_address_city=self.city[0],
            primary_address_country=self.city[2],
            do_not_call="0",
            refered_by="Partner Solutions S.r.l." if source == "partner" else None,
            lead_source_description="Web form" if source == "webform" else None,
        )
        if campaign:
            self.campaign_log(
                t, campaign, lead["id"], "Leads", ("targeted", "viewed", "link", "lead")
            )
        if source == "webform":
            self.email(t, "Leads", lead["id"], "email_in", inbound=True, key_subject="webform")
        elif source == "tradeshow":
            self.meeting(t, "Leads", lead["id"], "tradeshow", status="Held")
        elif source == "partner":
            self.note(t, "Leads", lead["id"], "partner")
        elif source == "cold":
            self.call(t, "Leads", lead["id"], "discovery", direction="Outbound")
        return t, lead

    def stall_lead(self, t: datetime, lead: dict[str, Any]) -> None:
        for _ in range(self.rng.randint(1, 3)):
            t = self.later(t, 5, 60)
            self.call(t, "Leads", lead["id"], "stall", direction="Outbound")
        lead.update(
            status=self.rng.choice(("In Process", "Recycled", "Dead", "Assigned")),
            date_modified=to_db(min(t, self.end)),
        )
        self.sink.add("leads", lead)
        self.stages.add("stalled")

    def convert(self, t: datetime, lead: dict[str, Any], lead_source: str) -> None:
        self.add_account(t)
        for number in range(self.rng.randint(1, 4)):
            first, last = (lead["first_name"], lead["last_name"]) if number == 0 else self.person()
            contact = self.contact(t, first, last, lead_source, lead.get("campaign_id"))
            self.join("accounts_contacts", t, account_id=self.account_id, contact_id=contact)
        self.opp_id = self.new_id()
        self.opp_start = t
        lead.update(
            converted="1",
            status="Converted",
            account_id=self.account_id,
            contact_id=self.contacts[0],
            opportunity_id=self.opp_id,
            account_name=self.account_name,
            date_modified=to_db(min(t, self.end)),
        )
        self.sink.add("leads", lead)
        if lead.get("campaign_id"):
            self.campaign_log(
                t,
                lead["campaign_id"],
                self.contacts[0],
                "Contacts",
                ("contact",),
                related=lead["id"],
            )

    def contact(
        self, t: datetime, first: str, last: str, lead_source: str, campaign: str | None
    ) -> str:
        row = self.base(t)
        city, state, country = self.city
        row.update(
            first_name=first,
            last_name=last,
            title=self.rng.choice(TITLES),
            lead_source=lead_source,
            campaign_id=campaign,
            email1=self.email_address(first, last),
            phone_work=f"+39 0{self.rng.randrange(10, 99)} {self.rng.randrange(100000, 999999)}",
            primary_address_city=city,
            primary_address_state=state,
            primary_address_country=country,
            do_not_call="0",
            portal_account_disabled="0",
            portal_user_type="Single",
            salutation=self.rng.choice(("Mr.", "Ms.", "Dr.", "")),
            description=self.describe(),
        )
        self.created(row)
        self.sink.add("contacts", row)
        self.contacts.append(row["id"])
        return str(row["id"])

    def evaluation(self, t: datetime, outcome: str) -> tuple[datetime, int]:
        self.stages.add("evaluation")
        if outcome == "won":
            stage_index = len(OPEN_SALES_STAGES)
        elif outcome == "lost":
            stage_index = self.rng.randrange(2, len(OPEN_SALES_STAGES))
        elif outcome == "stalled":
            stage_index = self.rng.randrange(0, DECISION_FROM)
        else:
            stage_index = self.rng.randrange(1, len(OPEN_SALES_STAGES))
        t = self.later(t, 1, 10)
        self.call(
            t,
            "Accounts",
            self.account_id,
            "discovery",
            direction=self.rng.choice(("Inbound", "Outbound")),
        )
        t = self.later(t, 3, 20)
        self.meeting(t, "Accounts", self.account_id, "demo", status="Held")
        for _ in range(self.rng.randint(2, 5)):
            t = self.later(t, 1, 12)
            inbound = self.rng.random() < 0.4
            self.email(
                t,
                "Accounts",
                self.account_id,
                "email_in" if inbound else "email_out",
                inbound=inbound,
            )
        self.task(t, "Accounts", self.account_id)
        if self.rng.random() < 0.3:
            self.case(t, pre_sale=True)
        if outcome == "stalled":
            self.stages.add("stalled")
            t = self.later(t, 30, 90)
            self.call(t, "Accounts", self.account_id, "stall", direction="Outbound")
        if stage_index >= DECISION_FROM:
            self.stages.add("decision")
        return t, stage_index

    def decision(self, t: datetime, outcome: str) -> datetime:
        self.stages.add("decision")
        t = self.later(t, 2, 15)
        self.meeting(t, "Opportunities", self.opp_id, "negotiation", status="Held")
        final = {"won": "Closed Accepted", "lost": "Closed Lost"}.get(
            outcome, self.rng.choice(("Draft", "Negotiation", "Delivered"))
        )
        for version in range(self.rng.randint(1, 2)):
            t = self.later(t, 1, 10)
            last = version == 1 or self.rng.random() < 0.5
            self.quote(t, final if last else "Negotiation")
            if last:
                break
        self.email(self.later(t, 0, 2), "Opportunities", self.opp_id, "email_out", inbound=False)
        if outcome == "lost":
            self.stages.add("lost")
        return t

    def purchase(self, t: datetime) -> datetime:
        self.stages.add("purchase")
        t = self.later(t, 1, 10)
        self.won_at = t
        for number in range(self.rng.randint(1, 3)):
            self.invoice(self.later(t, number * 30, number * 30 + 10))
        self.contract(t)
        self.document(t)
        if self.account_row is not None:
            self.account_row["account_type"] = "Customer"
            self.account_row["date_modified"] = max(
                self.account_row["date_modified"], to_db(min(t, self.end))
            )
        return t

    def loyalty(self, t: datetime) -> None:
        if self.later(t, 15, 60) > self.end:
            return
        self.stages.add("loyalty")
        moment = t
        for _ in range(self.rng.randint(0, 5)):
            moment = self.later(moment, 10, 120)
            if moment > self.end:
                break
            self.case(moment, pre_sale=False)
        moment = self.later(t, 20, 90)
        if moment < self.end:
            self.meeting(moment, "Accounts", self.account_id, "post_sale", status="Held")
            self.call(
                self.later(moment, 30, 120),
                "Accounts",
                self.account_id,
                "post_sale",
                direction="Outbound",
            )
        renewal = self.later(t, 330, 380)
        if renewal < self.end:
            self.side_opportunity(renewal, "Renewal", "Existing Business")
        self.renewals(t)
        if self.rng.random() < 0.35:
            upsell = self.later(t, 60, 400)
            if upsell < self.end:
                self.side_opportunity(upsell, "Upsell", "Existing Business")

    def renewals(self, bought: datetime) -> None:
        """A yearly renewal: a meeting about it, then the renewal contract signed."""
        for year in (1, 2, 3):
            signed = self.later(bought, 365 * year - 20, 365 * year + 10)
            talk = self.later(signed, -25, -5)
            if talk > self.end:
                return
            self.meeting(talk, "Accounts", self.account_id, "renewal", status="Held")
            if signed > self.end:
                return
            self.contract(signed, renewal=year)
            self.sink.timing("renewal")

    def plan_ahead(self, outcome: str, stage_index: int) -> None:
        """What the salesperson has in the calendar: a meeting (and a call) after ``end``."""
        if self.rng.random() < 0.4:
            return
        if outcome == "won":
            key = "post_sale"
        else:
            key = "negotiation" if stage_index >= DECISION_FROM else "demo"
        self.meeting(self.later(self.end, 2, 40), "Accounts", self.account_id, key, status="Held")
        if self.rng.random() < 0.5:
            when = self.later(self.end, 1, 20)
            self.call(when, "Accounts", self.account_id, "planned", direction="Outbound")

    # -- records -------------------------------------------------------------------

    def parent_fields(self, parent_type: str, parent_id: str) -> dict[str, Any]:
        return {"parent_type": parent_type, "parent_id": parent_id}

    def activity(
        self,
        table: str,
        t: datetime,
        parent_type: str,
        parent_id: str,
        values: dict[str, Any],
        date_field: str,
    ) -> dict[str, Any] | None:
        if t > self.end + timedelta(days=45):
            return None
        row = self.base(t)
        row.update(self.parent_fields(parent_type, parent_id))
        row.update(values)
        row[date_field] = to_db(t)
        if self.rng.random() < self.odd_share:
            self.make_odd(row, date_field)
        self.sink.add(table, row)
        return row

    def make_odd(self, row: dict[str, Any], date_field: str) -> None:
        kind = self.rng.choice(ODD_KINDS)
        self.sink.odd(kind)
        if kind == "missing_date":
            row[date_field] = None
        elif kind == "orphan_parent":
            row["parent_type"], row["parent_id"] = "Accounts", self.new_id()
        elif kind == "unknown_parent":
            row["parent_type"], row["parent_id"] = (
                self.rng.choice(("Bugs", "Project")),
                self.new_id(),
            )
        elif kind == "long_text":
            row["description"] = LONG_TEXT
        else:
            first, last = self.rng.choice(NON_LATIN_NAMES)
            row["name"] = f"{first} {last}: {row.get('name', '')}"

    def call(
        self, t: datetime, parent_type: str, parent_id: str, key: str, *, direction: str
    ) -> None:
        minutes = self.rng.choice((5, 15, 30, 45))
        # Past calls: mostly held, some not held, a few left Planned (nobody logged them).
        status = (
            "Planned"
            if t > self.end
            else self.rng.choice(("Held", "Held", "Held", "Held", "Held", "Not Held", "Planned"))
        )
        row = self.activity(
            "calls",
            t,
            parent_type,
            parent_id,
            {
                "name": self.subject(key),
                "direction": direction,
                "status": status,
                "duration_hours": "0",
                "duration_minutes": str(minutes),
                "date_end": to_db(t + timedelta(minutes=minutes)),
                "description": self.describe(),
                "reminder_time": "-1",
                "email_reminder_time": "-1",
                "email_reminder_sent": "0",
                "repeat_interval": "1",
            },
            "date_start",
        )
        if row:
            self.count_status(status, t)
        if row and self.contacts and parent_type == "Accounts":
            self.join(
                "calls_contacts",
                t,
                call_id=row["id"],
                contact_id=self.rng.choice(self.contacts),
                required="1",
                accept_status="accept",
            )

    def meeting(
        self, t: datetime, parent_type: str, parent_id: str, key: str, *, status: str
    ) -> None:
        hours = self.rng.choice((0, 1, 2))
        if t > self.end:
            status = "Planned"
        elif self.rng.random() < 0.1:
            status = self.rng.choice(("Not Held", "Planned"))
        row = self.activity(
            "meetings",
            t,
            parent_type,
            parent_id,
            {
                "name": self.subject(key),
                "status": status,
                "duration_hours": str(hours),
                "duration_minutes": "30",
                "type": "Sugar",
                "location": self.rng.choice(
                    ("Online", "Customer office", "Our office", "Trade fair")
                ),
                "date_end": to_db(t + timedelta(hours=hours, minutes=30)),
                "description": self.describe(),
                "reminder_time": "-1",
                "email_reminder_time": "-1",
                "email_reminder_sent": "0",
                "sequence": "0",
                "repeat_interval": "1",
            },
            "date_start",
        )
        if row:
            self.count_status(status, t)
            for contact in self.contacts[:2]:
                self.join(
                    "meetings_contacts",
                    t,
                    meeting_id=row["id"],
                    contact_id=contact,
                    required="1",
                    accept_status="accept",
                )

    def count_status(self, status: str, t: datetime) -> None:
        if status == "Not Held":
            self.sink.timing("not_held")
        elif status == "Planned":
            self.sink.timing("planned" if t > self.end else "planned_past")

    def email(
        self,
        t: datetime,
        parent_type: str,
        parent_id: str,
        key: str,
        *,
        inbound: bool,
        key_subject: str | None = None,
    ) -> None:
        ours = f"sales@{'azienda.it' if self.lang == 'it' else 'company.example'}"
        theirs = f"buyer{self.rng.randrange(100)}@example.org"
        body = self.describe() or self.subject("note")
        row = self.activity(
            "emails",
            t,
            parent_type,
            parent_id,
            {
                "name": self.subject(key_subject or key),
                "type": "inbound" if inbound else "out",
                "status": self.rng.choice(("read", "replied", "unread")) if inbound else "sent",
                "from_addr_name": theirs if inbound else ours,
                "to_addrs_names": ours if inbound else theirs,
                "description": body,
                "description_html": f"<p>{body}</p>",
                "intent": "pick",
                "orphaned": "0",
                "flagged": "0",
                "reply_to_status": "0",
            },
            "date_sent_received",
        )
        if row:
            self.join(
                "emails_beans", t, email_id=row["id"], bean_id=parent_id, bean_module=parent_type
            )
            if parent_type == "Accounts" and self.contacts:
                self.join(
                    "emails_beans",
                    t,
                    email_id=row["id"],
                    bean_id=self.contacts[0],
                    bean_module="Contacts",
                )

    def task(self, t: datetime, parent_type: str, parent_id: str) -> None:
        done = t < self.end - timedelta(days=7)
        self.activity(
            "tasks",
            t,
            parent_type,
            parent_id,
            {
                "name": self.subject("task"),
                "status": "Completed" if done else "In Progress",
                "priority": self.rng.choice(("High", "Medium", "Low")),
                "date_due_flag": "0",
                "date_start_flag": "0",
                "date_start": to_db(t - timedelta(days=2)),
                "contact_id": self.contacts[0] if self.contacts else None,
            },
            "date_due",
        )

    def note(self, t: datetime, parent_type: str, parent_id: str, key: str) -> None:
        self.activity(
            "notes",
            t,
            parent_type,
            parent_id,
            {
                "name": self.subject(key),
                "description": self.describe() or self.subject("note"),
                "portal_flag": "0",
                "embed_flag": "0",
            },
            "date_entered",
        )

    def case(self, t: datetime, *, pre_sale: bool) -> None:
        status = self.rng.choice(CASE_STATUSES)
        row = self.base(t, self.later(t, 0, 20) if status.startswith("Closed") else None)
        self.case_serial = getattr(self, "case_serial", 0) + 1
        row.update(
            name=self.subject("case"),
            case_number=str(self.serial * 10 + self.case_serial),
            type=self.rng.choice(("Administration", "Product", "User")),
            status=status,
            state=status.split("_", 1)[0],
            priority=self.rng.choice(("P1", "P2", "P2", "P3")),
            account_id=self.account_id or None,
            description=self.describe(),
            resolution="Fixed in release 3.2" if status == "Closed_Closed" else None,
        )
        if pre_sale:
            row["type"] = "User"
        self.sink.add("cases", row)
        if self.contacts:
            self.join(
                "contacts_cases",
                t,
                contact_id=self.contacts[0],
                case_id=row["id"],
                contact_role="Primary Contact",
            )

    def quote(self, t: datetime, stage: str) -> None:
        amount = self.rng.choice((4800, 12000, 25000, 60000, 150000))
        row = self.base(t)
        self.quote_serial = getattr(self, "quote_serial", 0) + 1
        row.update(
            name=f"{self.account_name} - offer {self.quote_serial}",
            number=str(self.serial * 10 + self.quote_serial),
            stage=stage,
            term=self.rng.choice(("Net 15", "Net 30")),
            approval_status="Approved",
            invoice_status="Invoiced" if stage == "Closed Accepted" else "Not Invoiced",
            billing_account_id=self.account_id,
            billing_contact_id=self.contacts[0] if self.contacts else None,
            opportunity_id=getattr(self, "opp_id", None),
            currency_id="-99",
            expiration=f"{t + timedelta(days=30):%Y-%m-%d}",
            total_amount=f"{amount:.6f}",
            subtotal_amount=f"{amount:.6f}",
        )
        self.sink.add("aos_quotes", row)

    def invoice(self, t: datetime) -> None:
        if t > self.end:
            return
        amount = self.rng.choice((1200, 4800, 12000, 25000))
        row = self.base(t)
        self.invoice_serial = getattr(self, "invoice_serial", 0) + 1
        paid = t < self.end - timedelta(days=30) and self.rng.random() < 0.85
        row.update(
            name=f"Invoice {self.account_name or 'B2C'} {self.invoice_serial}",
            number=str(self.serial * 10 + self.invoice_serial),
            status="Paid" if paid else "Unpaid",
            invoice_date=f"{t:%Y-%m-%d}",
            due_date=f"{t + timedelta(days=30):%Y-%m-%d}",
            currency_id="-99",
            billing_account_id=self.account_id or None,
            billing_contact_id=self.contacts[0] if self.contacts else None,
            total_amount=f"{amount:.6f}",
        )
        self.sink.add("aos_invoices", row)

    def contract(self, t: datetime, *, renewal: int = 0) -> None:
        row = self.base(t)
        label = f"renewal {t:%Y}" if renewal else "service agreement"
        row.update(
            name=f"{self.account_name} - {label}",
            status="Signed",
            contract_type="Type",
            start_date=f"{t:%Y-%m-%d}",
            end_date=f"{t + timedelta(days=365):%Y-%m-%d}",
            customer_signed_date=f"{t:%Y-%m-%d}",
            company_signed_date=f"{t:%Y-%m-%d}",
            renewal_reminder_date=to_db(t + timedelta(days=330)),
            contract_account_id=self.account_id,
            contact_id=self.contacts[0],
            opportunity_id=self.opp_id,
            currency_id="-99",
            total_contract_value=f"{self.rng.choice((12000, 48000, 90000)):.6f}",
        )
        self.sink.add("aos_contracts", row)

    def document(self, t: datetime) -> None:
        row = self.base(t)
        row.update(
            document_name=f"Contract {self.account_name}.pdf",
            status_id="Active",
            category_id="Sales",
            active_date=f"{t:%Y-%m-%d}",
            doc_type="Sugar",
            is_template="0",
        )
        self.sink.add("documents", row)
        self.join("documents_accounts", t, document_id=row["id"], account_id=self.account_id)

    def opportunity(
        self, t: datetime, outcome: str, stage_index: int, opp_id: str, last: datetime
    ) -> None:
        if outcome == "won":
            stage, probability = "Closed Won", 100
        elif outcome == "lost":
            stage, probability = "Closed Lost", 0
        else:
            stage = OPEN_SALES_STAGES[min(stage_index, len(OPEN_SALES_STAGES) - 1)]
            probability = PROBABILITY[stage]
        amount = self.rng.choice((5000, 12000, 25000, 50000, 120000))
        row = self.base(t, getattr(self, "won_at", last))
        expected = min(last, self.end) + timedelta(days=14)
        if outcome == "lost":
            # Marked Closed Lost when the close date came without a deal.
            row["date_modified"] = to_db(min(expected, self.end))
        if not stage.startswith("Closed"):
            if self.end - expected > timedelta(days=30):
                self.sink.timing("overdue_opportunity")
            if self.rng.random() < 0.5:
                # Someone edited the deal recently (amount, next step): no contact with anyone.
                edited = self.end - timedelta(days=self.rng.uniform(1, 10))
                row["date_modified"] = to_db(max(edited, min(t, self.end)))
                self.sink.timing("edited_open_opportunity")
        row.update(
            id=opp_id,
            name=f"{self.account_name} - {self.rng.choice(('Platform', 'Licences', 'Services'))}",
            sales_stage=stage,
            probability=str(probability),
            amount=str(amount),
            amount_usdollar=str(amount),
            currency_id="-99",
            opportunity_type="New Business",
            lead_source=self.rng.choice([s[1] for s in SOURCES]),
            date_closed=f"{expected:%Y-%m-%d}",
            next_step="" if stage.startswith("Closed") else "Follow up",
        )
        self.sink.add("opportunities", row)
        self.join("accounts_opportunities", t, account_id=self.account_id, opportunity_id=opp_id)
        for contact in self.contacts[:2]:
            self.join(
                "opportunities_contacts",
                t,
                opportunity_id=opp_id,
                contact_id=contact,
                contact_role="Primary Decision Maker",
            )

    def side_opportunity(self, t: datetime, label: str, kind: str) -> None:
        stage = self.rng.choice(
            ("Prospecting", "Proposal/Price Quote", "Closed Won", "Closed Lost")
        )
        row = self.base(t)
        amount = self.rng.choice((3000, 8000, 20000))
        row.update(
            name=f"{self.account_name} - {label}",
            sales_stage=stage,
            probability=str(PROBABILITY.get(stage, 100 if stage == "Closed Won" else 0)),
            amount=str(amount),
            amount_usdollar=str(amount),
            currency_id="-99",
            opportunity_type=kind,
            lead_source="Existing Customer",
            date_closed=f"{t + timedelta(days=30):%Y-%m-%d}",
        )
        self.sink.add("opportunities", row)
        self.join("accounts_opportunities", t, account_id=self.account_id, opportunity_id=row["id"])

    def campaign_log(
        self,
        t: datetime,
        campaign: str,
        target: str,
        target_type: str,
        activities: Sequence[str],
        related: str | None = None,
    ) -> None:
        moment = t - timedelta(days=self.rng.uniform(1, 10)) if activities[0] == "targeted" else t
        for activity in activities:
            logged = {
                "id": self.new_id(),
                "campaign_id": campaign,
                "target_id": target,
                "target_type": target_type,
                "activity_type": activity,
                "activity_date": to_db(max(moment, self.start)),
                "hits": "1",
                "related_id": related or (target if activity == "lead" else None),
                "related_type": target_type if activity in ("lead", "contact") else "Emails",
                "archived": "0",
                "deleted": 0,
                # Opens and clicks are inserted by raw SQL: no date_modified.
                "date_modified": None
                if activity in ("viewed", "link")
                else to_db(max(moment, self.start)),
            }
            self.sink.add("campaign_log", logged)
            moment = moment + timedelta(hours=self.rng.uniform(1, 48))

    def join(self, table: str, t: datetime, **columns: Any) -> None:
        self.sink.add(
            table,
            {
                "id": self.new_id(),
                **columns,
                "date_modified": to_db(min(t, self.end)),
                "deleted": 0,
            },
        )

    # -- B2C -----------------------------------------------------------------------

    def build_b2c(self, t: datetime) -> str:
        self.stages.add("awareness")
        self.decide_import(t)
        first, last = self.person()
        contact = self.contact(t, first, last, "Web Site", None)
        self.email(t, "Contacts", contact, "email_in", inbound=True, key_subject="webform")
        t = self.later(t, 1, 20)
        self.call(t, "Contacts", contact, "discovery", direction="Inbound")
        self.stages.add("evaluation")
        if self.rng.random() < 0.6:
            t = self.later(t, 1, 15)
            self.invoice(t)
            self.stages.update(("decision", "purchase"))
            if self.rng.random() < 0.5 and t < self.end:
                self.stages.add("loyalty")
                self.case(self.later(t, 5, 60), pre_sale=False)
            return "b2c_won"
        return "b2c_open"
