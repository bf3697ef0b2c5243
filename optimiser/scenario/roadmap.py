"""The ``roadmap:`` block: a multi-year plan of what starts when (schema part).

Years are calendar years; the horizon is ``start_year … start_year + horizon_years − 1``. A
*phase* of the plan is one pole service (a pole, or the service commun, starting one pooled or
lending service with all its users) or one commune reorganising one service alone. Rules and the
fixed sequence name phases with a :class:`PhaseMatch`. Every year a rule names must lie inside
the horizon (checked with the territory, each with its key path: :meth:`RoadmapConfig.horizon_problems`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from .attribute_docs import DocumentedModel
from .ranges import Range
from .service_keys import ServiceKey

Year = Annotated[int, Range(1900, 2200)]
"""A calendar year."""
Target = Literal["service_commun", "poles", "pilot", "alone", "any"]
"""Which phases a rule names: the service commun's, the proximity poles', the pilot pole's,
communes reorganising alone, or any."""


class _Strict(DocumentedModel):  # fields described by their docstrings, as use_attribute_docstrings would (faster)
    model_config = ConfigDict(extra="forbid", frozen=True)


class PhaseMatch(_Strict):
    target: Target = "any"
    """Which phases: service_commun, poles (proximity poles, the pilot included), pilot, alone, any."""
    pole: Annotated[str | int, Field()] | None = None
    """Only the pole holding this commune (name or INSEE code)."""
    services: list[ServiceKey] | None = None
    """Only these services (default: all)."""
    mode: Literal["regie", "delegation", "lending"] | None = None
    """Only pole services run in this mode (delegation: the groupements de commandes)."""


class TimingRule(PhaseMatch):
    earliest: Year | None = None
    """The phases named start in this year or later."""
    latest: Year | None = None
    """The phases named start in this year or earlier (they must start)."""

    @model_validator(mode="after")
    def _ordered(self):
        if self.earliest is None and self.latest is None:
            raise ValueError("a rule needs earliest, latest or both")
        if self.earliest is not None and self.latest is not None and self.earliest > self.latest:
            raise ValueError(f"earliest ({self.earliest}) is after latest ({self.latest})")
        return self


class SequenceStep(PhaseMatch):
    year: Year
    """The phases named start in exactly this year (a step of the planner's own échéancier)."""


class PilotConfig(_Strict):
    communes: list[Annotated[str | int, Field()]] = Field(min_length=2, max_length=50)
    """Volunteer communes forming the pilot pole (they are kept in one pole)."""
    year: Year | None = None
    """Year the pilot starts (default: the first year). Other proximity poles start later."""


class JoinStep(_Strict):
    year: Year
    """Year these communes enter the perimeter (before it, they are outside the plan)."""
    communes: list[Annotated[str | int, Field()]] = Field(min_length=1, max_length=10_000)
    """The communes joining (name or INSEE code)."""


class VoirieTransfer(_Strict):
    year: Year
    """Year the voirie competence goes to the EPCI: every voirie phase has started by then."""
    communes: Literal["all"] | list[Annotated[str | int, Field()]] = "all"
    """Who transfers: a competence goes to the EPCI for every commune at once (CGCT L5211-17), so
    only all (or a list naming every commune) is accepted."""


class RoadmapConfig(_Strict):
    """A multi-year plan: the steady-state design is solved first, then the year each of its phases
    starts, minimising the net present cost over the horizon."""

    start_year: Year = 2016
    """First year of the plan."""
    horizon_years: Annotated[int, Range(1, 30)] = 6
    """Years in the plan (6: one municipal mandate)."""
    discount_rate: Annotated[float, Range(0, 0.2)] | None = None
    """Real discount rate per year (default econ.discount_rate_socioeconomic: 3.2 %, France Stratégie 2021)."""
    order: Literal["optimise", "fixed"] = "optimise"
    """optimise: the optimiser chooses what starts when; fixed: the sequence gives every phase its
    year (phases it does not name never start)."""
    sequence: list[SequenceStep] = Field([], max_length=1000)
    """The planner's échéancier: each step fixes the start year of the phases it names."""
    rules: list[TimingRule] = Field([], max_length=1000)
    """Earliest / latest start years of the phases each rule names."""
    pilot: PilotConfig | None = None
    """A pilot pole of named volunteer communes, started first."""
    max_changes_per_year: Annotated[int, Range(1, 10_000)] | None = None
    """At most this many phases start in one year (organisational changes)."""
    setup_budget_eur_per_year: Annotated[float, Range(0, 1e9)] | None = None
    """One-off set-up costs of the phases starting in one year must not exceed this, €."""
    joins: list[JoinStep] = Field([], max_length=100)
    """Communes entering the perimeter in a given year (e.g. the 2019 extension of Laval Agglomération)."""
    voirie_transfer: VoirieTransfer | None = None
    """Transfer of the voirie competence to the EPCI in a given year (study horizon 2017–2020)."""
    resale_share: Annotated[float, Range(0, 1)] | None = None
    """Share of its straight-line book value a surplus machine sells for (default
    equipment.resale_share_of_book_value)."""
    time_limit_s: Annotated[float, Range(0, 86_400, above=True)] = 60.0
    """Time limit of the timing MILP, seconds (the steady-state solve has solver.time_limit_s)."""

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.start_year + self.horizon_years))

    @model_validator(mode="after")
    def _fixed_needs_a_sequence(self):
        if self.order == "fixed" and not self.sequence:
            raise ValueError("order: fixed needs a sequence (the échéancier's steps)")
        return self

    @model_validator(mode="after")
    def _each_commune_joins_once(self):
        seen: dict[str, int] = {}
        for step in self.joins:
            for commune in step.communes:
                key = str(commune).strip().casefold()
                if key in seen and seen[key] != step.year:
                    raise ValueError(f"{commune} joins twice (in {seen[key]} and in {step.year}); a commune enters "
                                     "the perimeter once")
                seen[key] = step.year
        return self

    def horizon_problems(self) -> list[tuple[str, str]]:
        """(key path under ``roadmap``, message) for every year named outside the horizon; checked
        with the territory (:func:`optimiser.roadmap.steady_state_scenario`), not by the schema,
        since it depends on two keys."""
        last = self.start_year + self.horizon_years - 1
        problems = []

        def check(where: str, year):
            if year is not None and not self.start_year <= year <= last:
                problems.append((where, f"{year} is outside the horizon {self.start_year}–{last} "
                                        f"(start_year {self.start_year}, horizon_years {self.horizon_years})"))

        for k, rule in enumerate(self.rules):
            check(f"rules[{k}].earliest", rule.earliest)
            check(f"rules[{k}].latest", rule.latest)
        for k, step in enumerate(self.sequence):
            check(f"sequence[{k}].year", step.year)
        for k, step in enumerate(self.joins):
            check(f"joins[{k}].year", step.year)
        if self.pilot is not None:
            check("pilot.year", self.pilot.year)
        if self.voirie_transfer is not None:
            check("voirie_transfer.year", self.voirie_transfer.year)
        return problems
