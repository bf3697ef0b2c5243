"""From the scenario's services block to priced inputs: catalogue, terms, inventory, status quo."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace

from ..errors import InputError, Problem
from ..scenario.load import LoadedScenario
from ..services.alone import reorganised_alone
from ..services.catalogue import EQUIPMENT_PARAMETERS, Catalogue, default_catalogue
from ..services.economics import EPCI, Economics
from ..services.inventory import (
    Inventory,
    build_inventory,
    member_sizes,
    read_inventory,
)
from ..services.standalone import StandaloneCost, standalone_costs
from ..services.terms import PoolingTerms, default_terms
from ..territory import Territory
from ..territory.references import References
from ..territory.roads import TravelMatrix
from .rules import ServiceCommunRule


@dataclass(frozen=True)
class ServiceInputs:
    """Everything the service model needs.

    ``members`` are the communes plus, when the service commun declares one, the EPCI itself.
    ``forced[(member, service)]`` is True (must pool) or False (must not); ``modes[service]`` the
    modes a pooled service may take.
    """

    catalogue: Catalogue
    terms: PoolingTerms
    inventory: Inventory
    standalone: dict[tuple[str, str], StandaloneCost]
    """What each member pays alone: the reorganised-alone counterfactual (:mod:`.alone`)."""
    econ: Economics
    members: tuple[str, ...]
    forced: dict[tuple[str, str], bool]
    modes: dict[str, tuple[str, ...]]
    enabled: bool
    pool_services: bool
    lend_equipment: bool
    key: str
    individual_rationality: bool
    budget_max_eur: float | None
    min_savings_eur: float | None
    min_savings_pct: float | None
    epci_name: str | None
    status_quo: dict[tuple[str, str], StandaloneCost] | None = None
    """Today's organisation priced (``standalone`` when not given)."""

    @property
    def services(self) -> list[str]:
        return list(self.catalogue.services)

    @property
    def status_quo_eur(self) -> float:
        """Every member alone, as inventoried (€/yr)."""
        return sum(c.total_eur for c in (self.status_quo or self.standalone).values())

    @property
    def alone_eur(self) -> float:
        """Every member reorganised alone, nobody pooling (€/yr)."""
        return sum(c.total_eur for c in self.standalone.values())


def _moving_with_draws(loaded: LoadedScenario):
    """``scaled(sourced, value)``: a scenario's override ``value`` of a parameter read from one key
    of ``cost_parameters.yaml``, moved with that key's draw when the scenario's ``uncertainty``
    block gives the key a range (``value × drawn ÷ sourced``; at the sourced value, and without
    such a range, ``value`` itself). So an override stays the nominal value and its uncertainty
    is the range the scenario gave, expressed around the sourced value: what ``optimiser bilan``'s
    ``recalibrated.yaml`` writes (a re-estimated value and its narrowed range)."""
    from ..services.parameters import entries, value

    config = loaded.scenario.uncertainty
    ranged = {k for k, p in (config.parameters if config else {}).items() if p.range is not None}

    def scaled(sourced, number: float):
        key = sourced.source
        raw = entries().get(key, {}).get("value") if key in ranged else None
        if not isinstance(raw, (int, float)) or isinstance(raw, bool) or raw == 0:
            return sourced.with_value(number)
        return sourced.with_value(number * (value(key) / float(raw)))

    return scaled


def scenario_catalogue(loaded: LoadedScenario) -> Catalogue:
    config = loaded.scenario.services
    full = default_catalogue()
    scaled = _moving_with_draws(loaded)
    services = _overridden({k: full.services[k] for k in config.include}, config.overrides, loaded, "services.overrides",
                           "this service is not in services.include", lambda spec, over: _service_changes(spec, over, scaled))
    owner: dict[str, str] = {}
    problems = []
    for key, spec in services.items():
        for q in spec.equipment_days:
            if q in owner:
                problems.append(Problem(loaded.label, f"services.overrides.{key}.equipment_days.{q}",
                                        f"machine type already used by {owner[q]}; each type belongs to one service", show_value=False))
            owner[q] = key
    if problems:
        raise InputError(problems, title=f"Invalid scenario {loaded.label}")
    equipment = _overridden({q: full.equipment[q] for q in owner},  # the machine types of the services as overridden
                            config.equipment, loaded, "services.equipment", "no included service uses this machine type",
                            _equipment_changes)
    staff = dict(full.staff_cost)
    for grade, amount in config.staff_eur.items():
        staff[grade] = scaled(staff[grade], amount)
    return dataclasses.replace(full, services=services, equipment=equipment, staff_cost=staff)


