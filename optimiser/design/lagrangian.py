r"""A Lagrangian lower bound on a separable service design: the assignment rows relaxed.

When the service problem separates by pole (:func:`.pole_pricing.separable`), the cost of any
design that obeys every rule is

.. math:: \text{cost} = C_0 + \sum_{\text{poles } (j, M)} \Delta(j, M) \;(+\ \text{terms} \ge 0),

with :math:`\Delta(j, M)` the optimal change of the pole seated at *j* with members *M*
(:mod:`.pole_pricing`). Each commune is in at most one pole: :math:`\sum_j x_{ij} \le 1`.
Relaxing these rows with multipliers :math:`\lambda_i \ge 0` (k€/yr) and dropping every rule
that couples poles but the count (contiguity, 'together', 'apart', opt-out caps, travel penalties
of communes alone — all only remove designs or add non-negative terms) gives, for every design,

.. math:: \text{cost} \ge L(\lambda) = C_0 - \sum_i \lambda_i
   + \sum_{\text{the } K^{max} \text{ smallest}} \min\Big(0,\; \ell_j(\lambda)\Big), \qquad
   \ell_j(\lambda) = \min_{M \ni j} \big[\Delta(j, M) + \sum_{i \in M} \lambda_i\big],

since each pole of the design appears in the inner minimum of its seat, a design has at most
:math:`K^{max}` poles (``rules.count_max``; else one per seat), one per seat, so the sum of their
terms is at least that of the :math:`K^{max}` most negative, and the seats without a pole
contribute 0, while :math:`\sum_i \lambda_i (\sum_j x_{ij} - 1) \le 0` — with :math:`\lambda_i`
of either sign for a commune that may not stay alone (its row is an equality). The inner minimum is
the seat's **pricing problem**: the one-seat service model (every fairness constraint, sizes,
seat share) with the seat open, every other commune free to join or stay out, and
:math:`\lambda_i` added to the cost of *i* joining. Any lower bound on it keeps :math:`L` valid,
so each pricing MILP may stop at its time limit: its proven dual bound is used.

**Start.** :math:`\lambda^0_i` = commune *i*'s saving in the member-by-member bound
(:func:`optimiser.model.service_bound.member_savings_keur`). That bound shows
:math:`\Delta(j, M) \ge -\sum_{i \in M} \lambda^0_i` for every pole, so every pricing value is
:math:`\ge 0` and :math:`L(\lambda^0) = C_0 - \sum_i \lambda^0_i`: exactly the member-by-member
bound. The best :math:`L` over the iterations is therefore never below it.

At :math:`\lambda^0` no pole opens (all pricing values are :math:`\ge 0`), so the first
supergradient is :math:`-1` everywhere without a solve.

**Skipping seats.** A seat priced at :math:`\lambda'` with proven bound :math:`\ell'` is still
bounded at :math:`\lambda` by

.. math:: \ell_j(\lambda) \ge \ell' + (\lambda_j - \lambda'_j)
   - \max_{M \ni j \text{ a pole of } j} \sum_{i \in M \setminus j} \max(0, \lambda'_i - \lambda_i)

(:func:`shifted_bound`: the seat is in every pole, so its own change passes exactly; the others
are at most the pole's :math:`n_j - 1` members within its room of inhabitants,
:class:`~optimiser.model.service_bound.SeatCapacity` — the rules every pole of a design obeys,
so the bound holds over every pole a design may use, which is all :math:`L` needs); when that is
:math:`\ge 0` the seat contributes 0 (no pole, which is then an optimal choice of its inner
minimum, so the supergradient stays exact) without a solve. So is any
seat by the floor ``floor(j, λ)`` when given (:mod:`.column_generation`: the member-by-member
argument at that one seat). Seats are taken cheapest bound first, and each round stops as soon
as :math:`K^{max}` seats priced are at or below the next seat's cheap bound: the seats left
cannot enter the :math:`K^{max}` smallest (their values are at least their cheap bounds), so
they keep those bounds and :math:`L` is unchanged. Each pricing MILP gets that threshold (0
until :math:`K^{max}` are negative) as a cutoff (:meth:`_SeatPricing.solve`: a seat at or above
it is proven so far faster than its optimum is found — 0.05–0.2 s instead of 0.5–3 s on the CC du
Pays Rethélois). A round stopped by the deadline keeps the cheap bounds of the seats it did not
reach: :math:`L` is still a bound.

**Rounds priced by LP relaxations.** Any lower bound on :math:`\ell_j` keeps :math:`L` valid, so
a round may price each seat by the LP relaxation of its pricing MILP
(:meth:`_SeatPricing.relaxed`, integrality dropped, the same rows): :math:`\ell^{LP}_j \le
\ell_j`. Its fractional solution :math:`x^{LP}` gives the supergradient of that relaxed bound
(:math:`g_i = \sum_j x^{LP}_{ij} - 1`). Warm-started from the seat's last basis, an LP takes
0.01–0.4 s where the MILP takes 0.3–9 s (CC Champagnole Nozeroy Jura, 66 communes, load 9), and
lies 0–3.5 k€/yr below it per seat: in the same 25 s the LP rounds reach 5,468–5,486 k€/yr
against 5,452 for MILP rounds. Until ``relaxed_until`` the rounds are LP ones — or until
:data:`RELAXED_STALL_ROUNDS` of them in a row found no better bound; the MILP rounds after them
start from the best multipliers found, with the step that reached them and each seat's bound
there (a MILP pricing is at least its LP: the bound only rises) — they give the columns and the
last k€. Few and dear (a round takes seconds where an LP round takes a tenth), a MILP round that
does not raise the bound sends the next one from the best multipliers again, with θ halved
(Champagnole, the column generation alone from the search's design, 100 s at load 11–12:
5,483.8 k€/yr when 60 LP rounds used every iteration; 5,503.1 with the hand-over, its MILP
rounds overshooting; 5,506.4 going back to the best, each MILP round higher: 5,499.8 after the
LP rounds, then 5,502.2, 5,504.3, 5,505.5, 5,506.4).

**Updates.** Projected subgradient ascent: with :math:`g_i = \sum_j x_{ij} - 1` from the pricing
solutions of the :math:`K^{max}` most negative seats priced, :math:`\lambda \leftarrow \lambda + t g` (projected on
:math:`\lambda_i \ge 0` for the communes allowed alone), Polyak step
:math:`t = \theta (U - L)/\lVert g \rVert^2` toward the incumbent's cost *U*, θ halved after
two iterations without a better bound. *U* may be any value
at least :math:`\max_\lambda L` (it sets step sizes only): the caller may give a lower one than the
incumbent, the LP over the poles collected so far (a set-partitioning LP over some of the poles
the pricing ranges over, whose costs are at least their exact ones: at least the LP over all of
them, which is at least every :math:`L`) — nearer the maximum, the steps overshoot less.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable

import numpy as np
import pulp

from ..inputs import Inputs
from ..model.service_bound import SeatCapacity
from ..solvers import STOP, LpRelaxation, SolverOptions, Status
from .pole_pricing import PerPoleValue


@dataclasses.dataclass
class LagrangianBound:
    """The best bound found (k€/yr, ``-inf`` if none), its multipliers and how it was reached."""

    value: float
    multipliers: dict[str, float]
    iterations: int
    solves: int


class _SeatPricing:
    """The pricing problem of one seat (module docstring), solved again per λ on the seat's
    HiGHS model that :class:`.pole_pricing.PerPoleValue` prices the seat's poles on (built once
    for both: every commune that may join the seat, each free to stay out): a pricing opens the
    seat, frees the members, puts λ on their costs and drops the cost of staying out; the next
    pole pricing gets the model's own costs and bounds back (:class:`~optimiser.solvers.ResolvableModel`
    restores what it no longer names), in this process or in HiGHS's child."""

    def __init__(self, value_of: PerPoleValue, seat: str):
        if seat not in value_of.seat_models:
            value_of.seat_models[seat] = value_of._seat_model(seat)
        model, seat_constant, candidates = value_of.seat_models[seat]
        self.model, self.problem, self.seat = model, model.problem, seat
        # Δ = objective (no constant) + (the seat model's constant, Σ standalone, − C₀)
        self.offset = seat_constant - value_of.constant
        named = {v.name: v for v in model.variables}
        self.x = {i: named[f"x_{i}_{seat}"] for i in candidates}
        self.alone = [named[f"alone_{i}"] for i in candidates if f"alone_{i}" in named]
        out = {v.name for v in self.alone}
        self.pole_objective = self.problem.objective
        self.base = pulp.LpAffineExpression([(v, c) for v, c in self.pole_objective.items() if v.name not in out])
        coefficient = {v.name: c for v, c in self.pole_objective.items()}
        self.base_cost = np.array([coefficient.get(v.name, 0.0) for v in self.x.values()])
        self.free = {v.name: (0.0, 1.0) for i, v in self.x.items() if i != seat} | {v.name: (0.0, 1.0) for v in self.alone}
        self.free[self.x[seat].name] = (1.0, 1.0)
        # the pole connected, when the seat model carries the rows (pole_pricing.add_connectivity):
        # every pole of a design is, so the minimum over connected poles still bounds them all
        self.free.update({name: (0.0, 0.0) for name in named if name.startswith("seatcut_")})
        self.watchdog = ""  # why the last solve was stopped past its limit or killed ("" if it was not)
        self.relaxation: LpRelaxation | None = None  # built at its first use (:meth:`relaxed`)

    def relaxed(self, multipliers: dict[str, float], limit: float) -> tuple[float, dict[str, float] | None]:
        r"""(a lower bound on :math:`v` from the pricing's LP relaxation, each candidate's
        :math:`x_i` in the LP solution — fractional — or None): a relaxation of the pricing MILP,
        so its optimum is at most :math:`v`; ``-inf`` when not solved to optimality in ``limit``
        s. Warm-started from the last LP basis of this seat (only the costs change): 0.01–0.3 s
        against 0.3–9 s for the MILP on a 66-commune EPCI, 0–3.5 k€/yr below it per seat."""
        if self.relaxation is None:
            self.relaxation = LpRelaxation(self.model, self.free)
        costs = {v.name: c + multipliers[i] for (i, v), c in zip(self.x.items(), self.base_cost)}
        costs.update({v.name: 0.0 for v in self.alone})
        value, col = self.relaxation.solve(costs, limit)
        if value is None:
            return -math.inf, None
        position = self.model.position
        return value + self.offset, {i: float(col[position[v.name]]) for i, v in self.x.items()}

    def solve(self, multipliers: dict[str, float], options: SolverOptions, limit: float, cutoff: float = math.inf):
        r"""(a lower bound on :math:`v = \min \Delta + \sum \lambda x`, the members joining in the
        solution found or None). ``found_delta`` is then that solution's Δ (k€/yr, the pole's cost
        with its services as found: at least the pole's exact Δ; ``inf`` when none).

        With a finite ``cutoff`` *c* the MILP prunes every node whose relaxation is :math:`\ge c`
        (HiGHS ``objective_bound``), which is much faster when the seat turns out not to matter
        (:math:`v \ge c`); the nodes left then bound the rest, so :math:`v \ge \min(b, c)` for the
        bound *b* it reports, and that is what is returned (*c* when it found nothing below *c*).
        A solution is returned only when it is below *c*."""
        costs = {v.name: c + multipliers[i] for (i, v), c in zip(self.x.items(), self.base_cost)}
        costs.update({v.name: 0.0 for v in self.alone})
        # the PuLP objective follows (the outcome's objective is recomputed from it), then is put
        # back; the HiGHS model's own costs and bounds come back at the next pole pricing
        self.problem.setObjective(self.base + pulp.lpSum(multipliers[i] * v for i, v in self.x.items()))
        try:
            outcome = self.model.solve(self.free, options, limit, costs,
                                       cutoff - self.offset if math.isfinite(cutoff) else math.inf)
        finally:
            self.problem.objective = self.pole_objective
        self.found_delta = math.inf
        self.watchdog = outcome.watchdog
        if outcome.status is Status.INFEASIBLE:
            return (cutoff if math.isfinite(cutoff) else -math.inf), None  # nothing below the cutoff
        if outcome.bound is None or not math.isfinite(outcome.bound):
            return -math.inf, None
        value = min(outcome.bound + self.offset, cutoff)
        joined = None
        if outcome.values and outcome.objective is not None and outcome.objective + self.offset < cutoff:
            joined = [i for i, v in self.x.items() if outcome.values.get(v.name, 0.0) > 0.5]
            self.found_delta = outcome.objective + self.offset - sum(multipliers[i] for i in joined)
        return value, joined


