"""Fourteen hand-made journeys (one without touchpoints) with personas, costs and revenue.

Shaped by ``fixtures.journey`` (day 0 is 2025-01-01, each touchpoint moves the
customer into its stage), plus the persona, cost and revenue the builder stores.
Paths (stage/channel of the moving touchpoint):

    P1 = awareness/campaign > evaluation/meeting > decision/email > purchase/document
    P2 = P1 > loyalty/support          P3 = P1 without purchase
    P4 = P1 with evaluation/phone      P5 = awareness/web > evaluation/email
    P6 = awareness/web

    key   persona  path status  bought  health cost (acq + service)        revenue
    s1-3  smb      P1   won     40/50/60 80/80/70 300 (260 + 40) each      10,000 each
    s4    smb      P4   won     30      60     100 (100 + 0)               -
    s5    smb      P3   lost    -       20     180 (180 + 0)               -
    s6    smb      P3   stalled -       30     180                         -
    s7    smb      P2   won     60      90     420 (260 + 160)             20,000
    s8    smb      P5   stalled -       40     20                          -
    s9    smb      P5   active  -       50     20                          -
    s10   smb      P6   active  -       55     0.2                         -
    e1    ent      event > meeting > document > document > support, won at day 90, health 70,
                   800 (700 + 100), revenue 150,000
    e2    ent      event > meeting, stalled, health 40, 300 (300 + 0)
    u1    -        (stored before personas: no persona, no cost) web, stalled, health 10
"""

from __future__ import annotations

from typing import Any

from tests.unit.report.fixtures import journey

SMB = {"id": "smb", "label": "Small businesses"}
ENT = {"id": "ent", "label": "Enterprise <b>&</b> co"}
P1 = [(0, "awareness", "campaign"), (10, "evaluation", "meeting"), (20, "decision", "email")]


def cost(acquisition: float, service: float, **by_stage: float) -> dict[str, Any]:
    stages = ("awareness", "evaluation", "decision", "purchase", "loyalty")
    return {
        "currency": "EUR",
        "total": round(acquisition + service, 2),
        "acquisition": acquisition,
        "service": service,
        "by_stage": {s: by_stage.get(s, 0.0) for s in stages},
        "priced_touchpoints": 3,
    }


def with_value(
    data: dict[str, Any], persona: dict[str, str] | None, spent: dict[str, Any] | None,
    revenue: float | None = None,
) -> dict[str, Any]:  # fmt: skip
    if persona is not None:
        data["persona"] = persona
        data["cost"] = spent
        data["revenue"] = revenue
    return data


def smb(
    key: str, status: str, steps: list[tuple[int, str, str]], health: int, spent: dict[str, Any],
    revenue: float | None = None,
) -> dict[str, Any]:  # fmt: skip
    touches = [(day, stage, channel, True, ()) for day, stage, channel in steps]
    return with_value(
        journey(f"Accounts:{key}", key, "account", status, touches, health), SMB, spent, revenue
    )


def p1(bought: int) -> list[tuple[int, str, str]]:
    return [*P1, (bought, "purchase", "document")]


P1_COST = cost(260, 40, awareness=10, evaluation=120, decision=50, purchase=120)
P3_COST = cost(180, 0, awareness=10, evaluation=120, decision=50)


def persona_journeys() -> list[dict[str, Any]]:
    """The journeys of the module docstring, as ``journey_to_dict`` shapes them."""
    p4 = [(0, "awareness", "campaign"), (10, "evaluation", "phone"), (20, "decision", "email"),
          (30, "purchase", "document")]  # fmt: skip
    p5 = [(0, "awareness", "web"), (20, "evaluation", "email")]
    ent = [(0, "awareness", "event", True, ()), (15, "evaluation", "meeting", True, ())]
    return [
        smb("s1", "won", p1(40), 80, P1_COST, 10_000),
        smb("s2", "won", p1(50), 80, P1_COST, 10_000),
        smb("s3", "won", p1(60), 70, P1_COST, 10_000),
        smb(
            "s4", "won", p4, 60, cost(100, 0, awareness=10, evaluation=15, decision=25, purchase=50)
        ),
        smb("s5", "lost", P1, 20, P3_COST),
        smb("s6", "stalled", P1, 30, P3_COST),
        smb(
            "s7",
            "won",
            [*p1(60), (80, "loyalty", "support")],
            90,
            cost(260, 160, awareness=10, evaluation=120, decision=50, purchase=80, loyalty=160),
            20_000,
        ),
        smb("s8", "stalled", p5, 40, cost(20, 0, awareness=5, evaluation=15)),
        smb("s9", "active", p5, 50, cost(20, 0, awareness=5, evaluation=15)),
        smb("s10", "active", p5[:1], 55, cost(0.2, 0, awareness=0.2)),
        with_value(
            journey(
                "Accounts:e1",
                "e1",
                "account",
                "won",
                [
                    *ent,
                    (45, "decision", "document", True, ()),
                    (90, "purchase", "document", True, ()),
                    (100, "loyalty", "support", True, ()),
                ],
                70,
            ),
            ENT,
            cost(700, 100, awareness=150, evaluation=240, decision=45, purchase=265, loyalty=100),
            150_000,
        ),
        with_value(
            journey("Accounts:e2", "e2", "account", "stalled", ent, 40),
            ENT,
            cost(300, 0, awareness=150, evaluation=150),
        ),
        journey("Accounts:u1", "u1", "account", "stalled", [(0, "awareness", "web", True, ())], 10),
        journey("Accounts:none", "none", "account", "active", []),
    ]
