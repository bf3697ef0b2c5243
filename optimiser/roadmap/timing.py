r"""The timing MILP: the year each phase of a fixed design starts.

Sets: phases *p*, years :math:`t \in T = \{y_0, \dots, y_0+H-1\}`, and "never" (:math:`\bot`).
Variables: :math:`x_{pk} \in \{0,1\}` = phase *p* starts in year *k* (:math:`k \in T \cup \{\bot\}`).
The started-by indicator :math:`y_{pt} = \sum_{k \le t} x_{pk}` is monotone in *t* by
construction — **a commitment once made stays made**; with costs that depend on the start year
(attrition counts from it), the one-hot start form keeps the objective linear.

.. math::

    \min \sum_p \sum_k x_{pk}\,N_{pk}, \qquad
    N_{pk} = \sum_{t<k} \delta_t B_{pt} + \sum_{t \ge k} \delta_t A_{pkt} + \delta_k (\sigma_p - \mathrm{sale}_{pk})

with :math:`\delta_t = (1+\rho)^{-(t-y_0)}` the discount factor, :math:`B_{pt}` the users' status quo,
:math:`A` the running cost after the start, :math:`\sigma` the set-up (:mod:`.yearly`). Blocks:

* ``start once``: :math:`\sum_k x_{pk} = 1`;
* ``window``: :math:`x_{pk} = 0` outside the phase's [earliest, latest] (contracts, joins, rules,
  the pilot, the fixed sequence); a phase with a ``latest`` year cannot take :math:`\bot`;
* ``changes per year``: :math:`\sum_p x_{pt} \le N`;
* ``set-up budget``: :math:`\sum_p \sigma_p x_{pt} \le \text{cap}`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulp

from ..model.blocks import Families, constraint_block
from ..solvers import SolverOptions
from ..solvers.milp import solve_milp

NEVER = 0
"""The start "year" of a phase that does not start within the horizon."""


@dataclass
class Windows:
    earliest: dict[str, int]
    latest: dict[str, int | None]
    fixed: dict[str, int | None]
    """phase → a year fixed by the sequence, NEVER for a phase the fixed order leaves out."""


@dataclass
class TimingModel:
    problem: pulp.LpProblem
    x: dict[tuple[str, int], pulp.LpVariable]
    families: Families
    npc: dict[tuple[str, int], float]


def npc_of(costs, phase_id: str, users, k: int, discount: dict[int, float], service: str) -> float:
    total = 0.0
    for t in costs.years:
        if k == NEVER or t < k:
            total += discount[t] * sum(costs.status_quo[(u, service)][t] for u in users)
        else:
            total += discount[t] * costs.after[phase_id][k][t]
    if k != NEVER:
        total += discount[k] * (costs.setup[phase_id] - costs.sale[phase_id][k])
    return total


@constraint_block("start once")
def add_start_once(m: TimingModel, phases):
    for p in phases:
        m.problem += pulp.lpSum(v for (q, _), v in m.x.items() if q == p.id) == 1, f"once_{p.id}"


@constraint_block("window")
def add_windows(m: TimingModel, phases, windows: Windows, years):
    for p in phases:
        fixed = windows.fixed.get(p.id)
        for k in [*years, NEVER]:
            if fixed is not None:
                allowed = k == fixed
            elif k == NEVER:
                allowed = windows.latest.get(p.id) is None
            else:
                latest = windows.latest.get(p.id)
                allowed = k >= windows.earliest[p.id] and (latest is None or k <= latest)
            if not allowed:
                m.problem += m.x[(p.id, k)] == 0, f"window_{p.id}_{k}"


@constraint_block("changes per year")
def add_changes(m: TimingModel, phases, years, n_max: int):
    for t in years:
        m.problem += pulp.lpSum(m.x[(p.id, t)] for p in phases) <= n_max, f"changes_{t}"


@constraint_block("set-up budget")
def add_budget(m: TimingModel, phases, years, setup: dict[str, float], cap_eur: float):
    for t in years:
        m.problem += pulp.lpSum(setup[p.id] * m.x[(p.id, t)] for p in phases if setup[p.id] > 0) <= cap_eur, f"budget_{t}"


def build_timing(phases, costs, windows: Windows, discount: dict[int, float], max_changes: int | None,
                 budget_eur: float | None) -> TimingModel:
    problem = pulp.LpProblem("roadmap_timing", pulp.LpMinimize)
    years = costs.years
    x, npc = {}, {}
    for n, p in enumerate(phases):
        for k in [*years, NEVER]:
            x[(p.id, k)] = problem.add_variable(f"x_{n}_{k}", cat=pulp.LpBinary)
            npc[(p.id, k)] = npc_of(costs, p.id, p.users, k, discount, p.service)
    m = TimingModel(problem, x, Families(problem), npc)
    # money in k€ in the model, as the service model (a better-scaled objective)
    problem += pulp.lpSum(npc[key] / 1000.0 * v for key, v in x.items())
    add_start_once(m, phases)
    add_windows(m, phases, windows, years)
    if max_changes is not None:
        add_changes(m, phases, years, max_changes)
    if budget_eur is not None:
        add_budget(m, phases, years, costs.setup, budget_eur)
    return m


def solve_timing(m: TimingModel, options: SolverOptions, time_limit_s: float):
    """Solve; returns (outcome, start year per phase id — NEVER when it does not start)."""
    outcome = solve_milp(m.problem, options, time_limit_s)
    starts = {}
    if outcome.status.has_solution:
        for (pid, k), v in m.x.items():
            if (v.value() or 0) > 0.5:
                starts[pid] = k
    return outcome, starts
