"""``report.md``: what was asked, what was found, how sure we are."""

from __future__ import annotations

import pandas as pd

from ..model.rules import PoleRules
from .status import status_words

ATTRIBUTION = (
    "Découpage administratif : Etalab, @etalab/decoupage-administratif 6.0.0 (INSEE COG, DGCL, INSEE populations légales), "
    "Licence Ouverte. Contours communaux : IGN – Admin Express COG édition 2018, via france-geojson (Grégoire David), Licence Ouverte."
)


def _fmt_gap(gap) -> str:
    return "n/a" if gap is None else f"{100 * gap:.3f} %"


def _rules_lines(rules: PoleRules, summary: dict, names: dict[str, str]) -> list[str]:
    def label(code) -> str:
        return f"{names[code]} ({code})" if code in names else str(code)

    def labels(items) -> str:
        return ", ".join(" + ".join(label(c) for c in item) if isinstance(item, tuple) else label(item) for item in items)

    def bounds(lo, hi, unit=""):
        if lo is None and hi is None:
            return "free"
        if lo is not None and hi is not None and lo == hi:
            return f"exactly {lo:,.0f}{unit}"
        parts = []
        if lo is not None:
            parts.append(f"at least {lo:,.0f}{unit}")
        if hi is not None:
            parts.append(f"at most {hi:,.0f}{unit}")
        return ", ".join(parts)

    lines = [
        f"- Mode: {rules.mode}; contiguity: {rules.contiguity}; objective: population-weighted travel "
        f"{'time' if rules.travel_metric == 'time' else 'distance'} to the seat",
        f"- Number of proximity poles: {bounds(rules.count_min, rules.count_max)}",
        f"- Pole population: {bounds(rules.population_min, rules.population_max, ' inh.')}",
        f"- Communes per pole: {bounds(rules.communes_min, rules.communes_max)}",
        f"- Longest trip to the seat: {'no limit' if rules.max_travel_min is None else f'{rules.max_travel_min:g} min'}",
        f"- Road costs: {summary['roads']['method']} (circuity {summary['roads']['circuity']}, {summary['roads']['speed_kmh']} km/h)",
    ]
    if rules.service_commun is not None:
        sc = rules.service_commun
        lines.append(f"- Service commun '{sc.name}': {labels(sc.members)}; seat {label(sc.seat)}, "
                     f"{'open to' if sc.open_to_others else 'closed to'} other communes")
    for title, items in (("Fixed seats", rules.fixed_seats), ("Forbidden seats", rules.forbidden_seats),
                         ("Together", rules.together), ("Apart", rules.apart), ("May stay alone", rules.allow_alone)):
        if items:
            lines.append(f"- {title}: {labels(items)}")
    return lines


def render_report(summary: dict, rules: PoleRules, communes: pd.DataFrame | None, poles: pd.DataFrame | None,
                  description: str = "", names: dict[str, str] | None = None, service_tables=None) -> str:
    status = summary["status"]
    wording = status_words(status, summary.get("gap"))
    if wording is None:
        raise KeyError(f"no words for the solver status {status!r}")
    words = wording.markdown.format(gap=_fmt_gap(summary.get("gap")), gap_tol=summary["solver_options"]["gap"])
    unit = summary["objective_unit"]
    out = [f"# Pole design — {summary['scenario']}", ""]
    if description:
        out += [description.strip(), ""]
    out += [
        "## What was asked", "",
        f"Territory: **{summary['territory']['name']}** — {summary['n_communes']} communes, "
        f"{summary['population']:,} inhabitants.", "",
        *_rules_lines(rules, summary, names or {}), "",
        *repaired_input_lines(summary),
        "## What was found", "",
        f"Status: {words}.", "",
        "| | |", "|---|---|",
        f"| Objective | {_num(summary.get('objective'))} {unit} |",
        f"| Best bound | {_num(summary.get('bound'))} {unit} |",
        f"| Gap | {_fmt_gap(summary.get('gap'))} |",
        f"| Solver | {summary['solver']} ({summary['solver_options']['threads']} thread(s), limit {summary['solver_options']['time_limit_s']:g} s) |",
        f"| Formulation | {summary['formulation']} |",
        f"| Time | {summary['runtime_s']:.2f} s (build {summary['build_s']:.2f} s, solve {summary['solve_s']:.2f} s) |",
        f"| Model size | {summary['n_variables']:,} variables, {summary['n_constraints']:,} constraints |",
        "",
    ]
    if summary.get("diagnosis"):
        out += ["### Why there is no design", ""] + [f"- {line}" for line in summary["diagnosis"]] + [""]
    if poles is not None and len(poles):
        mean = summary.get("mean_travel_min")
        out += [
            f"{summary['n_poles']} poles; {summary['n_alone']} communes alone; population-weighted mean trip to the seat "
            f"{mean:.1f} min." if mean is not None else "", "",
            "### Poles", "",
            "| Pole | Seat | Communes | Population | Longest trip (min) | Mean trip (min) | Members |",
            "|---|---|---:|---:|---:|---:|---|",
        ]
        for r in poles.itertuples():
            out.append(f"| {r.pole} {r.pole_name} | {r.seat_name} | {r.n_communes} | {r.population:,} | "
                       f"{r.max_travel_min:.1f} | {r.mean_travel_min:.1f} | {r.members} |")
        out += ["", "![Map of the poles](map.png)", ""]
    if service_tables is not None:
        out += render_service_section(summary, service_tables)
    if communes is not None and len(communes):
        out += ["### Communes", "", "| Commune | INSEE | Population | Pole | Seat | Trip (min) | Trip (km) |",
                "|---|---|---:|---|---|---:|---:|"]
        for r in communes.sort_values(["pole", "name"], na_position="last").itertuples():
            pole = r.pole if isinstance(r.pole, str) else "alone"
            seat = r.seat_name if isinstance(r.seat_name, str) else "—"
            trip = "—" if r.alone else f"{r.travel_min:.1f}"
            km = "—" if r.alone else f"{r.travel_km:.1f}"
            out.append(f"| {r.name} | {r.insee_code} | {r.population:,} | {pole} | {seat} | {trip} | {km} |")
        out.append("")
    out += [
        "## Reproduce", "",
        "Everything this result was computed from is in this folder: `scenario.resolved.yaml` (every key, defaults "
        "included) and `inputs/` (the territory file; its SHA-256 is in `summary.json`).", "",
        "```", f"optimiser run scenario.resolved.yaml --out reproduced", f"optimiser verify .", "```", "",
        "## Data", "", ATTRIBUTION, "",
    ]
    return "\n".join(out)


