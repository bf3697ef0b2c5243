r"""Exact prices of candidate poles, without a solver: every service configuration, vectorised.

With the poles fixed the service model separates by pole *and* by service: every row of
:mod:`optimiser.model.services` and :mod:`optimiser.model.fairness` reads one pole service
:math:`(j, s)` only (membership, mode, two users, sizing, individual rationality, the bank rules).
So the optimal change of cost of the pole :math:`(j, M)` (:class:`~.pole_pricing.PerPoleValue`'s
:math:`\Delta`, k€/yr) is

.. math:: \Delta(j, M) = \tau(j, M) + \sum_s g_s(j, M), \qquad
   g_s(j, M) = \min\Big(0,\ \min_{U \subseteq M,\ U \ne \emptyset} v_s(j, U)\Big)

with :math:`\tau` the priced travel (``objective.travel_weight_eur`` × population-weighted travel)
and :math:`v_s(j, U)` the best configuration whose users are exactly :math:`U`: poolers
:math:`P`, borrowers :math:`B = U \setminus P`, one mode (régie or délégation; none when
:math:`P = \emptyset`, a lending-only bank), obeying

* who may do what (:func:`optimiser.model.services.add_choice_variables`: workload, the modes
  allowed, ``pooling.force``, lending only for members in régie today);
* members forced to pool *s* (:func:`forced_to_pool`, :math:`F_s`): :math:`U \supseteq F_s \cap M`,
  each of them a pooler — so the empty :math:`U` (the 0 of the :math:`\min`) only when
  :math:`F_s \cap M = \emptyset`, and :math:`g_s` may be positive;
* two users or none (:math:`|U| \ge 2`), unless a member of :math:`M` is forced to pool *s*
  (:func:`optimiser.model.services.add_two_users`): then the forced member alone is a configuration;
* individual rationality when asked: with poolers, :math:`(C - \Pi_B)\,k_i / \sum_P k \le
  \text{standalone}_i` for every pooler with a key (:math:`\Pi_B` what borrowers pay) and every
  borrower pays at most the machines it sheds; a bank, :math:`C\, w_i / \sum_B w \le \text{shed}_i`.
  Forced members have no such row (a political choice) but their key counts in :math:`\sum_P k`;

of value :math:`C_s(j, P, B, \text{mode}) - \sum_P \text{standalone} - \sum_B \text{shed}` (€/yr),
:math:`C_s` the closed-form pole cost (:func:`optimiser.services.economics.pole_service_cost`:
staff :math:`\max(F^{spec}, \sum \text{fte}, \sum \text{retained})`, whole machines for the
season's peak, lots), which is the MILP's cost at its cheapest sizing.

Vectorised per seat: the member sets of a seat's columns and all their subsets (the down-closure
:math:`\mathcal D_j`, as bitmasks over ``members_of[j]``) get their per-member sums by one matrix
product; every split :math:`(P, B)` of every :math:`U \in \mathcal D_j` is priced at once
(:math:`\sum_{U} 2^{|U|}` configurations), the best per :math:`U` kept, and each column takes the
minimum over its subsets. The service commun's columns hold the EPCI as one more member (with
its own workload and its forced services, no travel). A budget or a travel cap is not a pole's rule: each column is priced
without it (its cheapest configuration) and the master holds it (:mod:`.set_partitioning`).
Rules this module does not replicate (a Shapley key, sampled worlds)
make :func:`unsupported` say why; the caller then keeps the MILP pricing.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from ..inputs import Inputs
from ..model.candidates import CandidatePairs
from ..model.poles import pair_travel
from ..model.services import K
from ..services.economics import EPCI
from .pole_enumeration import Pole

#: Above this many (poolers, borrowers) splits over all seats and services, give up (time: the
#: open service commun of Laval 2016, 44 M, priced in 10.6 s on a loaded 2-core machine).
CONFIGURATION_CAP = 60_000_000

#: Above this many splits in one seat's down-closure, give up (memory: they are held at once,
#: 4.8 M peaked at 0.3 GB resident).
SEAT_SPLIT_CAP = 6_000_000

#: Bitmasks are int64: at most this many communes in one seat's columns.
MAX_MEMBERS = 62

#: € of slack on the fairness rows, as a MILP's feasibility tolerance (rows in k€, 1e-9) would.
IR_TOLERANCE_EUR = 1e-6


@dataclasses.dataclass(frozen=True)
class ColumnPrices:
    r"""Δ of each column (k€/yr, same order), its priced travel part τ (k€/yr), its travel
    :math:`T = \sum_{i \ne j} p_i t_{ij}` (person-minutes or person-km), how many configurations
    were priced. Δ − τ is the column's change of the services' total cost."""

    delta: np.ndarray
    travel: np.ndarray
    person_travel: np.ndarray
    configurations: int
    seconds: float


def unsupported(inputs: Inputs) -> str | None:
    """Why the pricing below cannot be exact for ``inputs``, or ``None``."""
    si = inputs.services
    if si is None or not si.enabled:
        return "no services to price"
    if EPCI in si.members and inputs.rules.service_commun is None:
        return "the EPCI as a member without a service commun"
    if si.key not in ("workload", "population"):
        return f"cost-sharing key {si.key!r}"
    for s in si.services:
        for q in si.catalogue.services[s].equipment_days:
            e = si.catalogue.equipment[q]
            if np.ndim(e.effective_capacity) or np.ndim(e.annual_eur):
                return "sampled worlds (uncertain parameters)"
    return None


def forced_to_pool(inputs: Inputs) -> dict[str, frozenset[str]]:
    """Service → the members that must pool it (``pooling.force`` with ``pool: true``) and can: a
    workload and a pooled mode, as :func:`optimiser.model.services.add_choice_variables` bounds
    their ``u`` to 1 only then. Such a member is never alone."""
    si = inputs.services
    out: dict[str, set[str]] = {}
    for (i, s), pool in si.forced.items():
        if pool is True and i in si.members and s in si.services and si.econ.workload(i, s) > 0 \
                and {"regie", "delegation"} & set(si.modes[s]):
            out.setdefault(s, set()).add(i)
    return {s: frozenset(members) for s, members in out.items()}


@dataclasses.dataclass(frozen=True)
class PricingData:
    """What :func:`price_columns` reads of the inputs and the candidate pairs whatever the
    columns: why it cannot price them (:func:`unsupported`), each pair's travel, populations,
    retained FTE per (member, service), the members forced to pool. A caller pricing poles one
    at a time (:class:`~.pole_pricing.PerPoleValue`) works it out once, not per pole, where it
    was a quarter of a small pole's pricing."""

    why_not: str | None
    travel: dict[tuple[str, str], float]
    population: dict[str, float]
    retained: dict[tuple[str, str], float]
    forced: dict[str, frozenset[str]]
    #: (member, seat, service) → its row of :class:`_ServiceTable` (:func:`_member_row`), and
    #: service → its constants (:func:`_service_constants`), filled as poles are priced: a pole
    #: search prices thousands of poles of the same few seats, and the dozen economics calls of
    #: each row were a fifth of each one's pricing
    rows: dict = dataclasses.field(default_factory=dict, compare=False)
    #: (member count, closure) → its :class:`_Splits`: a pole priced alone has the closure of all
    #: the subsets of its members, the same for every pole of that size
    splits: dict = dataclasses.field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, inputs: Inputs, pairs: CandidatePairs) -> PricingData:
        why_not = unsupported(inputs)
        if why_not is not None:
            return cls(why_not, {}, {}, {}, {})
        si = inputs.services
        return cls(None, pair_travel(inputs.matrix, inputs.rules, pairs),
                   {c: float(p) for c, p in inputs.territory.communes["population"].items()},
                   {(i, s): si.econ.retained_fte(i, s) for i in si.members for s in si.services},
                   forced_to_pool(inputs))


