"""``report.html``: one result, for an elected official — what was asked, what was found, how sure
we are, and a map to explore commune by commune.

The page is built from the same tables as ``report.md`` (``communes``, ``poles``, ``summary``).
Cost columns that the service-sharing model adds to ``communes.csv`` (:data:`COST_COLUMNS`) and
cost keys it adds to ``summary.json`` (:data:`SUMMARY_COSTS`) appear in the tables, the key
figures and the map's tooltips as soon as they exist; any other extra column of ``communes.csv``
is shown in the communes table under its own name.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ...model.rules import PoleRules
from ...territory import Territory
from ..report import ATTRIBUTION
from ..tables import COMMUNE_COLUMNS
from . import fmt
from .page import Column, asset, document, esc, explain_columns, table
from .svgmap import commune_fills, commune_records, render_svg_map

#: Optional per-commune columns of the service-sharing model, in display order (€ per year).
COST_COLUMNS = [
    Column("services_pooled", "Services pooled", fmt.text, explain="Technical services this commune pools in its pole."),
    Column("standalone_cost", "Cost alone", fmt.money, numeric=True,
           explain="What the commune's technical services would cost it alone, € per year."),
    Column("share", "Share of pooled cost", fmt.money, numeric=True,
           explain="What the commune pays in its pole under the sharing key, € per year."),
    Column("saving", "Saving", fmt.signed_money, numeric=True,
           explain="Cost alone minus share, € per year; negative means the commune pays more."),
]

#: Optional summary keys of the service-sharing model: key → (label, format).
SUMMARY_COSTS = {
    "status_quo_cost": ("Cost with every commune alone", fmt.money),
    "total_cost": ("Total cost of the design", fmt.money),
    "savings": ("Saving against every commune alone", fmt.signed_money),
}

#: The attribution of ``report.md``, one source per line.
ATTRIBUTION_LINES = re.split(r"(?<=Licence Ouverte\.)\s+", ATTRIBUTION.strip())


def _names(territory: Territory, codes) -> str:
    return ", ".join(territory.name_of(c) if c in territory.communes.index else str(c) for c in codes)


def _bounds(lo, hi, unit: str) -> str | None:
    if lo is None and hi is None:
        return None
    if lo is not None and hi is not None:
        return f"exactly {fmt.integer(lo)}{unit}" if lo == hi else f"between {fmt.integer(lo)} and {fmt.integer(hi)}{unit}"
    return f"at least {fmt.integer(lo)}{unit}" if lo is not None else f"at most {fmt.integer(hi)}{unit}"


def rules_in_words(rules: PoleRules, summary: dict, territory: Territory) -> list[str]:
    """The scenario's rules as sentences (communes by name, not code)."""
    lines = []
    if rules.mode == "p-median":
        lines.append("Classic p-median: the chosen number of seats, each commune with its nearest seat, "
                     "with no size bounds and no contiguity (for comparison with other tools).")
    sc = rules.service_commun
    if sc is not None:
        lines.append(f"Service commun “{sc.name}”: {_names(territory, sc.members)}, seated at {_names(territory, [sc.seat])}; "
                     + ("other communes may join it." if sc.open_to_others else "closed to other communes."))
    count = _bounds(rules.count_min, rules.count_max, "")
    lines.append(f"Number of proximity poles: {count}." if count else "Number of proximity poles: free (the optimiser chooses).")
    population = _bounds(rules.population_min, rules.population_max, " inhabitants")
    if population:
        lines.append(f"Each proximity pole has {population}.")
    size = _bounds(rules.communes_min, rules.communes_max, " communes")
    if size:
        lines.append(f"Each proximity pole gathers {size}.")
    if rules.max_travel_min is not None:
        lines.append(f"No commune is more than {fmt.number(rules.max_travel_min, 0 if float(rules.max_travel_min).is_integer() else 1)} "
                     "minutes by road from its pole's seat.")
    else:
        lines.append("No limit on the trip from a commune to its pole's seat.")
    contiguity = {
        "exact": "Each pole is in one piece: its communes are linked by shared borders.",
        "shortest-path": "Each pole is in one piece, and each member's shortest road to the seat runs through the pole.",
        "none": "Poles need not be in one piece.",
    }
    lines.append(contiguity.get(rules.contiguity, f"Contiguity: {rules.contiguity}."))
    if rules.candidate_seats is not None:
        lines.append(f"Seats may only be in: {_names(territory, rules.candidate_seats)}.")
    if rules.fixed_seats:
        lines.append(f"Must be seats: {_names(territory, rules.fixed_seats)}.")
    if rules.forbidden_seats:
        lines.append(f"May not be seats: {_names(territory, rules.forbidden_seats)}.")
    for group in rules.together:
        lines.append(f"Always in the same pole: {_names(territory, group)}.")
    for pair in rules.apart:
        lines.append(f"Never in the same pole: {_names(territory, pair)}.")
    if rules.allow_alone:
        limit = "" if rules.max_alone is None else f" (at most {rules.max_alone} of them)"
        lines.append(f"May stay out of every pole{limit}: {_names(territory, rules.allow_alone)}.")
    roads = summary.get("roads", {})
    if roads.get("method") == "network":
        lines.append("Trips are measured on the road network supplied with the scenario.")
    else:
        lines.append(f"Trips are estimated from the straight distance between communes × {roads.get('circuity', '?')} "
                     f"(roads wind), at {roads.get('speed_kmh', '?')} km/h.")
    metric = "minutes" if rules.travel_metric == "time" else "kilometres"
    lines.append(f"Among all designs that obey these rules, the optimiser picks the one with the least total travel: "
                 f"every inhabitant's trip to the seat of the pole, in {metric}, added up.")
    return lines


