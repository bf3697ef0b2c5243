"""HiGHS (highspy): the model passed in one block, status and bound read from HiGHS itself.

``getModelStatus()`` and ``getInfo()`` (``mip_dual_bound``) give the status and the bound; the
model is passed to HiGHS in one block (PuLP's adapter adds rows one by one, which is slow).
MILPs run in a child process (:mod:`.highs_isolated`) that is killed when HiGHS does not stop
at its limit and whose memory is capped; :data:`PRESOLVE_RULES_OFF` avoids the one runaway met.
"""

from __future__ import annotations

import functools
import importlib.metadata
import math
import time
from typing import TYPE_CHECKING

import numpy as np
import pulp

from . import highs_child, highs_isolated
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


#: HiGHS presolve rules switched off (its ``presolve_rule_off`` bit mask) in HiGHS 1.16, where
#: bit 20 is "dual-fixing probing", new in that version: on a seat pricing of CC de l'Argonne
#: Ardennaise (974 columns, 2,386 rows) it loops in presolve — which polls neither the time limit
#: nor the interrupt — allocating as it goes (19.8 GB after 12 min); without it HiGHS proves
#: that pricing optimal in 0.13 s. Other versions number their rules otherwise: nothing is
#: switched off there (the child process of :mod:`.highs_isolated` still bounds any runaway).
PRESOLVE_RULES_OFF = {"1.16": 1 << 20}


@functools.cache
def presolve_rules_off() -> int:
    """The ``presolve_rule_off`` mask for the installed HiGHS (:data:`PRESOLVE_RULES_OFF`)."""
    return PRESOLVE_RULES_OFF.get(".".join(highs_version().split(".")[:2]), 0)


#: HiGHS's feasibility jump: a primal heuristic run before the branch and bound, whatever the
#: model's size (new in HiGHS 1.16). :meth:`ResolvableModel.solve` switches it off for a model
#: whose structure its bounds fix (``fixed_structure``: a pole priced on its seat's model, every
#: candidate's membership fixed, leaves one pole's service configuration, which presolve and a
#: node or two settle): there it was half of each solve (the 192 poles of a six-commune case:
#: 2.0 CPU-s with it, 1.1 without, the same prices).
FEASIBILITY_JUMP = "mip_heuristic_run_feasibility_jump"


@functools.cache
def has_option(name: str) -> bool:
    """Whether the installed HiGHS knows the option ``name``."""
    import highspy

    h = highs_child.new_highs(highspy, {"output_flag": False})
    return h.getOptionValue(name)[0] == highspy.HighsStatus.kOk


#: Whether MILPs run in the child process of :mod:`.highs_isolated` (where it is available): a
#: run that will not stop is killed there, and its memory is capped. LPs run here (the simplex
#: polls its limits, and the callers read duals this process's HiGHS holds).
ISOLATE = True


def _base_options(log: bool = False) -> dict:
    """The options every HiGHS run of the project sets."""
    return {"output_flag": bool(log), "random_seed": 0, "presolve_rule_off": presolve_rules_off()}


def new_instance(**options):
    """A HiGHS instance in this process for a model the caller passes itself (column generation's
    master), with the options every HiGHS run of the project sets (:func:`_base_options`) and
    ``options``; created silenced, as every instance here is: HiGHS prints its banner when a
    process creates its first one, whatever its options."""
    import highspy

    return highs_child.new_highs(highspy, {**_base_options(), **options})


def _solve_highs(problem, options: SolverOptions, limit: float, warm_start) -> SolveOutcome:
    try:
        import highspy
    except ImportError:  # pragma: no cover - highspy is a pinned dependency
        return SolveOutcome(Status.ERROR, None, None, 0.0, "HiGHS", "highspy is not installed")
    start = time.perf_counter()
    variables = problem.variables()
    arrays = _lp_arrays(highspy, problem, variables)
    job = {"lp": arrays,
           "options": {**_base_options(options.log), "time_limit": float(limit), "mip_rel_gap": float(options.gap),
                       "mip_abs_gap": 1e-9, "threads": int(options.threads)},
           "warm": None if not warm_start else np.array([float(warm_start.get(v.name, 0.0)) for v in variables])}
    if ISOLATE and highs_isolated.available() and arrays["integer"].any():
        try:
            ended = highs_isolated.run_isolated(job, limit, _grace_s(limit))
        except OSError:
            pass  # no process could be started (out of memory, of process slots): HiGHS runs here
        else:
            return _isolated_outcome(highspy, ended, problem, variables, options, start)
    h = highs_child.prepared(highspy, job)
    overran = _run_stoppable(h, limit)
    return _outcome(highspy, highs_child.report_of(h), problem, variables, options, start, overran)


