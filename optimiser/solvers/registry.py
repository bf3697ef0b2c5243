"""The solver registry: every MILP solver the engine can use, by the scenario's name for it.

A new solver is one module with a :class:`~optimiser.solvers.base.Solver` subclass, one line in
:data:`SOLVERS`, and a test; the scenario schema's allowed values are tested against this
registry (``tests/test_architecture.py``), and the tests that run every solver read it.
"""

from __future__ import annotations

from ..errors import InputError, Problem
from ..text import did_you_mean
from .base import Solver
from .cbc import CbcSolver
from .highs import HighsSolver

#: Every solver, by the scenario's name for it (``solver.name``).
SOLVERS: dict[str, type[Solver]] = {solver.name: solver for solver in (CbcSolver, HighsSolver)}


def solver_named(name: str) -> Solver:
    """The registered solver called ``name``; an unknown name is an error."""
    try:
        return SOLVERS[name]()
    except KeyError:
        hint = did_you_mean(str(name), list(SOLVERS))
        raise InputError([Problem(None, "solver.name", "unknown solver", name,
                                  hint=hint or f"use one of {', '.join(SOLVERS)}")]) from None
