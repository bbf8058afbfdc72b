"""Small builders of touchpoints, customers and contexts for the journey tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from connector.journey import Customer, JourneyContext, Mapping, Touchpoint, load_mapping

ROOT = Path(__file__).resolve().parents[3]
DEFAULT_MAPPING = ROOT / "mappings" / "default.yaml"
START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
NOW = datetime(2025, 6, 1, tzinfo=UTC)

PRE = JourneyContext(stage="evaluation", customer_kind="account")
OPEN = JourneyContext(stage="evaluation", open_opportunity=True, customer_kind="account")
DECIDING = JourneyContext(stage="decision", open_opportunity=True, customer_kind="account")
POST = JourneyContext(stage="loyalty", purchased=True, customer_kind="account")
WINDOW = JourneyContext(
    stage="purchase", purchased=True, purchase_window=True, customer_kind="account"
)
CONTEXTS = {"pre": PRE, "open": OPEN, "deciding": DECIDING, "post": POST, "window": WINDOW}

_default: list[Mapping] = []


def default_mapping() -> Mapping:
    """mappings/default.yaml, loaded once per test session."""
    if not _default:
        _default.append(load_mapping(DEFAULT_MAPPING))
    return _default[0]


def touchpoint(
    module: str,
    subject: str = "",
    *,
    day: float = 0,
    ident: str = "1",
    customer: str | None = "Accounts:acme",
    values: dict[str, str] | None = None,
    **fields: str,
) -> Touchpoint:
    """A touchpoint ``day`` days after START; ``values`` and ``fields`` are its attributes."""
    return Touchpoint(
        key=f"{module}:{ident}",
        module=module,
        source_id=ident,
        customer_key=customer,
        occurred_at=START + timedelta(days=day),
        subject=subject,
        fields={**(values or {}), **fields},
    )


def account(key: str = "Accounts:acme", **fields: str) -> Customer:
    return Customer(key=key, kind="account", name="Acme S.r.l.", fields=fields)
