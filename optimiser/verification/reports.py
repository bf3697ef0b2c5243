"""Check ``report.md`` and ``report.html``: the figures an elected official reads are the
verified ones.

Each report is read back — the markdown tables by their heading, the page's tables by their id
(with the raw number each numeric cell carries in ``data-sort``), its key figures, status box and
solver details — and every figure is compared with the verified files: the status, objective,
bound and gap of ``summary.json``; the territory; the rules asked for; each pole of
``poles.csv``; each commune of ``communes.csv``; and with services the totals and counts, each
pole service, régie against délégation, each member's saving and the core check. Whitespace
is not significant; a figure that differs, a row too many or missing is a violation.
"""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser

from ..results.html import fmt
from ..results.status import status_words

NUMBER = re.compile(r"[−-]?[\d,]*\.?\d+")


def _norm(text) -> str:
    return " ".join(str(text).split())


# ----------------------------------------------------------------------------- report.md


def markdown_tables(text: str) -> dict[str, list[list[str]]]:
    """Heading (without its #s) → rows of the first table under it (header and rule skipped),
    each row its cells, whitespace-normalised."""
    out, heading, rows, in_table = {}, "", None, False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            heading, in_table = _norm(stripped.lstrip("#")), False
            continue
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = [_norm(c) for c in stripped[1:-1].split("|")]
            if not in_table:
                in_table, rows = True, []
                out.setdefault(heading, rows)
                continue  # the header row
            if all(re.fullmatch(r":?-+:?", c) for c in cells if c):
                continue
            rows.append(cells)
        else:
            in_table = False
    return out


def _gap_md(gap) -> str:
    return "n/a" if gap is None else f"{100 * gap:.3f} %"


def _num_md(value) -> str:
    return "n/a" if value is None else f"{value:,.1f}"


def _k(value) -> str:
    return "—" if value is None or value != value else f"{value / 1000:,.1f}"


def _bounds(lo, hi, unit=""):
    if lo is None and hi is None:
        return "free"
    if lo is not None and hi is not None and lo == hi:
        return f"exactly {lo:,.0f}{unit}"
    parts = ([f"at least {lo:,.0f}{unit}"] if lo is not None else []) + ([f"at most {hi:,.0f}{unit}"] if hi is not None else [])
    return ", ".join(parts)


