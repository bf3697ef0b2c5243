"""The priced service inputs of many worlds at once, and of one sampled world.

The catalogue, the pooling terms, the estimated inventory fields and the status quo are built by
the same code as a normal run, inside :func:`optimiser.services.parameters.drawn_values` with an
array of N values per uncertain parameter: every cost formula then holds N worlds (numpy
broadcasting), so a fixed design is re-priced in N worlds by one pass, not N model builds.
"""

from __future__ import annotations

import dataclasses

from ..inputs.service_inputs import ServiceInputs, _terms, scenario_catalogue
from ..inputs.world import group_correlations, uncertain_parameters, used_parameters
from ..scenario.load import LoadedScenario
from ..services.alone import reorganised_alone
from ..services.economics import EPCI, Economics
from ..services.inventory import member_sizes, reestimated
from ..services.parameters import drawn_values
from ..services.standalone import standalone_costs


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
        today = standalone_costs(inventory, catalogue)
        # each member alone keeps the organisation it chose in the nominal world (re-priced here)
        options = {k: c.option for k, c in nominal.standalone.items()}
        standalone = reorganised_alone(inventory, catalogue, terms, nominal.econ.attrition_rule, today, options)
        econ = Economics(catalogue, terms, inventory, standalone, nominal.econ.matrix, attrition_rule=nominal.econ.attrition_rule,
                         status_quo=today)
    return dataclasses.replace(nominal, catalogue=catalogue, terms=terms, inventory=inventory, standalone=standalone, econ=econ,
                               status_quo=today)


__all__ = ["group_correlations", "priced_inputs", "uncertain_parameters", "used_parameters"]
