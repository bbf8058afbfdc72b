"""Classifying one touchpoint: the first matching rule wins, signal rules all apply.

``classify`` is the hot path: it tries only the rules indexed for the record's
module, in file order, then the default, and adds the signals of every matching
signal rule. ``explain`` does the same slowly and keeps the reasons: each rule
tried, the condition that failed it, and why the winner matched.
``render_explanation`` prints that for ``suitejourney mappings explain``.

Pure: the caller passes the journey context; no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from connector.journey.conditions import Record
from connector.journey.mapping import Mapping
from connector.journey.model import Classification, JourneyContext, Touchpoint
from connector.journey.plan import Plan
from connector.journey.rule import Rule


def classify(touchpoint: Touchpoint, context: JourneyContext, mapping: Mapping) -> Classification:
    """The stage and attributes of ``touchpoint`` given the journey so far."""
    return classify_planned(touchpoint, context, mapping, mapping.plan(touchpoint.module, context))


def classify_planned(
    touchpoint: Touchpoint, context: JourneyContext, mapping: Mapping, plan: Plan
) -> Classification:
    """``classify`` with the plan for the touchpoint's module and context already at hand."""
    record = Record(touchpoint)
    gate = plan.gate
    if gate is not None and gate.search(record.folded(plan.gate_field)) is None:
        plan = plan.quiet or plan
    # Loops rather than all(): this runs a million times a minute.
    for candidate, conditions in plan.stage_rules:
        for condition in conditions:
            if not condition.test(record, context):
                break
        else:
            result = candidate.fixed or candidate.classification(record, context)
            break
    else:  # pragma: no cover - the default rule has no conditions and is never dropped
        raise AssertionError("no rule, not even the default, matched")
    matched: list[Rule] = []
    for rule, conditions in plan.signal_rules:
        for condition in conditions:
            if not condition.test(record, context):
                break
        else:
            matched.append(rule)
    if not matched:
        return result
    return mapping.with_signals(result, tuple(matched))


@dataclass(frozen=True, slots=True)
class Attempt:
    """One rule tried for a record: whether it matched, and each condition's verdict."""

    rule_id: str
    source: str
    description: str
    matched: bool
    checks: tuple[tuple[bool, str], ...]  # (holds, what the record holds)


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a touchpoint got its classification."""

    touchpoint: Touchpoint
    context: JourneyContext
    attempts: tuple[Attempt, ...]  # stage rules tried, in order, the winner last
    skipped: int  # rules for other modules, never tried
    signals: tuple[Attempt, ...]  # every signal rule for the module
    classification: Classification


def _attempt(
    rule_id: str, source: str, description: str, checks: list[tuple[bool, str]]
) -> Attempt:
    matched = all(holds for holds, _ in checks)
    return Attempt(rule_id, source, description, matched, tuple(checks))


def explain(touchpoint: Touchpoint, context: JourneyContext, mapping: Mapping) -> Explanation:
    """The rules tried for ``touchpoint``, why each failed, and why the winner matched."""
    record = Record(touchpoint)
    attempts: list[Attempt] = []
    candidates = mapping.candidates(touchpoint.module)
    for candidate in candidates:
        rule = candidate.rule
        checks = [(c.test(record, context), c.describe(record, context)) for c in rule.conditions]
        attempts.append(_attempt(rule.id, rule.source, rule.description, checks))
        if attempts[-1].matched:
            break
    signals = []
    for rule in mapping.signal_rules_for(touchpoint.module):
        checks = [(c.test(record, context), c.describe(record, context)) for c in rule.conditions]
        signals.append(_attempt(rule.id, rule.source, rule.description, checks))
    return Explanation(
        touchpoint=touchpoint,
        context=context,
        attempts=tuple(attempts),
        skipped=len(mapping.rules) + 1 - len(candidates),
        signals=tuple(signals),
        classification=classify(touchpoint, context, mapping),
    )


def _context_line(context: JourneyContext) -> str:
    purchase = "after the first purchase" if context.purchased else "before any purchase"
    opportunity = "an open opportunity" if context.open_opportunity else "no open opportunity"
    return (
        f"journey so far: stage {context.stage or '(none)'}, {purchase}, {opportunity}, "
        f"cycle {context.cycle}, customer {context.customer_kind or '?'} "
        f"type '{context.customer_type}' industry '{context.industry}'"
    )


def render_explanation(explanation: Explanation) -> str:
    """The explanation as terminal text, one rule per block."""
    tp = explanation.touchpoint
    c = explanation.classification
    lines = [
        f"{tp.key}  {tp.occurred_at:%Y-%m-%d %H:%M} UTC  {tp.subject!r}",
        _context_line(explanation.context),
        f"rules tried ({explanation.skipped} rules for other modules not tried):",
    ]
    for attempt in explanation.attempts:
        verdict = "MATCH" if attempt.matched else "no   "
        lines.append(f"  {verdict} {attempt.rule_id}  ({attempt.source})  {attempt.description}")
        if not attempt.checks:
            lines.append("          (no conditions: matches every record it is tried on)")
        for holds, text in attempt.checks:
            lines.append(f"          {'ok  ' if holds else 'FAIL'} {text}")
    lines.append(
        f"result: stage {c.stage}, phase {c.phase}, channel {c.channel}, mode {c.mode}, "
        f"managed_by {c.managed_by}, direction {c.direction} (rule {c.rule_id})"
    )
    if explanation.signals:
        lines.append("signal rules:")
        for attempt in explanation.signals:
            verdict = "ADDS " if attempt.matched else "no   "
            lines.append(f"  {verdict} {attempt.rule_id}  ({attempt.source})")
            lines.extend(
                f"          {'ok  ' if holds else 'FAIL'} {text}" for holds, text in attempt.checks
            )
    lines.append(f"signals: {', '.join(c.signals) or 'none'}")
    return "\n".join(lines)