def _overridden(table: dict, overrides: dict, loaded: LoadedScenario, where: str, missing: str, changes_of) -> dict:
    """``table`` (key → a frozen dataclass) with each entry of ``overrides`` applied: the fields
    ``changes_of(item, override)`` returns are replaced. A key ``table`` does not hold is an
    :class:`InputError` at ``where.KEY`` (with its line) saying ``missing``."""
    out = dict(table)
    for key, over in overrides.items():
        if key not in out:
            raise InputError([Problem(loaded.label, f"{where}.{key}", missing, show_value=False,
                                      line=loaded.lines.get(f"{where}.{key}"))])
        out[key] = dataclasses.replace(out[key], **changes_of(out[key], over))
    return out


def _service_changes(spec, over, scaled) -> dict:
    """The fields of a catalogue service that ``services.overrides.KEY`` replaces (``scaled``: see
    :func:`_moving_with_draws`)."""
    changes = {}
    if over.productivity is not None:
        changes["productivity"] = scaled(spec.productivity, over.productivity)
    if over.grade is not None:
        changes["grade"] = over.grade
    if over.specialist_min_fte is not None:
        changes["specialist_min_fte"] = spec.specialist_min_fte.with_value(over.specialist_min_fte)
    if over.delegated_price_eur is not None:
        changes["delegated_price"] = scaled(spec.delegated_price, over.delegated_price_eur)
    if over.equipment_days is not None:
        from ..services.parameters import Sourced

        template = next(iter(spec.equipment_days.values()), None)
        unit = template.unit if template else f"days/{spec.unit}"
        changes["equipment_days"] = {q: Sourced(float(d), unit, "scenario", "scenario") for q, d in over.equipment_days.items()}
    return changes


def _equipment_changes(machine, over) -> dict:
    """The fields of a machine type that ``services.equipment.TYPE`` replaces."""
    return {name: getattr(machine, name).with_value(getattr(over, name)) for name in EQUIPMENT_PARAMETERS
            if getattr(over, name) is not None}


def _terms(loaded: LoadedScenario) -> PoolingTerms:
    scenario = loaded.scenario
    pooling = scenario.pooling
    terms = default_terms()
    changes = {}
    mapping = {"joint_saving_pct": "joint_saving", "max_lot_eur": "max_lot_eur", "lot_cost_eur": "lot_cost_eur",
               "coordination_eur": "coordination_eur", "member_fee_eur": "member_fee_eur", "setup_pole_eur": "setup_pole_eur",
               "setup_member_eur": "setup_member_eur", "horizon_years": "horizon_years", "vehicle_eur_per_km": "vehicle_eur_per_km"}
    for key, field_name in mapping.items():
        new = getattr(pooling, key)
        if new is not None:
            changes[field_name] = getattr(terms, field_name).with_value(new)
    if scenario.staff.attrition_per_year is not None:
        changes["attrition_per_year"] = terms.attrition_per_year.with_value(scenario.staff.attrition_per_year)
    if scenario.staff.ri_harmonisation_uplift is not None:
        changes["ri_harmonisation_uplift"] = terms.ri_harmonisation_uplift.with_value(scenario.staff.ri_harmonisation_uplift)
    return dataclasses.replace(terms, **changes)


