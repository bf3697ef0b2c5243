r"""The classic p-median, solved on nearest-seat lists that grow until they provably suffice.

Dense p-median models (one binary per commune × seat pair, as common libraries build them) grow
as n². Here each commune *i* only gets variables for its :math:`k_i` nearest candidate seats
:math:`N_i`, plus one "beyond" variable :math:`h_i` priced at :math:`D_i`, the distance to its
:math:`(k_i+1)`-th nearest seat (Church's BEAMR formulation, 2008):

.. math::

   \min \sum_i w_i \Big(\sum_{j \in N_i} d_{ij} x_{ij} + D_i h_i\Big)
   \quad\text{s.t.}\quad \sum_{j \in N_i} x_{ij} + h_i = 1,\quad x_{ij} \le y_j,\quad
   \sum_j y_j = p,\quad y \in \{0,1\},\ x, h \ge 0.

For any choice of seats *y*, serving *i* "beyond" its list costs at least :math:`D_i` in
reality, so this model's optimum is a lower bound of the true p-median. When its optimal
solution has :math:`h_i = 0` for every *i*, that solution is feasible for the true problem at
the same cost: it is optimal. Otherwise the lists of the communes with :math:`h_i > 0` are
doubled and the model solved again. The *x* are continuous: with the seats fixed, each commune
goes to its nearest open seat anyway.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import pulp

from ..solve import SolveOutcome, SolverOptions, Status, solve_milp


@dataclass
class PMedianSolution:
    seats: list[int]
    assignment: np.ndarray  # commune index → seat index (nearest open seat)
    outcome: SolveOutcome
    objective: float | None
    bound: float | None
    rounds: int
    n_variables: int
    n_constraints: int
    list_sizes: list[int]
    solve_s: float = 0.0


def initial_list_size(n: int, p: int) -> int:
    """Seats per commune to start with: about twice the mean pole size, at least 5."""
    return max(5, math.ceil(2 * n / max(p, 1)))


def solve_pmedian(
    cost: np.ndarray,
    weights: np.ndarray,
    p: int,
    seats: list[int],
    fixed: list[int],
    options: SolverOptions,
    time_limit_s: float,
    k0: int | None = None,
) -> PMedianSolution:
    """Solve ``min Σ_i w_i min_{j open} cost[i, j]`` with exactly ``p`` open seats.

    ``cost`` is n × n (commune × commune, ``inf`` for unreachable); ``seats`` the candidate seat
    indices; ``fixed`` seats that must open.
    """
    start = time.perf_counter()
    n = cost.shape[0]
    seats_arr = np.asarray(seats)
    order = np.argsort(cost[:, seats_arr], axis=1, kind="stable")
    ordered = seats_arr[order]  # row i: seats from nearest to farthest
    k = np.full(n, min(len(seats), k0 or initial_list_size(n, p)))
    warm: dict[str, float] | None = None
    best_bound = -math.inf
    rounds = 0
    solve_s = 0.0
    prev_seats: list[int] = []  # the previous round's open seats (a warm start exists only after one)
    while True:
        rounds += 1
        problem, y, x, h = _build(cost, weights, p, seats, fixed, ordered, k)
        remaining = time_limit_s - (time.perf_counter() - start)
        if remaining <= 0.5:
            outcome = SolveOutcome(Status.TIME_LIMIT, None, None, 0.0, options.label, "time limit reached between rounds")
        else:
            outcome = solve_milp(problem, options, remaining, warm_start=warm)
            solve_s += outcome.runtime_s
        if outcome.bound is not None:
            best_bound = max(best_bound, outcome.bound)
        if not outcome.status.has_solution:
            if warm is not None and outcome.status is Status.TIME_LIMIT:
                # keep the previous round's seats: feasible for the real problem
                return _finish(cost, weights, prev_seats, outcome, best_bound, rounds, problem, k, exact=False, solve_s=solve_s)
            return PMedianSolution([], np.full(n, -1), outcome, None, None, rounds, len(problem.variables()), len(problem.constraints()),
                                   k.tolist(), solve_s)
        open_seats = [j for j in seats if (y[j].value() or 0) > 0.5]
        beyond = [i for i in range(n) if i in h and (h[i].value() or 0) > 1e-6]
        prev_seats = open_seats
        if not beyond or outcome.status is not Status.OPTIMAL:
            return _finish(cost, weights, open_seats, outcome, best_bound, rounds, problem, k,
                           exact=not beyond and outcome.status is Status.OPTIMAL, solve_s=solve_s)
        for i in beyond:
            k[i] = min(len(seats), 2 * k[i])
        warm = {y[j].name: 1.0 for j in open_seats}


def _finish(cost, weights, open_seats, outcome, best_bound, rounds, problem, k, exact, solve_s=0.0) -> PMedianSolution:
    sub = cost[:, open_seats]
    nearest = np.asarray(open_seats)[np.argmin(sub, axis=1)]
    true_cost = float(np.sum(weights * sub.min(axis=1)))
    bound = best_bound if math.isfinite(best_bound) else None
    if exact:
        bound = outcome.bound if outcome.bound is not None else true_cost
    status = outcome.status
    if status is Status.OPTIMAL and not exact:
        status = Status.FEASIBLE
    if status is Status.TIME_LIMIT:
        status = Status.FEASIBLE  # we hold the previous round's seats
    result_outcome = SolveOutcome(status, true_cost, bound, outcome.runtime_s, outcome.solver, outcome.message, outcome.values)
    return PMedianSolution(open_seats, nearest, result_outcome, true_cost, bound, rounds,
                           len(problem.variables()), len(problem.constraints()), k.tolist(), solve_s)


def _build(cost, weights, p, seats, fixed, ordered, k):
    problem = pulp.LpProblem("pmedian", pulp.LpMinimize)
    y = {j: problem.add_variable(f"y_{j}", cat=pulp.LpBinary) for j in seats}
    for j in fixed:
        y[j].lowBound = 1
    x, h = {}, {}
    objective = []
    link_terms = []
    n = cost.shape[0]
    for i in range(n):
        row = []
        for j in ordered[i, : k[i]]:
            j = int(j)
            var = problem.add_variable(f"x_{i}_{j}", 0, 1)
            x[i, j] = var
            row.append((var, 1))
            objective.append((var, float(weights[i] * cost[i, j])))
            link_terms.append((var, y[j]))
        if k[i] < len(seats):
            beyond_cost = float(cost[i, int(ordered[i, k[i]])])
            h[i] = problem.add_variable(f"h_{i}", 0, 1)
            row.append((h[i], 1))
            objective.append((h[i], float(weights[i] * beyond_cost)))
        problem += pulp.LpAffineExpression(row) == 1, f"assign_{i}"
    problem += pulp.LpAffineExpression(objective), "travel"
    for m, (var, seat) in enumerate(link_terms):
        problem += var - seat <= 0, f"link_{m}"
    problem += pulp.lpSum(y.values()) == p, "p"
    return problem, y, x, h
