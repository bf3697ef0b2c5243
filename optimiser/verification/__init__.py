"""Independent verifier: re-check a result folder from its files alone (``optimiser verify``).

It shares no code with the model builders or the solver layer. From ``inputs/`` and
``scenario.resolved.yaml`` it recomputes the neighbours (pairwise polygon borders, no spatial
index), the travel times (Floyd–Warshall on the commune graph, or networkx Dijkstra on a road
network), the objective and, with services, every price (:mod:`.pricing`), then checks every
file of the folder:

============================  ==============================================================
module                        checks
============================  ==============================================================
:mod:`.files`, :mod:`.summary`  every expected file is there and readable (else exit 2)
:mod:`.status`                the status is a known word, honest (gap, bound, tolerance) and
                              agrees with the folder (design files only with a design)
:mod:`.design`                every commune placed once; seats; sizes and counts; the travel
                              cut-off; contiguity; seat rules, together / apart, the service
                              commun, opt-outs; every column of ``communes.csv`` and
                              ``poles.csv``; the design figures and objective of
                              ``summary.json``
:mod:`.geojson`               ``poles.geojson``: properties and outlines
:mod:`.services`              status quo, pole services and their costs, machines, who pools
                              what, shares, individual rationality, régie or délégation, the
                              core check, per-member totals, totals, savings and budget
:mod:`.parameters`            ``parameters.csv`` against ``cost_parameters.yaml`` and the
                              scenario
:mod:`.flows`                 ``flows.csv``: who pays whom, re-derived from the verified
                              shares and status quo; its identities (AC, net, adding up)
:mod:`.reports`               ``report.md`` and ``report.html`` say what the verified files say
============================  ==============================================================

A file missing or unreadable is an :class:`~optimiser.errors.InputError` (exit 2, the file
named); everything else is a violation in the returned :class:`Verification` (exit 4).
"""

from __future__ import annotations

import copy
import io
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from ..cache import InputCache
from ..errors import Problem, warn_input
from ..files import read_bytes
from ..inputs.preparation import load_territory, resolve_rules
from ..results.reading import RESULT_FILE_MAX_BYTES
from . import design as checks
from .design import Design, read_design
from .files import ALWAYS, DESIGN, SERVICES, ResultFolder, UnreadableResult, inside
from .geojson import geojson_problems
from .memo import derived, parsed_table, parsed_yaml
from .record import Verification
from .reports import html_problems, markdown_problems
from .status import status_problems
from .summary import ALWAYS as ALWAYS_KEYS
from .summary import DESIGN as DESIGN_KEYS
from .summary import SERVICES as SERVICE_KEYS
from .summary import STATUSES, WITH_DESIGN, read_summary, require_keys
from .travel import neighbours_and_travel

__all__ = ["verify_result", "Verification", "UnreadableResult"]


@dataclass
class ReportView:
    """The verified data the reports must show (``poles`` is ``None`` without a design)."""

    summary: dict
    rules: object
    territory_name: str
    n_communes: int
    population: int
    objective_unit: str
    poles: object = None
    communes: object = None
    commune_costs: dict | None = None
    services: object = None
    territory: object = None
    scenario: dict | None = None
    report_tables: object = None
    #: the reports' sections per language, built once for both renderings (.reports)
    sections: dict = field(default_factory=dict)
    #: the content hash of the inputs (.memo) and of everything the renderings read (.reports)
    fingerprint: str | None = None
    rendering_key: str | None = None


@dataclass
class ServiceTablesView:
    services: object
    equipment: object
    regie_vs_delegation: object
    members: object
    core: object


