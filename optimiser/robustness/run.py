"""``optimiser robustness``: from a result folder or a scenario to a robustness folder."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from .analysis import Analysis, analyse
from .repricing import FixedDesign
from .resolve import resolve_ends
from .worlds import group_correlations, uncertain_parameters


def load_target(target: Path, overrides: tuple[str, ...] = ()):
    """(loaded scenario, inputs, fixed design, label): a result folder is read back as it was
    solved; a scenario is solved first."""
    from ..inputs.preparation import prepare
    from ..scenario.load import load_scenario

    target = Path(target)
    if target.is_dir():
        scenario = target / "scenario.resolved.yaml"
        if not scenario.exists():
            raise InputError([Problem(str(target), "", "is neither a scenario file nor a result folder "
                                      "(no scenario.resolved.yaml)", show_value=False)])
        loaded = load_scenario(scenario, overrides)
        if loaded.scenario.services is None:
            raise InputError([Problem(str(target), "", "this result has no services block: there is no saving to test",
                                      show_value=False)])
        return loaded, prepare(loaded), FixedDesign.from_folder(target)
    loaded = load_scenario(target, overrides)
    if loaded.scenario.services is None:
        raise InputError([Problem(loaded.label, "services", "robustness tests the saving of a service-sharing design; "
                                  "this scenario has no services block", show_value=False)])
    from .robust_design import solve  # a scenario asking for the robust design is tested on it

    result = solve(loaded)
    if not result.has_design or result.design.services is None:
        raise InputError([Problem(loaded.label, "", f"the scenario has no design to test ({result.status})", show_value=False)])
    return loaded, result.inputs, FixedDesign.from_services(result.design.services, result.design.assignment)


def robustness(loaded, inputs, design: FixedDesign, samples: int | None = None, seed: int | None = None,
               resolve_top: int | None = None, worlds: int | None = None, world_time_limit_s: float | None = None,
               staging: Path | None = None, sweep_options: dict | None = None, echo=None, run_sweep=None) -> Analysis:
    """The analysis (see :mod:`optimiser.robustness.analysis`); ``None`` takes the scenario's
    ``uncertainty`` value (default block when it has none). With ``worlds`` > 0 (and a
    ``staging`` folder for their sweep), the decision stability of :mod:`.stability` too;
    ``sweep_options``: ``jobs``, ``backend``, ``scheduler`` of the sweep; ``run_sweep``:
    :func:`optimiser.sweeps.runner.run_sweep` (see :func:`.stability.solve_worlds`)."""
    from ..scenario.schema import UncertaintyConfig
    from .stability import solve_worlds

    config = loaded.scenario.uncertainty or UncertaintyConfig()
    samples = config.samples if samples is None else samples
    seed = config.seed if seed is None else seed
    resolve_top = config.resolve_top if resolve_top is None else resolve_top
    worlds = config.worlds if worlds is None else worlds
    world_time_limit_s = config.world_time_limit_s if world_time_limit_s is None else world_time_limit_s
    params = uncertain_parameters(loaded, inputs.territory, inputs.matrix, inputs.rules.service_commun)
    result = analyse(loaded, inputs, design, params, group_correlations(loaded), samples, seed)
    for factor in result.factors[:resolve_top]:
        factor.resolved = resolve_ends(loaded, inputs, design, factor)
        factor.decision_change = "; ".join(e.english() for e in factor.resolved)
    if worlds and staging is not None and run_sweep is not None:
        result.stability = solve_worlds(loaded, design, inputs, worlds, seed, world_time_limit_s, staging, run_sweep,
                                        echo=echo, **(sweep_options or {}))
    return result


def resolved_with(loaded, samples: int, seed: int) -> dict:
    """The resolved scenario with the samples and seed used, so the folder reproduces itself."""
    from ..api import resolved_scenario

    data = resolved_scenario(loaded)
    block = dict(data.get("uncertainty") or {})
    block.update({"samples": samples, "seed": seed})
    data["uncertainty"] = block
    return data


def resolved_block(loaded, **values) -> dict:
    """The resolved scenario with the ``uncertainty`` values used (samples, seed, worlds, ...)."""
    from ..api import resolved_scenario

    data = resolved_scenario(loaded)
    block = dict(data.get("uncertainty") or {})
    block.update({k: v for k, v in values.items() if v is not None})
    data["uncertainty"] = block
    return data
