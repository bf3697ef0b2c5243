r"""The robust design: the decisions that do best over M sampled worlds (sample average approximation).

**First stage** (one value for every world): who pools which service at which seat and in which
mode, who borrows machines (:math:`zr, zd, bb, u, b, r, d, a, h` of :mod:`optimiser.model.services`).
**Second stage** (per world :math:`\omega`): the sizing — FTE :math:`F_{js\omega}`, whole machines
:math:`U_{jsq\omega}`, procurement lots :math:`L_{js\omega}` — and every cost, priced by world
:math:`\omega`'s parameters (worlds 1..M of the seed, the same draws the re-pricing uses). Sizing is
second-stage on purpose: a team and its machines are hired and bought for the workload that turns
out to be real, while the convention (who joins, régie or délégation) is what élus sign first. With
sizing minimal in each world, world :math:`\omega`'s cost of a design is exactly the fixed-design
re-pricing's (:func:`optimiser.robustness.repricing.price`), so the two agree on every design.

With :math:`S_\omega = SQ_\omega - C_\omega` the saving in world :math:`\omega` (k€):

* ``expected``: :math:`\max \frac1M \sum_\omega S_\omega`;
* ``cvar`` (Rockafellar–Uryasev): :math:`\max\ \eta - \frac{1}{\alpha M}\sum_\omega \xi_\omega`,
  :math:`\xi_\omega \ge \eta - S_\omega`, :math:`\xi \ge 0` — the mean saving of the worst share α;
* ``quantile``: :math:`\max \eta` with :math:`S_\omega \ge \eta - B_\omega y_\omega`,
  :math:`\sum_\omega y_\omega \le \lfloor \alpha M \rfloor`, :math:`y \in \{0,1\}` — the saving
  reached in all but :math:`\lfloor \alpha M\rfloor` worlds; :math:`B_\omega` from the bounds of
  :math:`S_\omega` and :math:`\eta` (valid big-Ms). Among designs with the same quantile the
  solver's pick is arbitrary (no tie-break, so that its bound stays the quantile's own).

**Rules** — individual rationality, budget, minimum saving, the attrition rule, two users per pole
service — hold at the sourced values, as in the nominal run: the robust design is a valid design of
the scenario, and the nominal design is a feasible point of this model (it is its warm start, so the
robust design is never worse than the nominal one on the worlds optimised over).

**Reduction (said in every report).** The poles are those of the nominal design: the pole
partition is not re-optimised over the worlds (with exact contiguity it needs the solve–check–cut
loop, whose incumbent valuation is a single-world solve). The bound and gap are those of this
reduced problem; over the poles the nominal run chose, the service decisions are optimised
exactly across the M worlds.
"""

from __future__ import annotations

import dataclasses
import math
import time
from dataclasses import dataclass, field

import numpy as np
import pulp

from ..services.sampling import as_drawn_values, draw
from .repricing import FixedDesign, price
from .worlds import group_correlations, priced_inputs, uncertain_parameters

#: Share of the time limit given to pricing the nominal design in every world (the warm start).
WARM_SHARE = 0.25


@dataclass
class RobustOutcome:
    """The sample-average solve: status, objective (the saving measure, €/yr), bound and gap of the
    reduced problem, and the design it holds."""

    objective_kind: str
    alpha: float
    worlds: int
    seed: int
    status: str
    value_eur: float | None
    bound_eur: float | None
    gap: float | None
    time_s: float
    design: FixedDesign | None
    message: str = ""
    same_as_nominal: bool = False
    """The best design over the worlds makes the nominal design's choices."""
    kept_nominal: bool = False
    """The solver's best design was not better than the nominal one (its warm start): the nominal design is kept."""
    evaluation: dict = field(default_factory=dict)


