"""HiGHS runs on one long-lived solve thread (:class:`optimiser.solvers.highs_child.SolveThread`):
no thread per solve, a thread count that changes between runs still runs, and a cancelled run
leaves the next one of the same instance uncancelled (a held model's next pricing)."""

from __future__ import annotations

import threading
import time

import highspy
from test_solve import market_split

from optimiser.solvers import highs as highs_adapter
from optimiser.solvers import highs_child


def _instance(problem, **options):
    """``problem`` passed to a HiGHS instance of this process with the project's base options."""
    arrays = highs_adapter._lp_arrays(highspy, problem, problem.variables())
    return highs_child.prepared(highspy, {"lp": arrays, "warm": None,
                                          "options": {**highs_adapter._base_options(), **options}})


def test_solves_share_one_thread_and_a_new_thread_count_still_runs():
    h = _instance(market_split(1, 8, 3, slack=True), threads=1)
    highs_adapter.run_stoppable(h, 10.0)
    first = h.getInfo().objective_function_value
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    threads = threading.active_count()
    # HiGHS refuses to run when its scheduler was built for another thread count: the solve
    # thread rebuilds it when the count changes (2, then back to 1, then HiGHS's default)
    for count in (1, 2, 2, 1, 0, 1):
        h.setOptionValue("threads", count)
        h.clearSolver()
        highs_adapter.run_stoppable(h, 10.0)
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal, count
        assert h.getInfo().objective_function_value == first
    assert threading.active_count() == threads  # the same solve thread each time


def test_a_cancelled_run_stops_promptly_and_the_next_run_is_not_cancelled():
    h = _instance(market_split(3, 30, 1, slack=True), threads=1, time_limit=30.0)
    with highs_child.solve_thread() as run:
        run.start(h)
        assert not run.wait(0.2)  # beyond branch and bound in 30 s: still running
        cancelled = time.perf_counter()
        run.cancel()
        assert run.wait(5.0)
        assert time.perf_counter() - cancelled < 2.0
        assert h.getModelStatus() == highspy.HighsModelStatus.kInterrupt
        # the same instance run again (a held model's next solve): its own limit ends it, not
        # the previous run's cancel
        h.setOptionValue("time_limit", 0.3)
        h.clearSolver()
        run.start(h)
        assert run.wait(10.0)
        assert h.getModelStatus() == highspy.HighsModelStatus.kTimeLimit