def _isolated_outcome(highspy, ended, problem, variables, options: SolverOptions, start: float) -> SolveOutcome:
    """The outcome of a run in the child process (:class:`.highs_isolated.Ended`)."""
    if ended.report is None:
        return _killed(ended, options.label, time.perf_counter() - start)
    outcome = _outcome(highspy, ended.report, problem, variables, options, start, ended.overran)
    if ended.report["model_status"] == int(highspy.HighsModelStatus.kMemoryLimit):
        outcome.message += f" (its process may map {ended.memory_cap / 1e9:.1f} GB)"
    return outcome


def _killed(ended, label: str, runtime: float) -> SolveOutcome:
    """A run whose child process was killed or died: stopped with no solution and no bound."""
    if STOP.requested:
        return SolveOutcome(Status.TIME_LIMIT, None, None, runtime, label,
                            f"HiGHS was interrupted (Ctrl-C) before it found a solution ({ended.why})", interrupted=True)
    return SolveOutcome(Status.TIME_LIMIT, None, None, runtime, label,
                        f"HiGHS: stopped at the time limit with no solution and no bound — {ended.why}", watchdog=ended.why)


def _overrun_said(outcome: SolveOutcome, overran: bool) -> SolveOutcome:
    if overran:
        outcome.message += " — HiGHS ran past its time limit and was stopped"
        outcome.watchdog = outcome.watchdog or "HiGHS ran past its time limit and was stopped"
    return outcome


def _outcome(highspy, report: dict, problem, variables, options: SolverOptions, start: float, overran: bool = False) -> SolveOutcome:
    """The outcome of a HiGHS run (its ``report``, :mod:`.highs_child`) of the model of
    ``problem``, columns in ``variables`` order; ``overran``: the watchdog stopped it past its
    time limit (read as the time limit it is, not as a user's interrupt, and said in the message)."""
    return _overrun_said(_read_outcome(highspy, report, problem, variables, options, start, overran), overran)


def _read_outcome(highspy, report: dict, problem, variables, options: SolverOptions, start: float, overran: bool) -> SolveOutcome:
    runtime = time.perf_counter() - start
    S = highspy.HighsModelStatus
    model_status = S(report["model_status"])
    status_name = report["status_name"]
    has_solution = report["primal_solution_status"] == 2  # kSolutionStatusFeasible
    label = options.label
    if model_status == S.kInterrupt and not overran:
        return _interrupted(report, problem, variables, runtime, label)
    if model_status in (S.kInfeasible, S.kUnboundedOrInfeasible):
        return SolveOutcome(Status.INFEASIBLE, None, None, runtime, label, f"HiGHS: {status_name}")
    # a memory limit (the cap of the child process) is a stop like the time limit: what HiGHS holds
    stops = (S.kTimeLimit, S.kIterationLimit, S.kInterrupt, S.kSolutionLimit, S.kObjectiveBound, S.kObjectiveTarget, S.kMemoryLimit)
    if model_status != S.kOptimal and model_status not in stops:
        return SolveOutcome(Status.ERROR, None, None, runtime, label, f"HiGHS: {status_name}")
    if not has_solution:
        status = Status.TIME_LIMIT if model_status != S.kOptimal else Status.ERROR
        return SolveOutcome(status, None, None, runtime, label, f"HiGHS: {status_name}, no solution")
    values, objective, mip_bound = _solution(report, problem, variables)
    bound = objective if mip_bound is False else mip_bound
    status = Status.OPTIMAL if model_status == S.kOptimal else Status.FEASIBLE
    if status is Status.OPTIMAL and bound is None:
        bound = objective
    return SolveOutcome(status, objective, None if bound is None else min(bound, objective), runtime, label, f"HiGHS: {status_name}", values)


