r"""The numbers the institutional options need, each with where it came from.

* the EPCI's fiscal data for the CIF (legal_instruments.md §7): today's CIF, the tax revenue of
  the whole territory :math:`F_{total}` (€/yr, the CIF's denominator), the dotation
  d'intercommunalité :math:`D` (€/yr) and the CIF cap (``fiscal.cif_cap``: 0.6);
* each commune's attribution de compensation (AC) before any option (€/yr);
* the CLECT's averaging period (``fiscal.clect_evaluation_method``: 3 years);
* the régime indemnitaire uplift *u* (``staff.ri_harmonisation_uplift``, overridable as
  ``staff.ri_harmonisation_uplift`` in the scenario: the one knob of every common employer) and,
  per service, the share of an FTE's régie rate that is pay (grade + team-leader share), the base
  the uplift applies to — the same base as :meth:`optimiser.services.economics.Economics.pooled_staff_eur`.

Values the scenario does not give are defaults labelled ``estimate`` (no source gives them for a
given EPCI) or by their parameter key; :attr:`InstitutionParameters.provenance` lists them, and
``flows.csv``'s report section shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..services.parameters import Sourced, estimate, sourced, value

#: Default CIF when the scenario gives none: the reference's illustration (an estimate; most
#: EPCIs sit between 0.25 and 0.60, AdCF observatory 2019).
DEFAULT_CIF = 0.35


@dataclass(frozen=True)
class InstitutionParameters:
    """Everything :func:`optimiser.institutions.flows.money_flows` needs besides the costs."""

    fiscal_regime: str
    """``fpu`` (fiscalité professionnelle unique: an AC exists) or ``fa``."""
    cif: Sourced
    """Coefficient d'intégration fiscale today (ratio)."""
    territory_tax_eur: Sourced
    """:math:`F_{total}`, tax revenue of communes + EPCI + syndicats, €/yr."""
    dotation_eur: Sourced
    """:math:`D`, the EPCI's dotation d'intercommunalité today, €/yr."""
    cif_cap: Sourced
    """CIF above which the dotation no longer grows (0.6 since the 2019 reform)."""
    ac_eur: dict[str, float]
    """Commune → AC before the options, €/yr (negative: the commune pays the EPCI)."""
    ac_source: dict[str, str]
    """Commune → ``scenario`` or ``estimate`` (where its AC came from)."""
    clect_years: Sourced
    """Years of past accounts the CLECT averages for operating costs."""
    ri_uplift: Sourced
    """Régime indemnitaire uplift of agents who join a common employer (share of loaded pay)."""
    pay_share: dict[str, float] = field(default_factory=dict)
    """Service → (grade + team-leader share of loaded pay) ÷ the FTE's régie rate: the share of
    a régie staff cost the uplift applies to."""

    @property
    def provenance(self) -> list[dict]:
        """One row per number: name, value, unit, source, confidence (estimates say so)."""
        rows = []
        for name, s in (("cif", self.cif), ("territory_tax_eur", self.territory_tax_eur), ("dotation_eur", self.dotation_eur),
                        ("cif_cap", self.cif_cap), ("clect_years", self.clect_years), ("ri_uplift", self.ri_uplift)):
            rows.append({"name": name, "value": round(float(s.value), 6), "unit": s.unit, "source": s.source,
                         "confidence": s.confidence, "note": s.note})
        estimated = sorted(c for c, src in self.ac_source.items() if src == "estimate")
        rows.append({"name": "ac_eur", "value": round(float(sum(self.ac_eur.values())), 2), "unit": "€/yr (all communes)",
                     "source": "estimate" if estimated else "scenario", "confidence": "low" if estimated else "scenario",
                     "note": (f"{len(estimated)} of {len(self.ac_eur)} communes estimated at "
                              f"{value('fiscal.ac_per_hab_estimate'):.0f} €/inhabitant") if estimated else ""})
        return rows


def default_fiscal(population: float) -> dict[str, Sourced]:
    """The EPCI's fiscal data when the scenario gives none (``population`` inhabitants)."""
    per_hab = value("fiscal.territory_tax_per_hab_estimate")
    di_per_hab = value("fiscal.dotation_interco_per_hab", "cc_fpu_2019")
    return {
        "cif": estimate(DEFAULT_CIF, "ratio", "the reference's illustration (legal_instruments.md §7); most EPCIs 0.25-0.60"),
        "territory_tax_eur": Sourced(population * per_hab, "€/yr", "fiscal.territory_tax_per_hab_estimate", "low",
                                     f"{population:,.0f} inhabitants × {per_hab:.0f} €/inhabitant (estimate)"),
        "dotation_eur": Sourced(population * di_per_hab, "€/yr", "fiscal.dotation_interco_per_hab.cc_fpu_2019", "medium",
                                f"{population:,.0f} inhabitants × {di_per_hab} €/inhabitant (mean of CC à FPU, 2019)"),
    }


def institution_parameters(config, population: dict[str, float], catalogue=None, terms=None) -> InstitutionParameters:
    """The parameters of a scenario's ``institutions:`` block (``config``, ``None`` for every
    default), communes' ``population`` (code → inhabitants; the AC estimate and the fiscal
    defaults scale with it), the service ``catalogue`` (pay shares) and pooling ``terms`` (the
    uplift, scenario override included). ``config.attribution_compensation.values`` must already
    be keyed by INSEE code (:func:`optimiser.institutions.scenario.resolve_institutions` does it)."""
    from ..scenario.schema import InstitutionsConfig

    config = config if config is not None else InstitutionsConfig()
    epci = config.epci
    defaults = default_fiscal(sum(population.values()))
    cif = Sourced(float(epci.cif), "ratio", "scenario", "scenario") if epci.cif is not None else defaults["cif"]
    tax = (Sourced(float(epci.territory_tax_revenue_eur), "€/yr", "scenario", "scenario")
           if epci.territory_tax_revenue_eur is not None else defaults["territory_tax_eur"])
    dotation = (Sourced(float(epci.dotation_intercommunalite_eur), "€/yr", "scenario", "scenario")
                if epci.dotation_intercommunalite_eur is not None else defaults["dotation_eur"])
    given = dict(config.attribution_compensation.values)
    ac_per_hab = value("fiscal.ac_per_hab_estimate")
    ac, source = {}, {}
    for code, inhabitants in population.items():
        if code in given:
            ac[code], source[code] = float(given[code]), "scenario"
        else:
            ac[code], source[code] = float(inhabitants) * ac_per_hab, "estimate"
    years = config.voirie_transfer.clect_years
    clect = (Sourced(float(years), "years", "scenario", "scenario") if years is not None
             else sourced("fiscal.clect_evaluation_method", "operating_reference_years", unit="years"))
    uplift = terms.ri_harmonisation_uplift if terms is not None else sourced("staff.ri_harmonisation_uplift", unit="share of loaded pay")
    pay_share = {}
    if catalogue is not None:
        for s in catalogue.services:
            rate = catalogue.staff_eur(s)
            pay_share[s] = float((catalogue.grade_eur(s) + catalogue.supervision_eur(s)) / rate) if rate else 0.0
    return InstitutionParameters(
        fiscal_regime=epci.fiscal_regime, cif=cif, territory_tax_eur=tax, dotation_eur=dotation,
        cif_cap=sourced("fiscal.cif_cap", unit="ratio"), ac_eur=ac, ac_source=source, clect_years=clect, ri_uplift=uplift,
        pay_share=pay_share,
    )
