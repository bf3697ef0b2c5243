"""Local search over pole moves, each move re-priced exactly (:mod:`.pole_pricing`).

A heuristic that improves the incumbent while the MILP works on the bound; it claims nothing
about optimality. From a design that obeys every rule, it tries, in a fixed order (runs repeat
exactly):

* **merge** two neighbouring poles, seated at either seat (the pole count allows one fewer) —
  first, as pooling pays by scale and the travel-optimal starting poles are many and small;
* **re-seat** a pole at another of its members (every member may join the new seat);
* **shift** a border commune to a neighbouring pole (its own pole stays connected);

and keeps the first move that lowers the total cost, until no move does or time runs out. Each
scan tries the merges and re-seats first (few, and most are priced already), then the shifts
from the place of the shift last kept, wrapping round, instead of from the first shift: a scan
that starts again from the top re-prices, after every move kept, the shifts before it that touch
the poles just changed — on a growing pole, every border commune of its neighbours, each an exact
MILP on the largest pole — before reaching a shift not yet tried. CC Champagnole Nozeroy Jura (66
communes) from its travel-optimal poles: the same local optimum (5,525.6 k€/yr), 12 s instead of
45 s. Over six EPCIs searched to convergence (simple, compound and re-partition moves), the final
design is the same or cheaper on five (Rethélois 7,041.3 → 7,039.0, Saulnois 7,762.4 → 7,759.1,
Cotentin 28,697.4 → 28,692.7 k€/yr) in a half to a third of the time, dearer on the Haute Saintonge
(15,831.8 → 15,857.1): another path, another local optimum. ``resume=False`` starts every scan
from the first move (:func:`optimiser.design.run._search` takes that second path with the time
left). A scan through the whole list without a move kept still ends the search at a local
optimum. Only the poles a move touches are re-priced (each pole's services are an exact MILP,
cached), so a move costs two small solves at most — the larger one only against the cost it must
beat (a MILP with a cutoff, :meth:`PerPoleValue.pole_below`: most moves do not pay and are
refused in a fraction of an exact solve). The sizes and seat share are checked by the pricing
(a pole breaking them is infeasible); the pole count, contiguity, 'together', 'apart' and fixed
seats by the move itself.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ..model.contiguity import pieces
from ..model.repair import RepairContext
from ..solvers import STOP
from .pole_pricing import PerPoleValue, pole_count_ok, poles_of

Assignment = dict[str, "str | None"]


def improve_by_moves(start: Assignment, value: PerPoleValue, ctx: RepairContext, deadline: float,
                     max_moves: int = 10_000, enough: Callable[[float], bool] | None = None,
                     resume: bool = True) -> tuple[Assignment, int]:
    """A design at least as cheap as ``start`` (which must obey every rule); returns it and the
    number of improving moves made. Ctrl-C (:data:`~optimiser.solvers.STOP`) ends the search at
    once, with the best design so far; so does a design whose cost (k€/yr,
    :func:`priced_total`) satisfies ``enough`` (the run's requested gap already met).
    ``resume=False``: every scan starts again from the first move (module docstring)."""
    current = dict(start)
    made = 0
    at = 0  # where the next scan's shifts start: the place of the shift last kept (module docstring)
    while made < max_moves and time.perf_counter() < deadline and not STOP.requested:
        if made and enough is not None and enough(priced_total(value, current, deadline)):
            return current, made
        moves = list(_moves(current, ctx, value.inputs))
        shifts = [m for m in moves if len(m[1]) == 2 and len(m[2]) == 2]  # (they come last)
        others = moves[:len(moves) - len(shifts)]  # the merges and re-seats: from the first, every scan
        at = min(at, len(shifts)) if resume else 0
        order = others + shifts[at:] + shifts[:at]
        for n, (trial, before, after) in enumerate(order):
            if time.perf_counter() >= deadline or STOP.requested:
                return current, made
            if not pole_count_ok(value.inputs, trial):
                continue
            old = poles_of(current)
            new = poles_of(trial)
            if _pays(value, [(j, old[j]) for j in before], [(j, new[j]) for j in after], deadline):
                current = trial
                made += 1
                if n >= len(others):
                    at = (at + n - len(others)) % len(shifts)
                break
        else:
            return current, made
    return current, made


def priced_total(value: PerPoleValue, design: Assignment, deadline: float) -> float:
    """The cost of ``design`` (k€/yr) from its poles' cached prices: :math:`C_0 + \\sum_c \\Delta_c`,
    what :class:`PerPoleValue` values it at (a pole not yet priced is priced now)."""
    return value.constant + value.delta(design, list(poles_of(design)), deadline)


def _moves(design: Assignment, ctx: RepairContext, inputs):
    """(trial design, seats re-priced before, seats re-priced after) for each candidate move."""
    rules, pairs, nbrs = ctx.rules, ctx.pairs, ctx.nbrs
    poles = poles_of(design)
    fixed = set(rules.fixed_seats)
    apart = ctx.apart
    grouped = set(pairs.group_of)
    # merge two neighbouring poles
    for j, members in poles.items():
        touching = sorted({design[v] for u in members for v in nbrs[u] if design.get(v) not in (None, j)})
        for k in touching:
            if k < j:
                continue  # each pair once
            union = list(members) + list(poles[k])
            if any(apart.get(i, set()) & set(union) for i in union):
                continue
            for seat in (j, k):
                other = k if seat == j else j
                if other in fixed or any(seat not in pairs.seats_of.get(i, ()) for i in union):
                    continue
                trial = dict(design)
                for i in poles[other]:
                    trial[i] = seat
                yield trial, [j, k], [seat]
    # re-seat a pole at another member
    for j, members in poles.items():
        if j in fixed:
            continue
        for s in members:
            if s == j or s not in pairs.seats or any(s not in pairs.seats_of.get(i, ()) for i in members):
                continue
            trial = dict(design)
            for i in members:
                trial[i] = s
            yield trial, [j], [s]
    # shift a border commune to a neighbouring pole
    for i in sorted(design):
        j = design[i]
        if j is None or i == j or i in grouped:
            continue
        rest = [m for m in poles[j] if m != i]
        targets = sorted({design[v] for v in nbrs[i] if design.get(v) not in (None, j)})
        if not targets or len(pieces(rest, nbrs)) != 1:
            continue
        for k in targets:
            if k not in pairs.seats_of.get(i, ()) or apart.get(i, set()) & set(poles[k]):
                continue
            trial = dict(design)
            trial[i] = k
            yield trial, [j, k], [j, k]


def _pays(value: PerPoleValue, before: list, after: list, deadline: float) -> bool:
    r"""Whether the poles ``after`` cost strictly less (by 1e-6 k€/yr, so the search ends) than
    the poles ``before`` they replace. Each new pole is priced only against what is left to beat
    (:meth:`PerPoleValue.pole_below`) once every pole after it has a floor: a move that does not
    pay is refused without its exact prices. A pole that only loses members keeps its seat's
    floor without a MILP (:meth:`PerPoleValue.known_floor`: the old pole's price less its
    travel, or any larger pole of that seat priced before), so it is priced last: a shift whose gaining pole does not beat
    :math:`\sum \Delta_{before} - \underline\Delta(\text{losing pole})` is refused with one MILP,
    not two. The other poles go first, smaller first: exactly while a pole after them has no
    floor, then below the budget less the floors after them."""
    budget = sum(value.pole(j, m, deadline).delta for j, m in before) - 1e-6
    if not math.isfinite(budget):
        return False
    floors = [value.known_floor(j, m) for j, m in after]
    # last: a pole that only lost members (its floor is the old pole's price, tight); measured
    # from Champagnole's travel-optimal poles to the simple moves' optimum, 527 MILPs ordered so
    # against 541 ordered by any floor
    shrunk = [any(k == j and set(m) <= set(old) for k, old in before) for j, m in after]
    order = sorted(range(len(after)), key=lambda p: (shrunk[p] and math.isfinite(floors[p]), len(after[p][1])))
    for n, p in enumerate(order):
        j, members = after[p]
        later = sum(floors[q] for q in order[n + 1:])
        if n + 1 < len(order) and not math.isfinite(later):
            budget -= value.pole(j, members, deadline).delta  # nothing bounds the rest: the exact price
            if not math.isfinite(budget):
                return False
            continue
        priced = value.pole_below(j, members, budget - later, deadline)
        if priced is None:
            return False
        budget -= priced.delta
    return True
