"""Checks of a pole design: ``communes.csv``, ``poles.csv`` and the design figures of
``summary.json``, against the rules and the travel the verifier recomputed.

Pole ids follow the tables' convention: the service commun is ``SC`` (named after the scenario's
service commun), proximity poles ``P1``, ``P2``, ... by decreasing population (ties by seat code),
each named ``Pôle <seat>``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import pandas as pd

from ..results.records import row_tuples
from .files import ResultFolder

TIME_TOLERANCE_MIN = 1e-3
RELATIVE_TOLERANCE = 1e-6

COMMUNE_COLUMNS = {
    "insee_code": "code", "name": "text", "population": "int", "pole": "code?", "pole_name": "text?",
    "seat_insee_code": "code?", "seat_name": "text?", "is_seat": "bool", "alone": "bool", "travel_min": "float?",
    "travel_km": "float?",
}
POLE_COLUMNS = {
    "pole": "code", "pole_name": "text", "kind": "text", "seat_insee_code": "code", "seat_name": "text",
    "n_communes": "int", "population": "int", "max_travel_min": "float", "mean_travel_min": "float",
    "max_travel_km": "float?", "members": "text",
}
SERVICE_COMMUN_ID, SERVICE_COMMUN_KIND, PROXIMITY_KIND = "SC", "service commun", "proximity pole"


@dataclass
class Design:
    """A design as read from ``communes.csv``, with what the checks share.

    ``seat_of``: commune → its seat (``None`` alone); ``members``: seat → its communes;
    ``times`` / ``km``: the verifier's own travel (minutes, km) indexed by ``index``.
    """

    loaded: object
    territory: object
    rules: object
    summary: dict
    communes: pd.DataFrame
    poles: pd.DataFrame
    nbrs: dict
    times: np.ndarray
    km: object
    seat_of: dict = field(default_factory=dict)
    pole_of: dict = field(default_factory=dict)
    members: dict = field(default_factory=dict)

    def __post_init__(self):
        self.index = {c: k for k, c in enumerate(self.territory.codes)}
        self.population = self.territory.communes["population"]
        for r in row_tuples(self.communes):
            self.seat_of[r.insee_code] = r.seat_insee_code
            self.pole_of[r.insee_code] = r.pole
        for c in self.territory.codes:  # territory order: members lists do not depend on the file's row order
            s = self.seat_of.get(c)
            if s is not None:
                self.members.setdefault(s, []).append(c)

    def time(self, a: str, b: str) -> float:
        return float(self.times[self.index[a], self.index[b]])

    def distance(self, a: str, b: str) -> float | None:
        d = self.km[self.index[a], self.index[b]]
        return None if d is None else float(d)

    @property
    def service_commun_seat(self) -> str | None:
        sc = self.rules.service_commun
        return sc.seat if sc is not None else None

    def expected_pole_ids(self) -> dict[str, tuple[str, str, str]]:
        """Seat → (pole id, pole name, kind) by the tables' convention (module docstring)."""
        totals = {s: int(sum(self.population[m] for m in ms)) for s, ms in self.members.items() if s in self.index}
        sc = self.rules.service_commun
        out = {}
        if sc is not None and sc.seat in totals:
            out[sc.seat] = (SERVICE_COMMUN_ID, sc.name, SERVICE_COMMUN_KIND)
        ordered = sorted((s for s in totals if s != self.service_commun_seat), key=lambda s: (-totals[s], s))
        for k, s in enumerate(ordered, 1):
            out[s] = (f"P{k}", f"Pôle {self.territory.name_of(s)}", PROXIMITY_KIND)
        return out

    def mean_travel(self, codes) -> float | None:
        """Population-weighted mean minutes to the seat over ``codes`` (plain mean without people)."""
        codes = [c for c in codes if self.seat_of.get(c) is not None]
        if not codes:
            return None
        t = np.array([self.time(c, self.seat_of[c]) for c in codes])
        w = np.array([float(self.population[c]) for c in codes])
        return float(np.average(t, weights=w)) if w.sum() > 0 else float(t.mean())