def price_columns(inputs: Inputs, pairs: CandidatePairs, columns: list[Pole],
                  cap: int = CONFIGURATION_CAP, data: PricingData | None = None) -> ColumnPrices | None:
    """Δ(j, M) for every column (see module docstring); ``None`` when unsupported or too many
    configurations. ``data``: :meth:`PricingData.of` these inputs and pairs, if the caller holds it."""
    data = data if data is not None else PricingData.of(inputs, pairs)
    if data.why_not is not None:
        return None
    start = time.perf_counter()
    by_seat: dict[str, list[int]] = {}
    for c, (j, _) in enumerate(columns):
        by_seat.setdefault(j, []).append(c)
    seats = {}
    total = 0
    for j, cols in by_seat.items():
        used = {i for c in cols for i in columns[c][1]}
        order = tuple(i for i in pairs.members_of[j] if i in used)  # a bit per member some column holds
        epci = _holds_epci(inputs, j)
        order += (EPCI,) if epci else ()
        if len(order) > MAX_MEMBERS:
            return None
        pos = {i: k for k, i in enumerate(order)}
        masks = np.array([sum(1 << pos[i] for i in columns[c][1] + ((EPCI,) if epci else ())) for c in cols], dtype=np.int64)
        if len(cols) == 1:  # one pole (PerPoleValue): its members are the order, every subset of them is in the closure
            closure = np.arange(1 << len(order), dtype=np.int64)
            subsets = {len(order): closure[:, None]}
        else:
            subsets = _column_subsets(masks, len(order))
            closure = np.unique(np.concatenate([s.ravel() for s in subsets.values()]))
        splits = int(np.sum(np.left_shift(1, _popcount(closure, len(order)))))
        total += splits * len(inputs.services.services)
        if total > cap or splits > SEAT_SPLIT_CAP:
            return None
        seats[j] = (order, cols, masks, subsets, closure)
    delta = np.zeros(len(columns))
    person_travel = column_travel(inputs, pairs, columns, data)
    travel = person_travel * inputs.loaded.scenario.objective.travel_weight_eur / K
    retained, population, forced = data.retained, data.population, data.forced
    for j, (order, cols, masks, subsets, closure) in seats.items():
        splits = _splits_of(closure, len(order), data.splits)
        g = np.zeros(len(cols))
        for s in inputs.services.services:
            must = sum(1 << k for k, i in enumerate(order) if i in forced.get(s, ()))
            best = _ServiceTable(inputs, j, s, order, retained, population, must, data.rows).best(splits)
            g += _column_minimum(best, splits, subsets, masks, must)
        delta[cols] = g / K
    return ColumnPrices(delta + travel, travel, person_travel, total, time.perf_counter() - start)


