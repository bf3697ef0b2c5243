r"""Exact contiguity: connectivity itself, by separator cuts added in a loop (Validi, Buchanan &
Lykhovyd 2022; PuLP has no callbacks, so: solve, check each pole, cut, solve again).

For a pole seated at *j* whose members split into pieces, a piece *S* not holding *j* gets, for
each member *i* of *S*,

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

from ..blocks import constraint_block
from ..poles import PoleModel
from .base import ContiguityFormulation
from .graph import disconnected_poles


class ExactContiguity(ContiguityFormulation):
    name = "exact"
    label = "exact contiguity (separator cut loop)"
    cut_loop = True

    def add(self, model, nbrs, matrix):
        add_neighbour_cuts(model, nbrs)

    def broken(self, assignment, nbrs):
        return disconnected_poles(assignment, nbrs)

    def cut(self, model, assignment, nbrs, round_no):
        return add_separator_cuts(model, assignment, nbrs, round_no)


@constraint_block("neighbour cuts")
def add_neighbour_cuts(model: PoleModel, nbrs: dict[str, list[str]]) -> None:
    """x_ij ≤ Σ_{k ∈ N(i)} x_kj: valid for connectivity, and a strong start for the cut loop."""
    for (i, j), var in model.x.items():
        if i == j:
            continue
        around = [model.x[k, j] for k in nbrs[i] if (k, j) in model.x]
        model.problem += var - pulp.lpSum(around) <= 0, f"nb_{i}_{j}"


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
