r"""The cost of a pooled service: one formula, used by the MILP, the analysis and the checks.

For a pole seated at *j*, a service *s*, members pooling it :math:`S` and members only borrowing
its machines :math:`B` (€/yr; :math:`w_i` workload, :math:`t_{ij}` minutes and :math:`d_{ij}` km
from the seat, :math:`h` working hours a day, :math:`D` productive days per FTE):

**Régie**

* staff :math:`\text{FTE} = \max\big(F^{spec},\ \sum_{i\in S} \frac{w_i}{\pi}\,(1 + \frac{2 t_{ij}}{60 h}),\
  \rho\sum_{i\in S} \text{FTE}^0_i\big)` at the full régie rate of an FTE (grade +
  supervision + crew vehicles, × the depot/overhead share: :meth:`Catalogue.staff_eur`) — a crew
  loses the round trip from the seat each day it works away; :math:`\rho` is the share of today's
  agents still employed on average over the horizon (:attr:`PoolingTerms.retained_share`) when
  "no staff reduction beyond attrition" is asked, else the last term is absent;
* régime indemnitaire harmonisation: :math:`\text{FTE} \cdot u \cdot` (grade + team-leader share
  of loaded pay), *u* the uplift of agents who join a common employer (``staff.ri_harmonisation_uplift``);
* supplies :math:`\sum_{i\in S} w_i\, m_s` (:math:`m_s` € per unit of workload, VAT borne);
* crew vehicles :math:`\sum_{i\in S} \frac{w_i}{\pi} D \cdot 2 d_{ij} \cdot c_{km}`;
* machines, per type *q*: :math:`U_q = \lceil \sum_{i\in S\cup B} w_i n_q / K_q \rceil` units at
  their yearly cost, and :math:`\sum_{i \in S\cup B} w_i n_q \cdot 2 d_{ij} / v_q \cdot c_q` to
  move them (:math:`n_q` days per unit of work, :math:`K_q` capacity days — the effective
  capacity :math:`\min(K_q, P_q/\sigma_q)` where a share :math:`\sigma_q` of the days falls in a
  peak period of :math:`P_q` working days: machines are sized for their season's peak);

**Délégation**

* contract :math:`(1-\sigma)\,p\,\tau_s \sum_{i\in S} w_i` (σ: joint-purchasing saving; τ: net
  € per € HT, (1 + VAT) × (1 − FCTVA rate × eligible share)), in
  :math:`L = \max(1, \lceil \text{contract} / \bar{L} \rceil)` lots of at most :math:`\bar L`,
  each costing the lot cost; staff that cannot be shed (attrition rule) is still paid.

**Both**: coordination per (pole, service) and a fee per member (poolers and borrowers), and
set-up costs (per convention and per member) spread over the horizon.

Borrowers pay an internal price fixed in advance — machine-days at the day rate of a fully used
unit plus their transfers, fee and set-up (the "coût unitaire × unités" rule of CGCT D5211-16);
poolers share the rest. A pole that only lends (no pooler) shares its whole cost among its
borrowers by workload.

Every amount is on the catalogue's basis: net of the FCTVA (TTC for purchases) by default, HT
with ``catalogue.with_basis("ht")`` (:meth:`Economics.with_basis`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..territory.roads import TravelMatrix
from .catalogue import Catalogue
from .inventory import Inventory
from .standalone import StandaloneCost
from .terms import PoolingTerms

#: Pseudo-member code of the EPCI itself (its own workload, in the service commun).
EPCI = "EPCI"


@dataclass(frozen=True)
class Economics:
    """Everything needed to price a pooled service."""

    catalogue: Catalogue
    terms: PoolingTerms
    inventory: Inventory
    standalone: dict[tuple[str, str], StandaloneCost]
    """What each member pays alone: the reorganised-alone counterfactual (:mod:`.alone`)."""
    matrix: TravelMatrix
    attrition_rule: bool = False
    status_quo: dict[tuple[str, str], StandaloneCost] | None = None
    """Today's organisation priced (every member alone, as inventoried); ``standalone`` when not given."""
    index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "index", self.matrix.index())
        if self.status_quo is None:
            object.__setattr__(self, "status_quo", self.standalone)

    # --- geography ---------------------------------------------------------------------------
    def minutes(self, i: str, j: str) -> float:
        if i == j or i == EPCI:
            return 0.0
        return float(self.matrix.time_min[self.index[i], self.index[j]])

    def km(self, i: str, j: str) -> float:
        if i == j or i == EPCI:
            return 0.0
        return float(self.matrix.km[self.index[i], self.index[j]])

    # --- per-member coefficients (€/yr, linear in membership) -----------------------------
    def workload(self, i: str, s: str) -> float:
        return self.inventory.services[(i, s)].workload

    def retained_fte(self, i: str, s: str) -> float:
        """FTE that must stay employed under the attrition rule (0 without the rule)."""
        from .alone import retained_fte

        return retained_fte(self.inventory, self.terms, self.attrition_rule, i, s)

    def regie_fte(self, i: str, j: str, s: str) -> float:
        spec = self.catalogue.services[s]
        overhead = 2.0 * self.minutes(i, j) / (60.0 * self.catalogue.hours_per_day.value)
        return self.workload(i, s) / spec.productivity.value * (1.0 + overhead)

    def vehicle_eur(self, i: str, j: str, s: str) -> float:
        spec = self.catalogue.services[s]
        crew_days = self.workload(i, s) / spec.productivity.value * self.catalogue.productive_days.value
        return crew_days * 2.0 * self.km(i, j) * self.terms.vehicle_eur_per_km.value

    def machine_days(self, i: str, s: str, q: str) -> float:
        return self.workload(i, s) * self.catalogue.services[s].equipment_days[q].value

    def transfer_eur(self, i: str, j: str, s: str) -> float:
        total = 0.0
        for q in self.catalogue.services[s].equipment_days:
            e = self.catalogue.equipment[q]
            total += self.machine_days(i, s, q) * 2.0 * self.km(i, j) / e.transfer_speed_kmh.value * e.transfer_eur_per_h.value
        return total

    def contract_eur(self, i: str, s: str) -> float:
        """Delegated price of *i*'s workload bought by a pole (joint-purchasing saving applied)."""
        return self.workload(i, s) * self.catalogue.delegated_eur(s) * (1.0 - self.terms.joint_saving.value)

    def supplies_eur(self, i: str, s: str) -> float:
        """Régie supplies and materials for *i*'s workload (€/yr)."""
        return self.workload(i, s) * self.catalogue.supplies_eur(s)

    def with_basis(self, basis: str) -> Economics:
        """The same economics priced ``net`` or ``ht`` (status quo re-priced on that basis)."""
        from .alone import reorganised_alone
        from .standalone import standalone_costs

        catalogue = self.catalogue.with_basis(basis)
        today = standalone_costs(self.inventory, catalogue)
        options = {k: c.option for k, c in self.standalone.items()}  # the same choices, re-priced
        alone = reorganised_alone(self.inventory, catalogue, self.terms, self.attrition_rule, today, options)
        return Economics(catalogue, self.terms, self.inventory, alone, self.matrix, self.attrition_rule, today)

    def pooled_staff_eur(self, s: str) -> float:
        """€/yr of one FTE of a pooled service run in régie: the régie rate plus the régime
        indemnitaire harmonisation of agents who join a common employer (uplift × the loaded pay
        of the agent and its share of team leader)."""
        pay = self.catalogue.grade_eur(s) + self.catalogue.supervision_eur(s)
        return self.catalogue.staff_eur(s) + self.terms.ri_harmonisation_uplift.value * pay

    def member_eur(self) -> float:
        """Fee and yearly set-up share of one member in one pooled service."""
        return self.terms.member_fee_eur.value + self.terms.setup_member_yearly

    def pole_fixed_eur(self) -> float:
        """Coordination and yearly set-up share of one (pole, service) convention."""
        return self.terms.coordination_eur.value + self.terms.setup_pole_yearly

    def borrower_payment(self, i: str, j: str, s: str) -> float:
        """Internal price a borrower pays: machine-days at the full-use day rate, transfers,
        fee and set-up share."""
        machines = sum(self.machine_days(i, s, q) * self.catalogue.equipment[q].day_rate_eur
                       for q in self.catalogue.services[s].equipment_days)
        return machines + self.transfer_eur(i, j, s) + self.member_eur()

    def standalone_equipment(self, i: str, s: str) -> float:
        return self.standalone[(i, s)].equipment_eur


