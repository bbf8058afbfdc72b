"""Classifying one touchpoint: the first matching rule wins, signal rules all apply.

``classify`` is the hot path: it tries only the rules indexed for the record's
module, by priority and then in file order, then the default, and adds the
signals of every matching signal rule. ``classify_upcoming`` classifies a
touchpoint dated after now as what it will be if it happens (rules with
``contact: false``, which describe what did not happen, are not tried).
``explain`` does the same slowly and keeps the reasons: each rule tried, the
condition that failed it, why the winner matched, and the rules it outranked.
``render_explanation`` prints that for ``suitejourney mappings explain``.

Pure: the caller passes the journey context; no I/O, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from connector.journey.conditions import TouchpointView
from connector.journey.mapping import Mapping
from connector.journey.model import Classification, JourneyContext, Touchpoint
from connector.journey.plan import RulePlan
from connector.journey.rule import Rule


def classify(touchpoint: Touchpoint, context: JourneyContext, mapping: Mapping) -> Classification:
    """The stage and attributes of ``touchpoint`` given the journey so far."""
    return classify_planned(touchpoint, context, mapping, mapping.plan(touchpoint.module, context))


def classify_planned(
    touchpoint: Touchpoint, context: JourneyContext, mapping: Mapping, plan: RulePlan
) -> Classification:
    """``classify`` with the plan for the touchpoint's module and context already at hand."""
    record = TouchpointView(touchpoint)
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


def classify_upcoming(
    touchpoint: Touchpoint, context: JourneyContext, mapping: Mapping
) -> Classification:
    """The classification of a planned touchpoint, as if it happens (slow path: few of them)."""
    record = TouchpointView(touchpoint)
    result = None
    for candidate in mapping.candidates(touchpoint.module):
        rule = candidate.rule
        if rule.contact and all(c.test(record, context) for c in rule.conditions):
            result = candidate.classification(record, context)
            break
    if result is None:  # pragma: no cover - the default rule counts as contact and always matches
        raise AssertionError("no rule, not even the default, matched")
    matched = tuple(
        rule
        for rule in mapping.signal_rules_for(touchpoint.module)
        if all(c.test(record, context) for c in rule.conditions)
    )
    return mapping.with_signals(result, matched) if matched else result


@dataclass(frozen=True, slots=True)
class Attempt:
    """One rule tried for a record: whether it matched, and each condition's verdict."""

    rule_id: str
    source: str
    description: str
    matched: bool
    checks: tuple[tuple[bool, str], ...]  # (holds, what the record holds)
    priority: int = 0
    contact: bool = True


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a touchpoint got its classification."""

    touchpoint: Touchpoint
    context: JourneyContext
    attempts: tuple[Attempt, ...]  # stage rules tried, in order, the winner last
    skipped: int  # rules for other modules, never tried
    signals: tuple[Attempt, ...]  # every signal rule for the module
    classification: Classification
    outranked: tuple[Attempt, ...] = ()  # later rules that match too, beaten by the winner
    upcoming: bool = False  # dated after now: classified as if it happens
    contact: bool = True  # False: the winner keeps the record aside (not contact)


def _attempt(rule: Rule, checks: list[tuple[bool, str]]) -> Attempt:
    matched = all(holds for holds, _ in checks)
    return Attempt(
        rule.id, rule.source, rule.description, matched, tuple(checks), rule.priority, rule.contact
    )


def explain(
    touchpoint: Touchpoint,
    context: JourneyContext,
    mapping: Mapping,
    *,
    upcoming: bool = False,
) -> Explanation:
    """The rules tried for ``touchpoint``, why each failed, why the winner matched, and
    the rules it outranked. ``upcoming``: the touchpoint is dated after now, so it is
    classified as if it happens (rules with ``contact: false`` are not tried)."""
    record = TouchpointView(touchpoint)
    attempts: list[Attempt] = []
    outranked: list[Attempt] = []
    candidates = [
        c for c in mapping.candidates(touchpoint.module) if c.rule.contact or not upcoming
    ]
    winner: Rule | None = None
    for candidate in candidates:
        rule = candidate.rule
        checks = [(c.test(record, context), c.describe(record, context)) for c in rule.conditions]
        attempt = _attempt(rule, checks)
        if winner is None:
            attempts.append(attempt)
            winner = rule if attempt.matched else None
        elif attempt.matched and rule is not mapping.default:
            outranked.append(attempt)
    signals = []
    for rule in mapping.signal_rules_for(touchpoint.module):
        checks = [(c.test(record, context), c.describe(record, context)) for c in rule.conditions]
        signals.append(_attempt(rule, checks))
    classification = (
        classify_upcoming(touchpoint, context, mapping)
        if upcoming
        else classify(touchpoint, context, mapping)
    )
    return Explanation(
        touchpoint=touchpoint,
        context=context,
        attempts=tuple(attempts),
        skipped=len(mapping.rules) + 1 - len(mapping.candidates(touchpoint.module)),
        signals=tuple(signals),
        classification=classification,
        outranked=tuple(outranked),
        upcoming=upcoming,
        contact=winner is None or winner.contact or upcoming,
    )


def _context_line(context: JourneyContext) -> str:
    purchase = "after the first purchase" if context.purchased else "before any purchase"
    if context.purchased and context.purchase_window:
        purchase += " (within the purchase window)"
    opportunity = "an open opportunity" if context.open_opportunity else "no open opportunity"
    return (
        f"journey so far: stage {context.stage or '(none)'}, {purchase}, {opportunity}, "
        f"cycle {context.cycle}, customer {context.customer_kind or '?'} "
        f"type '{context.customer_type}' industry '{context.industry}'"
    )


def _tag(attempt: Attempt) -> str:
    tags = [f"priority {attempt.priority}"] if attempt.priority else []
    if not attempt.contact:
        tags.append("contact: false")
    return f" [{', '.join(tags)}]" if tags else ""


def render_explanation(explanation: Explanation) -> str:
    """The explanation as terminal text, one rule per block."""
    tp = explanation.touchpoint
    c = explanation.classification
    lines = [
        f"{tp.key}  {tp.occurred_at:%Y-%m-%d %H:%M} UTC  {tp.subject!r}",
        _context_line(explanation.context),
    ]
    if explanation.upcoming:
        lines.append(
            "upcoming: dated after now, so classified as what it will be if it happens "
            "(rules with contact: false are not tried); it counts once it has happened"
        )
    lines.append(
        f"rules tried, highest priority first, then in file order "
        f"({explanation.skipped} rules for other modules not tried):"
    )
    for attempt in explanation.attempts:
        verdict = "MATCH" if attempt.matched else "no   "
        lines.append(
            f"  {verdict} {attempt.rule_id}{_tag(attempt)}  ({attempt.source})  "
            f"{attempt.description}"
        )
        if not attempt.checks:
            lines.append("          (no conditions: matches every record it is tried on)")
        for holds, text in attempt.checks:
            lines.append(f"          {'ok  ' if holds else 'FAIL'} {text}")
    if explanation.outranked:
        lines.append(
            "also matching, outranked by the winner (lower priority or later in the file):"
        )
        lines.extend(
            f"  {a.rule_id}{_tag(a)}  ({a.source})  {a.description}" for a in explanation.outranked
        )
    lines.append(
        f"result: stage {c.stage}, phase {c.phase}, channel {c.channel}, mode {c.mode}, "
        f"managed_by {c.managed_by}, direction {c.direction} (rule {c.rule_id})"
    )
    if not explanation.contact:
        lines.append(
            "not contact: the winning rule sets contact: false, so this record moves no "
            "stage, resets no clock and does not count for the status"
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
