"""Starter pole rules for any territory: how many poles, how small, how far.

A starter scenario must be realistic (poles a planner would discuss, a travel limit that binds)
and always feasible (``optimiser run`` must find a design). The rules:

* **Pole count** — up to :math:`k = \\max(1, \\min(\\mathrm{round}(n / 8), \\lfloor P / 2000 \\rfloor))`
  proximity poles for *n* communes and *P* inhabitants: about one pole per 8 communes (the
  sourced coordination ratio assumes poles of 8–15 communes, ``pooling.coordinator_fte_per_pole``
  in cost_parameters.yaml), and no more poles than leaves 2,000 inhabitants each on average (a
  pole must be able to pay for shared staff and machines). Travel always falls as poles are
  added, so the optimum uses as many as the other rules allow.
* **Pole size** — at least 3 communes per pole (pooling needs partners), fewer only when the
  territory itself is smaller.
* **Travel limit** — the smallest multiple of 5 minutes, and at least ``MIN_TRAVEL_LIMIT_MIN``,
  for which a design obeying the two rules above is known to exist. It is found by a quick
  heuristic on the scenario's own road graph and travel matrix: farthest-first seats, each commune
  to its nearest seat along the road graph (such poles are always connected), each pole re-seated
  at its most central member, poles under the minimum size merged into a neighbouring pole. The
  heuristic design is a certificate: it obeys every rule, so the scenario is feasible.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np

from ..territory.roads import RoadGraph, TravelMatrix

#: Communes per pole the pole count aims at (low end of the 8–15 of the sourced ratio).
COMMUNES_PER_POLE = 8
#: Smallest average population per pole, inhabitants.
MIN_MEAN_POLE_POPULATION = 2000
#: Smallest number of communes in a pole.
MIN_POLE_COMMUNES = 3
#: The travel limit is never set below this, minutes (the founding study used 25).
MIN_TRAVEL_LIMIT_MIN = 20.0
#: The travel limit is rounded up to a multiple of this, minutes.
TRAVEL_LIMIT_STEP_MIN = 5.0


@dataclass(frozen=True)
class StarterRules:
    """The chosen rules and the heuristic design that proves them feasible.

    Attributes:
        pole_count: upper bound on the number of proximity poles.
        target_by_communes, target_by_population: the two terms of the pole-count formula.
        population: inhabitants of the communes that must join a pole (its *P*).
        min_communes: smallest pole, communes.
        max_travel_min: travel limit, minutes.
        heuristic_max_min: longest trip of the heuristic design, minutes.
        farthest: (commune, its seat) of that longest trip.
        heuristic_poles: number of poles of the heuristic design.
    """

    pole_count: int
    target_by_communes: int
    target_by_population: int
    population: int
    min_communes: int
    max_travel_min: float
    heuristic_max_min: float
    farthest: tuple[str, str] | None
    heuristic_poles: int


def pole_count(n_communes: int, population: int) -> tuple[int, int, int]:
    """(k, round(n / 8), floor(P / 2000)) — see the module docstring."""
    by_communes = round(n_communes / COMMUNES_PER_POLE)
    by_population = population // MIN_MEAN_POLE_POPULATION
    return max(1, min(by_communes, by_population)), by_communes, by_population


def starter_rules(codes: list[str], population: dict[str, int], road: RoadGraph, matrix: TravelMatrix) -> StarterRules:
    """Rules for the communes ``codes`` (those that must join a pole), on the scenario's roads."""
    n = len(codes)
    inhabitants = sum(population[c] for c in codes)
    k, by_communes, by_population = pole_count(n, inhabitants)
    min_communes = min(MIN_POLE_COMMUNES, n)
    poles = heuristic_poles(codes, population, road, matrix, k, min_communes)
    index = matrix.index()
    worst, farthest = 0.0, None
    for seat, members in poles.items():
        for i in members:
            t = float(matrix.time_min[index[i], index[seat]])
            if t > worst:
                worst, farthest = t, (i, seat)
    limit = max(MIN_TRAVEL_LIMIT_MIN, TRAVEL_LIMIT_STEP_MIN * math.ceil(worst / TRAVEL_LIMIT_STEP_MIN - 1e-9))
    return StarterRules(k, by_communes, by_population, inhabitants, min_communes, limit, worst, farthest, len(poles))


