r"""Fairness and budget rules of the service model.

**Individual rationality** under a proportional key. A pooled service's cost, less what
borrowers pay, is shared among its poolers in proportion to a key :math:`k_i` (workload, or
population); member *i* pays no more than alone for that service iff the pole's cost per unit of
key does not exceed *i*'s own:

.. math:: C_{js} - P_{js} \;\le\; \alpha_{is} \sum_k k_k\, z_{kjs} + M_{ijs}\,(1 - z_{ijs}),
   \qquad \alpha_{is} = \frac{\text{standalone}_{is}}{k_i}

with :math:`z = zr + zd`. :math:`M_{ijs}` is the largest value the left side can exceed the
first right-hand term by when *i* does not pool: the pole's fixed costs (specialist minimum, one
machine per type and one lot of rounding, coordination, set-up) plus, for each other potential
member *k*, :math:`\max(0, c_{kjs} - \alpha_{is} k_k)` where :math:`c_{kjs}` is *k*'s largest
variable cost in that pole — a big-M per (member, pole, service), not one for the territory.

Borrowers pay a fixed internal price (machine-days at the full-use day rate, transfers, fee): a
borrower whose price exceeds the machines it sheds may only borrow from a lending-only bank
(:math:`bb_{ijs} \le 1 - h_{js}`). A lending-only bank shares its whole cost among its borrowers by
workload, with the same pattern on their machine cost alone.

The model holds all of them from the start (with these big-Ms that proves fastest); the class
below can also add them lazily, as the benchmark's ablation does.

Members forced to pool (the service commun, ``pooling.force``) are a political choice, not a
voluntary one: the constraint protects voluntary members; the report shows everyone's balance.

**Budget**: total ≤ cap; total ≤ status quo − minimum saving; total ≤ (1 − share) × status quo.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulp

from .blocks import constraint_block
from .poles import travel_expression
from .problem import add_row, constraint, expression
from .services import K, ServiceModel


def _key(m: ServiceModel, i: str, s: str) -> float:
    if m.si.key == "population":
        return float(m.pole.population.get(i, 0))
    return m.si.econ.workload(i, s)


def _variable_cost_eur(m: ServiceModel, i: str, j: str, s: str) -> float:
    """The most member *i* can add to pole *j*'s cost of *s* (€/yr), over the modes it may use."""
    econ = m.si.econ
    options = []
    if (i, j, s) in m.zr:
        fte = max(econ.regie_fte(i, j, s), econ.retained_fte(i, s))
        machines = sum(econ.machine_days(i, s, q) * m.si.catalogue.equipment[q].day_rate_eur
                       for q in m.si.catalogue.services[s].equipment_days)
        options.append(fte * econ.pooled_staff_eur(s) + econ.supplies_eur(i, s) + econ.vehicle_eur(i, j, s) + machines
                       + econ.transfer_eur(i, j, s))
    if (i, j, s) in m.zd:
        contract = econ.contract_eur(i, s)
        options.append(contract * (1 + econ.terms.lot_cost_eur.value / econ.terms.max_lot_eur.value)
                       + econ.retained_fte(i, s) * m.si.catalogue.staff_eur(s))
    if (i, j, s) in m.bb:
        options.append(econ.borrower_payment(i, j, s))
    return max(options, default=0.0) + econ.member_eur()


def _fixed_eur(m: ServiceModel, j: str, s: str) -> float:
    """Fixed and rounding costs of pole *j*'s service *s* (€/yr)."""
    econ, spec = m.si.econ, m.si.catalogue.services[s]
    fixed = econ.pole_fixed_eur()
    if (j, s) in m.r:
        fixed += spec.specialist_min_fte.value * econ.pooled_staff_eur(s)
    fixed += sum(m.si.catalogue.equipment[q].annual_eur for q in spec.equipment_days if (j, s, q) in m.units)
    if (j, s) in m.lots:
        fixed += econ.terms.lot_cost_eur.value
    return fixed


