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
        if not model.lazy_contiguity:
            add_neighbour_cuts(model, nbrs)

    def broken(self, assignment, nbrs):
        return disconnected_poles(assignment, nbrs)

    def cut(self, model, assignment, nbrs, round_no):
        if model.lazy_contiguity:
            # only where a pole broke: the neighbour cuts of its seat, once
            seats = sorted(set(disconnected_poles(assignment, nbrs)) - model.neighbour_cut_seats)
            add_neighbour_cuts(model, nbrs, seats)
        return add_separator_cuts(model, assignment, nbrs, round_no)


@constraint_block("neighbour cuts")
def add_neighbour_cuts(model: PoleModel, nbrs: dict[str, list[str]], seats: list[str] | None = None) -> None:
    """x_ij ≤ Σ_{k ∈ N(i)} x_kj: valid for connectivity, and a strong start for the cut loop.

    ``seats``: only for the poles of these seats (``None``: every seat)."""
    only = None if seats is None else set(seats)
    model.neighbour_cut_seats |= set(model.pairs.seats) if only is None else only
    for (i, j), var in model.x.items():
        if i == j or (only is not None and j not in only):
            continue
        # h_k stands in for a neighbour k that may join j but does not list it (seat lists)
        around = {v: -1 for k in nbrs[i] if (v := model.member_var(k, j)) is not None}
        around[var] = 1
        model.problem += pulp.LpConstraint(pulp.LpAffineExpression(around), pulp.LpConstraintLE, rhs=0), f"nb_{i}_{j}"


@constraint_block("separator cuts")
def add_separator_cuts(model: PoleModel, assignment: dict[str, str | None], nbrs: dict[str, list[str]], round_no: int) -> int:
    """Add a separator cut for every member of every stray piece; returns how many."""
    added = 0
    for j, stray in disconnected_poles(assignment, nbrs).items():
        can_join = set(model.reach.members_of[j])
        for piece in stray:
            separator = tuple(sorted(_minimal_separator(set(piece), j, can_join, nbrs)))
            for i in piece:
                add_cut(model, i, j, separator, f"cut{round_no}_{i}_{j}_{added}")
                added += 1
    return added


def add_cut(model: PoleModel, i: str, j: str, separator: tuple[str, ...], name: str) -> None:
    """x_ij ≤ Σ_{c ∈ C} x_cj (h_c standing in for an unlisted pair), recorded for replay."""
    around = {v.name: v for c in separator if (v := model.member_var(c, j)) is not None}
    model.problem += model.x[i, j] - pulp.lpSum(around.values()) <= 0, name
    model.cuts.append((i, j, separator))


@constraint_block("separator cuts")
def replay_cuts(model: PoleModel, nbrs: dict[str, list[str]], cuts: list[tuple[str, str, tuple[str, ...]]],
                neighbour_cut_seats=()) -> None:
    """Add to a rebuilt model (wider seat lists) the separator and neighbour cuts its predecessor had."""
    todo = sorted(set(neighbour_cut_seats) - model.neighbour_cut_seats)
    if todo:
        add_neighbour_cuts(model, nbrs, todo)
    for n, (i, j, separator) in enumerate(cuts):
        add_cut(model, i, j, separator, f"cut_replayed_{n}_{i}_{j}")


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
