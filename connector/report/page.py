"""The report as one self-contained HTML page: inline CSS, inline SVG, no script.

The page loads nothing: a Content-Security-Policy (``default-src 'none'``, only
inline styles and ``data:`` images allowed) makes the browser refuse any request
should one ever slip in, so it opens offline and leaks nothing. Links to
customers in SuiteCRM are plain ``<a href>`` that load only when clicked. Laid
out for 1280 px screens, narrower ones reflow; ``@media print`` keeps charts and
tables whole on paper.

Markup only; no I/O.
"""

from __future__ import annotations

from connector.report.figures import Report
from connector.report.inputs import SEGMENT_LABELS
from connector.report.personaview import personas_section
from connector.report.sections import (
    channels_section,
    dropoff_section,
    funnel_section,
    kpis,
    paths_section,
    postsale_section,
    time_section,
)
from connector.report.svg import esc

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

CSS = """
:root { --ink:#1f2933; --muted:#616e7c; --line:#e4e7eb; --bg:#f5f7fa; --accent:#3182bd; }
* { box-sizing: border-box; }
body { margin:0; background:var(--bg); color:var(--ink);
  font: 14px/1.45 "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header { background:#102a43; color:#fff; padding:24px 32px 20px; }
header h1 { margin:0 0 4px; font-size:26px; font-weight:600; }
header p { margin:0; color:#bcccdc; }
nav { margin-top:12px; display:flex; gap:18px; flex-wrap:wrap; }
nav a { color:#9fb3c8; text-decoration:none; font-size:13px; }
main { max-width:1200px; margin:0 auto; padding:20px 24px 40px; }
.kpis { display:grid; grid-template-columns:repeat(6, 1fr); gap:12px; margin:4px 0 8px; }
.kpi { background:#fff; border:1px solid var(--line); border-radius:10px; padding:12px 14px; }
.kpi span { display:block; color:var(--muted); font-size:12px; text-transform:uppercase;
  letter-spacing:.04em; }
.kpi b { display:block; font-size:28px; font-weight:600; margin:2px 0; }
.kpi small { color:var(--muted); }
section { margin-top:28px; }
h2 { font-size:21px; margin:0 0 2px; border-bottom:2px solid var(--accent); padding-bottom:4px; }
p.lead { color:var(--muted); margin:6px 0 12px; max-width:900px; }
.card { background:#fff; border:1px solid var(--line); border-radius:10px; padding:14px 18px;
  margin:0 0 14px; break-inside:avoid; page-break-inside:avoid; }
.card h3 { margin:0 0 10px; font-size:15px; font-weight:600; }
.pair { display:grid; grid-template-columns:1fr 1fr; gap:14px; }
.pair .card { margin:0 0 14px; }
svg.chart { display:block; width:100%; height:auto; max-width:900px; }
svg.chart text { font-family: inherit; }
.legend { display:flex; flex-wrap:wrap; gap:6px 14px; margin:0 0 10px; font-size:12px;
  color:var(--muted); }
.legend .key i { display:inline-block; width:11px; height:11px; border-radius:2px;
  margin-right:5px; vertical-align:-1px; }
table { border-collapse:collapse; width:100%; font-size:13px; }
th { text-align:left; font-weight:600; color:var(--muted); font-size:12px;
  border-bottom:1px solid var(--line); padding:6px 8px; }
td { border-bottom:1px solid var(--line); padding:5px 8px; }
td.num { text-align:right; font-variant-numeric:tabular-nums; }
td.name { font-weight:500; }
td.text { color:#323f4b; }
table.heat td.num { min-width:64px; }
a { color:#1f6fb2; }
.note { color:var(--muted); font-size:12.5px; margin:8px 0 0; }
ol.paths { list-style:none; margin:0; padding:0; }
ol.paths li { display:flex; gap:12px; align-items:flex-start; padding:7px 0;
  border-bottom:1px solid var(--line); }
ol.paths .count { width:70px; flex:none; text-align:right; font-weight:600;
  font-variant-numeric:tabular-nums; }
ol.paths .bar { display:block; height:4px; background:var(--accent); margin:4px 0 0 auto;
  border-radius:2px; }
.chip { display:inline-block; border:2px solid #999; border-radius:12px; padding:0 8px;
  font-size:12px; margin:1px 0; background:#fff; }
.arrow { color:var(--muted); margin:0 4px; }
.outcomes { font-size:11.5px; margin-top:3px; }
svg.path { display:block; max-width:100%; height:auto; margin:2px 0 4px; }
svg.path text { font-family: inherit; }
ol.patterns .count { width:36px; color:var(--muted); }
.segments { display:grid; grid-template-columns:repeat(2, 1fr); gap:10px 24px; }
.segment h4 { margin:6px 0 4px; font-size:14px; }
.segment h4 small { color:var(--muted); font-weight:normal; }
.segment ol.paths li { padding:4px 0; }
.segment h5 { margin:6px 0 0; font-size:11px; color:var(--muted); text-transform:uppercase;
  letter-spacing:.04em; }
.empty { background:#fff; border:1px dashed #9fb3c8; border-radius:10px; padding:28px;
  font-size:16px; }
dl.method dt { font-weight:600; margin-top:8px; }
dl.method dd { margin:2px 0 0 0; color:#323f4b; }
footer { color:var(--muted); font-size:12px; margin-top:28px; }
@media (max-width: 900px) {
  .kpis { grid-template-columns:repeat(3, 1fr); }
  .pair, .segments { grid-template-columns:1fr; }
}
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { background:#fff; font-size:12px; }
  header { background:#fff; color:var(--ink); padding:0 0 8px; border-bottom:2px solid #102a43; }
  header p { color:var(--muted); }
  nav { display:none; }
  main { max-width:none; padding:0; }
  .card, .kpi { border-color:#cbd2d9; box-shadow:none; }
  section { break-before:auto; }
  h2 { break-after:avoid; }
  a { color:inherit; text-decoration:none; }
}
"""

