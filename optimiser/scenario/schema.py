"""The scenario schema: every key a scenario file may hold, its type, default and meaning.

Strict by design (``extra="forbid"``): a mistyped key is an error with a "did you mean", never
silently ignored. Models are frozen: a scenario is a value. Communes are referred to by INSEE code
or by name (accents, case and hyphens ignored when the match is unique); names are checked
against the territory after this schema has passed.
"""

from __future__ import annotations

import typing
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .attribute_docs import DocumentedModel
from .ranges import Range, range_of
from .roadmap import RoadmapConfig
from .service_keys import EquipmentKey, ServiceKey


def _commune_ref(value):
    """A commune name or INSEE code as text, or a code written as a number (``53130``, whose
    lost leading zero is put back later); never true/false, a fraction or an absurd number."""
    if isinstance(value, str) and 0 < len(value) <= 200:
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 99_999:
        return value
    raise PydanticCustomError("commune_ref", 'expected a commune: its name or INSEE code (e.g. Laval or "53130")')


CommuneRef = Annotated[str | int, BeforeValidator(_commune_ref)]
"""An INSEE code (``"53130"``) or a commune name (``"Laval"``)."""

def _no_nul(path: str) -> str:
    if "\x00" in path:
        raise ValueError("a path cannot contain a NUL character (\\0)")
    return path


FilePath = Annotated[str, Field(min_length=1, max_length=4096), AfterValidator(_no_nul)]
"""A path to a file or folder (4,096 characters: the longest path Linux accepts)."""
Label = Annotated[str, Field(max_length=200)]
"""A name shown in the outputs, or a property name of a data file."""

# Every number has a finite, plausible range (see :mod:`optimiser.scenario.ranges`).
MAX_COUNT = 100_000
"""Most communes (France has about 35,000) or poles a count may name."""
Count = Annotated[int, Range(0, MAX_COUNT)]
"""A number of communes or poles."""
Inhabitants = Annotated[float, Range(0, 100_000_000)]
"""A population (France: 68 million)."""
Minutes = Annotated[float, Range(0, 1440, above=True)]
"""A travel time, minutes (at most a day)."""
PenaltyMinutes = Annotated[float, Range(0, 1440)]
"""A travel time that may be zero, minutes."""
Euros = Annotated[float, Range(0, 1e9)]
"""An amount of money, € (a yearly cost, a price, a one-off cost: at most a billion)."""
LotEuros = Annotated[float, Range(1_000, 1e9)]
"""A procurement lot, €/yr: the number of lots is a volume divided by it, so a lot of a few cents
(or 1e-300 €, once an overflow) is refused as the typo it is."""
Share = Annotated[float, Range(0, 1, below=True)]
"""A fraction, 0 included, 1 excluded (0.1 = 10 %)."""
Years = Annotated[float, Range(1, 100)]
"""A duration, years (a machine's life, a horizon set-up costs are spread over): costs are divided
by it, so less than a year is refused (1e-300 years once made every cost infinite)."""
Workload = Annotated[float, Range(0, 1e9)]
"""An amount of work in a service's unit (m², km, light points, ...)."""
Days = Annotated[float, Range(0, 366)]
"""Machine days (per unit of workload, or per year)."""
Speed = Annotated[float, Range(1, 130)]
"""A road speed, km/h: times are distances divided by it, so a speed below walking pace (1e-320
km/h once made every time infinite) is refused."""


class StrictModel(DocumentedModel):  # fields described by their docstrings, as use_attribute_docstrings would (faster)
    model_config = ConfigDict(extra="forbid", frozen=True)