def _commune_columns(communes: pd.DataFrame, fills: dict[str, str]) -> list[Column]:
    def pole_cell(r: dict) -> str:
        if r.get("alone") or not isinstance(r.get("pole"), str):
            return '<span class="swatch alone" aria-hidden="true"></span>alone'
        return (f'<svg class="swatch" aria-hidden="true" viewBox="0 0 1 1"><rect width="1" height="1" '
                f'fill="{esc(fills.get(r["insee_code"], "#fff"))}"/></svg>{esc(r["pole"])}')

    columns = [
        Column("name", "Commune"),
        Column("insee_code", "INSEE code"),
        Column("population", "Population", fmt.integer, numeric=True),
        Column("pole", "Pole", cell=pole_cell),
        Column("seat_name", "Seat"),
        Column("travel_min", "Trip to the seat", fmt.minutes, numeric=True,
               explain="Estimated road time from the commune to its pole's seat."),
        Column("travel_km", "Distance", fmt.km, numeric=True),
    ]
    columns += [c for c in COST_COLUMNS if c.key in communes.columns]
    known = set(COMMUNE_COLUMNS) | {c.key for c in COST_COLUMNS}
    for key in communes.columns:
        if key not in known:
            numeric = pd.api.types.is_numeric_dtype(communes[key]) and not pd.api.types.is_bool_dtype(communes[key])
            columns.append(Column(key, key, fmt.auto, numeric=numeric))
    return columns


def tooltip_rows(record: dict, cost_columns: list[Column]) -> list[list[str]]:
    """The lines of a commune's tooltip: [label, value] pairs, plain text."""
    rows = [["Population", fmt.integer(record.get("population"))], ["INSEE code", str(record["insee_code"])]]
    if "pole" not in record:
        return rows
    if record.get("alone") or not isinstance(record.get("pole"), str):
        rows.append(["Pole", "none: stays alone"])
        return rows + [[c.label, c.format(record.get(c.key))] for c in cost_columns]
    rows.append(["Pole", f"{record['pole']} — {record['pole_name']}"])
    if record.get("is_seat"):
        rows.append(["Seat", "this commune is the seat"])
    else:
        rows.append(["Seat", fmt.text(record.get("seat_name"))])
        rows.append(["Trip to the seat", f"{fmt.minutes(record.get('travel_min'))} ({fmt.km(record.get('travel_km'))})"])
    return rows + [[c.label, c.format(record.get(c.key))] for c in cost_columns]


