r"""What each phase costs each year, before and after it starts (€, the service model's basis).

Years :math:`t = y_0 \dots y_0+H-1`; a phase *p* starting in year *k*:

* **before** *k*, each of its users *u* pays its **status quo** for the service,
  :math:`S_{ut} = \text{keep}_u + \sum_q n_{uq}\,(r_q + c_q\,[\text{age unknown or } R_{uq} \le t])` —
  running costs :math:`r_q` every year, the capital share :math:`c_q` = purchase ÷ life only once
  the machine has been renewed (year :math:`R_{uq} = y_0 + \lceil L_q - a_{uq}\rceil`): an old
  machine is already paid for. A machine of unknown age is priced as the steady state does
  (annualised every year);
* **from** *k*, the phase's running cost :math:`A_{pkt}` = the pole service re-priced with the
  share of today's agents still employed :math:`\max(0, 1-\alpha(t-k))` (posts freed year by year,
  nobody laid off; 0 without staff.no_reduction_beyond_attrition), without the set-up share the
  single-year model spreads (set-up is booked in its year), less the capital share of the
  members' machines the pole reuses while they are not yet due for renewal; borrowers keep their
  own staff (re-priced the same way). A commune reorganising alone is priced the same way with its
  alone option. :math:`A_{pkt}` is split among the users in proportion to what each pays in the
  steady state (``shares.csv``);
* in year *k*: the one-off **set-up** (one convention + each member joining) and, as income, the
  **sale** of surplus machines of known age at ``resale_share`` × purchase × remaining life ÷ life.

A commune joining the perimeter in year *J* costs nothing to the plan before *J* (it is outside),
and a phase using it starts in *J* or later. A phase starts after the last year of every user's
current contract (``contract_end_year`` in the inventory).

When no machine age is given, the attrition rule is off and the phases all start in the first
year, the last year's cost is the steady-state yearly cost less the set-up share it spreads over
``horizon_years`` — the identity the tests hold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from ..services.alone import alone_option_cost
from ..services.economics import Economics, pole_service_cost
from ..services.terms import PoolingTerms


@dataclass(frozen=True)
class _YearTerms(PoolingTerms):
    """Pooling terms whose share of today's agents still employed is one year's, not the average."""

    employed: float = 1.0

    @property
    def retained_share(self) -> float:
        return self.employed


def year_terms(terms: PoolingTerms, employed: float) -> PoolingTerms:
    return _YearTerms(**{f.name: getattr(terms, f.name) for f in fields(PoolingTerms)}, employed=employed)


@dataclass
class Machine:
    member: str
    kind: str
    age: float | None
    capital_eur: float
    running_eur: float
    purchase_net_eur: float
    life: float
    renewal_year: int | None

    def capital_due(self, year: int) -> bool:
        return self.renewal_year is None or year >= self.renewal_year


@dataclass
class YearlyCosts:
    """The cost table of a roadmap (€; years are calendar years)."""

    years: list[int]
    status_quo: dict[tuple[str, str], dict[int, float]]
    """(member, service) → year → status quo cost (0 outside the perimeter)."""
    after: dict[str, dict[int, dict[int, float]]]
    """phase id → start year k → year t ≥ k → running cost of the phase."""
    setup: dict[str, float]
    sale: dict[str, dict[int, float]]
    earliest: dict[str, int]
    """phase id → first year it may start (contracts, joins)."""
    why_earliest: dict[str, str]
    weights: dict[str, dict[str, float]]
    """phase id → user → share of the phase's cost it pays."""
    machines: list[Machine]


def machines_of(si, years: list[int]) -> list[Machine]:
    cat = si.catalogue
    out = []
    for (i, q), n in sorted(si.inventory.units.items()):
        e = cat.equipment[q]
        life = float(e.life_years.value)
        age = si.inventory.ages.get((i, q))
        renewal = None if age is None else years[0] + max(0, math.ceil(life - age - 1e-9))
        for _ in range(int(n)):
            out.append(Machine(i, q, age, e.purchase_eur.value / life * e.investment_factor, e.running_eur_yr.value * e.running_factor,
                               e.purchase_eur.value * e.investment_factor, life, renewal))
    return out