#: Closures of at most this many masks are kept by :func:`_splits_of` (those of poles priced one
#: at a time: 2^m for m members, 256 at the closed form's largest pole).
CACHED_CLOSURE = 1 << 10


def _splits_of(closure: np.ndarray, n: int, cache: dict) -> _Splits:
    """The :class:`_Splits` of ``closure``, from ``cache`` when a small closure was seen before."""
    if len(closure) > CACHED_CLOSURE:
        return _Splits(closure, n)
    key = (n, closure.tobytes())
    if key not in cache:
        cache[key] = _Splits(closure, n)
    return cache[key]


def _holds_epci(inputs: Inputs, j: str) -> bool:
    """Whether the columns of seat *j* hold the EPCI: the service commun's seat, when the EPCI has
    a workload (:func:`optimiser.model.services.ServiceModel.x_of`: it is in that pole, travelling
    nowhere)."""
    sc = inputs.rules.service_commun
    return sc is not None and j == sc.seat and EPCI in inputs.services.members


def column_travel(inputs: Inputs, pairs: CandidatePairs, columns: list[Pole], data: PricingData | None = None) -> np.ndarray:
    """T(j, M) = Σ_{i ∈ M, i ≠ j} p_i t_ij, as :func:`optimiser.model.poles.travel_expression`
    (τ = ``travel_weight_eur`` × T / 1000 k€/yr is the cost objective's travel term)."""
    if data is not None and data.why_not is None:
        travel, population = data.travel, data.population
    else:
        travel = pair_travel(inputs.matrix, inputs.rules, pairs)
        population = {c: float(p) for c, p in inputs.territory.communes["population"].items()}
    return np.array([sum(population[i] * travel[i, j] for i in members if i != j) for j, members in columns], dtype=float)


def _popcount(masks: np.ndarray, n: int) -> np.ndarray:
    return ((masks[:, None] >> np.arange(n)) & 1).sum(axis=1)


def _bit_positions(masks: np.ndarray, n: int, m: int) -> np.ndarray:
    """(len(masks), m): the positions of the set bits of masks that all have m of them."""
    bits = (masks[:, None] >> np.arange(n)) & 1
    return np.argsort(-bits, axis=1, kind="stable")[:, :m]


def _submasks(masks: np.ndarray, n: int, m: int) -> np.ndarray:
    """(2^m, len(masks)): every subset of each mask (all with m bits), the empty one first."""
    positions = _bit_positions(masks, n, m)
    choose = (np.arange(1 << m)[:, None] >> np.arange(m)) & 1  # (2^m, m)
    return choose @ np.left_shift(np.int64(1), positions).T


def _column_subsets(masks: np.ndarray, n: int) -> dict[int, np.ndarray]:
    """Column size m → (2^m, columns of that size) subsets, in the order of ``masks`` filtered by size."""
    sizes = _popcount(masks, n)
    return {int(m): _submasks(masks[sizes == m], n, int(m)) for m in np.unique(sizes)}