def _key_figures(summary: dict, communes: pd.DataFrame | None, poles: pd.DataFrame | None) -> str:
    items = [("Territory", f"{summary['territory']['name']}: {fmt.integer(summary['n_communes'])} communes, "
                           f"{fmt.integer(summary['population'])} inhabitants")]
    if poles is not None and len(poles):
        n_sc = int((poles["pole"] == "SC").sum())
        n_prox = len(poles) - n_sc
        text = f"{n_prox} proximity pole{'s' if n_prox != 1 else ''}" + (" + the service commun" if n_sc else "")
        if summary.get("n_alone"):
            text += f"; {summary['n_alone']} commune{'s' if summary['n_alone'] != 1 else ''} alone"
        items.append(("Poles", text))
    if summary.get("mean_travel_min") is not None:
        items.append(("Average trip to the seat", f"{fmt.minutes(summary['mean_travel_min'])} per inhabitant"))
    if communes is not None and len(communes) and communes["travel_min"].notna().any():
        longest = communes.loc[communes["travel_min"].idxmax()]
        items.append(("Longest trip to the seat", f"{fmt.minutes(longest['travel_min'])} ({longest['name']} → {longest['seat_name']})"))
    for key, (label, formatter) in SUMMARY_COSTS.items():
        if key in summary and summary[key] is not None:
            value = summary[key]
            if isinstance(value, dict):
                value = value.get("total", value.get("value"))
            items.append((label, f"{formatter(value)} per year" if fmt.as_number(value) is not None else fmt.text(value)))
    return '<dl class="figures">' + "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items) + "</dl>"


def _status_box(summary: dict) -> str:
    status = summary["status"]
    kind = {"optimal": "good", "feasible": "warn"}.get(status, "bad")
    tolerance = summary.get("solver_options", {}).get("gap")
    words = fmt.status_long(status, summary.get("gap"), tolerance)
    head = fmt.status_short(status, summary.get("gap"))
    out = [f'<section class="status {kind}" aria-label="Status"><p class="status-word">{esc(head[:1].upper() + head[1:])}</p>'
           f"<p>{esc(words)}</p>"]
    if summary.get("diagnosis"):
        out.append("<p>Why:</p><ul>" + "".join(f"<li>{esc(line)}</li>" for line in summary["diagnosis"]) + "</ul>")
    out.append("</section>")
    return "".join(out)


