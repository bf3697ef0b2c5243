"""From a validated scenario to model inputs: territory, road graph, travel matrix, resolved rules.

This is where commune names meet the territory. Every reference that does not resolve, and every
pair of rules that contradict each other, is reported at once with its key path.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..errors import InputError, Problem
from ..scenario.load import LoadedScenario
from ..services.parameters import drawn_values
from ..territory import Territory, load_geojson_territory
from ..territory.references import References
from ..territory.roads import (
    Link,
    NetworkSpec,
    RoadGraph,
    TravelMatrix,
    adjacency_road_graph,
    check_connected,
    network_road_graph,
    travel_matrix,
)
from .rules import PoleRules, ServiceCommunRule
from .service_inputs import ServiceInputs, prepare_services
from .world import world_values

#: Territories up to this size get a full travel matrix (no cut-off), so pre-solve diagnostics
#: can say how far the nearest seat really is.
FULL_MATRIX_MAX_COMMUNES = 2500


@dataclass(frozen=True)
class Inputs:
    """Everything a model needs, derived from one scenario."""

    loaded: LoadedScenario
    territory: Territory
    road: RoadGraph
    matrix: TravelMatrix
    rules: PoleRules
    services: ServiceInputs | None = None
    """Priced service inputs, when the scenario has a ``services`` block."""
    institutions: object | None = None
    """The institutional options and their parameters (:class:`optimiser.institutions.scenario.InstitutionInputs`),
    with a ``services`` block."""


def load_territory(loaded: LoadedScenario) -> Territory:
    """The scenario's territory, after ``include`` / ``exclude``."""
    config = loaded.scenario.territory
    path = loaded.path(config.communes)
    if not path.exists():
        line = loaded.lines.get("territory.communes")
        raise InputError([Problem(loaded.label, "territory.communes", f"file not found: {path}", config.communes, line=line)])
    full = load_geojson_territory(path, name=config.name, min_shared_border_m=config.min_shared_border_m)
    refs = References(loaded, full)
    keep = set(full.codes)
    if config.include is not None:
        keep = set(refs.many("territory.include", config.include))
    keep -= set(refs.many("territory.exclude", config.exclude))
    if refs.problems:
        raise InputError(refs.problems, title=f"Invalid scenario {loaded.label}")
    if not keep:
        raise InputError([Problem(loaded.label, "territory", "no commune left after include/exclude", show_value=False)])
    return full if len(keep) == len(full) else full.subset(keep)


def build_road_graph(loaded: LoadedScenario, territory: Territory) -> RoadGraph:
    roads = loaded.scenario.roads
    refs = References(loaded, territory)
    links = []
    for k, link in enumerate(roads.extra_links):
        a = refs.one(f"roads.extra_links[{k}].between[0]", link.between[0])
        b = refs.one(f"roads.extra_links[{k}].between[1]", link.between[1])
        if a is not None and a == b:
            refs.problem(f"roads.extra_links[{k}].between", "a link joins two different communes", list(link.between))
        elif a is not None and b is not None:
            links.append(Link(a, b, link.km, link.time_min))
    if refs.problems:
        raise InputError(refs.problems, title=f"Invalid scenario {loaded.label}")
    if roads.network is None:
        return adjacency_road_graph(territory, roads.circuity, roads.speed_kmh, tuple(links))
    net = roads.network
    path = loaded.path(net.path)
    if not path.exists():
        raise InputError([Problem(loaded.label, "roads.network.path", f"file not found: {path}", net.path,
                                  line=loaded.lines.get("roads.network.path"))])
    spec = NetworkSpec(path=path, length_property=net.length_property, length_unit=net.length_unit,
                       speed_property=net.speed_property, time_property=net.time_property, time_unit=net.time_unit)
    return network_road_graph(territory, spec, roads.circuity, roads.speed_kmh, tuple(links))