def _lp_arrays(highspy, problem, variables) -> dict:
    """The PuLP model as the arrays of one HiGHS LP block (:func:`.highs_child.highs_lp`: rows
    passed at once, integrality kept).

    Built with whole-array operations, not a Python step per coefficient (a 36-commune seat
    model has ~10⁵ of them): every row's columns and coefficients are gathered in one list each
    (columns found by ``id``, not by the name property or PuLP's Python ``__hash__``), the zero
    coefficients dropped by a mask and the row starts counted from what is left. The arrays are
    the row-by-row conversion's, element for element (``tests/test_seat_model_build.py``)."""
    position = {id(v): k for k, v in enumerate(variables)}
    n = len(variables)
    cost = np.zeros(n)
    for var, coef in problem.objective.items():
        cost[position[id(var)]] = coef
    lower = np.array([-highspy.kHighsInf if v.lowBound is None else v.lowBound for v in variables], dtype=float)
    upper = np.array([highspy.kHighsInf if v.upBound is None else v.upBound for v in variables], dtype=float)
    constraints = problem.constraints()
    columns: list[int] = []
    coefficients: list = []
    lengths = np.fromiter((len(c) for c in constraints), dtype=np.int64, count=len(constraints))
    for constraint in constraints:
        expression = constraint.expr
        columns.extend(map(id, expression.keys()))
        coefficients.extend(expression.values())
    index = np.fromiter(map(position.__getitem__, columns), dtype=np.int32, count=len(columns))
    value = np.asarray(coefficients, dtype=float)
    kept = value != 0
    row = np.repeat(np.arange(len(constraints)), lengths)
    starts = np.zeros(len(constraints) + 1, dtype=np.int32)
    np.cumsum(np.bincount(row[kept], minlength=len(constraints)), out=starts[1:])
    rhs = -np.fromiter((c.constant for c in constraints), dtype=float, count=len(constraints))
    sense = np.fromiter((c.sense for c in constraints), dtype=np.int64, count=len(constraints))
    row_lower = np.where((sense == pulp.LpConstraintGE) | (sense == pulp.LpConstraintEQ), rhs, -highspy.kHighsInf)
    row_upper = np.where((sense == pulp.LpConstraintLE) | (sense == pulp.LpConstraintEQ), rhs, highspy.kHighsInf)
    return {"cost": cost, "lower": lower, "upper": upper,
            "row_lower": row_lower, "row_upper": row_upper,
            "offset": float(problem.objective.constant),
            "starts": starts, "index": index[kept], "value": value[kept],
            "integer": np.array([v.cat == pulp.LpInteger for v in variables], dtype=bool)}