def repaired_input_lines(summary: dict) -> list[str]:
    """What was repaired in the input (invalid polygons), which the design was computed on."""
    repaired = (summary.get("territory") or {}).get("warnings") or []
    if not repaired:
        return []
    return ["**Repaired geometries** — the territory file had invalid polygons; the design was computed on "
            "their repaired shapes:", "", *[f"- {line}" for line in repaired], ""]


def _num(value) -> str:
    return "n/a" if value is None else f"{value:,.1f}"


def _k(value) -> str:
    return "—" if value is None or value != value else f"{value / 1000:,.1f}"


def render_service_section(summary: dict, tables) -> list[str]:
    """The service-sharing part of report.md (€ in thousands a year, HT)."""
    sq, total, saved = summary["status_quo_cost"], summary["total_cost"], summary["savings"]
    out = [
        "## Services", "",
        f"Yearly cost of the six technical services, € HT: status quo (every member alone) **{_k(sq)} k€**, "
        f"this design **{_k(total)} k€**, saving **{_k(saved)} k€ ({100 * summary['savings_pct']:.1f} %)**.", "",
        f"- {summary['services_pooled']} member × service pairs pooled, {summary['services_borrowed']} borrowing "
        f"machines only, in {summary['pole_services']} pole services.",
        f"- Cost shares by **{summary['fairness_key']}**; voluntary members paying more than alone: "
        f"{summary['voluntary_members_paying_more']}; members forced to pool (service commun, force rules) paying more: "
        f"{summary['forced_members_paying_more']}.",
        f"- Core check: {summary['blocking_coalitions']} groups of members would pay less on their own "
        f"({summary['blocking_coalitions_material']} by 1 % or more; largest gain {summary['largest_blocking_gain_eur']:,.0f} €/yr).",
        f"- {summary['estimated_fields']} status-quo figures are estimates from the sourced ratios (column `estimated` of "
        "`status_quo.csv`); replace them with an inventory (`optimiser template inventory`).", "",
    ]
    services = tables.services
    if len(services):
        out += ["### Pole services", "",
                "| Pole | Service | Mode | Poolers | Borrowers | FTE | Machines | Cost (k€/yr) | Per unit (€) |",
                "|---|---|---|---:|---:|---:|---|---:|---:|"]
        equipment = tables.equipment
        for r in services.itertuples():
            machines = equipment[(equipment["pole"] == r.pole) & (equipment["service"] == r.service) & (equipment["units_needed"] > 0)]
            fleet = ", ".join(f"{int(m.units_needed)} {m.equipment}" for m in machines.itertuples()) or "—"
            unit = "—" if r.unit_cost_eur is None or r.unit_cost_eur != r.unit_cost_eur else f"{r.unit_cost_eur:,.2f}/{r.unit}"
            out.append(f"| {r.pole} | {r.service} | {r.mode} | {r.n_poolers} | {r.n_borrowers} | {r.fte:.2f} | {fleet} | "
                       f"{_k(r.total_eur)} | {unit} |")
        out.append("")
    rvd = tables.regie_vs_delegation
    if len(rvd):
        out += ["### Régie or délégation", "", "Each pooled service priced both ways for the same members (k€/yr):", "",
                "| Pole | Service | Régie | Délégation | Cheaper | Chosen |", "|---|---|---:|---:|---|---|"]
        for r in rvd.itertuples():
            out.append(f"| {r.pole} | {r.service} | {_k(r.regie_eur)} | {_k(r.delegation_eur)} | {r.cheaper} | "
                       f"{r.chosen}{'' if r.allowed == 'regie/delegation' else ' (forced)'} |")
        out.append("")
    members = tables.members.sort_values("saving", ascending=False)
    out += ["### What each member saves", "", "![Savings per commune](savings.png)", "",
            "| Member | Alone (k€/yr) | With the design (k€/yr) | Saving (k€/yr) | Saving (%) |", "|---|---:|---:|---:|---:|"]
    for r in members.itertuples():
        pct = 100 * r.saving / r.standalone_cost if r.standalone_cost else 0.0
        out.append(f"| {r.name} | {_k(r.standalone_cost)} | {_k(r.share)} | {_k(r.saving)} | {pct:+.1f} |")
    out.append("")
    core = tables.core
    if len(core):
        out += ["### Core check: groups that would rather leave", "",
                "The ten groups with the largest gain (all in `core.csv`):", "",
                "| Pole | Service | Group | Pays now (k€) | Alone (k€) | Gain (€) |", "|---|---|---|---:|---:|---:|"]
        for r in core.head(10).itertuples():
            out.append(f"| {r.pole} | {r.service} | {r.group} | {_k(r.pays_now_eur)} | {_k(r.would_pay_alone_eur)} | {r.gain_eur:,.0f} |")
        out.append("")
    out += ["Every number used is in `parameters.csv` with its source key in `cost_parameters.yaml` and its confidence.", ""]
    return out