def verify_result(folder: str | Path) -> Verification:
    """Re-check the result in ``folder`` (see the module docstring)."""
    folder = ResultFolder(folder)
    v = Verification()
    summary = read_summary(folder)
    loaded = folder.scenario()
    scenario = loaded.scenario
    status = summary["status"]
    has_design = status in WITH_DESIGN or (status not in STATUSES and folder.has("communes.csv"))
    has_services = scenario.services is not None
    keys = {**ALWAYS_KEYS, **(DESIGN_KEYS if has_design else {}), **(SERVICE_KEYS if has_design and has_services else {})}
    require_keys(folder, summary, keys)
    expected = ALWAYS + (DESIGN if has_design else ()) + (SERVICES if has_design and has_services else ())
    missing = [name for name in expected if not (folder.path / name).is_file()]
    if missing:
        why = f"a result with status {status}" + (" and services" if has_services and has_design else "") + " holds it"
        raise UnreadableResult([Problem(folder.label(name), "", f"missing; {why}", show_value=False) for name in missing])

    v.check("status is honest", status_problems(summary, scenario, folder))
    outside = _inputs_outside(folder, loaded)
    if outside:
        v.check("inputs", outside)
        return v
    cache = InputCache()  # this verification's: prepare() below reuses the territory read here
    territory = cache.territory(loaded, lambda loaded: _territory(folder, loaded))
    if territory.sha256 != summary["territory"]["sha256"]:
        v.check("inputs", [f"territory file hash {territory.sha256[:12]} differs from summary.json {summary['territory']['sha256'][:12]}"])
    rules = resolve_rules(loaded, territory)
    v.check("summary figures", _summary_problems(summary, scenario, territory, rules, has_services))
    view = ReportView(summary, rules, territory.name, len(territory), int(territory.communes["population"].sum()),
                      objective_unit(rules, has_services))
    if has_design:
        if not _check_design(folder, v, loaded, territory, rules, summary, has_services, view, cache):
            return v
    if summary.get("roadmap") is not None:  # a plan over years: every year re-added (.roadmap)
        from .roadmap import roadmap_problems

        v.check("roadmap years add up", roadmap_problems(folder.path, summary))
        if has_design and has_services and (folder.path / "roadmap.csv").is_file():
            from ..inputs.preparation import prepare
            from .roadmap import recomputed_problems

            v.check("roadmap years re-computed", recomputed_problems(folder.path, loaded, prepare(loaded, cache), summary))
    # the reports are rendered again from the verified files and compared (see .reports)
    view.territory, view.scenario, view.fingerprint = territory, _resolved(folder), folder.inputs_fingerprint()
    view.report_tables = _report_tables(folder, has_design and has_services)
    if has_design:  # typed as the writer had them (the strict read above keeps text), in territory order
        from ..results.result import read_communes_csv

        communes = _parsed(folder, "communes.csv", "communes as written", read_communes_csv)
        order = {code: k for k, code in enumerate(territory.codes)}
        view.communes = communes.sort_values("insee_code", key=lambda codes: codes.map(order)).reset_index(drop=True)
        view.poles = _parsed(folder, "poles.csv", "poles as written", lambda source: pd.read_csv(source, dtype={"seat_insee_code": str}))
    v.check("report.md says what was verified", markdown_problems(folder.text("report.md"), view))
    v.check("report.html says what was verified", html_problems(folder.text("report.html"), view))
    return v


def _territory(folder: ResultFolder, loaded):
    """``load_territory(loaded)``, read once per distinct inputs (.memo: ``scenario.resolved.yaml``
    and ``inputs/`` hold everything it is read from). A territory is never changed once read; the
    one handed out names this folder's file as its source, and its load warnings are given again
    (as a fresh read gives them)."""
    known = derived(folder.inputs_fingerprint())
    if "territory" not in known:
        known["territory"] = load_territory(loaded)
        return known["territory"]
    territory = known["territory"]
    for warning in territory.warnings:
        warn_input(warning)
    return replace(territory, source=loaded.path(loaded.scenario.territory.communes))


def _neighbours_and_travel(folder: ResultFolder, loaded, territory):
    """:func:`.travel.neighbours_and_travel`, computed once per distinct inputs (.memo); a copy
    each time (plain data: sets of codes, arrays of minutes and km)."""
    known = derived(folder.inputs_fingerprint())
    if "travel" not in known:
        known["travel"] = neighbours_and_travel(loaded, territory)
    return copy.deepcopy(known["travel"])


def _resolved(folder) -> dict:
    """The resolved scenario as the reports read it (description, objective, outputs)."""
    import yaml

    text = folder.text("scenario.resolved.yaml")
    return parsed_yaml(text.encode("utf-8"), "as the reports read it", lambda: yaml.safe_load(text)) or {}


def _parsed(folder: ResultFolder, name: str, how: str, read):
    """``read(file)`` of the folder's ``name`` (read once, at most a result file's size), each distinct
    content parsed once (.memo)."""
    data = read_bytes(folder.require(name), folder.label(name), RESULT_FILE_MAX_BYTES, what="result file")
    return parsed_table(data, how, lambda: read(io.BytesIO(data)))


def _report_tables(folder, with_services: bool):
    """The service tables the reports are rendered from: the folder's own files, checked above."""
    if not with_services:
        return None
    from ..results.result import read_service_table, read_service_tables

    def read(path):  # the reports' reader, through _parsed
        if not path.exists():
            raise FileNotFoundError(path)
        return _parsed(folder, path.name, "service table", read_service_table)

    return read_service_tables(folder.path, read)


