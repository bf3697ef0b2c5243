r"""Column generation over poles: a set-partitioning LP bound and designs from its columns.

When the service problem separates by pole (:func:`.pole_pricing.separable`) a design is a set
*S* of poles :math:`c = (j, M)` (seat *j*, members *M* ∋ *j*) costing

.. math:: \text{cost}(S) = C_0 + \sum_{c \in S} \Delta_c \;(+\ \text{terms} \ge 0),

with :math:`\Delta_c` the exact optimal change of pole *c* (:class:`.pole_pricing.PerPoleValue`).

**Master.** Over a set of columns, the LP

.. math:: \min\; C_0 + \sum_c \Delta_c y_c \quad\text{s.t.}\quad
   \sum_{c \ni i} y_c \in [r_i, 1]\ (\pi_i), \qquad
   \sum_c y_c \in [K^{min}, K^{max}]\ (\mu), \qquad y \ge 0,

with :math:`r_i = 0` for a commune allowed alone and 1 otherwise, relaxes every design made of
those columns (their other rules — contiguity, 'together', 'apart', the opt-out cap — are dropped).
HiGHS gives its duals :math:`\pi_i` and :math:`\mu`.

**Bound (valid at any duals).** For any :math:`(\pi, \mu)` and any design *S* obeying every rule
(every commune *i* covered :math:`k_i \in \{r_i, 1\}` times, :math:`|S| \in [K^{min}, K^{max}]`,
at most one pole per seat), with the reduced cost :math:`\bar\Delta_c = \Delta_c - \sum_{i \in c}
\pi_i - \mu`,

.. math:: \text{cost}(S) - C_0 \ge \sum_{c \in S} \Delta_c
   = \sum_{c\in S} \bar\Delta_c + \sum_i \pi_i k_i + \mu |S|
   \ge \sum_{c \in S} \bar\Delta_c + \sum_i \min_{k \in \{r_i, 1\}} \pi_i k
   + \min_{K \in [K^{min}, K^{max}]} \mu K.

Each pole of *S* is a candidate of its seat's **pricing problem**
:math:`\ell_j \le \min_{M \ni j} \Delta(j, M) - \sum_{i\in M} \pi_i` (the one-seat service
model of :class:`.lagrangian._SeatPricing` with coefficients :math:`-\pi_i`: it keeps every rule of
one pole — sizes, seat share, fairness, modes, and the pole connected when contiguity is required
(:func:`.pole_pricing.add_connectivity`: a flow from the seat through members; every pole of a
design is connected, and without it most pricing solutions were pieces: 45 of 53 on the CC du
Pays Rethélois) — and drops 'together' and 'apart', so its minimum is below that of any pole a
design may use; the proven dual bound of a MILP stopped at
its time limit is still a lower bound), and *S* has at most one pole per seat and at most
:math:`K^{max}` poles, so :math:`\sum_{c\in S}\bar\Delta_c \ge` the sum of the :math:`K^{max}`
most negative :math:`\min(0, \ell_j - \mu)`. Hence

.. math:: L(\pi, \mu) = C_0 + \sum_i \min_{k} \pi_i k + \min_K \mu K
   + \sum_{\text{the } K^{max} \text{ smallest}} \min(0, \ell_j - \mu)

is a lower bound on the full problem (every rule) **whatever** :math:`(\pi, \mu)` are. At the
master's optimal duals its first three terms are the master LP value (strong duality), so
:math:`L` = master LP value + the seats' negative reduced costs, as in textbook column
generation; when no seat has a negative one the LP value is itself the bound (the LP optimum over
all poles a seat may hold). It is the Lagrangian dual of :mod:`.lagrangian` with the covering
equalities and the count added, solved by the master instead of subgradient steps.

**Duals.** Any duals give a valid bound; good ones come in two phases.

1. *Subgradient steps* (:func:`.lagrangian.lagrangian_bound`, the same bound with
   :math:`\pi = -\lambda \le 0`, :math:`\mu = 0`): from the member-by-member savings
   (:math:`\pi_i = -\text{saving}_i`, where every seat's pricing value is ≥ 0, so the best
   :math:`L` is never below that bound), Polyak steps toward the incumbent. Measured on the CC du
   Pays Rethélois (65 communes, 65 seats, each pricing MILP 0.5–3 s), this climbs far faster than
   master duals do: after the first round most seats stay proven ≥ 0 and are skipped (6,991 k€ in
   37 s, 7,010 in 200 s, against 6,960 after 300 s at the master's duals — degenerate at the
   incumbent, they make every seat's pricing negative and hard). Every pricing solution is kept
   as a column, with the Δ of the solution found (at least the exact one). The first
   :data:`RELAXED_SHARE` of the time, the rounds price each seat's LP relaxation instead (a lower
   bound on its pricing MILP, 5–20 times faster warm-started: :mod:`.lagrangian`), then MILP
   rounds from the best multipliers.
2. *Master duals* (when the steps stop: converged or out of iterations, with time left): the
   pricing runs at :math:`\tilde\pi = \alpha \hat\pi + (1 - \alpha) \pi^{LP}` (Wentges
   smoothing), :math:`\hat\pi` the duals of the best bound so far; when a round at
   :math:`\tilde\pi` finds no column, the next runs at :math:`\pi^{LP}` itself, and when that
   finds none either, no column prices out: the LP value is the bound.

**Skipping seats.** A seat priced at :math:`\pi'` with bound :math:`\ell'` is still bounded at
:math:`\pi` by :math:`\ell' - (\pi_j - \pi'_j) - \sum_{i \ne j} \max(0, \pi_i - \pi'_i)` (the seat
is in every pole, each other :math:`x_i \le 1`), and any
seat by the member-by-member argument one seat at a time: :math:`\Delta(j, M) \ge -\sum_{i\in M}
s_{ij}` (:func:`~optimiser.model.service_bound.member_savings_by_seat_keur`), so
:math:`\ell_j \ge -s_{jj} - \pi_j + \sum_{i \ne j} \min(0, -s_{ij} - \pi_i)`. Both sums over
the other members may keep only what one pole of the seat can hold (its member count and room of
inhabitants from the pole rules, :class:`~optimiser.model.service_bound.SeatCapacity`): every
pole a design may use obeys them. When the better of
the two, less :math:`\mu`, is :math:`\ge 0` the seat contributes nothing and is not solved; a seat
whose pricing does not fit in the time left keeps it too (still valid). Seats are priced most
negative first, and only while they can still enter the :math:`K^{max}` most negative: once
:math:`K^{max}` priced seats are at or below the next seat's cheap bound, the rest keep theirs
(their sum is unchanged); each pricing MILP gets that threshold as a cutoff
(:func:`.lagrangian.top_cutoff`), so a seat that does not matter is proven so quickly.

**Designs.** Every pricing solution is priced exactly (:class:`PerPoleValue`, cached) and added;
when it is not connected, its piece holding the seat is added too. The **integer master** (the
same rows, :math:`y` binary, only the columns that obey the rules one pole can check alone:
connected, no 'apart' pair, 'together' groups whole) gives designs, each checked against every
rule (:func:`design_breaks`) before it is offered as an incumbent.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable

import numpy as np

from ..model.contiguity import pieces
from ..solvers import STOP, new_instance, run_stoppable
from .lagrangian import (
    BUILD_S,
    PRICING_START_S,
    _SeatPricing,
    lagrangian_bound,
    outside_top,
    pricing_limit,
    shifted_bound,
    top_cutoff,
    watchdog_note,
)
from .pole_pricing import PerPoleValue, pole_count_ok, poles_of

Assignment = dict[str, "str | None"]

#: Share of the column generation's time whose subgradient rounds price each seat's LP relaxation
#: (:meth:`.lagrangian._SeatPricing.relaxed`) instead of its MILP; the rounds after start from the
#: best multipliers the LP rounds reached. Measured on CC Champagnole Nozeroy Jura (66 communes,
#: 25 s of column generation from the 5,525.6 k€/yr design, load 9): MILP rounds only 5,452.0
#: (22 pricings; 5,461.0 in 40 s); 60 % LP rounds 5,470.7; 80 % 5,470.7–5,485.7 (230 LP pricings,
#: 0.01–0.4 s each warm-started).
RELAXED_SHARE = 0.8
#: Most subgradient rounds, LP and MILP ones together (the deadline ends them first: an LP round
#: of stale seats takes a tenth of a second, and 60 of them left no MILP round on Champagnole).
SUBGRADIENT_ROUNDS = 200


@dataclasses.dataclass(frozen=True)
class Column:
    """One pole: its seat, its members (the seat first, then sorted, as :func:`poles_of` writes
    them), its change :math:`\\Delta` (k€/yr: exact when priced by :class:`PerPoleValue`, else
    the services a pricing solution found — never below the exact one) and whether it obeys the
    rules a pole can be checked on alone (``usable``: it may appear in a design)."""

    seat: str
    members: tuple[str, ...]
    delta: float
    usable: bool


@dataclasses.dataclass
class MasterLP:
    """The master LP's optimum: value (k€/yr, with :math:`C_0`), duals and the columns' values."""

    value: float
    pi: dict[str, float]
    mu: float
    y: np.ndarray


@dataclasses.dataclass
class ColumnGenerationResult:
    """The best bound (k€/yr, ``-inf`` if none), the last master LP value, the designs found by
    the integer master (each obeying every rule), iterations, pricing solves and columns held."""

    bound: float
    lp_value: float
    designs: list[Assignment]
    iterations: int
    solves: int
    columns: int
    trace: list[tuple[int, float, float, float]] = dataclasses.field(default_factory=list)
    incidents: list[str] = dataclasses.field(default_factory=list)  # seat pricings the watchdog stopped


class PartitionRows:
    """The master's rows of a territory: each commune's cover range and the pole-count range."""

    def __init__(self, communes: list[str], alone_ok: set[str], count_min: int | None, count_max: int | None):
        self.communes = list(communes)
        self.row = {i: k for k, i in enumerate(self.communes)}
        self.lower = np.array([0.0 if i in alone_ok else 1.0 for i in self.communes])
        self.count_min = float(count_min or 0)
        self.count_max = float(count_max) if count_max is not None else math.inf

    def dual_terms(self, pi: dict[str, float], mu: float) -> float:
        r""":math:`\sum_i \min_{k\in\{r_i,1\}} \pi_i k + \min_{K} \mu K` (module docstring)."""
        total = sum(min(pi[i] * lo, pi[i]) for i, lo in zip(self.communes, self.lower))
        if mu >= 0:
            total += mu * self.count_min
        elif math.isfinite(self.count_max):
            total += mu * self.count_max
        else:
            return -math.inf
        return total


def solve_master(rows: PartitionRows, columns: list[Column], constant: float, integer: bool = False,
                 time_limit: float = 10.0, start: np.ndarray | None = None) -> MasterLP | None:
    """The master of the module docstring over ``columns`` (LP, or with ``integer`` binary
    :math:`y`), solved by HiGHS; ``None`` when infeasible or not solved in ``time_limit``.
    ``start``: a 0/1 vector of the columns (an integer master's warm start)."""
    import highspy

    n, m = len(columns), len(rows.communes)
    count_row = rows.count_min > 0 or math.isfinite(rows.count_max)
    h = new_instance(threads=1, time_limit=float(max(0.1, time_limit)), mip_rel_gap=1e-6)
    lp = highspy.HighsLp()
    lp.num_col_ = n
    lp.num_row_ = m + (1 if count_row else 0)
    lp.col_cost_ = np.array([c.delta for c in columns], dtype=float)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.full(n, 1.0 if integer else highspy.kHighsInf)
    lp.row_lower_ = np.concatenate([rows.lower, [rows.count_min] if count_row else []])
    upper = min(rows.count_max, highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.ones(m), [upper] if count_row else []])
    lp.offset_ = float(constant)
    starts, index = [0], []
    for c in columns:
        index += [rows.row[i] for i in c.members] + ([m] if count_row else [])
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(len(index))
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    h.passModel(lp)
    if integer and start is not None:
        solution = highspy.HighsSolution()
        solution.col_value = [float(v) for v in start]
        solution.value_valid = True
        h.setSolution(solution)
    # in this process, as every HiGHS run of the project that is not isolated: Ctrl-C stops it
    # at once (an integer master over a few thousand columns can take its whole limit)
    run_stoppable(h, time_limit)
    info = h.getInfo()
    if info.primal_solution_status != 2:  # no feasible solution
        return None
    if not integer and h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = h.getSolution()
    y = np.asarray(solution.col_value, dtype=float)
    value = float(constant + lp.col_cost_ @ y)
    if integer:
        return MasterLP(value, {}, 0.0, y)
    duals = list(solution.row_dual)
    pi = {i: float(duals[k]) for k, i in enumerate(rows.communes)}
    mu = float(duals[m]) if count_row else 0.0
    return MasterLP(value, pi, mu, y)