def _column_minimum(best: np.ndarray, splits: _Splits, subsets: dict[int, np.ndarray], masks: np.ndarray,
                    must: int = 0) -> np.ndarray:
    """g per column: the minimum of ``best`` over its subsets (the empty one: 0) that hold every
    member of the column in ``must`` (the bitmask of the members forced to pool)."""
    sizes = _popcount(masks, splits.n)
    out = np.zeros(len(masks))
    for m, subs in subsets.items():
        values = best[splits.index(subs)]
        if must:
            held = masks[sizes == m] & must  # the column's forced members
            values = np.where((subs & held[None, :]) == held[None, :], values, np.inf)
        out[sizes == m] = values.min(axis=0)
    return out


class _Splits:
    r"""The down-closure :math:`\mathcal D_j` of one seat's columns (sorted bitmasks) and, for
    each size m ≥ 1 of users (one: a member forced to pool, alone), every split of those users into poolers and borrowers, as row
    indices into the closure: ``(rows, ip, ib)`` with ``ip``, ``ib`` of shape (2^m, len(rows)).
    Shared by every service of the seat."""

    def __init__(self, closure: np.ndarray, n: int):
        self.closure, self.n = closure, n
        self.bits = ((closure[:, None] >> np.arange(n)) & 1).astype(bool)
        self._lookup = None
        if n <= 20:  # a dense table beats a binary search (4 MB at most)
            self._lookup = np.full(1 << n, -1, dtype=np.int32)
            self._lookup[closure] = np.arange(len(closure))
        count = self.bits.sum(axis=1)
        self.groups = []
        for m in np.unique(count):
            if m < 1:
                continue
            rows = np.nonzero(count == m)[0]
            pooled = _submasks(closure[rows], n, int(m))  # (2^m, G): every P ⊆ U
            self.groups.append((int(m), rows, self.index(pooled), self.index(closure[rows][None, :] ^ pooled)))
        # every group's splits in one flat run, each U's 2^m splits side by side (a column of its
        # group's arrays): :meth:`_ServiceTable.best` prices them all in one pass of array
        # operations instead of one pass per size, the minimum per U taken over each run
        def joined(parts: list[np.ndarray]) -> np.ndarray:
            return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

        self.users = joined([np.full(ip.size, m) for m, _, ip, _ in self.groups])
        self.ip = joined([ip.T.ravel() for _, _, ip, _ in self.groups])
        self.ib = joined([ib.T.ravel() for _, _, _, ib in self.groups])
        self.row = joined([np.repeat(rows, 1 << m) for m, rows, _, _ in self.groups])
        self.rows = joined([rows for _, rows, _, _ in self.groups])
        # where each U's run starts: its 2^|U| splits follow one another
        self.starts = np.cumsum([0] + [1 << m for m, rows, _, _ in self.groups for _ in rows])[:-1].astype(np.int64)
        self.single = self.users == 1

    def index(self, masks: np.ndarray) -> np.ndarray:
        """Rows of ``masks`` (all in the closure) in the closure."""
        return self._lookup[masks] if self._lookup is not None else np.searchsorted(self.closure, masks)


def _service_constants(inputs: Inputs, s: str) -> tuple:
    """What :class:`_ServiceTable` reads of service ``s`` whatever the pole: the specialist
    floor (FTE), the pooled and the own staff rates, the pole's and a member's fixed costs, the
    lot size and cost (€/yr), the machines with their capacities (days) and annual costs."""
    si = inputs.services
    econ, cat = si.econ, si.catalogue
    spec = cat.services[s]
    machines = list(spec.equipment_days)
    return (spec.specialist_min_fte.value, econ.pooled_staff_eur(s), cat.staff_eur(s), econ.pole_fixed_eur(),
            econ.member_eur(), econ.terms.max_lot_eur.value, econ.terms.lot_cost_eur.value, machines,
            np.array([cat.equipment[q].effective_capacity for q in machines], dtype=float),
            np.array([cat.equipment[q].annual_eur for q in machines], dtype=float))


