"""HiGHS (highspy): the model passed in one block, status and bound read from HiGHS itself.

``getModelStatus()`` and ``getInfo()`` (``mip_dual_bound``) give the status and the bound; the
model is passed to HiGHS in one block (PuLP's adapter adds rows one by one, which is slow).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.metadata
import os
import sys
import time
from typing import TYPE_CHECKING

import numpy as np
import pulp

from .base import Solver
from .interrupt import STOP
from .status import SolveOutcome, Status

if TYPE_CHECKING:
    from .options import SolverOptions


class HighsSolver(Solver):
    name = "highs"

    def version(self) -> str:
        return highs_version()

    def label(self) -> str:
        return f"HiGHS {self.version()}"

    def solve(self, problem, options, limit_s, warm_start):
        return _solve_highs(problem, options, limit_s, warm_start)


@functools.cache
def highs_version() -> str:
    """The installed highspy's version, read once per process: the label of every outcome carries
    it, and reading a package's metadata costs about 3 ms — a fifth of a small pricing solve
    (the Lagrangian bound of a six-commune territory makes 300 of them)."""
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


def _solve_highs(problem, options: SolverOptions, limit: float, warm_start) -> SolveOutcome:
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a pinned dependency
        return SolveOutcome(Status.ERROR, None, None, 0.0, "HiGHS", "highspy is not installed")
    start = time.perf_counter()
    variables = problem.variables()
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

    h.passModel(_highs_lp(highspy, problem, variables))
    if warm_start:
        solution = highspy.HighsSolution()
        solution.col_value = [float(warm_start.get(v.name, 0.0)) for v in variables]
        solution.value_valid = True
        h.setSolution(solution)
    overran = _run_stoppable(h, limit)
    return _outcome(highspy, h, problem, variables, options, start, overran)


def _overrun_said(outcome: SolveOutcome, overran: bool) -> SolveOutcome:
    if overran:
        outcome.message += " — HiGHS ran past its time limit and was stopped"
    return outcome


def _outcome(highspy, h, problem, variables, options: SolverOptions, start: float, overran: bool = False) -> SolveOutcome:
    """The outcome of a run of ``h`` (the model of ``problem``, columns in ``variables`` order);
    ``overran``: the watchdog of :func:`_run_stoppable` stopped it past its time limit (read as
    the time limit it is, not as a user's interrupt, and said in the message)."""
    return _overrun_said(_read_outcome(highspy, h, problem, variables, options, start, overran), overran)


def _read_outcome(highspy, h, problem, variables, options: SolverOptions, start: float, overran: bool) -> SolveOutcome:
    n = len(variables)
    runtime = time.perf_counter() - start
    model_status = h.getModelStatus()
    info = h.getInfo()
    status_name = h.modelStatusToString(model_status)
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    label = options.label
    S = highspy.HighsModelStatus
    if model_status == S.kInterrupt and not overran:
        return _interrupted(h, problem, variables, n, info, runtime, label)
    if model_status in (S.kInfeasible, S.kUnboundedOrInfeasible):
        return SolveOutcome(Status.INFEASIBLE, None, None, runtime, label, f"HiGHS: {status_name}")
    if model_status not in (S.kOptimal, S.kTimeLimit, S.kIterationLimit, S.kInterrupt, S.kSolutionLimit, S.kObjectiveBound, S.kObjectiveTarget):
        return SolveOutcome(Status.ERROR, None, None, runtime, label, f"HiGHS: {status_name}")
    if not has_solution:
        status = Status.TIME_LIMIT if model_status != S.kOptimal else Status.ERROR
        return SolveOutcome(status, None, None, runtime, label, f"HiGHS: {status_name}, no solution")
    values, objective, mip_bound = _solution(h, problem, variables, n, info)
    bound = objective if mip_bound is False else mip_bound
    status = Status.OPTIMAL if model_status == S.kOptimal else Status.FEASIBLE
    if status is Status.OPTIMAL and bound is None:
        bound = objective
    return SolveOutcome(status, objective, None if bound is None else min(bound, objective), runtime, label, f"HiGHS: {status_name}", values)



def _highs_lp(highspy, problem, variables):
    """The PuLP model as one HiGHS LP block (rows passed at once; integrality kept)."""
    position = {v.name: k for k, v in enumerate(variables)}
    n = len(variables)
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
    return lp


def lp_reduced_costs(problem, time_limit_s: float) -> tuple[float, dict[str, float]] | None:
    """The LP relaxation of ``problem`` (every variable continuous, minimisation) solved by
    HiGHS: its optimum :math:`z_{LP}` (constant included) and each variable's reduced cost
    :math:`d_v` by name, or ``None`` unless proven optimal within ``time_limit_s``. Any solution
    of the MILP with :math:`x_v = 1` for a binary :math:`v` at its lower bound in the LP costs at
    least :math:`z_{LP} + d_v` (reduced-cost fixing)."""
    import highspy

    variables = problem.variables()
    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(max(time_limit_s, 0.1)))
    h.setOptionValue("threads", 1)
    lp = _highs_lp(highspy, problem, variables)
    lp.integrality_ = []  # the relaxation
    h.passModel(lp)
    _run_stoppable(h, max(time_limit_s, 0.1))
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    solution = h.getSolution()
    if not solution.dual_valid:
        return None
    values = {v.name: x for v, x in zip(variables, solution.col_value)}
    return objective_at(problem, values), {v.name: float(d) for v, d in zip(variables, solution.col_dual)}


