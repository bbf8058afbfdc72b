"""The modules the sandbox serves, with SuiteCRM 7.14's field names and links.

Field lists follow the order and the non-db fields of real 7.14.6 answers (the
recorded responses in tests/fixtures/recorded) and the column lists of
shared/suitecrm/schema-7.14.sql; the CJ modules follow DESIGN.md. A few values
SuiteCRM keeps in side tables (email addresses, email bodies) are stored as
columns of the module's own table here: the APIs show them the same way.
This module only declares data; ``schema`` gives it types, ``build_catalog``
assembles it. No I/O.
"""

from __future__ import annotations

from connector.sandbox.schema import LinkSpec, ModuleSpec, parse_fields

BASE = (
    "name:name date_entered:dt date_modified:dt modified_user_id:id ~modified_by_name "
    "created_by:id ~created_by_name description:t deleted:b @created_by_link "
    "@modified_user_link assigned_user_id:id ~assigned_user_name @assigned_user_link "
    "@SecurityGroups"
)
MAPS = "~jjwg_maps_address_c ~jjwg_maps_geocode_status_c ~jjwg_maps_lat_c ~jjwg_maps_lng_c"
PERSON_NAME = "TRIM(COALESCE(first_name, '') || ' ' || COALESCE(last_name, ''))"