class CountRange(StrictModel):
    """Bounds on a whole number; a single number ``n`` means exactly ``n``."""

    min: Count | None = None
    """Smallest allowed value (none if absent)."""
    max: Count | None = None
    """Largest allowed value (none if absent)."""

    @model_validator(mode="before")
    @classmethod
    def _exact(cls, value):
        if isinstance(value, (dict, BaseModel)) or value is None:
            return value
        number = range_of(Count).check(value, "whole number")  # one number: checked once, not as min and max
        return {"min": number, "max": number}

    @model_validator(mode="after")
    def _ordered(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self

    @property
    def is_set(self) -> bool:
        return self.min is not None or self.max is not None


class AmountRange(StrictModel):
    """Bounds on a non-negative quantity (inhabitants, ...)."""

    min: Inhabitants | None = None
    """Smallest allowed value (none if absent)."""
    max: Inhabitants | None = None
    """Largest allowed value (none if absent)."""

    @model_validator(mode="after")
    def _ordered(self):
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is greater than max ({self.max})")
        return self

    @property
    def is_set(self) -> bool:
        return self.min is not None or self.max is not None


class TerritoryConfig(StrictModel):
    communes: FilePath
    """GeoJSON FeatureCollection of communes with properties insee_code, name, population
    (WGS84). A path relative to the scenario file."""
    name: Label | None = None
    """Name of the territory in reports (default: the file name)."""
    include: list[CommuneRef] | None = None
    """Keep only these communes of the file (default: all)."""
    exclude: list[CommuneRef] = []
    """Leave these communes out of the study."""
    min_shared_border_m: Annotated[float, Range(0, 10_000)] = 10.0
    """Two communes are neighbours when their common border is longer than this, metres."""


class LinkConfig(StrictModel):
    between: tuple[CommuneRef, CommuneRef]
    """The two communes the link joins."""
    km: Annotated[float, Range(0, 2000, above=True)] | None = None
    """Road length, km (default: straight distance × circuity)."""
    time_min: Minutes | None = None
    """Travel time, minutes (default: km ÷ speed)."""


class NetworkConfig(StrictModel):
    path: FilePath
    """GeoJSON FeatureCollection of road LineStrings, noded at junctions; relative to the scenario."""
    length_property: Label | None = "length"
    """Feature property holding the length (default: computed from the geometry if absent)."""
    length_unit: Literal["m", "km"] = "m"
    """Unit of length_property."""
    speed_property: Label | None = "speed"
    """Feature property holding the speed, km/h."""
    time_property: Label | None = None
    """Feature property holding the travel time (takes precedence over the speed)."""
    time_unit: Literal["s", "min", "h"] = "min"
    """Unit of time_property."""


class RoadsConfig(StrictModel):
    circuity: Annotated[float, Range(1.0, 3.0)] = 1.30
    """Road distance ÷ straight distance (cost_parameters.yaml travel.detour_factor: 1.30)."""
    speed_kmh: Speed = 40.0
    """Average speed of a service vehicle, km/h (travel.avg_speed_service_vehicle_kmh: 40)."""
    network: NetworkConfig | None = None
    """A real road network replacing the adjacency estimate."""
    extra_links: list[LinkConfig] = []
    """Links the borders do not show: bridges, ferries, exclaves' access roads."""


class SeatRuleConfig(StrictModel):
    """Which communes may seat a pole when services are shared (the seat hosts the team and machines)."""

    min_population_share: Share = 0.10
    """With a services block, a seat holds at least this share of its pole's inhabitants (a
    bourg-centre that can host a depot); 0: any commune may seat a pole."""
    team_seats: bool = True
    """Communes whose inventory shows a team (≥ 1 FTE in régie, given, not estimated) may seat a
    pole whatever their share."""


class PolesConfig(StrictModel):
    count: CountRange = CountRange()
    """Number of proximity poles (not counting the service commun): a number, or min/max."""
    population: AmountRange = AmountRange()
    """Population of each proximity pole, inhabitants."""
    communes: CountRange = CountRange()
    """Number of communes in each proximity pole."""
    max_travel_min: Minutes | None = 30.0
    """Longest travel time from a member to its pole's seat, minutes (none: no limit; always none
    in p-median mode, which has no travel limit)."""
    candidate_seats: list[CommuneRef] | None = None
    """Communes that may host a pole's seat (default: all)."""
    fixed_seats: list[CommuneRef] = []
    """Communes that must host a seat."""
    forbidden_seats: list[CommuneRef] = []
    """Communes that must not host a seat."""
    seats: SeatRuleConfig = SeatRuleConfig()
    """With a services block: which communes can host a pole's depot (see min_population_share)."""
    together: list[list[CommuneRef]] = []
    """Groups of communes that must share a pole."""
    apart: list[tuple[CommuneRef, CommuneRef]] = []
    """Pairs of communes that must not share a pole."""
    allow_alone: list[CommuneRef] | Literal["all"] = []
    """Communes allowed to stay out of every pole ("all" for every commune)."""
    alone_penalty_min: PenaltyMinutes | None = None
    """A commune left alone counts as if its population travelled this many minutes
    (default: max_travel_min, or 60)."""
    max_alone: Count | None = None
    """At most this many communes may stay alone."""

    @field_validator("together")
    @classmethod
    def _groups_have_two(cls, groups):
        for k, group in enumerate(groups):
            if len(group) < 2:
                raise ValueError(f"group {k} has {len(group)} commune; a group needs at least 2")
        return groups


Grade = Literal["adjoint_technique", "agent_de_maitrise", "technicien", "ingenieur"]
ALL_SERVICES = list(typing.get_args(ServiceKey))
"""Every service of the catalogue, in catalogue order."""


class ServiceCommunConfig(StrictModel):
    name: Label = "Service commun"
    """Name shown in the outputs."""
    members: list[CommuneRef] = Field(min_length=1)
    """Communes integrated in the service commun (with the EPCI itself)."""
    seat: CommuneRef | None = None
    """Where it is run from (default: the most populous member)."""
    open_to_others: bool = False
    """Whether other communes may join the service commun's pole."""
    services: list[ServiceKey] = list(ALL_SERVICES)
    """Services its members integrate (pool in the service commun, with the services block):
    patrimoine (batiments), espace public (voirie, espaces_verts, eclairage, proprete), ingénierie."""
    epci_name: Label = "EPCI"
    """Name of the EPCI itself, a member of the service commun with its own workload."""
    epci_workload: dict[ServiceKey, Workload] = {}
    """The EPCI's own workload per service, in the service's unit (e.g. batiments: 12000 m²)."""


class ServiceOverride(StrictModel):
    """Replace catalogue defaults for one service (units as in docs/scenario-keys.md)."""

    productivity: Annotated[float, Range(0.01, 1e9)] | None = None  # FTE = workload ÷ it: tiny values overflow
    """Workload one FTE handles in a year, in the service's unit."""
    grade: Grade | None = None
    """Grade of its staff (sets the loaded cost)."""
    specialist_min_fte: Annotated[float, Range(0, 1000)] | None = None
    """Least FTE of any team running it in régie (a qualified person)."""
    delegated_price_eur: Annotated[float, Range(0, 1e6)] | None = None
    """Delegated price, € per unit of workload per year."""
    equipment_days: dict[EquipmentKey, Days] | None = None
    """Machine days per unit of workload, by machine type (replaces the whole mapping)."""


class EquipmentOverride(StrictModel):
    """Replace catalogue defaults for one machine type."""

    purchase_eur: Annotated[float, Range(0, 1e7)] | None = None
    """Purchase price, € HT."""
    life_years: Years | None = None
    """Service life, years."""
    running_eur_yr: Annotated[float, Range(0, 1e7)] | None = None
    """Maintenance and insurance, €/yr."""
    capacity_days: Annotated[float, Range(1, 366)] | None = None  # units = days ÷ it
    """Days one unit can work in a year."""
    transfer_eur_per_h: Annotated[float, Range(0, 10_000)] | None = None
    """Cost of moving it by road, €/h."""
    transfer_speed_kmh: Speed | None = None
    """Road speed when moving it, km/h."""
    peak_share: Annotated[float, Range(0, 1)] | None = None
    """Share of its yearly machine-days falling in its peak month (0: no season); the units are
    sized for that month too: units ≥ peak share × machine-days ÷ peak_days."""
    peak_days: Annotated[float, Range(1, 31)] | None = None  # peak units = days ÷ it
    """Working days of its peak month."""


class ServicesConfig(StrictModel):
    include: list[ServiceKey] = list(ALL_SERVICES)
    """Services in the study."""
    inventory: FilePath | None = None
    """Today's organisation: an Excel workbook (sheets services, equipment) or a folder with
    services.csv and equipment.csv; relative to the scenario. Blank fields are estimated."""
    overrides: dict[ServiceKey, ServiceOverride] = {}
    """Catalogue values to replace, per service."""
    equipment: dict[EquipmentKey, EquipmentOverride] = {}
    """Catalogue values to replace, per machine type."""
    staff_eur: dict[Grade, Annotated[float, Range(0, 1e6, above=True)]] = {}
    """Loaded yearly cost per FTE of a grade, € (replaces loaded_cost_* defaults)."""

    @field_validator("include")
    @classmethod
    def _some(cls, include):
        if not include:
            raise ValueError("include at least one service")
        if len(set(include)) != len(include):
            raise ValueError("a service is listed twice")
        return include


class ForceRule(StrictModel):
    communes: list[CommuneRef] | Literal["all"] = "all"
    """Communes the rule applies to."""
    services: list[ServiceKey] | Literal["all"] = "all"
    """Services the rule applies to."""
    pool: bool
    """true: they must pool these services; false: they must not."""


class PoolingConfig(StrictModel):
    enabled: bool = True
    """false: the status quo only (every commune alone, no pole)."""
    pool_services: bool = True
    """Communes may pool whole services (à la carte)."""
    lend_equipment: bool = True
    """Communes may keep a service but borrow their pole's machines."""
    mode: Literal["free", "regie", "delegation"] = "free"
    """Mode of every pooled service: chosen by the optimiser, or forced everywhere."""
    modes: dict[ServiceKey, Literal["free", "regie", "delegation"]] = {}
    """Mode per service (takes precedence over mode)."""
    force: list[ForceRule] = []
    """Force or forbid pooling for some communes and services."""
    joint_saving_pct: Share | None = None
    """Saving on delegated volume bought together (default pooling.joint_purchasing_saving_pct: 0.10)."""
    max_lot_eur: LotEuros | None = None
    """Largest procurement lot, €/yr, so local firms can bid (default 200,000)."""
    lot_cost_eur: Euros | None = None
    """Cost of running one lot, €/yr."""
    coordination_eur: Euros | None = None
    """Coordination of one pooled service in one pole, €/yr."""
    member_fee_eur: Euros | None = None
    """Follow-up of one member in one pooled service, €/yr."""
    setup_pole_eur: Euros | None = None
    """One-off set-up of one convention (pole × service), €."""
    setup_member_eur: Euros | None = None
    """One-off set-up per member of a convention, €."""
    horizon_years: Years | None = None
    """Years over which set-up costs are spread (default 6, a mandate)."""
    vehicle_eur_per_km: Annotated[float, Range(0, 100)] | None = None
    """Full cost of a service vehicle per km (default travel.service_vehicle_eur_per_km: 0.40)."""


class FairnessConfig(StrictModel):
    key: Literal["workload", "population", "shapley"] = "workload"
    """How a pooled service's cost is shared among its members."""
    individual_rationality: bool = True
    """No voluntary member pays more for a service than it did alone."""
    shapley_samples: Annotated[int, Range(100, 1_000_000)] = 4000
    """Random orders sampled for the Shapley value of poles with more members than the exact limit."""
    exact_shapley_max_members: Annotated[int, Range(1, 16)] = 12
    """Largest membership for which the Shapley value is computed exactly."""


class BudgetConfig(StrictModel):
    max_total_eur: Annotated[float, Range(0, 1e12, above=True)] | None = None
    """Total yearly cost must not exceed this, €."""
    min_savings_eur: Annotated[float, Range(0, 1e12)] | None = None
    """Total saving against the status quo must reach this, €/yr."""
    min_savings_pct: Share | None = None
    """Total saving must reach this share of the status quo cost."""


class StaffConfig(StrictModel):
    no_reduction_beyond_attrition: bool = False
    """Staff of a pooled service stays employed, less natural attrition over the horizon."""
    attrition_per_year: Annotated[float, Range(0, 1)] | None = None
    """Yearly attrition rate (default 0.03)."""
    ri_harmonisation_uplift: Annotated[float, Range(0, 1)] | None = None
    """Rise of the loaded pay of agents who join a common employer in a pooled régie service, when
    régimes indemnitaires are harmonised (default staff.ri_harmonisation_uplift: 0.03)."""


SignedEuros = Annotated[float, Range(-1e10, 1e10)]
"""An amount of money that may be negative, € (an attribution de compensation a commune pays)."""


class AttributionCompensationConfig(StrictModel):
    """Each commune's attribution de compensation (AC) before any option, €/yr: what the EPCI
    pays it (negative: what it pays the EPCI). Communes not given get an estimate, labelled."""

    file: FilePath | None = None
    """CSV with columns ``insee_code`` (or ``commune``: a name) and ``ac_eur``; relative to the scenario."""
    values: dict[CommuneRef, SignedEuros] = {}
    """Commune → AC, €/yr (takes precedence over the file)."""


class EpciFiscalConfig(StrictModel):
    """The EPCI's fiscal data, for the CIF and the dotation d'intercommunalité (legal_instruments.md §7).
    Each value not given is an estimate, labelled as such in ``flows.csv`` and the report."""

    fiscal_regime: Literal["fpu", "fa"] = "fpu"
    """fpu: fiscalité professionnelle unique (CGI art. 1609 nonies C; every communauté
    d'agglomération), the only regime with an attribution de compensation; fa: fiscalité additionnelle."""
    cif: Annotated[float, Range(0, 1)] | None = None
    """Coefficient d'intégration fiscale today (default 0.35, the reference's illustration: an estimate)."""
    territory_tax_revenue_eur: Annotated[float, Range(0, 1e11, above=True)] | None = None
    """F_total: tax revenue of the communes, the EPCI and the syndicats, €/yr (the CIF's
    denominator; default: population × an estimated €/inhabitant)."""
    dotation_intercommunalite_eur: Annotated[float, Range(0, 1e10)] | None = None
    """D: the EPCI's dotation d'intercommunalité today, €/yr (default: population ×
    fiscal.dotation_interco_per_hab)."""


class VoirieTransferConfig(StrictModel):
    """Transfer of the voirie competence (routine upkeep and surface renewal) to the EPCI
    (legal_instruments.md §6): all communes at once, charges evaluated as a CLECT would."""

    enabled: bool = False
    """Transfer the competence."""
    year: Annotated[int, Range(1990, 2100)] | None = None
    """Year the transfer takes effect (roadmap; a single-year result shows it done)."""
    communes: list[CommuneRef] | Literal["all"] = "all"
    """Communes transferring: the competence goes from every member commune at once, so a list
    must name them all (a transfer asked of part of the communes is refused)."""
    clect_years: Annotated[int, Range(1, 10)] | None = None
    """Years of past accounts the CLECT averages for operating costs (default
    fiscal.clect_evaluation_method: 3)."""
    expense_history: dict[CommuneRef, list[Euros]] = {}
    """Commune → past yearly operating expenses on voirie, € (oldest first; the last
    clect_years are averaged). Default: today's priced status quo, every year alike (labelled)."""
    maintenance_by_communal_agents: bool = False
    """Upkeep stays with the communes' own agents, made available to the EPCI (mise à
    disposition, CGCT L5211-4-1): the EPCI reimburses their cost, and they keep their employer
    (no régime indemnitaire harmonisation)."""


class InstitutionsConfig(StrictModel):
    """Institutional options priced on the same basis: how the service commun is financed, the
    attribution de compensation, the CIF and the voirie transfer (see :mod:`optimiser.institutions`)."""

    service_commun_financing: Literal["convention", "attribution_compensation"] = "convention"
    """convention: each member pays the EPCI its share (as today); attribution_compensation: its
    share is imputed on its AC (CGCT L5211-4-2; FPU only), which raises the CIF."""
    ac_agreed_by: list[CommuneRef] | Literal["all"] = "all"
    """Communes whose council agrees to the AC imputation; other members of the service commun
    pay by convention."""
    attribution_compensation: AttributionCompensationConfig = AttributionCompensationConfig()
    """Each commune's AC before the options (default: estimates)."""
    epci: EpciFiscalConfig = EpciFiscalConfig()
    """The EPCI's fiscal data for the CIF (default: estimates)."""
    voirie_transfer: VoirieTransferConfig = VoirieTransferConfig()
    """Transfer of the voirie competence to the EPCI."""

    @model_validator(mode="before")
    @classmethod
    def _one_uplift_knob(cls, value):
        # The régime indemnitaire uplift already has its key; a second one would let them disagree.
        if isinstance(value, dict) and "ri_harmonisation_uplift" in value:
            raise PydanticCustomError("one_knob", "the régime indemnitaire uplift is set once for every common employer: "
                                      "write it as staff.ri_harmonisation_uplift")
        return value


class SolverConfig(StrictModel):
    name: Literal["cbc", "highs"] = "cbc"
    """MILP solver: CBC (bundled with PuLP) or HiGHS (highspy)."""
    time_limit_s: Annotated[float, Range(0, 604_800, above=True)] = 120.0
    """Wall-clock limit for the whole solve, seconds."""
    gap: Share = 1e-4
    """Relative gap within which a solution counts as proven optimal (1e-4 = 0.01 %, the usual
    MILP tolerance; 0 asks for an exact proof)."""
    threads: Annotated[int, Range(1, 256)] = 1
    """Solver threads (1 keeps runs reproducible)."""
    log: bool = False
    """Print the solver's own log."""
    on_interrupt: Literal["keep", "discard"] = "keep"
    """Ctrl-C during a solve stops the solver at once; keep: write the best design found so far
    (status feasible, with its gap); discard: write nothing (a second Ctrl-C always stops at once)."""


class ObjectiveConfig(StrictModel):
    travel: Literal["time", "distance"] = "time"
    """Population-weighted travel to the seat, in minutes (time) or km (distance)."""
    minimise: Literal["travel", "cost"] | None = None
    """What to minimise (default: cost when there is a services block, else travel)."""
    travel_weight_eur: Annotated[float, Range(0, 100_000)] = 0.0001
    """With cost: € added per person-minute (or person-km) of travel to the seat. The default
    only breaks ties (among designs of equal cost, shorter trips; about 30 € on Laval's 7.5 M€),
    which also spares the solver exploring equivalent poles; raise it to trade cost for travel."""
    max_travel_total: Annotated[float, Range(0, 1e12, above=True)] | None = None
    """With cost: population-weighted travel to the seat must not exceed this
    (person-minutes or person-km) — the ε of a cost/travel trade-off."""


class OutputsConfig(StrictModel):
    dir: FilePath | None = None
    """Result folder, relative to the working directory (default: results/<scenario name>)."""
    map: bool = True
    """Draw map.png."""
    labels: Literal["auto", "all", "seats", "none"] = "auto"
    """Names on the map: all communes, seats only, none; auto = all up to 60 communes."""
    lang: Literal["fr", "en"] | None = None
    """Language of everything a person reads (reports, fiches, maps, charts, workbook, what the
    commands print): fr or en. Unset: $OPTIMISER_LANG, else fr; --lang overrides it. CSV files are
    the same in every language."""


Distribution = Literal["triangular", "uniform", "lognormal"]
"""How a parameter varies over its range: ``triangular`` (low, sourced value, high), ``uniform``
(every value of the range alike) or ``lognormal`` (the range as its 5th and 95th percentiles;
positive ranges only)."""


class ParameterUncertainty(StrictModel):
    """How one parameter of ``cost_parameters.yaml`` varies (default: its sourced range)."""

    range: list[Annotated[float, Range(0, 1e12)]] | None = None
    """[low, high] replacing the sourced range; [v, v] holds the parameter at v."""
    distribution: Distribution | None = None
    """Its distribution (default: the group's, else uncertainty.distribution)."""

    @field_validator("range")
    @classmethod
    def _two_ordered(cls, value):
        if value is None:
            return value
        if len(value) != 2:
            raise ValueError(f"a range is [low, high]: two numbers (got {len(value)}"
                             + ("; an empty range leaves nothing to draw" if not value else "") + ")")
        if value[0] > value[1]:
            raise ValueError(f"the range is inverted: low {value[0]:g} is above high {value[1]:g}; write [{value[1]:g}, {value[0]:g}]")
        return value


class UncertaintyGroup(StrictModel):
    """Parameters that move together (all staff costs, all delegated prices)."""

    parameters: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=1)
    """Parameter names of cost_parameters.yaml (``key`` or ``key.field``); ``*`` matches any text
    (``loaded_cost_*``, ``price.*``)."""
    correlation: Annotated[float, Range(0, 1)] = 1.0
    """Rank correlation between any two of them: 1 moves them as one (same quantile of their
    ranges), 0 draws them independently (Gaussian copula in between)."""
    distribution: Distribution | None = None
    """Distribution of its members (default: uncertainty.distribution)."""


