"""The cost to serve a customer, and the revenue its won opportunities bring.

A mapping's ``costs:`` block prices one touchpoint by its kind (the SuiteCRM
module it came from) and its channel; ``cost_to_serve`` adds the prices up over
one journey's classified touchpoints:

- per touchpoint, the first price found of: the kind's price for that channel,
  the kind's ``default``, the channel's price (for any kind), the table's
  ``default`` (0 unless set);
- **acquisition** = the touchpoints up to and including the one that moved the
  customer into purchase for the first time (all of them when it never bought);
  **service** = every touchpoint after it;
- **per stage** = by the stage the customer was in right after the touchpoint
  (``journey_stage``): a support case in loyalty costs loyalty.

``won_revenue`` sums the amounts of the customer's opportunities that the
mapping put in the purchase stage (Closed Won in the default mapping), in
SuiteCRM's base currency (``amount_usdollar``, else ``amount``); None when no
such opportunity carries an amount.

``parse_costs`` reads the ``costs:`` block of one mapping file. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from connector.journey import standard_fields
from connector.journey.model import (
    CHANNELS,
    STAGE_RANK,
    STAGES,
    ClassifiedTouchpoint,
    CostToServe,
)
from connector.journey.source import Walker

ANY = "default"  # in a kind's table: the price on a channel not listed
COST_KEYS = ("currency", "default", "touchpoints", "channels")
CURRENCY_LIMIT = 10
PURCHASE = "purchase"


@dataclass(frozen=True, slots=True)
class CostTable:
    """The prices of a mapping's ``costs:`` block."""

    currency: str = "EUR"
    default: float = 0.0
    kinds: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # module -> channel
    channels: Mapping[str, float] = field(default_factory=dict)

    def price(self, module: str, channel: str) -> float:
        """The price of one touchpoint of ``module`` on ``channel`` (see the module docstring)."""
        by_kind = self.kinds.get(module)
        if by_kind is not None:
            found = by_kind.get(channel)
            if found is None:
                found = by_kind.get(ANY)
            if found is not None:
                return found
        found = self.channels.get(channel)
        return self.default if found is None else found


def cost_to_serve(
    items: Sequence[ClassifiedTouchpoint], table: CostTable, first_purchase_key: str | None
) -> CostToServe:
    """The cost of ``items`` (in journey order); ``first_purchase_key`` is the key of the
    touchpoint that moved the customer into purchase first (None: it never bought)."""
    prices: dict[tuple[str, str], float] = {}
    by_stage = [0.0] * len(STAGES)
    acquisition = 0.0
    service = 0.0
    priced = 0
    bought = False  # flips after the touchpoint that moved the customer into purchase
    for item in items:
        touchpoint = item.touchpoint
        where = (touchpoint.module, item.classification.channel)
        price = prices.get(where)
        if price is None:
            price = prices[where] = table.price(*where)
        if price:
            priced += 1
            by_stage[STAGE_RANK[item.journey_stage]] += price
            if bought:
                service += price
            else:
                acquisition += price
        if touchpoint.key == first_purchase_key:
            bought = True
    return CostToServe(
        currency=table.currency,
        total=round(acquisition + service, 2),
        acquisition=round(acquisition, 2),
        service=round(service, 2),
        by_stage=tuple(round(v, 2) for v in by_stage),
        priced=priced,
    )


def amount(fields: Mapping[str, str]) -> float | None:
    """An opportunity's amount in the base currency, or None when it has none."""
    for name in ("amount_usdollar", "amount"):
        text = (fields.get(name) or "").replace(",", "").strip()
        if text:
            try:
                return float(text)
            except ValueError:
                continue
    return None


def won_revenue(items: Sequence[ClassifiedTouchpoint]) -> float | None:
    """The summed amounts of the opportunities classified as purchase; None without one."""
    total: float | None = None
    for item in items:
        if item.touchpoint.module != "Opportunities" or item.classification.stage != PURCHASE:
            continue
        value = amount(item.touchpoint.fields)
        if value is not None:
            total = (total or 0.0) + value
    return None if total is None else round(total, 2)


def parse_costs(w: Walker, node: yaml.Node, draft: dict[str, Any]) -> None:
    """Read one file's ``costs:`` block into ``draft`` (a later file wins per name)."""
    for key, key_node, value_node in w.entries(node, "costs"):
        if key not in COST_KEYS:
            w.error(
                key_node, f"unknown key '{key}' in costs; expected one of {', '.join(COST_KEYS)}"
            )
        elif key == "currency":
            currency = w.text(value_node, "currency")
            if currency is not None and not 0 < len(currency.strip()) <= CURRENCY_LIMIT:
                w.error(value_node, "costs.currency should be a currency code such as EUR or USD")
            elif currency is not None:
                draft["currency"] = currency.strip()
        elif key == "default":
            price = _price(w, value_node, "costs.default")
            if price is not None:
                draft["default"] = price
        elif key == "touchpoints":
            kinds = draft.setdefault("kinds", {})
            for module, module_node, prices in w.entries(value_node, "costs.touchpoints"):
                if module not in standard_fields.MODULES:
                    w.error(
                        module_node,
                        f"unknown touchpoint kind '{module}' in costs; expected a module such "
                        f"as {', '.join(standard_fields.MODULES)}",
                    )
                    continue
                table = _kind_prices(w, prices, module)
                if table is not None:
                    kinds[module] = table
        else:
            channels = draft.setdefault("channels", {})
            for channel, channel_node, price_node in w.entries(value_node, "costs.channels"):
                if _channel_known(w, channel, channel_node):
                    price = _price(w, price_node, f"costs.channels.{channel}")
                    if price is not None:
                        channels[channel] = price


def _kind_prices(w: Walker, node: yaml.Node, module: str) -> dict[str, float] | None:
    """``Meetings: 120`` or ``Meetings: {default: 120, web: 40}``."""
    if isinstance(node, yaml.ScalarNode):
        price = _price(w, node, f"costs.touchpoints.{module}")
        return None if price is None else {ANY: price}
    table: dict[str, float] = {}
    for channel, channel_node, price_node in w.entries(node, f"costs.touchpoints.{module}"):
        if channel != ANY and not _channel_known(w, channel, channel_node):
            continue
        price = _price(w, price_node, f"costs.touchpoints.{module}.{channel}")
        if price is not None:
            table[channel] = price
    return table


def _channel_known(w: Walker, channel: str, node: yaml.Node) -> bool:
    if channel in CHANNELS:
        return True
    w.error(node, f"unknown channel '{channel}' in costs; expected one of {', '.join(CHANNELS)}")
    return False


def _price(w: Walker, node: yaml.Node, what: str) -> float | None:
    value = w.number(node, what)
    if value is not None and value < 0:
        w.error(node, f"{what} should be a cost of zero or more, not {value:g}")
        return None
    return value


def cost_table(draft: Mapping[str, Any]) -> CostTable:
    """The table a merged ``draft`` describes (defaults for what no file set)."""
    return CostTable(
        currency=str(draft.get("currency", "EUR")),
        default=float(draft.get("default", 0.0)),
        kinds={k: dict(v) for k, v in draft.get("kinds", {}).items()},
        channels=dict(draft.get("channels", {})),
    )