def _chain(pieces) -> pulp.LpAffineExpression:
    """``Σ sign × scale × expression`` over ``pieces`` = [(expression, scale, sign), …] in one pass:
    the very expression PuLP's operators build (``a − c·b + d·z`` copies the growing left side at
    each operator; here each term is added once). Same order of variables, same coefficients bit
    for bit: each piece is first scaled as ``LpAffineExpression.__mul__`` does (``scale × x``, the
    piece left out when ``scale`` is 0, ``None`` for no scaling) and then added as ``addInPlace``
    does (``x × sign``, a new variable set, an existing one incremented).

    Dicts are copied dict to dict where they can be (an unscaled first piece, the result into the
    expression): such a copy reuses the stored hashes, where inserting pairs calls PuLP's Python
    ``__hash__`` once per term — most of a fairness row's cost (its pole's whole cost is in it)."""
    coefficients: dict = {}
    constant = 0.0
    first = True
    for piece, scale, sign in pieces:
        if scale is not None:
            if scale == 0:
                continue
            items = [(v, scale * x) for v, x in piece.items()]
            piece_constant = piece.constant * scale
        else:
            items, piece_constant = None, piece.constant
        if first:  # the left operand is copied as it is
            coefficients = dict(piece) if items is None else dict(items)
            constant, first = piece_constant, False
            continue
        constant += piece_constant * sign
        for v, x in (piece.items() if items is None else items):
            if v in coefficients:
                coefficients[v] += x * sign
            else:
                coefficients[v] = x * sign
    return expression(coefficients, constant)  # dict to dict: the stored hashes, same order


@dataclass(frozen=True)
class _PoleService:
    """What the fairness constraints of one pole service (j, s) share, computed once.

    ``variable``: the most each member can add to the pole's cost; ``fixed``: its fixed and
    rounding costs; ``key_total`` = Σ_k k_k z_kjs; ``lent`` = Σ_k w_k bb_kjs; ``forced``: some
    member is forced to pool *s* (the summed cuts do not hold then); ``gain``: each borrower's
    max(0, shed − pay), ``bank`` their sum. Money in €/yr.

    Per-member figures the constraints of every member read (kept here so that each is computed
    once per pole service, not once per member pair: the same floats as the economics return):
    ``key`` k_i, ``alone`` standalone_is, ``shed`` standalone equipment, ``work`` workload,
    ``dearer`` max(shed, pay) of each borrower; ``with_poolers`` = fixed + Σ variable.
    """

    members: list[str]
    poolers: list[str]
    borrowers: list[str]
    variable: dict[str, float]
    fixed: float
    key_total: pulp.LpAffineExpression
    lent: pulp.LpAffineExpression
    forced: bool
    gain: dict[str, float]
    bank: float
    key: dict[str, float]
    alone: dict[str, float]
    shed: dict[str, float]
    work: dict[str, float]
    pay: dict[str, float]
    dearer: dict[str, float]
    with_poolers: float
    net: pulp.LpAffineExpression
    """C_js − P_js, the start of every member's row (built once, copied per row)."""
    member_terms: list[tuple[str, float, float]]
    """(k, variable_k, key_k) of every member, in order: the big-M's sum reads them."""
    pooler_terms: list[tuple[str, float, float]]
    """(k, standalone_k, key_k) of every pooler, in order: the tight big-M's sum reads them."""


