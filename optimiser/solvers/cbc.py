"""CBC (bundled with PuLP), run as a process: status, objective and bound read from its log.

PuLP's status is not trusted: the ``Result -`` block of CBC's log says whether it proved
optimality (``Optimal``), stopped (``Stopped on time`` / ``on ctrl-c``) with or without a solution,
or proved the model infeasible.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import signal
import subprocess
import tempfile
import time
import types
import warnings
from typing import TYPE_CHECKING

import pulp

from .base import Solver
from .interrupt import STOP
from .status import SolveOutcome, Status

if TYPE_CHECKING:
    from .options import SolverOptions


class CbcSolver(Solver):
    name = "cbc"

    def version(self) -> str:
        return "2.10 (bundled)"  # the binary PuLP 3.x ships

    def label(self) -> str:
        return f"CBC {self.version()} (PuLP {pulp.__version__})"

    def solve(self, problem, options, limit_s, warm_start):
        return _solve_cbc(problem, options, limit_s, warm_start)


def cbc_version() -> str:
    return CbcSolver().version()


#: CBC only honours SIGINT inside branch-and-bound; in its presolve or root cuts it may not stop.
#: After this many seconds it is killed (its solution is lost; the design loop keeps its own).
INTERRUPT_GRACE_S = 5.0


class _WatchedPopen(subprocess.Popen):
    """A CBC process that is stopped if it outlives its time limit by more than the grace time,
    or does not stop within :data:`INTERRUPT_GRACE_S` of a Ctrl-C.

    CBC does not check its time limit inside some heuristics (seen here on a 140,000-binary
    model: still running 16 minutes into a 10-minute limit); without this watchdog a run could
    hang. ``wait()`` gives up at the deadline, kills CBC and reports it.
    """

    deadline_s: float = math.inf
    interrupted_at: float | None = None

    def wait(self, timeout=None):
        if timeout is not None:  # PuLP's own calls wait without a timeout; anything else is left alone
            return super().wait(timeout=timeout)
        deadline = time.monotonic() + self.deadline_s
        with STOP.while_running(self.interrupt):
            try:
                while True:
                    try:
                        return super().wait(timeout=0.2)
                    except subprocess.TimeoutExpired:
                        now = time.monotonic()
                        if now > deadline:
                            self._stop(_CbcOverran())
                        if self.interrupted_at is not None and now > self.interrupted_at + INTERRUPT_GRACE_S:
                            self._stop(_CbcIgnoredInterrupt())
            except KeyboardInterrupt:  # raised here, not handled: CBC must not keep running alone
                self.kill()
                super().wait()
                raise

    def _stop(self, reason: Exception):
        self.kill()
        super().wait()
        raise reason from None

    def interrupt(self) -> None:
        """Ask CBC to stop as on its time limit (it then writes its best solution): SIGINT."""
        if self.poll() is None:
            self.interrupted_at = time.monotonic()
            self.send_signal(signal.SIGINT)


class _CbcOverran(Exception):
    pass


class _CbcIgnoredInterrupt(Exception):
    pass


@contextlib.contextmanager
def _cbc_watchdog(seconds: float):
    """Let PuLP start CBC through :class:`_WatchedPopen` (only inside PuLP's CBC module)."""
    from pulp.apis import coin_api

    class Watched(_WatchedPopen):
        deadline_s = seconds

    shim = types.SimpleNamespace(**{k: getattr(subprocess, k) for k in dir(subprocess) if not k.startswith("__")})
    shim.Popen = Watched
    original = coin_api.subprocess
    coin_api.subprocess = shim
    try:
        yield
    finally:
        coin_api.subprocess = original


def _grace_s(limit: float) -> float:
    """How long past its time limit CBC may run before it is stopped (it normally stops itself)."""
    return max(30.0, 0.2 * limit)

_RESULT = re.compile(r"^Result - (.+)$", re.MULTILINE)
_OBJECTIVE = re.compile(r"^Objective value:\s+(\S+)", re.MULTILINE)
_BOUND = re.compile(r"^Lower bound:\s+(\S+)", re.MULTILINE)


def _solve_cbc(problem, options: SolverOptions, limit: float, warm_start) -> SolveOutcome:
    if warm_start:
        for var in problem.variables():
            var.setInitialValue(warm_start.get(var.name, 0.0))
    handle, log_path = tempfile.mkstemp(prefix="cbc-", suffix=".log")
    os.close(handle)
    start = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # PULP_CBC_CMD goes in PuLP 4; we pin 3.x
            solver = pulp.PULP_CBC_CMD(
                msg=False,
                timeLimit=limit,
                gapRel=options.gap,
                threads=options.threads if options.threads > 1 else None,
                warmStart=bool(warm_start),
                logPath=log_path,
                timeMode="elapsed",
            )
            with _cbc_watchdog(limit + _grace_s(limit)):
                problem.solve(solver)
    except _CbcOverran:
        return SolveOutcome(Status.TIME_LIMIT, None, None, time.perf_counter() - start, options.label,
                            f"CBC ignored its {limit:.0f} s time limit and was stopped after {limit + _grace_s(limit):.0f} s; "
                            "no solution could be read (HiGHS honours its limit: solver.name: highs)")
    except _CbcIgnoredInterrupt:
        return SolveOutcome(Status.TIME_LIMIT, None, None, time.perf_counter() - start, options.label,
                            f"CBC did not stop within {INTERRUPT_GRACE_S:.0f} s of Ctrl-C and was stopped; its solution is lost",
                            interrupted=True)
    except pulp.PulpSolverError as exc:
        if STOP.requested:  # stopped before CBC had anything to write
            return SolveOutcome(Status.TIME_LIMIT, None, None, time.perf_counter() - start, options.label,
                                "CBC was interrupted (Ctrl-C) before it found a solution", interrupted=True)
        return SolveOutcome(Status.ERROR, None, None, time.perf_counter() - start, options.label, f"CBC failed: {exc}")
    finally:
        runtime = time.perf_counter() - start
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            log = handle.read()
        os.unlink(log_path)
    if options.log:
        print(log)
    outcome = _read_cbc(problem, log, runtime, options.label)
    if STOP.requested:
        outcome.interrupted = True
        if outcome.status is Status.ERROR and outcome.objective is None:
            outcome.status, outcome.message = Status.TIME_LIMIT, "CBC was interrupted (Ctrl-C) before it found a solution"
        elif outcome.status.has_solution:
            outcome.message = "CBC: interrupted (Ctrl-C); its best solution is kept"
    return outcome


def _stopped(result_text: str) -> bool:
    """CBC stopped before proving optimality: on its time limit ("Stopped on time") or on SIGINT
    ("User ctrl-c", which CBC prints twice)."""
    return result_text.startswith("Stopped") or "ctrl-c" in result_text.lower()


def _read_cbc(problem, log: str, runtime: float, label: str) -> SolveOutcome:
    result = _RESULT.search(log)
    result_text = result.group(1) if result else ""
    constant = problem.objective.constant if problem.objective is not None else 0.0
    objective = float(_OBJECTIVE.search(log).group(1)) + constant if _OBJECTIVE.search(log) else None
    bound_match = _BOUND.search(log)
    infeasible = "infeasible" in result_text.lower() or "Problem is infeasible" in log or problem.status == pulp.LpStatusInfeasible
    if infeasible:
        return SolveOutcome(Status.INFEASIBLE, None, None, runtime, label, "CBC proved the model infeasible")
    if "no feasible solution" in log.lower() or objective is None:
        if _stopped(result_text):
            return SolveOutcome(Status.TIME_LIMIT, None, None, runtime, label, "CBC stopped on the time limit without a solution")
        return SolveOutcome(Status.ERROR, None, None, runtime, label, f"CBC ended without a solution ({result_text or 'no result line'})")
    values = {v.name: (v.varValue if v.varValue is not None else 0.0) for v in problem.variables()}
    if result_text.startswith("Optimal"):
        bound = float(bound_match.group(1)) + constant if bound_match else objective
        return SolveOutcome(Status.OPTIMAL, objective, min(bound, objective), runtime, label, "CBC: " + result_text, values)
    if _stopped(result_text):
        bound = float(bound_match.group(1)) + constant if bound_match else None
        return SolveOutcome(Status.FEASIBLE, objective, bound, runtime, label, "CBC: " + result_text, values)
    return SolveOutcome(Status.ERROR, objective, None, runtime, label, f"CBC: unexpected result {result_text!r}")
