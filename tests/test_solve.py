"""The solver layer never calls a time-limited solution optimal, with either solver."""

from __future__ import annotations

import warnings

import highspy
import numpy as np
import pulp
import pytest

from optimiser.solvers import SolverOptions, Status, relative_gap, solve_milp

SOLVERS = ["cbc", "highs"]
#: The shortest time limit the solver layer gives (``solve_milp`` raises any shorter one to 1 s):
#: the market split below cannot be proven in it, and both solvers find a first solution within
#: 0.2 s (HiGHS by its feasibility jump at 0.0 s, CBC by its feasibility pump).
SHORT = 1.0


def market_split(m: int, n: int, seed: int, slack: bool) -> pulp.LpProblem:
    """Cornuéjols–Dawande market split: tiny, and famously beyond branch-and-bound in seconds.

    With slack variables any 0/1 vector is feasible (the solver finds solutions but cannot prove
    the optimum); without them, it finds none before the limit.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(0, 100, size=(m, n))
    b = a.sum(axis=1) // 2
    prob = pulp.LpProblem("market_split", pulp.LpMinimize)
    x = [prob.add_variable(f"x{j}", cat=pulp.LpBinary) for j in range(n)]
    if slack:
        plus = [prob.add_variable(f"sp{i}", 0) for i in range(m)]
        minus = [prob.add_variable(f"sm{i}", 0) for i in range(m)]
        prob += pulp.lpSum(plus) + pulp.lpSum(minus) + 1
    else:
        prob += pulp.lpSum(x)
    for i in range(m):
        expr = pulp.lpSum(int(a[i, j]) * x[j] for j in range(n))
        prob += (expr + plus[i] - minus[i] == int(b[i])) if slack else (expr == int(b[i]))
    return prob


@pytest.mark.parametrize("solver", SOLVERS)
def test_time_limited_solution_is_feasible_not_optimal(solver):
    outcome = solve_milp(market_split(6, 50, 1, slack=True), SolverOptions(name=solver, time_limit_s=SHORT))
    assert outcome.status is Status.FEASIBLE
    assert outcome.objective is not None and outcome.bound is not None
    assert outcome.bound <= outcome.objective and outcome.gap > 0


@pytest.mark.parametrize("solver", SOLVERS)
def test_time_limit_without_solution(solver):
    outcome = solve_milp(market_split(6, 50, 1, slack=False), SolverOptions(name=solver, time_limit_s=SHORT))
    assert outcome.status is Status.TIME_LIMIT
    assert outcome.objective is None and not outcome.status.has_solution


@pytest.mark.slow
def test_pulp_alone_would_call_the_highs_time_limit_optimal():
    """Why we read HiGHS's own status: PuLP maps kTimeLimit to 'Optimal'."""
    prob = market_split(6, 50, 1, slack=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prob.solve(pulp.HiGHS(msg=False, timeLimit=SHORT))
    # PuLP's HiGHS starts the process-wide HiGHS scheduler with its own thread count; a later
    # in-process run asking for one thread would then fail (HiGHS refuses to change it).
    highspy.Highs.resetGlobalScheduler(True)
    assert pulp.LpStatus[prob.status] == "Optimal"
    assert solve_milp(market_split(6, 50, 1, slack=True), SolverOptions(name="highs", time_limit_s=SHORT)).status is Status.FEASIBLE


@pytest.mark.parametrize("solver", SOLVERS)
def test_infeasible_and_optimal(solver):
    prob = pulp.LpProblem("tiny", pulp.LpMinimize)
    x = prob.add_variable("x", 0, 10, pulp.LpInteger)
    y = prob.add_variable("y", 0, 10, pulp.LpInteger)
    prob += 3 * x + 2 * y + 5
    prob += x + y >= 4
    prob += x - y == 1
    outcome = solve_milp(prob, SolverOptions(name=solver))
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == pytest.approx(3 * 3 + 2 * 2 + 5)  # the constant is included
    assert outcome.gap == 0
    assert x.value() == pytest.approx(3)
    prob += x + y <= 2
    assert solve_milp(prob, SolverOptions(name=solver)).status is Status.INFEASIBLE


@pytest.mark.parametrize("solver", SOLVERS)
@pytest.mark.slow
def test_warm_start_is_accepted(solver):
    # One row of ten: each solver proves it at once (the warm start is handed over the same way
    # whatever the model's size), where the four rows of twenty it had ran to the time limit —
    # a second a solver — working towards an optimum this test does not look at.
    prob = market_split(1, 10, 3, slack=True)
    start = {v.name: 0.0 for v in prob.variables()}  # a solution: every x at 0, the slacks free
    outcome = solve_milp(prob, SolverOptions(name=solver, time_limit_s=SHORT), warm_start=start)
    assert outcome.status.has_solution


def test_relative_gap():
    assert relative_gap(100.0, 90.0) == pytest.approx(0.1)
    assert relative_gap(0.0, -1e-12) == 0.0
    assert relative_gap(None, 1.0) is None
    assert relative_gap(5.0, float("-inf")) is None


def test_cbc_that_overruns_its_limit_is_stopped(monkeypatch):
    """CBC can ignore its time limit inside a heuristic; the watchdog stops it and says so."""
    import sys as _sys

    import optimiser.solvers as _  # noqa: F401

    solve_module = _sys.modules["optimiser.solvers.cbc"]
    monkeypatch.setattr(solve_module, "_grace_s", lambda limit: -limit + 0.5)  # stop CBC after 0.5 s
    outcome = solve_milp(market_split(6, 50, 1, slack=True), SolverOptions(name="cbc", time_limit_s=30))
    assert outcome.status is Status.TIME_LIMIT
    assert "ignored its" in outcome.message and outcome.runtime_s < 10
    # and PuLP's own module is left as it was
    import subprocess

    from pulp.apis import coin_api

    assert coin_api.subprocess is subprocess


@pytest.mark.parametrize("slack", [True, False])
def test_highs_that_overruns_its_limit_is_stopped_as_a_time_limit(monkeypatch, slack):
    """HiGHS does not always honour its time limit (a 10 s seat pricing of a 95-commune EPCI ran
    two minutes, growing to 6.7 GB): a watchdog stops it, and the outcome is that time limit —
    a design and its bound, or none — never a user's interrupt nor "optimal"."""
    from optimiser.solvers import highs

    # the watchdog fires 0.5 s in, well before HiGHS's own 30 s limit
    monkeypatch.setattr(highs, "OVERRUN_GRACE_S", -29.5)
    monkeypatch.setattr(highs, "OVERRUN_GRACE_SHARE", 0.0)
    outcome = solve_milp(market_split(6, 50, 1, slack=slack), SolverOptions(name="highs", time_limit_s=30))
    assert outcome.runtime_s < 10
    assert not outcome.interrupted
    assert outcome.status is (Status.FEASIBLE if slack else Status.TIME_LIMIT)
    assert "past its time limit" in outcome.message