def _member_row(inputs: Inputs, i: str, j: str, s: str, machines: list[str], retained: dict[tuple[str, str], float],
                population: dict[str, float]) -> tuple[list[float], bool, bool, bool, bool]:
    """Member ``i``'s terms in a pole of seat ``j`` for service ``s`` (€/yr, days; the columns of
    :attr:`_ServiceTable.terms`) and whether it may pool in régie, in délégation, borrow, and
    pay a borrower's share within what it sheds."""
    si = inputs.services
    econ, spec = si.econ, si.catalogue.services[s]
    w = econ.workload(i, s)
    forced = si.forced.get((i, s))
    can_pool = (si.pool_services and forced is not False and w > 0) or (forced is True and w > 0)
    can_borrow = (si.lend_equipment and forced is None and w > 0 and bool(spec.equipment_days)
                  and si.inventory.services[(i, s)].mode == "regie")
    alone = si.standalone[(i, s)]
    shed = alone.equipment_eur
    pay = econ.borrower_payment(i, j, s)
    key = float(population.get(i, 0)) if si.key == "population" else w
    terms = [econ.regie_fte(i, j, s), retained[i, s],
             econ.supplies_eur(i, s) + econ.vehicle_eur(i, j, s), econ.transfer_eur(i, j, s),
             econ.contract_eur(i, s), alone.total_eur, shed, pay, key, w,
             *[econ.machine_days(i, s, q) for q in machines]]
    return (terms, bool(can_pool and "regie" in si.modes[s]), bool(can_pool and "delegation" in si.modes[s]),
            bool(can_borrow), bool(pay <= shed + 1e-6))