def _forced(loaded: LoadedScenario, territory: Territory, catalogue: Catalogue, sc_rule: ServiceCommunRule | None,
            epci_workload: dict[str, float]) -> dict[tuple[str, str], bool]:
    """(member, service) → must pool (True) or must not (False): the service commun's members and
    the EPCI for each service it has a workload in (``epci_workload``: service → workload),
    then the scenario's ``pooling.force`` rules."""
    scenario = loaded.scenario
    refs = References(loaded, territory)
    forced: dict[tuple[str, str], bool] = {}
    if sc_rule is not None:
        for s in scenario.service_commun.services:
            if s in catalogue.services:
                for m in sc_rule.members:
                    forced[(m, s)] = True
    for s, w in epci_workload.items():
        if w > 0:
            forced[(EPCI, s)] = True  # the EPCI's own workload is in the service commun
    for k, rule in enumerate(scenario.pooling.force):
        codes = list(territory.codes) if rule.communes == "all" else refs.many(f"pooling.force[{k}].communes", rule.communes)
        services = catalogue.services if rule.services == "all" else rule.services
        for s in services:
            if s not in catalogue.services:
                refs.problems.append(Problem(loaded.label, f"pooling.force[{k}].services", f"{s} is not in services.include", s))
                continue
            for c in codes:
                if forced.get((c, s), rule.pool) != rule.pool:
                    refs.problems.append(Problem(loaded.label, f"pooling.force[{k}]", f"{territory.label(c)} / {s} is both forced and "
                                                 "forbidden (another force rule or the service commun)", show_value=False))
                forced[(c, s)] = rule.pool
    if refs.problems:
        raise InputError(refs.problems, title=f"Invalid scenario {loaded.label}")
    return forced


def prepare_services(loaded: LoadedScenario, territory: Territory, matrix: TravelMatrix,
                     sc_rule: ServiceCommunRule | None) -> ServiceInputs:
    """Priced inputs of the service model (see :class:`ServiceInputs`)."""
    scenario = loaded.scenario
    config = scenario.services
    catalogue = scenario_catalogue(loaded)
    terms = _terms(loaded)
    sizes = member_sizes(territory)
    epci_name = None
    fixed = {}
    sc = scenario.service_commun
    if sc is not None and sc.epci_workload:
        epci_name = sc.epci_name
        sizes[EPCI] = (0.0, 0.0)
        fixed[EPCI] = {s: w for s, w in sc.epci_workload.items() if s in catalogue.services}
    raw_services, raw_units, sources, agents = {}, {}, (), ()
    if config.inventory is not None:
        path = loaded.path(config.inventory)
        timing: dict = {}
        raw_services, raw_units, agents = read_inventory(path, str(path), territory, catalogue, epci_name, timing)
        sources = (path,)
    inventory = build_inventory(sizes, catalogue, raw_services, raw_units, fixed, sources, agents)
    if config.inventory is not None:  # machine ages and contract ends: only a roadmap reads them
        inventory = replace(inventory, ages=timing["ages"], contract_ends=timing["contract_ends"])
    today = standalone_costs(inventory, catalogue)
    attrition = scenario.staff.no_reduction_beyond_attrition
    standalone = reorganised_alone(inventory, catalogue, terms, attrition, today)
    econ = Economics(catalogue, terms, inventory, standalone, matrix, attrition_rule=attrition, status_quo=today)
    members = tuple(sizes)
    modes = {}
    for s in catalogue.services:
        choice = scenario.pooling.modes.get(s, scenario.pooling.mode)
        wanted = ("regie", "delegation") if choice == "free" else (choice,)
        allowed = catalogue.services[s].modes  # works are contracted in every option, whatever the scenario says
        modes[s] = tuple(m for m in wanted if m in allowed) or allowed
    return ServiceInputs(
        catalogue=catalogue, terms=terms, inventory=inventory, standalone=standalone, econ=econ, members=members,
        forced=_forced(loaded, territory, catalogue, sc_rule, fixed.get(EPCI, {})), modes=modes,
        enabled=scenario.pooling.enabled, pool_services=scenario.pooling.pool_services,
        lend_equipment=scenario.pooling.lend_equipment, key=scenario.fairness.key,
        individual_rationality=scenario.fairness.individual_rationality,
        budget_max_eur=scenario.budget.max_total_eur, min_savings_eur=scenario.budget.min_savings_eur,
        min_savings_pct=scenario.budget.min_savings_pct, epci_name=epci_name, status_quo=today,
    )
