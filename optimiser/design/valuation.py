"""What a connected design is worth: the value an incumbent is compared by.

Without services a design is valued by its travel objective; with services, by solving its
services with its poles fixed (the design's own cost, every fairness rule holding).
"""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Protocol

from ..inputs import Inputs
from ..model.assembly import add_services
from ..model.candidates import CandidatePairs
from ..model.poles import PoleModel, build_pole_model, travel_expression
from ..model.services import Formulation
from ..solvers import SolverOptions, solve_milp

Assignment = dict[str, "str | None"]


class Valuation(Protocol):
    def __call__(self, assignment: Assignment, deadline: float) -> tuple[float, dict[str, float] | None]:
        """(value, variable values of the full model encoding it) — (inf, None) when it cannot be valued."""


def travel_objective(model: PoleModel, assignment: Assignment) -> float:
    """Σ p_i t_i,seat(i) + Σ_alone p_i T_alone: the pole model's objective at ``assignment``."""
    total = 0.0  # model.travel covers every candidate pair, listed or not
    for i, j in assignment.items():
        if j is None:
            total += model.population[i] * model.rules.alone_penalty
        elif i != j:
            total += model.population[i] * model.travel[i, j]
    return total


class TravelValue:
    """Values a connected design by its travel objective (the pole model's own objective)."""

    def __init__(self, model: PoleModel):
        self.model = model

    def __call__(self, assignment, deadline):
        return travel_objective(self.model, assignment), self.model.values_for(assignment)


class FixedPolesValue:
    """Values a connected design by solving its services with its poles fixed: a small model
    (one seat per commune) holding every fairness constraint, so its solution obeys every rule."""

    def __init__(self, inputs: Inputs, options: SolverOptions, pairs: CandidatePairs):
        self.inputs, self.options, self.pairs = inputs, options, pairs

    def __call__(self, assignment, deadline):
        remaining = deadline - time.perf_counter()
        if remaining < 1.0:
            return math.inf, None
        model, _ = self.model_for(assignment)
        outcome = solve_milp(model.problem, self.options, min(remaining, max(5.0, remaining / 4)))
        if not outcome.status.has_solution:
            return math.inf, None
        return outcome.objective, outcome.values

    def model_for(self, assignment: Assignment):
        """The fixed-pole model of ``assignment`` with its services (every fairness row in it);
        its variables carry the full model's names, so a full solution's values read on it.
        Returns (pole model, service model)."""
        seats = tuple(j for j in self.pairs.seats if assignment.get(j) == j)
        members = {j: tuple([j] + sorted(i for i, k in assignment.items() if k == j and i != j)) for j in seats}
        fixed = CandidatePairs(seats=seats, seats_of={i: ((j,) if j is not None else ()) for i, j in assignment.items()},
                               members_of=members, group_of=self.pairs.group_of)
        # The poles are fixed as given: only communes the design leaves alone may stay alone, or
        # the solution could drop members (breaking contiguity) and disagree with `assignment`.
        rules = dataclasses.replace(self.inputs.rules, allow_alone=tuple(
            i for i in self.inputs.rules.allow_alone if assignment.get(i) is None))
        model = build_pole_model(self.inputs.territory, self.inputs.matrix, rules, fixed)
        # Solved once, with no check-and-cut loop: every fairness constraint must be in it from
        # the start, whatever the default formulation says.
        service_model, _ = add_services(model, self.inputs, Formulation(lazy_fairness=False))
        return model, service_model


def priced_travel(inputs: Inputs, model: PoleModel) -> float:
    """The priced travel part of a cost objective (k€), at the current design."""
    weight = inputs.loaded.scenario.objective.travel_weight_eur
    if weight <= 0:
        return 0.0
    return sum(coef * weight / 1000.0 for var, coef in travel_expression(model).items() if (var.value() or 0) > 0.5)
