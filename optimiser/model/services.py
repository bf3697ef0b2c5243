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
(and :math:`\ge \sum_i zr\,\text{retained}_{is}` where agents stay: the attrition rule, polyvalent agents);
:math:`K_q U_{jsq} \ge \sum_i (zr + bb)_{ijs}\, w_{is} n_{qs}`, for the season's peak
:math:`P_q U_{jsq} \ge \sigma_q \sum_i (zr + bb)_{ijs}\, w_{is} n_{qs}` (:mod:`.season`) and, whole
machines, :math:`U_{jsq} \ge \lceil w_{is} n_{qs} / K^{eff}_q \rceil (zr + bb)_{ijs}`;
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

from ..inputs.service_inputs import ServiceInputs
from ..services.economics import EPCI
from .blocks import Families, constraint_block
from .poles import PoleModel, travel_expression
from .problem import add_row, constraint, expression
from .season import add_peak_machine_sizing, machine_users, peak_binds

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
    formulation: Formulation = FORMULATION
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
    tag: str = ""
    """Suffix of the sizing variables' and rows' names: a sampled world's copy of the sizing and
    costs (:func:`add_world_costs`) shares the choice variables under its own names."""
    _members: dict[tuple[str, str], list[str]] = field(default_factory=dict, init=False, repr=False)

    @property
    def problem(self) -> pulp.LpProblem:
        return self.pole.problem

    @property
    def families(self) -> Families:
        """The constraint families of the whole MILP (shared with the pole model)."""
        return self.pole.families

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
        key = (i, j, s)
        zr, zd = self.zr.get(key), self.zd.get(key)
        if zr is None:
            return [] if zd is None else [zd]
        return [zr] if zd is None else [zr, zd]

    def used_vars(self, i: str, j: str, s: str) -> list[pulp.LpVariable]:
        """The variables of *i* using *s* in pole *j*, pooling or borrowing: zr, zd then bb."""
        return self.pooled_vars(i, j, s) + ([self.bb[i, j, s]] if (i, j, s) in self.bb else [])

    def members_at(self, j: str, s: str) -> list[str]:
        """Members that may pool or borrow *s* at seat *j*, sorted (indexed by
        :func:`add_choice_variables`, the only place these variables are created)."""
        return list(self._members.get((j, s), ()))

    def member_services(self):
        """Every (member, service) pair, members then services in input order."""
        return ((i, s) for i in self.si.members for s in self.si.services)


def build_service_model(pole: PoleModel, si: ServiceInputs, formulation: Formulation = FORMULATION) -> ServiceModel:
    """Add the service variables, the constraint blocks of :data:`SERVICE_BLOCKS` and the cost
    expressions to ``pole.problem``."""
    sc = pole.rules.service_commun
    model = ServiceModel(pole=pole, si=si, sc_seat=sc.seat if sc else None, formulation=formulation)
    if si.enabled:
        add_choice_variables(model)
        for block in SERVICE_BLOCKS:
            block(model)
    add_cost_expressions(model)
    return model


# ------------------------------------------------------------------------------ variables


def add_choice_variables(m: ServiceModel) -> None:
    """The choice variables (no rows): zr, zd, bb for each member, seat and service it may
    use; u, b for each member and service; a, r, d, h for each pole service some member may use."""
    si, prob = m.si, m.problem
    econ = si.econ
    for i, s in m.member_services():
        w = econ.workload(i, s)
        forced = si.forced.get((i, s))
        can_pool = (si.pool_services and forced is not False and w > 0) or (forced is True and w > 0)
        can_borrow = (si.lend_equipment and forced is None and w > 0 and bool(si.catalogue.services[s].equipment_days)
                      and si.inventory.services[(i, s)].mode == "regie")
        for j in m.seats_of(i):
            if can_pool and "regie" in si.modes[s]:
                m.zr[i, j, s] = prob.add_variable(f"zr_{i}_{j}_{s}", 0, 1)
            if can_pool and "delegation" in si.modes[s]:
                m.zd[i, j, s] = prob.add_variable(f"zd_{i}_{j}_{s}", 0, 1)
            if can_borrow:
                m.bb[i, j, s] = prob.add_variable(f"bb_{i}_{j}_{s}", 0, 1)
        if any(m.pooled_vars(i, j, s) for j in m.seats_of(i)):
            m.u[i, s] = prob.add_variable(f"u_{i}_{s}", 0, 1, pulp.LpBinary)
            if forced is True:
                m.u[i, s].lowBound = 1
        if any((i, j, s) in m.bb for j in m.seats_of(i)):
            m.b[i, s] = prob.add_variable(f"b_{i}_{s}", 0, 1, pulp.LpBinary)
    index: dict[tuple[str, str], set[str]] = {}
    for (i, j, s) in list(m.zr) + list(m.zd) + list(m.bb):
        index.setdefault((j, s), set()).add(i)
    m._members = {key: sorted(members) for key, members in index.items()}
    for j, s in sorted(m._members):
        m.a[j, s] = prob.add_variable(f"a_{j}_{s}", 0, 1, pulp.LpBinary)
        members = m.members_at(j, s)
        if any((i, j, s) in m.zr for i in members):
            m.r[j, s] = prob.add_variable(f"r_{j}_{s}", 0, 1, pulp.LpBinary)
        if any((i, j, s) in m.zd for i in members):
            m.d[j, s] = prob.add_variable(f"d_{j}_{s}", 0, 1, pulp.LpBinary)
        if (j, s) in m.r or (j, s) in m.d:
            m.h[j, s] = prob.add_variable(f"h_{j}_{s}", 0, 1, pulp.LpBinary)


