"""One realistic SuiteCRM record per rule of mappings/default.yaml, English and Italian.

Each row: the rule expected to win, the stage it gives, the journey situation
(pre: before any purchase, no open opportunity; open: an opportunity is open;
deciding: the same at the decision stage; window: within the purchase window of
the purchase; post: after the first purchase, past its window), and the record.
Rules that keep the stage ("current") give the situation's stage.
"""

from __future__ import annotations

import pytest

from connector.journey import classify

from .factories import CONTEXTS, default_mapping, touchpoint

Row = tuple[str, str, str, str, str, dict[str, str]]

# fmt: off
ROWS: list[Row] = [
    # rule id, stage, situation, module, subject, fields
    ("opportunity-won", "purchase", "open", "Opportunities", "Acme - 50 licences",
     {"sales_stage": "Closed Won", "amount": "25000"}),
    ("opportunity-won", "purchase", "post", "Opportunities", "Rinnovo licenze 2026",
     {"sales_stage": "Closed Won"}),
    ("opportunity-lost-expansion", "loyalty", "post", "Opportunities", "Upsell: extra licences",
     {"sales_stage": "Closed Lost"}),
    ("opportunity-lost", "decision", "open", "Opportunities", "Fornitura gestionale",
     {"sales_stage": "Closed Lost"}),
    ("opportunity-expansion", "loyalty", "post", "Opportunities", "Cross-sell: modulo HR",
     {"sales_stage": "Prospecting"}),
    ("opportunity-early", "evaluation", "pre", "Opportunities", "New CRM rollout",
     {"sales_stage": "Prospecting"}),
    ("opportunity-early", "evaluation", "open", "Opportunities", "Nuovo progetto CRM",
     {"sales_stage": "Value Proposition"}),
    ("opportunity-late", "decision", "open", "Opportunities", "New CRM rollout",
     {"sales_stage": "Id. Decision Makers"}),
    ("opportunity-late", "decision", "open", "Opportunities", "Nuovo progetto CRM",
     {"sales_stage": "Negotiation/Review"}),
    ("opportunity-other", "evaluation", "pre", "Opportunities", "Pilot",
     {"sales_stage": "Technical Validation"}),
    ("quote-accepted", "purchase", "open", "AOS_Quotes", "Q-1042 Acme",
     {"stage": "Closed Accepted"}),
    ("quote-accepted", "purchase", "open", "AOS_Quotes", "Preventivo 2025/17",
     {"stage": "Confirmed"}),
    ("quote-draft", "evaluation", "open", "AOS_Quotes", "Q-1043 draft", {"stage": "Draft"}),
    ("quote-after-purchase", "loyalty", "post", "AOS_Quotes", "Offerta ampliamento",
     {"stage": "Delivered"}),
    ("quote-lost", "decision", "open", "AOS_Quotes", "Q-1044", {"stage": "Closed Dead"}),
    ("quote-sent", "decision", "open", "AOS_Quotes", "Q-1045", {"stage": "Negotiation"}),
    ("quote-sent", "decision", "pre", "AOS_Quotes", "Offerta n. 88", {"stage": "Delivered"}),
    ("invoice-cancelled", "evaluation", "pre", "AOS_Invoices", "INV-0007",
     {"status": "Cancelled"}),
    ("invoice-with-purchase", "purchase", "window", "AOS_Invoices", "Fattura n. 1/2025",
     {"status": "Unpaid"}),
    ("invoice-with-purchase", "purchase", "window", "AOS_Invoices", "Invoice INV-0001",
     {"status": "Paid"}),
    ("invoice-after-purchase", "loyalty", "post", "AOS_Invoices", "Fattura marzo",
     {"status": "Paid"}),
    ("invoice-after-purchase", "loyalty", "post", "AOS_Invoices", "March invoice",
     {"status": "Unpaid"}),
    ("invoice-first", "purchase", "open", "AOS_Invoices", "INV-0001", {"status": "Unpaid"}),
    ("contract-signed", "purchase", "open", "AOS_Contracts", "Contratto di servizio",
     {"status": "Signed"}),
    ("contract-with-purchase", "purchase", "window", "AOS_Contracts", "Contratto di fornitura",
     {"status": "Signed"}),
    ("contract-after-purchase", "loyalty", "post", "AOS_Contracts", "Support agreement 2026",
     {"status": "Signed"}),
    ("contract-after-purchase", "loyalty", "window", "AOS_Contracts", "Addendum in bozza",
     {"status": "In Progress"}),
    ("contract-drafting", "decision", "open", "AOS_Contracts", "Master agreement",
     {"status": "In Progress"}),
    ("case-after-purchase", "loyalty", "post", "Cases", "Cannot log in",
     {"type": "User", "state": "Open", "status": "Open_New", "priority": "P2"}),
    ("case-after-purchase", "loyalty", "post", "Cases", "Reclamo: fattura errata",
     {"type": "Administration", "state": "Open", "status": "Open_Assigned", "priority": "P1"}),
    ("case-before-purchase", "evaluation", "open", "Cases", "Trial: import fails",
     {"type": "Product", "state": "Closed", "status": "Closed_Closed", "priority": "P3"}),
    ("call-not-held", "evaluation", "open", "Calls", "Demo del prodotto",
     {"status": "Not Held", "direction": "Outbound"}),
    ("call-not-held", "loyalty", "post", "Calls", "Renewal: final terms",
     {"status": "Not Held", "direction": "Outbound"}),
    ("call-planned-past", "evaluation", "open", "Calls", "Pricing review",
     {"status": "Planned", "direction": "Outbound"}),
    ("call-planned-past", "evaluation", "pre", "Calls", "Lasciato un messaggio",
     {"status": "Planned", "direction": "Inbound"}),
    ("call-after-purchase", "loyalty", "post", "Calls", "Onboarding check-in",
     {"status": "Held", "direction": "Outbound"}),
    ("call-decision", "decision", "open", "Calls", "Pricing review",
     {"status": "Held", "direction": "Outbound"}),
    ("call-decision", "decision", "open", "Calls", "Trattativa sul contratto",
     {"status": "Held", "direction": "Inbound"}),
    ("call-decision", "decision", "pre", "Calls", "Il vostro PREVENTIVO",
     {"status": "Held", "direction": "Inbound"}),
    ("call-demo", "evaluation", "pre", "Calls", "Discovery call",
     {"status": "Held", "direction": "Outbound"}),
    ("call-demo", "evaluation", "open", "Calls", "Chiamata conoscitiva",
     {"status": "Held", "direction": "Outbound"}),
    # A specific activity outranks a generic keyword (order, quote, contract).
    ("call-demo", "evaluation", "open", "Calls", "Demo: the order tracking module",
     {"status": "Held", "direction": "Outbound"}),
    ("call-demo", "evaluation", "deciding", "Calls", "Webinar sul nuovo listino",
     {"status": "Held", "direction": "Inbound"}),
    ("call-after-purchase", "loyalty", "post", "Calls", "Demo del modulo HR",
     {"status": "Held", "direction": "Outbound"}),
    ("call-partner-referral", "awareness", "pre", "Calls", "Referral from partner",
     {"status": "Held", "direction": "Inbound"}),
    ("call-with-opportunity", "evaluation", "open", "Calls", "Follow-up",
     {"status": "Held", "direction": "Outbound"}),
    ("call-prospecting", "awareness", "pre", "Calls", "Left a message",
     {"status": "Held", "direction": "Outbound"}),
    ("call-prospecting", "awareness", "pre", "Calls", "Lasciato un messaggio",
     {"status": "Held", "direction": "Inbound"}),
    ("meeting-not-held", "evaluation", "open", "Meetings", "Kick-off meeting",
     {"status": "Not Held"}),
    ("meeting-planned-past", "decision", "deciding", "Meetings", "Firma del contratto",
     {"status": "Planned"}),
    ("meeting-demo", "evaluation", "open", "Meetings", "Product demo: order tracking",
     {"status": "Held"}),
    ("meeting-demo", "evaluation", "open", "Meetings", "Demo: tracciamento ordini",
     {"status": "Held"}),
    ("meeting-demo", "evaluation", "pre", "Meetings", "Requirements workshop",
     {"status": "Held"}),
    ("meeting-after-purchase", "loyalty", "post", "Meetings", "Revisione trimestrale",
     {"status": "Held"}),
    ("meeting-decision", "decision", "open", "Meetings", "Final terms discussion",
     {"status": "Held"}),
    ("meeting-decision", "decision", "open", "Meetings", "Firma del contratto",
     {"status": "Held"}),
    ("meeting-event", "awareness", "pre", "Meetings", "Incontrato alla fiera",
     {"status": "Held"}),
    ("meeting-event", "awareness", "pre", "Meetings", "Met at the trade show",
     {"status": "Held"}),
    ("meeting-partner-referral", "awareness", "pre", "Meetings", "Presentazione del partner",
     {"status": "Held"}),
    ("meeting-evaluation", "evaluation", "pre", "Meetings", "Meeting with the buying team",
     {"status": "Held"}),
    ("meeting-evaluation", "evaluation", "open", "Meetings", "Riunione di avvio",
     {"status": "Held"}),
    ("email-not-sent", "evaluation", "open", "Emails", "Your quote",
     {"type": "draft", "status": "draft"}),
    ("email-not-sent", "evaluation", "open", "Emails", "Il vostro preventivo",
     {"type": "out", "status": "send_error"}),
    ("email-campaign-after-purchase", "loyalty", "post", "Emails", "Newsletter di giugno",
     {"type": "campaign", "status": "sent"}),
    ("email-campaign", "awareness", "pre", "Emails", "Invitation to our webinar",
     {"type": "campaign", "status": "sent"}),
    ("email-after-purchase", "loyalty", "post", "Emails", "Re: Next steps",
     {"type": "inbound", "status": "read"}),
    ("email-decision", "decision", "open", "Emails", "Proposal attached",
     {"type": "out", "status": "sent"}),
    ("email-decision", "decision", "open", "Emails", "R: Richiesta di sconto",
     {"type": "inbound", "status": "read"}),
    ("email-decision", "decision", "pre", "Emails", "Conferma d'ordine",
     {"type": "inbound", "status": "read"}),
    ("email-demo", "evaluation", "pre", "Emails", "Prova gratuita attivata",
     {"type": "out", "status": "sent"}),
    ("email-demo", "evaluation", "deciding", "Emails", "Webinar invitation: contract management",
     {"type": "out", "status": "sent"}),
    ("activity-renewal", "loyalty", "post", "Emails", "Rinnovo ordine annuale",
     {"type": "inbound", "status": "read"}),
    ("activity-renewal", "loyalty", "window", "Meetings", "Contract renewal",
     {"status": "Held"}),
    ("activity-renewal-unrecorded", "evaluation", "open", "Calls", "Renewal of our order",
     {"status": "Held", "direction": "Inbound"}),
    ("activity-renewal-unrecorded", "evaluation", "pre", "Emails", "Rinnovo del contratto",
     {"type": "inbound", "status": "read"}),
    ("activity-complaint", "evaluation", "open", "Emails", "Complaint about the quote",
     {"type": "inbound", "status": "read"}),
    ("activity-complaint", "evaluation", "pre", "Calls", "Reclamo sull'ordine",
     {"status": "Held", "direction": "Inbound"}),
    ("meeting-after-purchase", "loyalty", "post", "Meetings", "Escalation meeting",
     {"status": "Held"}),
    ("email-with-opportunity", "evaluation", "open", "Emails", "Next steps",
     {"type": "out", "status": "sent"}),
    ("email-first-contact", "awareness", "pre", "Emails", "Richiesta informazioni",
     {"type": "inbound", "status": "unread"}),
    ("campaign-not-delivered", "evaluation", "pre", "CampaignLog", "Spring newsletter",
     {"activity_type": "send error"}),
    ("campaign-opt-out", "loyalty", "post", "CampaignLog", "Spring newsletter",
     {"activity_type": "removed"}),
    ("campaign-after-purchase", "loyalty", "post", "CampaignLog", "Newsletter clienti",
     {"activity_type": "viewed"}),
    ("campaign-response", "awareness", "pre", "CampaignLog", "Webinar invitation",
     {"activity_type": "link"}),
    ("campaign-response", "awareness", "pre", "CampaignLog", "Invito evento",
     {"activity_type": "lead"}),
    ("campaign-sent", "awareness", "pre", "CampaignLog", "Spring newsletter",
     {"activity_type": "targeted"}),
    ("campaign-record", "awareness", "pre", "Campaigns", "Fiera di Milano 2025",
     {"campaign_type": "Email", "status": "Active"}),
    ("lead-after-purchase", "loyalty", "post", "Leads", "Maria Rossi",
     {"lead_source": "Existing Customer", "status": "New"}),
    ("lead-from-partner", "awareness", "pre", "Leads", "Segnalazione dal partner",
     {"lead_source": "Partner", "status": "Assigned"}),
    ("lead-from-event", "awareness", "pre", "Leads", "Booth visit follow-up",
     {"lead_source": "Trade Show", "status": "New"}),
    ("lead-from-web", "awareness", "pre", "Leads", "Web form: request for information",
     {"lead_source": "Web Site", "status": "New"}),
    ("lead-from-email", "awareness", "pre", "Leads", "Info prodotti",
     {"lead_source": "Email", "status": "In Process"}),
    ("lead-from-campaign", "awareness", "pre", "Leads", "John Smith",
     {"lead_source": "Campaign", "status": "New"}),
    ("lead-from-direct-mail", "awareness", "pre", "Leads", "Luca Bianchi",
     {"lead_source": "Direct Mail", "status": "New"}),
    ("lead-from-cold-call", "awareness", "pre", "Leads", "Sarah Brown",
     {"lead_source": "Cold Call", "status": "Converted"}),
    ("lead-created", "awareness", "pre", "Leads", "Paolo Conti",
     {"lead_source": "Word of mouth", "status": "Dead"}),
    # Creating the records is not contact: kept aside, the stage stays.
    ("contact-record", "evaluation", "pre", "Contacts", "Anna Ricci", {"lead_source": "Other"}),
    ("contact-record", "loyalty", "post", "Contacts", "Chiara Greco",
     {"lead_source": "Web Site"}),
    ("account-record", "evaluation", "pre", "Accounts", "Northwind Trading",
     {"account_type": "Prospect", "industry": "Retail"}),
    ("account-record", "loyalty", "post", "Accounts", "Acme S.r.l.",
     {"account_type": "Customer"}),
    ("document-after-purchase", "loyalty", "post", "Documents", "Manuale utente",
     {"category_id": "Knowledege Base", "status_id": "Active"}),
    ("document-sales", "evaluation", "pre", "Documents", "Datasheet",
     {"category_id": "Sales", "status_id": "Active"}),
    ("document-marketing", "awareness", "pre", "Documents", "Brochure 2025",
     {"category_id": "Marketing", "status_id": "Active"}),
    ("task-internal", "decision", "deciding", "Tasks", "Preparare il preventivo",
     {"status": "Not Started", "priority": "High"}),
    ("note-internal", "loyalty", "post", "Notes", "Call notes", {"parent_type": "Accounts"}),
    ("stay", "evaluation", "pre", "Documents", "Manuale utente",
     {"category_id": "Knowledege Base", "status_id": "Active"}),
]
# fmt: on


