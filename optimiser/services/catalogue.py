"""The service catalogue: the technical services of the Laval study's workshops, with their
workload driver, staff productivity and grade, specialist minimum, equipment needs, régie supplies
and delegated unit price — every default sourced from ``cost_parameters.yaml`` (key kept in each value).

Services (grouped as the study groups them):

============== ================ ================= ==========================================
key            group            workload unit     what a unit means
============== ================ ================= ==========================================
voirie         espace public    km                km of communal road kept up (routine: verges,
                                                  ditches, signs, potholes, winter service)
voirie_travaux espace public    km                km of communal road whose surface is renewed
                                                  (works: contracted in every option)
espaces_verts  espace public    ha                hectares of maintained green space
eclairage      espace public    PL                light points (points lumineux)
proprete       espace public    km cleaned        km of gutter and pavement cleaned a year
                                                  (manual and mechanical)
batiments      patrimoine       m²                m² of public buildings
ingenierie     ingénierie       k€ works          thousand € of works designed/supervised a year
                                                  (from the commune's capital programme)
parc_auto      matériel         vehicles          vans and tippers serviced by the garage
ads            urbanisme        EPC               planning acts instructed a year, in
                                                  équivalents permis de construire
============== ================ ================= ==========================================

**One basis for both modes.** Régie costs what it really costs: each field FTE carries its share
of supervision (one agent de maîtrise per ``regie.agents_per_team_leader`` agents), its crew's
vehicles (``fleet.vehicles_per_field_agent`` vans and tippers, owned) and the depot/overhead share
(``regie.depot_overhead_share``, also on supplies); supplies and materials are priced per unit of
workload; machines per machine-day. Délégation covers the same scope (the contractor's price
includes its staff, supplies, vehicles and margin).

**Money is TTC net of the FCTVA** (what the commune's budget really bears): staff bears no VAT;
purchases bear VAT (``fiscal.vat_rates_technical_services``); investment (machines, vehicles) and
contracts for the maintenance of public buildings, roads and networks, and works, recover
``fiscal.fctva_rate`` of their TTC amount (``fiscal.fctva_maintenance_eligibility``); supplies,
machine running costs and other contracts recover nothing. ``Catalogue.with_basis("ht")`` gives the
same catalogue priced HT, for the HT columns of the outputs.

Each equipment type belongs to exactly one service (its fleet is that service's), which keeps
cost attribution exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from functools import cached_property

import numpy as np

from .parameters import Sourced, derived, entry, estimate, sourced, value

#: The two ways of running a service.
MODES = ("regie", "delegation")
#: Grade of the first-line supervisor of field crews.
SUPERVISOR_GRADE = "agent_de_maitrise"


@dataclass(frozen=True)
class EquipmentSpec:
    r"""A machine type. Yearly cost of one unit (€/yr) = purchase ÷ life × ``investment_factor`` +
    (maintenance + insurance) × ``running_factor``; it can work ``capacity_days`` days a year;
    moving it by road costs ``transfer_eur_per_h`` at ``transfer_speed_kmh``.

    **Season.** A share ``peak_share`` (σ) of its yearly machine-days falls in its peak period
    (mowing in May, verges in June), which has ``peak_days`` (P) working days; the units needed
    for *D* machine-days a year are then :math:`U \ge \max(D/K,\ \sigma D/P)`, i.e. *D* over the
    **effective capacity** :math:`K^{eff} = \min(K, P/\sigma)` (σ = 0: no season, :math:`K^{eff} = K`).

    The two factors turn HT into the net cost a commune bears (1.0 on the HT basis): a purchase is
    an investment (VAT less FCTVA), running costs bear VAT.
    """

    key: str
    label: str
    purchase_eur: Sourced
    life_years: Sourced
    running_eur_yr: Sourced
    capacity_days: Sourced
    transfer_eur_per_h: Sourced
    transfer_speed_kmh: Sourced
    peak_share: Sourced = Sourced(0.0, "share of yearly machine-days", "estimate", "low",
                                  "no peak season: the work is spread over the year")
    peak_days: Sourced = Sourced(21.0, "days", "estimate", "low", "working days of a month (unused without a peak share)")
    investment_factor: float = 1.0
    running_factor: float = 1.0

    @cached_property
    def effective_capacity(self) -> float:
        """Machine-days a year one unit can really deliver, its season's peak included:
        min(K, P / σ) (K without a peak share); an array per sampled world under uncertainty.
        Worked out once per spec (frozen: its fields never change): every seat model of a
        pricing run reads it for each member's machines."""
        share, days, cap = self.peak_share.value, self.peak_days.value, self.capacity_days.value
        if np.ndim(share) or np.ndim(days) or np.ndim(cap):
            share = np.asarray(share, dtype=float)
            peak = np.where(share > 0, np.asarray(days, dtype=float) / np.where(share > 0, share, 1.0), np.inf)
            return np.minimum(cap, peak)
        return min(cap, days / share) if share > 0 else cap

    def units_for(self, days: float) -> int:
        """Whole units for ``days`` machine-days a year: ⌈max(D/K, σD/P)⌉ (0 without work)."""
        return ceil_units(days, self.effective_capacity)

    def peak_machine_days(self, days: float) -> float:
        """Machine-days needed in the peak period for ``days`` a year: σ D (0 without a season)."""
        return days * self.peak_share.value

    @property
    def annual_eur(self) -> float:
        """€/yr for one unit on the catalogue's basis: purchase/life + maintenance and insurance."""
        return (self.purchase_eur.value / self.life_years.value * self.investment_factor
                + self.running_eur_yr.value * self.running_factor)

    @property
    def annual_ht_eur(self) -> float:
        """€/yr for one unit, HT."""
        return self.purchase_eur.value / self.life_years.value + self.running_eur_yr.value

    @property
    def day_rate_eur(self) -> float:
        """Internal price of one machine-day at full use (€/day), the basis of lending prices: a
        unit's yearly cost over the days it can really deliver (:attr:`effective_capacity`)."""
        return self.annual_eur / self.effective_capacity