def measure(saving: np.ndarray, kind: str, alpha: float) -> float:
    """The saving measure the objective maximises (€/yr): mean, quantile or CVaR (module docstring)."""
    s = np.sort(np.asarray(saving, dtype=float))
    if kind == "expected":
        return float(s.mean())
    if kind == "quantile":
        return float(s[int(math.floor(alpha * len(s) + 1e-9))])
    # CVaR_α = max_η η − E[(η − S)+]/α: concave, piecewise linear with kinks at the samples, so
    # the max is at some η = s_j, where E[(s_j − S)+] = (j s_j − Σ_{k<j} s_k) / n (s sorted)
    n = len(s)
    below = np.concatenate(([0.0], np.cumsum(s)[:-1]))
    return float(np.max(s - (np.arange(n) * s - below) / (n * alpha)))


def world_values(loaded, inputs, worlds: int, seed: int) -> list[dict]:
    """The parameter values of worlds 1..``worlds`` (``key`` / ``key.field`` → float each)."""
    params = uncertain_parameters(loaded, inputs.territory, inputs.matrix, inputs.rules.service_commun)
    drawn = as_drawn_values(params, draw(params, group_correlations(loaded), worlds, seed))
    return [{k: float(np.asarray(v)[w]) for k, v in drawn.items()} for w in range(worlds)]


def fixed_poles_model(inputs, assignment):
    """The pole model with ``assignment``'s poles fixed and the service model on it (every
    fairness constraint in from the start), as :class:`optimiser.design.valuation.FixedPolesValue` builds it."""
    from ..model.assembly import add_services
    from ..model.candidates import CandidatePairs, candidate_pairs
    from ..model.poles import build_pole_model
    from ..model.services import Formulation

    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    seats = tuple(j for j in pairs.seats if assignment.get(j) == j)
    members = {j: tuple([j] + sorted(i for i, k in assignment.items() if k == j and i != j)) for j in seats}
    fixed = CandidatePairs(seats=seats, seats_of={i: ((j,) if j is not None else ()) for i, j in assignment.items()},
                           members_of=members, group_of=pairs.group_of)
    rules = dataclasses.replace(inputs.rules, allow_alone=tuple(i for i in inputs.rules.allow_alone if assignment.get(i) is None))
    model = build_pole_model(inputs.territory, inputs.matrix, rules, fixed)
    service, _fairness = add_services(model, inputs, Formulation(lazy_fairness=False))
    return model, service


def choice_values(m, design: FixedDesign) -> dict:
    """The first-stage variables' values encoding ``design`` (variable → 0/1)."""
    out = {}
    for (i, j, s), v in m.zr.items():
        out[v] = float(design.pooled.get((i, s)) == j and design.modes.get((j, s)) == "regie")
    for (i, j, s), v in m.zd.items():
        out[v] = float(design.pooled.get((i, s)) == j and design.modes.get((j, s)) == "delegation")
    for (i, j, s), v in m.bb.items():
        out[v] = float(design.borrowed.get((i, s)) == j)
    for (i, s), v in m.u.items():
        out[v] = float((i, s) in design.pooled)
    for (i, s), v in m.b.items():
        out[v] = float((i, s) in design.borrowed)
    users = design.users()
    for (j, s), v in m.a.items():
        out[v] = float((j, s) in users)
    for (j, s), v in m.h.items():
        out[v] = float(bool(users.get((j, s), ((), ()))[0]))
    for (j, s), v in m.r.items():
        out[v] = float(bool(users.get((j, s), ((), ()))[0]) and design.modes.get((j, s)) == "regie")
    for (j, s), v in m.d.items():
        out[v] = float(bool(users.get((j, s), ((), ()))[0]) and design.modes.get((j, s)) == "delegation")
    return out


def design_of_model(m, assignment: dict) -> FixedDesign:
    """The first-stage decisions of a solved model."""
    pooled, borrowed, modes = {}, {}, {}
    for (i, j, s), v in m.zr.items():
        if (v.value() or 0) > 0.5:
            pooled[(i, s)], modes[(j, s)] = j, "regie"
    for (i, j, s), v in m.zd.items():
        if (v.value() or 0) > 0.5:
            pooled[(i, s)], modes[(j, s)] = j, "delegation"
    for (i, j, s), v in m.bb.items():
        if (v.value() or 0) > 0.5:
            borrowed[(i, s)] = j
    for (_i, s), j in borrowed.items():
        modes.setdefault((j, s), None)
    return FixedDesign(pooled, borrowed, modes, dict(assignment))