def _id(row: Row) -> str:
    return f"{row[0]}:{row[4]}"


@pytest.mark.parametrize("row", ROWS, ids=_id)
def test_the_rule_and_stage_of_a_record(row: Row) -> None:
    rule_id, stage, situation, module, subject, fields = row
    found = classify(
        touchpoint(module, subject, values=fields), CONTEXTS[situation], default_mapping()
    )
    assert (found.rule_id, found.stage) == (rule_id, stage)


@pytest.mark.parametrize(
    ("rule_id", "contact"),
    [
        ("call-not-held", False), ("call-planned-past", False), ("meeting-not-held", False),
        ("meeting-planned-past", False), ("email-not-sent", False),
        ("campaign-not-delivered", False), ("account-record", False),
        ("contact-record", False), ("call-demo", True), ("task-internal", True),
        ("stay", True),
    ],
)  # fmt: skip
def test_what_did_not_reach_the_customer_is_not_contact(rule_id: str, contact: bool) -> None:
    assert (rule_id not in default_mapping().not_contact_rule_ids) is contact


def test_every_default_rule_has_a_row() -> None:
    mapping = default_mapping()
    expected = {rule.id for rule in mapping.rules} | {mapping.default.id}
    assert expected == {row[0] for row in ROWS}


@pytest.mark.parametrize(
    ("module", "subject", "fields", "direction"),
    [
        ("Calls", "Follow-up", {"status": "Held", "direction": "Inbound"}, "inbound"),
        ("Calls", "Follow-up", {"status": "Held", "direction": "Outbound"}, "outbound"),
        ("Emails", "Next steps", {"type": "out", "status": "sent"}, "outbound"),
        ("Emails", "Next steps", {"type": "inbound", "status": "read"}, "inbound"),
        ("Emails", "Next steps", {"type": "archived", "status": "archived"}, "none"),
    ],
)
def test_direction_comes_from_the_record(
    module: str, subject: str, fields: dict[str, str], direction: str
) -> None:
    found = classify(
        touchpoint(module, subject, values=fields), CONTEXTS["open"], default_mapping()
    )
    assert found.direction == direction


