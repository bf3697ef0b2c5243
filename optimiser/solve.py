"""The only place solvers are created; maps what each solver says to one honest status.

A solution is called ``optimal`` only when the solver proved it within the requested relative
gap. PuLP's own status is not trusted for that: it reads "Optimal" after HiGHS stopped on its
time limit (with any gap, even an infinite one). We read the solver's own status, objective
and best bound instead:

* CBC (bundled with PuLP): the ``Result -`` block of its log (objective, lower bound);
* HiGHS (highspy): ``getModelStatus()`` and ``getInfo()`` (``mip_dual_bound``), on a model
  passed to HiGHS in one block (PuLP's adapter adds rows one by one, which is slow).

Gap = (objective − bound) / |objective| for minimisation, with differences below
1e-9 · max(1, |objective|) counted as zero (solver round-off).
"""

from __future__ import annotations

import contextlib
import enum
import importlib.metadata
import math
import os
import re
import subprocess
import sys
import tempfile
import time
import types
import warnings
from dataclasses import dataclass, field

import numpy as np
import pulp

from .errors import SolverError


class Status(str, enum.Enum):
    """Outcome of a solve. Only ``OPTIMAL`` is ever reported as optimal."""

    OPTIMAL = "optimal"
    """Proven optimal within the requested gap."""
    FEASIBLE = "feasible"
    """A solution, stopped (time limit) before proving it optimal: see the gap."""
    INFEASIBLE = "infeasible"
    """Proven to have no solution."""
    TIME_LIMIT = "time_limit"
    """Stopped on the time limit with no solution."""
    ERROR = "error"
    """The solver failed."""

    @property
    def has_solution(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True)
class SolverOptions:
    name: str = "cbc"
    time_limit_s: float = 120.0
    gap: float = 1e-4
    threads: int = 1
    log: bool = False

    @property
    def label(self) -> str:
        return {"cbc": f"CBC {cbc_version()} (PuLP {pulp.__version__})", "highs": f"HiGHS {highs_version()}"}[self.name]


@dataclass
class SolveOutcome:
    """What one solver call returned. ``objective`` and ``bound`` include the model's constant."""

    status: Status
    objective: float | None
    bound: float | None
    runtime_s: float
    solver: str
    message: str = ""
    values: dict[str, float] = field(default_factory=dict)

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None or not np.isfinite(objective) or not np.isfinite(bound):
        return None
    difference = objective - bound
    if difference <= 1e-9 * max(1.0, abs(objective)):
        return 0.0  # floating-point noise, not a gap (matters when the objective is 0)
    return difference / max(abs(objective), 1e-9)


def cbc_version() -> str:
    return "2.10 (bundled)"  # the binary PuLP 3.x ships


def highs_version() -> str:
    try:
        return importlib.metadata.version("highspy")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - pinned dependency
        return "unavailable"


@contextlib.contextmanager
def _quiet_stdout():
    """Silence the C-level stdout (HiGHS prints a banner when an instance is created)."""
    fd = 1  # the process's own stdout, where C libraries write (also under a notebook kernel)
    try:
        sys.stdout.flush()
    except (AttributeError, ValueError, OSError):
        pass
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def solve_milp(
    problem: pulp.LpProblem,
    options: SolverOptions,
    time_limit_s: float | None = None,
    warm_start: dict[str, float] | None = None,
) -> SolveOutcome:
    """Solve ``problem`` (minimisation) and return an honest :class:`SolveOutcome`.

    Variable values are also written back to the PuLP variables (``var.value()``).
    """
    limit = max(1.0, float(time_limit_s if time_limit_s is not None else options.time_limit_s))
    if options.name == "cbc":
        outcome = _solve_cbc(problem, options, limit, warm_start)
    elif options.name == "highs":
        outcome = _solve_highs(problem, options, limit, warm_start)
    else:  # the schema forbids this; kept for API users
        raise SolverError(f"unknown solver {options.name!r}; use 'cbc' or 'highs'")
    if outcome.status is Status.OPTIMAL:
        gap = outcome.gap
        if gap is not None and gap > options.gap + 1e-9:
            outcome.status = Status.FEASIBLE  # a solver's "optimal" beyond our tolerance is not ours
    return outcome


# --------------------------------------------------------------------------------------- CBC


