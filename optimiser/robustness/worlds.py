"""The priced service inputs of many worlds at once, and of one sampled world.

The catalogue, the pooling terms, the estimated inventory fields and the status quo are built by
the same code as a normal run, inside :func:`optimiser.services.parameters.drawn_values` with an
array of N values per uncertain parameter: every cost formula then holds N worlds (numpy
broadcasting), so a fixed design is re-priced in N worlds by one pass, not N model builds.
"""

from __future__ import annotations

import dataclasses

from ..errors import InputError, Problem
from ..inputs.service_inputs import ServiceInputs, _terms, prepare_services, scenario_catalogue
from ..scenario.load import LoadedScenario
from ..services.economics import EPCI, Economics
from ..services.inventory import member_sizes, reestimated
from ..services.parameters import drawn_values, traced
from ..services.standalone import standalone_costs
from .sampling import as_drawn_values, draw
from .uncertain import Uncertain, apply_config, read_parameters


def used_parameters(loaded: LoadedScenario, territory, matrix, sc_rule) -> set[str]:
    """``key`` / ``key.field`` of every parameter the cost model reads for this scenario."""
    with traced() as seen:
        prepare_services(loaded, territory, matrix, sc_rule)
    return set(seen)


def uncertain_parameters(loaded: LoadedScenario, territory, matrix, sc_rule) -> list[Uncertain]:
    """The scenario's uncertain parameters (sourced ranges, its ``uncertainty`` block applied)."""
    params = read_parameters(used_parameters(loaded, territory, matrix, sc_rule))
    return apply_config(params, loaded.scenario.uncertainty, loaded.label, loaded.lines)


def group_correlations(loaded: LoadedScenario) -> dict[str, float]:
    config = loaded.scenario.uncertainty
    return {g: c.correlation for g, c in config.groups.items()} if config else {}


def priced_inputs(loaded: LoadedScenario, nominal: ServiceInputs, territory, values: dict) -> ServiceInputs:
    """``nominal`` priced with ``values`` (``key`` / ``key.field`` → number or array of worlds).

    Forced rules, modes and members stay those of ``nominal``; the estimated inventory fields follow
    their ratios unless ``uncertainty.inventory`` is false."""
    config = loaded.scenario.uncertainty
    follow_inventory = config.inventory if config is not None else True
    with drawn_values(values):
        catalogue = scenario_catalogue(loaded)
        terms = _terms(loaded)
        sizes = member_sizes(territory)
        sizes.pop(EPCI, None)
        inventory = reestimated(nominal.inventory, sizes, catalogue) if follow_inventory else nominal.inventory
        standalone = standalone_costs(inventory, catalogue)
        econ = Economics(catalogue, terms, inventory, standalone, nominal.econ.matrix, attrition_rule=nominal.econ.attrition_rule)
    return dataclasses.replace(nominal, catalogue=catalogue, terms=terms, inventory=inventory, standalone=standalone, econ=econ)


def world_values(loaded: LoadedScenario, territory, matrix, sc_rule) -> dict:
    """The values of sampled world ``uncertainty.world`` (empty when the scenario sets none)."""
    config = loaded.scenario.uncertainty
    if config is None or config.world is None:
        return {}
    if config.world < 1:
        raise InputError([Problem(loaded.label, "uncertainty.world", "worlds are numbered from 1", config.world,
                                  line=loaded.lines.get("uncertainty.world"))])
    params = uncertain_parameters(loaded, territory, matrix, sc_rule)
    draws = draw(params, group_correlations(loaded), 1, config.seed, start=config.world - 1)
    return {k: float(v[0]) if hasattr(v, "__len__") else v for k, v in as_drawn_values(params, draws).items()}