class ResolvableModel:
    """One PuLP MILP passed to HiGHS once and solved again and again with some columns' bounds
    changed in between (the pole pricing: one model per seat, the pole's members fixed by their
    bounds), which saves converting the model for every solve. Each solve starts afresh
    (``clearSolver``): its outcome is the one a new model with these bounds would give."""

    def __init__(self, problem):
        import highspy

        self.highspy, self.problem = highspy, problem
        self.variables = problem.variables()
        self.position = {v.name: k for k, v in enumerate(self.variables)}
        with _quiet_stdout():
            self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        self.h.setOptionValue("mip_abs_gap", 1e-9)
        self.h.setOptionValue("random_seed", 0)
        self.h.passModel(_highs_lp(highspy, problem, self.variables))

    def solve(self, bounds: dict[str, tuple[float, float]], options: SolverOptions, limit: float) -> SolveOutcome:
        """Solve with the columns named in ``bounds`` set to (lower, upper), within ``limit`` s."""
        start = time.perf_counter()
        columns = np.array([self.position[name] for name in bounds], dtype=np.int32)
        lower = np.array([lo for lo, _ in bounds.values()], dtype=float)
        upper = np.array([up for _, up in bounds.values()], dtype=float)
        h = self.h
        h.changeColsBounds(len(columns), columns, lower, upper)
        h.setOptionValue("time_limit", float(limit))
        h.setOptionValue("mip_rel_gap", float(options.gap))
        h.setOptionValue("threads", int(options.threads))
        h.clearSolver()
        overran = _run_stoppable(h, limit)
        return _outcome(self.highspy, h, self.problem, self.variables, options, start, overran)


def objective_at(problem, values: dict[str, float]) -> float:
    """c·x + c₀: the objective of the solution HiGHS returns, from its values.

    Not ``info.objective_function_value``: HiGHS 1.16, its presolve stopped by the time limit,
    accepted the warm start "in the reduced space" and reported that space's value, an offset
    short (Laval 2019 perimeter, 34 communes: 24,047.6 k€ reported, the very solution it
    returned worth 24,070.0 k€ — 22.5 k€ of presolve offset lost). The design written is the
    one the values encode, so its objective is theirs.
    """
    return sum(coef * values.get(var.name, 0.0) for var, coef in problem.objective.items()) + problem.objective.constant


#: Seconds (and share of the limit) HiGHS may run past its own time limit before it is stopped.
#: HiGHS 1.16 does not always honour ``time_limit``: a 10 s seat pricing of a 95-commune EPCI
#: (CC de l'Argonne Ardennaise) ran two minutes and grew to 6.7 GB (23 GB, OOM-killed, at 300 s).
OVERRUN_GRACE_S, OVERRUN_GRACE_SHARE = 2.0, 0.1


def _run_stoppable(h, limit: float | None = None) -> bool:
    """``h.run()`` in HiGHS's worker thread, the main thread polling it so that a signal handler
    can run and stop it (:data:`STOP`) — or, on a KeyboardInterrupt, stop it before passing it on.
    With ``limit`` (s), a watchdog stops a solve still running :data:`OVERRUN_GRACE_S` +
    :data:`OVERRUN_GRACE_SHARE` × ``limit`` after it; returns whether it did (the outcome is then
    a time limit, not a user's interrupt)."""
    h.HandleUserInterrupt = True  # HiGHS polls its interrupt callback; cancelSolve() trips it
    overran = False
    stop_at = None if limit is None else time.perf_counter() + limit + OVERRUN_GRACE_S + OVERRUN_GRACE_SHARE * limit
    with STOP.while_running(h.cancelSolve):
        h.startSolve()
        try:
            while not h.wait(0.05)[0]:
                if stop_at is not None and not overran and time.perf_counter() > stop_at:
                    overran = True
                    h.cancelSolve()
        except KeyboardInterrupt:
            h.cancelSolve()
            while not h.wait(0.05)[0]:
                pass
            raise
    return overran and not STOP.requested


def _solution(h, problem, variables, n, info):
    """HiGHS's solution written into the PuLP variables: (values by name, the objective
    recomputed from them, the proven MIP dual bound — ``None`` when not finite, ``False`` for a
    model without integer variables, where HiGHS reports none)."""
    col_value = list(h.getSolution().col_value)
    for var, x in zip(variables, col_value):
        var.varValue = x
    values = {v.name: x for v, x in zip(variables, col_value)}
    objective = objective_at(problem, values)
    if not (n and any(v.cat == pulp.LpInteger for v in variables)):
        return values, objective, False
    bound = float(info.mip_dual_bound)
    return values, objective, bound if np.isfinite(bound) else None


def _interrupted(h, problem, variables, n, info, runtime, label) -> SolveOutcome:
    """HiGHS stopped by the user: its incumbent (if any) with the bound proven so far."""
    if info.primal_solution_status != 2:  # kSolutionStatusFeasible
        return SolveOutcome(Status.TIME_LIMIT, None, None, runtime, label,
                            "HiGHS was interrupted (Ctrl-C) before it found a solution", interrupted=True)
    values, objective, mip_bound = _solution(h, problem, variables, n, info)
    bound = None if mip_bound is False else mip_bound
    return SolveOutcome(Status.FEASIBLE, objective, None if bound is None else min(bound, objective), runtime, label,
                        "HiGHS: interrupted (Ctrl-C); its best solution is kept",
                        values, interrupted=True)
