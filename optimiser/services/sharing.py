"""Who pays what: cost shares per member and service, Shapley values, and the core check.

**Proportional keys** (workload, default; or population). In a pole service with poolers, what
the borrowers pay (their internal price) is taken off and the rest is shared among the poolers
in proportion to the key. A lending-only bank is shared among its borrowers by workload.

**Shapley value.** The pooled service is a cost game among its poolers: :math:`c(S)` is what
coalition :math:`S` would pay running it at the same seat in its cheaper allowed mode, with the
same borrowers paying their internal price (:math:`c(\\emptyset) = 0`). Member *i* pays

.. math:: \\phi_i = \\sum_{S \\subseteq N \\setminus i} \\frac{|S|!\\,(n-|S|-1)!}{n!}\\,(c(S \\cup i) - c(S)),

computed exactly up to ``exact_limit`` poolers (2ⁿ coalitions) and beyond by sampling random
orders, with the standard error of each estimate (σ/√samples) reported.

**Core check.** A group of poolers would rather leave when what they pay exceeds what they would
pay on their own: a single member, its standalone cost; a larger group, the cheaper of staying
alone each and pooling among themselves (the pole's seat or one of theirs, best mode). Every group is
checked up to ``exact_limit`` members; beyond, singletons, pairs and all-but-one groups (the
check is then partial and says so).
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from .economics import EPCI, Economics, PoleServiceCost, best_mode_cost


@dataclass(frozen=True)
class Share:
    member: str
    service: str
    role: str  # "pooler" or "borrower"
    seat: str
    share_eur: float
    standalone_eur: float  # what the member paid alone for what it now shares
    shapley_eur: float | None = None
    shapley_se_eur: float | None = None


@dataclass
class CoreCheck:
    seat: str
    service: str
    complete: bool
    blocking: list[tuple[tuple[str, ...], float, float]] = field(default_factory=list)  # (group, pays now, alone)


def _key(econ: Economics, member: str, service: str, key: str, population: dict[str, int]) -> float:
    return float(population.get(member, 0)) if key == "population" else econ.workload(member, service)


def _split(amount, key, total_key, n: int):
    """``amount × key / total_key``, an equal split when the keys sum to 0 (elementwise for the
    arrays of sampled worlds)."""
    if np.ndim(total_key) or np.ndim(amount) or np.ndim(key):
        total_key = np.asarray(total_key, dtype=float)
        safe = np.where(total_key > 0, total_key, 1.0)
        return np.where(total_key > 0, amount * key / safe, amount / n)
    return amount * key / total_key if total_key > 0 else amount / n


def proportional_shares(econ: Economics, pole: PoleServiceCost, key: str, population: dict[str, int]) -> list[Share]:
    """Shares by a proportional key (see module docstring)."""
    out = []
    s = pole.service
    if pole.poolers:
        keys = {i: _key(econ, i, s, key if key != "shapley" else "workload", population) for i in pole.poolers}
        total_key = sum(keys.values())
        rest = pole.total_eur - pole.borrower_payments_eur
        for i in pole.poolers:
            share = _split(rest, keys[i], total_key, len(pole.poolers))
            out.append(Share(i, s, "pooler", pole.seat, share, econ.standalone[(i, s)].total_eur))
        for i in pole.borrowers:
            out.append(Share(i, s, "borrower", pole.seat, econ.borrower_payment(i, pole.seat, s), econ.standalone_equipment(i, s)))
    elif pole.borrowers:
        work = {i: econ.workload(i, s) for i in pole.borrowers}
        total = sum(work.values())
        for i in pole.borrowers:
            share = _split(pole.total_eur, work[i], total, len(pole.borrowers))
            out.append(Share(i, s, "borrower", pole.seat, share, econ.standalone_equipment(i, s)))
    return out


def coalition_cost(econ: Economics, seat: str, service: str, coalition, borrowers, modes) -> float:
    """c(S): the cheaper allowed mode for coalition S at this seat, less borrowers' payments."""
    if not coalition:
        return 0.0
    # what borrowers pay does not depend on the mode, so the cheaper mode leaves the poolers the least
    return best_mode_cost(econ, seat, service, coalition, borrowers, modes).poolers_eur