#: The priced parameters of a machine type, in field order: what ``parameters.csv`` lists and a
#: scenario may override (``services.equipment``).
EQUIPMENT_PARAMETERS = tuple(f.name for f in fields(EquipmentSpec)
                             if f.name not in ("key", "label", "investment_factor", "running_factor"))


@dataclass(frozen=True)
class ServiceSpec:
    """A technical service.

    Régie: FTE = workload ÷ ``productivity`` (× travel overhead), at least ``specialist_min_fte``
    in any team that runs it, each FTE costing :meth:`Catalogue.staff_eur`; ``supplies`` € HT per
    unit of workload; machines per unit of workload: ``equipment_days`` (type → days per unit).
    Délégation: ``delegated_price`` € HT per unit per year, bearing ``contract_vat`` and recovering
    the FCTVA on ``contract_fctva`` (0 or 1: the share of the contract that is eligible).

    ``modes``: the modes the service may take (works are contracted in every option);
    ``field``: its agents are field technical staff (supervised, counted in the field FTE per
    1,000 inhabitants); ``crew``: its agents need crew vehicles.
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
    supplies: Sourced = Sourced(0.0, "€/unit", "estimate", "low", "no supplies")
    contract_vat: Sourced = Sourced(0.2, "VAT rate", "fiscal.vat_rates_technical_services.standard", "medium")
    contract_fctva: Sourced = Sourced(0.0, "eligible share", "fiscal.fctva_maintenance_eligibility", "medium")
    modes: tuple[str, ...] = MODES
    field: bool = True
    crew: bool = True

    @property
    def regie_allowed(self) -> bool:
        return "regie" in self.modes


@dataclass(frozen=True)
class Regie:
    """What a régie FTE carries besides its grade's loaded cost, and the tax rules (see the module
    docstring). Vehicle costs are per field FTE of a crew service, HT."""

    agents_per_team_leader: Sourced
    vehicle_investment_per_fte: Sourced
    vehicle_running_per_fte: Sourced
    overhead_share: Sourced
    vat_rate: Sourced
    fctva_rate: Sourced

    @property
    def investment_factor(self) -> float:
        """Net € per € HT of an investment: (1 + VAT) × (1 − FCTVA rate), the FCTVA being a share of TTC."""
        return (1.0 + self.vat_rate.value) * (1.0 - self.fctva_rate.value)

    @property
    def running_factor(self) -> float:
        """Net € per € HT of a purchase that recovers no VAT."""
        return 1.0 + self.vat_rate.value


@dataclass(frozen=True)
class Catalogue:
    services: dict[str, ServiceSpec]
    equipment: dict[str, EquipmentSpec]
    staff_cost: dict[str, Sourced]
    productive_days: Sourced
    hours_per_day: Sourced
    regie: Regie | None = None
    basis: str = "net"

    # --- régie rates --------------------------------------------------------------------------
    def grade_eur(self, service: str) -> float:
        """Loaded cost of one FTE of the service's grade (€/yr), nothing else."""
        return self.staff_cost[self.services[service].grade].value

    def supervision_eur(self, service: str) -> float:
        """Supervision per field FTE: the team leader's loaded cost ÷ agents per team leader."""
        if self.regie is None or not self.services[service].field:
            return 0.0
        return self.staff_cost[SUPERVISOR_GRADE].value / self.regie.agents_per_team_leader.value

    def supervision_fte(self, service: str) -> float:
        """Team-leader FTE per field FTE (0 for office services)."""
        if self.regie is None or not self.services[service].field:
            return 0.0
        return 1.0 / self.regie.agents_per_team_leader.value

    def vehicle_eur(self, service: str) -> float:
        """Crew vehicles per FTE of a crew service (€/yr on the catalogue's basis)."""
        if self.regie is None or not self.services[service].crew:
            return 0.0
        net = self.basis == "net"
        return (self.regie.vehicle_investment_per_fte.value * (self.regie.investment_factor if net else 1.0)
                + self.regie.vehicle_running_per_fte.value * (self.regie.running_factor if net else 1.0))

    def overhead_factor(self) -> float:
        return 1.0 + (self.regie.overhead_share.value if self.regie is not None else 0.0)

    def staff_eur(self, service: str) -> float:
        """Full yearly cost of one FTE of ``service`` in régie (€/yr):
        (grade + supervision + crew vehicles) × (1 + depot/overhead share)."""
        return (self.grade_eur(service) + self.supervision_eur(service) + self.vehicle_eur(service)) * self.overhead_factor()

    def supplies_eur(self, service: str) -> float:
        """Régie supplies per unit of workload (€), VAT borne and not recovered, with the overhead share."""
        spec = self.services[service]
        vat = self.regie.running_factor if (self.regie is not None and self.basis == "net") else 1.0
        return spec.supplies.value * vat * self.overhead_factor()

    # --- délégation ---------------------------------------------------------------------------
    def contract_factor(self, service: str) -> float:
        """Net € per € HT of the service's contract: (1 + VAT) × (1 − FCTVA rate × eligible share)."""
        if self.basis != "net" or self.regie is None:
            return 1.0
        spec = self.services[service]
        return (1.0 + spec.contract_vat.value) * (1.0 - self.regie.fctva_rate.value * spec.contract_fctva.value)

    def delegated_eur(self, service: str) -> float:
        """Delegated price per unit of workload on the catalogue's basis (€)."""
        return self.services[service].delegated_price.value * self.contract_factor(service)

    # --- bases --------------------------------------------------------------------------------
    def with_basis(self, basis: str) -> Catalogue:
        """The same catalogue priced ``net`` (TTC less FCTVA) or ``ht``."""
        if basis not in ("net", "ht"):
            raise ValueError(f"basis must be net or ht, not {basis!r}")
        if self.regie is None or basis == "ht":
            factors = (1.0, 1.0)
        else:
            factors = (self.regie.investment_factor, self.regie.running_factor)
        equipment = {q: replace(e, investment_factor=factors[0], running_factor=factors[1]) for q, e in self.equipment.items()}
        return replace(self, equipment=equipment, basis=basis)

    @property
    def field_services(self) -> list[str]:
        return [s for s, spec in self.services.items() if spec.field]


