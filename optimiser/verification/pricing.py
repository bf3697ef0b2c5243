r"""The verifier's own prices of a pole service, written from the README's cost rules (it shares
the sourced parameters with the engine, never its cost code).

A pole seated at *j* runs service *s* for poolers *S* and lends machines to borrowers *B*, in
régie, in délégation, or lending only (€/yr; :math:`w_i` workload, :math:`t_i`, :math:`d_i`
minutes and km from *i* to the seat, 0 for the seat and the EPCI; :math:`\pi` productivity,
:math:`h` hours a day, :math:`D` productive days):

======================  =====================================================================
category                rule
======================  =====================================================================
staff                   régie: FTE × the régie rate of an FTE (:mod:`.rates`), FTE = max(Σ_S w_i/π
                        (1 + 2t_i/60h), specialist minimum, retained staff)
supplies                régie: Σ_S w_i × supplies rate
régime indemnitaire     régie: FTE × uplift × (grade + team-leader share of loaded pay)
vehicle                 régie: Σ_S w_i/π · D · 2 d_i · €/km
equipment               per machine type q: max(⌈D_q / K_q⌉, ⌈σ_q D_q / P_q⌉) units × a machine-year
                        (:mod:`.rates`), D_q = Σ w_i n_q over S ∪ B in régie, B otherwise; σ_q the
                        share of the days in the peak month, P_q its working days
transfer                Σ w_i n_q · 2 d_i / v_q · €/h over the same members
contract                délégation: (1 − joint saving) · price · net rate · Σ_S w_i
lots                    délégation: max(1, ⌈contract / largest lot⌉) × lot cost
redeployed staff        délégation: retained staff × the régie rate
coordination            with members: coordination + set-up per pole / horizon; per member
                        (S ∪ B): fee + set-up per member / horizon
======================  =====================================================================

Retained staff is the average over the horizon of the share of today's agents not yet gone
(mean of max(0, 1 − α (t − 1)), t = 1..H) × the poolers' régie FTE when the scenario asks for
no reduction beyond attrition, else 0. A borrower pays its fee and set-up, its machine-days at
the day rate of a fully used unit, and its transfers.

**Adding a cost category**: write its rule as a function of :class:`PoleService` and add a
:class:`CostCategory` (its ``services.csv`` column) to :data:`COST_CATEGORIES`; the total, the
services.csv check, régie-or-délégation and the coalition costs all follow.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from ..services.economics import EPCI
from .rates import (
    alone,
    contract_rate,
    day_rate,
    fte_rate,
    machine_year,
    retained,
    ri_rate,
    status_quo,
    supplies_rate,
    units_needed,
)


@dataclass
class PoleService:
    """One pole service to price. ``mode``: ``"regie"``, ``"delegation"`` or ``None`` (lending only)."""

    si: object  # the prepared service inputs: catalogue, terms, inventory
    travel: object  # .minutes(i, seat), .km(i, seat)
    seat: str
    service: str
    poolers: tuple[str, ...]
    borrowers: tuple[str, ...]
    mode: str | None

    @property
    def spec(self):
        return self.si.catalogue.services[self.service]

    @property
    def terms(self):
        return self.si.terms

    @property
    def rate(self) -> float:
        return fte_rate(self.si.catalogue, self.service)

    def workload(self, i: str) -> float:
        return self.si.inventory.services[(i, self.service)].workload

    def minutes(self, i: str) -> float:
        return 0.0 if i in (self.seat, EPCI) else self.travel.minutes(i, self.seat)

    def km(self, i: str) -> float:
        return 0.0 if i in (self.seat, EPCI) else self.travel.km(i, self.seat)

    @property
    def regie(self) -> bool:
        return bool(self.poolers) and self.mode == "regie"

    @property
    def delegation(self) -> bool:
        return bool(self.poolers) and self.mode == "delegation"

    @cached_property
    def retained_fte(self) -> float:
        return sum(retained(self.si, i, self.service) for i in self.poolers)

    @cached_property
    def work_fte(self) -> float:
        hours = self.si.catalogue.hours_per_day.value
        return sum(self.workload(i) / self.spec.productivity.value * (1 + 2 * self.minutes(i) / (60 * hours)) for i in self.poolers)

    @cached_property
    def fte(self) -> float:
        return max(self.work_fte, self.spec.specialist_min_fte.value, self.retained_fte) if self.regie else 0.0

    @cached_property
    def contract_value(self) -> float:
        if not self.delegation:
            return 0.0
        return (sum(self.workload(i) * self.spec.delegated_price.value for i in self.poolers)
                * contract_rate(self.si.catalogue, self.service) * (1 - self.terms.joint_saving.value))

    @cached_property
    def lots(self) -> int:
        return max(1, math.ceil(self.contract_value / self.terms.max_lot_eur.value - 1e-9)) if self.delegation else 0

    @property
    def machine_users(self) -> tuple[str, ...]:
        return tuple(self.poolers) + tuple(self.borrowers) if self.regie else tuple(self.borrowers)

    @cached_property
    def machine_days(self) -> dict[str, float]:
        return {q: sum(self.workload(i) * per.value for i in self.machine_users) for q, per in self.spec.equipment_days.items()}

    @cached_property
    def units(self) -> dict[str, int]:
        return {q: units_needed(self.si.catalogue, q, days) for q, days in self.machine_days.items()}

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(self.poolers) + tuple(self.borrowers)

    @cached_property
    def costs(self) -> dict[str, float]:
        """Category column → €/yr (:data:`COST_CATEGORIES`)."""
        return {c.column: c.price(self) for c in COST_CATEGORIES}

    @property
    def total(self) -> float:
        return sum(self.costs.values())

    @cached_property
    def borrower_payments(self) -> float:
        """What the borrowers pay a pole with poolers (a lending-only bank is shared instead)."""
        return sum(borrower_pays(self, i) for i in self.borrowers) if self.poolers else 0.0

    @property
    def poolers_pay(self) -> float:
        """What the poolers share: the total less the borrowers' payments (0 when lending only)."""
        return self.total - self.borrower_payments if self.poolers else 0.0


