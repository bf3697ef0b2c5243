"""Assemble the whole MILP of a scenario: the pole model, its contiguity, and (with a services
block) the service model with its fairness, budget and cost objective.

Only building here; solving is :mod:`optimiser.design`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs import Inputs
from .candidates import CandidatePairs
from .contiguity import ContiguityFormulation, contiguity_formulation, neighbour_lists
from .fairness import IndividualRationality, add_budget, add_travel_limit
from .poles import PoleModel, build_pole_model
from .services import (
    FORMULATION,
    Formulation,
    ServiceModel,
    build_service_model,
    set_cost_objective,
)


@dataclass
class AssembledModel:
    """A built model and what the design loop needs to check its solutions.

    ``service`` and ``fairness`` are ``None`` without services (``fairness`` also when
    individual rationality is off); ``nbrs`` is the adjacency contiguity is checked on.
    """

    pole: PoleModel
    contiguity: ContiguityFormulation
    nbrs: dict[str, list[str]]
    service: ServiceModel | None = None
    fairness: IndividualRationality | None = None


def assemble_model(inputs: Inputs, pairs: CandidatePairs, formulation: Formulation = FORMULATION) -> AssembledModel:
    """Pole model + the scenario's contiguity formulation + the services, if any."""
    model = build_pole_model(inputs.territory, inputs.matrix, inputs.rules, pairs)
    contiguity = contiguity_formulation(inputs.rules.contiguity)
    nbrs = neighbour_lists(inputs.territory, inputs.road)
    contiguity.add(model, nbrs, inputs.matrix)
    assembled = AssembledModel(model, contiguity, nbrs)
    if inputs.services is not None:
        assembled.service, assembled.fairness = add_services(model, inputs, formulation)
    return assembled


def add_services(model: PoleModel, inputs: Inputs, formulation: Formulation = FORMULATION):
    """The service model on top of the pole model, with its fairness, budget and objective.

    Returns the service model and its :class:`IndividualRationality` (``None`` when fairness
    is off), which checks every solution (and adds the missing constraints when lazy).
    """
    scenario = inputs.loaded.scenario
    service_model = build_service_model(model, inputs.services, formulation)
    fairness = None
    if inputs.services.enabled and inputs.services.individual_rationality:
        fairness = IndividualRationality(service_model, tight_big_m=formulation.tight_big_m)
        if formulation.coalition_cuts:
            fairness.add_coalition_cuts()
        if not formulation.lazy_fairness:
            fairness.add_all()
    add_budget(service_model)
    if scenario.objective.max_travel_total is not None:
        add_travel_limit(service_model, scenario.objective.max_travel_total)
    # With a services block the scenario minimises cost: the schema rejects objective.minimise = travel.
    set_cost_objective(service_model, scenario.objective.travel_weight_eur)
    return service_model, fairness