def shapley_values(players, cost, exact_limit: int = 12, samples: int = 4000, seed: int = 0) -> dict:
    """Shapley value of the cost game ``cost(coalition: tuple) -> float`` (``cost(()) = 0``):
    member → (value, standard error). Exact up to ``exact_limit`` players, else sampled orders."""
    players = list(players)
    n = len(players)
    cache: dict[frozenset, float] = {}

    def c(group) -> float:
        key = frozenset(group)
        if key not in cache:
            cache[key] = cost(tuple(sorted(key))) if key else 0.0
        return cache[key]

    if n == 0:
        return {}
    if n <= exact_limit:
        weights = [math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n) for k in range(n)]
        out = {}
        for i in players:
            others = [p for p in players if p != i]
            value = sum(weights[k] * (c(group + (i,)) - c(group)) for k in range(n) for group in itertools.combinations(others, k))
            out[i] = (value, 0.0)
        return out
    rng = np.random.default_rng(seed)
    draws = {i: [] for i in players}
    for _ in range(samples):
        order = [players[k] for k in rng.permutation(n)]
        before = 0.0
        for k, i in enumerate(order):
            after = c(order[: k + 1])
            draws[i].append(after - before)
            before = after
    return {i: (float(np.mean(v)), float(np.std(v, ddof=1) / math.sqrt(len(v)))) for i, v in draws.items()}


def shapley(econ: Economics, pole: PoleServiceCost, modes, exact_limit: int = 12, samples: int = 4000,
            seed: int = 0) -> dict[str, tuple[float, float]]:
    """Shapley shares of a pole service's poolers (see module docstring)."""
    return shapley_values(pole.poolers, lambda group: coalition_cost(econ, pole.seat, pole.service, group, pole.borrowers, modes),
                          exact_limit, samples, seed)


class MemberTerms:
    """An :class:`Economics` whose per-member pricing terms are computed once and then recalled.

    The core check prices up to 2ⁿ groups of the same *n* poolers at the same seats, and each
    price (:func:`~.economics.pole_service_cost`) is a sum over the group of per-member terms —
    *i*'s workload, régie FTE, supplies, vehicle, contract, machine-days, transfers at seat *j*.
    Those terms depend on (member, seat, service) only, so they are computed once per triple
    instead of once per group (the 65-commune EPCI run priced the same terms thousands of times).

    Exactness: :class:`Economics` is frozen and each method listed in :data:`TERMS` is a pure
    function of its arguments, so the recalled value is the very object a fresh call returns
    (a float, or an array of sampled worlds, never modified in place by the callers); sums keep
    their order, so every price, and so every figure of ``core.csv``, is bit for bit the same
    (``tests/test_sharing.py`` compares both ways on every group)."""

    #: The per-member pricing methods recalled; any other attribute is the economics' own.
    TERMS = ("workload", "retained_fte", "regie_fte", "supplies_eur", "vehicle_eur", "contract_eur", "machine_days",
             "transfer_eur", "borrower_payment", "pooled_staff_eur", "member_eur", "pole_fixed_eur", "minutes", "km")

    def __init__(self, econ: Economics):
        self._econ = econ

    def __getattr__(self, name: str):
        value = getattr(self._econ, name)
        if name in self.TERMS:
            value = functools.cache(value)  # kept by arguments (all hashable: codes and names)
        self.__dict__[name] = value  # later look-ups skip __getattr__
        return value


def core_check(econ: Economics, pole: PoleServiceCost, shares: dict[str, float], modes, exact_limit: int = 12,
               tolerance_eur: float = 1.0) -> CoreCheck:
    """Groups of poolers that pay more together than they would on their own (see module docstring).

    Every group is priced through :class:`MemberTerms` (the same figures, each member's terms
    computed once)."""
    econ = econ if isinstance(econ, MemberTerms) else MemberTerms(econ)
    players = list(pole.poolers)
    n = len(players)
    check = CoreCheck(pole.seat, pole.service, complete=n <= exact_limit)
    if n == 0:
        return check
    if n <= exact_limit:
        groups = (g for k in range(1, n) for g in itertools.combinations(players, k))
    else:
        groups = itertools.chain(((p,) for p in players), itertools.combinations(players, 2),
                                 (tuple(q for q in players if q != p) for p in players))
    pricer = GroupPricer.of(econ, pole.service, [pole.seat] + [p for p in players if p != EPCI], players, modes) if n > 1 else None
    for group in groups:
        pays = sum(shares[i] for i in group)
        alone_each = sum(econ.standalone[(i, pole.service)].total_eur for i in group)
        if len(group) == 1:
            alone = alone_each
        else:
            seats = [pole.seat] + [g for g in group if g != EPCI and g != pole.seat]
            if pricer is not None:
                alone = min([alone_each] + pricer.cheapest_at(group, seats))
            else:
                alone = min([alone_each] + [best_mode_cost(econ, seat, pole.service, group, (), modes).total_eur for seat in seats])
        if pays > alone + tolerance_eur:
            check.blocking.append((tuple(group), pays, alone))
    return check