class UncertaintyConfig(StrictModel):
    """How sure the inputs are: read by ``optimiser robustness`` and the robust design."""

    samples: Annotated[int, Range(1, 1_000_000)] = 1000
    """Sampled worlds for the fixed-design re-pricing (a world draws every uncertain parameter)."""
    seed: Annotated[int, Range(0, 2**32 - 1)] = 0
    """Seed of the draws: the same seed gives the same worlds."""
    distribution: Distribution = "triangular"
    """Default distribution of every parameter over its sourced range."""
    parameters: dict[Annotated[str, Field(min_length=1, max_length=200)], ParameterUncertainty] = {}
    """Per parameter of cost_parameters.yaml (``key`` or ``key.field``): range and distribution."""
    groups: dict[Annotated[str, Field(min_length=1, max_length=80)], UncertaintyGroup] = {}
    """Correlation groups, by name; a parameter belongs to at most one."""
    inventory: bool = True
    """Blank inventory fields estimated from a ratio vary with that ratio (else they stay as estimated)."""
    worlds: Annotated[int, Range(0, 10_000)] = 20
    """Worlds re-solved for decision stability (0: skip): how often each commune pools each
    service, each pole service is delegated, each pair of communes shares a pole."""
    world_time_limit_s: Annotated[float, Range(1, 86_400)] = 60.0
    """Time limit of each re-solved world, seconds (the scenario's solver.time_limit_s if smaller)."""
    resolve_top: Annotated[int, Range(0, 50)] = 3
    """Tornado parameters re-solved at their low and high end to see whether a decision changes."""
    world: Annotated[int, Range(0, 10_000_000)] | None = None
    """Solve in sampled world number ``world`` (1-based, drawn with ``seed``) instead of the
    nominal one: how ``optimiser robustness`` re-solves worlds through the sweep machinery."""