METHOD = (
    ("Customers", "Accounts, contacts without account (B2C) and leads that never converted "
     "(prospects). Each has one journey through awareness, evaluation, decision, purchase and "
     "loyalty, built by `suitejourney classify`."),
    ("Period", "With --since/--until, a journey is in the report when its touchpoints overlap "
     "the period (first touch before the end, last touch on or after the start); it then "
     "counts whole."),
    ("Funnel", "A customer reached a stage when it entered it or any later stage. Conversion = "
     "customers that reached the next stage / customers that reached this one."),
    ("Time", "Days in a stage are summed over the customer's visits. Medians and 90th "
     "percentiles interpolate between the closest ranks. Finished stays are stages the "
     "customer left; stays in progress are current stages (lost customers left out)."),
    ("Drop-off", "Lost: no purchase and the last touchpoint lost the deal. Stalled: no "
     "touchpoint for longer than the mapping allows. Days silent are counted to the report "
     "date."),
    ("Attribution", "For each customer that reached purchase, the touchpoints before the one "
     "that moved it into purchase. First touch credits the first one's channel, last touch "
     "the last one's, linear shares the purchase equally among all of them."),
    ("Paths", "Stage sequence: the stages in the order they were entered. Channel sequence: "
     "the channel of the touchpoint that moved the customer into each of them."),
    ("Personas", "Groups of customers defined in the mapping (personas:), first match wins; "
     "a customer matching none is in Other customers. Cost, revenue and persona are "
     "computed when the journey is built (suitejourney classify)."),
    ("Patterns", "A customer's route: the stages in the order entered, each with the channel of "
     "the touchpoint that moved it there. Routes within the tolerance of a more common one "
     "are merged into it (a step added, removed or in another stage costs 1, another channel "
     "0.5). The largest groups are shown until they cover 80% of the persona (at most 5). "
     "Dropped off: lost or stalled before buying, at the stage where they stopped."),
    ("Cost to serve", "Each touchpoint priced by its kind and channel (the mapping's costs:). "
     "Acquisition: up to and including the first purchase; service: after it. Won revenue: "
     "the amounts of opportunities in the purchase stage, in SuiteCRM's base currency."),
    ("Pain points", "Touchpoints with an open case, a high-priority case, a complaint or a "
     "cancellation, by the touchpoint's stage and channel. Waiting > p90: customers in a "
     "stage for longer than 90% of finished stays there."),
)  # fmt: skip


def _period(report: Report) -> str:
    p = report.period
    if p.open:
        return "all time"
    since = p.since.isoformat() if p.since else "the beginning"
    until = p.until.isoformat() if p.until else "today"
    return f"{since} to {until}"


def _method() -> str:
    items = "".join(f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>" for term, text in METHOD)
    return (
        '<section id="method"><h2>How to read this report</h2>'
        f'<div class="card"><dl class="method">{items}</dl></div></section>'
    )


def _body(report: Report) -> str:
    if report.empty:
        where = "in this period" if not report.period.open else "yet"
        return (
            f'<div class="empty"><b>Nothing to report {esc(where)}.</b> There are no customer '
            "journeys in the state database"
            f"{' for ' + esc(_period(report)) if not report.period.open else ''}. "
            "Run <code>suitejourney sync</code> to read SuiteCRM and build them, then run "
            "<code>suitejourney report</code> again.</div>"
        )
    return "".join(
        [
            kpis(report),
            funnel_section(report),
            time_section(report),
            dropoff_section(report),
            channels_section(report),
            paths_section(report),
            personas_section(report),
            postsale_section(report),
            _method(),
        ]
    )


def render_html(report: Report) -> str:
    """The whole page, ready to write to a .html file."""
    generated = f"{report.generated_at:%Y-%m-%d %H:%M} UTC"
    segments = ", ".join(SEGMENT_LABELS[f].lower() for f in report.segment_fields) or "none"
    nav = "".join(
        f'<a href="#{a}">{esc(t)}</a>'
        for a, t in (
            ("funnel", "Funnel"),
            ("time", "Time"),
            ("dropoff", "Drop-off"),
            ("channels", "Channels"),
            ("paths", "Paths"),
            ("personas", "Personas"),
            ("postsale", "After the sale"),
            ("method", "How to read"),
        )
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>Customer journey report · {esc(_period(report))}</title>"
        f"<style>{CSS}</style></head><body>"
        "<header><h1>Customer journey report</h1>"
        f"<p>{esc(_period(report))} · generated {esc(generated)} · "
        f"{report.summary.customers:,} customers · segments: {esc(segments)}</p>"
        f"{'' if report.empty else '<nav>' + nav + '</nav>'}</header>"
        f"<main>{_body(report)}"
        "<footer>suitejourney report · figures as of the last classify; "
        "the CSV and JSON formats carry every figure.</footer></main>"
        "</body></html>\n"
    )