FIELDS: dict[str, str] = {
    "Accounts": "{BASE} account_type:e industry:e annual_revenue phone_fax:ph "
    "billing_address_street ~billing_address_street_2 ~billing_address_street_3 "
    "~billing_address_street_4 billing_address_city billing_address_state "
    "billing_address_postalcode billing_address_country rating phone_office:ph "
    "phone_alternate:ph website ownership employees ticker_symbol shipping_address_street "
    "~shipping_address_street_2 ~shipping_address_street_3 ~shipping_address_street_4 "
    "shipping_address_city shipping_address_state shipping_address_postalcode "
    "shipping_address_country email1 @email_addresses_primary @email_addresses "
    "~email_addresses_non_primary parent_id:id sic_code ~parent_name @members @member_of{} "
    "~email_opt_out ~invalid_email @cases ~email @tasks @notes @meetings @calls @emails "
    "@documents @bugs @contacts @opportunities @project @leads @campaigns @campaign_accounts{} "
    "campaign_id:id ~campaign_name @prospect_lists @aos_quotes @aos_invoices @aos_contracts "
    "@cj_journeys " + MAPS,
    "Contacts": "~name date_entered:dt date_modified:dt modified_user_id:id ~modified_by_name "
    "created_by:id ~created_by_name description:t deleted:b @created_by_link "
    "@modified_user_link assigned_user_id:id ~assigned_user_name @assigned_user_link "
    "@SecurityGroups salutation:e first_name last_name ~full_name title photo department "
    "do_not_call:b phone_home:ph ~email phone_mobile:ph phone_work:ph phone_other:ph "
    "phone_fax:ph email1 email2 ~invalid_email ~email_opt_out lawful_basis:t date_reviewed:d "
    "lawful_basis_source:e primary_address_street ~primary_address_street_2 "
    "~primary_address_street_3 primary_address_city primary_address_state "
    "primary_address_postalcode primary_address_country alt_address_street "
    "~alt_address_street_2 ~alt_address_street_3 alt_address_city alt_address_state "
    "alt_address_postalcode alt_address_country assistant assistant_phone "
    "@email_addresses_primary @email_addresses ~email_addresses_non_primary ~email_and_name1 "
    "lead_source:e ~account_name ~account_id:id @opportunity_role_fields ~opportunity_role_id "
    "~opportunity_role reports_to_id:id ~report_to_name birthdate:d @accounts "
    "~reports_to_link{} @opportunities @bugs @calls @cases @direct_reports @emails @documents "
    "@leads @meetings @notes @project ~project_resource @am_projecttemplates_resources "
    "@am_projecttemplates_contacts_1 @tasks ~tasks_parent ~notes_parent ~user_sync{} "
    "campaign_id:id ~campaign_name @campaigns ~campaign_contacts{} @c_accept_status_fields "
    "@m_accept_status_fields ~accept_status_id ~accept_status_name @prospect_lists "
    "~sync_contact @fp_events_contacts @aos_quotes @aos_invoices @aos_contracts "
    "@e_invite_status_fields ~event_status_name ~event_invite_id @e_accept_status_fields "
    "@event_accept_status ~event_status_id @project_contacts_1 @aop_case_updates "
    "joomla_account_id portal_account_disabled:B @joomla_account_access portal_user_type:e "
    "@cj_journeys " + MAPS,
    "Leads": "~name date_entered:dt date_modified:dt modified_user_id:id ~modified_by_name "
    "created_by:id ~created_by_name description:t deleted:b @created_by_link "
    "@modified_user_link assigned_user_id:id ~assigned_user_name @assigned_user_link "
    "@SecurityGroups salutation:e first_name last_name ~full_name title photo department "
    "do_not_call:b phone_home:ph ~email phone_mobile:ph phone_work:ph phone_other:ph "
    "phone_fax:ph email1 email2 ~invalid_email ~email_opt_out lawful_basis:t date_reviewed:d "
    "lawful_basis_source:e primary_address_street primary_address_city primary_address_state "
    "primary_address_postalcode primary_address_country alt_address_street alt_address_city "
    "alt_address_state alt_address_postalcode alt_address_country assistant assistant_phone "
    "converted:b refered_by lead_source:e lead_source_description:t status:e "
    "status_description:t reports_to_id:id ~report_to_name account_name "
    "account_description:t contact_id:id ~contact_name account_id:id opportunity_id:id "
    "opportunity_name opportunity_amount campaign_id:id ~campaign_name birthdate:d "
    "portal_name portal_app website @accounts @contact @opportunity @calls @meetings @tasks "
    "@notes @emails @campaigns @campaign_leads " + MAPS,
    "Calls": "{BASE} duration_hours:i duration_minutes:i date_start:dt date_end:dt parent_type:pt "
    "~parent_name status:e direction:e parent_id:id ~reminder_checked! reminder_time:i "
    "~email_reminder_checked! email_reminder_time:i email_reminder_sent:b ~reminders "
    "outlook_id ~accept_status ~set_accept_links ~contact_name @opportunities @leads @project "
    "@case @accounts @contacts{} @aos_contracts @users @notes ~contact_id:id repeat_type:e "
    "repeat_interval:i repeat_dow repeat_until:d repeat_count:i repeat_parent_id:id "
    "recurring_source ~reschedule_history ~reschedule_count @calls_reschedule",
    "Meetings": "{BASE} ~accept_status ~set_accept_links location password join_url host_url "
    "displayed_url "
    "creator external_id duration_hours:i duration_minutes:i date_start:dt date_end:dt "
    "parent_type:pt status:e type:e ~direction parent_id:id ~reminder_checked! "
    "reminder_time:i ~email_reminder_checked! email_reminder_time:i email_reminder_sent:b "
    "~reminders outlook_id sequence:i ~contact_name @contacts{} ~parent_name @users "
    "@accounts @leads @opportunity @case @aos_contracts @notes ~contact_id:id repeat_type:e "
    "repeat_interval:i repeat_dow repeat_until:d repeat_count:i repeat_parent_id:id "
    "recurring_source ~duration gsync_id gsync_lastsync:i " + MAPS,
    "Tasks": "{BASE} status:e date_due_flag:b date_due:dt ~time_due date_start_flag:b "
    "date_start:dt parent_type:pt ~parent_name parent_id:id contact_id:id ~contact_name "
    "~contact_phone ~contact_email priority:e @contacts @accounts @opportunities @cases @bugs "
    "@leads @projects @project_tasks @aos_contracts @notes ~contact_parent",
    "Notes": "assigned_user_id:id ~assigned_user_name @assigned_user_link @SecurityGroups "
    "date_entered:dt date_modified:dt modified_user_id:id ~modified_by_name created_by:id "
    "~created_by_name name:name file_mime_type ~file_url filename parent_type:pt "
    "parent_id:id contact_id:id portal_flag:b embed_flag:b description:t deleted:b "
    "@filecontents ~parent_name ~show_preview! ~contact_name ~contact_phone ~contact_email "
    "~account_id:id ~opportunity_id:id ~campaign_id:id ~acase_id:id ~lead_id:id "
    "@created_by_link @modified_user_link ~contact{} @cases @accounts @opportunities @leads "
    "@bugs @campaigns @aos_contracts @emails @projects @project_tasks @meetings @calls @tasks",
    "Emails": "name:name date_entered:dt date_modified:dt modified_user_id:id ~modified_by_name "
    "created_by:id ~created_by_name description:t deleted:b @created_by_link "
    "@modified_user_link assigned_user_id:id ~assigned_user_name @assigned_user_link "
    "@SecurityGroups orphaned:B last_synced:dt from_addr_name reply_to_addr to_addrs_names "
    "cc_addrs_names bcc_addrs_names ~imap_keywords ~raw_source description_html:t "
    "date_sent_received:dt message_id type:e status:e flagged:B reply_to_status:B intent:e "
    "mailbox_id:id ~parent_name parent_type:pt parent_id:id ~indicator ~subject ~attachment "
    "uid ~msgno ~folder ~folder_type ~inbound_email_record ~is_imported ~has_attachment "
    "~is_only_plain_text @accounts @bugs @cases @contacts @leads @opportunities @project "
    "~projecttask @prospects @aos_contracts @tasks @users @notes @meetings category_id:e "
    "@emails_email_templates ~emails_email_templates_name ~emails_email_templates_idb ~opt_in",
    "Cases": "{BASE} case_number:i type:e status:e priority:e resolution:t work_log:t "
    "~suggestion_box ~account_name ~account_name1 account_id:id state:e "
    "~case_attachments_display ~case_update_form ~contact_created_by "
    "~contact_created_by_name contact_created_by_id:id @tasks @notes @meetings @emails "
    "@documents @calls @bugs @contacts @accounts @project ~update_text ~internal "
    "@aop_case_updates_threaded @aop_case_updates @aop_case_events " + MAPS,
    "Opportunities": "{BASE} opportunity_type:e ~account_name ~account_id:id campaign_id:id "
    "~campaign_name ~campaign_opportunities{} lead_source:e amount:n amount_usdollar:n "
    "currency_id:id ~currency_name ~currency_symbol date_closed:d next_step sales_stage:e "
    "probability:n @accounts @contacts @tasks @notes @meetings @calls @emails @documents "
    "@project @leads @campaigns @campaign_link @currencies @aos_quotes @aos_contracts " + MAPS,
    "Campaigns": "name:name date_entered:dt date_modified:dt modified_user_id:id "
    "~modified_by_name created_by:id ~created_by_name deleted:b @created_by_link "
    "@modified_user_link assigned_user_id:id ~assigned_user_name @assigned_user_link "
    "@SecurityGroups tracker_key:i tracker_count:i refer_url tracker_text start_date:d "
    "end_date:d status:e impressions:i currency_id:id budget:n expected_cost:n actual_cost:n "
    "expected_revenue:n campaign_type:e objective:t content:t frequency:e survey_id:id "
    "@log_entries @accounts @leads @opportunities @contacts",
    "CampaignLog": "campaign_id:id ~campaign_name target_tracker_key target_id target_type "
    "activity_type:e activity_date:dt related_id related_type archived:b hits:i list_id:id "
    "deleted:b date_modified:dt more_information marketing_id:id @campaign",
    "AOS_Quotes": "{BASE} approval_issue:t billing_account_id:id ~billing_account "
    "billing_contact_id:id ~billing_contact billing_address_street billing_address_city "
    "billing_address_state billing_address_postalcode billing_address_country "
    "shipping_address_street shipping_address_city shipping_address_state "
    "shipping_address_postalcode shipping_address_country expiration:d number:i "
    "opportunity_id:id ~opportunity template_ddown_c:t total_amt:n total_amt_usdollar:n "
    "subtotal_amount:n subtotal_amount_usdollar:n discount_amount:n "
    "discount_amount_usdollar:n tax_amount:n tax_amount_usdollar:n shipping_amount:n "
    "shipping_amount_usdollar:n shipping_tax:e shipping_tax_amt:n "
    "shipping_tax_amt_usdollar:n total_amount:n total_amount_usdollar:n currency_id:id "
    "stage:e term:e terms_c:t approval_status:e invoice_status:e subtotal_tax_amount:n "
    "subtotal_tax_amount_usdollar:n @accounts @contacts @opportunities @aos_invoices",
    "AOS_Invoices": "{BASE} billing_account_id:id ~billing_account billing_contact_id:id "
    "~billing_contact billing_address_street billing_address_city billing_address_state "
    "billing_address_postalcode billing_address_country shipping_address_street "
    "shipping_address_city shipping_address_state shipping_address_postalcode "
    "shipping_address_country number:i total_amt:n total_amt_usdollar:n subtotal_amount:n "
    "subtotal_amount_usdollar:n discount_amount:n discount_amount_usdollar:n tax_amount:n "
    "tax_amount_usdollar:n shipping_amount:n shipping_amount_usdollar:n shipping_tax:e "
    "shipping_tax_amt:n shipping_tax_amt_usdollar:n total_amount:n total_amount_usdollar:n "
    "currency_id:id quote_number:i quote_date:d invoice_date:d due_date:d status:e "
    "template_ddown_c:t subtotal_tax_amount:n subtotal_tax_amount_usdollar:n @accounts "
    "@contacts @aos_quotes",
    "AOS_Contracts": "{BASE} reference_code start_date:d end_date:d total_contract_value:n "
    "total_contract_value_usdollar:n currency_id:id status:e customer_signed_date:d "
    "company_signed_date:d renewal_reminder_date:dt contract_type:e contract_account_id:id "
    "~contract_account opportunity_id:id ~opportunity contact_id:id ~contact call_id:id "
    "total_amt:n total_amt_usdollar:n subtotal_amount:n subtotal_amount_usdollar:n "
    "discount_amount:n discount_amount_usdollar:n tax_amount:n tax_amount_usdollar:n "
    "shipping_amount:n shipping_amount_usdollar:n shipping_tax:e shipping_tax_amt:n "
    "shipping_tax_amt_usdollar:n total_amount:n total_amount_usdollar:n @accounts @contacts "
    "@opportunities",
    "Documents": "~name date_entered:dt date_modified:dt modified_user_id:id ~modified_by_name "
    "created_by:id ~created_by_name description:t deleted:b @created_by_link "
    "@modified_user_link assigned_user_id:id ~assigned_user_name @assigned_user_link "
    "@SecurityGroups document_name doc_id doc_type:e doc_url active_date:d exp_date:d "
    "category_id:e subcategory_id:e status_id:e document_revision_id related_doc_id:id "
    "related_doc_rev_id:id is_template:b template_type:e @accounts @contacts",
    "CJ_Journeys": "{BASE} account_id:id ~account_name contact_id:id ~contact_name "
    "current_stage:e awareness_date:dt evaluation_date:dt decision_date:dt purchase_date:dt "
    "loyalty_date:dt status:e health_score:i touchpoint_count:i first_touch_date:dt "
    "last_touch_date:dt last_channel:e days_in_stage:i cost_to_serve:n timeline_json:t sync_hash "
    "date_synced:dt @accounts @contacts @cj_touchpoints",
    "CJ_Touchpoints": "{BASE} journey_id:id ~journey_name account_id:id ~account_name "
    "stage:e phase:e channel:e mode:e managed_by:e direction:e occurred_at:dt source_module "
    "source_id:id rule_id external_key sync_hash rule_stage:e corrected_stage:e review:e "
    "@cj_journeys @accounts",
    # A stage a person corrected (in the panel, on a CJ_Touchpoints record, or by hand).
    "CJ_Corrections": "{BASE} touchpoint_key source_module source_id:id account_id:id "
    "~account_name contact_id:id ~contact_name stage:e previous_stage:e rule_id "
    "corrected_by:id ~corrected_by_name corrected_at:dt @accounts @contacts",
}