#: Seconds left below which a seat whose model is not built yet is not priced (a build takes
#: 0.3–0.7 s on a 65-commune EPCI): the run's time limit is kept.
BUILD_S = 1.5
#: The least time limit of one seat pricing (s), and the time left below which a built seat is
#: no longer priced. A pricing stopped sooner nearly never proves anything: measured on the CC du
#: Pays Rethélois with the round's time shared among its 65 seats (0.3–0.45 s each), 65 of 73
#: pricings ran into their limit, most with no bound at all (the seat then keeps its cheap one),
#: and 30 s of rounds left the bound at the member-by-member one; with at least 5 s, 1 of 38 did
#: (most took 0.2–4 s at load 8, 0.5–3 s quiet). The seats a round does not reach keep their
#: cheap bounds (still valid).
PRICING_MIN_S = 1.5
PRICING_START_S = 1.0


#: LP rounds in a row without a better bound after which the MILP rounds start, whatever the time
#: left to the LP rounds: by then θ has been halved four times and the bound no longer moves
#: (CC Champagnole Nozeroy Jura: best at the 22nd round, 5,483.8 k€/yr, then 37 rounds within
#: 2 k€ of it until the iterations ran out, and the MILP rounds, which raise it, never started).
RELAXED_STALL_ROUNDS = 8
#: The least rise of the bound (relative) that keeps the LP rounds going (:data:`RELAXED_STALL_ROUNDS`):
#: near their maximum the LP rounds creep up by less. CC du Saulnois (128 communes, 300 s): the
#: LP rounds reached 7,671.5 k€/yr at round 36 and crept to 7,672.0 by round 83, each creep
#: resetting the stall count, until the 200 rounds ran out — no MILP round ever started, and the
#: 120 s of master-dual rounds after them never rose above it.
STALL_TOLERANCE = 1e-4

