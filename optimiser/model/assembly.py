"""Assemble the whole MILP of a scenario: the pole model, its contiguity, and (with a services
block) the service model with its fairness, budget and cost objective.

Only building here; solving is :mod:`optimiser.design`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs import Inputs
from .candidates import CandidatePairs
from .contiguity import ContiguityFormulation, contiguity_formulation, neighbour_lists
from .contiguity.exact import replay_cuts
from .fairness import IndividualRationality, add_budget, add_travel_limit
from .poles import PoleModel, build_pole_model
from .seat_lists import SeatLists, widened
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
    lists: SeatLists | None = None
    """The nearest-seat lists the pole model is restricted to (``None``: every pair)."""


def assemble_model(inputs: Inputs, pairs: CandidatePairs, formulation: Formulation = FORMULATION,
                   lists: SeatLists | None = None, services: bool = True) -> AssembledModel:
    """Pole model + the scenario's contiguity formulation + the services, if any.

    ``services=False`` leaves the services out (:func:`complete_services` adds them later): a
    large run that may never solve its compact MILP then does not pay for building it (the
    service rows are nearly all of it: 23 s of 23.1 s on a 65-commune EPCI).
    ``lists`` (pole design without services only) restricts the variables to nearest-seat lists
    inside ``pairs``, a relaxation the design loop widens until it is exact (:mod:`.seat_lists`)."""
    if lists is not None and inputs.services is not None:
        raise ValueError("nearest-seat lists are for the pole model without services")
    model = build_pole_model(inputs.territory, inputs.matrix, inputs.rules, pairs, lists)
    # With seat lists, contiguity is added only where a pole breaks: when the travel-optimal
    # poles are connected anyway (often), the model stays as small as the p-median's.
    model.lazy_contiguity = lists is not None
    contiguity = contiguity_formulation(inputs.rules.contiguity)
    nbrs = neighbour_lists(inputs.territory, inputs.road)
    contiguity.add(model, nbrs, inputs.matrix)
    assembled = AssembledModel(model, contiguity, nbrs, lists=lists)
    if inputs.services is not None and services:
        assembled.service, assembled.fairness = add_services(model, inputs, formulation)
    return assembled


def complete_services(assembled: AssembledModel, inputs: Inputs, formulation: Formulation = FORMULATION) -> AssembledModel:
    """Add the services to a model assembled with ``services=False`` (in place; returned)."""
    if inputs.services is not None and assembled.service is None:
        assembled.service, assembled.fairness = add_services(assembled.pole, inputs, formulation)
    return assembled


def widen_model(inputs: Inputs, assembled: AssembledModel, communes: list[str]) -> AssembledModel:
    """The model rebuilt with the seat lists of ``communes`` doubled, its separator cuts kept."""
    lists = widened(assembled.lists, inputs.rules, assembled.pole.travel, communes)
    rebuilt = assemble_model(inputs, assembled.lists.reach, lists=None if lists.complete else lists)
    replay_cuts(rebuilt.pole, rebuilt.nbrs, assembled.pole.cuts, assembled.pole.neighbour_cut_seats)
    return rebuilt


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
