"""Solve one MILP with the solver its options name: the single entry point of the solver layer.

A solution is called ``optimal`` only when the solver proved it within the requested relative
gap. PuLP's own status is not trusted for that: it reads "Optimal" after HiGHS stopped on its
time limit (with any gap, even an infinite one). Each adapter reads the solver's own status,
objective and best bound instead (:mod:`.cbc`, :mod:`.highs`).
"""

from __future__ import annotations

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
