"""The public Python API: load a scenario, solve it, get a :class:`Result`.

>>> from optimiser import load_scenario, solve
>>> result = solve(load_scenario("scenarios/laval-2016.yaml"))
>>> result.poles            # one row per pole
>>> result.to_dir("results/laval-2016")
"""

from __future__ import annotations

import datetime as _dt
import functools
import importlib.metadata
import platform
from pathlib import Path

import numpy as np

from ._version import __version__
from .design import PoleDesign, design_poles
from .inputs.preparation import Inputs, prepare
from .results.result import Result
from .results.service_tables import build_service_tables
from .results.tables import commune_table, pole_ids, pole_table
from .scenario.load import LoadedScenario, load_scenario
from .solvers import SolverOptions, interruptible

__all__ = ["Result", "load_scenario", "solve", "solver_options"]

_PACKAGES = ("pulp", "highspy", "networkx", "numpy", "pandas", "shapely", "pydantic", "pyyaml", "matplotlib")


def solver_options(loaded: LoadedScenario) -> SolverOptions:
    s = loaded.scenario.solver
    return SolverOptions(name=s.name, time_limit_s=s.time_limit_s, gap=s.gap, threads=s.threads, log=s.log,
                         on_interrupt=s.on_interrupt)


def solve(loaded: LoadedScenario, inputs: Inputs | None = None, on_interrupt: str | None = None) -> Result:
    """Prepare the inputs (unless given), design the poles, and tabulate the result.

    Raises :class:`optimiser.errors.InputError` for bad input; an infeasible scenario is not an
    error: the result's status says so and ``summary["diagnosis"]`` explains why. Ctrl-C during
    the solve stops the solver at once and, with ``on_interrupt="keep"`` (default: the scenario's
    ``solver.on_interrupt``), returns the best design found so far as ``feasible``; with
    ``"discard"`` it raises :class:`KeyboardInterrupt`.

    A scenario's ``robust:`` block is not read here: :func:`optimiser.robustness.robust_design.solve`
    solves it (what ``optimiser run`` and ``optimiser sweep`` call), from this nominal design.
    """
    road = loaded.scenario.roadmap
    if road is not None:  # the pilot's volunteers kept in one pole of the steady-state design
        from .roadmap import steady_state_scenario

        loaded = steady_state_scenario(loaded)
    inputs = inputs or prepare(loaded)
    options = solver_options(loaded)
    with interruptible(on_interrupt or options.on_interrupt):
        design = design_poles(inputs, options)
    return tabulate(loaded, inputs, design, options)


def tabulate(loaded: LoadedScenario, inputs: Inputs, design: PoleDesign, options: SolverOptions) -> Result:
    """The :class:`Result` of a solved ``design``: its tables and summary."""
    communes = poles = tables = None
    if design.status.has_solution:
        communes = commune_table(design.assignment, inputs.territory, inputs.matrix, inputs.rules)
        poles = pole_table(communes)
        if design.services is not None:
            ids = pole_ids(design.assignment, inputs.territory, inputs.rules)
            population = {c: int(p) for c, p in inputs.territory.communes["population"].items()}
            tables = build_service_tables(design.services, inputs.territory, ids, population, loaded.scenario.fairness)
            if inputs.institutions is not None:  # who pays whom: convention by default (optimiser.institutions)
                tables.flows = inputs.institutions.flows(tables.shares, tables.status_quo)
            communes = communes.join(tables.commune_columns, on="insee_code")
    files = input_files(loaded)
    summary = build_summary(loaded, inputs, design, options, communes, poles)
    if tables is not None:
        summary.update(service_summary(design.services, tables))
    if tables is not None and inputs.institutions is not None:  # where the fiscal figures of flows.csv came from
        summary["institutions_parameters"] = inputs.institutions.params.provenance
    if loaded.composition:  # parents, variant, sweep values: what made this scenario
        summary["composition"] = dict(loaded.composition)
    result = Result(summary=summary, communes=communes, poles=poles, resolved_scenario=resolved_scenario(loaded),
                    inputs=inputs, design=design, input_files=files, service_tables=tables)
    if loaded.scenario.roadmap is not None and tables is not None:  # step 2: when each phase of the design starts
        from .roadmap import build_roadmap

        result.roadmap = build_roadmap(loaded, result)
        result.roadmap.summary["scenario"] = loaded.scenario.name
        summary["roadmap"] = result.roadmap.summary
    return result


#: A group leaving its pole "materially" gains at least this share of what it pays.
MATERIAL_GAIN = 0.01


