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

import pulp

from ..inputs import Inputs
from ..solvers import SolverOptions, Status, solve_milp
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


def solve_master(inputs: Inputs, columns: list[Pole], delta, constant: float, options: SolverOptions,
                 time_limit_s: float) -> MasterSolution:
    """Solve the master (see module docstring) with the run's solver; the status, objective and
    bound are the solver's own (the objective recomputed from the chosen columns)."""
    rules = inputs.rules
    codes = list(inputs.territory.codes)
    problem = pulp.LpProblem("set_partitioning", pulp.LpMinimize)
    y = [pulp.LpVariable(f"y_{c}", cat=pulp.LpBinary) for c in range(len(columns))]
    alone = {i: pulp.LpVariable(f"alone_{i}", cat=pulp.LpBinary) for i in rules.allow_alone}
    covers: dict[str, list[int]] = {i: [] for i in codes}
    seated: dict[str, list[int]] = {}
    for c, (j, members) in enumerate(columns):
        seated.setdefault(j, []).append(c)
        for i in members:
            covers[i].append(c)
    problem += pulp.LpAffineExpression([(y[c], float(delta[c])) for c in range(len(columns))]), "cost"
    for i in codes:
        terms = [(y[c], 1) for c in covers[i]] + ([(alone[i], 1)] if i in alone else [])
        problem += pulp.LpAffineExpression(terms) == 1, f"cover_{i}"
    opened = pulp.LpAffineExpression([(v, 1) for v in y])
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
    outcome = solve_milp(problem, options, time_limit_s)
    if not outcome.status.has_solution:
        return MasterSolution(outcome.status, [], {}, math.inf, -math.inf, outcome.runtime_s)
    chosen = [c for c in range(len(columns)) if outcome.values.get(y[c].name, 0.0) > 0.5]
    assignment: dict[str, str | None] = {i: None for i in codes}
    for c in chosen:
        j, members = columns[c]
        for i in members:
            assignment[i] = j
    objective = constant + sum(float(delta[c]) for c in chosen)
    raw = outcome.bound if outcome.bound is not None else (outcome.objective if outcome.status is Status.OPTIMAL else None)
    bound = constant + raw if raw is not None and math.isfinite(raw) else -math.inf
    return MasterSolution(outcome.status, chosen, assignment, objective, min(bound, objective), outcome.runtime_s)


def _alone(alone: dict, i: str):
    return alone[i] if i in alone else 0