def _upper(expr: pulp.LpAffineExpression) -> float:
    """Largest value of ``expr`` over its variables' bounds (a variable without one: +inf)."""
    total = expr.constant
    for var, coef in expr.items():
        end = var.upBound if coef > 0 else var.lowBound
        if end is None:
            return math.inf
        total += coef * end
    return total


def _lower(expr: pulp.LpAffineExpression) -> float:
    return -_upper(-expr)


def _bound_fte(world) -> None:
    """Give each world's FTE variable the largest value it takes at a minimal sizing (the max of
    its three floors at every member pooling), so the quantile's big-Ms are finite; sound, since a
    minimal sizing never needs more."""
    si, econ = world.si, world.si.econ
    for (j, s), f in world.fte.items():
        members = [i for i in world.members_at(j, s) if (i, j, s) in world.zr]
        need = sum(econ.regie_fte(i, j, s) for i in members)
        kept = sum(econ.retained_fte(i, s) for i in members) if econ.attrition_rule else 0.0
        f.upBound = max(need, kept, si.catalogue.services[s].specialist_min_fte.value)


def build_saa(loaded, inputs, assignment: dict, worlds: int, seed: int, kind: str, alpha: float):
    """The sample-average model over the poles of ``assignment`` (see module docstring).

    Returns (model, nominal service model, world service models, status quo per world in k€, objective aux)."""
    from ..model.services import K, add_world_costs

    model, m = fixed_poles_model(inputs, assignment)
    si = inputs.services
    world_models, status_quo = [], []
    for w, values in enumerate(world_values(loaded, inputs, worlds, seed), 1):
        si_w = priced_inputs(loaded, si, inputs.territory, values)
        world_models.append(add_world_costs(m, si_w, f"_w{w}"))
        status_quo.append(si_w.status_quo_eur / K)
    prob = model.problem
    mean_cost = pulp.lpSum(wm.total_cost for wm in world_models) * (1.0 / worlds)
    aux: dict = {}
    if kind == "expected":
        prob.setObjective(mean_cost)
    elif kind == "cvar":
        eta = prob.add_variable("robust_eta", None, None)
        xi = [prob.add_variable(f"robust_xi_w{w}", 0, None) for w in range(1, worlds + 1)]
        for w, (wm, sq, x) in enumerate(zip(world_models, status_quo, xi), 1):
            prob += x - eta + (sq - wm.total_cost) >= 0, f"robust_cvar_w{w}"
        prob.setObjective(-eta + pulp.lpSum(xi) * (1.0 / (alpha * worlds)))
        aux = {"eta": eta}
    else:
        for wm in world_models:
            _bound_fte(wm)
        lows = [sq - _upper(wm.total_cost) for wm, sq in zip(world_models, status_quo)]
        highs = [sq - _lower(wm.total_cost) for wm, sq in zip(world_models, status_quo)]
        eta = prob.add_variable("robust_eta", min(lows), max(highs))
        y = [prob.add_variable(f"robust_y_w{w}", 0, 1, pulp.LpBinary) for w in range(1, worlds + 1)]
        for w, (wm, sq, yw, low) in enumerate(zip(world_models, status_quo, y, lows), 1):
            # S_w ≥ η − B_w y_w with B_w = max η − min S_w: slack whenever y_w = 1
            prob += (sq - wm.total_cost) - eta + (max(highs) - low) * yw >= 0, f"robust_quantile_w{w}"
        prob += pulp.lpSum(y) <= int(math.floor(alpha * worlds + 1e-9)), "robust_quantile_count"
        prob.setObjective(-eta)
        aux = {"eta": eta}
    return model, m, world_models, status_quo, aux


