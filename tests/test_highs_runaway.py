"""No HiGHS solve outlives its limit or eats the machine (README, "Argonne").

The fixture is the real culprit: the seat pricing of commune 08045 that CC de l'Argonne
Ardennaise's 300 s services run solved at the Lagrangian's second iteration (974 columns, 2,386
rows, 426 integer), as arrays. HiGHS 1.16's presolve rule "dual-fixing probing" loops on it,
polling neither its time limit nor its interrupt, allocating about 0.1 GB a second: 19.8 GB after
12 minutes. The tests switch the rule back on to meet that runaway; each runs under an
address-space limit on this process too, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pulp
import pytest
from helpers import address_space_at_most
from test_solve import market_split

from optimiser.solvers import ResolvableModel, SolverOptions, Status, highs_isolated, highs_version, solve_milp
from optimiser.solvers import highs as highs_adapter

FIXTURE = Path(__file__).parent / "data" / "argonne_seat_pricing_08045.npz"
OPTIMUM = 0.8177634186  # proven by HiGHS in 0.13 s without the rule, and with presolve off

runaway_highs = pytest.mark.skipif(not highs_version().startswith("1.16."),
                                   reason="the runaway is HiGHS 1.16's (its presolve rule 20)")


def seat_pricing() -> pulp.LpProblem:
    """The fixture as a PuLP model (columns and rows in the order HiGHS received them)."""
    with np.load(FIXTURE) as archive:  # read each array once: the archive decompresses an array at every d[name]
        d = {name: archive[name] for name in archive.files}
    n = len(d["cost"])
    problem = pulp.LpProblem("argonne_seat_pricing_08045", pulp.LpMinimize)
    x = [problem.add_variable(f"x{k}", None if d["lower"][k] < -1e30 else float(d["lower"][k]),
                              None if d["upper"][k] > 1e30 else float(d["upper"][k]),
                              cat=pulp.LpInteger if d["integer"][k] else pulp.LpContinuous) for k in range(n)]
    problem += pulp.LpAffineExpression([(x[k], float(c)) for k, c in enumerate(d["cost"]) if c], constant=float(d["offset"][0]))
    column_of = np.repeat(np.arange(n), np.diff(d["start"]))  # the file holds the matrix column-wise
    order = np.argsort(d["index"], kind="stable")
    row, column, value = d["index"][order], column_of[order], d["value"][order]
    cut = np.searchsorted(row, np.arange(len(d["row_lower"]) + 1))
    for r, (lo, up) in enumerate(zip(d["row_lower"], d["row_upper"])):
        expression = pulp.LpAffineExpression([(x[c], float(v)) for c, v in zip(column[cut[r]:cut[r + 1]], value[cut[r]:cut[r + 1]])])
        if lo == up:
            problem += expression == float(lo), f"r{r}"
            continue
        if lo > -1e30:
            problem += expression >= float(lo), f"r{r}_lo"
        if up < 1e30:
            problem += expression <= float(up), f"r{r}_up"
    return problem


@pytest.fixture(scope="module")
def pricing() -> pulp.LpProblem:
    """:func:`seat_pricing`, built once for the module (0.3 CPU-s for its 30,383 coefficients;
    1.5 s when each look-up of an array decompressed it again): every test solves it as it is
    (bounds changed only in HiGHS's copy, the values written back read by none)."""
    return seat_pricing()


@pytest.fixture
def dual_fixing_probing_on(monkeypatch):
    monkeypatch.setattr(highs_adapter, "presolve_rules_off", lambda: 0)


def test_the_runaway_pricing_is_proven_in_moments_with_the_rule_off(pricing):
    outcome = solve_milp(pricing, SolverOptions(name="highs", gap=1e-4), 10)
    assert outcome.status is Status.OPTIMAL
    assert outcome.objective == pytest.approx(OPTIMUM, abs=1e-6) and outcome.runtime_s < 5


def solved_once(problem, limit: float):
    return solve_milp(problem, SolverOptions(name="highs", gap=1e-4), limit)


def solved_again(problem, limit: float):
    """As the pole pricing solves: one model held by HiGHS, solved with bounds changed."""
    return ResolvableModel(problem).solve({"x0": (0.0, 1.0)}, SolverOptions(name="highs", gap=1e-4), limit)


@runaway_highs
@pytest.mark.slow
@pytest.mark.parametrize("solve", [solved_once, solved_again])
def test_a_solve_deaf_to_its_stop_is_killed_and_reads_as_a_time_limit(monkeypatch, dual_fixing_probing_on, solve, pricing):
    """Asked to stop 0.2 s past its 1 s limit, HiGHS (in presolve) does not answer: its process
    is killed 0.5 s later, and the outcome has no solution, no bound, and says why."""
    monkeypatch.setattr(highs_adapter, "OVERRUN_GRACE_S", 0.2)
    monkeypatch.setattr(highs_isolated, "KILL_AFTER_S", 0.5)
    problem = pricing
    start = time.perf_counter()
    with address_space_at_most(3 * 10**9):
        outcome = solve(problem, 1.0)
    assert time.perf_counter() - start < 10  # HiGHS alone: until the address space runs out (≈ 30 s)
    assert outcome.status is Status.TIME_LIMIT and outcome.bound is None and not outcome.interrupted
    assert "did not stop when asked and was killed" in outcome.message
    assert "was killed" in outcome.watchdog  # what a seat pricing's run names in its messages
    # the next solve gets a new process, and the rule off again, the optimum
    monkeypatch.undo()
    assert solve(problem, 10).status is Status.OPTIMAL


@runaway_highs
@pytest.mark.slow
def test_the_memory_cap_stops_a_runaway_allocation(monkeypatch, dual_fixing_probing_on, pricing):
    """Within its 60 s limit the runaway would take gigabytes; capped at 0.4 GB its process
    stops at the cap (HiGHS: "Memory limit reached"), read as a stop with nothing held.

    The cap is address space: the child maps 0.23 GB once it holds the model (0.29 GB at its
    peak in a normal solve of it), so the runaway, at about 0.1 GB a second, meets a 0.4 GB cap
    in under 2 s of its work (a 0.5 GB one took 2.7 s more: 4.2 s quiet, 14.7 s at load 9)."""
    monkeypatch.setattr(highs_isolated, "memory_cap_bytes", lambda: 4 * 10**8)
    highs_isolated._drop_child()  # the cap is the new child's
    start = time.perf_counter()
    with address_space_at_most(3 * 10**9):
        outcome = solve_milp(pricing, SolverOptions(name="highs", gap=1e-4), 60.0)
    highs_isolated._drop_child()
    assert time.perf_counter() - start < 20
    assert outcome.status is Status.TIME_LIMIT and outcome.bound is None
    assert "Memory limit reached" in outcome.message and "0.4 GB" in outcome.message


@pytest.mark.slow
def test_a_frozen_solver_process_is_killed_whatever_the_highs_version(monkeypatch):
    """The same guarantee without HiGHS's bug: the child process frozen (SIGSTOP) in the middle of
    a market split's branch and bound answers nothing; killed 0.5 s after the stop it was sent
    0.2 s past its 1 s limit, the run ends with no solution and no bound."""
    monkeypatch.setattr(highs_adapter, "OVERRUN_GRACE_S", 0.2)
    monkeypatch.setattr(highs_isolated, "KILL_AFTER_S", 0.5)
    problem = market_split(6, 50, 1, slack=True)
    solve_milp(market_split(2, 10, 1, slack=True), SolverOptions(name="highs"))  # the child is up (a tiny solve: it was a 1 s one)
    child = highs_isolated._current_child().process.pid
    threading.Timer(0.3, os.kill, (child, signal.SIGSTOP)).start()
    start = time.perf_counter()
    outcome = solve_milp(problem, SolverOptions(name="highs"), 1.0)
    assert time.perf_counter() - start < 5
    assert outcome.status is Status.TIME_LIMIT and outcome.bound is None
    assert "did not stop when asked and was killed" in outcome.message
    assert "was killed" in outcome.watchdog  # what a seat pricing's run names in its messages