def staff(p: PoleService) -> float:
    return p.fte * p.rate


def supplies(p: PoleService) -> float:
    return sum(p.workload(i) for i in p.poolers) * supplies_rate(p.si.catalogue, p.service) if p.regie else 0.0


def ri_harmonisation(p: PoleService) -> float:
    return p.fte * ri_rate(p.si.catalogue, p.terms, p.service)


def vehicle(p: PoleService) -> float:
    if not p.regie:
        return 0.0
    days = p.si.catalogue.productive_days.value
    return sum(p.workload(i) / p.spec.productivity.value * days * 2 * p.km(i) * p.terms.vehicle_eur_per_km.value for i in p.poolers)


def equipment(p: PoleService) -> float:
    cat = p.si.catalogue
    return sum(n * machine_year(cat, q) for q, n in p.units.items())


def transfer(p: PoleService) -> float:
    cat = p.si.catalogue
    return sum(p.workload(i) * per.value * 2 * p.km(i) / cat.equipment[q].transfer_speed_kmh.value
               * cat.equipment[q].transfer_eur_per_h.value
               for q, per in p.spec.equipment_days.items() for i in p.machine_users)


def contract(p: PoleService) -> float:
    return p.contract_value


def lots(p: PoleService) -> float:
    return p.lots * p.terms.lot_cost_eur.value


def redeployed(p: PoleService) -> float:
    return p.retained_fte * p.rate if p.delegation else 0.0


def coordination(p: PoleService) -> float:
    t = p.terms
    if not p.members:
        return 0.0
    member = t.member_fee_eur.value + t.setup_member_eur.value / t.horizon_years.value
    return t.coordination_eur.value + t.setup_pole_eur.value / t.horizon_years.value + member * len(p.members)


@dataclass(frozen=True)
class CostCategory:
    column: str  # its column in services.csv (€/yr)
    price: Callable[[PoleService], float]


#: Every cost category of a pole service, in services.csv's order; the total is their sum.
COST_CATEGORIES = (
    CostCategory("staff_eur", staff),
    CostCategory("supplies_eur", supplies),
    CostCategory("vehicle_eur", vehicle),
    CostCategory("equipment_eur", equipment),
    CostCategory("transfer_eur", transfer),
    CostCategory("contract_eur", contract),
    CostCategory("lots_eur", lots),
    CostCategory("redeployed_staff_eur", redeployed),
    CostCategory("coordination_eur", coordination),
    CostCategory("ri_harmonisation_eur", ri_harmonisation),
)


def borrower_pays(p: PoleService, i: str) -> float:
    """What borrower *i* pays the pole for the machines of its service (€/yr): fee and set-up
    share, its machine-days at the full-use day rate, and their transfers."""
    cat, t = p.si.catalogue, p.terms
    pay = t.member_fee_eur.value + t.setup_member_eur.value / t.horizon_years.value
    for q, per in p.spec.equipment_days.items():
        e = cat.equipment[q]
        pay += p.workload(i) * per.value * (day_rate(cat, q) + 2 * p.km(i) / e.transfer_speed_kmh.value * e.transfer_eur_per_h.value)
    return pay


def standalone(si, member: str, service: str) -> tuple[float, float, float]:
    """(total, own machines, staff + supplies + contract) of a member alone — reorganised alone,
    the cheapest of its own options (:func:`.rates.alone`): what pooling is judged against."""
    a = alone(si, member, service)
    return a["total"], a["machines"], a["staff"] + a["supplies"] + a["contract"]


def as_is(si, member: str, service: str) -> dict:
    """Today's organisation priced (:func:`.rates.status_quo`)."""
    return status_quo(si, member, service)