def yearly_costs(si, design, phases, years: list[int], joins: dict[str, int], resale_share: float,
                 pays: dict[tuple[str, str], float]) -> YearlyCosts:
    """The table (see module docstring). ``pays[(member, service)]`` is what each pays in the steady state."""
    econ: Economics = si.econ
    cat, terms = si.catalogue, si.terms
    y0 = years[0]
    machines = machines_of(si, years)
    by_member_kind: dict[tuple[str, str], list[Machine]] = {}
    for m in machines:
        by_member_kind.setdefault((m.member, m.kind), []).append(m)

    def inside(i: str, t: int) -> bool:
        return t >= joins.get(i, y0)

    status_quo = {}
    for (i, s), today in econ.status_quo.items():
        row = {}
        for t in years:
            own = [m for q in cat.services[s].equipment_days for m in by_member_kind.get((i, q), [])]
            cost = today.keep_eur + sum(m.running_eur + (m.capital_eur if m.capital_due(t) else 0.0) for m in own)
            row[t] = cost if inside(i, t) else 0.0
        status_quo[(i, s)] = row

    rule = econ.attrition_rule
    alpha = terms.attrition_per_year.value
    cache: dict[float, Economics] = {}

    def econ_at(employed: float) -> Economics:
        if not rule:
            employed = 0.0
        if employed not in cache:
            t_ = year_terms(terms, employed)
            cache[employed] = Economics(cat, t_, si.inventory, econ.standalone, econ.matrix, rule, econ.status_quo)
        return cache[employed]

    after, setup, sale, earliest, why, weights = {}, {}, {}, {}, {}, {}
    for p in phases:
        s = p.service
        spec = cat.services[s]
        users = p.users
        stock = sorted((m for u in users for q in spec.equipment_days for m in by_member_kind.get((u, q), [])),
                       key=lambda m: (m.age is not None, m.age or 0.0))  # unknown ages first, then the youngest
        if p.kind == "alone":
            alone = si.standalone[(p.seat, s)]
            needed = {q: (math.ceil(alone.workload * per.value / cat.equipment[q].capacity_days.value - 1e-9)
                          if alone.mode == "regie" else 0) for q, per in spec.equipment_days.items()}
        else:
            needed = dict(design.pole_services[(p.seat, s)].units)
        reused, surplus = [], []
        for q in spec.equipment_days:
            of_kind = [m for m in stock if m.kind == q]
            reused += of_kind[:needed.get(q, 0)]
            surplus += of_kind[needed.get(q, 0):]
        n_users = len(users)
        spread = terms.setup_pole_yearly + terms.setup_member_yearly * n_users if p.kind != "alone" else 0.0
        setup[p.id] = terms.setup_pole_eur.value + terms.setup_member_eur.value * n_users if p.kind != "alone" else 0.0
        after[p.id], sale[p.id] = {}, {}
        for k in years:
            sale[p.id][k] = sum(resale_share * m.purchase_net_eur * max(0.0, 1.0 - (m.age + (k - y0)) / m.life)
                                for m in surplus if m.age is not None)
            row = {}
            for t in years:
                if t < k:
                    continue
                e = econ_at(max(0.0, 1.0 - alpha * (t - k)))
                if p.kind == "alone":
                    alone = si.standalone[(p.seat, s)]
                    running = alone_option_cost(si.inventory, cat, e.terms, rule, p.seat, s, alone.option).total_eur
                else:
                    priced = pole_service_cost(e, p.seat, s, p.poolers, p.borrowers, None if p.mode == "lending" else p.mode)
                    keep = sum(alone_option_cost(si.inventory, cat, e.terms, rule, b, s, si.standalone[(b, s)].option).keep_eur
                               for b in p.borrowers)
                    running = float(priced.total_eur) - spread + keep
                running -= sum(m.capital_eur for m in reused if not m.capital_due(t))
                row[t] = running
            after[p.id][k] = row
        lo, reasons = y0, []
        for u in users:
            end = si.inventory.contract_ends.get((u, s))
            if end is not None and end + 1 > lo:
                lo, reasons = end + 1, [f"{u}'s {s} contract runs to {end}"]
            if joins.get(u, y0) > lo:
                lo, reasons = joins[u], [f"{u} joins the perimeter in {joins[u]}"]
        earliest[p.id], why[p.id] = lo, "; ".join(reasons)
        total = sum(pays.get((u, s), 0.0) for u in users)
        weights[p.id] = {u: (pays.get((u, s), 0.0) / total if total > 0 else 1.0 / n_users) for u in users}
    return YearlyCosts(years, status_quo, after, setup, sale, earliest, why, weights, machines)
