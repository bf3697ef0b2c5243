"""Pre-solve checks: find, in plain words, why a scenario cannot have a solution.

Each check is a necessary condition for feasibility, so a finding proves the scenario infeasible
without running a solver. The checks name communes and numbers, e.g.
"Montflours (53156) cannot reach any seat within 15 min; the nearest is
Saint-Jean-sur-Mayenne (53229) at 18.2 min".
"""

from __future__ import annotations

import math

import numpy as np

from ..inputs.rules import PoleRules
from ..territory import Territory
from ..territory.roads import TravelMatrix
from .candidates import CandidatePairs, seat_candidates


def presolve_findings(territory: Territory, matrix: TravelMatrix, rules: PoleRules, pairs: CandidatePairs) -> list[str]:
    """Reasons the scenario is infeasible that can be seen before solving (empty: none found)."""
    findings: list[str] = []
    findings += _unreachable_communes(territory, matrix, rules, pairs)
    findings += _service_commun_reach(territory, matrix, rules)
    findings += _count_and_size(territory, rules, pairs)
    return findings


def _unreachable_communes(territory, matrix, rules, pairs) -> list[str]:
    out = []
    index = matrix.index()
    allowed_seats = seat_candidates(territory, rules)
    population = territory.communes["population"]
    sc_members = set(rules.service_commun.members) if rules.service_commun else set()
    for i in territory.codes:
        if pairs.seats_of[i] or i in rules.allow_alone or i in sc_members:
            continue  # service commun members are checked by _service_commun_reach
        label = territory.label(i)
        if rules.population_max is not None and population[i] > rules.population_max:
            out.append(f"{label} has {population[i]:,} inhabitants, more than a pole may hold "
                       f"(poles.population.max = {rules.population_max:,.0f}); raise the maximum or let it stay alone (poles.allow_alone)")
            continue
        # i has no seat left: when every seat it could join was removed because that seat's whole
        # reach is too small, the minimum size is the cause; any other rule is named below.
        small = [(j, reach) for j, reach in pairs.too_small.items() if i in reach.communes]
        if small:
            out.append(_too_small_message(territory, rules, i, small))
            continue
        closed_sc = rules.service_commun.seat if rules.service_commun and not rules.service_commun.open_to_others else None
        others = [j for j in allowed_seats if j != i and j != closed_sc]
        if rules.max_travel_min is not None and others:
            times = np.array([matrix.time_min[index[i], index[j]] for j in others])
            k = int(np.argmin(times))
            nearest = others[k]
            if times[k] > rules.max_travel_min:
                seat_note = "" if i in allowed_seats else " (it may not be a seat itself)"
                out.append(
                    f"{label} cannot reach any seat within {rules.max_travel_min:g} min{seat_note}; the nearest "
                    f"allowed seat is {territory.label(nearest)} at {_minutes(times[k])}; raise poles.max_travel_min, "
                    f"allow another seat nearer, or let it stay alone (poles.allow_alone)"
                )
                continue
        group = pairs.group_of.get(i)
        if group is not None:
            names = ", ".join(territory.label(c) for c in rules.together[group])
            out.append(f"the 'together' group {names} has no seat within {rules.max_travel_min:g} min of all its members")
            continue
        out.append(f"{label} has no pole it may join under the rules (seats, travel limit, apart pairs, service commun)")
    return _dedupe(out)


def _too_small_message(territory, rules, i, small) -> str:
    """i may join some seats, but each was removed because its whole reach (every commune that
    may join it, as recorded by :func:`~optimiser.model.candidates.too_small_seats`) is too small."""
    limit = rules.max_travel_min if rules.max_travel_min is not None else np.inf
    best_seat, best = max(small, key=lambda item: (item[1].population, len(item[1].communes)))
    best_n = len(best.communes)
    need = []
    if rules.population_min is not None:
        need.append(f"{rules.population_min:,.0f} inhabitants")
    if rules.communes_min is not None:
        need.append(f"{rules.communes_min} communes")
    seats = [j for j, _ in small]
    names = ", ".join(territory.name_of(j) for j in seats[:5]) + (" ..." if len(seats) > 5 else "")
    return (f"{territory.label(i)} can only join poles seated within {limit:g} min ({names}), and none of them can "
            f"gather {' and '.join(need)}: the largest, at {territory.name_of(best_seat)}, could hold {best.population:,} "
            f"inhabitants in {best_n} commune{'s' if best_n != 1 else ''}; lower the minimum, raise poles.max_travel_min, or let it stay alone")