def _compare_rows(where: str, shown: list[list[str]], expected: dict[str, list[str]], key_column: int = 0) -> list[str]:
    """Rows of a report table against the expected rows (key → cells); order is free."""
    out = []
    seen = set()
    for cells in shown:
        key = cells[key_column] if len(cells) > key_column else ""
        if key not in expected:
            out.append(f"{where}: row {' | '.join(cells)!r} is not in the verified data")
            continue
        seen.add(key)
        want = expected[key]
        if cells != want:
            diff = [f"{a!r} (expected {b!r})" for a, b in zip(cells, want) if a != b] or [f"{len(cells)} cells, expected {len(want)}"]
            out.append(f"{where}, row {key}: {', '.join(diff)}")
    missing = [k for k in expected if k not in seen]
    if missing:
        out.append(f"{where}: no row for {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    return out


def markdown_problems(text: str, view) -> list[str]:
    """``view``: the verified data (:class:`ReportView`)."""
    out = []
    lines = {_norm(line) for line in text.splitlines()}
    s = view.summary

    def need(line: str, what: str):
        if _norm(line) not in lines:
            shown = next((x for x in lines if x.startswith(_norm(line)[:20])), None)
            out.append(f"report.md: {what} should read {_norm(line)!r}" + (f", it reads {shown!r}" if shown else ""))

    need(f"# Pole design — {s['scenario']}", "the title")
    need(f"Territory: **{view.territory_name}** — {view.n_communes} communes, {view.population:,} inhabitants.", "the territory")
    words = status_words(s["status"], s.get("gap"))
    if words is not None:
        need(f"Status: {words.markdown.format(gap=_gap_md(s.get('gap')), gap_tol=s['solver_options']['gap'])}.", "the status")
    rules = view.rules
    need(f"- Number of proximity poles: {_bounds(rules.count_min, rules.count_max)}", "the number of poles asked")
    need(f"- Pole population: {_bounds(rules.population_min, rules.population_max, ' inh.')}", "the pole population asked")
    need(f"- Communes per pole: {_bounds(rules.communes_min, rules.communes_max)}", "the communes per pole asked")
    need(f"- Longest trip to the seat: {'no limit' if rules.max_travel_min is None else f'{rules.max_travel_min:g} min'}",
         "the longest trip asked")
    tables = markdown_tables(text)
    unit = view.objective_unit
    found = {row[0]: row[1] for row in tables.get("What was found", []) if len(row) == 2}
    for label, value in (("Objective", f"{_num_md(s.get('objective'))} {unit}"), ("Best bound", f"{_num_md(s.get('bound'))} {unit}"),
                         ("Gap", _gap_md(s.get("gap")))):
        if found.get(label) != _norm(value):
            out.append(f"report.md: {label} reads {found.get(label)!r}, the verified value is {_norm(value)!r}")
    if view.poles is None:
        for heading in ("Poles", "Communes", "Pole services"):
            if tables.get(heading):
                out.append(f"report.md: a table of {heading.lower()} for a result without a design")
        return out
    mean = s.get("mean_travel_min")
    if mean is not None:
        need(f"{s['n_poles']} poles; {s['n_alone']} communes alone; population-weighted mean trip to the seat {mean:.1f} min.",
             "the pole count line")
    poles = {f"{r.pole} {r.pole_name}": [f"{r.pole} {r.pole_name}", r.seat_name, str(r.n_communes), f"{r.population:,}",
                                          f"{r.max_travel_min:.1f}", f"{r.mean_travel_min:.1f}", _norm(r.members)]
             for r in view.poles.itertuples()}
    out += _compare_rows("report.md, table of poles", tables.get("Poles", []), {_norm(k): [_norm(c) for c in v] for k, v in poles.items()})
    communes = {}
    for r in view.communes.itertuples():
        alone = r.seat_insee_code is None
        communes[r.insee_code] = [_norm(r.name), r.insee_code, f"{r.population:,}", "alone" if alone else r.pole,
                                  "—" if alone else _norm(r.seat_name), "—" if alone else f"{r.travel_min:.1f}",
                                  "—" if alone else f"{r.travel_km:.1f}"]
    out += _compare_rows("report.md, table of communes", tables.get("Communes", []), communes, key_column=1)
    if view.services is not None:
        out += _markdown_services(text, tables, view, need)
    return out


def _markdown_services(text, tables, view, need) -> list[str]:
    s, t = view.summary, view.services
    out = []
    need(f"Yearly cost of the six technical services, € HT: status quo (every member alone) **{_k(s['status_quo_cost'])} k€**, "
         f"this design **{_k(s['total_cost'])} k€**, saving **{_k(s['savings'])} k€ ({100 * s['savings_pct']:.1f} %)**.",
         "the cost summary")
    need(f"- {s['services_pooled']} member × service pairs pooled, {s['services_borrowed']} borrowing machines only, "
         f"in {s['pole_services']} pole services.", "the pooling counts")
    need(f"- Cost shares by **{s['fairness_key']}**; voluntary members paying more than alone: {s['voluntary_members_paying_more']}; "
         f"members forced to pool (service commun, force rules) paying more: {s['forced_members_paying_more']}.", "the sharing line")
    need(f"- Core check: {s['blocking_coalitions']} groups of members would pay less on their own "
         f"({s['blocking_coalitions_material']} by 1 % or more; largest gain {s['largest_blocking_gain_eur']:,.0f} €/yr).", "the core line")
    rows = {}
    equipment = t.equipment
    for r in t.services.itertuples():
        machines = equipment[(equipment["pole"] == r.pole) & (equipment["service"] == r.service) & (equipment["units_needed"] > 0)]
        fleet = ", ".join(f"{int(m.units_needed)} {m.equipment}" for m in machines.itertuples()) or "—"
        unit = "—" if r.unit_cost_eur != r.unit_cost_eur else f"{r.unit_cost_eur:,.2f}/{r.unit}"
        rows[f"{r.pole} {r.service}"] = [r.pole, r.service, r.mode, str(r.n_poolers), str(r.n_borrowers), f"{r.fte:.2f}", fleet,
                                         _k(r.total_eur), unit]
    shown = [[f"{c[0]} {c[1]}"] + c for c in tables.get("Pole services", []) if len(c) > 1]
    out += _compare_rows("report.md, table of pole services", shown, {k: [k] + v for k, v in rows.items()})
    rows = {f"{r.pole} {r.service}": [r.pole, r.service, _k(r.regie_eur), _k(r.delegation_eur), r.cheaper,
                                      f"{r.chosen}{'' if r.allowed == 'regie/delegation' else ' (forced)'}"]
            for r in t.regie_vs_delegation.itertuples()}
    shown = [[f"{c[0]} {c[1]}"] + c for c in tables.get("Régie or délégation", []) if len(c) > 1]
    out += _compare_rows("report.md, table of régie or délégation", shown, {k: [k] + v for k, v in rows.items()})
    rows = {}
    for r in t.members.itertuples():
        pct = 100 * r.saving / r.standalone_cost if r.standalone_cost else 0.0
        rows[_norm(r.name)] = [_norm(r.name), _k(r.standalone_cost), _k(r.share), _k(r.saving), f"{pct:+.1f}"]
    out += _compare_rows("report.md, table of member savings", tables.get("What each member saves", []), rows)
    core = t.core.sort_values("gain_eur", ascending=False, kind="stable").head(10)
    rows = {f"{r.pole} {r.service} {_norm(r.group)}": [r.pole, r.service, _norm(r.group), _k(r.pays_now_eur), _k(r.would_pay_alone_eur),
                                                      f"{r.gain_eur:,.0f}"] for r in core.itertuples()}
    shown = [[f"{c[0]} {c[1]} {c[2]}"] + c for c in tables.get("Core check: groups that would rather leave", []) if len(c) > 2]
    out += _compare_rows("report.md, table of the core check", shown, {k: [k] + v for k, v in rows.items()})
    return out


# --------------------------------------------------------------------------- report.html


class _Page(HTMLParser):
    """What the checks read of report.html: tables by id (header labels, rows of (text,
    data-sort)), the key figures, the status word, the solver details, the embedded data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self.figures: dict[str, str] = {}
        self.details: dict[str, str] = {}
        self.status_word: str | None = None
        self.data: str | None = None
        self._stack: list[tuple[str, dict]] = []
        self._text: list[str] | None = None
        self._table: dict | None = None
        self._row: list | None = None
        self._sort = None
        self._dt: str | None = None
        self._in_details = False
        self._th_row: str | None = None
        self._in_figures = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "meta", "link", "img", "input", "rect", "path"):
            return
        self._stack.append((tag, a))
        classes = (a.get("class") or "").split()
        if tag == "table" and a.get("id"):
            self._table = self.tables.setdefault(a["id"], {"header": [], "rows": []})
        elif tag == "table" and "details" in classes:
            self._in_details = True
        elif tag == "dl":
            self._in_figures = "figures" in classes
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") or (tag in ("dt", "dd") and self._in_figures) or (tag == "p" and "status-word" in classes):
            self._text, self._sort = [], a.get("data-sort")
        elif tag == "script" and a.get("id") == "report-data":
            self._text = []

    def handle_startendtag(self, tag, attrs):
        pass  # <rect .../>, <path .../>: no text, nothing to read

    def handle_endtag(self, tag):
        a = {}
        if any(t == tag for t, _ in self._stack):
            while self._stack:
                open_tag, a = self._stack.pop()
                if open_tag == tag:
                    break
        text = _norm("".join(self._text)) if self._text is not None else None
        classes = (a.get("class") or "").split()
        if tag == "table":
            self._table, self._in_details = None, False
        elif tag == "th" and self._table is not None and self._row is not None and text is not None:
            self._table["header"].append(text)
        elif tag == "td" and self._row is not None and text is not None:
            self._row.append((text, self._sort))
        elif tag == "tr" and self._table is not None and self._row is not None:
            if self._row:
                self._table["rows"].append(self._row)
            self._row = None
        elif tag == "th" and self._in_details:
            self._th_row = text
        elif tag == "td" and self._in_details and self._th_row is not None:
            self.details[self._th_row] = text
        elif tag == "dl":
            self._in_figures = False
        elif tag == "dt" and self._in_figures:
            self._dt = text
        elif tag == "dd" and self._in_figures and self._dt is not None:
            self.figures[self._dt] = text
            self._dt = None
        elif tag == "p" and "status-word" in classes and self.status_word is None:
            self.status_word = text
        elif tag == "script" and self._text is not None and self.data is None and not any(t == "script" for t, _ in self._stack):
            self.data = "".join(self._text) or None
        if tag in ("td", "th", "dt", "dd", "p", "script"):
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)


def _html_rows(where: str, table: dict | None, expected: dict[str, dict[str, tuple[str, float | None]]], key: str) -> list[str]:
    """A page table against the expected cells: key → {column label → (text, raw number)}."""
    if table is None:
        return [f"{where}: missing"] if expected else []
    out, seen = [], set()
    header = table["header"]
    for row in table["rows"]:
        cells = dict(zip(header, row))
        k = cells.get(key, ("", None))[0]
        if k not in expected:
            out.append(f"{where}: row {k!r} is not in the verified data")
            continue
        seen.add(k)
        for label, (text, number) in expected[k].items():
            if label not in cells:
                out.append(f"{where}: no column {label!r}")
                continue
            shown, raw = cells[label]
            if shown != _norm(text):
                out.append(f"{where}, row {k}, {label}: {shown!r}, the verified value is {_norm(text)!r}")
            elif number is not None and (raw is None or not math.isclose(float(raw), number, rel_tol=1e-9, abs_tol=1e-9)):
                out.append(f"{where}, row {k}, {label}: sorts as {raw}, the verified value is {number!r}")
    missing = [k for k in expected if k not in seen]
    if missing:
        out.append(f"{where}: no row for {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    return out


def _n(value):
    x = fmt.as_number(value)
    return None if x is None else x


def html_problems(text: str, view) -> list[str]:
    page = _Page()
    page.feed(text)
    s = view.summary
    out = []
    head = fmt.status_short(s["status"], s.get("gap"))
    if page.status_word != _norm(head[:1].upper() + head[1:]):
        out.append(f"report.html: the status box reads {page.status_word!r}, the verified status is {head!r}")
    unit = view.objective_unit
    details = {"Objective (total travel)": f"{fmt.number(s.get('objective'), 1)} {unit}", "Best bound": f"{fmt.number(s.get('bound'), 1)} {unit}",
               "Gap": fmt.percent(s.get("gap"))}
    for label, value in details.items():
        if page.details.get(label) != _norm(value):
            out.append(f"report.html: {label} reads {page.details.get(label)!r}, the verified value is {_norm(value)!r}")
    figures = {"Territory": f"{view.territory_name}: {fmt.integer(view.n_communes)} communes, {fmt.integer(view.population)} inhabitants"}
    if view.poles is not None and len(view.poles):
        n_sc = int((view.poles["pole"] == "SC").sum())
        n_prox = len(view.poles) - n_sc
        poles = f"{n_prox} proximity pole{'s' if n_prox != 1 else ''}" + (" + the service commun" if n_sc else "")
        if s.get("n_alone"):
            poles += f"; {s['n_alone']} commune{'s' if s['n_alone'] != 1 else ''} alone"
        figures["Poles"] = poles
    if s.get("mean_travel_min") is not None:
        figures["Average trip to the seat"] = f"{fmt.minutes(s['mean_travel_min'])} per inhabitant"
    if view.communes is not None and view.communes["travel_min"].notna().any():
        longest = view.communes.loc[view.communes["travel_min"].idxmax()]
        figures["Longest trip to the seat"] = f"{fmt.minutes(longest['travel_min'])} ({longest['name']} → {longest['seat_name']})"
    if view.services is not None:
        figures["Cost with every commune alone"] = f"{fmt.money(s['status_quo_cost'])} per year"
        figures["Total cost of the design"] = f"{fmt.money(s['total_cost'])} per year"
        figures["Saving against every commune alone"] = f"{fmt.signed_money(s['savings'])} per year"
    for label, value in figures.items():
        if page.figures.get(label) != _norm(value):
            out.append(f"report.html: “{label}” reads {page.figures.get(label)!r}, the verified value is {_norm(value)!r}")
    if view.poles is None:
        for table in ("poles", "communes", "services"):
            if table in page.tables:
                out.append(f"report.html: a table of {table} for a result without a design")
        return out
    expected = {}
    for r in view.poles.itertuples():
        expected[r.pole] = {"Name": (r.pole_name, None), "Seat": (r.seat_name, None), "Communes": (fmt.integer(r.n_communes), r.n_communes),
                            "Population": (fmt.integer(r.population), r.population),
                            "Longest trip": (fmt.minutes(r.max_travel_min), r.max_travel_min),
                            "Average trip": (fmt.minutes(r.mean_travel_min), r.mean_travel_min),
                            "Members": (str(r.members).replace("; ", ", "), None)}
    out += _html_rows("report.html, table of poles", page.tables.get("poles"), expected, "Pole")
    expected = {}
    costs = view.commune_costs
    for r in view.communes.itertuples():
        alone = r.seat_insee_code is None
        cells = {"Commune": (r.name, None), "Population": (fmt.integer(r.population), r.population),
                 "Pole": ("alone" if alone else r.pole, None), "Seat": (fmt.text(r.seat_name), None),
                 "Trip to the seat": (fmt.minutes(r.travel_min), _n(r.travel_min)), "Distance": (fmt.km(r.travel_km), _n(r.travel_km))}
        if costs is not None:
            c = costs[r.insee_code]
            # an empty list of services is written as an empty cell and shown as one
            cells.update({"Services pooled": (c["services_pooled"] or "", None),
                          "Cost alone": (fmt.money(c["standalone_cost"]), c["standalone_cost"]),
                          "Share of pooled cost": (fmt.money(c["share"]), c["share"]), "Saving": (fmt.signed_money(c["saving"]), c["saving"])})
        expected[r.insee_code] = cells
    out += _html_rows("report.html, table of communes", page.tables.get("communes"), expected, "INSEE code")
    out += _tooltip_problems(page, view)
    if view.services is not None and len(view.services.services):
        t = view.services
        expected = {f"{r.pole}/{r.service}": {"Mode": (r.mode, None), "Members pooling": (fmt.integer(r.n_poolers), r.n_poolers),
                                              "Members borrowing machines": (fmt.integer(r.n_borrowers), r.n_borrowers),
                                              "Staff (FTE)": (fmt.number(r.fte, 1), r.fte), "Yearly cost": (fmt.money(r.total_eur), r.total_eur)}
                    for r in t.services.itertuples()}
        out += _html_rows("report.html, table of services", _keyed(page.tables.get("services")), expected, "key")
        expected = {f"{r.pole}/{r.service}": {"In régie": (fmt.money(r.regie_eur), r.regie_eur),
                                              "Delegated": (fmt.money(r.delegation_eur), r.delegation_eur),
                                              "Cheaper": (r.cheaper, None), "Chosen": (r.chosen, None)}
                    for r in t.regie_vs_delegation.itertuples()}
        out += _html_rows("report.html, table of régie or délégation", _keyed(page.tables.get("regie-vs-delegation")), expected, "key")
    return out


def _keyed(table: dict | None) -> dict | None:
    """A table whose rows are keyed by pole and service together (column ``key``)."""
    if table is None:
        return None
    header = table["header"]
    rows = []
    for row in table["rows"]:
        cells = dict(zip(header, row))
        rows.append([(f"{cells.get('Pole', ('', None))[0]}/{cells.get('Service', ('', None))[0]}", None)] + row)
    return {"header": ["key"] + header, "rows": rows}


def _tooltip_problems(page: _Page, view) -> list[str]:
    """The map's tooltips (what a commune shows under the pointer): population, pole, seat, trip."""
    if page.data is None:
        return ["report.html: no map data (script report-data)"]
    try:
        tips = json.loads(page.data)["communes"]
    except (ValueError, KeyError, TypeError):
        return ["report.html: the map data (script report-data) is not readable"]
    out = []
    for r in view.communes.itertuples():
        rows = dict((label, value) for label, value in (tips.get(r.insee_code) or {}).get("rows", []) if isinstance(label, str))
        want = {"Population": fmt.integer(r.population)}
        if r.seat_insee_code is None:
            want["Pole"] = "none: stays alone"
        else:
            want["Pole"] = f"{r.pole} — {r.pole_name}"
            if r.seat_insee_code != r.insee_code:
                want["Seat"] = fmt.text(r.seat_name)
                want["Trip to the seat"] = f"{fmt.minutes(r.travel_min)} ({fmt.km(r.travel_km)})"
        wrong = [f"{k} {rows.get(k)!r} (expected {v!r})" for k, v in want.items() if rows.get(k) != v]
        if wrong:
            out.append(f"report.html, map tooltip of {r.name}: {', '.join(wrong)}")
    return out