class RobustConfig(StrictModel):
    """Ask for the design that does best over sampled worlds rather than at the sourced values
    (a sample-average formulation; see ``optimiser/robustness/saa.py``)."""

    objective: Literal["expected", "quantile", "cvar"] = "expected"
    """expected: the largest mean saving over the worlds; quantile: the largest saving reached in
    all but a share alpha of them; cvar: the largest mean saving of the worst share alpha."""
    alpha: Annotated[float, Range(0, 0.5, above=True)] = 0.1
    """The share of worst worlds the quantile and CVaR objectives look at (0.1: the worst 10 %)."""
    worlds: Annotated[int, Range(2, 500)] = 20
    """Sampled worlds the design is optimised over (worlds 1..N of uncertainty.seed)."""
    seed: Annotated[int, Range(0, 2**32 - 1)] | None = None
    """Seed of the worlds (default: uncertainty.seed)."""
    time_limit_s: Annotated[float, Range(1, 86_400)] | None = None
    """Time limit of the sample-average solve, seconds (default: solver.time_limit_s)."""


class Scenario(StrictModel):
    """A pole design scenario."""

    name: str = Field(min_length=1, max_length=120)
    """Short identifier, used for the default result folder."""
    description: str = Field("", max_length=10_000)
    """What the scenario is for, in the planner's words."""
    mode: Literal["poles", "p-median"] = "poles"
    """poles: the full pole model; p-median: the classic p-median (fixed count, no contiguity,
    no bounds, no travel limit), for comparison with other tools."""
    contiguity: Literal["exact", "shortest-path", "none"] | None = None
    """How poles are kept connected on the road graph (default: exact in poles mode, none in
    p-median mode)."""
    territory: TerritoryConfig
    """The communes."""
    roads: RoadsConfig = RoadsConfig()
    """How travel between communes is estimated."""
    poles: PolesConfig = PolesConfig()
    """Rules for the poles."""
    service_commun: ServiceCommunConfig | None = None
    """The integrated core (e.g. Laval and Saint-Berthevin), a pole of its own."""
    services: ServicesConfig | None = None
    """Service sharing: which services, the inventory, catalogue overrides. Without it, the
    engine designs poles only."""
    pooling: PoolingConfig = PoolingConfig()
    """What may be pooled and how (needs services)."""
    fairness: FairnessConfig = FairnessConfig()
    """Cost sharing and individual rationality (needs services)."""
    budget: BudgetConfig = BudgetConfig()
    """Budget cap and minimum savings (needs services)."""
    staff: StaffConfig = StaffConfig()
    """Staff rules (needs services)."""
    objective: ObjectiveConfig = ObjectiveConfig()
    """What the design minimises."""
    solver: SolverConfig = SolverConfig()
    """Which solver and its limits."""
    outputs: OutputsConfig = OutputsConfig()
    """What to write."""
    uncertainty: UncertaintyConfig | None = None
    """How sure the cost parameters are (ranges, distributions, correlation groups, samples)."""
    roadmap: RoadmapConfig | None = None
    """A multi-year plan (needs services): what starts when, staff attrition year by year, machine
    renewals, contract ends, set-up costs in their year; net present cost over the horizon."""
    institutions: InstitutionsConfig | None = None
    """Institutional options: service commun financing (convention or attribution de
    compensation), the CIF effect, the voirie transfer (needs services); ``flows.csv``."""
    robust: RobustConfig | None = None
    """The design that does best over sampled worlds (expected saving, a quantile or CVaR) rather
    than at the sourced values; needs services."""

    @model_validator(mode="after")
    def _mode_rules(self):
        if self.mode == "p-median":
            problems = []
            if self.poles.count.min is None or self.poles.count.min != self.poles.count.max:
                problems.append("poles.count must be one number (p)")
            if self.contiguity not in (None, "none"):
                problems.append("contiguity must be 'none'")
            if self.service_commun is not None:
                problems.append("service_commun is not part of it")
            if self.poles.population.is_set or self.poles.communes.is_set:
                problems.append("pole size bounds are not part of it")
            if self.poles.allow_alone or self.poles.together or self.poles.apart:
                problems.append("allow_alone, together and apart are not part of it")
            if problems:
                raise ValueError("p-median mode is the classic model: " + "; ".join(problems)
                                 + " (use mode: poles for the full model)")
        return self

    @model_validator(mode="after")
    def _pmedian_has_no_travel_limit(self):
        # The classic p-median has no travel limit and the run applies none: show none, so that
        # scenario.resolved.yaml does not claim a limit (the 30-minute default) the run ignored.
        if self.mode == "p-median" and self.poles.max_travel_min is not None:
            object.__setattr__(self, "poles", self.poles.model_copy(update={"max_travel_min": None}))
        return self

    @model_validator(mode="after")
    def _service_keys_need_services(self):
        if self.services is None:
            defaults = {"pooling": PoolingConfig(), "fairness": FairnessConfig(), "budget": BudgetConfig(), "staff": StaffConfig()}
            stray = [k for k, default in defaults.items() if getattr(self, k) != default]
            if self.objective.minimise == "cost":
                stray.append("objective.minimise: cost")
            if self.uncertainty is not None:  # the uncertain parameters are the cost model's
                stray.append("uncertainty")
            if self.roadmap is not None:  # a plan of what pooling starts when
                stray.append("roadmap")
            if self.institutions is not None:  # the money flows are the priced design's
                stray.append("institutions")
            if self.robust is not None:
                stray.append("robust")
            if stray:
                raise ValueError(f"{', '.join(stray)}: only meaningful with a services block "
                                 "(add services: {} to use every default)")
        elif self.mode == "p-median":
            raise ValueError("p-median mode designs poles only; remove the services block or use mode: poles")
        elif self.objective.minimise == "travel":
            raise ValueError("with a services block the design minimises cost; trade travel against it with "
                             "objective.travel_weight_eur or objective.max_travel_total")
        return self

    @property
    def minimises(self) -> str:
        if self.objective.minimise is not None:
            return self.objective.minimise
        return "cost" if self.services is not None else "travel"

    @property
    def contiguity_used(self) -> str:
        if self.contiguity is not None:
            return self.contiguity
        return "none" if self.mode == "p-median" else "exact"
