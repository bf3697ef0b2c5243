"""The p-median adapter: solve the BEAMR model (:mod:`optimiser.model.pmedian`), widening the
nearest-seat lists of the communes served "beyond" them until none is, then report a design."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ..inputs import Inputs
from ..model.candidates import seat_candidates
from ..model.pmedian import build_pmedian, initial_list_size, seats_by_distance
from ..solvers import STOP, SolveOutcome, SolverOptions, Status, solve_milp
from .outcome import PoleDesign, formulation_name


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
    ordered = seats_by_distance(cost, seats)
    k = np.full(n, min(len(seats), k0 or initial_list_size(n, p)))
    warm: dict[str, float] | None = None
    prev_seats: list[int] = []  # the previous round's seats (set before any warm start)
    best_bound = -math.inf
    rounds = 0
    solve_s = 0.0
    while True:
        rounds += 1
        built = build_pmedian(cost, weights, p, seats, fixed, ordered, k)
        problem, y, h = built.problem, built.y, built.h
        remaining = time_limit_s - (time.perf_counter() - start)
        if STOP.requested:
            outcome = SolveOutcome(Status.TIME_LIMIT, None, None, 0.0, options.label, "interrupted (Ctrl-C) between rounds",
                                   interrupted=True)
        elif remaining <= 0.5:
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


def design_pmedian(inputs: Inputs, options: SolverOptions) -> PoleDesign:
    """The p-median design of ``inputs``: exactly ``poles.count.min`` seats, each commune to its
    nearest open seat, population-weighted travel minimised."""
    start = time.perf_counter()
    rules = inputs.rules
    territory, matrix = inputs.territory, inputs.matrix
    index = matrix.index()
    cost = matrix.time_min if rules.travel_metric == "time" else matrix.km
    weights = territory.communes["population"].to_numpy(dtype=float)
    seats = [index[c] for c in seat_candidates(territory, rules)]
    fixed = [index[c] for c in rules.fixed_seats]
    p = int(rules.count_min)
    if p > len(seats) or len(fixed) > p:
        reason = (f"p = {p} poles but only {len(seats)} candidate seats" if p > len(seats)
                  else f"{len(fixed)} fixed seats but p = {p}")
        return PoleDesign({}, Status.INFEASIBLE, None, None, options.label, formulation_name(inputs),
                          0.0, 0.0, time.perf_counter() - start, rounds=0, diagnosis=[reason])
    solution = solve_pmedian(cost, weights, p, seats, fixed, options, options.time_limit_s)
    codes = territory.codes
    assignment = {codes[i]: codes[int(j)] for i, j in enumerate(solution.assignment)} if solution.seats else {}
    outcome = solution.outcome
    return PoleDesign(
        assignment=assignment,
        status=outcome.status,
        objective=solution.objective,
        bound=solution.bound,
        solver=options.label,
        formulation=formulation_name(inputs) + f", {solution.rounds} round{'s' if solution.rounds != 1 else ''}, "
                                               f"lists of {int(np.median(solution.list_sizes))} seats (median)",
        build_s=time.perf_counter() - start - solution.solve_s,
        solve_s=solution.solve_s,
        runtime_s=time.perf_counter() - start,
        rounds=solution.rounds,
        n_variables=solution.n_variables,
        n_constraints=solution.n_constraints,
        messages=[outcome.message],
    )