# ------------------------------------------------------------------------ constraint blocks

# The rows below are written ``_le(_minus(expression, x), 0)`` rather than ``expression − x <= 0``:
# the same expression (PuLP's ``−`` copies its left side, then subtracts in place; here the
# fresh left side is subtracted from in place) and the same row, without a copy and the
# operators' dispatch per row — a seat model has tens of thousands of these small rows.


def _minus(expression: pulp.LpAffineExpression, x) -> pulp.LpAffineExpression:
    """``expression − x`` in place (``x`` a column, an expression or a number), as PuLP's ``−``."""
    return expression.subInPlace(x)


def _le(expression: pulp.LpAffineExpression, rhs: float) -> pulp.LpConstraint:
    """``expression <= rhs`` for a number ``rhs``, as PuLP's ``<=`` writes it."""
    return constraint(expression, pulp.LpConstraintLE, rhs)


@constraint_block("service membership")
def add_service_membership(m: ServiceModel) -> None:
    """A member uses a service only in its own pole: zr_ijs + zd_ijs + bb_ijs ≤ x_ij."""
    prob = m.problem
    for i, s in m.member_services():
        for j in m.seats_of(i):
            terms = [(v, 1) for v in m.used_vars(i, j, s)]
            if terms:
                add_row(prob, _le(_minus(expression(terms), m.x_of(i, j)), 0), f"member_{i}_{j}_{s}")


@constraint_block("pooling choice")
def add_pooling_choice(m: ServiceModel) -> None:
    """À la carte: Σ_j (zr_ijs + zd_ijs) = u_is (forced members have u_is ≥ 1 as a bound)."""
    prob = m.problem
    for (i, s), u in m.u.items():
        pooled = [v for j in m.seats_of(i) for v in m.pooled_vars(i, j, s)]
        # lpSum(pooled) − u: each column once with 1, then u with −1, constant 0.0 (as PuLP writes it)
        add_row(prob, constraint(expression([(v, 1) for v in pooled] + [(u, -1)], 0.0), pulp.LpConstraintEQ, 0),
                f"pool_{i}_{s}")


@constraint_block("borrowing choice")
def add_borrowing_choice(m: ServiceModel) -> None:
    """Equipment lending: Σ_j bb_ijs = b_is, and a member pools or borrows, not both: u + b ≤ 1."""
    prob = m.problem
    for (i, s), b in m.b.items():
        borrowed = [m.bb[i, j, s] for j in m.seats_of(i) if (i, j, s) in m.bb]
        add_row(prob, constraint(_minus(pulp.lpSum(borrowed), b), pulp.LpConstraintEQ, 0), f"borrow_{i}_{s}")
        if (i, s) in m.u:
            add_row(prob, _le(expression({m.u[i, s]: 1}, 0).addInPlace(b), 1), f"pool_or_borrow_{i}_{s}")


@constraint_block("pole service activity")
def add_pole_service_activity(m: ServiceModel) -> None:
    """A pole runs a service only if its seat is open, a_js ≤ x_jj, and whenever a member
    uses it: zr + zd + bb ≤ a_js (a_js pays the pole's coordination)."""
    prob = m.problem
    for (j, s), a in sorted(m.a.items()):
        add_row(prob, _le(_minus(expression({a: 1}, 0), m.x_of(j, j)), 0), f"active_{j}_{s}")
        for i in m.members_at(j, s):
            use = [(v, 1) for v in m.used_vars(i, j, s)]
            add_row(prob, _le(expression(use + [(a, -1)]), 0), f"uses_{i}_{j}_{s}")  # use − a (a not in use)