def lp_reduced_costs(problem, time_limit_s: float) -> tuple[float, dict[str, float]] | None:
    """The LP relaxation of ``problem`` (every variable continuous, minimisation) solved by
    HiGHS: its optimum :math:`z_{LP}` (constant included) and each variable's reduced cost
    :math:`d_v` by name, or ``None`` unless proven optimal within ``time_limit_s``. Any solution
    of the MILP with :math:`x_v = 1` for a binary :math:`v` at its lower bound in the LP costs at
    least :math:`z_{LP} + d_v` (reduced-cost fixing)."""
    import highspy

    variables = problem.variables()
    arrays = _lp_arrays(highspy, problem, variables)
    arrays["integer"] = np.zeros(len(variables), dtype=bool)  # the relaxation
    h = highs_child.prepared(highspy, {"lp": arrays, "warm": None,
                                       "options": {**_base_options(), "time_limit": float(max(time_limit_s, 0.1)), "threads": 1}})
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
    (and costs) changed in between (the pole pricing: one model per seat, the pole's members fixed
    by their bounds; the seat pricing of column generation: the members' costs changed), which
    saves converting the model for every solve. Each solve starts afresh (``clearSolver``): its
    outcome is the one a new model with the model's own bounds and costs, those named changed,
    would give — a column named in an earlier solve and not in this one is put back. Held by the
    child process of :mod:`.highs_isolated` where MILPs run there (a new child, after a kill,
    starts from the model's own bounds and costs, and every solve names what differs)."""

    def __init__(self, problem):
        import highspy

        self.highspy, self.problem = highspy, problem
        self.variables = problem.variables()
        self.position = {v.name: k for k, v in enumerate(self.variables)}
        job = {"lp": _lp_arrays(highspy, problem, self.variables), "warm": None,
               "options": {**_base_options(), "mip_abs_gap": 1e-9}}
        lp = job["lp"]
        self.arrays = lp  # the model's own arrays (its LP relaxation is built from them, :class:`LpRelaxation`)
        self._own = (lp["lower"].copy(), lp["upper"].copy(), lp["cost"].copy())
        self._moved_bounds: set[int] = set()
        self._moved_costs: set[int] = set()
        if ISOLATE and highs_isolated.available() and job["lp"]["integer"].any():
            self.held, self.h = highs_isolated.HeldModel(job), None
        else:
            self.held, self.h = None, highs_child.prepared(highspy, job)

    def solve(self, bounds: dict[str, tuple[float, float]], options: SolverOptions, limit: float,
              costs: dict[str, float] | None = None, cutoff: float = math.inf,
              fixed_structure: bool = False) -> SolveOutcome:
        """Solve with the columns named in ``bounds`` set to (lower, upper) and those named in
        ``costs`` to that objective coefficient, within ``limit`` s. A finite ``cutoff`` is
        HiGHS's ``objective_bound``: nodes whose relaxation reaches it are pruned, so nothing
        below it may come back as infeasible, or as a solution at or above it. ``fixed_structure``:
        the bounds leave a small model to presolve, run without the feasibility jump
        (:data:`FEASIBILITY_JUMP`); every run sets the option, so none inherits it."""
        start = time.perf_counter()
        columns, lower, upper = self._changes(bounds, self._moved_bounds, lambda k: (self._own[0][k], self._own[1][k]))
        cost_columns, cost_values, _ = self._changes({name: (c, c) for name, c in (costs or {}).items()},
                                                     self._moved_costs, lambda k: (self._own[2][k],) * 2)
        changed = (cost_columns, cost_values) if len(cost_columns) else None
        run_options = {"time_limit": float(limit), "mip_rel_gap": float(options.gap), "threads": int(options.threads),
                       "objective_bound": float(cutoff) if math.isfinite(cutoff) else math.inf}
        if has_option(FEASIBILITY_JUMP):
            run_options[FEASIBILITY_JUMP] = not fixed_structure
        if self.held is not None:
            try:
                ended = self.held.run(columns, lower, upper, run_options, limit, _grace_s(limit), changed)
            except OSError:  # no process could be started: HiGHS runs here from now on
                self.held, self.h = None, highs_child.prepared(self.highspy, self.held.job)
            else:
                return _isolated_outcome(self.highspy, ended, self.problem, self.variables, options, start)
        highs_child.resolve(self.h, columns, lower, upper, run_options, changed)
        overran = _run_stoppable(self.h, limit)
        return _outcome(self.highspy, highs_child.report_of(self.h), self.problem, self.variables, options, start, overran)

    def _changes(self, named: dict[str, tuple[float, float]], moved: set[int], own):
        """(columns, lower, upper) to send: the named ones, and those named before but not now
        put back to ``own(column)``; ``moved`` becomes the named set."""
        wanted = {self.position[name]: pair for name, pair in named.items()}
        for k in moved - set(wanted):
            wanted[k] = own(k)
        moved.clear()
        moved.update(self.position[name] for name in named)
        columns = np.array(list(wanted), dtype=np.int32)
        return (columns, np.array([lo for lo, _ in wanted.values()], dtype=float),
                np.array([up for _, up in wanted.values()], dtype=float))


class LpRelaxation:
    r"""The LP relaxation of a :class:`ResolvableModel` (integrality dropped) with some columns'
    bounds set once (``bounds``, by name), held by a HiGHS instance of this process and solved
    again with only objective coefficients changed: each solve starts from the last optimal basis
    (a handful of simplex iterations when the costs move a little, as between two subgradient
    steps). An LP, so it runs here, never in the child process (no branch and bound to outgrow
    memory). Its optimum is a lower bound on the MILP's at the same costs and bounds."""

    #: Absolute (objective units) and relative margin taken off an optimal LP value so that it stays
    #: below the exact LP optimum whatever HiGHS's feasibility and optimality tolerances (1e-7)
    #: leave: a column's reduced cost off by 1e-7 over a range of 10³ moves the value by 1e-4.
    MARGIN_ABS, MARGIN_REL = 1e-3, 1e-6

    def __init__(self, model: ResolvableModel, bounds: dict[str, tuple[float, float]]):
        import highspy

        self.highspy, self.position = highspy, model.position
        arrays = dict(model.arrays, integer=np.zeros(len(model.arrays["cost"]), dtype=bool))
        self.h = highs_child.new_highs(highspy, {**_base_options(), "threads": 1})
        self.h.passModel(highs_child.highs_lp(highspy, arrays))
        columns = np.array([self.position[name] for name in bounds], dtype=np.int32)
        self.h.changeColsBounds(len(columns), columns, np.array([lo for lo, _ in bounds.values()], dtype=float),
                                np.array([up for _, up in bounds.values()], dtype=float))

    def solve(self, costs: dict[str, float], limit: float) -> tuple[float | None, np.ndarray | None]:
        """(a lower bound on the LP optimum with the columns named in ``costs`` at those
        objective coefficients, the LP solution's column values), ``(None, None)`` when the LP was
        not solved to optimality within ``limit`` s (or is infeasible)."""
        columns = np.array([self.position[name] for name in costs], dtype=np.int32)
        self.h.changeColsCost(len(columns), columns, np.fromiter(costs.values(), dtype=float, count=len(columns)))
        self.h.setOptionValue("time_limit", float(max(0.05, limit)))
        _run_stoppable(self.h, limit)
        if self.h.getModelStatus() != self.highspy.HighsModelStatus.kOptimal:
            self.h.clearSolver()  # the next solve starts afresh, not from a basis left half-way
            return None, None
        value = float(self.h.getInfo().objective_function_value)
        margin = self.MARGIN_ABS + self.MARGIN_REL * abs(value)
        return value - margin, np.asarray(self.h.getSolution().col_value, dtype=float)


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


def _grace_s(limit: float) -> float:
    """Seconds past its time limit ``limit`` before a solve is asked to stop."""
    return OVERRUN_GRACE_S + OVERRUN_GRACE_SHARE * limit


def run_stoppable(h, limit: float | None = None) -> bool:
    """Run a HiGHS instance of this process (:func:`new_instance`, the model passed by the
    caller) as every in-process solve here runs: Ctrl-C stops it at once, and a watchdog stops it
    past its time limit ``limit`` (:func:`_run_stoppable`); whether the watchdog did."""
    return _run_stoppable(h, limit)


def _run_stoppable(h, limit: float | None = None) -> bool:
    """``h.run()`` on a solve thread (:class:`.highs_child.SolveThread`, kept from one solve to
    the next), the main thread polling it so that a signal handler can run and stop it
    (:data:`STOP`) — or, on a KeyboardInterrupt, stop it before passing it on. With ``limit`` (s),
    a watchdog stops a solve still running :data:`OVERRUN_GRACE_S` + :data:`OVERRUN_GRACE_SHARE`
    × ``limit`` after it; returns whether it did (the outcome is then a time limit, not a user's
    interrupt)."""
    overran = False
    stop_at = None if limit is None else time.perf_counter() + limit + _grace_s(limit)
    with highs_child.solve_thread() as run, STOP.while_running(run.cancel):
        run.start(h)
        try:
            while not run.wait(0.05):
                if stop_at is not None and not overran and time.perf_counter() > stop_at:
                    overran = True
                    run.cancel()
        except KeyboardInterrupt:
            run.cancel()
            while not run.wait(0.05):
                pass
            raise
    return overran and not STOP.requested


def _solution(report: dict, problem, variables):
    """HiGHS's solution written into the PuLP variables: (values by name, the objective
    recomputed from them, the proven MIP dual bound — ``None`` when not finite, ``False`` for a
    model without integer variables, where HiGHS reports none)."""
    col_value = report["col_value"]
    for var, x in zip(variables, col_value):
        var.varValue = float(x)
    values = {v.name: float(x) for v, x in zip(variables, col_value)}
    objective = objective_at(problem, values)
    if not (variables and any(v.cat == pulp.LpInteger for v in variables)):
        return values, objective, False
    bound = report["mip_dual_bound"]
    return values, objective, bound if np.isfinite(bound) else None


def _interrupted(report: dict, problem, variables, runtime, label) -> SolveOutcome:
    """HiGHS stopped by the user: its incumbent (if any) with the bound proven so far."""
    if report["primal_solution_status"] != 2:  # kSolutionStatusFeasible
        return SolveOutcome(Status.TIME_LIMIT, None, None, runtime, label,
                            "HiGHS was interrupted (Ctrl-C) before it found a solution", interrupted=True)
    values, objective, mip_bound = _solution(report, problem, variables)
    bound = None if mip_bound is False else mip_bound
    return SolveOutcome(Status.FEASIBLE, objective, None if bound is None else min(bound, objective), runtime, label,
                        "HiGHS: interrupted (Ctrl-C); its best solution is kept",
                        values, interrupted=True)