def service_summary(services, tables) -> dict:
    """Totals of a service-sharing design for summary.json (€/yr)."""
    shares = tables.shares
    voluntary = shares[~shares["forced"]]
    return {
        "total_cost": round(services.total_eur, 2),
        "status_quo_cost": round(services.status_quo_eur, 2),
        "alone_cost": round(services.inputs.alone_eur, 2),
        "savings_alone": round(services.status_quo_eur - services.inputs.alone_eur, 2),
        "savings_pooling": round(services.inputs.alone_eur - services.total_eur, 2) if services.inputs.enabled else None,
        "savings": round(services.status_quo_eur - services.total_eur, 2),
        "savings_pct": round((services.status_quo_eur - services.total_eur) / services.status_quo_eur, 6)
        if services.status_quo_eur > 0 else 0.0,
        "services_pooled": int(sum(1 for (i, s), j in services.pooled.items() if services.pole_services[(j, s)].pooling)),
        "single_member_pole_services": int(sum(1 for p in services.pole_services.values() if not p.pooling)),
        "services_borrowed": len(services.borrowed),
        "pole_services": len(services.pole_services),
        "fairness_key": tables.shares["key"].iloc[0] if len(tables.shares) else None,
        "voluntary_members_paying_more": int(voluntary["pays_more_than_alone"].sum()),
        "forced_members_paying_more": int(shares[shares["forced"]]["pays_more_than_alone"].sum()),
        "blocking_coalitions": len(tables.core),
        "blocking_coalitions_material": int((tables.core["gain_pct"] >= MATERIAL_GAIN).sum()) if len(tables.core) else 0,
        "largest_blocking_gain_eur": float(tables.core["gain_eur"].max()) if len(tables.core) else 0.0,
        "core_check_complete": bool(tables.core["check_complete"].all()) if len(tables.core) else None,
        "estimated_fields": int(sum(1 for v in tables.status_quo["estimated"] if v)),
        "cost_unit": "EUR per year, TTC net of the FCTVA (staff bears no VAT)",
        "status_quo_cost_ht": round(float(tables.status_quo["total_ht_eur"].sum()), 2),
        "savings_by_source": {f"{r.stage}: {r.source}": float(r.saving_eur) for r in tables.savings_by_source.itertuples()
                              if r.stage != "total"},
        "attrition": attrition_summary(services.inputs.terms, services.inputs.econ.attrition_rule),
        **status_quo_summary(tables),
    }


def attrition_summary(terms, rule: bool) -> dict:
    """How staff reductions are phased: the rule, the rate, the horizon and the average share of
    today's agents the yearly figures keep on (1 − α (H − 1)/2 while αH ≤ 1)."""
    return {"no_reduction_beyond_attrition": bool(rule), "rate_per_year": terms.attrition_per_year.value,
            "horizon_years": terms.years, "average_share_kept": round(terms.retained_share, 6) if rule else None,
            "yearly_figure": "average over the horizon of the agents still employed (posts freed at the end of each year)"
            if rule else "staff reductions made in year 1 (agents shed or their time redeployed: staff_trajectory.csv)"}


def status_quo_summary(tables) -> dict:
    """The status quo against the sourced aggregates: the one-line headline, the territory's field
    FTE per 1,000 inhabitants and the warnings on inventoried communes far outside a range."""
    from .services.calibration import headline

    check = tables.status_quo_check
    territory = check[check["scope"] == "territory"] if len(check) else check
    communes = check[check["scope"] != "territory"] if len(check) else check
    population = {r.scope: float(r.population) for r in communes.drop_duplicates("scope").itertuples()} if len(check) else {}
    return {
        "status_quo_headline": headline(tables.status_quo, population) if population else "",
        "status_quo_field_fte_per_1000": float(territory["value"].iloc[0]) if len(territory) else None,
        "status_quo_outside_range": int(communes["status"].isin(["below", "above", "far below", "far above"]).sum()) if len(check) else 0,
        "status_quo_warnings": list(tables.warnings),
    }


def input_files(loaded: LoadedScenario) -> dict[str, Path]:
    """The files a result is computed from, by the name they get in its ``inputs/``. An
    inventory given as a folder gives the CSV files read from it (``NAME/services.csv``,
    ``NAME/equipment.csv``) and nothing else of the folder: a planner's other files there (a
    backup of gigabytes, say) are neither copied into the result nor hashed."""
    files = {}
    territory = loaded.path(loaded.scenario.territory.communes)
    files[territory.name] = territory
    if loaded.scenario.roads.network is not None:
        network = loaded.path(loaded.scenario.roads.network.path)
        files[network.name] = network
    if loaded.scenario.services is not None and loaded.scenario.services.inventory is not None:
        from .services.inventory import inventory_files

        inventory = loaded.path(loaded.scenario.services.inventory)
        files.update(inventory_files(inventory))
    ac_file = _ac_file(loaded)
    if ac_file is not None:
        path = loaded.path(ac_file)
        files[path.name] = path
    return files


def _ac_file(loaded: LoadedScenario) -> str | None:
    """The scenario's file of attributions de compensation (``institutions.attribution_compensation.file``), if any."""
    institutions = loaded.scenario.institutions
    return institutions.attribution_compensation.file if institutions is not None else None


def resolved_scenario(loaded: LoadedScenario) -> dict:
    """The scenario with every default filled in, its files pointing into the result's ``inputs/``."""
    data = loaded.scenario.model_dump(mode="json")
    data["territory"]["communes"] = f"inputs/{Path(loaded.scenario.territory.communes).name}"
    if data["roads"].get("network"):
        data["roads"]["network"]["path"] = f"inputs/{Path(loaded.scenario.roads.network.path).name}"
    if data.get("services") and data["services"].get("inventory"):
        data["services"]["inventory"] = f"inputs/{Path(loaded.scenario.services.inventory).name}"
    if _ac_file(loaded) is not None:
        data["institutions"]["attribution_compensation"]["file"] = f"inputs/{Path(_ac_file(loaded)).name}"
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
        "objective_unit": ("k€ per year (total cost)" if design.services is not None or inputs.services is not None
                           else "person-minutes" if inputs.rules.travel_metric == "time" else "person-km"),
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
        "n_poles": 0 if poles is None else len(poles),
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
        "created_utc": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "versions": _versions(),
    }


def _versions() -> dict:
    """The versions of Python, the package and its libraries, for the summary's provenance (a
    copy: the caller's summary owns it)."""
    return dict(_installed_versions())


@functools.cache
def _installed_versions() -> dict:
    """Read once per process: each metadata look-up scans the installed distributions (15 ms for
    the nine, at every solve: a quarter of a second for a sweep of 16 small variants), and the
    libraries a process runs with are the ones it loaded first."""
    out = {"optimiser": __version__, "python": platform.python_version()}
    for name in _PACKAGES:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = None
    return out
