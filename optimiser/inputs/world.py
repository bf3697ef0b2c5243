"""The uncertain parameters of a scenario, and the values of one sampled world.

Used by a normal run when the scenario sets ``uncertainty.world`` (a re-solve of sampled world
*w*, as ``optimiser robustness`` asks through the sweep machinery) and by the robustness analysis.
"""

from __future__ import annotations

from ..errors import InputError, Problem
from ..scenario.load import LoadedScenario
from ..services.parameters import traced
from ..services.sampling import as_drawn_values, draw
from ..services.uncertain import Uncertain, apply_config, read_parameters
from .service_inputs import prepare_services


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
    return {k: float(v[0]) for k, v in as_drawn_values(params, draws).items()}