@constraint_block("pole service mode")
def add_pole_service_mode(m: ServiceModel) -> None:
    """One mode per pooled service, over the whole scope: r_js + d_js ≤ x_jj, zr ≤ r, zd ≤ d."""
    prob = m.problem
    for j, s in sorted(m.a):
        modes = [v for v in (m.r.get((j, s)), m.d.get((j, s))) if v is not None]
        if modes:
            add_row(prob, _le(_minus(pulp.lpSum(modes), m.x_of(j, j)), 0), f"mode_{j}_{s}")
        for i in m.members_at(j, s):
            if (i, j, s) in m.zr:
                add_row(prob, _le(expression({m.zr[i, j, s]: 1, m.r[j, s]: -1}, 0), 0), f"regie_{i}_{j}_{s}")
            if (i, j, s) in m.zd:
                add_row(prob, _le(expression({m.zd[i, j, s]: 1, m.d[j, s]: -1}, 0), 0), f"deleg_{i}_{j}_{s}")


@constraint_block("poolers present")
def add_poolers_present(m: ServiceModel) -> None:
    """h_js = 1 exactly when some member pools s in pole j: zr + zd ≤ h_js ≤ Σ_i (zr + zd)."""
    prob = m.problem
    for (j, s), h in sorted(m.h.items()):
        members = m.members_at(j, s)
        for i in members:
            pooled = [(v, 1) for v in m.pooled_vars(i, j, s)]
            if pooled:
                add_row(prob, _le(expression(pooled + [(h, -1)]), 0), f"haspool_{i}_{j}_{s}")  # pooled − h
        everyone = [(v, 1) for i in members for v in m.pooled_vars(i, j, s)]
        prob += h - expression(everyone) <= 0, f"haspool_{j}_{s}"


@constraint_block("two users")
def add_two_users(m: ServiceModel) -> None:
    """One member is not pooling: a pole service has two users or none,
    Σ_i (zr + zd + bb)_ijs ≥ 2 a_js — unless a member is forced in (then it is reported as that
    member alone). Without it a member could pool with itself and gain artefacts (a groupement
    discount bought alone) over reorganising alone."""
    prob, si = m.problem, m.si
    for (j, s), a in sorted(m.a.items()):
        members = m.members_at(j, s)
        if any(si.forced.get((i, s)) is True for i in members):
            continue
        users = [(v, 1) for i in members for v in m.used_vars(i, j, s)]
        prob += expression(users) - 2 * a >= 0, f"two_users_{j}_{s}"


@constraint_block("staff sizing")
def add_staff_sizing(m: ServiceModel) -> None:
    """F_js ≥ Σ_i zr_ijs fte_ijs, F_js ≥ F^spec_s r_js, and, where agents stay employed (the
    attrition rule; polyvalent agents), F_js ≥ Σ_i zr_ijs retained_is (FTE)."""
    prob = m.problem
    si, econ = m.si, m.si.econ
    for (j, s), r in sorted(m.r.items()):
        spec = si.catalogue.services[s]
        members = [i for i in m.members_at(j, s) if (i, j, s) in m.zr]
        m.fte[j, s] = m.problem.add_variable(f"fte{m.tag}_{j}_{s}", 0)
        need = [(m.zr[i, j, s], econ.regie_fte(i, j, s)) for i in members]
        prob += m.fte[j, s] - expression(need) >= 0, f"fte_work{m.tag}_{j}_{s}"
        if spec.specialist_min_fte.value > 0:
            prob += m.fte[j, s] - spec.specialist_min_fte.value * r >= 0, f"fte_spec{m.tag}_{j}_{s}"
        retained = [(m.zr[i, j, s], econ.retained_fte(i, s)) for i in members]
        if any(c > 0 for _, c in retained):  # the attrition rule, or polyvalent agents put at the pool's disposal
            prob += m.fte[j, s] - expression(retained) >= 0, f"fte_kept{m.tag}_{j}_{s}"


@constraint_block("machine sizing")
def add_machine_sizing(m: ServiceModel) -> None:
    """K_q U_jsq ≥ Σ_i (zr + bb)_ijs w_is n_qs: machines of type q for their yearly days. Where
    the season's peak binds (P_q/σ_q < K_q) its own block's row
    (:func:`optimiser.model.season.add_peak_machine_sizing`) implies this one, which is left out."""
    prob = m.problem
    si, econ = m.si, m.si.econ
    for (j, s) in sorted(m.a):
        for q in si.catalogue.services[s].equipment_days:
            users = [(v, econ.machine_days(i, s, q)) for i, v in machine_users(m, j, s)]
            if not users:
                continue
            machine = si.catalogue.equipment[q]
            cap = machine.capacity_days.value
            top = math.ceil(sum(c for _, c in users) / cap - 1e-9)
            m.units[j, s, q] = m.problem.add_variable(f"units{m.tag}_{j}_{s}_{q}", 0, max(top, 0), pulp.LpInteger)
            if peak_binds(machine):  # the peak row implies this one: not added (same LP, fewer rows)
                continue
            prob += cap * m.units[j, s, q] - expression(users) >= 0, f"units{m.tag}_{j}_{s}_{q}"