def _solver_details(summary: dict) -> str:
    unit = summary.get("objective_unit", "")
    options = summary.get("solver_options", {})
    rows = [
        ("Objective (total travel)", f"{fmt.number(summary.get('objective'), 1)} {unit}"),
        ("Best bound", f"{fmt.number(summary.get('bound'), 1)} {unit}"),
        ("Gap", fmt.percent(summary.get("gap"))),
        ("Solver", f"{summary.get('solver')} — {options.get('threads', '?')} thread(s), time limit {fmt.text(options.get('time_limit_s'))} s"),
        ("Formulation", fmt.text(summary.get("formulation"))),
        ("Time", f"{fmt.number(summary.get('runtime_s'), 2)} s"),
        ("Model size", f"{fmt.integer(summary.get('n_variables'))} variables, {fmt.integer(summary.get('n_constraints'))} constraints"),
        ("Computed", fmt.text(summary.get("created_utc"))),
        ("Software", ", ".join(f"{k} {v}" for k, v in summary.get("versions", {}).items() if v)),
    ]
    if summary.get("overrides"):
        rows.append(("Overrides", "; ".join(map(str, summary["overrides"]))))
    body = "".join(f"<tr><th scope=\"row\">{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    return f'<details><summary>Solver details</summary><table class="plain details">{body}</table></details>'


def _legend(poles: pd.DataFrame | None, communes: pd.DataFrame | None, colours: dict[str, str]) -> str:
    if poles is None or communes is None:
        return '<p class="legend-note">No design: the map shows the territory only.</p>'
    fill_of_pole = {}
    for record in communes.itertuples():
        if isinstance(record.pole, str):
            fill_of_pole.setdefault(record.pole, colours[record.insee_code])
    items = []
    for record in poles.itertuples():
        items.append(
            f'<li data-pole="{esc(record.pole)}" tabindex="0"><svg class="swatch" aria-hidden="true" viewBox="0 0 1 1">'
            f'<rect width="1" height="1" fill="{esc(fill_of_pole.get(record.pole, "#fff"))}"/></svg>'
            f'<span><b>{esc(record.pole)}</b> {esc(record.pole_name)} — {record.n_communes} communes, '
            f'{fmt.integer(record.population)} inhabitants</span></li>')
    n_alone = int(communes["alone"].astype(bool).sum())
    if n_alone:
        items.append(f'<li><span class="swatch alone" aria-hidden="true"></span><span>alone ({n_alone})</span></li>')
    items.append('<li><svg class="swatch" aria-hidden="true" viewBox="-1 -1 2 2"><path class="seat" '
                 'd="M0 -1 0.26 -0.36 0.95 -0.31 0.43 0.14 0.59 0.81 0 0.45 -0.59 0.81 -0.43 0.14 -0.95 -0.31 -0.26 -0.36Z"/>'
                 '</svg><span>seat of the pole</span></li>')
    return '<ul class="legend" aria-label="Legend">' + "".join(items) + "</ul>"


def services_section(tables) -> str:
    """What each pole runs and how, and each pooled service priced both ways (service model only)."""
    service_columns = [
        Column("pole", "Pole"), Column("service", "Service"),
        Column("mode", "Mode", explain="Régie: the pole's own staff and machines; délégation: contracted out together."),
        Column("n_poolers", "Members pooling", fmt.integer, numeric=True),
        Column("n_borrowers", "Members borrowing machines", fmt.integer, numeric=True),
        Column("fte", "Staff (FTE)", lambda v: fmt.number(v, 1), numeric=True),
        Column("total_eur", "Yearly cost", fmt.money, numeric=True, explain="Staff, machines, travel, contracts and coordination, € per year."),
    ]
    rvd_columns = [
        Column("pole", "Pole"), Column("service", "Service"),
        Column("regie_eur", "In régie", fmt.money, numeric=True), Column("delegation_eur", "Delegated", fmt.money, numeric=True),
        Column("cheaper", "Cheaper"), Column("chosen", "Chosen"),
    ]
    parts = ['<section aria-labelledby="h-services"><h2 id="h-services">Services</h2>',
             "<p>What each pole runs, how, and at what cost (€ a year, excluding VAT).</p>",
             table(service_columns, tables.services.to_dict(orient="records"), table_id="services")]
    if len(tables.regie_vs_delegation):
        parts += ["<h3>Régie or délégation</h3><p>Each pooled service priced both ways for the same members.</p>",
                  table(rvd_columns, tables.regie_vs_delegation.to_dict(orient="records"), table_id="regie-vs-delegation")]
    parts.append("</section>")
    return "".join(parts)


def render_result_html(summary: dict, communes: pd.DataFrame | None, poles: pd.DataFrame | None,
                       territory: Territory, rules: PoleRules, *, description: str = "", labels: str = "auto",
                       service_tables=None, outlines: dict | None = None) -> str:
    """The whole ``report.html`` page as text (see the module docstring). ``outlines``: the
    poles' polygons (:func:`optimiser.results.geo.pole_geometries`), computed when not given."""
    title = f"Pole design — {summary['scenario']}"
    fills = commune_fills(territory, communes)
    records = commune_records(communes)
    svg, points = render_svg_map(territory, communes, labels=labels, title=f"Map of the poles of {territory.name}",
                                 outlines=outlines, fills=fills, records=records)

    cost_columns = [] if communes is None else [c for c in COST_COLUMNS if c.key in communes.columns]
    tips = {}
    for code in territory.codes:
        record = records.get(code) or {"insee_code": code, "population": territory.communes.at[code, "population"]}
        tips[code] = {"name": territory.name_of(code), "rows": tooltip_rows(record, cost_columns), "point": points[code]}

    body = [f"<header><h1>{esc(title)}</h1>",
            f'<p class="lead">{esc(summary["territory"]["name"])}</p>']
    if description:
        body.append(f'<p class="description">{esc(description.strip())}</p>')
    body.append("</header><main>")
    body.append(_status_box(summary))
    repaired = (summary.get("territory") or {}).get("warnings") or []
    if repaired:
        body.append('<section aria-labelledby="h-repaired"><h2 id="h-repaired">Repaired geometries</h2>'
                    "<p>The territory file had invalid polygons; the design was computed on their repaired shapes:</p>"
                    "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in repaired) + "</ul></section>")
    body.append('<section aria-labelledby="h-short"><h2 id="h-short">In short</h2>' + _key_figures(summary, communes, poles) + "</section>")
    body.append('<section aria-labelledby="h-map"><h2 id="h-map">Map</h2>'
                '<p class="hint">Point at a commune, tap it, or move to it with the Tab key to see its details.</p>'
                f'<div class="map-wrap" id="map-wrap">{svg}<div id="tip" class="tip" role="status" aria-live="polite" hidden></div></div>'
                f"{_legend(poles, communes, fills)}</section>")
    if poles is not None and len(poles):
        pole_columns = [
            Column("pole", "Pole"), Column("pole_name", "Name"), Column("seat_name", "Seat"),
            Column("n_communes", "Communes", fmt.integer, numeric=True),
            Column("population", "Population", fmt.integer, numeric=True),
            Column("max_travel_min", "Longest trip", fmt.minutes, numeric=True, explain="Longest road time from a member to the seat."),
            Column("mean_travel_min", "Average trip", fmt.minutes, numeric=True, explain="Average road time to the seat, per inhabitant."),
            Column("members", "Members", lambda v: fmt.text(v).replace("; ", ", ")),
        ]
        shown_elsewhere = {c.key for c in pole_columns} | {"kind", "seat_insee_code", "max_travel_km"}
        pole_columns += [Column(k, k, fmt.auto, numeric=pd.api.types.is_numeric_dtype(poles[k]))
                         for k in poles.columns if k not in shown_elsewhere]  # columns a later model adds
        body.append('<section aria-labelledby="h-poles"><h2 id="h-poles">Poles</h2>'
                    + table(pole_columns, poles.to_dict(orient="records"), table_id="poles",
                            row_attrs=lambda r: {"data-pole": r["pole"]}) + "</section>")
    if service_tables is not None and len(service_tables.services):
        body.append(services_section(service_tables))
    if communes is not None and len(communes):
        columns = _commune_columns(communes, fills)
        ordered = communes.sort_values(["pole", "name"], na_position="last").to_dict(orient="records")
        body.append('<section aria-labelledby="h-communes"><h2 id="h-communes">Communes</h2>'
                    '<p class="hint">Click a column title to sort.</p>'
                    + table(columns, ordered, table_id="communes", row_attrs=lambda r: {"data-code": r["insee_code"]})
                    + explain_columns(columns) + "</section>")
    body.append('<section aria-labelledby="h-rules"><h2 id="h-rules">The rules of this scenario</h2><ul>'
                + "".join(f"<li>{esc(line)}</li>" for line in rules_in_words(rules, summary, territory)) + "</ul></section>")
    body.append('<section aria-labelledby="h-how"><h2 id="h-how">How sure and how to reproduce</h2>'
                + _solver_details(summary)
                + "<p>Everything this result was computed from is in its folder: <code>scenario.resolved.yaml</code> "
                  "(every setting, defaults included) and <code>inputs/</code> (the territory file; its SHA-256 is in "
                  "<code>summary.json</code>). To recompute and check it:</p>"
                  "<pre>optimiser run scenario.resolved.yaml --out reproduced\noptimiser verify .</pre></section>")
    body.append("</main>")
    body.append('<footer><h2>Data</h2>' + "".join(f"<p>{esc(line)}</p>" for line in ATTRIBUTION_LINES)
                + f"<p>Made with optimiser {esc(summary.get('versions', {}).get('optimiser', ''))}.</p></footer>")
    data = {"communes": tips}
    return document(title, "\n".join(body), scripts=[asset("sortable.js"), asset("map.js")], data=data)


def write_report_html(path: Path, result, outlines: dict | None = None) -> None:
    """Write ``report.html`` for a :class:`~optimiser.results.result.Result` that holds its inputs
    (``outlines`` as for :func:`render_result_html`)."""
    territory = result.inputs.territory
    outputs = result.resolved_scenario.get("outputs", {}) or {}
    page = render_result_html(result.summary, result.communes, result.poles, territory, result.inputs.rules,
                              description=result.resolved_scenario.get("description", "") or "",
                              labels=outputs.get("labels", "auto"), service_tables=result.service_tables,
                              outlines=outlines)
    Path(path).write_text(page, encoding="utf-8")