#: The time limit of one seat's LP relaxation (s): warm-started it takes 0.01–0.3 s (66-commune
#: EPCI, load 9–10); a round started before the LP rounds' end is finished with LPs.
RELAXED_LIMIT_S = 2.0


def pricing_limit(left: float, seats_left: int) -> float:
    """The time limit (s) of the next seat pricing: a share of the ``left`` seconds among the
    ``seats_left`` seats still to price, at least :data:`PRICING_MIN_S`, at most 10 s, never past
    the deadline."""
    return max(0.3, min(10.0, left - 0.2, max(PRICING_MIN_S, left / max(1, seats_left))))

#: θ of the Polyak steps (halved after two steps without a better bound), and of the first one,
#: from λ⁰ (every seat ≥ 0, the direction −1 everywhere): a full step there overshoots (CC du
#: Pays Rethélois: 6,960 → 6,887 k€, back above only at the third round), a short one rises at once.
STEP, FIRST_STEP = 0.5, 0.2


def lagrangian_bound(value_of: PerPoleValue, deadline: float, upper: float, max_iterations: int = 60,
                     trace: list | None = None, tolerance: float = 1e-6,
                     on_pole: Callable[[str, tuple[str, ...], float], None] | None = None,
                     floor: Callable[[str, dict[str, float]], float] | None = None,
                     new_upper: Callable[[], float] | None = None, incidents: list[str] | None = None,
                     ceiling: Callable[[], float] | None = None, relaxed_until: float = -math.inf) -> LagrangianBound:
    """The bound of the module docstring within ``deadline`` (``time.perf_counter()`` seconds);
    ``upper`` is the incumbent's cost (k€/yr) for the step size (``inf``: none); ``trace``
    collects (iteration, clock, L) for benchmarks; it stops once within ``tolerance`` (relative)
    of ``upper``. ``on_pole(seat, members, Δ found)`` receives every pricing solution (a
    candidate pole: :mod:`.column_generation` collects them); ``floor(seat, λ)``, a lower bound
    on the seat's pricing value needing no solve, skips the seat when ≥ 0 (as the stale bound);
    ``new_upper()``, called after each iteration, may lower ``upper`` (a better design found);
    ``incidents`` collects a line for each seat pricing the watchdog stopped or killed (its seat
    keeps its cheap bound); ``ceiling()``, a value no bound of this kind can exceed (the
    restricted master LP of :mod:`.column_generation`), replaces ``upper`` as the steps' target
    when lower: only the step sizes follow it, never the bound."""
    inputs, pairs = value_of.inputs, value_of.pairs
    # HiGHS prices the seats whatever the run's solver: it honours short time limits and reports
    # its proven bound when stopped (CBC may overrun a 1 s limit by half a minute)
    options = dataclasses.replace(value_of.options, name="highs", gap=min(value_of.options.gap, 1e-4))
    c0 = value_of.constant
    saved = value_of.member_savings()
    caps = saved.caps
    lam = {i: max(0.0, s) for i, s in saved.by_member.items()}
    for i in pairs.seats_of:
        lam.setdefault(i, 0.0)
    best = LagrangianBound(c0 - sum(lam.values()), dict(lam), 0, 0)
    seats = [j for j in pairs.seats if pairs.members_of.get(j)]
    pricing: dict[str, _SeatPricing] = {}
    theta, stale = STEP, 0
    covered = set(lam) - set(inputs.rules.allow_alone)  # in a pole in every design: λ of any sign
    k_max = _pole_count_max(inputs, len(seats))
    # per seat: (λ when last priced, its proven lower bound then); at λ⁰ every seat is ≥ 0
    priced = {j: (dict(lam), 0.0) for j in seats}
    best_priced = dict(priced)
    relaxed = False
    best_at, best_theta = 0, STEP  # the round whose bound is the best so far, and θ in its step
    after_lp = False  # MILP rounds after LP rounds (few and dear: each one that fails goes back to the best)
    best_step = None  # (supergradient, its squared norm) at the best multipliers, in MILP rounds after LP ones
    for it in range(max_iterations):
        if it and (deadline - time.perf_counter() < 0.5 or STOP.requested):
            break
        if relaxed and it - best_at > RELAXED_STALL_ROUNDS:
            relaxed_until = time.perf_counter()  # the LP rounds have stalled: the MILP rounds now
        if relaxed and time.perf_counter() >= relaxed_until:
            # the LP rounds end: the MILP rounds start from their best multipliers (each seat's
            # MILP bound there at least its LP one), with the step that reached them — near the
            # maximum, a step as at the start overshoots (Champagnole: 5,496.0 → 5,431.3 k€/yr, one
            # MILP round of 18 s lost)
            lam, theta, stale, priced = dict(best.multipliers), best_theta, 0, dict(best_priced)
            after_lp, best_step = True, None
        relaxed = time.perf_counter() < relaxed_until
        # At λ⁰ every pricing value is ≥ 0 (module docstring): L = the member-by-member bound and
        # no pole opens, a supergradient of −1 everywhere, known without a solve.
        low: dict[str, float] = {}
        for j in seats if it else []:
            then, was = priced[j]
            low[j] = shifted_bound(j, was, then, lam, pairs.members_of[j], caps.get(j))
            if floor is not None and low[j] < 0:
                low[j] = max(low[j], floor(j, lam))
        solutions: dict[str, dict[str, float]] = {}  # seat → its members' x in the pricing solution
        order = sorted(low, key=low.get)
        cut_short = False
        for n, j in enumerate(order):
            if low[j] >= 0 or outside_top(low[j], [low[k] for k in solutions], k_max):
                break  # the seats left cannot change the bound (docstring, "Skipping seats")
            left = deadline - time.perf_counter()
            if left < (PRICING_START_S if j in pricing else BUILD_S) or STOP.requested:
                cut_short = True
                break  # the seats left keep their cheap bounds: L stays valid
            if j not in pricing:
                pricing[j] = _SeatPricing(value_of, j)
            limit = pricing_limit(deadline - time.perf_counter(), len(order) - n)
            if relaxed:
                value, x = pricing[j].relaxed(lam, min(limit, RELAXED_LIMIT_S))
                joined = None
            else:
                value, joined = pricing[j].solve(lam, options, limit, top_cutoff([low[k] for k in solutions], k_max))
                x = dict.fromkeys(joined or (), 1.0)
                if pricing[j].watchdog and incidents is not None:
                    incidents.append(watchdog_note(j, pricing[j].watchdog))
            # a pricing stopped without a proven bound (-inf, seen under load) keeps the cheap
            # one, still valid at λ: an infinite term would make the step and every λ infinite
            low[j] = max(value, low[j])
            priced[j] = (dict(lam), low[j])
            solutions[j] = x or {}
            best.solves += 1
            if joined and on_pole is not None:
                on_pole(j, tuple(joined), pricing[j].found_delta)
        negative = sorted(min(0.0, v) for v in low.values())[:k_max]
        total = c0 - sum(lam.values()) + sum(negative)
        best.iterations = it + 1
        if trace is not None:
            trace.append((it, round(time.perf_counter(), 1), total))
        improved = total > best.value + 1e-9
        if improved:
            if total > best.value + STALL_TOLERANCE * max(1.0, abs(best.value)):
                best_at = it  # a rise that counts: the LP rounds have not stalled yet
            best.value, best.multipliers, stale, best_theta = total, dict(lam), 0, theta
            best_priced = dict(priced)  # each seat's bound at (or shifted to) the best multipliers
        else:
            stale += 1
            if stale >= (1 if after_lp else 2):
                theta, stale = theta / 2, 0
        if cut_short and not solutions:
            break  # no seat could be priced in the time left: further steps would price none either
        if new_upper is not None:
            upper = min(upper, new_upper())
        # the relaxed problem's solution: the poles of the k_max most negative seats priced
        used = dict.fromkeys(lam, 0)
        opened = sorted((j for j in solutions if low[j] < 0 and solutions[j]), key=low.get)[:k_max]
        for j in opened:
            for i, share in solutions[j].items():
                used[i] += share
        g = {i: used[i] - 1 for i in lam}
        norm = sum(v * v for v in g.values())
        if norm == 0 or (math.isfinite(upper) and upper - best.value <= tolerance * max(1.0, abs(upper))):
            break
        base, at = lam, total
        if after_lp and improved:
            best_step = (g, norm)
        elif after_lp and best_step is not None:
            # a MILP round after the LP ones that did not raise the bound: the next one goes from
            # the best multipliers again, half as far (Champagnole: one MILP round of 15 s at load
            # 12 overshot from 5,492.2 to 5,443.0 k€/yr and the time left allowed no other)
            base, at, (g, norm) = best.multipliers, best.value, best_step
        target = upper if math.isfinite(upper) else best.value + 0.01 * abs(best.value)
        if ceiling is not None:
            target = min(target, max(ceiling(), best.value + 1e-4 * abs(best.value)))
        step = (FIRST_STEP if it == 0 else theta) * max(target - at, 1e-3 * abs(target)) / norm
        moved = _moved(base, g, step, covered)
        if it == 0 and floor is not None:
            moved = _first_step_by_floors(c0, lam, g, step, covered, seats, floor, k_max)
        lam = moved
    return best