def read_design(folder: ResultFolder):
    """(communes, poles) tables, strictly read."""
    return (folder.table("communes.csv", COMMUNE_COLUMNS, "a result with a design lists every commune in it"),
            folder.table("poles.csv", POLE_COLUMNS, "a result with a design lists its poles in it"))


def placement_problems(territory, communes: pd.DataFrame) -> list[str]:
    codes = territory.codes
    listed = list(communes["insee_code"])
    out = [f"{code} listed {count} times" for code, count in pd.Series(listed, dtype=object).value_counts().items() if count > 1]
    listed_set = set(listed)
    out += [f"{c} ({territory.name_of(c)}) missing from communes.csv" for c in codes if c not in listed_set]
    out += [f"{c} is not a commune of the territory" for c in sorted(listed_set - set(codes))]
    return out


def seat_problems(d: Design) -> list[str]:
    out = []
    t = d.territory
    for s, ms in d.members.items():
        if s not in d.index:
            out.append(f"seat {s} is not a commune of the territory")
        elif d.seat_of[s] != s:
            out.append(f"seat {t.label(s)} is not in its own pole (it is in the pole of {d.seat_of[s]})")
        if len({d.pole_of[m] for m in ms}) != 1:
            out.append(f"members of the pole seated at {s} carry different pole ids")
    for c in t.codes:
        if (d.seat_of[c] is None) != (d.pole_of[c] is None):
            out.append(f"{t.label(c)}: pole and seat disagree about being alone")
    return out


def commune_table_problems(d: Design) -> list[str]:
    """Every column of communes.csv: names, population, pole ids and names, flags, travel."""
    out = []
    t = d.territory
    ids = d.expected_pole_ids()
    for r in row_tuples(d.communes):
        c, s = r.insee_code, r.seat_insee_code
        where = f"{t.label(c)}"
        if r.name != t.name_of(c):
            out.append(f"{where}: name {r.name!r}, the territory says {t.name_of(c)!r}")
        if r.population != int(d.population[c]):
            out.append(f"{where}: population {r.population}, the territory says {int(d.population[c])}")
        if r.alone != (s is None):
            out.append(f"{where}: alone is {r.alone} but it {'has no' if s is None else 'has a'} seat")
        if r.is_seat != (s == c):
            out.append(f"{where}: is_seat is {r.is_seat} but its seat is {s}")
        if s is None:
            if r.pole_name is not None or r.seat_name is not None or not math.isnan(r.travel_min) or not math.isnan(r.travel_km):
                out.append(f"{where}: alone, yet a pole name, seat name or travel is given")
            continue
        if s in ids:
            pole, name, _ = ids[s]
            if r.pole != pole:
                out.append(f"{where}: pole {r.pole}, but the pole seated at {t.name_of(s)} is {pole} "
                           "(SC for the service commun, then P1, P2, ... by decreasing population)")
            if r.pole_name != name:
                out.append(f"{where}: pole_name {r.pole_name!r}, expected {name!r}")
        if s in d.index and r.seat_name != t.name_of(s):
            out.append(f"{where}: seat_name {r.seat_name!r}, the seat {s} is {t.name_of(s)!r}")
    return out