def _check_design(folder, v, loaded, territory, rules, summary, has_services, view, cache) -> bool:
    """The design checks; ``False`` when the design is too broken to go on (placement)."""
    communes, poles = read_design(folder)
    placement = checks.placement_problems(territory, communes)
    v.check("every commune placed exactly once", placement)
    if placement:
        return False
    nbrs, times, km = _neighbours_and_travel(folder, loaded, territory)
    d = Design(loaded, territory, rules, summary, communes, poles, nbrs, times, km)
    v.check("seats inside their poles", checks.seat_problems(d))
    v.check("communes.csv columns", checks.commune_table_problems(d))
    v.check("pole size and count bounds", checks.size_problems(d))
    v.check("travel cut-off", checks.cutoff_problems(d))
    v.check("reported travel times", checks.reported_travel_problems(d))
    v.check("contiguity", checks.contiguity_problems(d))
    v.check("seat rules", checks.seat_rule_problems(d))
    v.check("together, apart, service commun, opt-out", checks.group_problems(d))
    v.check("pole table", checks.pole_table_problems(d))
    v.check("design figures of summary.json", checks.summary_design_problems(d))
    v.check("poles.geojson", geojson_problems(folder, d))
    # the reports list communes in territory order (ties for the longest trip go to the first)
    view.poles = poles
    view.communes = communes.iloc[sorted(range(len(communes)), key=lambda k: d.index[communes["insee_code"].iloc[k]])]
    if has_services:
        # With services the objective is the total cost (plus any priced travel): checked there.
        from ..inputs.preparation import prepare
        from .parameters import COLUMNS as PARAMETER_COLUMNS
        from .parameters import parameter_problems
        from .services import ServiceChecks

        inputs = prepare(loaded, cache)
        v.check("seat rule (poles.seats)", checks.seat_share_problems(d, inputs.services.inventory))
        service_checks = ServiceChecks(folder, d, inputs, v.check)
        service_checks.run()
        v.check("parameters.csv", parameter_problems(folder.table("parameters.csv", PARAMETER_COLUMNS), inputs.services, loaded.scenario))
        if folder.has("flows.csv") or loaded.scenario.institutions is not None:
            from .flows import flow_problems

            v.check("flows.csv (who pays whom)", flow_problems(folder, inputs.institutions, service_checks.shares,
                                                              service_checks.status_quo, summary))
        costs = service_checks.commune_costs.set_index("insee_code")
        view.commune_costs = {c: row for c, row in costs.to_dict(orient="index").items()}
        view.services = ServiceTablesView(service_checks.services, service_checks.equipment, service_checks.rvd,
                                          service_checks.members, service_checks.core)
    else:
        v.check("objective", checks.objective_problems(d))
    return True


def _inputs_outside(folder: ResultFolder, loaded) -> list[str]:
    """Input files the resolved scenario names outside the folder's ``inputs/``."""
    scenario = loaded.scenario
    files = [("territory.communes", scenario.territory.communes)]
    if scenario.roads.network is not None:
        files.append(("roads.network.path", scenario.roads.network.path))
    if scenario.services is not None and scenario.services.inventory is not None:
        files.append(("services.inventory", scenario.services.inventory))
    if scenario.institutions is not None and scenario.institutions.attribution_compensation.file is not None:
        files.append(("institutions.attribution_compensation.file", scenario.institutions.attribution_compensation.file))
    return [f"scenario.resolved.yaml's {key} is {value!r}, outside the folder's inputs/: the result cannot be re-derived from "
            "its own files" for key, value in files if not inside(folder.path / "inputs", loaded.path(value))]


def objective_unit(rules, has_services: bool) -> str:
    """The unit of the objective: the total cost with services, else population-weighted travel."""
    return "k€ per year (total cost)" if has_services else ("person-minutes" if rules.travel_metric == "time" else "person-km")


def _summary_problems(summary: dict, scenario, territory, rules, has_services: bool) -> list[str]:
    """summary.json's description of the territory and the run, against the inputs and the scenario."""
    out = []
    expected = {"scenario": scenario.name, "n_communes": len(territory), "population": int(territory.communes["population"].sum()),
                "mode": rules.mode, "contiguity": rules.contiguity}
    out += [f"{k} {summary[k]!r} but the inputs give {v!r}" for k, v in expected.items() if summary[k] != v]
    if summary["territory"]["name"] != territory.name:
        out.append(f"territory.name {summary['territory']['name']!r} but the territory is {territory.name!r}")
    roads = summary.get("roads")
    if isinstance(roads, dict):
        want = {"circuity": scenario.roads.circuity, "speed_kmh": scenario.roads.speed_kmh,
                "method": "network" if scenario.roads.network is not None else "adjacency"}
        for k, value in want.items():
            if (roads.get(k) != value if isinstance(value, str) else
                                      not (isinstance(roads.get(k), (int, float)) and math.isclose(roads[k], value))):
                out.append(f"roads.{k} {roads.get(k)!r} but the scenario gives {value!r}")
    unit = summary.get("objective_unit")
    want_unit = objective_unit(rules, has_services)
    if unit is not None and unit != want_unit:
        out.append(f"objective_unit {unit!r} but this scenario's objective is in {want_unit}")
    return out
