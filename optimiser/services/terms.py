"""Pooling terms: joint purchasing, coordination, set-up, travel — with their sources.

All money in €/yr unless said otherwise; one-off set-up costs are spread evenly over
``horizon_years``. A person-day is valued at the loaded cost of a technicien ÷ productive days.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from .parameters import Sourced, derived, estimate, sourced, value


@dataclass(frozen=True)
class PoolingTerms:
    joint_saving: Sourced
    """Share saved on the delegated volume a pole buys together (groupement de commandes)."""
    max_lot_eur: Sourced
    """Largest lot value (€/yr) so local firms can bid; more volume means more lots."""
    lot_cost_eur: Sourced
    """Yearly cost of running one procurement lot (€/yr)."""
    coordination_eur: Sourced
    """Coordination of one pooled service in one pole (€/yr)."""
    member_fee_eur: Sourced
    """Follow-up of one member in one pooled service: billing, convention (€/yr)."""
    setup_pole_eur: Sourced
    """One-off cost of setting up one convention (pole × service), €."""
    setup_member_eur: Sourced
    """One-off cost per member joining a convention (deliberation, fiche d'impact), €."""
    horizon_years: Sourced
    """Years over which set-up costs are spread."""
    vehicle_eur_per_km: Sourced
    """Full cost of a service vehicle per km (€/km)."""
    attrition_per_year: Sourced
    """Yearly share of staff leaving naturally (retirements, mobility)."""
    ri_harmonisation_uplift: Sourced = Sourced(0.0, "share of loaded pay", "estimate", "low", "none")
    """Rise of the pay bill of agents who join a common employer (régime indemnitaire aligned
    upwards), as a share of their grade's loaded cost."""

    # Computed once per instance (cached_property writes the instance's __dict__, which a frozen
    # dataclass allows): the pricing asks for them per member and service, 80,000 times in the
    # core check's reference comparison of Laval 2016 — each a NumPy mean and a sum over years.
    @cached_property
    def years(self) -> int:
        """Whole years of the horizon (at least 1), for year-by-year trajectories."""
        return max(1, int(round(float(np.mean(self.horizon_years.value)))))

    def employed_share(self, year: int) -> float:
        """Share of today's agents still employed in ``year`` (1 = the first year) when nobody
        is replaced: posts are freed at the end of each year, ``max(0, 1 − α (year − 1))``."""
        share = np.maximum(0.0, 1.0 - self.attrition_per_year.value * (year - 1))  # an array per sampled world under uncertainty
        return share if np.ndim(share) else float(share)

    @cached_property
    def retained_share(self) -> float:
        r"""Average share of today's agents still employed over the horizon of *H* years,
        :math:`\frac{1}{H}\sum_{t=1}^{H} \max(0, 1 - \alpha (t-1))` (= 1 − α (H − 1)/2 while
        αH ≤ 1): the yearly figure of a staff saving that only attrition realises — posts are freed
        year by year, not all in the first year."""
        return sum(self.employed_share(t) for t in range(1, self.years + 1)) / self.years

    @property
    def setup_pole_yearly(self) -> float:
        return self.setup_pole_eur.value / self.horizon_years.value

    @property
    def setup_member_yearly(self) -> float:
        return self.setup_member_eur.value / self.horizon_years.value


def default_terms() -> PoolingTerms:
    day = value("loaded_cost_technicien") / value("meta.productive_days_per_fte")
    setup_days = value("pooling.setup_person_days_per_convention")
    return PoolingTerms(
        joint_saving=sourced("pooling.joint_purchasing_saving_pct", unit="share"),
        max_lot_eur=estimate(200_000.0, "€/yr", "lot ceiling so that local firms can bid (study: preserve the local economic fabric); no source"),
        lot_cost_eur=derived(setup_days * day / 4.0, "€/yr", ["pooling.setup_person_days_per_convention", "loaded_cost_technicien"],
                             "10 person-days per procedure × 230 €/day (technicien) ÷ a 4-year contract"),
        coordination_eur=derived(value("pooling.coordinator_fte_per_pole") * value("loaded_cost_technicien") / 6.0, "€/yr",
                                 ["pooling.coordinator_fte_per_pole", "loaded_cost_technicien"],
                                 "0.5 FTE technicien per pole (46,000 €) shared by the 6 services of the catalogue"),
        member_fee_eur=estimate(day, "€/yr", "one person-day a year per member and service (billing, convention follow-up)"),
        setup_pole_eur=derived(setup_days * day, "€", ["pooling.setup_person_days_per_convention", "loaded_cost_technicien"],
                               "10 person-days × 230 €/day"),
        setup_member_eur=estimate(2 * day, "€", "two person-days per member (deliberation, fiche d'impact) at 230 €/day"),
        horizon_years=estimate(6.0, "years", "one municipal mandate"),
        vehicle_eur_per_km=sourced("travel.service_vehicle_eur_per_km", unit="€/km"),
        attrition_per_year=estimate(0.03, "share/yr", "retirements and mobility in a territorial workforce; no source"),
        ri_harmonisation_uplift=sourced("staff.ri_harmonisation_uplift", unit="share of loaded pay"),
    )
