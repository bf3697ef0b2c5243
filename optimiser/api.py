"""The public Python API: load a scenario, solve it, get a :class:`Result`.

>>> from optimiser import load_scenario, solve
>>> result = solve(load_scenario("scenarios/laval-2016.yaml"))
>>> result.poles            # one row per pole
>>> result.to_dir("results/laval-2016")
"""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import platform
from pathlib import Path

import numpy as np

from . import __version__
from .model.design import PoleDesign, design_poles
from .prepare import Inputs, prepare
from .results.result import Result
from .results.tables import commune_table, pole_table
from .scenario.load import LoadedScenario, load_scenario
from .solve import SolverOptions

__all__ = ["load_scenario", "solve", "solver_options", "Result"]

_PACKAGES = ("pulp", "highspy", "networkx", "numpy", "pandas", "shapely", "pydantic", "pyyaml", "matplotlib")


def solver_options(loaded: LoadedScenario) -> SolverOptions:
    s = loaded.scenario.solver
    return SolverOptions(name=s.name, time_limit_s=s.time_limit_s, gap=s.gap, threads=s.threads, log=s.log)


def solve(loaded: LoadedScenario, inputs: Inputs | None = None) -> Result:
    """Prepare the inputs (unless given), design the poles, and tabulate the result.

    Raises :class:`optimiser.errors.InputError` for bad input; an infeasible scenario is not an
    error: the result's status says so and ``summary["diagnosis"]`` explains why.
    """
    inputs = inputs or prepare(loaded)
    options = solver_options(loaded)
    design = design_poles(inputs, options)
    communes = poles = None
    if design.status.has_solution:
        communes = commune_table(design.assignment, inputs.territory, inputs.matrix, inputs.rules)
        poles = pole_table(communes)
    files = {inputs.territory.source.name: inputs.territory.source} if inputs.territory.source else {}
    if loaded.scenario.roads.network is not None:
        network = loaded.path(loaded.scenario.roads.network.path)
        files[network.name] = network
    summary = build_summary(loaded, inputs, design, options, communes, poles)
    if loaded.composition:  # parents, variant, sweep values: what made this scenario
        summary["composition"] = dict(loaded.composition)
    return Result(summary=summary, communes=communes, poles=poles, resolved_scenario=resolved_scenario(loaded, files),
                  inputs=inputs, design=design, input_files=files)


def resolved_scenario(loaded: LoadedScenario, files: dict[str, Path]) -> dict:
    """The scenario with every default filled in, its files pointing into the result's ``inputs/``."""
    data = loaded.scenario.model_dump(mode="json")
    data["territory"]["communes"] = f"inputs/{Path(loaded.scenario.territory.communes).name}"
    if data["roads"].get("network"):
        data["roads"]["network"]["path"] = f"inputs/{Path(loaded.scenario.roads.network.path).name}"
    data["outputs"]["dir"] = None
    return data


def build_summary(loaded: LoadedScenario, inputs: Inputs, design: PoleDesign, options: SolverOptions,
                  communes, poles) -> dict:
    territory = inputs.territory
    roads = loaded.scenario.roads
    mean_travel = None
    if communes is not None:
        placed = communes[~communes["alone"]]
        weights = placed["population"].to_numpy(dtype=float)
        mean_travel = float(np.average(placed["travel_min"], weights=weights)) if weights.sum() > 0 else None
    return {
        "scenario": loaded.scenario.name,
        "status": design.status.value,
        "objective": design.objective,
        "bound": design.bound,
        "gap": design.gap,
        "objective_unit": "person-minutes" if inputs.rules.travel_metric == "time" else "person-km",
        "solver": design.solver,
        "solver_options": {"name": options.name, "time_limit_s": options.time_limit_s, "gap": options.gap,
                           "threads": options.threads},
        "formulation": design.formulation,
        "mode": inputs.rules.mode,
        "contiguity": inputs.rules.contiguity,
        "runtime_s": round(design.runtime_s, 4),
        "build_s": round(design.build_s, 4),
        "solve_s": round(design.solve_s, 4),
        "rounds": design.rounds,
        "n_variables": design.n_variables,
        "n_constraints": design.n_constraints,
        "constraint_families": design.families,
        "n_communes": len(territory),
        "population": int(territory.communes["population"].sum()),
        "n_poles": 0 if poles is None else int(len(poles)),
        "n_alone": 0 if communes is None else int(communes["alone"].sum()),
        "mean_travel_min": mean_travel,
        "diagnosis": design.diagnosis,
        "messages": design.messages,
        "territory": {"name": territory.name, "file": territory.source.name if territory.source else None,
                      "sha256": territory.sha256, "warnings": list(territory.warnings)},
        "roads": {"method": inputs.road.method, "circuity": roads.circuity, "speed_kmh": roads.speed_kmh,
                  "network_sha256": inputs.road.source_sha256, "n_extra_links": len(roads.extra_links)},
        "overrides": list(loaded.overrides),
        "scenario_file": str(loaded.source) if loaded.source else None,
        "created_utc": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        "versions": _versions(),
    }


def _versions() -> dict:
    out = {"optimiser": __version__, "python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out