# ------------------------------------------------------------------------------- workload drivers


def road_km(population, area_km2):
    """km of communal road ≈ 0.95 × area (km²) + 2.0 × population/1000 (road_km_communal_formula)."""
    a = value("road_km_communal_formula", "alpha_km_per_km2")
    b = value("road_km_communal_formula", "beta_km_per_1000_hab")
    return a * np.asarray(area_km2, dtype=float) + b * np.asarray(population, dtype=float) / 1000.0


def _anchored(population, anchors: dict[str, float], per_head: bool):
    """Interpolate a per-inhabitant ratio (``per_head``) or an amount through anchors keyed
    ``commune_<N>_hab``, flat beyond the last anchor for ratios."""
    points = sorted((float(k.split("_")[1]), float(v)) for k, v in anchors.items())
    xs = np.array([p for p, _ in points])
    ys = np.array([v for _, v in points])
    return np.interp(np.asarray(population, dtype=float), xs, ys)


def km_cleaned(population):
    """km of gutter and pavement cleaned a year: population × the per-inhabitant ratio of
    ``proprete.km_cleaned_per_inhabitant``, interpolated between its size anchors (flat outside)."""
    p = np.asarray(population, dtype=float)
    return p * _anchored(p, entry("proprete.km_cleaned_per_inhabitant")["value"], per_head=True)


