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

with :math:`C_0 = \sum_{i,s} \text{standalone}_{is}` (k€/yr). Sizes, contiguity, seat share,
'together' and 'apart' inside a pole are the columns' (every column obeys them); a one-commune
column is a commune on its own (its price is its travel, 0). When every column is listed and
priced exactly, the master's optimum is the full problem's.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import pulp

from ..inputs import Inputs
from ..solvers import SolverOptions, Status, lp_reduced_costs, solve_milp
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


def solve_master(inputs: Inputs, columns: list[Pole], delta, constant: float, options: SolverOptions,
                 time_limit_s: float) -> MasterSolution:
    r"""Solve the master (see module docstring) with the run's solver; the status, objective and
    bound are the solver's own (the objective recomputed from the chosen columns).

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
        problem, _ = _master_problem(inputs, columns, delta, everything)
        reduced = lp_reduced_costs(problem, max(1.0, deadline - time.perf_counter()))
    if reduced is None:
        return _solve(inputs, columns, delta, constant, options, everything, deadline, math.inf, start)
    z_lp, costs = reduced
    rc = np.array([costs[f"y_{c}"] for c in range(len(columns))])
    order = np.argsort(rc, kind="stable")
    size = DIRECT_COLUMNS
    while True:
        kept = np.sort(order[:size])
        outside = rc[order[size]] if size < len(columns) else math.inf
        solution = _solve(inputs, columns, delta, constant, options, kept, deadline, constant + z_lp + outside, start)
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
           outside: float, start: float) -> MasterSolution:
    """The master restricted to the columns ``kept``; ``outside`` (k€/yr) bounds every design
    using a column left out, so the bound returned is the smaller of it and the MILP's."""
    problem, y = _master_problem(inputs, columns, delta, kept)
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


def _master_problem(inputs: Inputs, columns: list[Pole], delta, kept) -> tuple[pulp.LpProblem, dict[int, pulp.LpVariable]]:
    """The master over the columns ``kept`` (indices into ``columns``), without the constant."""
    rules = inputs.rules
    codes = list(inputs.territory.codes)
    problem = pulp.LpProblem("set_partitioning", pulp.LpMinimize)
    y = {int(c): pulp.LpVariable(f"y_{c}", cat=pulp.LpBinary) for c in kept}
    alone = {i: pulp.LpVariable(f"alone_{i}", cat=pulp.LpBinary) for i in rules.allow_alone}
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
    opened = pulp.LpAffineExpression([(v, 1) for v in y.values()])
    if rules.count_min is not None and rules.count_min > 0:
        problem += opened >= rules.count_min, "count_min"
    if rules.count_max is not None:
        problem += opened <= rules.count_max, "count_max"
    for j in rules.fixed_seats:
        problem += pulp.LpAffineExpression([(y[c], 1) for c in seated.get(j, [])]) == 1, f"fixed_{j}"
    for k, group in enumerate(rules.together):
        for i in group[1:]:
            # a group is whole in its columns; alone, its members must all be alone (none can join a pole)
            if i in alone or group[0] in alone:
                problem += _alone(alone, i) - _alone(alone, group[0]) == 0, f"together_{k}_{i}"
    if alone and rules.max_alone is not None:
        problem += pulp.lpSum(alone.values()) <= rules.max_alone, "max_alone"
    return problem, y


def _alone(alone: dict, i: str):
    return alone[i] if i in alone else 0
