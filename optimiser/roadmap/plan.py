"""The two steps of a roadmap together: the steady-state design, then the timing of its phases.

:func:`steady_state_scenario` keeps the pilot's volunteer communes in one pole of the design;
:func:`build_roadmap` prices every phase year by year (:mod:`.yearly`), solves the timing MILP
(:mod:`.timing`) and tabulates the plan. Bad input (a year outside the horizon, a pilot commune
outside the territory, a transfer asked of part of the communes, a rule no phase can obey) is an
:class:`~optimiser.errors.InputError` naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from ..errors import InputError, Problem
from ..results.records import row_tuples
from ..services.parameters import estimate, sourced
from ..solvers import SolverOptions
from ..territory.references import References
from .phases import Phase, build_phases
from .timing import NEVER, Windows, build_timing, solve_timing
from .yearly import YearlyCosts, yearly_costs


@dataclass
class Roadmap:
    """A solved roadmap: phases, their start years and the yearly tables (€)."""

    config: object
    phases: list[Phase]
    costs: YearlyCosts
    starts: dict[str, int]
    status: str
    objective_eur: float | None
    bound_eur: float | None
    gap: float | None
    runtime_s: float
    discount: dict[int, float]
    provenance: dict
    names: dict[str, str]
    pole_names: dict[str, str]
    steady_state: dict
    transfer_year: int | None = None
    joins: dict[str, int] = field(default_factory=dict)
    modes_today: dict[tuple[str, str], str] = field(default_factory=dict)
    status_quo_parts: dict[tuple[str, str], dict] = field(default_factory=dict)
    pole_ratio: dict[tuple[str, str], float] = field(default_factory=dict)
    """(member, service) → share of what it pays in the steady state that goes to its pole."""
    institutions: object | None = None
    """The institutional inputs (:class:`optimiser.institutions.scenario.InstitutionInputs`) for flows.csv."""
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    summary: dict = field(default_factory=dict)

    def write(self, folder, draw: bool = True) -> None:
        from .files import write_roadmap

        write_roadmap(self, folder, draw)


def steady_state_scenario(loaded):
    """``loaded`` with the pilot's communes kept in one pole (``poles.together``). Every commune the
    roadmap names (pilot, joins, rule poles, a voirie transfer) is checked against the territory
    first, so bad input stops before the steady-state solve."""
    road = loaded.scenario.roadmap
    if road is None:
        return loaded
    from ..inputs.preparation import load_territory

    territory = load_territory(loaded)
    _, pilot, _, _ = _resolve(loaded, territory, road, None)
    if road.pilot is None:
        return loaded
    poles = loaded.scenario.poles
    refs = References(loaded, territory)
    if any(sorted(refs.many("poles.together", group)) == sorted(pilot) for group in poles.together):
        return loaded  # already there (a resolved scenario, run again)
    together = [*poles.together, sorted(pilot)]
    scenario = loaded.scenario.model_copy(update={"poles": poles.model_copy(update={"together": together})})
    from dataclasses import replace

    return replace(loaded, scenario=scenario)


def _resolve(loaded, territory, road, phases) -> tuple[dict, set, dict, int | None]:
    refs = References(loaded, territory)
    for where, message in road.horizon_problems():
        refs.problem(f"roadmap.{where}", message, show_value=False,
                     hint="move the year inside the horizon, or change roadmap.start_year / horizon_years")
    joins = {}
    for k, step in enumerate(road.joins):
        for code in refs.many(f"roadmap.joins[{k}].communes", step.communes):
            joins[code] = step.year
    pilot = set(refs.many("roadmap.pilot.communes", road.pilot.communes)) if road.pilot else set()
    poles = {}
    for label, items in (("rules", road.rules), ("sequence", road.sequence)):
        for k, rule in enumerate(items):
            if rule.pole is not None:
                code = refs.one(f"roadmap.{label}[{k}].pole", rule.pole)
                if code is not None:
                    poles[str(rule.pole)] = code
    transfer = None
    if road.voirie_transfer is not None:
        vt = road.voirie_transfer
        if vt.communes != "all":
            named = set(refs.many("roadmap.voirie_transfer.communes", vt.communes))
            missing = [c for c in territory.codes if c not in named]
            if missing and not refs.problems:
                refs.problem("roadmap.voirie_transfer.communes",
                             f"a competence transfer concerns every commune of the EPCI at once (CGCT L5211-17); "
                             f"{len(named)} of {len(territory.codes)} named, missing "
                             + ", ".join(territory.name_of(c) for c in missing[:5]) + (" …" if len(missing) > 5 else ""),
                             show_value=False, hint="write communes: all, or pool voirie in poles instead (a rule on services: [voirie])")
        transfer = vt.year
    if refs.problems:
        raise InputError(refs.problems, title=f"Invalid roadmap in {loaded.label}")
    return joins, pilot, poles, transfer


def _windows(loaded, road, phases, costs: YearlyCosts, pole_of: dict, pilot: set, transfer: int | None) -> Windows:
    years = costs.years
    earliest = dict(costs.earliest)
    reasons = {p.id: [costs.why_earliest[p.id]] if costs.why_earliest[p.id] else [] for p in phases}
    latest: dict[str, int | None] = {p.id: None for p in phases}
    fixed: dict[str, int | None] = {p.id: None for p in phases}
    problems = []

    def bound(p, lo=None, hi=None, why=""):
        if lo is not None and lo > earliest[p.id]:
            earliest[p.id] = lo
            reasons[p.id].append(why)
        if hi is not None and (latest[p.id] is None or hi < latest[p.id]):
            latest[p.id] = hi
            reasons[p.id].append(why)

    if road.pilot is not None:
        year = road.pilot.year or years[0]
        for p in phases:
            if p.kind == "pilot":
                bound(p, lo=year, why=f"the pilot starts in {year}")
            elif p.kind == "pole":
                bound(p, lo=year + 1, why=f"other poles start after the pilot ({year})")
    if transfer is not None:
        for p in phases:
            if p.service == "voirie":
                bound(p, hi=transfer, why=f"voirie is transferred to the EPCI in {transfer}")
    for k, rule in enumerate(road.rules):
        hit = [p for p in phases if p.matches(rule, pole_of)]
        for p in hit:
            bound(p, rule.earliest, rule.latest, f"roadmap.rules[{k}]")
    for k, step in enumerate(road.sequence):
        for p in phases:
            if p.matches(step, pole_of) and fixed[p.id] is None:
                fixed[p.id] = step.year
                reasons[p.id].append(f"roadmap.sequence[{k}]")
    for p in phases:  # what the scenario forces in (the service commun) is a commitment: it starts within the horizon
        if p.forced:
            bound(p, hi=years[-1], why="the scenario forces its members in")
    if road.order == "fixed":
        fixed = {pid: (NEVER if y is None else y) for pid, y in fixed.items()}
    for p in phases:
        f = fixed[p.id]
        if f not in (None, NEVER) and f < costs.earliest[p.id]:
            problems.append(Problem(loaded.label, "roadmap.sequence", f"phase {p.id} is fixed to start in {f}, but "
                                    f"{costs.why_earliest[p.id]}: it can start in {costs.earliest[p.id]} at the earliest",
                                    show_value=False))
        elif f is None and latest[p.id] is not None and latest[p.id] < earliest[p.id]:
            problems.append(Problem(loaded.label, "roadmap", f"phase {p.id} must start between {earliest[p.id]} and "
                                    f"{latest[p.id]}: no year fits ({'; '.join(r for r in reasons[p.id] if r)})", show_value=False,
                                    hint="move the rule's latest year, or the contract end"))
        elif f is None and earliest[p.id] > years[-1] and latest[p.id] is not None:
            problems.append(Problem(loaded.label, "roadmap", f"phase {p.id} cannot start within the horizon "
                                    f"({'; '.join(r for r in reasons[p.id] if r)})", show_value=False))
    if problems:
        raise InputError(problems, title=f"Roadmap rules no plan can obey in {loaded.label}")
    return Windows(earliest, latest, fixed)


def build_roadmap(loaded, result) -> Roadmap:
    """Time the phases of ``result``'s steady-state design (see the package docstring)."""
    road = loaded.scenario.roadmap
    inputs = result.inputs
    territory = inputs.territory
    design = result.design.services
    si = design.inputs
    years = road.years
    from ..results.tables import pole_ids

    ids = pole_ids(result.design.assignment, territory, inputs.rules)
    sc_seat = inputs.rules.service_commun.seat if getattr(inputs.rules, "service_commun", None) is not None else None
    joins, pilot, rule_poles, transfer = _resolve(loaded, territory, road, None)
    phases = build_phases(design, ids, sc_seat, pilot)
    seat_of = {c: seat for c, seat in result.design.assignment.items()} if isinstance(result.design.assignment, dict) else {}
    pole_of = {ref: ids.get(seat_of.get(code, code), (code,))[0] for ref, code in rule_poles.items()}
    shares = result.service_tables.shares
    pays = {(r.member, r.service): float(r.pays_eur) for r in row_tuples(shares)}
    resale = sourced("equipment.resale_share_of_book_value") if road.resale_share is None else \
        estimate(road.resale_share, "share of book value", "set in the scenario")
    rate = sourced("econ.discount_rate_socioeconomic") if road.discount_rate is None else \
        estimate(road.discount_rate, "per year, real", "set in the scenario")
    costs = yearly_costs(si, design, phases, years, joins, resale.value, pays)
    windows = _windows(loaded, road, phases, costs, pole_of, pilot, transfer)
    discount = {t: (1.0 + rate.value) ** -(t - years[0]) for t in years}
    model = build_timing(phases, costs, windows, discount, road.max_changes_per_year, road.setup_budget_eur_per_year)
    s = loaded.scenario.solver
    options = SolverOptions(name=s.name, time_limit_s=road.time_limit_s, gap=s.gap, threads=s.threads)
    outcome, starts = solve_timing(model, options, road.time_limit_s)
    constant = 0.0  # the (member, service) pairs no phase changes: their status quo every year
    changed = {(u, p.service) for p in phases for u in p.users}
    for key, row in costs.status_quo.items():
        if key not in changed:
            constant += sum(discount[t] * row[t] for t in years)
    objective = None if outcome.objective is None else outcome.objective * 1000.0 + constant
    bound = None if outcome.bound is None else outcome.bound * 1000.0 + constant
    names = {c: territory.name_of(c) for c in territory.codes}
    names["EPCI"] = si.epci_name or "EPCI"
    pole_names = {v[0]: v[1] for v in ids.values()}
    roadmap = Roadmap(
        config=road, phases=phases, costs=costs, starts=starts, status=outcome.status.value, objective_eur=objective,
        bound_eur=bound, gap=outcome.gap, runtime_s=outcome.runtime_s, discount=discount,
        provenance={"discount_rate": {"value": rate.value, "source": rate.source, "note": rate.note},
                    "resale_share": {"value": resale.value, "source": resale.source, "note": resale.note},
                    "formulation": "steady-state design fixed (single-year service model), start years optimised "
                                   "(one-hot start-year binaries, net present cost)",
                    "timing_families": model.families.as_dict(), "timing_variables": len(model.x)},
        names=names, pole_names=pole_names, transfer_year=transfer, joins=joins,
        modes_today={k: row.mode for k, row in si.inventory.services.items()},
        status_quo_parts={k: {"keep": c.keep_eur, "staff": c.staff_eur} for k, c in si.econ.status_quo.items()},
        pole_ratio={(r.member, r.service): (float(r.pays_pole_eur) / float(r.pays_eur) if float(r.pays_eur) else 0.0)
                    for r in row_tuples(shares) if "pays_pole_eur" in shares.columns},
        institutions=inputs.institutions,
        steady_state={"status": result.status.value if hasattr(result.status, "value") else str(result.status),
                      "gap": result.summary.get("gap"), "total_cost": float(design.total_eur),
                      "setup_spread_eur": float(sum(si.terms.setup_pole_yearly + si.terms.setup_member_yearly * len(ps.users)
                                                    for ps in design.pole_services.values() if ps.users)),
                      "runtime_s": result.summary.get("runtime_s")},
    )
    if starts:
        from .tables import tabulate

        tabulate(roadmap)
    return roadmap
