"""What a design run returns: :class:`PoleDesign`, and the words for its formulation."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..inputs import Inputs
from ..model.contiguity import contiguity_formulation
from ..model.extract import ServiceDesign
from ..solvers import Status, relative_gap


@dataclass
class PoleDesign:
    """The outcome of a pole design.

    ``assignment`` maps every commune to its pole's seat (``None``: alone). ``objective`` and
    ``bound`` are population-weighted travel (person-minutes, or person-km with the distance
    objective), or with service sharing the total yearly cost in k€; ``gap`` is relative.
    Times are seconds. ``families`` counts the model's rows by constraint family (they add up
    to ``n_constraints``).
    """

    assignment: dict[str, str | None]
    status: Status
    objective: float | None
    bound: float | None
    solver: str
    formulation: str
    build_s: float
    solve_s: float
    runtime_s: float
    rounds: int = 1
    n_variables: int = 0
    n_constraints: int = 0
    families: dict[str, int] = field(default_factory=dict)
    diagnosis: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    services: ServiceDesign | None = None
    """The service decisions, priced, with service sharing."""

    @property
    def gap(self) -> float | None:
        return relative_gap(self.objective, self.bound)


def formulation_name(inputs: Inputs) -> str:
    """``poles, <contiguity label>``, or the p-median's (rounds and options are added by the run)."""
    if inputs.rules.mode == "p-median":
        return "p-median (nearest-seat lists widened until exact)"
    return "poles, " + contiguity_formulation(inputs.rules.contiguity).label