def resolve_rules(loaded: LoadedScenario, territory: Territory) -> PoleRules:
    """Resolve every commune reference of ``poles`` and ``service_commun``; check consistency."""
    scenario = loaded.scenario
    poles = scenario.poles
    refs = References(loaded, territory)
    candidates = None if poles.candidate_seats is None else refs.many("poles.candidate_seats", poles.candidate_seats)
    fixed = refs.many("poles.fixed_seats", poles.fixed_seats)
    forbidden = refs.many("poles.forbidden_seats", poles.forbidden_seats)
    groups = [refs.many(f"poles.together[{k}]", group) for k, group in enumerate(poles.together)]
    apart = []
    for k, pair in enumerate(poles.apart):
        a = refs.one(f"poles.apart[{k}][0]", pair[0])
        b = refs.one(f"poles.apart[{k}][1]", pair[1])
        if a is not None and a == b:
            refs.problem(f"poles.apart[{k}]", "a commune cannot be kept apart from itself", list(pair))
        elif a is not None and b is not None:
            apart.append((a, b))
    if poles.allow_alone == "all" or (scenario.services is not None and not scenario.pooling.enabled):
        alone = list(territory.codes)  # the status quo: every commune on its own
    else:
        alone = refs.many("poles.allow_alone", poles.allow_alone)

    sc_rule = None
    if scenario.service_commun is not None:
        sc = scenario.service_commun
        members = refs.many("service_commun.members", sc.members)
        seat = refs.one("service_commun.seat", sc.seat) if sc.seat is not None else None
        if members:
            if seat is None and sc.seat is None:
                seat = max(members, key=lambda c: (territory.communes.at[c, "population"], c))
            if seat is not None and seat not in members:
                refs.problem("service_commun.seat", "the service commun's seat must be one of its members",
                             sc.seat, hint=f"add it to service_commun.members or pick one of {[territory.name_of(m) for m in members]}")
            if seat is not None and seat in forbidden:
                refs.problem("poles.forbidden_seats", f"{territory.label(seat)} is the service commun's seat and cannot be forbidden", territory.name_of(seat))
            if poles.allow_alone != "all":
                for m in members:
                    if m in alone:
                        refs.problem("poles.allow_alone", f"{territory.label(m)} is a member of the service commun and cannot stay alone", territory.name_of(m))
            if seat is not None:
                sc_rule = ServiceCommunRule(sc.name, tuple(dict.fromkeys(members)), seat, sc.open_to_others)

    for code in sorted(set(fixed) & set(forbidden)):
        refs.problem("poles.fixed_seats", f"{territory.label(code)} is both a fixed and a forbidden seat", territory.name_of(code))
    if candidates is not None:
        for code in fixed:
            if code not in candidates:
                refs.problem("poles.fixed_seats", f"{territory.label(code)} is a fixed seat but not a candidate seat", territory.name_of(code),
                             hint="add it to poles.candidate_seats")

    merged = _merge_groups(groups + ([list(sc_rule.members)] if sc_rule else []))
    group_of = {c: k for k, g in enumerate(merged) for c in g}
    for a, b in apart:
        if a in group_of and group_of.get(a) == group_of.get(b):
            refs.problem("poles.apart", f"{territory.label(a)} and {territory.label(b)} must share a pole (together / service commun) and be apart",
                         [territory.name_of(a), territory.name_of(b)])
    if poles.allow_alone == "all" or (scenario.services is not None and not scenario.pooling.enabled):
        alone = [c for c in alone if c not in group_of]
    else:
        for c in alone:
            if c in group_of and not (sc_rule and c in sc_rule.members):
                refs.problem("poles.allow_alone", f"{territory.label(c)} belongs to a 'together' group and cannot stay alone", territory.name_of(c))
    if sc_rule is not None and sc_rule.seat in fixed:
        fixed = [c for c in fixed if c != sc_rule.seat]  # its seat is fixed anyway
    if refs.problems:
        raise InputError(refs.problems, title=f"Invalid scenario {loaded.label}")

    penalty = poles.alone_penalty_min
    if penalty is None:
        penalty = poles.max_travel_min if poles.max_travel_min is not None else 60.0
    if scenario.objective.travel == "distance" and poles.alone_penalty_min is None:
        penalty = penalty * scenario.roads.speed_kmh / 60.0  # same trip, expressed in km
    sc_groups = [g for g in merged if not (sc_rule and set(sc_rule.members) <= set(g))]
    return PoleRules(
        mode=scenario.mode,
        contiguity=scenario.contiguity_used,
        travel_metric=scenario.objective.travel,
        count_min=poles.count.min,
        count_max=poles.count.max,
        population_min=poles.population.min,
        population_max=poles.population.max,
        communes_min=poles.communes.min,
        communes_max=poles.communes.max,
        max_travel_min=None if scenario.mode == "p-median" else poles.max_travel_min,
        candidate_seats=None if candidates is None else tuple(dict.fromkeys(candidates)),
        fixed_seats=tuple(dict.fromkeys(fixed)),
        forbidden_seats=tuple(dict.fromkeys(forbidden)),
        together=tuple(tuple(g) for g in sc_groups),
        apart=tuple(apart),
        allow_alone=tuple(dict.fromkeys(alone)),
        alone_penalty=float(penalty),
        max_alone=poles.max_alone,
        service_commun=_grow_service_commun(sc_rule, merged),
    )


