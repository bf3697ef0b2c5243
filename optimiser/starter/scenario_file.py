"""Write the starter scenario as commented YAML: every default says why it was chosen."""

from __future__ import annotations

import datetime as _dt
import json
import re

from ..territory.france import Selection
from ..territory.territory import Territory
from ..text import fold
from .defaults import COMMUNES_PER_POLE, MIN_MEAN_POLE_POPULATION, MIN_TRAVEL_LIMIT_MIN, StarterRules
from .links import BRIDGE_MAX_KM, FERRY_ALLOWANCE_MIN, FERRY_SPEED_KMH, PieceLink

#: Territory file name inside an init folder.
TERRITORY_FILE = "territory.geojson"
#: Scenario file name inside an init folder.
SCENARIO_FILE = "scenario.yaml"
#: Circuity and speed of the starter scenario (the schema's sourced defaults).
CIRCUITY = 1.30
SPEED_KMH = 40.0


def q(value) -> str:
    """A YAML scalar: JSON strings are valid double-quoted YAML and survive any name."""
    return json.dumps(value, ensure_ascii=False)


def slug(name: str) -> str:
    """``"CA Laval Agglomération"`` → ``"ca-laval-agglomeration"``."""
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:80] or "territory"


def time_limit_s(n_communes: int) -> int:
    """60 s for an EPCI-sized territory (the all-EPCI benchmark's target), 600 s beyond 200 communes."""
    return 60 if n_communes <= 200 else 600


def render_scenario(selection: Selection, territory: Territory, links: list[PieceLink], rules: StarterRules,
                    alone: list[str], left_out: list[tuple[str, str, int]]) -> str:
    """The scenario text. ``alone``: communes that may stay out of every pole (``poles.allow_alone``);
    ``left_out``: (code, name, population) of selected communes without a polygon."""
    n = len(territory)
    population = int(territory.communes["population"].sum())
    n_pole = n - len(alone)
    label = territory.label
    today = _dt.date.today().isoformat()
    lines = [
        f"# Starter scenario for {selection.label}, written by `optimiser init` on {today}.",
        f"# {n} communes, {population:,} inhabitants (INSEE populations légales of the 2026 commune list).",
        "# Every value below is a default chosen from the territory's size; edit it to match the",
        "# planners' own choices, then run:  optimiser run scenario.yaml --out <result folder>",
    ]
    if left_out:
        names = ", ".join(f"{name} ({code}, {pop:,} inh.)" for code, name, pop in left_out)
        lines += [
            f"# Left out: {names}: re-created after 2018, so the 2018 contours",
            "# have no polygon for it and it cannot be placed in the neighbour graph.",
        ]
    poles = (f"up to {rules.pole_count} contiguous proximity poles" if rules.pole_count > 1
             else "one proximity pole (the territory is small)")
    description = (f"Starter scenario for {selection.name}: {poles} of at least {rules.min_communes} communes, "
                   f"each member within {rules.max_travel_min:g} minutes of its seat.")
    lines += [
        f"name: {q(slug(selection.name))}",
        f"description: {q(description)}",
        "territory:",
        f"  communes: {TERRITORY_FILE}",
        f"  name: {q(selection.name)}",
        "",
        "# Travel between neighbouring communes: straight distance x 1.30 (circuity) at 40 km/h, the",
        "# sourced defaults (cost_parameters.yaml travel.detour_factor, travel.avg_speed_service_vehicle_kmh).",
        "roads:",
        f"  circuity: {CIRCUITY}",
        f"  speed_kmh: {SPEED_KMH:g}",
    ]
    if links:
        lines += _links_block(links, label)
    lines += ["", "poles:"]
    count_note = (f"round({n_pole} communes / {COMMUNES_PER_POLE}) = {rules.target_by_communes}; "
                  f"{rules.population:,} inhabitants / {MIN_MEAN_POLE_POPULATION:,} = {rules.target_by_population}")
    lines += [
        f"  # Up to {rules.pole_count} proximity pole{'s' if rules.pole_count > 1 else ''}: about one per {COMMUNES_PER_POLE} communes (the sourced",
        "  # coordination ratio assumes poles of 8-15 communes, cost_parameters.yaml",
        f"  # pooling.coordinator_fte_per_pole), and no more than leaves {MIN_MEAN_POLE_POPULATION:,} inhabitants per pole on",
        f"  # average; the smaller of {count_note}.",
        "  # Travel always falls as poles are added, so the design uses as many as the other rules allow.",
        f"  count: {{max: {rules.pole_count}}}",
        f"  # A pole pools at least {rules.min_communes} communes (pooling needs partners).",
        f"  communes: {{min: {rules.min_communes}}}",
    ]
    farthest = ""
    if rules.farthest is not None:
        farthest = f" ({label(rules.farthest[0])} to {label(rules.farthest[1])})"
    lines += [
        f"  # Every member within {rules.max_travel_min:g} minutes of its seat: the smallest multiple of 5 (at least",
        f"  # {MIN_TRAVEL_LIMIT_MIN:g}) for which a design with the rules above is known to exist. A quick heuristic",
        f"  # (farthest-first seats, nearest-seat poles along the roads) found one with {rules.heuristic_poles} pole{'s' if rules.heuristic_poles > 1 else ''}",
        f"  # whose longest trip is {rules.heuristic_max_min:.1f} min{farthest}.",
        f"  max_travel_min: {rules.max_travel_min:g}",
    ]
    if alone:
        lines += [
            "  # Communes reached only by ferry may keep their own services (an island usually does):",
            "  # each joins a pole only if its seat is within the travel limit, else it stays alone.",
            "  allow_alone: [" + ", ".join(q(c) for c in alone) + "]"
            + "  # " + ", ".join(territory.name_of(c) for c in alone),
        ]
    biggest = territory.communes["population"].idxmax()
    lines += [
        "",
        "# Every pole must be connected along shared borders (and the links above): exact contiguity.",
        "contiguity: exact",
        "",
        "# The integrated core, if the EPCI plans one (as Laval did): uncomment and list its members.",
        "# service_commun:",
        "#   name: Service commun",
        f"#   members: [{q(territory.name_of(biggest))}]",
        f"#   seat: {q(territory.name_of(biggest))}",
        "#   open_to_others: false",
        "",
        "solver:",
        "  name: cbc",
        f"  time_limit_s: {time_limit_s(n)}",
        "",
    ]
    return "\n".join(lines)


