"""What SuiteCRM's standard modules hold, so the validator can name a typo.

For every module the connector reads: the fields a rule may test and, for the
dropdown fields, the stock keys of SuiteCRM 7 (``include/language/en_us.lang.php``;
see shared/suitecrm/reference.md section 3.2). Studio custom fields (names ending
in ``_c``) are always allowed, and a value missing from a stock list is only a
warning, because companies edit dropdowns in Studio.

Pure data; no logic beyond two look-ups, no I/O.
"""

from __future__ import annotations

# Fields every bean has, plus the pseudo-fields of the rule language.
COMMON_FIELDS: frozenset[str] = frozenset(
    {
        "id", "name", "description", "date_entered", "date_modified", "created_by",
        "modified_user_id", "assigned_user_id", "assigned_user_name", "deleted",
        "subject", "text",
    }
)  # fmt: skip

PARENT_TYPES = (
    "Accounts", "Contacts", "Tasks", "Opportunities", "Bugs", "Cases", "Leads", "Project",
    "ProjectTask", "Prospects", "AOS_Contracts", "AOS_Invoices", "AOS_Quotes", "AOS_Products",
)  # fmt: skip
LEAD_SOURCES = (
    "", "Cold Call", "Existing Customer", "Self Generated", "Employee", "Partner",
    "Public Relations", "Direct Mail", "Conference", "Trade Show", "Web Site",
    "Word of mouth", "Email", "Campaign", "Other",
)  # fmt: skip
ACCOUNT_TYPES = (
    "", "Analyst", "Competitor", "Customer", "Integrator", "Investor", "Partner", "Press",
    "Prospect", "Reseller", "Other",
)  # fmt: skip
INDUSTRIES = (
    "", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction",
    "Consulting", "Education", "Electronics", "Energy", "Engineering", "Entertainment",
    "Environmental", "Finance", "Government", "Healthcare", "Hospitality", "Insurance",
    "Machinery", "Manufacturing", "Media", "Not For Profit", "Recreation", "Retail",
    "Shipping", "Technology", "Telecommunications", "Transportation", "Utilities", "Other",
)  # fmt: skip
SALES_STAGES = (
    "Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
    "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
    "Negotiation/Review", "Closed Won", "Closed Lost",
)  # fmt: skip
ACTIVITY_STATUSES = ("Planned", "Held", "Not Held")

