r"""The set-partitioning master: choose among enumerated, exactly priced poles.

Columns :math:`c = (j_c, M_c)` (:mod:`.pole_enumeration`) with their exact prices
:math:`\Delta_c` (k€/yr, :mod:`.configurations`); :math:`y_c \in \{0,1\}` opens column *c*,
:math:`a_i \in \{0,1\}` leaves commune *i* alone (only where ``allow_alone`` lists it):

.. math::
   \min\; C_0 + \sum_c \Delta_c\, y_c \quad\text{s.t.}\quad
   \sum_{c \ni i} y_c + a_i = 1 \;\; \forall i, \qquad
   K^- \le \sum_c y_c \le K^+, \qquad
   \sum_{c:\, j_c = j} y_c = 1 \;\; (j \text{ fixed seat}),

   a_i = a_g \;\; (i \text{ in the 'together' group of } g), \qquad \sum_i a_i \le \text{max\_alone},

with :math:`C_0 = \sum_{i,s} \text{standalone}_{is}` (k€/yr; the EPCI's included). The service
commun's seat is a fixed seat whose pole is not counted in :math:`K^\pm`, its members never
alone. And the rules on sums over the poles
(:func:`.pole_pricing.coupling_rules`), as :func:`optimiser.model.fairness.add_budget` and
``add_travel_limit`` write them:

.. math::
   C_0 + \sum_c (\Delta_c - \tau_c)\, y_c \le B \;(\text{budget.max\_total\_eur}),\;
   S_0 - \text{min\_savings},\; S_0 (1 - \text{min\_savings\_pct}), \qquad
   \sum_c T_c\, y_c \le \text{max\_travel\_total},

:math:`\Delta_c - \tau_c` the column's change of the services' total cost, :math:`S_0` the status
quo, :math:`T_c` its population-weighted travel. The columns are priced without these rules, at
their cheapest configuration: among the configurations of the same poles, that one is both the
cheapest objective and the smallest left-hand side (travel is fixed by the members), so the
master's optimum stays the full problem's. Sizes, contiguity, seat share,
'together' and 'apart' inside a pole are the columns' (every column obeys them); a one-commune
column is a commune on its own (its price is its travel, 0, unless it is forced to pool a
service alone: :mod:`.configurations`); a commune forced to pool is never left alone. When every column is listed and
priced exactly, the master's optimum is the full problem's.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pulp

from ..inputs import Inputs
from ..model.services import K
from ..solvers import SolverOptions, Status, lp_reduced_costs, solve_milp
from .configurations import forced_to_pool
from .pole_enumeration import Pole


@dataclasses.dataclass
class MasterSolution:
    """The master's answer: chosen columns (indices), the assignment, its value and proven bound
    (k€/yr, :math:`C_0` included), the solver's status and seconds."""

    status: Status
    chosen: list[int]
    assignment: dict[str, str | None]
    objective: float
    bound: float
    seconds: float


#: Up to this many columns the master is solved whole; above, reduced-cost fixing first.
DIRECT_COLUMNS = 400


@dataclasses.dataclass(frozen=True)
class CouplingRows:
    """Per column (same order as the columns): its change of the services' total cost (k€/yr,
    Δ − τ) and its population-weighted travel T, for the budget and travel-cap rows."""

    cost: np.ndarray
    travel: np.ndarray


