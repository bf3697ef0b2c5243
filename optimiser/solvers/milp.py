"""Solve one MILP with the solver its options name: the single entry point of the solver layer.

A solution is called ``optimal`` only when the solver proved it within the requested relative
gap. PuLP's own status is not trusted for that: it reads "Optimal" after HiGHS stopped on its
time limit (with any gap, even an infinite one). Each adapter reads the solver's own status,
objective and best bound instead (:mod:`.cbc`, :mod:`.highs`).
"""

from __future__ import annotations

import dataclasses

import pulp

from .options import SolverOptions
from .registry import solver_named
from .status import SolveOutcome, Status


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
    outcome = solver_named(options.name).solve(problem, options, limit, warm_start)
    if outcome.status is Status.OPTIMAL:
        gap = outcome.gap
        if gap is not None and gap > options.gap + 1e-9:
            outcome.status = Status.FEASIBLE  # a solver's "optimal" beyond our tolerance is not ours
    return outcome


def relaxation_bound(problem: pulp.LpProblem, options: SolverOptions, time_limit_s: float) -> float | None:
    """A proven lower bound on ``problem`` (minimisation): the optimum of its LP relaxation (every
    variable continuous), or ``None`` when the LP is not solved to optimality within
    ``time_limit_s`` (a primal LP point stopped early bounds nothing). HiGHS solves it whatever
    ``options`` names — an LP needs no branching, and highspy is always installed. The model is
    left as it was: integrality and the variables' values are restored."""
    variables = problem.variables()
    saved = [(v.cat, v.varValue) for v in variables]
    try:
        for v in variables:
            v.cat = pulp.LpContinuous
        lp_options = dataclasses.replace(options, name="highs", log=False)
        outcome = solver_named("highs").solve(problem, lp_options, max(1.0, float(time_limit_s)), None)
    finally:
        for v, (cat, value) in zip(variables, saved):
            v.cat, v.varValue = cat, value
    return outcome.objective if outcome.status is Status.OPTIMAL else None