def _moved(lam: dict[str, float], g: dict[str, float], step: float, covered: set[str]) -> dict[str, float]:
    """λ + step·g, projected on λ_i ≥ 0 for the communes allowed alone (not in ``covered``)."""
    return {i: lam[i] + step * g[i] if i in covered else max(0.0, lam[i] + step * g[i]) for i in lam}


def _first_step_by_floors(c0: float, lam: dict[str, float], g: dict[str, float], step: float, covered: set[str],
                          seats: list[str], floor: Callable[[str, dict[str, float]], float], k_max: int) -> dict[str, float]:
    r"""The first step's multipliers: of ``step`` and its halvings, the one where the bound from
    the seats' cheap floors alone, :math:`C_0 - \sum_i \lambda_i + \sum_{K^{max}} \min(0,
    \text{floor}_j(\lambda))` (valid with no solve), is highest. The first round prices every
    seat whose floor is negative, most of them on a seat model not built yet (0.5–0.9 s each at
    load 7–12): a step the floors already prove leaves few of them, so that round ends within the
    few seconds a 60 s run leaves it (CC Champagnole Nozeroy Jura: the Polyak step left ~30 seats
    to price, and under load the round never ended). Only the step follows; the bound is the
    round's own."""
    def by_floors(candidate: dict[str, float]) -> float:
        lows = sorted(min(0.0, floor(j, candidate)) for j in seats)[:k_max]
        return c0 - sum(candidate.values()) + sum(lows)

    best_lam, best_value = _moved(lam, g, step, covered), -math.inf
    for halvings in range(FIRST_STEP_HALVINGS + 1):
        candidate = _moved(lam, g, step / 2 ** halvings, covered)
        value = by_floors(candidate)
        if value > best_value + 1e-9:
            best_lam, best_value = candidate, value
    return best_lam