class GroupPricer:
    """The core check's price of a group of poolers with no borrowers, each allowed mode, at
    each candidate seat — :func:`~.economics.best_mode_cost` ``(…).total_eur`` without building
    a :class:`~.economics.PoleServiceCost` for each of the 2ⁿ groups × seats × modes.

    The figures are the very same floats: every field is the same expression over the same
    per-member terms summed in the same order (``sum`` of the group's values, left to right),
    and the total adds the fields in :attr:`PoleServiceCost.total_eur`'s order. What does not
    depend on the seat (délégation: contract, lots, staff kept; régie: supplies, machine-days
    and units, staff kept) is computed once per group rather than once per seat and mode.
    ``tests/test_sharing_fast.py`` compares both on every group of real poles.

    Only for plain numbers: under sampled worlds (arrays) :meth:`of` returns ``None`` and the
    check prices through :func:`~.economics.best_mode_cost`."""

    def __init__(self, econ, service: str, seats, members, modes):
        cat, spec, terms = econ.catalogue, econ.catalogue.services[service], econ.terms
        allowed = spec.modes
        self.modes = tuple(m for m in modes if m in allowed) or allowed
        self.equipment = list(spec.equipment_days)
        self.staff_rate = cat.staff_eur(service)
        self.ri_rate = econ.pooled_staff_eur(service) - self.staff_rate
        self.specialist_min = spec.specialist_min_fte.value
        self.max_lot, self.lot_cost = terms.max_lot_eur.value, terms.lot_cost_eur.value
        self.pole_fixed, self.member_fee = econ.pole_fixed_eur(), econ.member_eur()
        self.units_for = {q: cat.equipment[q].units_for for q in self.equipment}
        self.annual = {q: cat.equipment[q].annual_eur for q in self.equipment}
        self.no_units_eur = sum(self.units_for[q](0) * self.annual[q] for q in self.equipment)  # days summed over no users
        self.retained = {i: econ.retained_fte(i, service) for i in members}
        self.supplies = {i: econ.supplies_eur(i, service) for i in members}
        self.contract = {i: econ.contract_eur(i, service) for i in members}
        self.days = {(i, q): econ.machine_days(i, service, q) for i in members for q in self.equipment}
        self.fte = {(i, j): econ.regie_fte(i, j, service) for i in members for j in seats}
        self.vehicle = {(i, j): econ.vehicle_eur(i, j, service) for i in members for j in seats}
        self.transfer = {(i, j): econ.transfer_eur(i, j, service) for i in members for j in seats}
        numbers = [self.staff_rate, self.ri_rate, self.specialist_min, self.no_units_eur, *self.annual.values(),
                   *self.retained.values(), *self.supplies.values(), *self.contract.values(), *self.days.values(),
                   *self.fte.values(), *self.vehicle.values(), *self.transfer.values()]
        self.plain = not any(np.ndim(v) for v in numbers)

    @classmethod
    def of(cls, econ, service: str, seats, members, modes) -> GroupPricer | None:
        pricer = cls(econ, service, list(dict.fromkeys(seats)), members, modes)
        return pricer if pricer.plain else None

    def cheapest_at(self, group, seats) -> list[float]:
        """For each seat, the cheaper allowed mode's total (€/yr) of ``group`` pooling alone there."""
        group = tuple(group)
        retained = sum([self.retained[i] for i in group])
        coordination = self.pole_fixed + self.member_fee * len(group)
        delegation = regie_fixed = None
        if "delegation" in self.modes:
            contract = sum([self.contract[i] for i in group])
            lots = max(1, int(math.ceil(contract / self.max_lot - 1e-9)))
            # staff, supplies, vehicle, equipment (no machine users), transfers, contract, lots, staff kept, coordination, ri
            delegation = (0.0 + 0.0 + 0.0 + self.no_units_eur + 0 + contract + lots * self.lot_cost + retained * self.staff_rate
                          + coordination + 0.0)
        if "regie" in self.modes:
            supplies = sum([self.supplies[i] for i in group])
            units = {q: self.units_for[q](sum([self.days[i, q] for i in group])) for q in self.equipment}
            regie_fixed = (supplies, sum([n * self.annual[q] for q, n in units.items()]))
        out = []
        for seat in seats:
            best = None
            for mode in self.modes:
                if mode == "regie":
                    supplies, equipment = regie_fixed
                    fte = max(max(self.specialist_min, sum([self.fte[i, seat] for i in group])), retained)
                    total = (fte * self.staff_rate + supplies + sum([self.vehicle[i, seat] for i in group]) + equipment
                             + sum([self.transfer[i, seat] for i in group]) + 0.0 + 0 * self.lot_cost + 0.0 + coordination
                             + fte * self.ri_rate)
                else:
                    total = delegation
                if best is None or total < best:  # min() keeps the first of equal totals
                    best = total
            out.append(best)
        return out
