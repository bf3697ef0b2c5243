"""Ctrl-C during a real, long solve: the solver stops promptly and its incumbent is kept (or
discarded, if the user chose so), with every registered solver and through the CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
from helpers import SCENARIOS
from test_solve import market_split

from optimiser.solvers import (
    SOLVERS,
    STOP,
    SolverOptions,
    Status,
    interruptible,
    solve_milp,
)

LONG = 60.0  # the time limit a prompt stop must beat by far


def ctrl_c_after(seconds: float) -> threading.Thread:
    """SIGINT to this process from another thread after ``seconds``, as a terminal's Ctrl-C."""
    thread = threading.Thread(target=lambda: (time.sleep(seconds), os.kill(os.getpid(), signal.SIGINT)), daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_ctrl_c_stops_the_solver_and_keeps_its_incumbent(solver):
    problem = market_split(6, 50, 1, slack=True)  # finds solutions, cannot prove the optimum in a minute
    start = time.perf_counter()
    with interruptible("keep"):
        ctrl_c_after(2.0)
        outcome = solve_milp(problem, SolverOptions(name=solver, time_limit_s=LONG))
    elapsed = time.perf_counter() - start
    assert elapsed < 15, f"{solver} took {elapsed:.1f} s to stop"
    assert outcome.interrupted
    assert outcome.status is Status.FEASIBLE, outcome.message
    assert outcome.objective is not None and outcome.bound is not None and outcome.gap > 0  # an honest gap
    assert not STOP.requested  # cleared for the next run


@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_ctrl_c_with_discard_raises_promptly(solver):
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt), interruptible("discard"):
        ctrl_c_after(2.0)
        solve_milp(market_split(6, 50, 1, slack=True), SolverOptions(name=solver, time_limit_s=LONG))
    assert time.perf_counter() - start < 15


@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_ctrl_c_outside_interruptible_still_stops_the_solver(solver):
    """No handler (a sweep, a script): KeyboardInterrupt as usual, and no solver left running."""
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        ctrl_c_after(2.0)
        solve_milp(market_split(6, 50, 1, slack=True), SolverOptions(name=solver, time_limit_s=LONG))
    assert time.perf_counter() - start < 15
    if solver == "cbc":
        children = subprocess.run(["pgrep", "-P", str(os.getpid()), "cbc"], capture_output=True, text=True, check=False).stdout
        assert not children.strip(), "CBC kept running after the interrupt"


def test_cli_run_interrupted_writes_the_incumbent_as_feasible(tmp_path):
    """`optimiser run` on the à la carte scenario with a long time limit: Ctrl-C (SIGINT to the
    process) once the big solve has a bound (HiGHS's own log says when); the result
    folder holds the design found so far, status feasible, with its gap; exit 0."""
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-u", "-m", "optimiser.cli", "run", str(SCENARIOS / "laval-2016-a-la-carte.yaml"),
                                "--out", str(out), "--set", "solver.time_limit_s=300", "--set", "solver.name=highs",
                                "--set", "solver.log=true"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    try:
        big_model = False
        for line in process.stdout:
            rows = re.search(r"(\d+) rows", line)  # the full model (a starting design's is far smaller)
            big_model = big_model or (rows is not None and int(rows.group(1)) >= 8000)
            if big_model and "%" in line and "BestBound" not in line:  # a progress row: the root LP has a bound
                break
        time.sleep(1.0)
        start = time.perf_counter()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 0, stderr
    assert time.perf_counter() - start < 30
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "feasible", summary["messages"]
    assert any("interrupted (Ctrl-C)" in m for m in summary["messages"])
    assert summary["gap"] is not None and summary["gap"] > 0