def test_attributes_come_from_the_rule_over_the_module_defaults() -> None:
    lead = touchpoint("Leads", "Segnalazione", lead_source="Partner", status="New")
    found = classify(lead, CONTEXTS["pre"], default_mapping())
    assert (found.phase, found.channel, found.mode, found.managed_by, found.direction) == (
        "pre-purchase",
        "other",
        "offline",
        "third_party",
        "inbound",
    )
    web = classify(
        touchpoint("Leads", "x", lead_source="Web Site"), CONTEXTS["pre"], default_mapping()
    )
    assert (web.channel, web.mode, web.managed_by) == ("web", "online", "company")


# fmt: off
SIGNAL_ROWS = [
    ("Cases", "Cannot log in", {"state": "Open", "priority": "P1"}, "post",
     ("case_open", "case_high_priority")),
    ("Cases", "Export fails", {"state": "Open", "priority": "P3", "resolution": "Fixed in 7.1"},
     "post", ("case_open", "case_reopened")),
    ("Cases", "Slow reports", {"state": "Closed", "priority": "P2"}, "post", ("case_closed",)),
    ("Emails", "Disdetta del contratto", {"type": "inbound"}, "post", ("cancellation",)),
    ("Emails", "We want to cancel the contract", {"type": "inbound"}, "post", ("cancellation",)),
    ("Calls", "RECLAMO per disservizio", {"status": "Held"}, "post", ("complaint",)),
    ("Meetings", "Discussione rinnovo", {"status": "Held"}, "post", ("renewal",)),
    ("Meetings", "Renewal discussion", {"status": "Held"}, "post", ("renewal",)),
    ("Emails", "Upsell: licenze aggiuntive", {"type": "out"}, "post", ("expansion",)),
    ("Opportunities", "Nuovo modulo", {"sales_stage": "Qualification"}, "post", ("expansion",)),
    ("Opportunities", "Gara", {"sales_stage": "Closed Lost"}, "open", ("lost",)),
    ("AOS_Quotes", "Q-9", {"stage": "Closed Lost"}, "open", ("lost",)),
    ("Leads", "Mario", {"status": "Dead"}, "pre", ("lost",)),
    ("CampaignLog", "News", {"activity_type": "removed"}, "post", ("at_risk",)),
    ("Emails", "Disdetta del contratto", {"type": "inbound"}, "pre", ()),
    ("Meetings", "Meeting cancelled", {"status": "Held"}, "post", ()),
]
# fmt: on


@pytest.mark.parametrize(("module", "subject", "fields", "situation", "signals"), SIGNAL_ROWS)
def test_signals_of_a_record(
    module: str, subject: str, fields: dict[str, str], situation: str, signals: tuple[str, ...]
) -> None:
    found = classify(
        touchpoint(module, subject, values=fields), CONTEXTS[situation], default_mapping()
    )
    assert found.signals == signals