def heuristic_poles(codes: list[str], population: dict[str, int], road: RoadGraph, matrix: TravelMatrix,
                    k: int, min_communes: int) -> dict[str, list[str]]:
    """A feasible design (seat → members): connected poles of at least ``min_communes``, at most ``k``.

    Nearest-seat poles are grown by one multi-source Dijkstra on the road graph: each commune's
    fastest path to its seat runs through communes of the same pole, so every pole is connected
    on the graph the contiguity rule uses (shared borders plus extra links).
    """
    index = matrix.index()
    rows = np.asarray([index[c] for c in codes])
    t = matrix.time_min[np.ix_(rows, rows)]
    # Farthest-first seats, starting from the most populous commune (Gonzalez's 2-approximation
    # of the k-centre problem).
    seats = [int(np.argmax([population[c] for c in codes]))]
    nearest = t[:, seats[0]].copy()
    while len(seats) < min(k, len(codes)):
        far = int(np.argmax(nearest))
        if nearest[far] <= 0:
            break
        seats.append(far)
        nearest = np.minimum(nearest, t[:, far])
    if road.method != "adjacency":
        raise ValueError("starter rules are computed on the adjacency road graph")
    poles = _grow(codes, [codes[s] for s in seats], road)
    poles = {_centre(m, t, codes): m for m in poles.values()}
    while len(poles) > 1:
        small = [s for s, m in poles.items() if len(m) < min_communes]
        if not small:
            break
        seat = min(small, key=lambda s: (len(poles[s]), s))
        poles = _merge_into_neighbour(poles, seat, road, t, codes)
    return poles


def _grow(codes: list[str], seats: list[str], road: RoadGraph) -> dict[str, list[str]]:
    """Assign each commune to the seat it reaches first along the road graph (adjacency method:
    the nodes are the communes)."""
    graph = road.graph.subgraph(codes)
    _, paths = nx.multi_source_dijkstra(graph, seats, weight="min")
    poles: dict[str, list[str]] = {s: [] for s in seats}
    for c in codes:
        poles[paths[c][0]].append(c)
    return {s: m for s, m in poles.items() if m}


def _centre(members: list[str], t: np.ndarray, codes: list[str]) -> str:
    """The member whose farthest fellow member is nearest (ties: the first in code order)."""
    pos = {c: k for k, c in enumerate(codes)}
    idx = [pos[m] for m in members]
    worst = t[np.ix_(idx, idx)].max(axis=0)
    return members[int(np.argmin(worst))]


def _merge_into_neighbour(poles, seat, road: RoadGraph, t, codes) -> dict[str, list[str]]:
    """Merge pole ``seat`` into the bordering pole whose merged longest trip is shortest."""
    owner = {m: s for s, ms in poles.items() for m in ms}
    bordering = {owner[o] for m in poles[seat] for o in road.graph.adj[m] if o in owner} - {seat}
    if not bordering:  # cannot happen on a connected graph; keep going rather than fail
        bordering = set(poles) - {seat}
    pos = {c: k for k, c in enumerate(codes)}
    best = None
    for s in sorted(bordering):
        members = poles[s] + poles[seat]
        centre = _centre(members, t, codes)
        longest = max(t[pos[m], pos[centre]] for m in members)
        if best is None or longest < best[0]:
            best = (longest, s, centre, members)
    _, s, centre, members = best
    out = {k: v for k, v in poles.items() if k not in (s, seat)}
    out[centre] = members
    return out