def usable(seat: str, members: tuple[str, ...], ctx) -> bool:
    """Whether the pole obeys the rules one pole is checked on alone: connected (unless
    contiguity is off), no 'apart' pair inside, each 'together' group whole or absent."""
    if ctx.rules.contiguity != "none" and len(pieces(list(members), ctx.nbrs)) != 1:
        return False
    inside = set(members)
    apart = ctx.apart
    if any(apart.get(i, set()) & inside for i in members):
        return False
    return all(set(group) <= inside or not set(group) & inside for group in ctx.rules.together)


def design_breaks(assignment: Assignment, ctx, inputs) -> list[str]:
    """The rules ``assignment`` breaks (empty: it obeys every rule a pole design has): every
    commune in a pole it may join or alone where allowed, the opt-out cap, the pole count,
    each pole connected, 'together' and 'apart'. Sizes and seat share are the pricing's
    (a pole breaking them has :math:`\\Delta = \\infty`)."""
    rules, pairs = ctx.rules, ctx.pairs
    out = []
    alone = [i for i, j in assignment.items() if j is None]
    out += [f"{i} alone" for i in alone if i not in rules.allow_alone]
    if rules.max_alone is not None and len(alone) > rules.max_alone:
        out.append("too many alone")
    out += [f"{i} may not join {j}" for i, j in assignment.items() if j is not None and j not in pairs.seats_of.get(i, ())]
    if not pole_count_ok(inputs, assignment):
        out.append("pole count")
    for seat, members in poles_of(assignment).items():
        if assignment.get(seat) != seat:
            out.append(f"seat {seat} not in its pole")
        if not usable(seat, members, ctx):
            out.append(f"pole {seat} breaks contiguity, 'together' or 'apart'")
    return out


