r"""Two neighbouring poles re-partitioned exactly: a large neighbourhood for the pole search.

The simple and compound moves (:mod:`.pole_search`, :mod:`.compound_moves`) all replace at most
two poles by at most two others, one commune or two at a time. This move frees **all** the
communes :math:`U = A \cup B` of two neighbouring poles seated at *a* and *b* (every other pole
fixed) and chooses their best partition among every candidate pole inside *U*:

.. math:: \min \sum_{c \subseteq U} \Delta_c y_c \quad\text{s.t.}\quad
   \sum_{c \ni i} y_c \in [r_i, 1]\ (i \in U), \qquad
   \sum_c y_c \in [K^{min} - K_0, K^{max} - K_0], \qquad y \in \{0, 1\},

with :math:`K_0` the poles kept outside *U* and :math:`r_i = 0` for a commune allowed alone. The
columns are the candidate poles of :mod:`.pole_enumeration` restricted to *U* (connected inside
*U*, sizes, seat share, 'together', 'apart'), priced exactly without a solver
(:mod:`.configurations`), and the two poles held; a pair with more than :data:`COLUMN_BUDGET`
of them is left to the compound moves (on large poles the closed form is slow). Any merge,
re-seat, shift, swap or pair shift between *A* and *B* is one of its solutions, as is a split
into two new poles or three. Pairs holding a fixed seat or the service commun's pole are left to
the other moves too.

A solution that pays (by :math:`10^{-6}` k€/yr) is checked against every rule of the whole design
(:func:`.column_generation.design_breaks`: the opt-out cap, the pole count) and priced again by
:class:`.pole_pricing.PerPoleValue` (the MILP above its closed-form size): the move is made only
when that exact price is lower — the closed form is never trusted alone. Measured on the CC du
Saulnois (128 communes), from the compound moves' local optimum (7,773.8 k€/yr, no compound move
pays): its first pair gains 11.4 k€/yr, the master's gain and the exact one equal.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import numpy as np

from ..model.candidates import CandidatePairs
from ..model.repair import RepairContext
from ..solvers import STOP
from .column_generation import Column, PartitionRows, design_breaks, solve_master
from .configurations import price_columns
from .pole_enumeration import enumerable, enumerate_poles
from .pole_pricing import PerPoleValue, poles_of
from .pole_search import priced_total

Assignment = dict[str, "str | None"]

#: Candidate poles per pair above which the pair is left to the compound moves. The closed form's
#: cost grows as 3^(pole size): a pair of 12-commune poles of the CC du Saulnois holds 25 seats
#: and 130,000 poles (one bourg-centre 73,000 of them), and 8,000 of them took 10 CPU-s to price;
#: the pairs within this budget are enumerated and priced in a fraction of a second.
COLUMN_BUDGET = 20_000
#: Seconds one pair's integer master may take.
MASTER_S = 5.0


def available(value: PerPoleValue) -> bool:
    """Whether the move applies: the poles can be enumerated and are priced in closed form (the
    same checks as the enumerated method's, :mod:`.enumerated`)."""
    return value.closed_form and enumerable(value.inputs) is None


def improve_by_repartition(start: Assignment, value: PerPoleValue, ctx: RepairContext, deadline: float,
                           enough: Callable[[float], bool] | None = None,
                           tried: set | None = None) -> tuple[Assignment, int]:
    """A design at least as cheap as ``start`` (which must obey every rule) and the number of
    re-partitions made: pairs of neighbouring poles in a fixed order, the first that pays made,
    then the pairs again, until none pays or time runs out (or Ctrl-C, or a cost that satisfies
    ``enough``). ``tried``: the pairs of poles (seat, members) already found to gain nothing or
    too large, kept by a caller that calls again after other moves (only changed pairs are
    tried again)."""
    current, made = dict(start), 0
    if not available(value):
        return current, 0
    tried = set() if tried is None else tried
    while time.perf_counter() < deadline and not STOP.requested:
        if made and enough is not None and enough(priced_total(value, current, deadline)):
            break
        poles = poles_of(current)
        better = None
        for a, b in neighbour_pairs(current, ctx.nbrs):
            if time.perf_counter() >= deadline or STOP.requested:
                return current, made
            key = ((a, poles[a]), (b, poles[b]))
            if key in tried:
                continue
            better = repartition(current, (a, b), value, ctx, deadline)
            if better is not None:
                break
            tried.add(key)
        if better is None:
            break
        current, made = better, made + 1
    return current, made


def neighbour_pairs(design: Assignment, nbrs: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The seats of every two poles with neighbouring members, each pair once, sorted."""
    out = set()
    for i, j in design.items():
        if j is None:
            continue
        for v in nbrs.get(i, ()):
            k = design.get(v)
            if k is not None and k != j:
                out.add((min(j, k), max(j, k)))
    return sorted(out)


def repartition(design: Assignment, seats: tuple[str, ...], value: PerPoleValue, ctx: RepairContext,
                deadline: float) -> Assignment | None:
    """The design with the poles seated at ``seats`` re-partitioned (module docstring) when
    that is cheaper at its exact price, else ``None``."""
    inputs = value.inputs
    rules = inputs.rules
    poles = poles_of(design)
    held = [(s, poles[s]) for s in seats]
    old = sum(value.pole(s, m, deadline).delta for s, m in held)
    if not math.isfinite(old):
        return None
    area = set().union(*(set(m) for _, m in held))
    sc = rules.service_commun
    if sc is not None and (sc.seat in area or set(sc.members) & area):
        return None  # the service commun's pole has rules of its own (its core, the EPCI)
    if set(rules.fixed_seats) & area:
        return None  # a fixed seat must seat its pole: the simple and compound moves keep it so
    columns = _columns(area, value, ctx)
    if columns is None:
        return None  # too many candidate poles in the pair: left to the compound moves
    columns += [Column(s, m, value.pole(s, m, deadline).delta, True) for s, m in held]
    others = len(poles) - len(seats)
    count_min = max(0, (rules.count_min or 0) - others)
    count_max = None if rules.count_max is None else rules.count_max - others
    rows = PartitionRows(sorted(area), set(rules.allow_alone) & area, count_min, count_max)
    start = np.zeros(len(columns))
    start[-len(held):] = 1.0
    left = deadline - time.perf_counter()
    if left < 0.5:
        return None
    solved = solve_master(rows, columns, 0.0, integer=True, time_limit=min(MASTER_S, left), start=start)
    if solved is None or solved.value >= old - 1e-6:
        return None
    trial = dict(design)
    for i in area:
        trial[i] = None
    for c, y in zip(columns, solved.y):
        if y > 0.5:
            for i in c.members:
                trial[i] = c.seat
    if design_breaks(trial, ctx, inputs):
        return None
    new = poles_of(trial)
    gained = sum(value.pole(s, m, deadline).delta for s, m in new.items() if s in area)
    return trial if gained < old - 1e-6 else None


def _columns(area: set[str], value: PerPoleValue, ctx: RepairContext) -> list[Column] | None:
    """Every candidate pole inside ``area`` (:mod:`.pole_enumeration`, the candidate pairs cut to
    the area), priced in closed form; ``None`` when there are more than :data:`COLUMN_BUDGET` or
    their configurations are too many to price without a solver."""
    inputs, pairs = value.inputs, value.pairs
    seats = tuple(j for j in pairs.seats if j in area and pairs.members_of.get(j))
    sub = CandidatePairs(seats=seats,
                         seats_of={i: tuple(j for j in pairs.seats_of.get(i, ()) if j in area) for i in area},
                         members_of={j: tuple(i for i in pairs.members_of[j] if i in area) for j in seats},
                         group_of={i: g for i, g in pairs.group_of.items() if i in area})
    found = enumerate_poles(inputs, sub, ctx.nbrs, cap=COLUMN_BUDGET)
    if not found:
        return None
    prices = price_columns(inputs, sub, found, data=value.pricing_data)
    if prices is None:
        return None
    return [Column(s, m, float(d), True) for (s, m), d in zip(found, prices.delta)]