def size_problems(d: Design) -> list[str]:
    rules, t = d.rules, d.territory
    proximity = {s: ms for s, ms in d.members.items() if s != d.service_commun_seat}
    out = []
    for s, ms in proximity.items():
        pop = int(sum(d.population[m] for m in ms))
        if rules.population_min is not None and pop < rules.population_min - 1e-6:
            out.append(f"pole of {t.label(s)} has {pop:,} inhabitants < {rules.population_min:,.0f}")
        if rules.population_max is not None and pop > rules.population_max + 1e-6:
            out.append(f"pole of {t.label(s)} has {pop:,} inhabitants > {rules.population_max:,.0f}")
        if rules.communes_min is not None and len(ms) < rules.communes_min:
            out.append(f"pole of {t.label(s)} has {len(ms)} communes < {rules.communes_min}")
        if rules.communes_max is not None and len(ms) > rules.communes_max:
            out.append(f"pole of {t.label(s)} has {len(ms)} communes > {rules.communes_max}")
    if rules.mode == "p-median" and len(d.members) != rules.count_min:
        out.append(f"{len(d.members)} poles, p = {rules.count_min}")
    elif rules.mode != "p-median":
        if rules.count_min is not None and len(proximity) < rules.count_min:
            out.append(f"{len(proximity)} proximity poles < {rules.count_min}")
        if rules.count_max is not None and len(proximity) > rules.count_max:
            out.append(f"{len(proximity)} proximity poles > {rules.count_max}")
    return out


def cutoff_problems(d: Design) -> list[str]:
    out = []
    limit = d.rules.max_travel_min
    for c in d.territory.codes:
        s = d.seat_of[c]
        if s is not None and limit is not None and d.time(c, s) > limit + TIME_TOLERANCE_MIN:
            out.append(f"{d.territory.label(c)} is {d.time(c, s):.2f} min from its seat {d.territory.label(s)} > {limit:g}")
    return out


def reported_travel_problems(d: Design) -> list[str]:
    out = []
    for r in row_tuples(d.communes):
        s = d.seat_of[r.insee_code]
        if s is None:
            continue
        t = d.time(r.insee_code, s)
        if not abs(t - r.travel_min) <= max(TIME_TOLERANCE_MIN, 1e-4 * t):
            out.append(f"{r.name}: travel_min {r.travel_min} but recomputed {t:.3f}")
        km = d.distance(r.insee_code, s)
        if km is not None and not abs(km - r.travel_km) <= max(1e-3, 1e-4 * km):
            out.append(f"{r.name}: travel_km {r.travel_km} but recomputed {km:.3f}")
    return out


def contiguity_problems(d: Design) -> list[str]:
    out = []
    contiguity, t = d.rules.contiguity, d.territory
    if contiguity == "none":
        return out
    for s, ms in d.members.items():
        inside = set(ms)
        graph = nx.Graph()
        graph.add_nodes_from(ms)
        graph.add_edges_from((a, b) for a in ms for b in d.nbrs[a] if b in inside)
        if not nx.is_connected(graph):
            parts = [sorted(t.name_of(c) for c in p) for p in nx.connected_components(graph)]
            out.append(f"pole of {t.label(s)} is in {len(parts)} pieces: {parts}")
        if contiguity == "shortest-path":
            for m in ms:
                if m != s and not any(k in inside and d.time(k, s) < d.time(m, s) - 1e-9 for k in d.nbrs[m]):
                    out.append(f"{t.label(m)} has no neighbour in its pole closer to the seat {t.label(s)}")
    return out


def seat_rule_problems(d: Design) -> list[str]:
    rules, t = d.rules, d.territory
    out = []
    seats = set(d.members)
    out += [f"fixed seat {t.label(j)} is not a seat" for j in rules.fixed_seats if j not in seats]
    out += [f"forbidden seat {t.label(j)} is a seat" for j in rules.forbidden_seats if j in seats]
    if rules.candidate_seats is not None:
        allowed = set(rules.candidate_seats) | set(rules.fixed_seats)
        if rules.service_commun:
            allowed.add(rules.service_commun.seat)
        out += [f"{t.label(j)} is a seat but not a candidate seat" for j in sorted(seats - allowed)]
    return out