# module -> field -> stock dropdown keys (None: free text, dates or numbers).
MODULES: dict[str, dict[str, tuple[str, ...] | None]] = {
    "Accounts": {
        "account_type": ACCOUNT_TYPES, "industry": INDUSTRIES, "parent_id": None,
        "campaign_id": None, "annual_revenue": None, "employees": None,
        "billing_address_city": None, "billing_address_country": None,
    },
    "Contacts": {
        "first_name": None, "last_name": None, "title": None, "lead_source": LEAD_SOURCES,
        "campaign_id": None, "account_id": None, "account_name": None, "birthdate": None,
        "account_type": ACCOUNT_TYPES, "industry": INDUSTRIES,
    },
    "Leads": {
        "status": ("", "New", "Assigned", "In Process", "Converted", "Recycled", "Dead"),
        "lead_source": LEAD_SOURCES, "converted": ("0", "1"), "account_id": None,
        "contact_id": None, "opportunity_id": None, "campaign_id": None, "account_name": None,
        "first_name": None, "last_name": None, "title": None, "industry": INDUSTRIES,
    },
    "Opportunities": {
        "sales_stage": SALES_STAGES, "probability": None, "amount": None,
        "amount_usdollar": None, "currency_id": None, "date_closed": None,
        "opportunity_type": ("", "Existing Business", "New Business"),
        "lead_source": LEAD_SOURCES, "campaign_id": None, "next_step": None,
        "account_id": None, "account_name": None,
    },
    "Calls": {
        "direction": ("Inbound", "Outbound"), "status": ACTIVITY_STATUSES, "date_start": None,
        "date_end": None, "duration_hours": None, "duration_minutes": None,
        "parent_type": PARENT_TYPES, "parent_id": None,
    },
    "Meetings": {
        "status": ACTIVITY_STATUSES, "date_start": None, "date_end": None,
        "duration_hours": None, "duration_minutes": None, "location": None, "type": None,
        "parent_type": PARENT_TYPES, "parent_id": None,
    },
    "Tasks": {
        "status": ("Not Started", "In Progress", "Completed", "Pending Input", "Deferred"),
        "priority": ("High", "Medium", "Low"), "date_start": None, "date_due": None,
        "parent_type": PARENT_TYPES, "parent_id": None, "contact_id": None,
    },
    "Notes": {
        "parent_type": (*PARENT_TYPES, "Emails", "Calls", "Meetings", "Campaigns"),
        "parent_id": None, "contact_id": None, "filename": None, "file_mime_type": None,
        "portal_flag": None, "embed_flag": None,
    },
    "Emails": {
        "type": ("out", "archived", "draft", "inbound", "campaign"),
        "status": ("archived", "closed", "draft", "read", "replied", "sent", "send_error",
                   "unread"),
        "date_sent_received": None, "message_id": None, "parent_type": PARENT_TYPES,
        "parent_id": None, "intent": None, "flagged": None, "reply_to_status": None,
        "from_addr_name": None, "to_addrs_names": None,
    },
    "Cases": {
        "case_number": None, "type": ("Administration", "Product", "User"),
        "state": ("Open", "Closed"),
        "status": ("Open_New", "Open_Assigned", "Closed_Closed", "Open_Pending Input",
                   "Closed_Rejected", "Closed_Duplicate"),
        "priority": ("P1", "P2", "P3"), "account_id": None, "resolution": None,
        "update_text": None,
    },
    "Campaigns": {
        "campaign_type": ("", "Telesales", "Mail", "Email", "Print", "Web", "Radio",
                          "Television", "NewsLetter", "Survey"),
        "status": ("", "Planning", "Active", "Inactive", "Complete"), "start_date": None,
        "end_date": None, "budget": None, "expected_revenue": None,
    },
    "CampaignLog": {
        "campaign_id": None, "target_id": None, "target_type": None,
        "activity_type": ("", "targeted", "send error", "invalid email", "link", "viewed",
                          "removed", "lead", "contact", "blocked", "Survey"),
        "activity_date": None, "related_id": None, "related_type": None, "hits": None,
        "more_information": None, "campaign_name": None,
        "campaign_type": ("", "Telesales", "Mail", "Email", "Print", "Web", "Radio",
                          "Television", "NewsLetter", "Survey"),
    },
    "AOS_Quotes": {
        "number": None,
        "stage": ("Draft", "Negotiation", "Delivered", "On Hold", "Confirmed",
                  "Closed Accepted", "Closed Lost", "Closed Dead"),
        "term": None, "approval_status": None, "invoice_status": None, "expiration": None,
        "total_amount": None, "billing_account_id": None, "billing_contact_id": None,
        "opportunity_id": None,
    },
    "AOS_Invoices": {
        "number": None, "status": ("Paid", "Unpaid", "Cancelled", ""), "invoice_date": None,
        "due_date": None, "quote_number": None, "quote_date": None, "total_amount": None,
        "billing_account_id": None, "billing_contact_id": None,
    },
    "AOS_Contracts": {
        "status": ("Not Started", "In Progress", "Signed"), "contract_type": None,
        "start_date": None, "end_date": None, "customer_signed_date": None,
        "company_signed_date": None, "renewal_reminder_date": None,
        "total_contract_value": None, "contract_account_id": None, "contact_id": None,
        "opportunity_id": None,
    },
    "Documents": {
        "document_name": None, "category_id": ("", "Marketing", "Knowledege Base", "Sales"),
        "subcategory_id": None,
        "status_id": ("Active", "Draft", "FAQ", "Expired", "Under Review", "Pending"),
        "active_date": None, "exp_date": None, "doc_type": None,
    },
}  # fmt: skip


def is_known_field(module: str, name: str) -> bool:
    """Whether ``name`` is a field of ``module`` (or common, or a Studio custom field)."""
    return name in COMMON_FIELDS or name.endswith("_c") or name in MODULES.get(module, {})


def stock_values(module: str, name: str) -> tuple[str, ...] | None:
    """The stock dropdown keys of a field, or None when it is not a dropdown."""
    return MODULES.get(module, {}).get(name)
