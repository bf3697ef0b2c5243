r"""Service sharing in the pole MILP: who pools what, in which mode, with what staff and machines.

Added to the pole model (:mod:`optimiser.model.poles`), for members *i* (communes, and the EPCI
in the service commun), seats *j* and services *s*; money in k€/yr so coefficients stay near 1.

Variables

* :math:`zr_{ijs}, zd_{ijs} \in [0,1]` — *i* pools *s* in pole *j*, run in régie / delegated;
  :math:`bb_{ijs}` — *i* keeps *s* but borrows pole *j*'s machines (equipment lending);
* :math:`u_{is}, b_{is} \in \{0,1\}` — *i* pools / borrows *s* (à la carte);
* :math:`r_{js}, d_{js} \in \{0,1\}` — mode of pooled *s* in pole *j*; :math:`a_{js}` — the
  pole runs *s* at all (pays its coordination); :math:`h_{js}` — *s* has poolers in *j*;
* :math:`F_{js} \ge 0` FTE; :math:`U_{jsq} \in \mathbb{Z}_+` machines of type *q*;
  :math:`L_{js} \in \mathbb{Z}_+` procurement lots.

Assignment form (tight, as the brute-force tests and benchmarks show):
:math:`\sum_j (zr_{ijs} + zd_{ijs}) = u_{is}`, :math:`\sum_j bb_{ijs} = b_{is}`,
:math:`u_{is} + b_{is} \le 1`, :math:`zr_{ijs} + zd_{ijs} + bb_{ijs} \le x_{ij}`,
:math:`zr \le r_{js}`, :math:`zd \le d_{js}`, :math:`r_{js} + d_{js} \le x_{jj}`,
:math:`a_{js} \ge zr + zd + bb`, :math:`h_{js} \ge zr + zd`, :math:`h_{js} \le \sum_i (zr + zd)`;
a pole service has two users or none, :math:`\sum_i (zr + zd + bb)_{ijs} \ge 2 a_{js}` (one member
alone is not pooling), unless a member is forced in.

Sizing: :math:`F_{js} \ge \sum_i zr_{ijs}\,\text{fte}_{ijs}`, :math:`F_{js} \ge F^{spec}_s r_{js}`
(and :math:`\ge \sum_i zr\,\text{retained}_{is}` under the attrition rule);
:math:`K_q U_{jsq} \ge \sum_i (zr + bb)_{ijs}\, w_{is} n_{qs}` and, whole machines,
:math:`U_{jsq} \ge \lceil w_{is} n_{qs} / K_q \rceil (zr + bb)_{ijs}`;
:math:`\bar L\, L_{js} \ge \sum_i zd_{ijs}\, c^{del}_{is}`, :math:`L_{js} \ge d_{js}`.

Costs (:mod:`optimiser.services.economics` gives each coefficient): what members keep,
:math:`(1-u_{is})\,\text{keep}_{is} + (1-u_{is}-b_{is})\,\text{equip}_{is}`, plus each pole's
service cost :math:`C_{js}` (staff, vehicles, machines, transfers, contracts, lots, redeployed
staff, coordination, fees, set-up). Fairness constraints are in :mod:`optimiser.model.fairness`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pulp

from ..services.economics import EPCI
from ..services.setup import ServiceInputs
from .poles import PoleModel, travel_expression

K = 1000.0  # € per k€


@dataclass(frozen=True)
class Formulation:
    """Strengthenings of the service model, each switchable so the benchmark can show what it buys.

    ``lazy_fairness``: add individual-rationality constraints only where a solution breaks them
    (off by default: with the tight big-Ms, all at once is faster — the benchmark shows it);
    ``coalition_cuts``: the big-M-free summed IR inequalities; ``tight_big_m``: big-Ms derived
    from those cuts; ``machine_floors``: a member needs its whole machines.
    """

    lazy_fairness: bool = False
    coalition_cuts: bool = True
    tight_big_m: bool = True
    machine_floors: bool = True


FORMULATION = Formulation()


@dataclass
class ServiceModel:
    """The service part of the MILP, its variables kept explicit."""

    pole: PoleModel
    si: ServiceInputs
    sc_seat: str | None
    zr: dict = field(default_factory=dict)
    zd: dict = field(default_factory=dict)
    bb: dict = field(default_factory=dict)
    u: dict = field(default_factory=dict)
    b: dict = field(default_factory=dict)
    r: dict = field(default_factory=dict)
    d: dict = field(default_factory=dict)
    a: dict = field(default_factory=dict)
    h: dict = field(default_factory=dict)
    fte: dict = field(default_factory=dict)
    units: dict = field(default_factory=dict)
    lots: dict = field(default_factory=dict)
    pole_cost: dict = field(default_factory=dict)
    payments: dict = field(default_factory=dict)
    kept_cost: pulp.LpAffineExpression | None = None
    total_cost: pulp.LpAffineExpression | None = None
    _members: dict[tuple[str, str], list[str]] = field(default_factory=dict, init=False, repr=False)

    def x_of(self, i: str, j: str):
        """The membership of *i* in pole *j*: a variable, 1 for the EPCI in the service commun."""
        if i == EPCI:
            return 1 if j == self.sc_seat else 0
        return self.pole.x.get((i, j), 0)

    def seats_of(self, i: str) -> list[str]:
        if i == EPCI:
            return [self.sc_seat] if self.sc_seat else []
        return list(self.pole.pairs.seats_of.get(i, ()))

    def pooled_vars(self, i: str, j: str, s: str) -> list[pulp.LpVariable]:
        """The variables of *i* pooling *s* in pole *j*: zr then zd, those that exist."""
        return [v for v in (self.zr.get((i, j, s)), self.zd.get((i, j, s))) if v is not None]

    def used_vars(self, i: str, j: str, s: str) -> list[pulp.LpVariable]:
        """The variables of *i* using *s* in pole *j*, pooling or borrowing: zr, zd then bb."""
        return self.pooled_vars(i, j, s) + ([self.bb[i, j, s]] if (i, j, s) in self.bb else [])

    def members_at(self, j: str, s: str) -> list[str]:
        """Members that may pool or borrow *s* at seat *j*, sorted (indexed by ``_add_membership``,
        the only place these variables are created)."""
        return list(self._members.get((j, s), ()))


def build_service_model(pole: PoleModel, si: ServiceInputs, formulation: Formulation = FORMULATION) -> ServiceModel:
    """Add the service variables, sizing constraints and cost expressions to ``pole.problem``."""
    sc = pole.rules.service_commun
    model = ServiceModel(pole=pole, si=si, sc_seat=sc.seat if sc else None)
    if si.enabled:
        _add_membership(model)
        _add_sizing(model, formulation.machine_floors)
    _add_costs(model)
    return model


def _add_membership(m: ServiceModel) -> None:
    si, prob = m.si, m.pole.problem
    econ = si.econ
    for i in si.members:
        for s in si.services:
            w = econ.workload(i, s)
            forced = si.forced.get((i, s))
            can_pool = si.pool_services and forced is not False and w > 0
            can_borrow = (si.lend_equipment and forced is None and w > 0 and bool(si.catalogue.services[s].equipment_days)
                          and si.inventory.services[(i, s)].mode == "regie")
            if forced is True and w > 0:
                can_pool = True
            pooled, borrowed = [], []
            for j in m.seats_of(i):
                if can_pool:
                    if "regie" in si.modes[s]:
                        m.zr[i, j, s] = prob.add_variable(f"zr_{i}_{j}_{s}", 0, 1)
                        pooled.append(m.zr[i, j, s])
                    if "delegation" in si.modes[s]:
                        m.zd[i, j, s] = prob.add_variable(f"zd_{i}_{j}_{s}", 0, 1)
                        pooled.append(m.zd[i, j, s])
                if can_borrow:
                    m.bb[i, j, s] = prob.add_variable(f"bb_{i}_{j}_{s}", 0, 1)
                    borrowed.append(m.bb[i, j, s])
                terms = [(v, 1) for v in m.used_vars(i, j, s)]
                if terms:
                    prob += pulp.LpAffineExpression(terms) - m.x_of(i, j) <= 0, f"member_{i}_{j}_{s}"
            if pooled:
                m.u[i, s] = prob.add_variable(f"u_{i}_{s}", 0, 1, pulp.LpBinary)
                if forced is True:
                    m.u[i, s].lowBound = 1
                prob += pulp.lpSum(pooled) - m.u[i, s] == 0, f"pool_{i}_{s}"
            if borrowed:
                m.b[i, s] = prob.add_variable(f"b_{i}_{s}", 0, 1, pulp.LpBinary)
                prob += pulp.lpSum(borrowed) - m.b[i, s] == 0, f"borrow_{i}_{s}"
            if (i, s) in m.u and (i, s) in m.b:
                prob += m.u[i, s] + m.b[i, s] <= 1, f"pool_or_borrow_{i}_{s}"
    index: dict[tuple[str, str], set[str]] = {}
    for (i, j, s) in list(m.zr) + list(m.zd) + list(m.bb):
        index.setdefault((j, s), set()).add(i)
    m._members = {key: sorted(members) for key, members in index.items()}
    for j, s in sorted(m._members):
        seat_open = m.x_of(j, j)
        m.a[j, s] = prob.add_variable(f"a_{j}_{s}", 0, 1, pulp.LpBinary)
        prob += m.a[j, s] - seat_open <= 0, f"active_{j}_{s}"
        members = m.members_at(j, s)
        if any((i, j, s) in m.zr for i in members):
            m.r[j, s] = prob.add_variable(f"r_{j}_{s}", 0, 1, pulp.LpBinary)
        if any((i, j, s) in m.zd for i in members):
            m.d[j, s] = prob.add_variable(f"d_{j}_{s}", 0, 1, pulp.LpBinary)
        modes = [v for v in (m.r.get((j, s)), m.d.get((j, s))) if v is not None]
        if modes:
            prob += pulp.lpSum(modes) - seat_open <= 0, f"mode_{j}_{s}"
            m.h[j, s] = prob.add_variable(f"h_{j}_{s}", 0, 1, pulp.LpBinary)
        for i in members:
            if (i, j, s) in m.zr:
                prob += m.zr[i, j, s] - m.r[j, s] <= 0, f"regie_{i}_{j}_{s}"
            if (i, j, s) in m.zd:
                prob += m.zd[i, j, s] - m.d[j, s] <= 0, f"deleg_{i}_{j}_{s}"
            use = [(v, 1) for v in m.used_vars(i, j, s)]
            prob += pulp.LpAffineExpression(use) - m.a[j, s] <= 0, f"uses_{i}_{j}_{s}"
            pooled = [(v, 1) for v in m.pooled_vars(i, j, s)]
            if pooled:
                prob += pulp.LpAffineExpression(pooled) - m.h[j, s] <= 0, f"haspool_{i}_{j}_{s}"
        if (j, s) in m.h:
            everyone = [(v, 1) for i in members for v in m.pooled_vars(i, j, s)]
            prob += m.h[j, s] - pulp.LpAffineExpression(everyone) <= 0, f"haspool_{j}_{s}"
        if not any(si.forced.get((i, s)) is True for i in members):
            # One member is not pooling: a pole service has at least two users (poolers or
            # borrowers), or the member would only be reorganising alone at a pole's price.
            users = [(v, 1) for i in members for v in m.used_vars(i, j, s)]
            prob += pulp.LpAffineExpression(users) - 2 * m.a[j, s] >= 0, f"two_users_{j}_{s}"


def _add_sizing(m: ServiceModel, machine_floors: bool = True) -> None:
    si, prob, econ = m.si, m.pole.problem, m.si.econ
    for (j, s) in sorted(m.a):
        spec = si.catalogue.services[s]
        members = m.members_at(j, s)
        if (j, s) in m.r:
            m.fte[j, s] = prob.add_variable(f"fte_{j}_{s}", 0)
            need = [(m.zr[i, j, s], econ.regie_fte(i, j, s)) for i in members if (i, j, s) in m.zr]
            prob += m.fte[j, s] - pulp.LpAffineExpression(need) >= 0, f"fte_work_{j}_{s}"
            if spec.specialist_min_fte.value > 0:
                prob += m.fte[j, s] - spec.specialist_min_fte.value * m.r[j, s] >= 0, f"fte_spec_{j}_{s}"
            if econ.attrition_rule:
                retained = [(m.zr[i, j, s], econ.retained_fte(i, s)) for i in members if (i, j, s) in m.zr]
                prob += m.fte[j, s] - pulp.LpAffineExpression(retained) >= 0, f"fte_kept_{j}_{s}"
        for q in spec.equipment_days:
            users = [(v, econ.machine_days(i, s, q)) for i in members
                     for v in (m.zr.get((i, j, s)), m.bb.get((i, j, s))) if v is not None]
            if not users:
                continue
            cap = si.catalogue.equipment[q].capacity_days.value
            top = math.ceil(sum(c for _, c in users) / cap - 1e-9)
            m.units[j, s, q] = prob.add_variable(f"units_{j}_{s}_{q}", 0, max(top, 0), pulp.LpInteger)
            prob += cap * m.units[j, s, q] - pulp.LpAffineExpression(users) >= 0, f"units_{j}_{s}_{q}"
            # Whole machines: a member alone already needs ceil(its days / capacity) of them. The
            # relaxation would otherwise pay for a sliver of a machine.
            for i in members if machine_floors else ():
                floor = math.ceil(econ.machine_days(i, s, q) / cap - 1e-9)
                for v in (m.zr.get((i, j, s)), m.bb.get((i, j, s))):
                    if v is not None and floor > 0:
                        prob += m.units[j, s, q] - floor * v >= 0, f"units_floor_{i}_{j}_{s}_{q}_{v.name[:2]}"
        if (j, s) in m.d:
            volume = pulp.LpAffineExpression([(m.zd[i, j, s], econ.contract_eur(i, s) / K) for i in members if (i, j, s) in m.zd])
            top = math.ceil(sum(econ.contract_eur(i, s) for i in members if (i, j, s) in m.zd) / econ.terms.max_lot_eur.value - 1e-9)
            m.lots[j, s] = prob.add_variable(f"lots_{j}_{s}", 0, max(top, 1), pulp.LpInteger)
            prob += econ.terms.max_lot_eur.value / K * m.lots[j, s] - volume >= 0, f"lots_{j}_{s}"
            prob += m.lots[j, s] - m.d[j, s] >= 0, f"lots_min_{j}_{s}"


def _add_costs(m: ServiceModel) -> None:
    """Cost expressions in k€/yr: kept costs, each pole's service cost, borrowers' payments."""
    si, econ = m.si, m.si.econ
    kept = []
    constant = 0.0
    for i in si.members:
        for s in si.services:
            c = si.standalone[(i, s)]
            constant += c.total_eur / K
            if (i, s) in m.u:
                kept.append((m.u[i, s], -c.total_eur / K))  # pooling drops staff, contract and machines
            if (i, s) in m.b:
                kept.append((m.b[i, s], -c.equipment_eur / K))  # borrowing drops the machines
    m.kept_cost = pulp.LpAffineExpression(kept, constant=constant)
    for (j, s) in sorted(m.a):
        spec = si.catalogue.services[s]
        staff_rate = econ.pooled_staff_eur(s) / K  # with the régime indemnitaire harmonisation
        terms = [(m.a[j, s], econ.pole_fixed_eur() / K)]
        payments = []
        if (j, s) in m.fte:
            terms.append((m.fte[j, s], staff_rate))
        for q in spec.equipment_days:
            if (j, s, q) in m.units:
                terms.append((m.units[j, s, q], si.catalogue.equipment[q].annual_eur / K))
        if (j, s) in m.lots:
            terms.append((m.lots[j, s], econ.terms.lot_cost_eur.value / K))
        for i in m.members_at(j, s):
            if (i, j, s) in m.zr:
                terms.append((m.zr[i, j, s], (econ.supplies_eur(i, s) + econ.vehicle_eur(i, j, s) + econ.transfer_eur(i, j, s)
                                            + econ.member_eur()) / K))
            if (i, j, s) in m.zd:
                redeployed = econ.retained_fte(i, s) * si.catalogue.staff_eur(s)
                terms.append((m.zd[i, j, s], (econ.contract_eur(i, s) + redeployed + econ.member_eur()) / K))
            if (i, j, s) in m.bb:
                terms.append((m.bb[i, j, s], (econ.transfer_eur(i, j, s) + econ.member_eur()) / K))
                payments.append((m.bb[i, j, s], econ.borrower_payment(i, j, s) / K))
        m.pole_cost[j, s] = pulp.LpAffineExpression(terms)
        m.payments[j, s] = pulp.LpAffineExpression(payments)
    m.total_cost = m.kept_cost + pulp.lpSum(m.pole_cost.values())


def set_cost_objective(m: ServiceModel, travel_weight_eur: float = 0.0) -> None:
    """Minimise the total yearly cost (k€), plus a price on population-weighted travel if asked."""
    objective = m.total_cost
    if travel_weight_eur > 0:
        objective = objective + travel_expression(m.pole) * travel_weight_eur / K
    m.pole.problem.setObjective(objective)