@constraint_block("whole machines")
def add_whole_machines(m: ServiceModel) -> None:
    """U_jsq ≥ ⌈w_is n_qs / K^eff_q⌉ (zr + bb)_ijs: a member alone already needs its whole machines,
    its season's peak included (the relaxation would otherwise pay for a sliver of one). A
    strengthening: off with ``Formulation(machine_floors=False)``."""
    prob = m.problem
    if not m.formulation.machine_floors:
        return
    econ = m.si.econ
    for (j, s, q), units in sorted(m.units.items()):
        machine = m.si.catalogue.equipment[q]
        for i, v in machine_users(m, j, s):
            floor = machine.units_for(econ.machine_days(i, s, q))
            if floor > 0:
                # units − floor·v as PuLP's ``−`` and ``*`` write it: (floor × 1) × −1, constant 0 + (0 × floor) × −1
                row = expression({units: 1, v: floor * 1 * -1}, 0 + 0 * floor * -1)
                add_row(prob, constraint(row, pulp.LpConstraintGE, 0), f"units_floor{m.tag}_{i}_{j}_{s}_{q}_{v.name[:2]}")


@constraint_block("procurement lots")
def add_procurement_lots(m: ServiceModel) -> None:
    """L̄ L_js ≥ Σ_i zd_ijs c^del_is and L_js ≥ d_js: joint purchasing in lots no bigger than
    ``max_lot_eur`` (the local firms' size), each lot with its procurement cost."""
    prob = m.problem
    econ = m.si.econ
    for (j, s), d in sorted(m.d.items()):
        members = [i for i in m.members_at(j, s) if (i, j, s) in m.zd]
        volume = pulp.LpAffineExpression([(m.zd[i, j, s], econ.contract_eur(i, s) / K) for i in members])
        top = math.ceil(sum(econ.contract_eur(i, s) for i in members) / econ.terms.max_lot_eur.value - 1e-9)
        m.lots[j, s] = m.problem.add_variable(f"lots{m.tag}_{j}_{s}", 0, max(top, 1), pulp.LpInteger)
        prob += econ.terms.max_lot_eur.value / K * m.lots[j, s] - volume >= 0, f"lots{m.tag}_{j}_{s}"
        prob += m.lots[j, s] - d >= 0, f"lots_min{m.tag}_{j}_{s}"


#: The service model's constraint blocks, in build order. To add a family: write a small
#: ``@constraint_block("its name")`` function of the :class:`ServiceModel` (it may create the
#: variables it sizes, as the sizing blocks do) and list it here, after the blocks whose
#: variables it reads; its rows are then counted in ``summary.json`` by themselves.
SERVICE_BLOCKS: tuple = (
    add_service_membership,
    add_pooling_choice,
    add_borrowing_choice,
    add_pole_service_activity,
    add_pole_service_mode,
    add_poolers_present,
    add_two_users,
    add_staff_sizing,
    add_machine_sizing,
    add_peak_machine_sizing,
    add_whole_machines,
    add_procurement_lots,
)


#: The blocks that size a pole service (second-stage in a sample-average model: each world
#: sizes its own staff, machines and lots for the choices every world shares).
SIZING_BLOCKS: tuple = (add_staff_sizing, add_machine_sizing, add_peak_machine_sizing, add_whole_machines, add_procurement_lots)


def add_world_costs(m: ServiceModel, si_world: ServiceInputs, tag: str) -> ServiceModel:
    """A copy of ``m``'s sizing and costs priced by ``si_world`` (one sampled world), sharing
    ``m``'s choice variables (who pools what where, modes): its own FTE, machines and lots
    (named with ``tag``), its own :attr:`ServiceModel.total_cost`. Rules (fairness, budget)
    stay on ``m`` alone."""
    world = ServiceModel(pole=m.pole, si=si_world, sc_seat=m.sc_seat, formulation=m.formulation, zr=m.zr, zd=m.zd,
                         bb=m.bb, u=m.u, b=m.b, r=m.r, d=m.d, a=m.a, h=m.h, tag=tag)
    world._members = m._members
    if si_world.enabled:
        for block in SIZING_BLOCKS:
            block(world)
    add_cost_expressions(world)
    return world


# ------------------------------------------------------------------------------ costs


def add_cost_expressions(m: ServiceModel) -> None:
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
        m.pole_cost[j, s] = expression(terms)
        m.payments[j, s] = pulp.LpAffineExpression(payments)
    m.total_cost = m.kept_cost + pulp.lpSum(m.pole_cost.values())


def set_cost_objective(m: ServiceModel, travel_weight_eur: float = 0.0) -> None:
    """Minimise the total yearly cost (k€), plus a price on population-weighted travel if asked."""
    objective = m.total_cost
    if travel_weight_eur > 0:
        objective = objective + travel_expression(m.pole) * travel_weight_eur / K
    m.pole.problem.setObjective(objective)