def _service_commun_reach(territory, matrix, rules) -> list[str]:
    sc = rules.service_commun
    if sc is None or rules.max_travel_min is None:
        return []
    index = matrix.index()
    out = []
    for m in sc.members:
        t = matrix.time_min[index[m], index[sc.seat]]
        if t > rules.max_travel_min + 1e-9:
            out.append(f"{territory.label(m)} is {_minutes(t)} from the service commun's seat {territory.label(sc.seat)}, "
                       f"beyond poles.max_travel_min = {rules.max_travel_min:g} min")
    return out


def _count_and_size(territory, rules, pairs) -> list[str]:
    out = []
    sc = rules.service_commun
    sc_members = set(sc.members) if sc else set()
    seats = [j for j in pairs.seats if not (sc and j == sc.seat)]
    fixed = [j for j in rules.fixed_seats if not (sc and j == sc.seat)]
    if rules.count_max is not None and len(fixed) > rules.count_max:
        out.append(f"{len(fixed)} fixed seats but at most {rules.count_max} proximity poles (poles.count.max)")
    if rules.count_min is not None and len(seats) < rules.count_min:
        out.append(f"only {len(seats)} communes can host a proximity pole's seat, fewer than poles.count.min = {rules.count_min}")
    for j in rules.fixed_seats:
        if j not in pairs.seats and not (sc and j == sc.seat):
            out.append(f"fixed seat {territory.label(j)} cannot open: its 'together' group cannot all reach it, or it is kept out by the service commun")
    free = [c for c in territory.codes if c not in sc_members]
    can_leave = set(rules.allow_alone)
    population = territory.communes["population"]
    must_pop = sum(int(population[c]) for c in free if c not in can_leave)
    all_pop = sum(int(population[c]) for c in free)
    n_must = sum(1 for c in free if c not in can_leave)
    n_all = len(free)
    if sc is not None and sc.open_to_others:
        return out  # communes may also go to the service commun: size totals prove nothing
    kmin = rules.count_min or 0
    if rules.population_min and kmin and all_pop < kmin * rules.population_min:
        out.append(f"the communes outside the service commun hold {all_pop:,} inhabitants, fewer than "
                   f"{kmin} poles × {rules.population_min:,.0f} (poles.count.min × poles.population.min)")
    if rules.communes_min and kmin and n_all < kmin * rules.communes_min:
        out.append(f"{n_all} communes outside the service commun cannot fill {kmin} poles of at least "
                   f"{rules.communes_min} communes")
    if rules.count_max is not None and rules.population_max is not None and must_pop > rules.count_max * rules.population_max:
        out.append(f"{must_pop:,} inhabitants must join a proximity pole, more than {rules.count_max} poles × "
                   f"{rules.population_max:,.0f} (poles.count.max × poles.population.max)")
    if rules.count_max is not None and rules.communes_max is not None and n_must > rules.count_max * rules.communes_max:
        out.append(f"{n_must} communes must join a proximity pole, more than {rules.count_max} poles × "
                   f"{rules.communes_max} communes (poles.count.max × poles.communes.max)")
    if rules.max_alone is not None and rules.count_max == 0 and n_all - rules.max_alone > 0:
        out.append(f"no proximity pole is allowed (poles.count.max = 0) but at most {rules.max_alone} communes may stay alone")
    return out


def _minutes(t: float) -> str:
    return "no road connection" if not math.isfinite(t) else f"{t:.1f} min"


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