# module → (object name, table, label)
IDENTITY: dict[str, tuple[str, str, str]] = {
    "Accounts": ("Account", "accounts", "Accounts"),
    "Contacts": ("Contact", "contacts", "Contacts"),
    "Leads": ("Lead", "leads", "Leads"),
    "Calls": ("Call", "calls", "Calls"),
    "Meetings": ("Meeting", "meetings", "Meetings"),
    "Tasks": ("Task", "tasks", "Tasks"),
    "Notes": ("Note", "notes", "Notes"),
    "Emails": ("Email", "emails", "Emails"),
    "Cases": ("Case", "cases", "Cases"),
    "Opportunities": ("Opportunity", "opportunities", "Opportunities"),
    "Campaigns": ("Campaign", "campaigns", "Campaigns"),
    "CampaignLog": ("CampaignLog", "campaign_log", "Campaign Log"),
    "AOS_Quotes": ("AOS_Quotes", "aos_quotes", "Quotes"),
    "AOS_Invoices": ("AOS_Invoices", "aos_invoices", "Invoices"),
    "AOS_Contracts": ("AOS_Contracts", "aos_contracts", "Contracts"),
    "Documents": ("Document", "documents", "Documents"),
    "CJ_Journeys": ("CJ_Journeys", "cj_journeys", "Customer Journeys"),
    "CJ_Touchpoints": ("CJ_Touchpoints", "cj_touchpoints", "Journey Touchpoints"),
    "CJ_Corrections": ("CJ_Corrections", "cj_corrections", "Journey Corrections"),
}