def capital_spending_per_hab(population):
    """Capital spending (€/inhabitant/yr) by size band (aggregate.capital_spending_per_hab_by_size):
    < 500 inhabitants 380, 500–10,000: 350, > 10,000: 318."""
    bands = entry("aggregate.capital_spending_per_hab_by_size")["value"]
    p = np.asarray(population, dtype=float)
    return np.where(p < 500, bands["lt_500"], np.where(p <= 10_000, bands["lt_10k_all"], bands["gt_10k"]))


def ads_acts_per_inhabitant() -> float:
    """EPC a year per inhabitant: the ADS cost per inhabitant ÷ the cost per EPC (5 € ÷ 200 €)."""
    return value("ads.cost_per_inhabitant") / value("ads.cost_per_equivalent_pc")


def estimated_workload(service: str, population, area_km2) -> np.ndarray:
    """Workload of ``service`` in its unit for communes of given population and area (km²).
    ``parc_auto`` depends on the commune's régie crews: see :func:`fleet_vehicles`."""
    p = np.asarray(population, dtype=float)
    if service in ("voirie", "voirie_travaux"):
        return road_km(p, area_km2)
    if service == "espaces_verts":
        return p * value("green_space_maintained_m2_per_inhabitant") / 10_000.0
    if service == "eclairage":
        return p * value("light_points_per_inhabitant")
    if service == "proprete":
        return km_cleaned(p)
    if service == "batiments":
        return p * value("public_buildings_m2_per_inhabitant")
    if service == "ingenierie":
        return p * capital_spending_per_hab(p) * value("ingenierie.designed_share_of_capital_spending") / 1000.0
    if service == "ads":
        return p * ads_acts_per_inhabitant()
    raise KeyError(service)


def fleet_vehicles(crew_fte: float) -> float:
    """Vans and tippers of a commune's régie crews: ``fleet.vehicles_per_field_agent`` × crew FTE."""
    return value("fleet.vehicles_per_field_agent") * crew_fte


