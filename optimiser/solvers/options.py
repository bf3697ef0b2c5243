"""How to solve: which solver, time limit, gap, threads, log, and what Ctrl-C does."""

from __future__ import annotations

from dataclasses import dataclass

from .interrupt import Policy
from .registry import solver_named


@dataclass(frozen=True)
class SolverOptions:
    """``name``: a key of :data:`optimiser.solvers.SOLVERS`; ``time_limit_s`` seconds; ``gap``
    relative; ``on_interrupt``: ``keep`` the design held when Ctrl-C stops the solver (reported
    ``feasible`` with its gap) or ``discard`` it (see :mod:`optimiser.solvers.interrupt`)."""

    name: str = "cbc"
    time_limit_s: float = 120.0
    gap: float = 1e-4
    threads: int = 1
    log: bool = False
    on_interrupt: Policy = "keep"

    @property
    def label(self) -> str:
        return solver_named(self.name).label()