@dataclass(frozen=True)
class PoleServiceCost:
    """Breakdown of one pole's cost for one service (€/yr) and its sizing."""

    seat: str
    service: str
    mode: str | None
    poolers: tuple[str, ...]
    borrowers: tuple[str, ...]
    workload: float
    fte: float
    staff_eur: float
    supplies_eur: float
    vehicle_eur: float
    units: dict[str, int]
    machine_days: dict[str, float]
    equipment_eur: float
    transfer_eur: float
    contract_eur: float
    lots: int
    lots_eur: float
    redeployed_eur: float
    coordination_eur: float
    borrower_payments_eur: float
    ri_eur: float = 0.0
    """Régime indemnitaire harmonisation of the pooled régie team (€/yr)."""

    @property
    def users(self) -> tuple[str, ...]:
        return self.poolers + self.borrowers

    @property
    def pooling(self) -> bool:
        """Shared by at least two members: a pole service with one member is that member alone."""
        return len(self.users) >= 2

    @property
    def total_eur(self) -> float:
        return (self.staff_eur + self.supplies_eur + self.vehicle_eur + self.equipment_eur + self.transfer_eur + self.contract_eur
                + self.lots_eur + self.redeployed_eur + self.coordination_eur + self.ri_eur)

    @property
    def poolers_eur(self) -> float:
        """What the poolers share: the total less what borrowers pay (all of it when none pool)."""
        return self.total_eur - self.borrower_payments_eur if self.poolers else 0.0