class IndividualRationality:
    """The IR constraints of one service model, added all at once or lazily.

    Lazily: a solution is checked with :meth:`violations`; every constraint of the services it
    breaks is added (all members, all seats), and the model solved again. A model holding only
    some of them is a relaxation, so its bound is valid, and a solution that breaks none of the
    missing ones is feasible for the full model.
    """

    def __init__(self, m: ServiceModel, tight_big_m: bool = True):
        self.m = m
        self.tight_big_m = tight_big_m
        self.done: set[tuple[str, str, str]] = set()
        self.prepared: dict[tuple[str, str], _PoleService] = {}

    def _prepare(self, j: str, s: str) -> _PoleService:
        if (j, s) not in self.prepared:
            m, econ = self.m, self.m.si.econ
            members = m.members_at(j, s)
            poolers = [i for i in members if m.pooled_vars(i, j, s)]
            borrowers = [i for i in members if (i, j, s) in m.bb]
            key = {i: _key(m, i, s) for i in members}
            shed = {i: econ.standalone_equipment(i, s) for i in borrowers}
            pay = {i: econ.borrower_payment(i, j, s) for i in borrowers}
            work = {i: econ.workload(i, s) for i in borrowers}
            gain = {i: max(0.0, shed[i] - pay[i]) for i in borrowers}
            variable = {i: _variable_cost_eur(m, i, j, s) for i in members}
            fixed = _fixed_eur(m, j, s)
            self.prepared[j, s] = _PoleService(
                members=members, poolers=poolers, borrowers=borrowers,
                variable=variable,
                fixed=fixed,
                key_total=pulp.LpAffineExpression([(v, key[i]) for i in poolers for v in m.pooled_vars(i, j, s)]),
                lent=pulp.LpAffineExpression([(m.bb[i, j, s], work[i]) for i in borrowers]),
                forced=any(m.si.forced.get((i, s)) is True for i in members),
                gain=gain, bank=sum(gain.values()),
                key=key, alone={i: m.si.standalone[(i, s)].total_eur for i in poolers}, shed=shed, work=work, pay=pay,
                dearer={i: max(shed[i], pay[i]) for i in borrowers},
                with_poolers=fixed + sum(variable[k] for k in members),
                net=_chain([(m.pole_cost[j, s], None, 1), (m.payments[j, s], None, -1)]),
                member_terms=[(k, variable[k], key[k]) for k in members],
                pooler_terms=[(k, m.si.standalone[(k, s)].total_eur, key[k]) for k in poolers])
        return self.prepared[j, s]

    def add(self, i: str, j: str, s: str) -> int:
        """Add member *i*'s constraints in pole service (j, s); returns how many were new."""
        with self.m.families.counted("individual rationality"):
            return self._add(i, j, s)

    def _add(self, i: str, j: str, s: str) -> int:
        if (i, j, s) in self.done or (j, s) not in self.m.pole_cost:
            return 0
        self.done.add((i, j, s))
        m, si = self.m, self.m.si
        if si.forced.get((i, s)) is True:
            return 0
        ps = self._prepare(j, s)
        prob, cost = m.pole.problem, m.pole_cost[j, s]
        added = 0
        key = ps.key
        if i in ps.poolers and key[i] > 0:
            alpha = ps.alone[i] / key[i]
            # (the sums run over lists in the members' order, as the generators they replace: the same floats)
            big_m = ps.fixed + sum([max(0.0, c - alpha * kk) for k, c, kk in ps.member_terms if k != i])
            if self.tight_big_m and not ps.forced:
                # The coalition cut holds here: C − P ≤ Σ_k standalone_k z_k + Σ_k (shed − pay)⁺ bb_k.
                # With z_i = 0, C − P − α_i W ≤ Σ_{k≠i} (standalone_k − α_i k_k) z_k + bank term:
                # only members dearer alone than i (per unit of key) can push it up.
                # With i out but others in (h = 1), the poolers-only cut applies; with nobody in
                # (h = 0), only the bank's slack: the larger of the two bounds suffices.
                others = sum([max(0.0, c - alpha * kk) for k, c, kk in ps.pooler_terms if k != i])
                big_m = min(big_m, max(others, ps.bank) if (j, s) in m.h else others + ps.bank)
            z = expression([(v, 1) for v in m.pooled_vars(i, j, s)])
            # (cost − payments) − α/K·W + M/K·z ≤ M/K, built in one pass (see _chain): the same
            # expression as the four pieces chained, cost − payments being its first two
            lhs = _chain([(ps.net, None, 1), (ps.key_total, alpha / K, -1), (z, big_m / K, 1)])
            add_row(prob, constraint(lhs, pulp.LpConstraintLE, big_m / K), f"ir_{i}_{j}_{s}")
            added += 1
        if i in ps.borrowers:
            shed = ps.shed[i]
            if (j, s) in m.h and ps.pay[i] > shed + 1e-6:
                prob += m.bb[i, j, s] + m.h[j, s] <= 1, f"ir_price_{i}_{j}_{s}"
                added += 1
            w = ps.work[i]
            alpha = shed / w if w > 0 else 0.0
            with_poolers = ps.with_poolers  # h = 1: anything the pole may cost
            without_i = with_poolers
            if self.tight_big_m and not ps.forced:
                # h = 0 and bb_i = 0: the coalition cut bounds the bank by Σ max(shed, pay) bb
                without_i = sum(max(0.0, ps.dearer[k] - alpha * ps.work[k]) for k in ps.borrowers if k != i)
            relax = [(m.h[j, s], -with_poolers / K)] if (j, s) in m.h else []
            # cost − α/K·lent + M/K·bb_i (− with_poolers/K·h) ≤ M/K, built in one pass (see _chain)
            lhs = _chain([(cost, None, 1), (ps.lent, alpha / K, -1), (expression({m.bb[i, j, s]: 1}, 0), without_i / K, 1),
                          (expression(relax), None, 1)])
            add_row(prob, constraint(lhs, pulp.LpConstraintLE, without_i / K), f"ir_bank_{i}_{j}_{s}")
            added += 1
        return added

    def add_coalition_cuts(self) -> int:
        with self.m.families.counted("coalition cuts"):
            return self._add_coalition_cuts()

    def _add_coalition_cuts(self) -> int:
        """Valid inequalities implied by the members' IR summed, with no big-M, so they tighten
        the relaxation. A pole service without forced members costs, net of borrowers' payments,
        no more than its members paid alone together:

            C_js − P_js ≤ Σ_i standalone_is z_ijs + Σ_i max(0, shed_is − pay_ijs) bb_ijs

        (with poolers, each pays at most its standalone cost; a lending-only bank, P counted,
        costs at most the machines its borrowers shed)."""
        m, si = self.m, self.m.si
        added = 0
        for (j, s) in m.pole_cost:
            ps = self._prepare(j, s)
            if ps.forced:
                continue
            pooled = [(v, si.standalone[(i, s)].total_eur / K) for i in ps.poolers for v in m.pooled_vars(i, j, s)]
            alone = expression(pooled + [(m.bb[i, j, s], ps.gain[i] / K) for i in ps.borrowers])
            # cost − payments − alone ≤ 0, in one pass (see _chain)
            add_row(m.pole.problem, constraint(_chain([(ps.net, None, 1), (alone, None, -1)]), pulp.LpConstraintLE, 0),
                    f"ir_sum_{j}_{s}")
            added += 1
            # With poolers (h = 1) borrowers pay their fixed price and keep their own gain, so the
            # poolers alone must cover the rest: C − P ≤ Σ standalone z. Lending-only (h = 0) it
            # is implied by the cut above when relaxed by the largest bank slack — a small big-M.
            if ps.poolers and (j, s) in m.h:
                lhs = _chain([(ps.net, None, 1), (expression(pooled), None, -1),
                              (expression({m.h[j, s]: 1}, 0), ps.bank / K, 1)])
                add_row(m.pole.problem, constraint(lhs, pulp.LpConstraintLE, ps.bank / K), f"ir_sum_poolers_{j}_{s}")
                added += 1
        return added

    def add_all(self) -> int:
        """Every IR constraint at once; returns how many were new."""
        return sum(self.add(i, j, s) for (j, s) in sorted(self.m.pole_cost) for i in self.m.members_at(j, s))

    def violations(self, tolerance_eur: float = 1.0) -> list[tuple[str, str, str]]:
        """(member, seat, service) whose share exceeds its standalone cost in the current solution."""
        m, si, econ = self.m, self.m.si, self.m.si.econ
        out = []
        for (j, s), cost in m.pole_cost.items():
            members = m.members_at(j, s)
            pooling = [i for i in members for v in m.pooled_vars(i, j, s) if (v.value() or 0) > 0.5]
            lending = [i for i in members if (i, j, s) in m.bb and (m.bb[i, j, s].value() or 0) > 0.5]
            total = (cost.value() or 0.0) * K
            if pooling:
                paid = sum(econ.borrower_payment(i, j, s) for i in lending)
                keys = sum(_key(m, i, s) for i in pooling)
                for i in pooling:
                    if si.forced.get((i, s)) is True or keys <= 0:
                        continue
                    share = (total - paid) * _key(m, i, s) / keys
                    if share > si.standalone[(i, s)].total_eur + tolerance_eur:
                        out.append((i, j, s))
                for i in lending:
                    if si.forced.get((i, s)) is not True and econ.borrower_payment(i, j, s) > econ.standalone_equipment(i, s) + tolerance_eur:
                        out.append((i, j, s))
            elif lending:
                work = sum(econ.workload(i, s) for i in lending)
                for i in lending:
                    if si.forced.get((i, s)) is not True and total * econ.workload(i, s) / work > econ.standalone_equipment(i, s) + tolerance_eur:
                        out.append((i, j, s))
        return out

    def add_for(self, broken: list[tuple[str, str, str]]) -> int:
        """Every constraint of each service that a solution broke, at every seat: the violations
        of one service tend to move from pole to pole when added one pole at a time."""
        added = 0
        for s in sorted({s for _, _, s in broken}):
            for (j, ss) in sorted(self.m.pole_cost):
                if ss == s:
                    added += sum(self.add(k, j, s) for k in self.m.members_at(j, s))
        return added


@constraint_block("budget")
def add_budget(m: ServiceModel) -> None:
    si, prob = m.si, m.pole.problem
    status_quo = si.status_quo_eur / K
    if si.budget_max_eur is not None:
        prob += m.total_cost <= si.budget_max_eur / K, "budget_cap"
    if si.min_savings_eur is not None:
        prob += m.total_cost <= status_quo - si.min_savings_eur / K, "min_savings"
    if si.min_savings_pct is not None:
        prob += m.total_cost <= status_quo * (1 - si.min_savings_pct), "min_savings_pct"


@constraint_block("travel limit")
def add_travel_limit(m: ServiceModel, limit: float) -> None:
    """Population-weighted travel to the seat ≤ limit (the ε of a cost/travel trade-off)."""
    m.pole.problem += travel_expression(m.pole) <= limit, "travel_limit"
