"""What a solver adapter is: the interface every entry of the registry implements."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import pulp

from .status import SolveOutcome

if TYPE_CHECKING:  # options name their solver through the registry, which imports the adapters
    from .options import SolverOptions


class Solver:
    """One MILP solver. ``name`` is the scenario's value (``solver.name``).

    :meth:`solve` minimises ``problem`` within ``limit_s`` seconds and returns an honest
    :class:`SolveOutcome` (status from the solver's own report, never PuLP's), writing the
    variable values back to the PuLP variables. While it runs it registers with
    :data:`optimiser.solvers.interrupt.STOP` how to stop the solver, and on a stop it returns what
    the solver held (``interrupted=True``).
    """

    name: ClassVar[str]

    def version(self) -> str:
        raise NotImplementedError

    def label(self) -> str:
        """What a result's ``solver`` says, e.g. ``HiGHS 1.16.0``."""
        raise NotImplementedError

    def solve(self, problem: pulp.LpProblem, options: SolverOptions, limit_s: float,
              warm_start: dict[str, float] | None) -> SolveOutcome:
        raise NotImplementedError
