"""The service catalogue: the technical services of the Laval study's workshops, with their
workload driver, staff productivity and grade, specialist minimum, equipment needs and delegated
unit price — every default sourced from ``cost_parameters.yaml`` (key kept in each value).

Services (grouped as the study groups them):

============== ================ ================= ==========================================
key            group            workload unit     what a unit means
============== ================ ================= ==========================================
voirie         espace public    km                km of communal road maintained
espaces_verts  espace public    ha                hectares of maintained green space
eclairage      espace public    PL                light points (points lumineux)
proprete       espace public    km swept          km of gutter swept per year (km × passes)
batiments      patrimoine       m²                m² of public buildings
ingenierie     ingénierie       k€ works          thousand € of works designed/supervised per year
============== ================ ================= ==========================================

Each equipment type belongs to exactly one service (its fleet is that service's), which keeps
cost attribution exact; crew vehicles are not a fleet: their cost is in the per-km travel cost.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from .parameters import Sourced, derived, entry, estimate, sourced, value


@dataclass(frozen=True)
class EquipmentSpec:
    """A machine type. Yearly cost of one unit (€/yr) = purchase ÷ life + maintenance + insurance;
    it can work ``capacity_days`` days a year; moving it by road costs ``transfer_eur_per_h`` at
    ``transfer_speed_kmh``."""

    key: str
    label: str
    purchase_eur: Sourced
    life_years: Sourced
    running_eur_yr: Sourced
    capacity_days: Sourced
    transfer_eur_per_h: Sourced
    transfer_speed_kmh: Sourced

    @property
    def annual_eur(self) -> float:
        """€/yr for one unit: purchase/life + maintenance and insurance."""
        return self.purchase_eur.value / self.life_years.value + self.running_eur_yr.value

    @property
    def day_rate_eur(self) -> float:
        """Internal price of one machine-day at full use (€/day), the basis of lending prices."""
        return self.annual_eur / self.capacity_days.value


#: The priced parameters of a machine type, in field order: what ``parameters.csv`` lists and a
#: scenario may override (``services.equipment``).
EQUIPMENT_PARAMETERS = tuple(f.name for f in fields(EquipmentSpec) if f.name not in ("key", "label"))


@dataclass(frozen=True)
class ServiceSpec:
    """A technical service.

    Régie: FTE = workload ÷ ``productivity`` (× travel overhead), at least
    ``specialist_min_fte`` in any team that runs it, each FTE costing its grade's loaded cost;
    machines per unit of workload: ``equipment_days`` (type → days per unit).
    Délégation: ``delegated_price`` € per unit per year.
    """

    key: str
    label: str
    group: str
    unit: str
    productivity: Sourced
    grade: str
    specialist_min_fte: Sourced
    equipment_days: dict[str, Sourced]
    delegated_price: Sourced


@dataclass(frozen=True)
class Catalogue:
    services: dict[str, ServiceSpec]
    equipment: dict[str, EquipmentSpec]
    staff_cost: dict[str, Sourced]
    productive_days: Sourced
    hours_per_day: Sourced

    def staff_eur(self, service: str) -> float:
        return self.staff_cost[self.services[service].grade].value


# ------------------------------------------------------------------------------- workload drivers


def road_km(population, area_km2):
    """km of communal road ≈ 0.95 × area (km²) + 2.0 × population/1000 (road_km_communal_formula)."""
    a = value("road_km_communal_formula", "alpha_km_per_km2")
    b = value("road_km_communal_formula", "beta_km_per_1000_hab")
    return a * np.asarray(area_km2, dtype=float) + b * np.asarray(population, dtype=float) / 1000.0


def sweeper_days(population):
    """Sweeper days a year a commune needs, interpolated in population through the anchors of
    equipment.sweeper_compact ``typical_need_days_yr`` (1,000 hab: 2 d; 3,000: 6; 10,000: 40),
    linear from 0 below 1,000 and extended with the last slope above 10,000."""
    anchors = entry("equipment.sweeper_compact")["typical_need_days_yr"]
    xs = np.array([0.0, 1000.0, 3000.0, 10000.0])
    ys = np.array([0.0, anchors["commune_1000_hab"], anchors["commune_3000_hab"], anchors["commune_10000_hab"]])
    p = np.asarray(population, dtype=float)
    slope = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2])
    return np.where(p <= xs[-1], np.interp(p, xs, ys), ys[-1] + slope * (p - xs[-1]))


def estimated_workload(service: str, population, area_km2) -> np.ndarray:
    """Workload of ``service`` in its unit for communes of given population and area (km²)."""
    p = np.asarray(population, dtype=float)
    if service == "voirie":
        return road_km(p, area_km2)
    if service == "espaces_verts":
        return p * value("green_space_maintained_m2_per_inhabitant") / 10_000.0
    if service == "eclairage":
        return p * value("light_points_per_inhabitant")
    if service == "proprete":
        return sweeper_days(p) * value("equipment.sweeper_compact", "productivity_km_gutter_per_day")
    if service == "batiments":
        return p * value("public_buildings_m2_per_inhabitant")
    if service == "ingenierie":
        return road_km(p, area_km2) * value("price.road_maintenance_spend_eur_per_km_yr") / 1000.0
    raise KeyError(service)


WORKLOAD_SOURCES = {
    "voirie": "road_km_communal_formula (0.95 km/km² + 2.0 km per 1,000 inhabitants)",
    "espaces_verts": "green_space_maintained_m2_per_inhabitant (20 m²/inhabitant)",
    "eclairage": "light_points_per_inhabitant (0.15 PL/inhabitant)",
    "proprete": "equipment.sweeper_compact typical_need_days_yr × productivity_km_gutter_per_day (20 km/day)",
    "batiments": "public_buildings_m2_per_inhabitant (3.0 m²/inhabitant)",
    "ingenierie": "road km × price.road_maintenance_spend_eur_per_km_yr (1,300 €/km of works a year)",
}


# ------------------------------------------------------------------------------------- defaults


def _equipment() -> dict[str, EquipmentSpec]:
    transfer_h = sourced("travel.machine_road_transfer_eur_per_h", unit="€/h")
    tractor_speed = sourced("travel.avg_speed_tractor_or_sweeper_kmh", unit="km/h")
    van_speed = sourced("travel.avg_speed_service_vehicle_kmh", unit="km/h")
    insurance_tractor = estimate(1000.0, "€/yr", "insurance of a tractor with its arm; none in the sources (sweeper 1,500, mower 300)")
    tractor_running = derived(
        value("equipment.tractor_with_flail_arm", "arm_maintenance_eur_per_h")
        * value("equipment.tractor_with_flail_arm", "hours_per_year_typical_cuma") + insurance_tractor.value,
        "€/yr", ["equipment.tractor_with_flail_arm.arm_maintenance_eur_per_h",
                 "equipment.tractor_with_flail_arm.hours_per_year_typical_cuma", "estimate"],
        "arm maintenance 5.6 €/h × 199 h/yr + insurance 1,000 €/yr (estimate)")
    tractor_price = derived(
        value("equipment.tractor_with_flail_arm", "purchase_price_tractor") + value("equipment.tractor_with_flail_arm", "purchase_price_arm"),
        "€", ["equipment.tractor_with_flail_arm.purchase_price_tractor", "equipment.tractor_with_flail_arm.purchase_price_arm"],
        "tractor 75,000 + arm 28,000", "medium")
    tractor_life = derived(
        tractor_price.value
        / (value("equipment.tractor_with_flail_arm", "purchase_price_tractor") / value("equipment.tractor_with_flail_arm", "service_life_years_tractor")
           + value("equipment.tractor_with_flail_arm", "purchase_price_arm") / value("equipment.tractor_with_flail_arm", "service_life_years_arm")),
        "years", ["equipment.tractor_with_flail_arm.service_life_years_tractor", "equipment.tractor_with_flail_arm.service_life_years_arm"],
        "life giving the same yearly depreciation as tractor 75,000/12 + arm 28,000/8", "medium")

    def machine(key, label, running_fields, speed=tractor_speed, **over):
        e = f"equipment.{key}"
        running = over.get("running") or derived(sum(value(e, f) for f in running_fields), "€/yr", [f"{e}.{f}" for f in running_fields],
                                                 " + ".join(running_fields))
        return EquipmentSpec(
            key=key, label=label,
            purchase_eur=over.get("price") or sourced(e, "purchase_price", unit="€"),
            life_years=over.get("life") or sourced(e, "service_life_years", unit="years"),
            running_eur_yr=running,
            capacity_days=sourced(e, "capacity_days_yr", unit="days/yr"),
            transfer_eur_per_h=transfer_h, transfer_speed_kmh=speed,
        )

    return {
        "tractor_with_flail_arm": machine("tractor_with_flail_arm", "tractor with flail arm (épareuse)", [], price=tractor_price,
                                          life=tractor_life, running=tractor_running),
        "backhoe_loader": machine("backhoe_loader", "backhoe loader (tractopelle)", ["maintenance_eur_yr", "insurance_eur_yr"]),
        "ride_on_mower_pro": machine("ride_on_mower_pro", "ride-on mower (tondeuse autoportée)", ["maintenance_eur_yr", "insurance_eur_yr"]),
        "aerial_lift_truck": machine("aerial_lift_truck", "aerial lift truck (camion nacelle)",
                                     ["maintenance_and_inspections_eur_yr", "insurance_eur_yr"], speed=van_speed),
        "sweeper_compact": machine("sweeper_compact", "compact road sweeper (balayeuse)", ["maintenance_eur_yr", "insurance_eur_yr"]),
    }


def _services() -> dict[str, ServiceSpec]:
    verge = derived(value("verge_mowing_passes_per_year") / value("verge_mowing_km_per_machine_day"), "days/km",
                    ["verge_mowing_passes_per_year", "verge_mowing_km_per_machine_day"], "2.5 passes a year ÷ 6 km a day")
    backhoe_days = entry("equipment.backhoe_loader")["typical_need_days_yr"]["commune_1000_hab"]
    backhoe = derived(backhoe_days / value("road_km_mean_per_commune"), "days/km",
                      ["equipment.backhoe_loader.typical_need_days_yr", "road_km_mean_per_commune"],
                      "8 days a year for a 1,000-inhabitant commune ÷ 17 km of road for a mean commune")
    lawn_share = derived(180 / 550, "share", ["green_space_maintained_m2_per_inhabitant"],
                         "Angers maintains 550 ha of which 180 ha are lawns (source of green_space_maintained_m2_per_inhabitant)")
    mower = derived(lawn_share.value * value("lawn_mowing_cuts_per_year", "standard_with_collection")
                    / value("equipment.ride_on_mower_pro", "productivity_ha_per_day"), "days/ha",
                    ["lawn_mowing_cuts_per_year.standard_with_collection", "equipment.ride_on_mower_pro.productivity_ha_per_day"],
                    "lawn share 0.33 × 10 cuts a year ÷ 3 ha a day")
    lift_days = entry("equipment.aerial_lift_truck")["typical_need_days_yr"]
    light_points = value("light_points_per_inhabitant")
    lift = derived((lift_days["commune_1000_hab"] / (1000 * light_points) + lift_days["commune_10000_hab"] / (10000 * light_points)) / 2,
                   "days/PL",
                   ["equipment.aerial_lift_truck.typical_need_days_yr", "light_points_per_inhabitant"],
                   "mean of 4 days for 150 PL (1,000 inhabitants) and 30 days for 1,500 PL (10,000 inhabitants)")
    sweep = derived(1.0 / value("equipment.sweeper_compact", "productivity_km_gutter_per_day"), "days/km",
                    ["equipment.sweeper_compact.productivity_km_gutter_per_day"], "1 ÷ 20 km of gutter a day")
    days = value("meta.productive_days_per_fte")
    return {
        "voirie": ServiceSpec(
            "voirie", "voirie", "espace public", "km",
            productivity=sourced("road_km_per_fte_voirie", unit="km/FTE"), grade="adjoint_technique",
            specialist_min_fte=estimate(0.0, "FTE", "no specialist needed"),
            equipment_days={"tractor_with_flail_arm": verge, "backhoe_loader": backhoe},
            delegated_price=sourced("price.road_maintenance_spend_eur_per_km_yr", unit="€/km/yr",
                                    note="yearly spend on road maintenance and resurfacing, mostly contracted"),
        ),
        "espaces_verts": ServiceSpec(
            "espaces_verts", "espaces verts", "espace public", "ha",
            productivity=sourced("ev_ha_per_fte", unit="ha/FTE"), grade="adjoint_technique",
            specialist_min_fte=estimate(0.0, "FTE", "no specialist needed"),
            equipment_days={"ride_on_mower_pro": mower},
            delegated_price=sourced("price.ev_maintenance_mixed_eur_m2_yr", unit="€/ha/yr", scale=10_000.0),
        ),
        "eclairage": ServiceSpec(
            "eclairage", "éclairage public", "espace public", "PL",
            productivity=sourced("light_points_per_fte", unit="PL/FTE"), grade="agent_de_maitrise",
            specialist_min_fte=estimate(1.0, "FTE", "one qualified electrician (habilitation électrique) in any team that runs it"),
            equipment_days={"aerial_lift_truck": lift},
            delegated_price=sourced("price.public_lighting_total_maintenance_eur_pl_yr", unit="€/PL/yr",
                                    note="all-in maintenance; the basic contract alone is 25 €/PL (price.public_lighting_maintenance_contract_eur_pl_yr)"),
        ),
        "proprete": ServiceSpec(
            "proprete", "propreté urbaine", "espace public", "km swept",
            productivity=derived(value("equipment.sweeper_compact", "productivity_km_gutter_per_day") * days, "km/FTE",
                                 ["equipment.sweeper_compact.productivity_km_gutter_per_day", "meta.productive_days_per_fte"],
                                 "one driver per sweeper: 20 km a day × 200 productive days"),
            grade="adjoint_technique",
            specialist_min_fte=estimate(0.0, "FTE", "no specialist needed"),
            equipment_days={"sweeper_compact": sweep},
            delegated_price=sourced("price.mechanical_sweeping_eur_per_km_gutter", unit="€/km swept"),
        ),
        "batiments": ServiceSpec(
            "batiments", "bâtiments (patrimoine)", "patrimoine", "m²",
            productivity=sourced("building_m2_per_fte", unit="m²/FTE"), grade="adjoint_technique",
            specialist_min_fte=estimate(0.0, "FTE", "no specialist needed"),
            equipment_days={},
            delegated_price=sourced("price.building_maintenance_eur_m2_yr", unit="€/m²/yr"),
        ),
        "ingenierie": ServiceSpec(
            "ingenierie", "ingénierie", "ingénierie", "k€ works",
            productivity=estimate(1500.0, "k€ works/FTE",
                                  "an engineer designs and supervises about 1.5 M€ of works a year (no source; "
                                  "at 10 % fees that is 150 k€ of fees, 2.6 × the loaded cost of an ingénieur)"),
            grade="ingenieur",
            specialist_min_fte=estimate(1.0, "FTE", "one qualified engineer in any team that runs it"),
            equipment_days={},
            delegated_price=sourced("price.external_design_fee_pct_of_works", unit="€/k€ works", scale=1000.0),
        ),
    }


def default_catalogue() -> Catalogue:
    """The catalogue with every default from cost_parameters.yaml."""
    staff = {
        "adjoint_technique": sourced("loaded_cost_adjoint_technique", unit="€/FTE/yr"),
        "agent_de_maitrise": sourced("loaded_cost_agent_de_maitrise", unit="€/FTE/yr"),
        "technicien": sourced("loaded_cost_technicien", unit="€/FTE/yr"),
        "ingenieur": sourced("loaded_cost_ingenieur", unit="€/FTE/yr"),
    }
    days = sourced("meta.productive_days_per_fte", unit="days/FTE/yr")
    hours = derived(1450.0 / days.value, "h/day", ["meta.productive_days_per_fte"], "1,450 productive hours ÷ 200 days")
    return Catalogue(services=_services(), equipment=_equipment(), staff_cost=staff, productive_days=days, hours_per_day=hours)


def ceil_units(days: float, capacity: float) -> int:
    """Machines needed for ``days`` of work at ``capacity`` days each (0 when no work); an array
    of counts when ``days`` or ``capacity`` is one (a value per sampled world)."""
    if np.ndim(days) or np.ndim(capacity):
        days = np.asarray(days, dtype=float)
        return np.where(days > 1e-9, np.ceil(days / capacity - 1e-9), 0.0)
    return int(math.ceil(days / capacity - 1e-9)) if days > 1e-9 else 0


def parameter_rows(catalogue: Catalogue, terms) -> list[dict]:
    """Every number the service model used, with its unit, source key and confidence."""
    rows = []

    def add(group, name, sourced_value):
        rows.append({"group": group, "parameter": name, "value": sourced_value.value, "unit": sourced_value.unit,
                     "source": sourced_value.source, "confidence": sourced_value.confidence, "note": sourced_value.note})

    for s, spec in catalogue.services.items():
        add(s, "productivity", spec.productivity)
        add(s, "specialist_min_fte", spec.specialist_min_fte)
        add(s, "delegated_price", spec.delegated_price)
        for q, days in spec.equipment_days.items():
            add(s, f"equipment_days.{q}", days)
        rows.append({"group": s, "parameter": "workload_estimate", "value": None, "unit": spec.unit,
                     "source": WORKLOAD_SOURCES.get(s, ""), "confidence": "", "note": "used only where the inventory is blank"})
    for q, e in catalogue.equipment.items():
        for name in EQUIPMENT_PARAMETERS:
            add(q, name, getattr(e, name))
    for grade, cost in catalogue.staff_cost.items():
        add("staff", grade, cost)
    add("staff", "productive_days", catalogue.productive_days)
    add("staff", "hours_per_day", catalogue.hours_per_day)
    for term in fields(terms):
        add("pooling", term.name, getattr(terms, term.name))
    return rows