def solve_saa(loaded, inputs, nominal: FixedDesign, options, config) -> RobustOutcome:
    """Build and solve the sample-average model; the nominal design is priced in every world first
    and warm-starts the solve (see module docstring)."""
    from ..solvers import solve_milp

    start = time.perf_counter()
    seed = config.seed if config.seed is not None else (loaded.scenario.uncertainty.seed if loaded.scenario.uncertainty else 0)
    limit = float(config.time_limit_s or options.time_limit_s)
    model, m, world_models, status_quo, aux = build_saa(loaded, inputs, nominal.assignment, config.worlds, seed,
                                                        config.objective, config.alpha)
    prob = model.problem
    outcome = RobustOutcome(config.objective, config.alpha, config.worlds, seed, "time_limit", None, None, None, 0.0, None)
    # 1. the nominal design in every world: first-stage variables fixed, each world sizes itself
    fixed = choice_values(m, nominal)
    saved = {v: (v.lowBound, v.upBound) for v in fixed}
    for v, x in fixed.items():
        v.lowBound = v.upBound = x
    warm = solve_milp(prob, options, max(5.0, WARM_SHARE * limit))
    for v, (lo, hi) in saved.items():
        v.lowBound, v.upBound = lo, hi
    warm_values = dict(warm.values) if warm.status.has_solution else None
    # 2. the sample-average problem, from there
    remaining = max(5.0, limit - (time.perf_counter() - start))
    last = solve_milp(prob, options, remaining, warm_start=warm_values)
    outcome.time_s = time.perf_counter() - start
    outcome.message = last.message
    if last.status.has_solution:
        outcome.design = design_of_model(m, nominal.assignment)
        outcome.status = last.status.value
        outcome.bound_eur = _measure_bound(last.bound, config.objective, status_quo) if last.bound is not None else None
        outcome.gap = last.gap
    elif warm_values is not None:
        outcome.design, outcome.kept_nominal = nominal, True
        outcome.status = "feasible"
        outcome.bound_eur = _measure_bound(last.bound, config.objective, status_quo) if last.bound is not None else None
    else:
        outcome.status = last.status.value
    if outcome.design is not None:
        value = evaluate_on(loaded, inputs, outcome.design, config.worlds, seed, config.objective, config.alpha)
        nominal_value = evaluate_on(loaded, inputs, nominal, config.worlds, seed, config.objective, config.alpha)
        if nominal_value > value + 1e-6 and not outcome.kept_nominal:
            # a time-limited solve can end below its own warm start: keep what is better
            outcome.design, outcome.kept_nominal, value = nominal, True, nominal_value
            outcome.status = "feasible"
        outcome.value_eur = value
        if outcome.bound_eur is not None:
            outcome.bound_eur = max(outcome.bound_eur, value)
            outcome.gap = (outcome.bound_eur - value) / max(abs(outcome.bound_eur), 1e-9) if outcome.bound_eur else 0.0
            # the solver proved its own optimum; re-pricing may move the figures by round-off only
            if outcome.status == "optimal" and outcome.gap > options.gap + 1e-6:
                outcome.status = "feasible"
    del aux
    return outcome


def _measure_bound(bound_k: float, kind: str, status_quo: list[float]) -> float:
    """The solver's lower bound on the minimised objective as an upper bound on the saving measure (€/yr)."""
    if kind == "expected":
        return 1000.0 * (float(np.mean(status_quo)) - bound_k)
    return 1000.0 * (-bound_k)  # quantile and CVaR minimise −measure


def evaluate_on(loaded, inputs, design: FixedDesign, worlds: int, seed: int, kind: str, alpha: float,
                start: int = 0) -> float:
    """The saving measure of ``design`` over worlds ``start+1 .. start+worlds`` (€/yr), by the re-pricing."""
    return measure(savings(loaded, inputs, design, worlds, seed, start), kind, alpha)


def savings(loaded, inputs, design: FixedDesign, n: int, seed: int, start: int = 0) -> np.ndarray:
    """The saving of ``design`` in worlds ``start+1 .. start+n`` (€/yr), vectorised."""
    params = uncertain_parameters(loaded, inputs.territory, inputs.matrix, inputs.rules.service_commun)
    drawn = as_drawn_values(params, draw(params, group_correlations(loaded), n, seed, start))
    values = {k: np.asarray(v, dtype=float) for k, v in drawn.items()}
    return price(priced_inputs(loaded, inputs.services, inputs.territory, values), design, n).saving
