"""Independent verifier: re-check a result folder from its files alone.

It shares no code with the model builders or the solver layer. From ``inputs/`` and
``scenario.resolved.yaml`` it recomputes the neighbours (pairwise polygon borders, no spatial
index), the travel times (Floyd–Warshall on the commune graph, or networkx Dijkstra on a road
network) and the objective, then checks every rule against ``communes.csv``, ``poles.csv`` and
``summary.json``:

* every commune of the territory is placed exactly once, and no unknown commune is listed;
* every seat lies inside its own pole; pole ids, seats and names are consistent;
* pole population and commune-count bounds, the number of poles, the travel cut-off;
* contiguity as the scenario asked (exact: each pole connected; shortest-path: every member has
  a neighbour in its pole strictly closer to the seat);
* fixed, forbidden and candidate seats, 'together' and 'apart', the service commun, opt-outs;
* the reported travel times, the pole table and the objective match the recomputation;
* the status is honest: ``optimal`` only with a gap within tolerance, bound ≤ objective.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import shapely

from .errors import OptimiserError
from .inputs.preparation import build_road_graph, load_territory, resolve_rules
from .results.result import read_communes_csv
from .scenario.load import LoadedScenario, validate_scenario
from .scenario.yaml_io import read_yaml
from .territory import CommuneLookup
from .territory.geo import LocalProjection, haversine_km

TIME_TOLERANCE_MIN = 1e-3
RELATIVE_TOLERANCE = 1e-6


@dataclass
class Verification:
    """Outcome of :func:`verify_result`: the checks that passed and the violations found."""

    passed: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def check(self, name: str, problems: list[str]) -> None:
        if problems:
            self.violations += [f"{name}: {p}" for p in problems[:20]]
            if len(problems) > 20:
                self.violations.append(f"{name}: ... and {len(problems) - 20} more")
        else:
            self.passed.append(name)


def _floyd_warshall(n: int, edges: list[tuple[int, int, float]]) -> np.ndarray:
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0.0)
    for a, b, w in edges:
        if w < dist[a, b]:
            dist[a, b] = dist[b, a] = w
    for k in range(n):
        dist = np.minimum(dist, dist[:, k:k + 1] + dist[k:k + 1, :])
    return dist


def verify_result(folder: str | Path) -> Verification:
    """Re-check the result in ``folder`` (see module docstring)."""
    folder = Path(folder)
    v = Verification()
    missing = [f for f in ("summary.json", "scenario.resolved.yaml") if not (folder / f).exists()]
    if missing:
        v.check("files", [f"missing {f}" for f in missing])
        return v
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    raw, lines = read_yaml(folder / "scenario.resolved.yaml")
    scenario = validate_scenario(raw, str(folder / "scenario.resolved.yaml"), lines)
    loaded = LoadedScenario(scenario=scenario, source=folder / "scenario.resolved.yaml", base_dir=folder.resolve(), raw=raw, lines=lines)
    has_design = summary["status"] in ("optimal", "feasible")
    v.check("status is honest", _status_problems(summary, scenario))
    if not has_design:
        return v
    for name in ("communes.csv", "poles.csv"):
        if not (folder / name).exists():
            v.check("files", [f"missing {name}"])
            return v

    territory = load_territory(loaded)
    if territory.sha256 != summary["territory"]["sha256"]:
        v.check("inputs", [f"territory file hash {territory.sha256[:12]} differs from summary.json {summary['territory']['sha256'][:12]}"])
    rules = resolve_rules(loaded, territory)
    communes = read_communes_csv(folder / "communes.csv")
    poles = pd.read_csv(folder / "poles.csv", dtype={"seat_insee_code": str, "pole": str})

    codes = territory.codes
    listed = list(communes["insee_code"])
    placement = []
    for code, count in pd.Series(listed).value_counts().items():
        if count > 1:
            placement.append(f"{code} listed {count} times")
    listed_set = set(listed)
    placement += [f"{c} ({territory.name_of(c)}) missing from communes.csv" for c in codes if c not in listed_set]
    placement += [f"{c} is not a commune of the territory" for c in sorted(listed_set - set(codes))]
    v.check("every commune placed exactly once", placement)
    if placement:
        return v

    seat_of = {r.insee_code: (r.seat_insee_code if isinstance(r.seat_insee_code, str) else None) for r in communes.itertuples()}
    pole_of = {r.insee_code: (r.pole if isinstance(r.pole, str) else None) for r in communes.itertuples()}
    members: dict[str, list[str]] = {}
    for c, s in seat_of.items():
        if s is not None:
            members.setdefault(s, []).append(c)

    seats_problems = []
    for s, ms in members.items():
        if s not in seat_of:
            seats_problems.append(f"seat {s} is not a commune of the territory")
        elif seat_of[s] != s:
            seats_problems.append(f"seat {territory.label(s)} is not in its own pole (it is in the pole of {seat_of[s]})")
        if len({pole_of[m] for m in ms}) != 1:
            seats_problems.append(f"members of the pole seated at {s} carry different pole ids")
    for c in codes:
        if (seat_of[c] is None) != (pole_of[c] is None):
            seats_problems.append(f"{territory.label(c)}: pole and seat disagree about being alone")
    v.check("seats inside their poles", seats_problems)

    # Independent travel times.
    nbrs = _border_neighbours(territory, scenario.territory.min_shared_border_m / 1000.0)
    times, km = _travel(loaded, territory, nbrs)
    index = {c: k for k, c in enumerate(codes)}
    for link in scenario.roads.extra_links:
        a, b = (_lookup(territory, x) for x in link.between)
        nbrs[a].add(b)
        nbrs[b].add(a)

    sc = rules.service_commun
    proximity = {s: ms for s, ms in members.items() if not (sc and s == sc.seat)}
    population = territory.communes["population"]

    size = []
    for s, ms in proximity.items():
        pop = int(sum(population[m] for m in ms))
        if rules.population_min is not None and pop < rules.population_min - 1e-6:
            size.append(f"pole of {territory.label(s)} has {pop:,} inhabitants < {rules.population_min:,.0f}")
        if rules.population_max is not None and pop > rules.population_max + 1e-6:
            size.append(f"pole of {territory.label(s)} has {pop:,} inhabitants > {rules.population_max:,.0f}")
        if rules.communes_min is not None and len(ms) < rules.communes_min:
            size.append(f"pole of {territory.label(s)} has {len(ms)} communes < {rules.communes_min}")
        if rules.communes_max is not None and len(ms) > rules.communes_max:
            size.append(f"pole of {territory.label(s)} has {len(ms)} communes > {rules.communes_max}")
    if rules.mode == "p-median" and len(members) != rules.count_min:
        size.append(f"{len(members)} poles, p = {rules.count_min}")
    elif rules.mode != "p-median":
        if rules.count_min is not None and len(proximity) < rules.count_min:
            size.append(f"{len(proximity)} proximity poles < {rules.count_min}")
        if rules.count_max is not None and len(proximity) > rules.count_max:
            size.append(f"{len(proximity)} proximity poles > {rules.count_max}")
    v.check("pole size and count bounds", size)

    travel = []
    for c in codes:
        s = seat_of[c]
        if s is None:
            continue
        t = times[index[c], index[s]]
        if rules.max_travel_min is not None and t > rules.max_travel_min + TIME_TOLERANCE_MIN:
            travel.append(f"{territory.label(c)} is {t:.2f} min from its seat {territory.label(s)} > {rules.max_travel_min:g}")
    v.check("travel cut-off", travel)

    reported = []
    for r in communes.itertuples():
        if seat_of[r.insee_code] is None:
            continue
        t = times[index[r.insee_code], index[seat_of[r.insee_code]]]
        if abs(t - r.travel_min) > max(TIME_TOLERANCE_MIN, 1e-4 * t):
            reported.append(f"{r.name}: travel_min {r.travel_min} but recomputed {t:.3f}")
        d = km[index[r.insee_code], index[seat_of[r.insee_code]]]
        if d is not None and abs(d - r.travel_km) > max(1e-3, 1e-4 * d):
            reported.append(f"{r.name}: travel_km {r.travel_km} but recomputed {d:.3f}")
    v.check("reported travel times", reported)

    v.check("contiguity", _contiguity_problems(rules.contiguity, members, nbrs, times, index, territory))
    v.check("seat rules", _seat_rule_problems(rules, members, seat_of, territory))
    v.check("together, apart, service commun, opt-out", _group_problems(rules, seat_of, members, territory))
    v.check("pole table", _pole_table_problems(poles, members, pole_of, population, times, index, territory))

    if "total_cost" in summary:
        # With services the objective is the total cost (plus any priced travel): checked there.
        from .inputs.preparation import prepare
        from .verify_services import verify_services

        verify_services(folder, prepare(loaded), summary, communes, v.check)
    else:
        # Poles only: the objective is population-weighted travel, alone communes at their penalty.
        metric = times if rules.travel_metric == "time" else km
        objective = 0.0
        for c in codes:
            s = seat_of[c]
            objective += population[c] * (rules.alone_penalty if s is None else (metric[index[c], index[s]] if c != s else 0.0))
        reported_objective = summary.get("objective")
        close = reported_objective is not None and abs(objective - reported_objective) <= RELATIVE_TOLERANCE * max(1.0, abs(objective))
        v.check("objective", [] if close else [f"summary.json says {reported_objective}, recomputed {objective:.6f}"])
    return v


def _lookup(territory, ref) -> str:
    code, message = CommuneLookup(territory).resolve(ref)
    if code is None:
        raise OptimiserError(message)
    return code


def _border_neighbours(territory, threshold_km: float) -> dict[str, set[str]]:
    codes = territory.codes
    projection = LocalProjection.around(territory.communes["lon"], territory.communes["lat"])
    geoms = [projection.geometry_to_km(territory.geometry[c]) for c in codes]
    bounds = np.array([g.bounds for g in geoms])
    out = {c: set() for c in codes}
    for a in range(len(codes)):
        rest = bounds[a + 1:]
        overlap = np.nonzero((rest[:, 0] <= bounds[a, 2]) & (rest[:, 2] >= bounds[a, 0])
                             & (rest[:, 1] <= bounds[a, 3]) & (rest[:, 3] >= bounds[a, 1]))[0] + a + 1
        for b in overlap:
            if geoms[a].boundary.intersection(geoms[b].boundary).length > threshold_km:
                out[codes[a]].add(codes[b])
                out[codes[b]].add(codes[a])
    return out


def _travel(loaded, territory, nbrs):
    """Minutes and km between communes, recomputed (km is None-filled when the path is ambiguous)."""
    scenario = loaded.scenario
    roads = scenario.roads
    codes = territory.codes
    index = {c: k for k, c in enumerate(codes)}
    frame = territory.communes
    if roads.network is None:
        edges_min = []
        for a in codes:
            for b in nbrs[a]:
                if index[a] < index[b]:
                    d = float(haversine_km(frame.at[a, "lon"], frame.at[a, "lat"], frame.at[b, "lon"], frame.at[b, "lat"]))
                    k = roads.circuity * d
                    edges_min.append((index[a], index[b], 60.0 * k / roads.speed_kmh))
        custom_time = False
        for link in roads.extra_links:
            a, b = (_lookup(territory, x) for x in link.between)
            d = float(haversine_km(frame.at[a, "lon"], frame.at[a, "lat"], frame.at[b, "lon"], frame.at[b, "lat"]))
            k = link.km if link.km is not None else roads.circuity * d
            t = link.time_min if link.time_min is not None else 60.0 * k / roads.speed_kmh
            custom_time |= link.time_min is not None or link.km is not None
            edges_min.append((index[a], index[b], t))
        times = _floyd_warshall(len(codes), edges_min)
        if custom_time:
            return times, _NoKm()  # speeds differ along paths: km is not times × speed
        return times, times * roads.speed_kmh / 60.0
    road = build_road_graph(loaded, territory)
    times = np.full((len(codes), len(codes)), np.inf)
    for a in codes:
        lengths = nx.single_source_dijkstra_path_length(road.graph, ("commune", a), weight="min")
        for b in codes:
            times[index[a], index[b]] = lengths.get(("commune", b), np.inf)
    return times, _NoKm()


class _NoKm:
    """Stands for a km matrix the verifier cannot recompute independently (non-uniform speeds)."""

    def __getitem__(self, key):
        return None


def _status_problems(summary: dict, scenario) -> list[str]:
    out = []
    status = summary["status"]
    objective, bound, gap = summary.get("objective"), summary.get("bound"), summary.get("gap")
    if status in ("optimal", "feasible") and objective is None:
        out.append(f"status {status} without an objective")
    if objective is not None and bound is not None and bound > objective + 1e-6 * max(1.0, abs(objective)):
        out.append(f"bound {bound} above objective {objective}")
    if status == "optimal":
        if gap is None:
            out.append("optimal without a gap")
        elif gap > scenario.solver.gap + 1e-9:
            out.append(f"called optimal with a gap of {gap:.2e} > tolerance {scenario.solver.gap:g}")
    if status == "feasible" and gap is not None and gap <= 0 and bound is None:
        out.append("feasible with no bound")
    return out


def _contiguity_problems(contiguity, members, nbrs, times, index, territory) -> list[str]:
    out = []
    if contiguity == "none":
        return out
    for s, ms in members.items():
        inside = set(ms)
        graph = nx.Graph()
        graph.add_nodes_from(ms)
        graph.add_edges_from((a, b) for a in ms for b in nbrs[a] if b in inside)
        if not nx.is_connected(graph):
            parts = [sorted(territory.name_of(c) for c in p) for p in nx.connected_components(graph)]
            out.append(f"pole of {territory.label(s)} is in {len(parts)} pieces: {parts}")
        if contiguity == "shortest-path":
            for m in ms:
                if m == s:
                    continue
                closer = [k for k in nbrs[m] if k in inside and times[index[k], index[s]] < times[index[m], index[s]] - 1e-9]
                if not closer:
                    out.append(f"{territory.label(m)} has no neighbour in its pole closer to the seat {territory.label(s)}")
    return out


def _seat_rule_problems(rules, members, seat_of, territory) -> list[str]:
    out = []
    seats = set(members)
    for j in rules.fixed_seats:
        if j not in seats:
            out.append(f"fixed seat {territory.label(j)} is not a seat")
    for j in rules.forbidden_seats:
        if j in seats:
            out.append(f"forbidden seat {territory.label(j)} is a seat")
    if rules.candidate_seats is not None:
        allowed = set(rules.candidate_seats) | set(rules.fixed_seats)
        if rules.service_commun:
            allowed.add(rules.service_commun.seat)
        for j in seats - allowed:
            out.append(f"{territory.label(j)} is a seat but not a candidate seat")
    return out


def _group_problems(rules, seat_of, members, territory) -> list[str]:
    out = []
    for group in rules.together:
        if len({seat_of[c] for c in group}) != 1 or seat_of[group[0]] is None:
            out.append(f"together group {[territory.name_of(c) for c in group]} is split")
    for a, b in rules.apart:
        if seat_of[a] is not None and seat_of[a] == seat_of[b]:
            out.append(f"{territory.label(a)} and {territory.label(b)} must be apart but share a pole")
    sc = rules.service_commun
    if sc is not None:
        for m in sc.members:
            if seat_of[m] != sc.seat:
                out.append(f"service commun member {territory.label(m)} is not in the pole seated at {territory.label(sc.seat)}")
        if not sc.open_to_others:
            for c in members.get(sc.seat, []):
                if c not in sc.members:
                    out.append(f"{territory.label(c)} joined the closed service commun")
    alone = [c for c, s in seat_of.items() if s is None]
    for c in alone:
        if c not in rules.allow_alone:
            out.append(f"{territory.label(c)} is alone but not allowed to be")
    if rules.max_alone is not None and len(alone) > rules.max_alone:
        out.append(f"{len(alone)} communes alone > max_alone {rules.max_alone}")
    return out


def _pole_table_problems(poles, members, pole_of, population, times, index, territory) -> list[str]:
    out = []
    by_id = {pole_of[s]: s for s in members}
    if set(poles["pole"]) != set(by_id):
        out.append(f"poles.csv lists {sorted(poles['pole'])}, communes.csv has {sorted(by_id)}")
        return out
    for r in poles.itertuples():
        s = by_id[r.pole]
        ms = members[s]
        if r.seat_insee_code != s:
            out.append(f"{r.pole}: seat {r.seat_insee_code} but communes.csv says {s}")
        if r.n_communes != len(ms):
            out.append(f"{r.pole}: n_communes {r.n_communes} but {len(ms)} members")
        pop = int(sum(population[m] for m in ms))
        if r.population != pop:
            out.append(f"{r.pole}: population {r.population} but members hold {pop}")
        longest = max(times[index[m], index[s]] for m in ms)
        if not math.isclose(r.max_travel_min, longest, abs_tol=TIME_TOLERANCE_MIN, rel_tol=1e-4):
            out.append(f"{r.pole}: max_travel_min {r.max_travel_min} but recomputed {longest:.3f}")
    return out
