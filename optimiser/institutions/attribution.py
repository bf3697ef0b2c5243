r"""Financing a service commun: by convention, or by imputation on the attribution de compensation.

A service commun (CGCT L5211-4-2) is run by the EPCI for itself and some of its communes. Its
members pay their share (€/yr, the design's fair share of the pooled cost) in one of two ways:

* **convention** — each member pays the EPCI its share, a budget flow (as every pole does);
* **attribution de compensation** (AC) — for an EPCI under fiscalité professionnelle unique
  (CGI art. 1609 nonies C) the share "peut également être pris[e] en compte par imputation sur
  l'attribution de compensation": the AC the EPCI pays the commune falls by the share,
  :math:`AC^{after}_i = AC^{before}_i - \text{share}_i`; the commune pays nothing else.

The money is the same; the **CIF** is not (legal_instruments.md §7). The CIF is
:math:`(\text{EPCI tax} - \text{transfers}) / F_{total}`, the AC being a transfer, so cutting the
AC by :math:`C = \sum_i \text{share}_i` raises it, to first order, by

.. math:: \Delta CIF = C / F_{total}

and the dotation d'intercommunalité, whose base and péréquation parts are both proportional to
the CIF (capped at :math:`\bar c` = 0.6), by

.. math:: \Delta D = D \cdot \frac{\min(CIF + \Delta CIF, \bar c) - \min(CIF, \bar c)}{CIF}

(= :math:`D\,\Delta CIF / CIF` below the cap, the reference's formula). This is an **upper
bound**: the national envelope is fixed, other EPCIs' CIFs move too, and the 95 % guarantee and
the normalisation are ignored. Because the DGF is computed on past accounts, an AC change shows
in the CIF of year N+2. A transfer of competence cuts the AC through the CLECT and has the same
effect (:mod:`.transfer`); a convention, a mise à disposition or a groupement leaves the AC, so
the CIF, unchanged.

Legal conditions checked (:func:`imputation_problems`): the scenario has a service commun (it is
the EPCI's: the EPCI is a member by construction); the EPCI is under FPU (only then is there an
AC); the communes concerned agree (``institutions.ac_agreed_by``; a member that does not pays by
convention — the AC is revised by concordant deliberations of the EPCI council and of each
commune concerned, CGI 1609 nonies C V 1° bis, *recalled, not verified in this session*).
"""

from __future__ import annotations

from dataclasses import dataclass

CONVENTION = "convention"
ATTRIBUTION = "attribution_compensation"


@dataclass(frozen=True)
class CifEffect:
    """The first-order effect of cutting the AC by ``ac_cut_eur`` (€/yr)."""

    ac_cut_eur: float
    """Total AC reduction (imputations + CLECT charges), €/yr."""
    cif_before: float
    cif_after: float
    dotation_before_eur: float
    dotation_gain_eur: float
    """:math:`\\Delta D`, €/yr from year N+2: an upper bound."""

    @property
    def delta_cif(self) -> float:
        return self.cif_after - self.cif_before


def cif_effect(ac_cut_eur: float, cif: float, territory_tax_eur: float, dotation_eur: float, cif_cap: float = 0.6) -> CifEffect:
    r"""ΔCIF = C / F_total and ΔD = D (min(CIF + ΔCIF, cap) − min(CIF, cap)) / CIF (module docstring).

    ``ac_cut_eur`` C (€/yr, negative when the AC rises), ``cif`` today's CIF, ``territory_tax_eur``
    F_total (€/yr; 0 — an uninhabited territory — moves nothing), ``dotation_eur`` D (€/yr). Worked example of the reference: C = 300 k€,
    F_total = 10 M€, CIF = 0.35, D = 400 k€ → ΔCIF = 0.03, ΔD ≈ 34.3 k€.
    """
    if territory_tax_eur <= 0:  # an uninhabited territory's estimate: no tax base, no CIF to move
        return CifEffect(ac_cut_eur=ac_cut_eur, cif_before=cif, cif_after=cif, dotation_before_eur=dotation_eur,
                         dotation_gain_eur=0.0)
    delta = ac_cut_eur / territory_tax_eur
    after = cif + delta
    if cif > 0:
        gain = dotation_eur * (min(after, cif_cap) - min(cif, cif_cap)) / cif
    else:  # no integration today: the dotation is not proportional to a zero CIF; count nothing
        gain = 0.0
    return CifEffect(ac_cut_eur=ac_cut_eur, cif_before=cif, cif_after=after, dotation_before_eur=dotation_eur,
                     dotation_gain_eur=gain)


def imputation_problems(financing: str, has_service_commun: bool, fiscal_regime: str) -> list[tuple[str, str]]:
    """The legal conditions of an AC imputation that a scenario breaks: ``(key path, message)``
    pairs, empty when financing by convention or when every condition holds."""
    if financing != ATTRIBUTION:
        return []
    problems = []
    if not has_service_commun:
        problems.append(("institutions.service_commun_financing",
                         "an imputation on the attribution de compensation finances the EPCI's service commun "
                         "(CGCT L5211-4-2), and this scenario has none: add a service_commun block or use convention"))
    if fiscal_regime != "fpu":
        problems.append(("institutions.service_commun_financing",
                         "only an EPCI under fiscalité professionnelle unique (CGI art. 1609 nonies C) pays an attribution "
                         "de compensation to impute on; with institutions.epci.fiscal_regime: fa use convention"))
    return problems


def financing_of(member: str, financing: str, agreed: set[str] | None) -> str:
    """How ``member`` pays its service-commun share: ``attribution_compensation`` when the
    scenario asks it and the member agreed (``agreed`` None: all agreed), else ``convention``."""
    if financing == ATTRIBUTION and (agreed is None or member in agreed):
        return ATTRIBUTION
    return CONVENTION