class _ServiceTable:
    """Per-member terms of one pole service (j, s), over the members that may join seat j (€/yr)."""

    def __init__(self, inputs: Inputs, j: str, s: str, order: tuple[str, ...], retained: dict[tuple[str, str], float],
                 population: dict[str, float], must: int = 0, cache: dict | None = None):
        si = inputs.services
        self.si, self.s, self.must = si, s, must
        self.n = len(order)
        self.fair = si.individual_rationality
        constants = cache.get(s) if cache is not None else None
        if constants is None:
            constants = _service_constants(inputs, s)
            if cache is not None:
                cache[s] = constants
        (self.spec_fte, self.pooled_staff, self.staff_rate, self.fixed, self.member, self.max_lot, self.lot_eur,
         machines, self.capacity, self.annual) = constants
        rows = []
        regie_ok = delegation_ok = borrow_ok = pay_ok = 0
        for k, i in enumerate(order):
            row = cache.get((i, j, s)) if cache is not None else None
            if row is None:
                row = _member_row(inputs, i, j, s, machines, retained, population)
                if cache is not None:
                    cache[i, j, s] = row
            terms, can_regie, can_delegate, can_borrow, can_pay = row
            regie_ok |= can_regie << k
            delegation_ok |= can_delegate << k
            borrow_ok |= can_borrow << k
            pay_ok |= can_pay << k
            rows.append(terms)
        terms = np.array(rows, dtype=float).reshape(self.n, 10 + len(machines))
        self.terms = terms
        # fairness slopes: a pooler's standalone per unit of key (none for a forced member: no
        # row of its own, its key still shared); a bank borrower's shed per unit of work
        key = terms[:, 8]
        forced_bits = ((must >> np.arange(self.n)) & 1).astype(bool)
        self.alpha = np.where((key > 0) & ~forced_bits, terms[:, 5] / np.where(key > 0, key, 1.0), np.inf)
        work = terms[:, 9]
        self.bank_alpha = np.where(work > 0, terms[:, 6] / np.where(work > 0, work, 1.0), 0.0)
        self.regie_ok, self.delegation_ok, self.borrow_ok, self.pay_ok = regie_ok, delegation_ok, borrow_ok, pay_ok

    def best(self, splits: _Splits) -> np.ndarray:
        """v_s(j, U) for every U of the closure (+inf when no configuration with exactly these
        users obeys the rules; 0 for the empty set).

        Every split of every U in one flat run (:class:`_Splits`: ``ip``, ``ib``, ``users`` = |U|),
        each entry priced by the same array expressions as one size at a time would, then the
        minimum over each U's run. The first split of a run has no pooler (:func:`_submasks` lists
        the empty subset first): the lending-only bank, priced there only; a split with poolers is
        priced only where every borrower may borrow and, with individual rationality, pays at most
        what it sheds (about two thirds of the splits of a small EPCI's pole services are neither):
        the same operations on the same values, so the same bits."""
        t = self._per_mask(splits)
        best = np.full(len(splits.closure), np.inf)
        best[splits.closure == 0] = 0.0
        if not splits.ip.size:
            return best
        ip, ib, users = splits.ip, splits.ib, splits.users
        values = np.full(ip.shape, np.inf)
        first = splits.starts  # P = ∅: a lending-only bank, every user borrows
        banks = ib[first]
        cost = self.fixed + self.member * users[first] + t["transfer"][banks] + t["machines"][banks]
        ok = t["borrow_ok"][banks]
        if self.fair:  # it shares its whole cost by workload: C w_i / Σ w ≤ shed_i
            ok &= cost <= t["bank_limit"][banks] + IR_TOLERANCE_EUR
        values[first] = np.where(ok, cost - (t["alone"][ip[first]] + t["shed"][banks]), np.inf)
        if self.regie_ok or self.delegation_ok:
            usable = t["borrow_ok"] & t["pay_ok"] if self.fair else t["borrow_ok"]
            chosen = np.flatnonzero((ip != t["empty"]) & usable.take(ib))
            values[chosen] = self._with_poolers(t, ip.take(chosen), ib.take(chosen), users.take(chosen))
        # one user: only a member forced to pool (the two-users rule's exception)
        alone_ok = ~splits.single | ((splits.closure[splits.row] & self.must) != 0)
        values = np.where(alone_ok, values, np.inf)
        best[splits.rows] = np.minimum.reduceat(values, splits.starts)
        return best

    def _with_poolers(self, t, p: np.ndarray, b: np.ndarray, users: np.ndarray) -> np.ndarray:
        """The best régie or délégation configuration of each split (poolers ``p``, borrowers
        ``b``, ``users`` of them in all), +inf when neither obeys the rules."""
        base = self.fixed + self.member * users + t["transfer"].take(b)  # coordination, fees, borrowers' transfers
        kept = t["alone"].take(p) + t["shed"].take(b)  # what the users no longer pay alone
        if self.fair:  # poolers share C − Π_B by key: C − Π_B ≤ min_i α_i Σ_P k
            paid, limit = t["pay"].take(b), t["pool_limit"].take(p) + IR_TOLERANCE_EUR
        found = np.full(len(p), np.inf)
        if self.regie_ok:
            days = t["days"].take(p, axis=0) + t["days"].take(b, axis=0)  # régie: one fleet for poolers and borrowers
            units = np.where(days > 1e-9, np.ceil(days / self.capacity - 1e-9), 0.0)
            cost = base + t["regie"].take(p) + units @ self.annual
            ok = t["regie_ok"].take(p)
            if self.fair:
                ok &= cost - paid <= limit
            found = np.where(ok, cost - kept, found)
        if self.delegation_ok:
            cost = base + t["delegation"].take(p) + t["machines"].take(b)
            ok = t["delegation_ok"].take(p)
            if self.fair:
                ok &= cost - paid <= limit
            found = np.minimum(found, np.where(ok, cost - kept, np.inf))
        return found

    def _per_mask(self, splits: _Splits) -> dict[str, np.ndarray]:
        """Per closure mask X (€/yr): its sums and the parts of a pole's cost that depend on the
        poolers alone (P = X) or on the borrowers alone (B = X)."""
        bits, closure = splits.bits, splits.closure
        sums = bits.astype(float) @ self.terms
        fte, retained, regie_var, transfer, contract, alone, shed, pay, key, work = sums[:, :10].T
        days = sums[:, 10:]
        units = np.where(days > 1e-9, np.ceil(days / self.capacity - 1e-9), 0.0)
        lots = np.maximum(1.0, np.ceil(contract / self.max_lot - 1e-9))
        with np.errstate(invalid="ignore"):  # inf × 0 for sets with no key: no constraint
            pool_limit = np.where(bits, self.alpha, np.inf).min(axis=1) * key
            bank_limit = np.where(bits, self.bank_alpha, np.inf).min(axis=1) * work
        pool_limit = np.where(np.isnan(pool_limit), np.inf, pool_limit)
        return {
            "empty": int(splits.index(np.array([0]))[0]),
            "days": days,
            "machines": units @ self.annual,  # a fleet for these members alone (borrowers of a délégation, a bank)
            "regie": np.maximum(np.maximum(self.spec_fte, fte), retained) * self.pooled_staff + regie_var + transfer,
            "delegation": contract + lots * self.lot_eur + retained * self.staff_rate,
            "transfer": transfer, "shed": shed, "alone": alone, "pay": pay,
            "pool_limit": pool_limit, "bank_limit": bank_limit,
            "regie_ok": (closure & ~self.regie_ok) == 0,
            "delegation_ok": (closure & ~self.delegation_ok) == 0,
            "borrow_ok": (closure & ~self.borrow_ok) == 0,
            "pay_ok": (closure & ~self.pay_ok) == 0,
        }