def inventory_teams(inventory) -> set[str]:
    """Members whose inventory shows a team: at least 1 FTE in régie, given (not estimated),
    summed over their services."""
    fte: dict[str, float] = {}
    for (member, _service), row in inventory.services.items():
        if row.mode == "regie" and "fte" not in row.estimated:
            fte[member] = fte.get(member, 0.0) + float(row.fte)
    return {member for member, total in fte.items() if total >= 1.0}


def seat_share_problems(d: Design, inventory) -> list[str]:
    """The seat rule of a services run (``poles.seats``): the seat of every proximity pole holds
    at least ``min_population_share`` of its pole's inhabitants, p_seat ≥ σ Σ_members p_i, unless
    ``team_seats`` is on and its inventory shows a team (:func:`inventory_teams`). The service
    commun's seat is the scenario's, not the rule's."""
    seats = d.loaded.scenario.poles.seats
    share = float(seats.min_population_share)
    if share <= 0:
        return []
    teams = inventory_teams(inventory) if seats.team_seats else set()
    out = []
    for s, ms in d.members.items():
        if s == d.service_commun_seat or s not in d.index or s in teams:
            continue
        pole_pop = float(sum(d.population[m] for m in ms))
        seat_pop = float(d.population[s])
        if seat_pop < share * pole_pop - 1e-6:
            out.append(f"{d.pole_of[s]}: its seat {d.territory.label(s)} holds {seat_pop:,.0f} of the pole's {pole_pop:,.0f} "
                       f"inhabitants ({seat_pop / pole_pop:.1%}), below poles.seats.min_population_share {share:g}, "
                       f"and {'its inventory shows no team' if seats.team_seats else 'team seats are off (poles.seats.team_seats)'}")
    return out


def group_problems(d: Design) -> list[str]:
    rules, t, seat_of = d.rules, d.territory, d.seat_of
    out = []
    for group in rules.together:
        if len({seat_of[c] for c in group}) != 1 or seat_of[group[0]] is None:
            out.append(f"together group {[t.name_of(c) for c in group]} is split")
    for a, b in rules.apart:
        if seat_of[a] is not None and seat_of[a] == seat_of[b]:
            out.append(f"{t.label(a)} and {t.label(b)} must be apart but share a pole")
    sc = rules.service_commun
    if sc is not None:
        for m in sc.members:
            if seat_of[m] != sc.seat:
                out.append(f"service commun member {t.label(m)} is not in the pole seated at {t.label(sc.seat)}")
        if not sc.open_to_others:
            out += [f"{t.label(c)} joined the closed service commun" for c in d.members.get(sc.seat, []) if c not in sc.members]
    alone = [c for c in t.codes if seat_of[c] is None]
    out += [f"{t.label(c)} is alone but not allowed to be" for c in alone if c not in rules.allow_alone]
    if rules.max_alone is not None and len(alone) > rules.max_alone:
        out.append(f"{len(alone)} communes alone > max_alone {rules.max_alone}")
    return out