def solve_master(inputs: Inputs, columns: list[Pole], delta, constant: float, options: SolverOptions,
                 time_limit_s: float, coupling: CouplingRows | None = None) -> MasterSolution:
    r"""Solve the master (see module docstring) with the run's solver; the status, objective and
    bound are the solver's own (the objective recomputed from the chosen columns). ``coupling``
    (required when the scenario has a budget or a travel cap) gives the columns' terms in those rows.

    Many columns: **reduced-cost fixing**. The LP relaxation gives :math:`z_{LP}` and each
    column's reduced cost :math:`d_c \ge 0` (columns at 1 in the LP: :math:`d_c \le 0`); any
    design using column *c* costs at least :math:`z_{LP} + d_c`. The MILP is solved over the
    columns of smallest :math:`d_c`, giving a design of value :math:`z_R` and a bound
    :math:`L_R`; when every column left out has :math:`z_{LP} + d_c > z_R`, none can improve on it
    and :math:`\min(L_R, z_{LP} + \min_{\text{out}} d_c)` bounds the whole master. Otherwise the
    columns with :math:`z_{LP} + d_c \le z_R` join and the MILP is solved again."""
    start = time.perf_counter()
    deadline = start + time_limit_s
    everything = np.arange(len(columns))
    reduced = None
    if len(columns) > DIRECT_COLUMNS:
        problem, _ = _master_problem(inputs, columns, delta, everything, constant, coupling)
        reduced = lp_reduced_costs(problem, max(1.0, deadline - time.perf_counter()))
    if reduced is None:
        return _solve(inputs, columns, delta, constant, options, everything, deadline, math.inf, start, coupling)
    z_lp, costs = reduced
    rc = np.array([costs[f"y_{c}"] for c in range(len(columns))])
    order = np.argsort(rc, kind="stable")
    size = DIRECT_COLUMNS
    while True:
        kept = np.sort(order[:size])
        outside = rc[order[size]] if size < len(columns) else math.inf
        solution = _solve(inputs, columns, delta, constant, options, kept, deadline, constant + z_lp + outside, start,
                          coupling)
        if size >= len(columns) or time.perf_counter() >= deadline:
            return solution
        if not solution.status.has_solution:
            size = min(len(columns), 4 * size)  # too few columns to cover every commune
            continue
        needed = int(np.sum(rc <= solution.objective - constant - z_lp + 1e-9 * max(1.0, abs(solution.objective))))
        if needed <= size:
            return solution  # every column left out costs more than the design held: proven
        size = needed


def _solve(inputs: Inputs, columns: list[Pole], delta, constant: float, options: SolverOptions, kept, deadline: float,
           outside: float, start: float, coupling: CouplingRows | None = None) -> MasterSolution:
    """The master restricted to the columns ``kept``; ``outside`` (k€/yr) bounds every design
    using a column left out, so the bound returned is the smaller of it and the MILP's."""
    problem, y = _master_problem(inputs, columns, delta, kept, constant, coupling)
    outcome = solve_milp(problem, options, max(1.0, deadline - time.perf_counter()))
    seconds = time.perf_counter() - start
    if not outcome.status.has_solution:
        status = outcome.status if math.isinf(outside) else Status.TIME_LIMIT if outcome.status is Status.TIME_LIMIT \
            else Status.INFEASIBLE
        return MasterSolution(status, [], {}, math.inf, -math.inf, seconds)
    chosen = [int(c) for c in kept if outcome.values.get(y[c].name, 0.0) > 0.5]
    assignment: dict[str, str | None] = {i: None for i in inputs.territory.codes}
    for c in chosen:
        j, members = columns[c]
        for i in members:
            assignment[i] = j
    objective = constant + sum(float(delta[c]) for c in chosen)
    raw = outcome.bound if outcome.bound is not None else (outcome.objective if outcome.status is Status.OPTIMAL else None)
    bound = min(constant + raw if raw is not None and math.isfinite(raw) else -math.inf, outside)
    status = outcome.status
    if status is Status.OPTIMAL and outside < objective - 1e-9 * max(1.0, abs(objective)):
        status = Status.FEASIBLE  # optimal among the columns kept only
    return MasterSolution(status, chosen, assignment, objective, min(bound, objective), seconds)


