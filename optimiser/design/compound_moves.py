r"""Compound pole moves: communes change pole and every pole touched takes its best seat.

The local search of :mod:`.pole_search` stops at designs where no single merge, re-seat or
shift pays. On real EPCIs that is often only because a shift and a re-seat must happen
together: a commune moving into a small pole makes a larger commune of it the better seat, and
neither step pays alone (CC du Pays Rethélois, 65 communes, 60 s: the search's 7,112.6 k€/yr
design gains 24.3 k€/yr by moving one commune into a 6-commune pole seated at that commune).
This module escapes such local optima with larger neighbourhoods, each move re-priced exactly
(:class:`.pole_pricing.PerPoleValue`, cached):

* **shift and re-seat**: a border commune *a* of pole *A* joins a neighbouring pole *B*; both
  poles then take their cheapest seat among their members (the seat of *A* may leave too);
* **swap and re-seat**: border communes *a* ∈ *A* and *b* ∈ *B*, each next to the other pole,
  exchange poles; both re-seated;
* **pair shift and re-seat**: two neighbouring communes of *A* join *B* together; both re-seated.

A move replaces poles :math:`(j_A, A), (j_B, B)` by member sets :math:`A', B'` and pays when

.. math:: \min_{s \in A'} \Delta(s, A') + \min_{s \in B'} \Delta(s, B')
   < \Delta(j_A, A) + \Delta(j_B, B) - 10^{-6},

each minimum over the members that may seat the pole (every member within reach of it, a fixed
seat where the set holds one). The smaller set is priced exactly at each of its seats (each
seat's MILP with the best price so far as its cutoff, :meth:`PerPoleValue.pole_below`), the
larger only against what is left to beat: a move that does not pay is refused in a fraction of
its exact solves. The search alternates: the simple moves to their local optimum, then the
first compound move that pays (in a fixed order, so runs repeat), then the simple moves again,
until no compound move pays or time runs out.

Every new pole is checked for the rules one pole is checked on alone (connected, 'apart',
'together' groups whole: :func:`.column_generation.usable`), the pricing checks sizes and the seat
share (:math:`\Delta = \infty` otherwise); the pole count does not change (a set left empty is a
merge, the simple search's). The caller still checks the whole design
(:func:`.column_generation.design_breaks`) before offering it.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Iterator

from ..model.repair import RepairContext
from ..solvers import STOP
from .column_generation import usable
from .pole_pricing import PerPoleValue, poles_of
from .pole_search import improve_by_moves, priced_total

Assignment = dict[str, "str | None"]
#: A compound move: the seats of the poles it replaces, and the new poles' member sets.
Move = tuple[tuple[str, ...], tuple[frozenset[str], ...]]


def improve_by_compound_moves(start: Assignment, value: PerPoleValue, ctx: RepairContext, deadline: float,
                              max_moves: int = 10_000,
                              enough: Callable[[float], bool] | None = None,
                              resume: bool = True) -> tuple[Assignment, int]:
    """A design at least as cheap as ``start`` (which must obey every rule), and the number of
    improving moves made (simple and compound). Ctrl-C (:data:`~optimiser.solvers.STOP`) ends
    the search at once, with the best design so far; so does a design whose cost satisfies
    ``enough``; ``resume``: how the simple moves scan (:func:`.pole_search.improve_by_moves`)."""
    current, made = improve_by_moves(start, value, ctx, deadline, max_moves, enough, resume)
    while made < max_moves and time.perf_counter() < deadline and not STOP.requested:
        if made and enough is not None and enough(priced_total(value, current, deadline)):
            break
        better = _first_paying(current, value, ctx, deadline)
        if better is None:
            # no compound move pays: the simple moves (merges, re-seats) may, on the new poles
            current, simple = improve_by_moves(current, value, ctx, deadline, max_moves - made, enough, resume)
            made += simple
            if simple == 0:
                break
            continue
        current = better
        made += 1
    return current, made


def _first_paying(design: Assignment, value: PerPoleValue, ctx: RepairContext, deadline: float) -> Assignment | None:
    """The design after the first compound move that pays (module docstring), or ``None``."""
    poles = poles_of(design)
    for seats, sets in compound_moves(design, ctx):
        if time.perf_counter() >= deadline or STOP.requested:
            return None
        budget = sum(value.pole(j, poles[j], deadline).delta for j in seats) - 1e-6
        if not math.isfinite(budget):
            continue  # a pole not priced in time: nothing to compare against
        chosen = _seated_below(value, ctx, sets, budget, deadline)
        if chosen is None:
            continue
        trial = dict(design)
        for seat, members in chosen:
            for i in members:
                trial[i] = seat
        return trial
    return None


def compound_moves(design: Assignment, ctx: RepairContext) -> Iterator[Move]:
    """Every compound move of the module docstring, in a fixed order: shifts, swaps, pair
    shifts, each over the neighbouring poles in seat order. Only the member sets are given (the
    seats are chosen when priced); sets breaking contiguity, 'apart' or 'together' are left out."""
    nbrs = ctx.nbrs
    poles = poles_of(design)
    members = {j: frozenset(m) for j, m in poles.items()}
    touching = {j: sorted({design[v] for u in m for v in nbrs[u] if design.get(v) not in (None, j)})
                for j, m in poles.items()}

    def border(a_pole: str, b_pole: str) -> list[str]:
        return [i for i in poles[a_pole] if any(design.get(v) == b_pole for v in nbrs[i])]

    def ok(sets: tuple[frozenset[str], ...]) -> bool:
        return all(s and _connected_and_grouped(s, ctx) for s in sets)

    for a_pole in poles:
        for b_pole in touching[a_pole]:
            for a in border(a_pole, b_pole):
                sets = (members[a_pole] - {a}, members[b_pole] | {a})
                if ok(sets):
                    yield (a_pole, b_pole), sets
    for a_pole in poles:
        for b_pole in touching[a_pole]:
            if b_pole < a_pole:
                continue  # each pair of poles once
            for a, b in itertools.product(border(a_pole, b_pole), border(b_pole, a_pole)):
                sets = (members[a_pole] - {a} | {b}, members[b_pole] - {b} | {a})
                if ok(sets):
                    yield (a_pole, b_pole), sets
    for a_pole in poles:
        for b_pole in touching[a_pole]:
            edge = border(a_pole, b_pole)
            for a in edge:
                for a2 in sorted(set(nbrs[a]) & members[a_pole]):
                    if a2 in edge and a2 < a:
                        continue  # both on the border: the pair once
                    sets = (members[a_pole] - {a, a2}, members[b_pole] | {a, a2})
                    if ok(sets):
                        yield (a_pole, b_pole), sets


def _connected_and_grouped(members: frozenset[str], ctx: RepairContext) -> bool:
    """The rules one pole is checked on alone, whatever its seat (:func:`.column_generation.usable`)."""
    return usable(min(members), tuple(sorted(members)), ctx)


def seat_candidates(members: frozenset[str], ctx: RepairContext) -> list[str]:
    """The members that may seat a pole of ``members``: every member within reach of it, and
    the fixed seat when the set holds one (none when it holds two). Most populous first (a
    bourg-centre seats most poles), then by code: the order the prices are tried in."""
    fixed = [i for i in sorted(members) if i in set(ctx.rules.fixed_seats)]
    if len(fixed) > 1:
        return []
    seats_of = ctx.pairs.seats_of
    pool = fixed or sorted(members, key=lambda i: (-ctx.population.get(i, 0), i))
    return [s for s in pool if s in ctx.pairs.seats and all(s in seats_of.get(i, ()) for i in members)]


def _seated_below(value: PerPoleValue, ctx: RepairContext, sets: tuple[frozenset[str], ...], budget: float,
                  deadline: float) -> list[tuple[str, tuple[str, ...]]] | None:
    r"""The sets seated at their cheapest seats, when their :math:`\Delta` sum to less than
    ``budget`` (k€/yr); ``None`` otherwise. Smaller sets first, each at its exact cheapest seat;
    the largest only below what is left (module docstring)."""
    *small, large = sorted(sets, key=lambda s: (len(s), sorted(s)))
    chosen = []
    for members in small:
        best = _cheapest_seat(value, ctx, members, math.inf, deadline)
        if best is None:
            return None
        budget -= best[0]
        chosen.append(best[1:])
    best = _cheapest_seat(value, ctx, large, budget, deadline)
    if best is None:
        return None
    chosen.append(best[1:])
    return chosen


def _cheapest_seat(value: PerPoleValue, ctx: RepairContext, members: frozenset[str], cutoff: float,
                   deadline: float) -> tuple[float, str, tuple[str, ...]] | None:
    r"""(:math:`\Delta`, seat, members) at the member seat with the least :math:`\Delta`, when
    below ``cutoff``; ``None`` when no seat is (or none may seat it). Each seat is priced below
    the best so far, so a seat that cannot win is refused quickly."""
    best = None
    for seat in seat_candidates(members, ctx):
        if time.perf_counter() >= deadline or STOP.requested:
            return None
        pole = poles_of({i: seat for i in members})[seat]
        priced = value.pole_below(seat, pole, cutoff, deadline)
        if priced is not None and priced.delta < cutoff:
            best, cutoff = (priced.delta, seat, pole), priced.delta
    return best