def _links_block(links: list[PieceLink], label) -> list[str]:
    out = [
        "  # The communes do not all share borders: the territory falls into "
        f"{len(links) + 1} pieces. Each smaller piece is",
        "  # joined to the main piece by one link below; each link is an assumption, replace it with",
        "  # the real bridge, ferry or road if you know it.",
        "  extra_links:",
    ]
    for link in links:
        names = ", ".join(label(c) for c in link.piece[:6]) + (" ..." if len(link.piece) > 6 else "")
        out.append(f"    # piece of {len(link.piece)}: {names}")
        if link.kind == "land":
            out.append(f"    # land route through {link.via} commune{'s' if link.via != 1 else ''} outside the territory: "
                       f"{link.km:.1f} km (the closest communes of the")
            out.append(f"    # two pieces are {link.straight_km:.1f} km apart in a straight line: a bridge or ferry may be shorter).")
        elif link.kind == "bridge":
            out.append(f"    # no land route, but only {1000 * link.gap_km:.0f} m of water (under {BRIDGE_MAX_KM:g} km) "
                       f"and more than a one-commune island: assumed bridged,")
            out.append(f"    # timed as a road of {CIRCUITY} x the {link.straight_km:.1f} km between the two communes at {SPEED_KMH:g} km/h.")
        else:
            out.append(f"    # no land route, {link.gap_km:.1f} km of water to the main piece: assumed ferry, "
                       f"{FERRY_ALLOWANCE_MIN:g} min waiting and boarding")
            out.append(f"    # + {link.straight_km:.1f} km at {FERRY_SPEED_KMH:g} km/h (between the two communes' points).")
        out.append(f"    - {{between: [{q(link.a)}, {q(link.b)}], km: {link.km:.1f}, time_min: {link.time_min:.1f}}}"
                   f"  # {label(link.a)} - {label(link.b)}")
    return out