WORKLOAD_SOURCES = {
    "voirie": "road_km_communal_formula (0.95 km/km² + 2.0 km per 1,000 inhabitants)",
    "voirie_travaux": "road_km_communal_formula (the same km; the surface is renewed on a cycle)",
    "espaces_verts": "green_space_maintained_m2_per_inhabitant (20 m²/inhabitant)",
    "eclairage": "light_points_per_inhabitant (0.15 PL/inhabitant)",
    "proprete": "proprete.km_cleaned_per_inhabitant (0.025 km at 1,000 inhabitants … 0.30 km at 50,000, estimate)",
    "batiments": "public_buildings_m2_per_inhabitant (3.0 m²/inhabitant)",
    "ingenierie": "aggregate.capital_spending_per_hab_by_size (380/350/318 €) × ingenierie.designed_share_of_capital_spending (0.5)",
    "parc_auto": "fleet.vehicles_per_field_agent (0.4) × the commune's field FTE of crew services in régie",
    "ads": "ads.cost_per_inhabitant ÷ ads.cost_per_equivalent_pc (5 € ÷ 200 € = 0.025 EPC/inhabitant)",
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

    month = sourced("season.working_days_per_month", unit="days")

    def machine(key, label, running_fields, speed=tractor_speed, peak=None, **over):
        """``peak``: (field of season.peak_month_share, note) for a machine whose work peaks in one month."""
        e = f"equipment.{key}"
        season = {} if peak is None else {
            "peak_share": sourced("season.peak_month_share", peak[0], unit="share of yearly machine-days", note=peak[1])}
        running = over.get("running") or derived(sum(value(e, f) for f in running_fields), "€/yr", [f"{e}.{f}" for f in running_fields],
                                                 " + ".join(running_fields))
        return EquipmentSpec(
            key=key, label=label,
            purchase_eur=over.get("price") or sourced(e, "purchase_price", unit="€"),
            life_years=over.get("life") or sourced(e, "service_life_years", unit="years"),
            running_eur_yr=running,
            capacity_days=sourced(e, "capacity_days_yr", unit="days/yr"),
            transfer_eur_per_h=transfer_h, transfer_speed_kmh=speed, peak_days=month, **season,
        )

    return {
        "tractor_with_flail_arm": machine("tractor_with_flail_arm", "tractor with flail arm (épareuse)", [], price=tractor_price,
                                          peak=("verge_mowing_june", "first verge-mowing pass, June: every commune wants it at once"),
                                          life=tractor_life, running=tractor_running),
        "backhoe_loader": machine("backhoe_loader", "backhoe loader (tractopelle)", ["maintenance_eur_yr", "insurance_eur_yr"]),
        "ride_on_mower_pro": machine("ride_on_mower_pro", "ride-on mower (tondeuse autoportée)", ["maintenance_eur_yr", "insurance_eur_yr"],
                                     peak=("lawn_mowing_may", "lawns grow fastest in May: weekly cuts")),
        "aerial_lift_truck": machine("aerial_lift_truck", "aerial lift truck (camion nacelle)",
                                     ["maintenance_and_inspections_eur_yr", "insurance_eur_yr"], speed=van_speed),
        "sweeper_compact": machine("sweeper_compact", "compact road sweeper (balayeuse)", ["maintenance_eur_yr", "insurance_eur_yr"]),
    }


def _vat(field_name: str) -> Sourced:
    return sourced("fiscal.vat_rates_technical_services", field_name, unit="VAT rate")


def _fctva(eligible: bool, why: str) -> Sourced:
    return Sourced(1.0 if eligible else 0.0, "eligible share", "fiscal.fctva_maintenance_eligibility", "medium", why)


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
    days = value("meta.productive_days_per_fte")
    hours = 1450.0 / days
    rate = value("price.ev_contractor_hourly_rate")
    sweeper_km = value("equipment.sweeper_compact", "productivity_km_gutter_per_day")
    mech = value("proprete.mechanical_share")
    manual_km = value("proprete.manual_km_per_agent_day")
    sweep = derived(mech / sweeper_km, "days/km", ["proprete.mechanical_share", "equipment.sweeper_compact.productivity_km_gutter_per_day"],
                    "0.4 of the km by sweeper ÷ 20 km a day")
    # Voirie routine bought from a contractor, same tasks: the hours our agents need at the
    # contractor's hourly rate, plus the same supplies and machine-days at the machines' HT day rate.
    road_fte_km = value("road_km_per_fte_voirie")
    equipment = _equipment()
    machine_days_eur = (verge.value * equipment["tractor_with_flail_arm"].day_rate_eur
                        + backhoe.value * equipment["backhoe_loader"].day_rate_eur)
    routine_price = derived(
        1450.0 / road_fte_km * rate + value("regie.voirie_supplies_eur_per_km_yr") + machine_days_eur, "€/km/yr",
        ["road_km_per_fte_voirie", "price.ev_contractor_hourly_rate", "regie.voirie_supplies_eur_per_km_yr",
         "equipment.tractor_with_flail_arm", "equipment.backhoe_loader"],
        f"same tasks bought from a contractor: 1,450 h ÷ 20 km = 72.5 h/km × 40 €/h + supplies 300 €/km + machine-days "
        f"{float(np.mean(machine_days_eur)):,.0f} €/km at the HT day rate; the departmental routine benchmark "
        "(price.road_routine_vs_renewal_eur_per_km_yr, 700 €/km, estimate) covers a lighter scope")
    manual_price = rate * hours / manual_km
    proprete_price = derived(mech * value("price.mechanical_sweeping_eur_per_km_gutter") + (1 - mech) * manual_price, "€/km cleaned",
                             ["proprete.mechanical_share", "price.mechanical_sweeping_eur_per_km_gutter", "price.ev_contractor_hourly_rate",
                              "proprete.manual_km_per_agent_day"],
                             f"0.4 × 20 €/km by sweeper + 0.6 × {float(np.mean(manual_price)):.0f} €/km by hand (40 €/h × 7.25 h ÷ 2 km)")
    proprete_productivity = derived(1.0 / (mech / (sweeper_km * days) + (1 - mech) / (manual_km * days)), "km/FTE",
                                    ["proprete.mechanical_share", "equipment.sweeper_compact.productivity_km_gutter_per_day",
                                     "proprete.manual_km_per_agent_day", "meta.productive_days_per_fte"],
                                    "1 ÷ (0.4 ÷ (20 km × 200 d) + 0.6 ÷ (2 km × 200 d))")
    no_spec = estimate(0.0, "FTE", "no specialist needed")
    roads_ok = _fctva(True, "maintenance of roads: eligible since 2016 (CGCT L1615-1)")
    return {
        "voirie": ServiceSpec(
            "voirie", "voirie (entretien courant)", "espace public", "km",
            productivity=sourced("road_km_per_fte_voirie", unit="km/FTE"), grade="adjoint_technique",
            specialist_min_fte=no_spec,
            equipment_days={"tractor_with_flail_arm": verge, "backhoe_loader": backhoe},
            delegated_price=routine_price,
            supplies=sourced("regie.voirie_supplies_eur_per_km_yr", unit="€/km/yr"),
            contract_vat=_vat("road_works"), contract_fctva=roads_ok,
        ),
        "voirie_travaux": ServiceSpec(
            "voirie_travaux", "voirie (travaux de renouvellement)", "espace public", "km",
            productivity=Sourced(math.inf, "km/FTE", "estimate", "low", "not used: works are contracted in every option"),
            grade="adjoint_technique", specialist_min_fte=no_spec, equipment_days={},
            delegated_price=sourced("price.road_routine_vs_renewal_eur_per_km_yr", "renewal_works", unit="€/km/yr",
                                    note="surface renewal works (investment), contracted in every option"),
            contract_vat=_vat("road_works"),
            contract_fctva=_fctva(True, "road works are investment: eligible"),
            modes=("delegation",), field=False, crew=False,
        ),
        "espaces_verts": ServiceSpec(
            "espaces_verts", "espaces verts", "espace public", "ha",
            productivity=sourced("ev_ha_per_fte", unit="ha/FTE"), grade="adjoint_technique",
            specialist_min_fte=no_spec,
            equipment_days={"ride_on_mower_pro": mower},
            delegated_price=sourced("price.ev_maintenance_mixed_eur_m2_yr", unit="€/ha/yr", scale=10_000.0),
            supplies=sourced("regie.ev_supplies_eur_per_m2_yr", unit="€/ha/yr", scale=10_000.0),
            contract_vat=_vat("green_space_maintenance"),
            contract_fctva=_fctva(False, "green-space maintenance is not in the FCTVA base"),
        ),
        "eclairage": ServiceSpec(
            "eclairage", "éclairage public", "espace public", "PL",
            productivity=sourced("light_points_per_fte", unit="PL/FTE"), grade="agent_de_maitrise",
            specialist_min_fte=estimate(1.0, "FTE", "one qualified electrician (habilitation électrique) in any team that runs it"),
            equipment_days={"aerial_lift_truck": lift},
            delegated_price=sourced("price.public_lighting_total_maintenance_eur_pl_yr", unit="€/PL/yr",
                                    note="all-in maintenance; the basic contract alone is 25 €/PL (price.public_lighting_maintenance_contract_eur_pl_yr)"),
            supplies=sourced("regie.lighting_parts_eur_per_pl_yr", unit="€/PL/yr"),
            contract_vat=_vat("standard"),
            contract_fctva=_fctva(True, "maintenance of networks: eligible since 2020 (public lighting taken as a network, inference)"),
        ),
        "proprete": ServiceSpec(
            "proprete", "propreté urbaine", "espace public", "km cleaned",
            productivity=proprete_productivity, grade="adjoint_technique",
            specialist_min_fte=no_spec,
            equipment_days={"sweeper_compact": sweep},
            delegated_price=proprete_price,
            supplies=sourced("regie.proprete_supplies_eur_per_km", unit="€/km cleaned"),
            contract_vat=_vat("street_sweeping_communal_roads"),
            contract_fctva=_fctva(False, "cleaning is not maintenance: not in the FCTVA base"),
        ),
        "batiments": ServiceSpec(
            "batiments", "bâtiments (patrimoine)", "patrimoine", "m²",
            productivity=sourced("building_m2_per_fte", unit="m²/FTE"), grade="adjoint_technique",
            specialist_min_fte=no_spec,
            equipment_days={},
            delegated_price=sourced("price.building_maintenance_eur_m2_yr", unit="€/m²/yr"),
            supplies=sourced("regie.building_materials_eur_per_m2_yr", unit="€/m²/yr"),
            contract_vat=_vat("works_on_public_buildings"),
            contract_fctva=_fctva(True, "maintenance of public buildings: eligible since 2016 (CGCT L1615-1)"),
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
            contract_vat=_vat("standard"),
            contract_fctva=_fctva(True, "design fees followed by works are capitalised with them: eligible"),
            field=False, crew=False,
        ),
        "parc_auto": ServiceSpec(
            "parc_auto", "parc automobile (garage)", "matériel", "vehicles",
            productivity=sourced("fleet.holding_period_and_workshop_benchmarks", "vehicles_per_mechanic_optimal", unit="vehicles/FTE",
                                 note="a garage of break-even size; the observed 28 vehicles per mechanic comes from sub-scale garages"),
            grade="adjoint_technique",
            specialist_min_fte=estimate(1.0, "FTE", "a garage needs at least one mechanic"),
            equipment_days={},
            delegated_price=sourced("fleet.garage_maintenance_contract_eur_per_vehicle_yr", unit="€/vehicle/yr"),
            supplies=sourced("fleet.garage_parts_eur_per_vehicle_yr", unit="€/vehicle/yr"),
            contract_vat=_vat("standard"),
            contract_fctva=_fctva(False, "vehicle servicing is not in the FCTVA base"),
            crew=False,
        ),
        "ads": ServiceSpec(
            "ads", "instruction des autorisations d'urbanisme (ADS)", "urbanisme", "EPC",
            productivity=sourced("ads.acts_per_instructor_fte", unit="EPC/FTE"), grade="technicien",
            specialist_min_fte=sourced("ads.specialist_min_fte", unit="FTE"),
            equipment_days={},
            delegated_price=sourced("ads.cost_per_equivalent_pc", unit="€/EPC"),
            contract_vat=sourced("ads.delegated_vat", unit="VAT rate"),
            contract_fctva=_fctva(False, "no VAT to recover"),
            field=False, crew=False,
        ),
    }


def _regie() -> Regie:
    van, tipper = "equipment.utility_van", "equipment.tipper_truck_3t5"
    share = value("fleet.van_share")
    per_agent = value("fleet.vehicles_per_field_agent")
    van_invest = value(van, "purchase_price") / value(van, "service_life_years")
    tipper_invest = value(tipper, "purchase_price") / value(tipper, "service_life_years")
    # running = all-in TCO less depreciation less servicing (the garage's, parc_auto): insurance and fuel
    van_running = value("fleet.utility_van_annual_tco") - van_invest - (2 / 3) * value(van, "maintenance_and_insurance_eur_yr")
    tipper_running = value("fleet.tipper_3t5_annual_tco") - tipper_invest - value(tipper, "maintenance_eur_yr")
    keys = ["fleet.vehicles_per_field_agent", "fleet.van_share", f"{van}.purchase_price", f"{van}.service_life_years",
            f"{tipper}.purchase_price", f"{tipper}.service_life_years"]
    return Regie(
        agents_per_team_leader=sourced("regie.agents_per_team_leader", unit="agents"),
        vehicle_investment_per_fte=derived(per_agent * (share * van_invest + (1 - share) * tipper_invest), "€/FTE/yr", keys,
                                           "0.4 vehicles per agent × (0.75 van 25,000 €/8 yr + 0.25 tipper 45,000 €/10 yr)"),
        vehicle_running_per_fte=derived(per_agent * (share * van_running + (1 - share) * tipper_running), "€/FTE/yr",
                                        keys[:2] + ["fleet.utility_van_annual_tco", "fleet.tipper_3t5_annual_tco"],
                                        "0.4 vehicles per agent × insurance and fuel (all-in TCO less depreciation less servicing)"),
        overhead_share=sourced("regie.depot_overhead_share", unit="share"),
        vat_rate=_vat("standard"),
        fctva_rate=sourced("fiscal.fctva_rate", unit="share of TTC"),
    )


def default_catalogue() -> Catalogue:
    """The catalogue with every default from cost_parameters.yaml, priced net (TTC less FCTVA)."""
    staff = {
        "adjoint_technique": sourced("loaded_cost_adjoint_technique", unit="€/FTE/yr"),
        "agent_de_maitrise": sourced("loaded_cost_agent_de_maitrise", unit="€/FTE/yr"),
        "technicien": sourced("loaded_cost_technicien", unit="€/FTE/yr"),
        "ingenieur": sourced("loaded_cost_ingenieur", unit="€/FTE/yr"),
    }
    days = sourced("meta.productive_days_per_fte", unit="days/FTE/yr")
    hours = derived(1450.0 / days.value, "h/day", ["meta.productive_days_per_fte"], "1,450 productive hours ÷ 200 days")
    catalogue = Catalogue(services=_services(), equipment=_equipment(), staff_cost=staff, productive_days=days, hours_per_day=hours,
                          regie=_regie())
    return catalogue.with_basis("net")


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
        if spec.regie_allowed:
            add(s, "productivity", spec.productivity)
            add(s, "specialist_min_fte", spec.specialist_min_fte)
            add(s, "supplies", spec.supplies)
        add(s, "delegated_price", spec.delegated_price)
        add(s, "contract_vat", spec.contract_vat)
        add(s, "contract_fctva_eligible", spec.contract_fctva)
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
    if catalogue.regie is not None:
        for f in fields(catalogue.regie):
            add("regie", f.name, getattr(catalogue.regie, f.name))
    for term in fields(terms):
        add("pooling", term.name, getattr(terms, term.name))
    return rows