def pole_service_cost(econ: Economics, seat: str, s: str, poolers, borrowers, mode: str | None) -> PoleServiceCost:
    """Price one pole's service (see module docstring). ``mode`` is ``regie`` or ``delegation``
    when there are poolers, ``None`` for a lending-only machine bank."""
    poolers, borrowers = tuple(poolers), tuple(borrowers)
    spec = econ.catalogue.services[s]
    staff_rate = econ.catalogue.staff_eur(s)
    workload = sum(econ.workload(i, s) for i in poolers)
    fte = staff = supplies = vehicle = contract = redeployed = ri = 0.0
    lots = 0
    users = poolers + borrowers
    retained = sum(econ.retained_fte(i, s) for i in poolers)
    if poolers and mode in ("regie", "delegation") and mode not in spec.modes:
        raise ValueError(f"{s} cannot run in {mode} (allowed: {', '.join(spec.modes)})")
    if poolers and mode == "regie":
        # np.maximum, not max: under uncertainty the terms are arrays of sampled worlds
        fte = np.maximum(np.maximum(spec.specialist_min_fte.value, sum(econ.regie_fte(i, seat, s) for i in poolers)), retained)
        fte = fte if np.ndim(fte) else float(fte)
        staff = fte * staff_rate
        ri = fte * (econ.pooled_staff_eur(s) - staff_rate)
        supplies = sum(econ.supplies_eur(i, s) for i in poolers)
        vehicle = sum(econ.vehicle_eur(i, seat, s) for i in poolers)
        machine_users = users
    elif poolers and mode == "delegation":
        contract = sum(econ.contract_eur(i, s) for i in poolers)
        lots = np.maximum(1, np.ceil(contract / econ.terms.max_lot_eur.value - 1e-9))
        lots = lots if np.ndim(lots) else int(lots)
        redeployed = retained * staff_rate
        machine_users = borrowers
    elif poolers:
        raise ValueError(f"mode must be regie or delegation, not {mode!r}")
    else:
        machine_users = borrowers
    days = {q: sum(econ.machine_days(i, s, q) for i in machine_users) for q in spec.equipment_days}
    units = {q: econ.catalogue.equipment[q].units_for(d) for q, d in days.items()}  # yearly days and the season's peak
    equipment = sum(n * econ.catalogue.equipment[q].annual_eur for q, n in units.items())
    transfers = sum(econ.transfer_eur(i, seat, s) for i in machine_users)
    coordination = (econ.pole_fixed_eur() if users else 0.0) + econ.member_eur() * len(users)
    payments = sum(econ.borrower_payment(i, seat, s) for i in borrowers) if poolers else 0.0
    return PoleServiceCost(
        seat=seat, service=s, mode=mode if poolers else None, poolers=poolers, borrowers=borrowers,
        workload=workload, fte=fte, staff_eur=staff, supplies_eur=supplies, vehicle_eur=vehicle, units=units, machine_days=days,
        equipment_eur=equipment, transfer_eur=transfers, contract_eur=contract, lots=lots,
        lots_eur=lots * econ.terms.lot_cost_eur.value, redeployed_eur=redeployed, coordination_eur=coordination,
        borrower_payments_eur=payments, ri_eur=ri,
    )


def best_mode_cost(econ: Economics, seat: str, s: str, poolers, borrowers=(), modes=("regie", "delegation")) -> PoleServiceCost:
    """The cheaper of the allowed modes for these members (those the service can take)."""
    allowed = econ.catalogue.services[s].modes
    options = [pole_service_cost(econ, seat, s, poolers, borrowers, m) for m in (tuple(m for m in modes if m in allowed) or allowed)]
    return min(options, key=lambda c: c.total_eur)