# V8's "relationships" member: related module → link (one per module, as SuiteCRM
# keeps only one). Recorded for the modules a 7.14.6 answer showed.
RELATIONSHIP_KEYS: dict[str, str] = {
    "Accounts": "AOS_Contracts:aos_contracts AOS_Invoices:aos_invoices AOS_Quotes:aos_quotes "
    "Accounts:members Bugs:bugs CJ_Journeys:cj_journeys Calls:calls CampaignLog:campaigns "
    "Cases:cases Contacts:contacts EmailAddress:email_addresses Emails:emails Leads:leads "
    "Meetings:meetings Notes:notes Opportunities:opportunities Project:project "
    "ProspectLists:prospect_lists SecurityGroups:SecurityGroups Tasks:tasks "
    "Users:created_by_link",
    "Calls": "Accounts:accounts Calls_Reschedule:calls_reschedule Notes:notes "
    "SecurityGroups:SecurityGroups Users:created_by_link",
    "Cases": "Contacts:contact_created_by SecurityGroups:SecurityGroups Users:created_by_link",
    "Contacts": "AM_ProjectTemplates:am_projecttemplates_contacts_1 AOS_Contracts:aos_contracts "
    "AOS_Invoices:aos_invoices AOS_Quotes:aos_quotes CJ_Journeys:cj_journeys "
    "CampaignLog:campaigns EmailAddress:email_addresses Opportunities:opportunities "
    "Project:project_contacts_1 ProspectLists:prospect_lists SecurityGroups:SecurityGroups "
    "Users:created_by_link",
    "Emails": "AOS_Contracts:aos_contracts Accounts:accounts Bugs:bugs Cases:cases "
    "Contacts:contacts Leads:leads Meetings:meetings Notes:notes Opportunities:opportunities "
    "Project:project ProjectTask:projecttask Prospects:prospects SecurityGroups:SecurityGroups "
    "Tasks:tasks Users:created_by_link",
    "Meetings": "Notes:notes SecurityGroups:SecurityGroups Users:created_by_link",
    "Notes": "SecurityGroups:SecurityGroups Users:assigned_user_link",
    "Opportunities": "AOS_Contracts:aos_contracts AOS_Quotes:aos_quotes Accounts:accounts "
    "CampaignLog:campaigns Campaigns:campaign_link Contacts:contacts "
    "SecurityGroups:SecurityGroups Users:created_by_link",
    "Tasks": "Notes:notes SecurityGroups:SecurityGroups Users:created_by_link",
    "Leads": "Accounts:accounts CampaignLog:campaigns Calls:calls Contacts:contact "
    "Emails:emails Meetings:meetings Notes:notes Opportunities:opportunity "
    "SecurityGroups:SecurityGroups Tasks:tasks Users:created_by_link",
    "Campaigns": "Accounts:accounts CampaignLog:log_entries Contacts:contacts Leads:leads "
    "Opportunities:opportunities SecurityGroups:SecurityGroups Users:created_by_link",
    "CampaignLog": "Campaigns:campaign",
    "AOS_Quotes": "AOS_Invoices:aos_invoices Accounts:accounts Contacts:contacts "
    "Opportunities:opportunities SecurityGroups:SecurityGroups Users:created_by_link",
    "AOS_Invoices": "AOS_Quotes:aos_quotes Accounts:accounts Contacts:contacts "
    "SecurityGroups:SecurityGroups Users:created_by_link",
    "AOS_Contracts": "Accounts:accounts Contacts:contacts Opportunities:opportunities "
    "SecurityGroups:SecurityGroups Users:created_by_link",
    "Documents": "Accounts:accounts Contacts:contacts SecurityGroups:SecurityGroups "
    "Users:created_by_link",
    "CJ_Journeys": "Accounts:accounts CJ_Touchpoints:cj_touchpoints Contacts:contacts "
    "SecurityGroups:SecurityGroups Users:created_by_link",
    "CJ_Touchpoints": "Accounts:accounts CJ_Journeys:cj_journeys SecurityGroups:SecurityGroups "
    "Users:created_by_link",
    "CJ_Corrections": "Accounts:accounts Contacts:contacts SecurityGroups:SecurityGroups "
    "Users:created_by_link",
}

