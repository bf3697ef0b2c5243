r"""Contiguity: every pole connected on the adjacency graph (shared borders plus extra links).

Two formulations:

* **shortest-path** (Zoltners & Sinha 1983): a member must have a neighbour in the same pole that
  is strictly closer to the seat,

  .. math:: x_{ij} \le \sum_{k \in N(i),\ t_{kj} < t_{ij}} x_{kj}  \qquad (i \ne j)

  Compact and fast; every pole it allows is connected (follow strictly decreasing times to the
  seat), but it forbids some connected poles, so its optimum can be worse than the exact one.

* **exact**: connectivity itself, by separator cuts added in a loop (Validi, Buchanan &
  Lykhovyd 2022; PuLP has no callbacks, so: solve, check each pole, cut, solve again). For a pole
  seated at *j* whose members split into pieces, a piece *S* not holding *j* gets, for each
  member *i* of *S*,

  .. math:: x_{ij} \le \sum_{c \in C} x_{cj}

  where *C* is the set of neighbours of *S* from which *j* can be reached without entering *S*
  (a minimal vertex separator between *S* and *j* in the graph of communes that may join *j*).
  Any connected pole containing *i* and *j* must contain a vertex of *C*, so the cut is valid;
  the current solution breaks it. From the start the model holds the length-one cuts
  :math:`x_{ij} \le \sum_{k \in N(i)} x_{kj}` (a member of a pole of two or more has a
  neighbour in it).
"""

from __future__ import annotations

from collections import deque

import pulp

from ..roads import RoadGraph
from ..territory import Territory
from .blocks import constraint_block
from .poles import PoleModel


def neighbour_lists(territory: Territory, road: RoadGraph) -> dict[str, list[str]]:
    """Adjacency of communes: shared borders, plus the scenario's extra links."""
    nbrs = {c: set() for c in territory.codes}
    for a, b in zip(territory.adjacency["code_a"], territory.adjacency["code_b"]):
        nbrs[a].add(b)
        nbrs[b].add(a)
    for u, v, kind in road.graph.edges(data="kind"):
        if kind == "link":
            a = u if road.method == "adjacency" else u[1]
            b = v if road.method == "adjacency" else v[1]
            nbrs[a].add(b)
            nbrs[b].add(a)
    return {c: sorted(v) for c, v in nbrs.items()}


@constraint_block("shortest-path contiguity")
def add_shortest_path_contiguity(model: PoleModel, nbrs: dict[str, list[str]], time_min, index) -> list[str]:
    """Zoltners–Sinha constraints; returns their names (so they can be removed again)."""
    names = []
    for (i, j), var in model.x.items():
        if i == j:
            continue
        t_ij = time_min[index[i], index[j]]
        closer = [model.x[k, j] for k in nbrs[i] if (k, j) in model.x and time_min[index[k], index[j]] < t_ij - 1e-9]
        name = f"sp_{i}_{j}"
        model.problem += var - pulp.lpSum(closer) <= 0, name
        names.append(name)
    return names


@constraint_block("neighbour cuts")
def add_neighbour_cuts(model: PoleModel, nbrs: dict[str, list[str]]) -> None:
    """x_ij ≤ Σ_{k ∈ N(i)} x_kj: valid for connectivity, and a strong start for the cut loop."""
    for (i, j), var in model.x.items():
        if i == j:
            continue
        around = [model.x[k, j] for k in nbrs[i] if (k, j) in model.x]
        model.problem += var - pulp.lpSum(around) <= 0, f"nb_{i}_{j}"


def pieces(members: list[str], nbrs: dict[str, list[str]]) -> list[list[str]]:
    """Connected pieces of the graph induced by ``members``."""
    inside = set(members)
    seen: set[str] = set()
    out = []
    for start in members:
        if start in seen:
            continue
        piece = []
        queue = deque([start])
        seen.add(start)
        while queue:
            u = queue.popleft()
            piece.append(u)
            for v in nbrs[u]:
                if v in inside and v not in seen:
                    seen.add(v)
                    queue.append(v)
        out.append(piece)
    return out


def disconnected_poles(assignment: dict[str, str | None], nbrs: dict[str, list[str]]) -> dict[str, list[list[str]]]:
    """Seat → the pieces of its pole that do not hold the seat (empty when all are connected)."""
    poles: dict[str, list[str]] = {}
    for i, j in assignment.items():
        if j is not None:
            poles.setdefault(j, []).append(i)
    out = {}
    for j, members in poles.items():
        stray = [p for p in pieces(members, nbrs) if j not in p]
        if stray:
            out[j] = stray
    return out


@constraint_block("separator cuts")
def add_separator_cuts(model: PoleModel, assignment: dict[str, str | None], nbrs: dict[str, list[str]], round_no: int) -> int:
    """Add a separator cut for every member of every stray piece; returns how many."""
    added = 0
    for j, stray in disconnected_poles(assignment, nbrs).items():
        can_join = set(model.pairs.members_of[j])
        for piece in stray:
            separator = _minimal_separator(set(piece), j, can_join, nbrs)
            for i in piece:
                terms = [(model.x[i, j], 1)] + [(model.x[c, j], -1) for c in sorted(separator)]
                model.problem += pulp.LpAffineExpression(terms) <= 0, f"cut{round_no}_{i}_{j}_{added}"
                added += 1
    return added


def _minimal_separator(piece: set[str], seat: str, can_join: set[str], nbrs) -> set[str]:
    """Neighbours of ``piece`` (among communes that may join ``seat``) reachable from the seat
    without entering the piece: every path from the piece to the seat crosses one of them."""
    reach = {seat}
    queue = deque([seat])
    while queue:
        u = queue.popleft()
        for v in nbrs[u]:
            if v in can_join and v not in piece and v not in reach:
                reach.add(v)
                queue.append(v)
    return {v for u in piece for v in nbrs[u] if v in reach}