class _WatchedPopen(subprocess.Popen):
    """A CBC process that is stopped if it outlives its time limit by more than the grace time.

    CBC does not check its time limit inside some heuristics (seen here on a 140,000-binary
    model: still running 16 minutes into a 10-minute limit); without this watchdog a run could
    hang. ``wait()`` gives up at the deadline, kills CBC and reports it.
    """

    deadline_s: float = math.inf

    def wait(self, timeout=None):
        try:
            return super().wait(timeout=self.deadline_s if timeout is None else timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            super().wait()
            raise _CbcOverran() from None


class _CbcOverran(Exception):
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

_RESULT = re.compile(r"^Result - (.+)$", re.M)
_OBJECTIVE = re.compile(r"^Objective value:\s+(\S+)", re.M)
_BOUND = re.compile(r"^Lower bound:\s+(\S+)", re.M)


def _solve_cbc(problem, options, limit, warm_start) -> SolveOutcome:
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
    except pulp.PulpSolverError as exc:
        return SolveOutcome(Status.ERROR, None, None, time.perf_counter() - start, options.label, f"CBC failed: {exc}")
    finally:
        runtime = time.perf_counter() - start
        with open(log_path, encoding="utf-8", errors="replace") as handle:
            log = handle.read()
        os.unlink(log_path)
    if options.log:
        print(log)
    return _read_cbc(problem, log, runtime, options.label)


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
        if result_text.startswith("Stopped"):
            return SolveOutcome(Status.TIME_LIMIT, None, None, runtime, label, "CBC stopped on the time limit without a solution")
        return SolveOutcome(Status.ERROR, None, None, runtime, label, f"CBC ended without a solution ({result_text or 'no result line'})")
    values = {v.name: (v.varValue if v.varValue is not None else 0.0) for v in problem.variables()}
    if result_text.startswith("Optimal"):
        bound = float(bound_match.group(1)) + constant if bound_match else objective
        return SolveOutcome(Status.OPTIMAL, objective, min(bound, objective), runtime, label, "CBC: " + result_text, values)
    if result_text.startswith("Stopped"):
        bound = float(bound_match.group(1)) + constant if bound_match else None
        return SolveOutcome(Status.FEASIBLE, objective, bound, runtime, label, "CBC: " + result_text, values)
    return SolveOutcome(Status.ERROR, objective, None, runtime, label, f"CBC: unexpected result {result_text!r}")


# ------------------------------------------------------------------------------------- HiGHS


def _solve_highs(problem, options, limit, warm_start) -> SolveOutcome:
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a pinned dependency
        return SolveOutcome(Status.ERROR, None, None, 0.0, "HiGHS", "highspy is not installed")
    start = time.perf_counter()
    variables = problem.variables()
    position = {v.name: k for k, v in enumerate(variables)}
    n = len(variables)
    if options.log:
        h = highspy.Highs()
    else:
        with _quiet_stdout():
            h = highspy.Highs()
    h.setOptionValue("output_flag", bool(options.log))
    h.setOptionValue("time_limit", float(limit))
    h.setOptionValue("mip_rel_gap", float(options.gap))
    h.setOptionValue("mip_abs_gap", 1e-9)
    h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("random_seed", 0)

    lp = highspy.HighsLp()
    lp.num_col_ = n
    cost = np.zeros(n)
    for var, coef in problem.objective.items():
        cost[position[var.name]] = coef
    lower = np.array([-highspy.kHighsInf if v.lowBound is None else v.lowBound for v in variables], dtype=float)
    upper = np.array([highspy.kHighsInf if v.upBound is None else v.upBound for v in variables], dtype=float)
    starts, index, value, row_lower, row_upper = [0], [], [], [], []
    for constraint in problem.constraints():
        for var, coef in constraint.items():
            if coef != 0:
                index.append(position[var.name])
                value.append(coef)
        starts.append(len(index))
        rhs = -constraint.constant
        sense = constraint.sense
        row_lower.append(rhs if sense in (pulp.LpConstraintGE, pulp.LpConstraintEQ) else -highspy.kHighsInf)
        row_upper.append(rhs if sense in (pulp.LpConstraintLE, pulp.LpConstraintEQ) else highspy.kHighsInf)
    lp.num_row_ = len(row_lower)
    lp.col_cost_ = cost
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = np.asarray(row_lower, dtype=float)
    lp.row_upper_ = np.asarray(row_upper, dtype=float)
    lp.offset_ = float(problem.objective.constant)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = n
    lp.a_matrix_.num_row_ = lp.num_row_
    lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(value, dtype=float)
    lp.integrality_ = [
        highspy.HighsVarType.kInteger if v.cat == pulp.LpInteger else highspy.HighsVarType.kContinuous for v in variables
    ]
    h.passModel(lp)
    if warm_start:
        solution = highspy.HighsSolution()
        solution.col_value = [float(warm_start.get(v.name, 0.0)) for v in variables]
        solution.value_valid = True
        h.setSolution(solution)
    h.run()
    runtime = time.perf_counter() - start
    model_status = h.getModelStatus()
    info = h.getInfo()
    status_name = h.modelStatusToString(model_status)
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    label = options.label
    S = highspy.HighsModelStatus
    if model_status in (S.kInfeasible, S.kUnboundedOrInfeasible):
        return SolveOutcome(Status.INFEASIBLE, None, None, runtime, label, f"HiGHS: {status_name}")
    if model_status not in (S.kOptimal, S.kTimeLimit, S.kIterationLimit, S.kInterrupt, S.kSolutionLimit, S.kObjectiveBound, S.kObjectiveTarget):
        return SolveOutcome(Status.ERROR, None, None, runtime, label, f"HiGHS: {status_name}")
    if not has_solution:
        status = Status.TIME_LIMIT if model_status != S.kOptimal else Status.ERROR
        return SolveOutcome(status, None, None, runtime, label, f"HiGHS: {status_name}, no solution")
    col_value = list(h.getSolution().col_value)
    for var, x in zip(variables, col_value):
        var.varValue = x
    values = {v.name: x for v, x in zip(variables, col_value)}
    objective = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if n and any(v.cat == pulp.LpInteger for v in variables) else objective
    if not np.isfinite(bound):
        bound = None
    status = Status.OPTIMAL if model_status == S.kOptimal else Status.FEASIBLE
    if status is Status.OPTIMAL and bound is None:
        bound = objective
    return SolveOutcome(status, objective, None if bound is None else min(bound, objective), runtime, label, f"HiGHS: {status_name}", values)