def pole_table_problems(d: Design) -> list[str]:
    """Every column of poles.csv, from the members communes.csv gives each seat."""
    out = []
    t = d.territory
    by_id = {d.pole_of[s]: s for s in d.members}
    listed = list(d.poles["pole"])
    if sorted(listed) != sorted(by_id) or len(set(listed)) != len(listed):
        return [f"poles.csv lists {sorted(listed)}, communes.csv has {sorted(by_id)}"]
    ids = d.expected_pole_ids()
    for r in row_tuples(d.poles):
        s = by_id[r.pole]
        ms = d.members[s]
        if r.seat_insee_code != s:
            out.append(f"{r.pole}: seat {r.seat_insee_code} but communes.csv says {s}")
        if s not in d.index:
            continue
        if s in ids and (r.pole_name, r.kind) != ids[s][1:]:
            out.append(f"{r.pole}: name {r.pole_name!r}, kind {r.kind!r}; expected {ids[s][1]!r}, {ids[s][2]!r}")
        if r.seat_name != t.name_of(s):
            out.append(f"{r.pole}: seat_name {r.seat_name!r}, the seat {s} is {t.name_of(s)!r}")
        if r.n_communes != len(ms):
            out.append(f"{r.pole}: n_communes {r.n_communes} but {len(ms)} members")
        pop = int(sum(d.population[m] for m in ms))
        if r.population != pop:
            out.append(f"{r.pole}: population {r.population} but members hold {pop}")
        longest = max(d.time(m, s) for m in ms)
        if not math.isclose(r.max_travel_min, longest, abs_tol=TIME_TOLERANCE_MIN, rel_tol=1e-4):
            out.append(f"{r.pole}: max_travel_min {r.max_travel_min} but recomputed {longest:.3f}")
        mean = d.mean_travel(ms)
        if not math.isclose(r.mean_travel_min, mean, abs_tol=TIME_TOLERANCE_MIN, rel_tol=1e-4):
            out.append(f"{r.pole}: mean_travel_min {r.mean_travel_min} but the population-weighted mean is {mean:.3f}")
        far = [d.distance(m, s) for m in ms]
        if None not in far and not math.isclose(r.max_travel_km, max(far), abs_tol=1e-3, rel_tol=1e-4):
            out.append(f"{r.pole}: max_travel_km {r.max_travel_km} but recomputed {max(far):.3f}")
        names = sorted(x.strip() for x in str(r.members).split(";"))
        if names != sorted(t.name_of(m) for m in ms):
            out.append(f"{r.pole}: members {r.members!r}, but communes.csv puts {'; '.join(sorted(t.name_of(m) for m in ms))} in it")
        if "on_its_own" in d.poles.columns:  # a proximity pole of one commune (results.single)
            single = s != d.service_commun_seat and len(ms) == 1
            if str(r.on_its_own).strip() != str(single):
                out.append(f"{r.pole}: on_its_own {r.on_its_own!r}, but it is {'' if single else 'not '}a proximity pole of one commune")
    return out


def summary_design_problems(d: Design) -> list[str]:
    """The design figures of summary.json (the reports print them)."""
    s, out = d.summary, []
    placed = [c for c in d.territory.codes if d.seat_of[c] is not None]
    n_alone = len(d.territory.codes) - len(placed)
    if s["n_poles"] != len(d.members):
        out.append(f"n_poles {s['n_poles']} but the design has {len(d.members)} poles")
    if s["n_alone"] != n_alone:
        out.append(f"n_alone {s['n_alone']} but {n_alone} communes are alone")
    mean = d.mean_travel(placed)
    reported = s.get("mean_travel_min")
    # the tables average travel_min as written (rounded to 1e-3 min)
    if (mean is None) != (reported is None) or (mean is not None and not math.isclose(reported, mean, abs_tol=TIME_TOLERANCE_MIN)):
        out.append(f"mean_travel_min {reported} but the population-weighted mean trip is {mean}")
    return out


def travel_objective(d: Design) -> float:
    """Population-weighted travel (minutes or km), alone communes at their penalty."""
    rules = d.rules
    total = 0.0
    for c in d.territory.codes:
        s = d.seat_of[c]
        if s is None:
            total += float(d.population[c]) * rules.alone_penalty
        elif c != s:
            if rules.travel_metric == "time":
                total += float(d.population[c]) * d.time(c, s)
            else:
                km = d.distance(c, s)
                if km is None:  # a road network: km cannot be re-derived, the reported km stands in
                    km = float(d.communes.loc[d.communes["insee_code"] == c, "travel_km"].iloc[0])
                total += float(d.population[c]) * km
    return total


def objective_problems(d: Design) -> list[str]:
    objective = travel_objective(d)
    reported = d.summary.get("objective")
    close = reported is not None and abs(objective - reported) <= RELATIVE_TOLERANCE * max(1.0, abs(objective))
    return [] if close else [f"summary.json says {reported}, recomputed {objective:.6f}"]
