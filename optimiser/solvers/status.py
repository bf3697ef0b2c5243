"""What a solver call returns, in one vocabulary for every solver: :class:`Status`, :class:`SolveOutcome`.

Gap = (objective − bound) / |objective| for minimisation, with differences below
1e-9 · max(1, |objective|) counted as zero (solver round-off).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np


class Status(str, enum.Enum):
    """Outcome of a solve. Only ``OPTIMAL`` is ever reported as optimal."""

    OPTIMAL = "optimal"
    """Proven optimal within the requested gap."""
    FEASIBLE = "feasible"
    """A solution, stopped (time limit, interrupt) before proving it optimal: see the gap."""
    INFEASIBLE = "infeasible"
    """Proven to have no solution."""
    TIME_LIMIT = "time_limit"
    """Stopped on the time limit (or an interrupt) with no solution."""
    ERROR = "error"
    """The solver failed."""

    @property
    def has_solution(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass
class SolveOutcome:
    """What one solver call returned. ``objective`` and ``bound`` include the model's constant.
    ``interrupted``: the user stopped the solver (Ctrl-C); what it held is kept. ``watchdog``:
    why the run was stopped past its time limit, or its process killed or lost (empty: it was not)."""

    status: Status
    objective: float | None
    bound: float | None
    runtime_s: float
    solver: str
    message: str = ""
    values: dict[str, float] = field(default_factory=dict)
    interrupted: bool = False
    watchdog: str = ""

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
