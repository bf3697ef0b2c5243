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


#: Below this (k€/yr) the solver's value and the written design's re-priced cost are the same
#: figure (round-off); above, the solver's value is not the written design's and is replaced.
REPRICED_TOLERANCE_KEUR = 1e-3


def written_design_objective(solver_value: float, repriced: float) -> tuple[float, str | None]:
    """The objective to report for a design with services (k€/yr) and, when it replaces the
    solver's value, a message saying so.

    ``repriced`` = kept services + every pole service re-priced by the cost formula from the
    decisions written + priced travel: what the files say the design costs (and what
    ``optimiser verify`` re-adds). Within a gap it may be *below* the solver's value (integer
    slack such as a spare lot, which re-pricing removes); it is never honestly *above* it, as the
    solver's value is the model's cost at the same decisions. So the written design's cost is
    reported in both cases: lower, it is the cheaper truth; higher, the solver's value is not that
    of the solution it returned (HiGHS 1.16 once reported a warm start's value an offset short, see
    :func:`optimiser.solvers.highs.objective_at`) and reporting it would claim a cost no file shows.
    """
    if repriced > solver_value + REPRICED_TOLERANCE_KEUR:
        return repriced, (f"objective: the solver reported {solver_value:,.1f} k€/yr, the design it returned costs "
                          f"{repriced:,.1f} k€/yr re-priced; the latter is reported")
    return repriced, None
