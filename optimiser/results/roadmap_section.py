"""The report's roadmap section: the plan in one paragraph, the Gantt chart, the yearly
trajectory and the phases, from ``summary.json``'s ``roadmap`` block (so a folder read back
shows it too)."""

from __future__ import annotations

from .document import Image, Items, Raw, ReportContext, Section, Table, Text
from .html import fmt
from .html.page import Column
from .i18n import t


def _money(x) -> str:
    return fmt.kilo_money(x)


def _year(value) -> str:
    return str(int(value)) if value is not None else fmt.MISSING


def _by_commune(road: dict) -> list:
    """What each member bears each year (net of its flows, one-offs included)."""
    rows = road.get("net_cost_by_year") or []
    if not rows:
        return []
    start, n = road["start_year"], road["horizon_years"]
    years = [str(y) for y in range(start, start + n)]
    columns = [Column("name", t("roadmap.col.member"), fmt.text)] + [Column(y, y, fmt.money, numeric=True) for y in years]
    return [Text(t("roadmap.by_commune")), Table(columns, rows, id="roadmap-communes")]


def roadmap_section(ctx: ReportContext) -> Section | None:
    road = ctx.summary.get("roadmap")
    if not road:
        return None
    start, n = road["start_year"], road["horizon_years"]
    lead = t("roadmap.lead", start=start, end=start + n - 1, n=n, rate=fmt.percent(road["discount_rate"]["value"]),
             npc=_money(road.get("net_present_cost_eur")), npc_sq=_money(road.get("status_quo_net_present_cost_eur")),
             saving=_money(road.get("net_present_saving_eur")),
             break_even=road.get("break_even_year") or t("roadmap.never"), started=road["phases_started"], phases=road["phases"])
    method = t("roadmap.method", ss_gap=fmt.percent(road["steady_state"].get("gap")), status=road["status"],
               gap=fmt.percent(road.get("gap")), time=fmt.number(road.get("runtime_s"), 2))
    columns = [Column("year", t("roadmap.col.year"), _year), Column("status_quo_eur", t("roadmap.col.status_quo"), fmt.money, numeric=True),
               Column("plan_eur", t("roadmap.col.plan"), fmt.money, numeric=True),
               Column("saving_eur", t("roadmap.col.saving"), fmt.signed_money, numeric=True),
               Column("cumulative_saving_eur", t("roadmap.col.cumulative"), fmt.signed_money, numeric=True)]
    starts = [t("roadmap.starts", year=y, n=k) for y, k in road.get("starts_by_year", {}).items() if k]
    return Section("roadmap", t("h.roadmap"), [
        Text(lead, css="lead"), Text(method),
        Image("gantt.png", t("roadmap.gantt_title", scenario=ctx.summary.get("scenario", "")),
              html='<img src="gantt.png" alt="Gantt" style="max-width:100%">'),
        Image("trajectory.png", t("roadmap.trajectory_title", scenario=ctx.summary.get("scenario", "")),
              html='<img src="trajectory.png" alt="trajectory" style="max-width:100%">'),
        Table(columns, list(road.get("yearly", [])), id="roadmap-years"),
        Items(starts) if starts else Raw(),
        *_by_commune(road),
        Text(t("roadmap.files"), css="note"),
    ])