def _master_problem(inputs: Inputs, columns: list[Pole], delta, kept, constant: float = 0.0,
                    coupling: CouplingRows | None = None) -> tuple[pulp.LpProblem, dict[int, pulp.LpVariable]]:
    """The master over the columns ``kept`` (indices into ``columns``), without the constant
    (``constant`` = :math:`C_0`, k€/yr, for the budget rows)."""
    rules = inputs.rules
    codes = list(inputs.territory.codes)
    problem = pulp.LpProblem("set_partitioning", pulp.LpMinimize)
    y = {int(c): problem.add_variable(f"y_{c}", cat=pulp.LpBinary) for c in kept}
    # a member forced to pool a service is in a pole (its u ≥ 1 needs x): never alone
    forced = set().union(*forced_to_pool(inputs).values()) if inputs.services is not None else set()
    sc = rules.service_commun
    if sc is not None:
        forced |= set(sc.members)  # in the service commun's pole (x ≥ 1 bounds)
    alone = {i: problem.add_variable(f"alone_{i}", cat=pulp.LpBinary) for i in rules.allow_alone if i not in forced}
    covers: dict[str, list[int]] = {i: [] for i in codes}
    seated: dict[str, list[int]] = {}
    for c in y:
        j, members = columns[c]
        seated.setdefault(j, []).append(c)
        for i in members:
            covers[i].append(c)
    problem += pulp.LpAffineExpression([(v, float(delta[c])) for c, v in y.items()]), "cost"
    for i in codes:
        terms = [(y[c], 1) for c in covers[i]] + ([(alone[i], 1)] if i in alone else [])
        problem += pulp.LpAffineExpression(terms) == 1, f"cover_{i}"
    # the pole count is of proximity poles: the service commun's pole is not one
    opened = pulp.LpAffineExpression([(v, 1) for c, v in y.items() if sc is None or columns[c][0] != sc.seat])
    if rules.count_min is not None and rules.count_min > 0:
        problem += opened >= rules.count_min, "count_min"
    if rules.count_max is not None:
        problem += opened <= rules.count_max, "count_max"
    for j in sorted(set(rules.fixed_seats) | ({sc.seat} if sc is not None else set())):
        problem += pulp.LpAffineExpression([(y[c], 1) for c in seated.get(j, [])]) == 1, f"fixed_{j}"
    for k, group in enumerate(rules.together):
        for i in group[1:]:
            # a group is whole in its columns; alone, its members must all be alone (none can join a pole)
            if i in alone or group[0] in alone:
                problem += _alone(alone, i) - _alone(alone, group[0]) == 0, f"together_{k}_{i}"
    if alone and rules.max_alone is not None:
        problem += pulp.lpSum(alone.values()) <= rules.max_alone, "max_alone"
    _add_coupling_rows(problem, inputs, y, constant, coupling)
    return problem, y


def _add_coupling_rows(problem: pulp.LpProblem, inputs: Inputs, y: dict[int, pulp.LpVariable], constant: float,
                       coupling: CouplingRows | None) -> None:
    """The budget rows and the travel cap (module docstring), in the compact model's units."""
    si = inputs.services
    caps = []
    if si is not None:
        status_quo = si.status_quo_eur / K
        caps = [(name, rhs) for name, rhs in (
            ("budget_cap", None if si.budget_max_eur is None else si.budget_max_eur / K),
            ("min_savings", None if si.min_savings_eur is None else status_quo - si.min_savings_eur / K),
            ("min_savings_pct", None if si.min_savings_pct is None else status_quo * (1 - si.min_savings_pct)),
        ) if rhs is not None]
    limit = inputs.loaded.scenario.objective.max_travel_total
    if not caps and limit is None:
        return
    if coupling is None:
        raise ValueError("a budget or a travel cap needs the columns' coupling terms")
    if caps:
        cost = pulp.LpAffineExpression([(v, float(coupling.cost[c])) for c, v in y.items()])
        for name, rhs in caps:
            problem += cost <= rhs - constant, name
    if limit is not None:
        problem += pulp.LpAffineExpression([(v, float(coupling.travel[c])) for c, v in y.items()]) <= limit, "travel_limit"


def _alone(alone: dict, i: str):
    return alone[i] if i in alone else 0