ACTIVITY_PARENTS = ("Accounts", "Contacts", "Leads", "Opportunities", "Cases")
EMAIL_BEANS = ("Accounts", "Contacts", "Leads", "Opportunities", "Cases")

# Join tables: name → (left column, right column, extra columns).
JOIN_TABLES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "accounts_contacts": ("account_id", "contact_id", ()),
    "accounts_opportunities": ("account_id", "opportunity_id", ()),
    "opportunities_contacts": ("opportunity_id", "contact_id", ("contact_role",)),
    "contacts_cases": ("contact_id", "case_id", ("contact_role",)),
    "calls_contacts": ("call_id", "contact_id", ("required", "accept_status")),
    "meetings_contacts": ("meeting_id", "contact_id", ("required", "accept_status")),
    "emails_beans": ("email_id", "bean_id", ("bean_module",)),
    "documents_accounts": ("document_id", "account_id", ()),
    "documents_contacts": ("document_id", "contact_id", ()),
}


def _links() -> list[LinkSpec]:
    links: list[LinkSpec] = []

    def m2m(
        module: str,
        name: str,
        target: str,
        table: str,
        self_col: str,
        other_col: str,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> None:
        links.append(
            LinkSpec(
                module,
                name,
                target,
                "m2m",
                table,
                table=table,
                self_col=self_col,
                other_col=other_col,
                extra=extra,
            )
        )

    def children(
        module: str,
        name: str,
        target: str,
        column: str,
        rel: str,
        extra: tuple[tuple[str, str], ...] = (),
    ) -> None:
        links.append(LinkSpec(module, name, target, "children", rel, column=column, extra=extra))

    def owner(module: str, name: str, target: str, column: str, rel: str) -> None:
        links.append(LinkSpec(module, name, target, "owner", rel, column=column))

    m2m("Accounts", "contacts", "Contacts", "accounts_contacts", "account_id", "contact_id")
    m2m("Contacts", "accounts", "Accounts", "accounts_contacts", "contact_id", "account_id")
    m2m(
        "Accounts",
        "opportunities",
        "Opportunities",
        "accounts_opportunities",
        "account_id",
        "opportunity_id",
    )
    m2m(
        "Opportunities",
        "accounts",
        "Accounts",
        "accounts_opportunities",
        "opportunity_id",
        "account_id",
    )
    m2m(
        "Opportunities",
        "contacts",
        "Contacts",
        "opportunities_contacts",
        "opportunity_id",
        "contact_id",
    )
    m2m(
        "Contacts",
        "opportunities",
        "Opportunities",
        "opportunities_contacts",
        "contact_id",
        "opportunity_id",
    )
    m2m("Contacts", "cases", "Cases", "contacts_cases", "contact_id", "case_id")
    m2m("Cases", "contacts", "Contacts", "contacts_cases", "case_id", "contact_id")
    m2m("Contacts", "calls", "Calls", "calls_contacts", "contact_id", "call_id")
    m2m("Calls", "contacts", "Contacts", "calls_contacts", "call_id", "contact_id")
    m2m("Contacts", "meetings", "Meetings", "meetings_contacts", "contact_id", "meeting_id")
    m2m("Meetings", "contacts", "Contacts", "meetings_contacts", "meeting_id", "contact_id")
    m2m("Accounts", "documents", "Documents", "documents_accounts", "account_id", "document_id")
    m2m("Documents", "accounts", "Accounts", "documents_accounts", "document_id", "account_id")
    m2m("Contacts", "documents", "Documents", "documents_contacts", "contact_id", "document_id")
    m2m("Documents", "contacts", "Contacts", "documents_contacts", "document_id", "contact_id")
    for bean in EMAIL_BEANS:
        pin = (("bean_module", bean),)
        m2m(bean, "emails", "Emails", "emails_beans", "bean_id", "email_id", pin)
        m2m("Emails", bean.lower(), bean, "emails_beans", "email_id", "bean_id", pin)
    for parent in ACTIVITY_PARENTS:
        for activity in ("Calls", "Meetings", "Tasks", "Notes"):
            rel = f"{parent.lower()[:-1]}_{activity.lower()}"
            links.append(LinkSpec(parent, activity.lower(), activity, "parented", rel))
    for activity, name in (
        ("Calls", "accounts"),
        ("Meetings", "accounts"),
        ("Tasks", "accounts"),
        ("Notes", "accounts"),
        ("Calls", "case"),
        ("Meetings", "case"),
        ("Tasks", "cases"),
        ("Notes", "cases"),
        ("Calls", "leads"),
        ("Meetings", "leads"),
        ("Tasks", "leads"),
        ("Notes", "leads"),
        ("Calls", "opportunities"),
        ("Meetings", "opportunity"),
        ("Tasks", "opportunities"),
        ("Notes", "opportunities"),
    ):
        target = {
            "case": "Cases",
            "cases": "Cases",
            "leads": "Leads",
            "opportunity": "Opportunities",
        }.get(name, name.capitalize())
        links.append(LinkSpec(activity, name, target, "parent", f"{activity.lower()}_{name}"))
    children("Accounts", "cases", "Cases", "account_id", "account_cases")
    owner("Cases", "accounts", "Accounts", "account_id", "account_cases")
    children("Accounts", "leads", "Leads", "account_id", "account_leads")
    owner("Leads", "accounts", "Accounts", "account_id", "account_leads")
    owner("Leads", "contact", "Contacts", "contact_id", "contact_leads")
    owner("Leads", "opportunity", "Opportunities", "opportunity_id", "opportunity_leads")
    children("Contacts", "leads", "Leads", "contact_id", "contact_leads")
    children("Contacts", "tasks", "Tasks", "contact_id", "contact_tasks")
    owner("Tasks", "contacts", "Contacts", "contact_id", "contact_tasks")
    children("Contacts", "notes", "Notes", "contact_id", "contact_notes")
    children("Accounts", "members", "Accounts", "parent_id", "member_accounts")
    owner("Accounts", "member_of", "Accounts", "parent_id", "member_accounts")
    for who, column in (("Accounts", "billing_account_id"), ("Contacts", "billing_contact_id")):
        for doc in ("AOS_Quotes", "AOS_Invoices"):
            children(who, doc.lower(), doc, column, f"{who.lower()[:-1]}_{doc.lower()}")
            owner(doc, who.lower(), who, column, f"{who.lower()[:-1]}_{doc.lower()}")
    children(
        "Accounts", "aos_contracts", "AOS_Contracts", "contract_account_id", "account_aos_contracts"
    )
    owner("AOS_Contracts", "accounts", "Accounts", "contract_account_id", "account_aos_contracts")
    children("Contacts", "aos_contracts", "AOS_Contracts", "contact_id", "contact_aos_contracts")
    owner("AOS_Contracts", "contacts", "Contacts", "contact_id", "contact_aos_contracts")
    owner(
        "AOS_Contracts",
        "opportunities",
        "Opportunities",
        "opportunity_id",
        "opportunities_aos_contracts",
    )
    children(
        "Opportunities",
        "aos_contracts",
        "AOS_Contracts",
        "opportunity_id",
        "opportunities_aos_contracts",
    )
    children(
        "Opportunities", "aos_quotes", "AOS_Quotes", "opportunity_id", "opportunities_aos_quotes"
    )
    owner(
        "AOS_Quotes", "opportunities", "Opportunities", "opportunity_id", "opportunities_aos_quotes"
    )
    for who, kind in (("Accounts", "Accounts"), ("Contacts", "Contacts"), ("Leads", "Leads")):
        children(
            who,
            "campaigns",
            "CampaignLog",
            "target_id",
            f"{who.lower()[:-1]}_campaign_log",
            (("target_type", kind),),
        )
    children("Campaigns", "log_entries", "CampaignLog", "campaign_id", "campaign_campaignlog")
    owner("CampaignLog", "campaign", "Campaigns", "campaign_id", "campaign_campaignlog")
    for who in ("Accounts", "Leads", "Opportunities", "Contacts"):
        children("Campaigns", who.lower(), who, "campaign_id", f"campaign_{who.lower()}")
    owner("Opportunities", "campaign_link", "Campaigns", "campaign_id", "campaign_opportunities")
    children("Accounts", "cj_journeys", "CJ_Journeys", "account_id", "accounts_cj_journeys")
    owner("CJ_Journeys", "accounts", "Accounts", "account_id", "accounts_cj_journeys")
    children("Contacts", "cj_journeys", "CJ_Journeys", "contact_id", "contacts_cj_journeys")
    owner("CJ_Journeys", "contacts", "Contacts", "contact_id", "contacts_cj_journeys")
    children(
        "CJ_Journeys",
        "cj_touchpoints",
        "CJ_Touchpoints",
        "journey_id",
        "cj_journeys_cj_touchpoints",
    )
    owner(
        "CJ_Touchpoints", "cj_journeys", "CJ_Journeys", "journey_id", "cj_journeys_cj_touchpoints"
    )
    owner("CJ_Touchpoints", "accounts", "Accounts", "account_id", "accounts_cj_touchpoints")
    owner("CJ_Corrections", "accounts", "Accounts", "account_id", "accounts_cj_corrections")
    owner("CJ_Corrections", "contacts", "Contacts", "contact_id", "contacts_cj_corrections")
    return links


def build_catalog() -> dict[str, ModuleSpec]:
    """Every module the sandbox serves, keyed by module name."""
    modules: dict[str, ModuleSpec] = {}
    for name, text in FIELDS.items():
        object_name, table, label = IDENTITY[name]
        keys = tuple(tuple(pair.split(":", 1)) for pair in RELATIONSHIP_KEYS[name].split())
        modules[name] = ModuleSpec(
            name=name,
            object_name=object_name,
            table=table,
            fields=parse_fields(text, BASE),
            relationship_keys=keys,  # type: ignore[arg-type]
            label=label,
            listed=name not in ("CampaignLog", "CJ_Touchpoints"),
        )
    for module in ("Contacts", "Leads"):
        modules[module].name_sql = PERSON_NAME
    modules["Documents"].name_sql = "document_name"
    modules["CampaignLog"].name_sql = "activity_type"
    modules["Cases"].auto_number = "case_number"
    modules["AOS_Quotes"].auto_number = "number"
    modules["AOS_Invoices"].auto_number = "number"
    for link in _links():
        modules[link.module].links[link.name] = link
    return modules