def _with_seat_rule(rules: PoleRules, seats, services: ServiceInputs) -> PoleRules:
    """The seat rule of a services run: a seat holds ≥ ``min_population_share`` of its pole's
    inhabitants unless its inventory shows a team (≥ 1 FTE in régie, given, not estimated)."""
    teams: set[str] = set()
    if seats.team_seats:
        fte: dict[str, float] = {}
        for (member, _), row in services.inventory.services.items():
            if row.mode == "regie" and "fte" not in row.estimated:
                fte[member] = fte.get(member, 0.0) + row.fte
        teams = {m for m, f in fte.items() if f >= 1.0}
    return dataclasses.replace(rules, seat_share=float(seats.min_population_share),
                               seat_share_exempt=tuple(sorted(teams)))


def _grow_service_commun(rule: ServiceCommunRule | None, merged: list[list[str]]) -> ServiceCommunRule | None:
    """A 'together' group overlapping the service commun joins it (they must share its pole)."""
    if rule is None:
        return None
    for group in merged:
        if set(rule.members) <= set(group):
            members = tuple(dict.fromkeys(list(rule.members) + sorted(set(group) - set(rule.members))))
            return ServiceCommunRule(rule.name, members, rule.seat, rule.open_to_others)
    return rule


def _merge_groups(groups: list[list[str]]) -> list[list[str]]:
    """Union of overlapping groups (a commune in two groups joins them)."""
    merged: list[set[str]] = []
    for group in groups:
        current = set(group)
        rest = []
        for other in merged:
            if other & current:
                current |= other
            else:
                rest.append(other)
        merged = rest + [current]
    return [sorted(g) for g in merged if len(g) >= 2]


def prepare(loaded: LoadedScenario, cache=None) -> Inputs:
    """Territory → road graph → travel matrix → rules, with every input checked.

    With a ``cache`` (:class:`optimiser.cache.InputCache`), scenarios with the same territory
    and roads configuration share one territory, road graph and travel matrix (read-only).
    """
    territory = cache.territory(loaded, load_territory) if cache is not None else load_territory(loaded)
    rules = resolve_rules(loaded, territory)
    cutoff = None if len(territory) <= FULL_MATRIX_MAX_COMMUNES else 3 * (rules.max_travel_min or 60.0)

    def roads():
        road = build_road_graph(loaded, territory)
        check_connected(road, territory)
        return road, travel_matrix(road, cutoff)

    road, matrix = cache.roads(loaded, territory, cutoff, roads) if cache is not None else roads()
    services = None
    if loaded.scenario.services is not None:
        world = {}
        if loaded.scenario.uncertainty is not None and loaded.scenario.uncertainty.world is not None:
            world = world_values(loaded, territory, matrix, rules.service_commun)
        with drawn_values(world):
            services = prepare_services(loaded, territory, matrix, rules.service_commun)
        if services.enabled:
            rules = _with_seat_rule(rules, loaded.scenario.poles.seats, services)
        from ..institutions.scenario import prepare_institutions

        institutions = prepare_institutions(loaded, territory, services)  # legal conditions checked before any solve
    else:
        institutions = None
    return Inputs(loaded=loaded, territory=territory, road=road, matrix=matrix, rules=rules, services=services,
                  institutions=institutions)