class ColumnGeneration:
    """The column generation of the module docstring, run by :meth:`run`."""

    def __init__(self, value_of: PerPoleValue, ctx, alpha: float = 0.5, relaxed_share: float | None = None):
        self.value_of, self.ctx, self.alpha = value_of, ctx, alpha
        # of the subgradient phase's time, the share whose rounds price the seats' LP relaxations
        self.relaxed_share = RELAXED_SHARE if relaxed_share is None else relaxed_share
        inputs, pairs = value_of.inputs, value_of.pairs
        self.inputs, self.pairs = inputs, pairs
        rules = inputs.rules
        self.rows = PartitionRows(list(inputs.territory.codes), set(rules.allow_alone), rules.count_min, rules.count_max)
        self.k_max = rules.count_max if rules.count_max is not None else len(pairs.seats)
        self.columns: list[Column] = []
        self.keys: dict[tuple[str, tuple[str, ...]], int] = {}
        self.pricing: dict[str, _SeatPricing] = {}
        self.solves = 0
        self.incidents: list[str] = []  # a line per seat pricing the watchdog stopped or killed
        self._ceiling_at: tuple[int, float] = (-1, math.inf)  # (columns held, master LP value then)
        self.trace: list[tuple[int, float, float]] = []  # the subgradient phase's (iteration, clock, L)
        # HiGHS prices the seats whatever the run's solver (see lagrangian.py)
        self.options = dataclasses.replace(value_of.options, name="highs", gap=min(value_of.options.gap, 1e-4))
        self.seats = [j for j in pairs.seats if pairs.members_of.get(j)]
        saved = value_of.member_savings()  # shared with the subgradient steps' start
        self.caps, self.saving_at = saved.caps, saved.by_seat
        for (seat, members), priced in list(value_of.cache.items()):
            if math.isfinite(priced.delta):
                self._add(seat, members, priced.delta)

    def seed_singletons(self, deadline: float) -> None:
        """The one-commune poles (each seat on its own), when the rules allow a pole that small:
        with every commune bound to a pole they keep the master feasible on their own."""
        if (self.inputs.rules.communes_min or 1) > 1:
            return
        for j in self.seats:
            if time.perf_counter() >= deadline or STOP.requested:
                return
            self._price_exactly(j, (j,), deadline)

    def _add(self, seat: str, members: tuple[str, ...], delta: float) -> bool:
        """Hold the pole (the lower Δ when it is held already); whether it is new."""
        key = (seat, members)
        if not math.isfinite(delta):
            return False
        if key in self.keys:
            k = self.keys[key]
            if delta < self.columns[k].delta:
                self.columns[k] = dataclasses.replace(self.columns[k], delta=delta)
            return False
        self.keys[key] = len(self.columns)
        self.columns.append(Column(seat, members, delta, usable(seat, members, self.ctx)))
        return True

    def _price_exactly(self, seat: str, members: tuple[str, ...], deadline: float) -> float:
        priced = self.value_of.pole(seat, members, deadline)
        if not math.isfinite(priced.delta):
            return math.inf
        self._add(seat, members, priced.delta)
        return priced.delta

    def bound_at(self, pi: dict[str, float], mu: float, low: dict[str, float]) -> float:
        """:math:`L(\\pi, \\mu)` from each seat's pricing bound ``low`` (module docstring)."""
        base = self.rows.dual_terms(pi, mu)
        negative = sorted(min(0.0, low[j] - mu) for j in self.seats)
        return self.value_of.constant + base + sum(negative[:self.k_max])

    def run(self, deadline: float, upper: float = math.inf, tolerance: float = 1e-6,
            max_iterations: int = 200, incumbent: Assignment | None = None,
            master_s: float = 5.0, offer: Callable[[Assignment], float] | None = None) -> ColumnGenerationResult:
        """Generate columns until the bound is within ``tolerance`` (relative) of ``upper``, no
        column prices out, or ``deadline`` (``time.perf_counter()`` seconds); then the integer
        master over the columns, within ``master_s`` seconds more. ``offer(design)`` takes each
        design an integer master finds on the way (before the first step, then after each one
        that added columns) and returns the incumbent's cost after it: a better design found
        early sharpens the steps' target and may end the run within ``tolerance``."""
        pairs = self.pairs
        c0 = self.value_of.constant
        held = [len(self.columns) - 1]

        def new_upper() -> float:
            nonlocal upper, incumbent
            if offer is None or len(self.columns) == held[0] or time.perf_counter() > deadline - 1.0:
                return upper
            held[0] = len(self.columns)
            for design in self.integer_designs(min(deadline, time.perf_counter() + min(2.0, master_s)), incumbent):
                value = offer(design)
                if value < upper:
                    upper, incumbent = value, design
            return upper

        new_upper()
        # the duals first climb by subgradient steps (module docstring), every pricing solution
        # kept as a column; its multipliers are the centre of the master-dual phase after it
        now = time.perf_counter()
        lag = lagrangian_bound(self.value_of, deadline, upper, tolerance=tolerance, trace=self.trace,
                               on_pole=self._collect, floor=self._floor_at_multipliers, new_upper=new_upper,
                               incidents=self.incidents, ceiling=self._ceiling,
                               relaxed_until=now + self.relaxed_share * max(0.0, deadline - now),
                               max_iterations=SUBGRADIENT_ROUNDS)
        upper = new_upper()
        self.solves += lag.solves
        center = {i: -lag.multipliers.get(i, 0.0) for i in self.rows.communes}
        center_mu = 0.0
        best = lag.value
        result = ColumnGenerationResult(best, math.nan, [], lag.iterations, 0, 0)
        if math.isfinite(upper) and upper - best <= tolerance * max(1.0, abs(upper)):
            max_iterations = 0
        priced: dict[str, tuple[dict[str, float], float]] = {}  # seat → (π, ℓ) when last priced
        smooth = True
        for it in range(max_iterations):
            if time.perf_counter() >= deadline - 0.5 or STOP.requested:
                break
            master = solve_master(self.rows, self.columns, c0, time_limit=max(0.5, deadline - time.perf_counter()))
            if master is None and self.rows.lower.any():
                # no design made of the columns held yet (no incumbent's poles, no singletons):
                # the covers relaxed to ≤ 1 keep a master (and L stays valid: a relaxation)
                self.rows.lower[:] = 0.0
                master = solve_master(self.rows, self.columns, c0, time_limit=max(0.5, deadline - time.perf_counter()))
            if master is None:
                break
            result.lp_value = master.value
            a = self.alpha if smooth else 0.0
            pi = {i: a * center[i] + (1 - a) * master.pi[i] for i in self.rows.communes}
            mu = a * center_mu + (1 - a) * master.mu
            # seats most negative first; those that can no longer be among the K most negative
            # (or are ≥ 0) keep their cheap bound (docstring, "Skipping seats")
            low = {j: self._stale(priced.get(j), pi, j) for j in self.seats}
            order = sorted(self.seats, key=low.get)
            held: list[float] = []  # ℓ_j − μ of the seats priced this round
            added = 0
            for n, j in enumerate(order):
                left = deadline - time.perf_counter()
                if low[j] - mu >= 0 or outside_top(low[j] - mu, held, self.k_max) or STOP.requested \
                        or left < (PRICING_START_S if j in self.pricing else BUILD_S):
                    break  # the seats left keep their cheap bounds: still valid
                if j not in self.pricing:
                    self.pricing[j] = _SeatPricing(self.value_of, j)
                limit = pricing_limit(deadline - time.perf_counter(), len(order) - n)
                coef = {i: -pi[i] for i in pairs.members_of[j]}
                bound_j, joined = self.pricing[j].solve(coef, self.options, limit, mu + top_cutoff(held, self.k_max))
                bound_j = max(bound_j, low[j])  # a pricing stopped without a bound keeps the stale one
                if self.pricing[j].watchdog:
                    self.incidents.append(watchdog_note(j, self.pricing[j].watchdog))
                self.solves += 1
                low[j] = bound_j
                held.append(bound_j - mu)
                priced[j] = (dict(pi), bound_j)
                if joined:
                    added += self._columns_from(j, joined, pi, mu, deadline)
            value = self.bound_at(pi, mu, low)
            result.trace.append((it, time.perf_counter(), value, master.value))
            result.iterations += 1
            if value > best + 1e-9:
                best, center, center_mu = value, pi, mu
            if math.isfinite(upper) and upper - best <= tolerance * max(1.0, abs(upper)):
                break
            if added == 0:
                if not smooth:
                    break  # no column prices out at the master's own duals: the LP bound is reached
                smooth = False
            else:
                smooth = True
        result.bound = best
        if math.isnan(result.lp_value) and time.perf_counter() < deadline + master_s / 2:
            master = solve_master(self.rows, self.columns, c0, time_limit=master_s / 2)
            result.lp_value = master.value if master is not None else math.nan
        result.solves, result.columns = self.solves, len(self.columns)
        result.incidents = list(dict.fromkeys(self.incidents))
        result.designs = self.integer_designs(time.perf_counter() + master_s, incumbent)
        return result

    def _ceiling(self) -> float:
        """The master LP over the columns held (k€/yr, ``inf`` when it has no solution): at least
        the LP over every pole, so at least every bound :math:`L` (the steps' target, never a
        bound). Solved again only when columns were added (a few hundredths of a second)."""
        if self._ceiling_at[0] != len(self.columns):
            master = solve_master(self.rows, self.columns, self.value_of.constant, time_limit=2.0)
            self._ceiling_at = (len(self.columns), master.value if master is not None else math.inf)
        return self._ceiling_at[1]

    def _stale(self, last, pi: dict[str, float], j: str) -> float:
        r"""The seat's pricing bound at ``pi`` without a solve: the best of its last solve's
        shifted to ``pi`` (:func:`.lagrangian.shifted_bound` at the coefficients :math:`-\pi`) and
        the member-by-member one (:meth:`_floor_at_multipliers` at :math:`\lambda = -\pi`)."""
        lam = {i: -pi[i] for i in self.pairs.members_of[j]}
        floor = self._floor_at_multipliers(j, lam)
        if last is None:
            return floor
        then, low = last
        return max(floor, shifted_bound(j, low, {i: -then[i] for i in lam}, lam, self.pairs.members_of[j], self.caps.get(j)))

    def _floor_at_multipliers(self, j: str, lam: dict[str, float]) -> float:
        r"""The member-by-member bound on the seat's pricing value at the cost coefficients
        :math:`\lambda` (module docstring, "Skipping seats"): every pole *M* of the seat has
        :math:`\Delta(j, M) \ge -\sum_{i \in M} s_{ij}`, so its priced value is at least
        :math:`\lambda_j - s_{jj} - \sum_{i \in M \setminus j} \max(0, s_{ij} - \lambda_i)`,
        and that sum is at most the largest a pole of the seat can hold (its member count and room
        of inhabitants, :class:`~optimiser.model.service_bound.SeatCapacity`)."""
        save = self.saving_at
        gains = {i: save[i].get(j, 0.0) - lam[i] for i in self.pairs.members_of[j]
                 if i != j and save[i].get(j, 0.0) > lam[i]}
        cap = self.caps.get(j)
        most = cap.most(j, gains) if cap is not None else sum(gains.values())
        return lam[j] - save[j].get(j, 0.0) - most

    def _collect(self, seat: str, joined: tuple[str, ...], found: float) -> None:
        """A subgradient step's pricing solution as a column, with the Δ its solution has (at
        least the exact one: the integer master's designs are re-priced exactly). Its connected
        piece is not priced here: most solutions are in pieces (the pricing drops contiguity),
        and pricing them would double the round's time (measured on Rethélois: 45 of 53)."""
        self._add(seat, poles_of({i: seat for i in joined})[seat], found)

    def _columns_from(self, seat: str, joined: list[str], pi: dict[str, float], mu: float, deadline: float) -> int:
        """Price the pricing solution (and its piece holding the seat, when it is not connected)
        exactly and add them; returns how many have a negative reduced cost."""
        members = poles_of({i: seat for i in joined})[seat]
        found = 0
        candidates = [members]
        if self.ctx.rules.contiguity != "none":
            piece = next((p for p in pieces(list(members), self.ctx.nbrs) if seat in p), [seat])
            if len(piece) < len(members):
                candidates.append(poles_of({i: seat for i in piece})[seat])
        for m in candidates:
            delta = self._price_exactly(seat, m, deadline)
            if delta - sum(pi[i] for i in m) - mu < -1e-6:
                found += 1
        return found

    def integer_designs(self, deadline: float, incumbent: Assignment | None) -> list[Assignment]:
        """The integer master over the usable columns (warm-started from ``incumbent`` when its
        poles are columns), within ``deadline``: its design if it obeys every rule."""
        left = deadline - time.perf_counter()
        if left < 0.5 or STOP.requested:
            return []
        cols = [c for c in self.columns if c.usable]
        start = None
        if incumbent:
            held = set(poles_of(incumbent).items())
            start = np.array([1.0 if (c.seat, c.members) in held else 0.0 for c in cols])
            if start.sum() != len(held):
                start = None
        solved = solve_master(self.rows, cols, self.value_of.constant, integer=True, time_limit=left, start=start)
        if solved is None:
            return []
        assignment: Assignment = dict.fromkeys(self.rows.communes)
        for c, v in zip(cols, solved.y):
            if v > 0.5:
                for i in c.members:
                    assignment[i] = c.seat
        return [assignment] if not design_breaks(assignment, self.ctx, self.inputs) else []

