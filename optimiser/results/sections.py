"""The sections of ``report.md`` and ``report.html``, in the order a bureau reads them.

First a one-page summary (the decision, the saving and how sure it is, who pays more and why),
then the map and the details: poles, services and modes, equipment, staff, what each member
pays (the EPCI included), the core check, forced members paying more, estimates and parameter
confidence, the communes, the rules, how sure and how to reproduce.

Each section is a function ``ReportContext → Section | None`` (``None``: nothing to say, e.g.
no services block); :data:`SECTIONS` lists them in order. A new section is one function added
with :func:`add_section` (``after=`` the id of the section it follows); both reports pick it up.
All words come from :mod:`optimiser.results.i18n`, in the language being written.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from . import i18n
from .document import Figures, Heading, Image, Items, Raw, ReportContext, Section, Table, Text
from .html import fmt
from .html.page import Column
from .i18n import t
from .records import row_dicts

#: The identifier of the EPCI itself in the service tables.
EPCI_CODE = "EPCI"

SectionBuilder = Callable[[ReportContext], "Section | None"]


# --- the objective and the rules in words ------------------------------------------------------

def objective_kind(summary: dict, scenario: dict | None = None) -> str:
    """What the run minimised: ``cost`` or ``travel`` (or a kind a later model writes in
    ``summary["objective_kind"]``)."""
    if summary.get("objective_kind"):
        return str(summary["objective_kind"])
    minimise = ((scenario or {}).get("objective") or {}).get("minimise")
    if minimise:
        return str(minimise)
    unit = str(summary.get("objective_unit") or "")
    return "cost" if summary.get("total_cost") is not None or "€" in unit else "travel"


def objective_unit_words(summary: dict) -> str:
    """``summary["objective_unit"]`` in the language being written."""
    unit = str(summary.get("objective_unit") or "")
    if "€" in unit:
        return t("unit.keur_year")
    if unit == "person-minutes":
        return t("unit.person_mins")
    if unit == "person-km":
        return t("unit.person_kms")
    return unit


def objective_sentences(summary: dict, rules, scenario: dict | None = None) -> list[str]:
    """What the optimiser chose the design for, in words (one or two sentences)."""
    kind = objective_kind(summary, scenario)
    metric = getattr(rules, "travel_metric", "time")
    per = t("unit.person_min") if metric == "time" else t("unit.person_km")
    if kind == "cost":
        objective = (scenario or {}).get("objective") or {}
        weight = objective.get("travel_weight_eur") or 0.0
        out = [t("objective.cost") if weight <= 0.001 else
               t("objective.cost_weighted", weight=fmt.number(weight, 4 if weight < 1 else 2), unit=per)]
        if objective.get("max_travel_total"):
            out.append(t("objective.cost_capped", cap=fmt.number(objective["max_travel_total"], 0), unit=objective_unit_travel(metric)))
        return out
    if kind == "travel":
        return [t("objective.travel", metric=t("metric.time" if metric == "time" else "metric.distance"))]
    return [f"{kind}: {summary.get('objective_unit', '')}"]


def objective_unit_travel(metric: str) -> str:
    return t("unit.person_mins") if metric == "time" else t("unit.person_kms")


def _bounds(lo, hi, unit: str) -> str | None:
    if lo is None and hi is None:
        return None
    if lo is not None and hi is not None:
        return t("bounds.exactly", lo=fmt.integer(lo), unit=unit) if lo == hi else \
            t("bounds.between", lo=fmt.integer(lo), hi=fmt.integer(hi), unit=unit)
    return t("bounds.at_least", lo=fmt.integer(lo), unit=unit) if lo is not None else t("bounds.at_most", hi=fmt.integer(hi), unit=unit)


def rules_in_words(rules, summary: dict, territory=None, name_of: Callable[[str], str] | None = None,
                   scenario: dict | None = None) -> list[str]:
    """The scenario's rules as sentences (communes by name, not code), ending with what the
    optimiser minimised. ``territory`` (or ``name_of``) gives the names."""
    if name_of is None:
        def name_of(code):
            return territory.name_of(code) if territory is not None and code in territory.communes.index else str(code)

    def names(codes) -> str:
        return ", ".join(name_of(c) for c in codes)

    lines = []
    if rules.mode == "p-median":
        lines.append(t("rules.p_median"))
    sc = rules.service_commun
    if sc is not None:
        lines.append(t("rules.service_commun", name=sc.name, members=names(sc.members), seat=names([sc.seat]),
                       open=t("rules.sc_open" if sc.open_to_others else "rules.sc_closed")))
    count = _bounds(rules.count_min, rules.count_max, "")
    lines.append(t("rules.count", bounds=count) if count else t("rules.count_free"))
    population = _bounds(rules.population_min, rules.population_max, t("word.inhabitants"))
    if population:
        lines.append(t("rules.population", bounds=population))
    size = _bounds(rules.communes_min, rules.communes_max, t("word.communes"))
    if size:
        lines.append(t("rules.size", bounds=size))
    if rules.max_travel_min is not None:
        lines.append(t("rules.max_travel", minutes=fmt.number(rules.max_travel_min, 0 if float(rules.max_travel_min).is_integer() else 1)))
    else:
        lines.append(t("rules.no_max_travel"))
    key = f"rules.contiguity.{rules.contiguity}"
    lines.append(t(key) if key in i18n.MESSAGES else f"Contiguity: {rules.contiguity}.")
    if rules.candidate_seats is not None:
        lines.append(t("rules.candidates", names=names(rules.candidate_seats)))
    if rules.fixed_seats:
        lines.append(t("rules.fixed", names=names(rules.fixed_seats)))
    if rules.forbidden_seats:
        lines.append(t("rules.forbidden", names=names(rules.forbidden_seats)))
    for group in rules.together:
        lines.append(t("rules.together", names=names(group)))
    for pair in rules.apart:
        lines.append(t("rules.apart", names=names(pair)))
    if rules.allow_alone:
        limit = "" if rules.max_alone is None else t("rules.alone_limit", n=rules.max_alone)
        lines.append(t("rules.alone", limit=limit, names=names(rules.allow_alone)))
    roads = summary.get("roads", {})
    if roads.get("method") == "network":
        lines.append(t("rules.network"))
    else:
        lines.append(t("rules.estimated_roads", circuity=fmt.text(roads.get("circuity", "?")), speed=fmt.text(roads.get("speed_kmh", "?"))))
    services = ((scenario or {}).get("services") or {})
    if summary.get("fairness_key"):
        studied = services.get("enabled") or services.get("services")
        listed = ", ".join(i18n.service_name(s) for s in studied) if isinstance(studied, list) and studied else \
            ", ".join(i18n.service_name(s) for s in i18n.SERVICES)
        lines.append(t("rules.services", services=listed, key=fairness_words(summary["fairness_key"])))
    lines += objective_sentences(summary, rules, scenario)
    return lines


def fairness_words(key: str) -> str:
    name = f"fairness.{key}"
    return t(name) if name in i18n.MESSAGES else str(key)


# --- helpers ------------------------------------------------------------------------------------

def _records(frame: pd.DataFrame | None) -> list[dict]:
    return [] if frame is None or not len(frame) else row_dicts(frame)


def _money_k(value) -> str:
    return fmt.kilo_money(value)


def paying_more(ctx: ReportContext, forced: bool) -> pd.DataFrame:
    """Rows of ``shares.csv`` of members paying more than alone, forced in or voluntary."""
    shares = ctx.service_tables.shares
    if shares is None or not len(shares) or "pays_more_than_alone" not in shares:
        return pd.DataFrame()
    more = shares[_truthy(shares["pays_more_than_alone"]) & (_truthy(shares["forced"]) == forced)]
    return more


def _truthy(series: pd.Series) -> pd.Series:
    return series.map(lambda v: str(v).strip().lower() in ("true", "1", "yes")).astype(bool)


def _who(rows: pd.DataFrame) -> str:
    """``Laval (Espaces verts, Bâtiments), Saint-Berthevin (Voirie)``."""
    parts = []
    for name, group in rows.groupby("name", sort=False):
        parts.append(f"{name} ({', '.join(i18n.service_name(s) for s in group['service'])})")
    return ", ".join(parts)


# --- the sections ---------------------------------------------------------------------------------

def key_figures(ctx: ReportContext) -> Figures:
    s, communes, poles = ctx.summary, ctx.communes, ctx.poles
    items = [(t("fig.territory"), t("fig.territory_value", name=s["territory"]["name"], n=fmt.integer(s["n_communes"]),
                                    population=fmt.integer(s["population"])))]
    if poles is not None and len(poles):
        items.append((t("fig.poles"), poles_in_words(poles, ctx.n_alone)))
    if s.get("mean_travel_min") is not None:
        items.append((t("fig.mean_trip"), t("fig.mean_trip_value", minutes=fmt.minutes(s["mean_travel_min"]))))
    if communes is not None and len(communes) and communes["travel_min"].notna().any():
        longest = communes.loc[communes["travel_min"].idxmax()]
        items.append((t("fig.longest_trip"), f"{fmt.minutes(longest['travel_min'])} ({longest['name']} → {longest['seat_name']})"))
    for key, label, formatter in (("status_quo_cost", "fig.status_quo", fmt.money), ("total_cost", "fig.total_cost", fmt.money),
                                  ("savings", "fig.saving", fmt.signed_money)):
        value = s.get(key)
        if isinstance(value, dict):
            value = value.get("total", value.get("value"))
        if value is not None:
            items.append((t(label), t("fig.per_year", value=formatter(value)) if fmt.as_number(value) is not None else fmt.text(value)))
    return Figures(items)


def poles_in_words(poles: pd.DataFrame, n_alone: int) -> str:
    n_sc = int((poles["pole"] == "SC").sum())
    text = i18n.plural(len(poles) - n_sc, "poles.prox") + (t("poles.sc_only") if n_sc else "")
    if n_alone:
        text += (" ; " if i18n.current() == "fr" else "; ") + i18n.plural(n_alone, "poles.alone")
    return text


def _status_html(s: dict) -> str:
    from .html.page import esc

    status = s["status"]
    kind = {"optimal": "good", "feasible": "warn"}.get(status, "bad")
    words = fmt.status_long(status, s.get("gap"), s.get("solver_options", {}).get("gap"))
    head = fmt.status_short(status, s.get("gap"))
    out = [f'<div class="status {kind}" role="note" aria-label="{esc(t("status.label"))}">'
           f'<p class="status-word">{esc(head[:1].upper() + head[1:])}</p><p>{esc(words)}</p>']
    if s.get("diagnosis"):
        out.append(f"<p>{esc(t('status.why'))}</p><ul>" + "".join(f"<li>{esc(line)}</li>" for line in s["diagnosis"]) + "</ul>")
    out.append("</div>")
    return "".join(out)


def _status_md(s: dict) -> str:
    from .status import status_words

    words = status_words(s["status"], s.get("gap"))
    gap = "n/a" if s.get("gap") is None else fmt.number(100 * s["gap"], 3) + (" %" if i18n.current() == "en" else "\u00a0%")
    text = words.markdown.format(gap=gap, gap_tol=s["solver_options"]["gap"]) if words else s["status"]
    out = f"{t('status.label')} : {text}." if i18n.current() == "fr" else f"Status: {text}."
    if s.get("diagnosis"):
        out += "\n\n### " + t("h.why_no_design") + "\n\n" + "\n".join(f"- {line}" for line in s["diagnosis"])
    return out


def summary_section(ctx: ReportContext) -> Section:
    """The one page that comes first: status, key figures, the decision, the saving and how sure
    it is, who pays more and why."""
    s = ctx.summary
    blocks: list = [Raw(html=_status_html(s), md=_status_md(s)), key_figures(ctx)]
    if ctx.poles is not None and len(ctx.poles):
        blocks.append(Heading(t("h.decision")))
        alone = ctx.n_alone
        decision = [t("sum.decision_poles", n=s["n_communes"], poles=poles_in_words(ctx.poles, 0),
                      alone=(" ; " if i18n.current() == "fr" else "; ") + i18n.plural(alone, "poles.alone") if alone else "")]
        if ctx.has_costs:
            services = ctx.service_tables.services
            modes = services["mode"].value_counts() if len(services) else {}
            decision.append(t("sum.decision_services", pooled=s.get("services_pooled", 0), pole_services=s.get("pole_services", len(services)),
                              regie=int(modes.get("regie", 0)), delegation=int(modes.get("delegation", 0)),
                              borrowed=s.get("services_borrowed", 0)))
        blocks.append(Text(" ".join(decision)))
        if ctx.has_costs:
            blocks.append(Items(by_service_lines(ctx)))
    blocks.append(Heading(t("h.saving")))
    if ctx.has_costs:
        saving, before, after = s["savings"], s["status_quo_cost"], s["total_cost"]
        if saving >= 0:
            line = t("sum.saving", saving=fmt.kilo_money(saving), pct=fmt.percent(s.get("savings_pct")),
                     before=fmt.kilo_money(before), after=fmt.kilo_money(after))
        else:
            line = t("sum.costs_more", extra=fmt.kilo_money(-saving), pct=fmt.percent(-(s.get("savings_pct") or 0)),
                     before=fmt.kilo_money(before), after=fmt.kilo_money(after))
        blocks.append(Text(line))
    else:
        blocks.append(Text(t("sum.no_costs")))
    blocks.append(Text(sure_sentence(s)))
    if ctx.has_costs:
        blocks.append(Text(estimates_sentence(ctx)))
        blocks.append(Heading(t("h.who_pays_more")))
        lines = []
        forced, voluntary = paying_more(ctx, True), paying_more(ctx, False)
        if len(voluntary):
            lines.append(t("sum.voluntary_pay_more", n=voluntary["member"].nunique(), who=_who(voluntary)))
        if len(forced):
            lines.append(t("sum.forced_pay_more", n=forced["member"].nunique(), who=_who(forced)))
        if not lines:
            lines.append(t("sum.nobody_pays_more"))
        if s.get("blocking_coalitions"):
            lines.append(t("sum.core_blocking", n=s["blocking_coalitions"], gain=fmt.money(s.get("largest_blocking_gain_eur"))))
        else:
            lines.append(t("sum.core_ok"))
        blocks.append(Items(lines))
    return Section("summary", t("h.summary"), blocks, css="summary")


def sure_sentence(s: dict) -> str:
    status = s["status"]
    if status == "optimal":
        tol = fmt.as_number(s.get("solver_options", {}).get("gap"))
        tolerance = ""
        if tol is not None and tol >= 1e-4:
            tolerance = f" (à {fmt.percent(tol)} près)" if i18n.current() == "fr" else f" (to within {fmt.percent(tol)})"
        return t("sum.sure_optimal", tolerance=tolerance)
    if status == "feasible" and fmt.as_number(s.get("gap")) is not None:
        return t("sum.sure_feasible", gap=fmt.percent(s.get("gap")))
    return fmt.status_long(status, s.get("gap"))


def estimates_sentence(ctx: ReportContext) -> str:
    s = ctx.summary
    n = int(s.get("estimated_fields") or 0)
    params = ctx.service_tables.parameters
    low = int((params["confidence"] == "low").sum()) if params is not None and "confidence" in params else 0
    if not n:
        return t("sum.no_estimates")
    sq = ctx.service_tables.status_quo
    total = n_status_quo_figures(sq)
    return t("sum.estimates", n=fmt.integer(n), total=fmt.integer(max(total, n)), low=low, params=len(params))


def n_status_quo_figures(status_quo: pd.DataFrame) -> int:
    """Figures a status quo rests on: per member × service its workload, mode, FTE and contract,
    plus one machine count per member and machine type."""
    if status_quo is None or not len(status_quo):
        return 0
    machines = status_quo["estimated"].fillna("").map(lambda v: sum(1 for f in str(v).split(";") if f.endswith(".units")))
    return 4 * len(status_quo) + int(machines.sum())


def by_service_lines(ctx: ReportContext) -> list[str]:
    """One line per service: which poles run it and how, and how many borrow machines."""
    services = ctx.service_tables.services
    lines = []
    totals = services.groupby("service", sort=False)[["n_poolers", "n_borrowers"]].sum()
    by_service: dict = {}  # the rows of each service in the order services first appear, read in one pass
    for r in _records(services):
        if not pd.isna(r["service"]):
            by_service.setdefault(r["service"], []).append(r)
    for service, rows in by_service.items():
        parts = [f"{r['pole']} {i18n.mode_name(r['mode']).split(' (')[0].lower()}" for r in rows if r["n_poolers"]]
        poolers = int(totals.at[service, "n_poolers"])
        borrowers = int(totals.at[service, "n_borrowers"])
        text = i18n.plural(poolers, "sum.poolers", poles=", ".join(parts)) if parts else t("sum.no_poolers")
        if borrowers:
            text += i18n.plural(borrowers, "sum.borrowers")
        lines.append(t("sum.by_service", service=f"**{i18n.service_name(service)}**", text=text))
    return lines


def repaired_section(ctx: ReportContext) -> Section | None:
    """What was repaired in the input (invalid polygons), which the design was computed on."""
    repaired = (ctx.summary.get("territory") or {}).get("warnings") or []
    if not repaired:
        return None
    return Section("repaired", t("h.repaired"), [Text(t("txt.repaired")), Items([str(line) for line in repaired])])


def map_section(ctx: ReportContext) -> Section:
    """The map: in HTML the interactive map the renderer draws; in Markdown ``map.png``."""
    blocks = [Text(t("txt.map_hint"), css="hint"), Image("map.png", t("txt.map_of", name=ctx.summary["territory"]["name"]))]
    if ctx.has_costs:
        blocks.append(Image("savings.png", t("txt.savings_map")))
    return Section("map", t("h.map"), blocks, css="map-section")


def poles_section(ctx: ReportContext) -> Section | None:
    if ctx.poles is None or not len(ctx.poles):
        return None
    columns = [
        Column("pole", t("col.pole")), Column("pole_name", t("col.pole_name")),
        Column("kind", t("col.kind"), i18n.kind_name), Column("seat_name", t("col.seat")),
        Column("n_communes", t("col.n_communes"), fmt.integer, numeric=True),
        Column("population", t("col.population"), fmt.integer, numeric=True),
        Column("max_travel_min", t("col.max_trip"), fmt.minutes, numeric=True, explain=t("explain.max_trip")),
        Column("mean_travel_min", t("col.mean_trip"), fmt.minutes, numeric=True, explain=t("explain.mean_trip")),
        Column("members", t("col.members"), lambda v: fmt.text(v).replace("; ", ", ")),
    ]
    shown = {c.key for c in columns} | {"seat_insee_code", "max_travel_km", "on_its_own"}
    columns += [Column(k, k, fmt.auto, numeric=pd.api.types.is_numeric_dtype(ctx.poles[k]))
                for k in ctx.poles.columns if k not in shown]  # columns a later model adds
    return Section("poles", t("h.poles"), [Table(columns, _records(ctx.poles), id="poles",
                                                 row_attrs=lambda r: {"data-pole": r["pole"]})])


def services_section(ctx: ReportContext) -> Section | None:
    if not ctx.has_costs or not len(ctx.service_tables.services):
        return None
    tables = ctx.service_tables

    def unit_cost(r: dict) -> str:
        value = fmt.as_number(r.get("unit_cost_eur"))
        if value is None:
            return fmt.MISSING
        return f"{fmt.number(value, 2)} € / {i18n.unit_text(r.get('unit'))}"

    columns = [
        Column("pole", t("col.pole")), Column("service", t("col.service"), i18n.service_name),
        Column("mode", t("col.mode"), i18n.mode_name, explain=t("explain.mode")),
        Column("n_poolers", t("col.n_poolers"), fmt.integer, numeric=True),
        Column("n_borrowers", t("col.n_borrowers"), fmt.integer, numeric=True),
        Column("fte", t("col.fte"), lambda v: fmt.number(v, 1), numeric=True),
        Column("total_eur", t("col.yearly_cost"), fmt.money, numeric=True, explain=t("explain.yearly_cost")),
        Column("unit_cost_eur", t("col.unit_cost"), numeric=True, cell=None, format=fmt.text),
    ]
    records = _records(tables.services)
    for r in records:
        r["unit_cost_text"] = unit_cost(r)
    columns[-1] = Column("unit_cost_text", t("col.unit_cost"))
    blocks = [Text(t("txt.services")), Table(columns, records, id="services", explain=True)]
    if len(tables.regie_vs_delegation):
        rvd = [
            Column("pole", t("col.pole")), Column("service", t("col.service"), i18n.service_name),
            Column("regie_eur", t("col.regie"), fmt.money, numeric=True),
            Column("delegation_eur", t("col.delegation"), fmt.money, numeric=True),
            Column("cheaper", t("col.cheaper"), i18n.mode_name), Column("chosen", t("col.chosen"), i18n.mode_name),
        ]
        blocks += [Heading(t("h.rvd")), Text(t("txt.rvd")), Table(rvd, _records(tables.regie_vs_delegation), id="regie-vs-delegation")]
    return Section("services", t("h.services"), blocks)


def equipment_section(ctx: ReportContext) -> Section | None:
    if not ctx.has_costs:
        return None
    equipment = ctx.service_tables.equipment
    if equipment is not None and len(equipment):
        equipment = equipment[(pd.to_numeric(equipment["units_needed"]) > 0) | (pd.to_numeric(equipment["units_owned_by_members"]) > 0)]
    if equipment is None or not len(equipment):
        return Section("equipment", t("h.equipment"), [Text(t("txt.no_equipment"))])
    columns = [
        Column("pole", t("col.pole")), Column("service", t("col.service"), i18n.service_name),
        Column("equipment", t("col.equipment"), i18n.equipment_name),
        Column("machine_days", t("col.machine_days"), lambda v: fmt.number(v, 0), numeric=True),
        Column("units_needed", t("col.units_needed"), fmt.integer, numeric=True),
        Column("units_owned_by_members", t("col.units_owned"), fmt.integer, numeric=True),
        Column("bought", t("col.bought"), fmt.integer, numeric=True),
        Column("surplus", t("col.surplus"), fmt.integer, numeric=True),
        Column("utilisation", t("col.utilisation"), fmt.percent, numeric=True, explain=t("explain.utilisation")),
    ]
    return Section("equipment", t("h.equipment"), [Text(t("txt.equipment")), Table(columns, _records(equipment), id="equipment", explain=True)])


def staff_rows(ctx: ReportContext) -> list[dict]:
    """FTE per service today (every member alone) and with the design (pole services plus the
    staff of services members keep, borrowers included)."""
    tables = ctx.service_tables
    sq, shares = tables.status_quo, tables.shares
    today = pd.to_numeric(sq["fte"], errors="coerce").groupby(sq["service"], sort=False).sum()
    kept = shares[~shares["choice"].astype(str).str.startswith("pooled")][["member", "service"]]
    kept_fte = sq.merge(kept, on=["member", "service"])
    kept_by_service = pd.to_numeric(kept_fte["fte"], errors="coerce").groupby(kept_fte["service"]).sum()
    pole_fte = pd.to_numeric(tables.services["fte"], errors="coerce").groupby(tables.services["service"]).sum()
    rows = []
    for service in today.index:
        after = float(pole_fte.get(service, 0.0)) + float(kept_by_service.get(service, 0.0))
        rows.append({"service": service, "today": float(today[service]), "design": after, "difference": after - float(today[service])})
    return rows


def staff_section(ctx: ReportContext) -> Section | None:
    if not ctx.has_costs:
        return None
    rows = staff_rows(ctx)
    one = lambda v: fmt.number(v, 1)  # noqa: E731
    columns = [Column("service", t("col.service"), i18n.service_name),
               Column("today", t("col.fte_today"), one, numeric=True), Column("design", t("col.fte_design"), one, numeric=True),
               Column("difference", "±", lambda v: ("+" if (fmt.as_number(v) or 0) > 0.05 else "") + fmt.number(v, 1), numeric=True)]
    before = sum(r["today"] for r in rows)
    after = sum(r["design"] for r in rows)
    return Section("staff", t("h.staff"), [Text(t("txt.staff")), Table(columns, rows, id="staff", sortable=False),
                                           Text(t("txt.staff_total", before=one(before), after=one(after)))])


def shares_section(ctx: ReportContext) -> Section | None:
    if not ctx.has_costs:
        return None
    members = ctx.service_tables.members.copy()
    members["saving_pct"] = members["saving"] / members["standalone_cost"].where(members["standalone_cost"] != 0)
    members = members.sort_values("saving", ascending=False)
    columns = [Column("name", t("col.member")),
               Column("standalone_cost", t("col.standalone"), fmt.money, numeric=True, explain=t("explain.standalone")),
               Column("share", t("col.share"), fmt.money, numeric=True, explain=t("explain.share")),
               Column("saving", t("col.saving"), fmt.signed_money, numeric=True, explain=t("explain.saving")),
               Column("saving_pct", t("col.saving_pct"), fmt.signed_percent, numeric=True)]
    blocks = [Text(t("txt.shares", key=fairness_words(ctx.summary.get("fairness_key", "")))),
              Table(columns, _records(members), id="shares", explain=True,
                    row_attrs=lambda r: {"data-member": r["member"]})]
    epci = members[members["member"] == EPCI_CODE]
    if len(epci):
        blocks.append(Text(t("txt.epci_row", name=epci["name"].iloc[0]), css="note"))
    return Section("shares", t("h.shares"), blocks)


def core_section(ctx: ReportContext) -> Section | None:
    if not ctx.has_costs:
        return None
    core = ctx.service_tables.core
    if core is None or not len(core):
        return Section("core", t("h.core"), [Text(t("txt.core_ok"))])
    columns = [Column("pole", t("col.pole")), Column("service", t("col.service"), i18n.service_name),
               Column("group", t("col.group"), lambda v: fmt.text(v).replace("; ", ", ")),
               Column("pays_now_eur", t("col.pays_now"), fmt.money, numeric=True),
               Column("would_pay_alone_eur", t("col.alone_group"), fmt.money, numeric=True),
               Column("gain_eur", t("col.gain"), fmt.money, numeric=True)]
    blocks = [Text(t("txt.core_blocking")), Table(columns, _records(core.head(10)), id="core")]
    if "check_complete" in core and not _truthy(core["check_complete"]).all():
        blocks.append(Text(t("txt.core_incomplete"), css="note"))
    return Section("core", t("h.core"), blocks)


def forced_section(ctx: ReportContext) -> Section | None:
    if not ctx.has_costs:
        return None
    forced = paying_more(ctx, True)
    if not len(forced):
        return Section("forced", t("h.forced"), [Text(t("txt.forced_none"))])
    rows = _records(forced)
    for r in rows:
        r["extra"] = r["pays_eur"] - r["standalone_eur"]
    columns = [Column("name", t("col.member")), Column("service", t("col.service"), i18n.service_name),
               Column("choice", t("col.choice"), i18n.choice_name),
               Column("standalone_eur", t("col.standalone"), fmt.money, numeric=True),
               Column("pays_eur", t("col.share"), fmt.money, numeric=True),
               Column("extra", t("col.extra"), fmt.money, numeric=True)]
    return Section("forced", t("h.forced"), [Text(t("txt.forced")), Table(columns, rows, id="forced")])


def estimates_section(ctx: ReportContext) -> Section | None:
    if not ctx.has_costs:
        return None
    tables = ctx.service_tables
    sq = tables.status_quo
    # the rows of each member, in the order members first appear (as groupby(sort=False), read in one pass)
    members: dict = {}
    for r in _records(sq):
        if not pd.isna(r["member"]):  # as groupby: rows without a member belong to no group
            members.setdefault(r["member"], []).append(r)
    by_fields: dict[str, list[str]] = {}
    for rows in members.values():
        fields = []
        for r in rows:
            for field in str(r.get("estimated") or "").split(";"):
                if field:
                    fields.append(field if "." in field else f"{r['service']}.{field}")
        if fields:  # members estimated alike share one row: the table stays short
            by_fields.setdefault(";".join(fields), []).append(str(rows[0]["name"]))
    rows = [{"names": ", ".join(names), "n": len(fields.split(";")), "fields": fields} for fields, names in by_fields.items()]
    columns = [Column("names", t("col.members")), Column("n", t("col.n_estimated"), fmt.integer, numeric=True),
               Column("fields", t("col.estimated"), i18n.estimated_in_words)]
    blocks = [Text(t("txt.estimates")), Table(columns, rows, id="estimates")]
    params = tables.parameters
    if params is not None and len(params):
        counts = params["confidence"].fillna("").replace("", "—").value_counts()
        listed = ", ".join(f"{i18n.confidence_name(k)} {v}" for k, v in counts.items())
        blocks.append(Text(t("txt.params_count", n=len(params), counts=listed)))
        key = params[params["parameter"].isin(["productivity", "delegated_price"]) | (params["group"] == "staff")]
        pcols = [Column("group", t("col.group_param"), i18n.group_name),
                 Column("parameter", t("col.parameter"), i18n.parameter_name),
                 Column("value", t("col.value"), fmt.auto, numeric=True), Column("unit", t("col.unit"), i18n.unit_text),
                 Column("confidence", t("col.confidence"), i18n.confidence_name)]
        blocks.append(Table(pcols, _records(key), id="parameters"))
    return Section("estimates", t("h.estimates"), blocks)


def commune_columns(communes: pd.DataFrame, pole_cell: Callable[[dict], str] | None = None) -> list[Column]:
    """The communes table: names, pole, trip and, with costs, what each pools, pays and saves.
    Columns of the service model that other sections show (per-service choices, the estimated
    fields) stay out, so the table fits a page; columns nobody knows are shown under their name."""
    from .tables import COMMUNE_COLUMNS

    columns = [
        Column("name", t("col.commune")),
        Column("population", t("col.population"), fmt.integer, numeric=True),
        Column("pole", t("col.pole"), lambda v: v if isinstance(v, str) else t("word.alone"), cell=pole_cell),
        Column("seat_name", t("col.seat")),
        Column("travel_min", t("col.trip"), fmt.minutes, numeric=True, explain=t("explain.trip")),
    ]
    cost = [
        Column("services_pooled", t("col.services_pooled"), i18n.services_list),
        Column("standalone_cost", t("col.standalone"), fmt.money, numeric=True, explain=t("explain.standalone")),
        Column("share", t("col.share"), fmt.money, numeric=True, explain=t("explain.share")),
        Column("saving", t("col.saving"), fmt.signed_money, numeric=True, explain=t("explain.saving")),
    ]
    columns += [c for c in cost if c.key in communes.columns]
    hidden = set(COMMUNE_COLUMNS) | set(SERVICE_COMMUNE_COLUMNS) | set(i18n.SERVICES) | {c.key for c in cost} | {"on_its_own"}
    for key in communes.columns:
        if key not in hidden:
            numeric = pd.api.types.is_numeric_dtype(communes[key]) and not pd.api.types.is_bool_dtype(communes[key])
            columns.append(Column(key, key, fmt.auto, numeric=numeric))
    return columns


#: Columns the service model adds to communes.csv that the communes table leaves to other sections.
SERVICE_COMMUNE_COLUMNS = ("services_borrowed", "saving_pct", "pays_more_than_alone", "estimated")


def communes_section(ctx: ReportContext, pole_cell=None) -> Section | None:
    if ctx.communes is None or not len(ctx.communes):
        return None
    columns = commune_columns(ctx.communes, pole_cell)
    ordered = _records(ctx.communes.sort_values(["pole", "name"], na_position="last"))
    blocks = [Text(t("txt.sort_hint"), css="hint"),
              Table(columns, ordered, id="communes", explain=True, row_attrs=lambda r: {"data-code": r["insee_code"]})]
    if ctx.has_costs:
        blocks.append(Text(t("txt.fiches")))
    return Section("communes", t("h.communes"), blocks)


def rules_section(ctx: ReportContext) -> Section:
    return Section("rules", t("h.rules"), [Items(rules_in_words(ctx.rules, ctx.summary, ctx.territory, ctx.name_of, ctx.scenario))])


def solver_rows(s: dict) -> list[tuple[str, str]]:
    options = s.get("solver_options", {})
    what = t(f"objective.short.{objective_kind(s)}") if f"objective.short.{objective_kind(s)}" in i18n.MESSAGES else objective_kind(s)
    unit = objective_unit_words(s)
    rows = [
        (t("solver.objective", what=what), f"{fmt.number(s.get('objective'), 1)} {unit}"),
        (t("solver.bound"), f"{fmt.number(s.get('bound'), 1)} {unit}"),
        (t("solver.gap"), fmt.percent(s.get("gap"))),
        (t("solver.solver"), t("solver.solver_value", solver=s.get("solver"), threads=options.get("threads", "?"),
                               limit=fmt.text(options.get("time_limit_s")))),
        (t("solver.formulation"), fmt.text(s.get("formulation"))),
        (t("solver.time"), f"{fmt.number(s.get('runtime_s'), 2)} s"),
        (t("solver.size"), t("solver.size_value", v=fmt.integer(s.get("n_variables")), c=fmt.integer(s.get("n_constraints")))),
        (t("solver.computed"), fmt.text(s.get("created_utc"))),
        (t("solver.software"), ", ".join(f"{k} {v}" for k, v in s.get("versions", {}).items() if v)),
    ]
    if s.get("overrides"):
        rows.append((t("solver.overrides"), "; ".join(map(str, s["overrides"]))))
    return rows


def method_section(ctx: ReportContext) -> Section:
    from .html.page import esc

    rows = solver_rows(ctx.summary)
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{esc(v)}</td></tr>' for k, v in rows)
    html = f'<details open><summary>{esc(t("solver.details"))}</summary><table class="plain details">{body}</table></details>'
    md = "| | |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows)
    command = "optimiser run scenario.resolved.yaml --out reproduced\noptimiser verify ."
    return Section("method", t("h.method"), [
        Text(sure_sentence(ctx.summary)), Raw(html=html, md=md), Text(t("txt.reproduce")),
        Raw(html=f"<pre>{esc(command)}</pre>", md=f"```\n{command}\n```")])


#: The sections in reading order (see the module docstring).
SECTIONS: list[SectionBuilder] = [
    summary_section, repaired_section, map_section, poles_section, services_section, equipment_section, staff_section, shares_section,
    core_section, forced_section, estimates_section, communes_section, rules_section, method_section,
]


def _issue_10_sections() -> None:
    """Where the saving comes from (after the services) and the status quo check (after the
    estimates): :mod:`optimiser.results.savings_report`."""
    from .savings_report import sources_section, status_quo_check_section

    SECTIONS.insert([b.__name__ for b in SECTIONS].index("services_section") + 1, sources_section)
    SECTIONS.insert([b.__name__ for b in SECTIONS].index("estimates_section") + 1, status_quo_check_section)


def _roadmap_section() -> None:
    """The plan over the years, after the summary (:mod:`optimiser.results.roadmap_section`)."""
    from .roadmap_section import roadmap_section

    add_section(roadmap_section, after="summary")


def add_section(builder: SectionBuilder, after: str) -> None:
    """Insert ``builder`` after the section whose builder is named ``<after>_section``."""
    names = [b.__name__ for b in SECTIONS]
    SECTIONS.insert(names.index(f"{after}_section") + 1, builder)


def build_sections(ctx: ReportContext, builders: list[SectionBuilder] | None = None) -> list[Section]:
    """The report's sections for ``ctx``, those with nothing to say left out."""
    return [section for builder in (builders or SECTIONS) if (section := builder(ctx)) is not None]


_issue_10_sections()
_roadmap_section()


def _institution_sections() -> None:
    """Who pays whom under the institutional options (after the members' shares):
    :mod:`optimiser.results.flows_report`."""
    from .flows_report import flows_section

    add_section(flows_section, after="shares")


_institution_sections()