#: How many halvings of the first Polyak step :func:`_first_step_by_floors` tries.
FIRST_STEP_HALVINGS = 5


def watchdog_note(seat: str, why: str) -> str:
    """The run's message for a seat pricing the watchdog stopped or killed."""
    return f"the seat pricing of {seat} was stopped by the watchdog ({why}): the seat kept its cheap bound"


def shifted_bound(seat: str, bound: float, then: dict[str, float], now: dict[str, float],
                  reach: tuple[str, ...], cap: SeatCapacity | None) -> float:
    r"""A lower bound on the seat's pricing value at the cost coefficients ``now`` from a lower
    bound ``bound`` proven at ``then`` (module docstring, "Skipping seats"): the seat's own
    change exactly, less the largest sum of the others' decreases :math:`\max(0, \lambda'_i -
    \lambda_i)` a pole of the seat can hold (``cap``: at most its member count, within its room;
    ``None``: every commune of ``reach``). Valid whatever the signs: each pole *M* changes
    :math:`\sum_{i \in M} \lambda_i` by at least that much."""
    falls = {i: then[i] - now[i] for i in reach if i != seat and then[i] > now[i]}
    most = cap.most(seat, falls) if cap is not None else sum(falls.values())
    return bound + (now[seat] - then[seat]) - most


def _pole_count_max(inputs: Inputs, seats: int) -> int:
    """The most poles a design may open (``rules.count_max``, else one per seat)."""
    count_max = inputs.rules.count_max
    return seats if count_max is None else max(0, min(seats, int(count_max)))


def top_cutoff(held: list[float], k: int) -> float:
    """The value at or above which a seat's pricing no longer changes the sum of the ``k`` most
    negative, ``held`` being the values of seats already priced: 0 while fewer than ``k`` are
    negative, else the ``k``-th smallest (the pricing's cutoff)."""
    negative = sorted(v for v in held if v < 0)
    return negative[k - 1] if len(negative) >= k else 0.0


def outside_top(value: float, held: list[float], k: int) -> bool:
    """Whether a seat whose pricing value is at least ``value`` can no longer be among the ``k``
    most negative, ``held`` being values (lower bounds) of seats already priced: true when
    ``k`` of them are at or below it (a seat's larger true value only moves it further out)."""
    return len(held) >= k and sorted(held)[k - 1] <= value
