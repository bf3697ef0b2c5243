"""Brute-force service sharing on tiny territories: every partition, every seat, every member's
choice (keep, pool, borrow), every mode — priced by a second, independent implementation of the
cost rules written from the README's formulas, sharing only the data with the engine."""

from __future__ import annotations

import itertools
import math

from bruteforce import connected, set_partitions

from optimiser.verification.rates import alone as alone_cost
from optimiser.verification.rates import (
    contract_rate,
    fte_rate,
    machine_year,
    polyvalent_time,
    retained_share,
    ri_rate,
    supplies_rate,
)


def _constants(si, s):
    """The rates :func:`pole_cost` and :func:`payment` read for service ``s``, worked out once
    per services inputs (the brute force prices tens of thousands of pole services from the
    same few: computing them again each time was most of its time). The same values, by the same
    functions, as when they were computed in place."""
    cache = si.__dict__.get("_bruteforce_constants")
    if cache is None:
        cache = {}
        object.__setattr__(si, "_bruteforce_constants", cache)
    if s not in cache:
        cat, terms, inv = si.catalogue, si.terms, si.inventory
        spec = cat.services[s]
        keep_share = retained_share(terms)
        members = {i for (i, t) in inv.services if t == s}
        equipment = []
        for q, per in spec.equipment_days.items():
            e = cat.equipment[q]
            usable = min(e.capacity_days.value, e.peak_days.value / e.peak_share.value) if e.peak_share.value > 0 else e.capacity_days.value
            equipment.append((per.value, e.capacity_days.value, e.peak_share.value, e.peak_days.value, machine_year(cat, q),
                              e.transfer_speed_kmh.value, e.transfer_eur_per_h.value, machine_year(cat, q) / usable))
        cache[s] = {
            "spec": spec, "staff_rate": fte_rate(cat, s), "h": cat.hours_per_day.value, "days_per_fte": cat.productive_days.value,
            "fee": terms.member_fee_eur.value + terms.setup_member_eur.value / terms.horizon_years.value,
            "pole": terms.coordination_eur.value + terms.setup_pole_eur.value / terms.horizon_years.value,
            "ri": ri_rate(cat, terms, s), "supplies": supplies_rate(cat, s), "contract_rate": contract_rate(cat, s),
            "workload": {i: inv.services[(i, s)].workload for i in members},
            # agents kept on: the attrition rule's, and polyvalent agents' time (kept whatever the rule)
            "retained": {i: max(keep_share * inv.services[(i, s)].fte
                                if si.econ.attrition_rule and inv.services[(i, s)].mode == "regie" else 0.0,
                                polyvalent_time(inv.agents, i, s)) for i in members},
            "equipment": equipment,
        }
    return cache[s]


def pole_cost(si, matrix_index, time_min, km, seat, s, poolers, borrowers, mode):
    """€/yr of one pole's service; None if the mode is not allowed."""
    terms = si.terms
    k = _constants(si, s)
    spec, workload = k["spec"], k["workload"]
    staff_rate = k["staff_rate"]
    h = k["h"]
    days_per_fte = k["days_per_fte"]

    def w(i):
        return workload[i]

    def t(i):
        return 0.0 if i == seat else time_min[matrix_index[i], matrix_index[seat]]

    def d(i):
        return 0.0 if i == seat else km[matrix_index[i], matrix_index[seat]]

    fee = k["fee"]
    users = list(poolers) + list(borrowers)
    if not users:
        return 0.0
    total = k["pole"] + fee * len(users)
    retained = 0.0
    for i in poolers:
        retained += k["retained"][i]
    machine_users = list(borrowers)
    if poolers:
        if mode == "regie":
            fte = sum(w(i) / spec.productivity.value * (1 + 2 * t(i) / 60 / h) for i in poolers)
            fte = max(fte, spec.specialist_min_fte.value, retained)
            total += fte * (staff_rate + k["ri"]) + sum(w(i) for i in poolers) * k["supplies"]
            total += sum(w(i) / spec.productivity.value * days_per_fte * 2 * d(i) * terms.vehicle_eur_per_km.value for i in poolers)
            machine_users = users
        else:
            contract = sum(w(i) * spec.delegated_price.value for i in poolers) * k["contract_rate"] * (1 - terms.joint_saving.value)
            lots = max(1, math.ceil(contract / terms.max_lot_eur.value - 1e-9))
            total += contract + lots * terms.lot_cost_eur.value + retained * staff_rate
    for per, capacity, peak_share, peak_days, year, speed, per_hour, _ in k["equipment"]:
        days = sum(w(i) * per for i in machine_users)
        units = math.ceil(days / capacity - 1e-9) if days > 1e-9 else 0
        if peak_share > 0 and days > 1e-9:  # the peak month: share of the days within its working days
            units = max(units, math.ceil(peak_share * days / peak_days - 1e-9))
        total += units * year
        total += sum(w(i) * per * 2 * d(i) / speed * per_hour for i in machine_users)
    return total


def payment(si, matrix_index, km, seat, s, i):
    k = _constants(si, s)
    w = k["workload"][i]
    dist = 0.0 if i == seat else km[matrix_index[i], matrix_index[seat]]
    total = k["fee"]
    for per, _, _, _, _, speed, per_hour, rate in k["equipment"]:
        total += w * per * (rate + 2 * dist / speed * per_hour)
    return total


def _member_options(si, i, s) -> tuple[bool, list[str]]:
    """Whether member ``i`` may keep service ``s`` alone, and the ways it may use a pole
    ("pool", "borrow"), under the forced rules, its workload and mode, and the scenario."""
    forced = si.forced.get((i, s))
    row = si.inventory.services[(i, s)]
    uses = []
    if si.pool_services and forced is not False and row.workload > 0:
        uses.append("pool")
    if (si.lend_equipment and forced is None and row.workload > 0 and si.catalogue.services[s].equipment_days
            and row.mode == "regie"):
        uses.append("borrow")
    return forced is not True, uses


def _seat_table(si, matrix_index, time_min, km, universe, seat, s, memo):
    """For pole ``seat`` and service ``s``: for each set of members of ``universe`` (a bitmask
    over its order), the cheapest (extra, choices) of the members in it, where ``extra`` is the
    pole's cost less what its users would pay alone (all of it for a pooler, the machines for a
    borrower) and ``choices`` (poolers, borrowers, mode) are drawn from these members — those
    who may not keep theirs always among the users, the others free to keep theirs.

    A block's best is then what all its members pay alone plus the table's entry for the block:
    the users' choices and the pole's price depend on the users, the seat and the service alone,
    so they are enumerated once per seat (3^n assignments of the territory's n members) instead
    of once per block holding the seat (3·4^(n−1) for the blocks together)."""
    key = ("table", seat, s, universe)
    if key in memo:
        return memo[key]
    alone = _alone(si)
    n = len(universe)
    options = [_member_options(si, i, s) for i in universe]
    bound = 0  # members who may not keep theirs: never dropped from a block's users
    for k, (may_keep, _) in enumerate(options):
        bound |= (not may_keep) << k
    exact = [(math.inf, None)] * (1 << n)
    for combo in itertools.product(*[("out", *uses) for _, uses in options]):
        poolers = [i for i, c in zip(universe, combo) if c == "pool"]
        borrowers = [i for i, c in zip(universe, combo) if c == "borrow"]
        users = poolers + borrowers
        if len(users) == 1 and si.forced.get((users[0], s)) is not True:
            continue  # one member is not pooling: it stays alone (the engine asks two users)
        mask = sum(1 << k for k, c in enumerate(combo) if c != "out")
        saved = sum(alone[(i, s)]["total"] for i in poolers) + sum(alone[(i, s)]["machines"] for i in borrowers)
        for mode in si.modes[s] if poolers else (None,):
            price = (seat, s, tuple(poolers), tuple(borrowers), mode)
            if price not in memo:
                cost = pole_cost(si, matrix_index, time_min, km, seat, s, poolers, borrowers, mode)
                memo[price] = cost, not si.individual_rationality or _fair(si, matrix_index, km, seat, s, poolers, borrowers, cost)
            cost, fair = memo[price]
            if fair and cost - saved < exact[mask][0] - 1e-9:
                exact[mask] = (cost - saved, (tuple(poolers), tuple(borrowers), mode))
    # best[U]: the cheapest over the users' sets within U holding U's bound members (dropping a
    # free member from the users lets it keep its own), smaller sets first
    best = list(exact)
    for mask in sorted(range(1 << n), key=lambda m: bin(m).count("1")):
        for k in range(n):
            if mask >> k & 1 and not bound >> k & 1 and best[mask ^ (1 << k)][0] < best[mask][0] - 1e-9:
                best[mask] = best[mask ^ (1 << k)]
    memo[key] = best
    return best


def best_block_service(si, matrix_index, time_min, km, block, seat, s, memo=None, universe=None):
    """Cheapest (cost, choices) for one pole and one service, over members' choices and modes,
    under individual rationality (workload key), forced rules and allowed modes. ``memo`` keeps
    each (seat, service, poolers, borrowers, mode)'s pole cost and fairness, and each seat's
    table (:func:`_seat_table`, over ``universe``: the communes any block may hold, the block
    itself by default), across blocks."""
    memo = {} if memo is None else memo
    universe = tuple(block) if universe is None else tuple(universe)
    table = _seat_table(si, matrix_index, time_min, km, universe, seat, s, memo)
    mask = sum(1 << universe.index(i) for i in block)
    extra, choices = table[mask]
    if math.isinf(extra):
        return math.inf, None
    alone = _alone(si)
    return sum(alone[(i, s)]["total"] for i in block) + extra, choices


def _alone(si) -> dict:
    """Each member reorganised alone (README): the verifier's own pricing, not the engine's."""
    if not hasattr(si, "_bruteforce_alone"):
        object.__setattr__(si, "_bruteforce_alone", {k: alone_cost(si, *k) for k in si.inventory.services})
    return si._bruteforce_alone


def _fair(si, matrix_index, km, seat, s, poolers, borrowers, cost) -> bool:
    inv, alone = si.inventory, _alone(si)
    if poolers:
        paid = sum(payment(si, matrix_index, km, seat, s, i) for i in borrowers)
        total_w = sum(inv.services[(i, s)].workload for i in poolers)
        for i in poolers:
            if si.forced.get((i, s)) is True:
                continue
            if (cost - paid) * inv.services[(i, s)].workload / total_w > alone[(i, s)]["total"] + 1e-6:
                return False
        for i in borrowers:
            if payment(si, matrix_index, km, seat, s, i) > alone[(i, s)]["machines"] + 1e-6:
                return False
    elif borrowers:
        total_w = sum(inv.services[(i, s)].workload for i in borrowers)
        for i in borrowers:
            if cost * inv.services[(i, s)].workload / total_w > alone[(i, s)]["machines"] + 1e-6:
                return False
    return True


def best_service_design(inputs):
    """Optimal total cost (€/yr) over every contiguous partition and seat, or None."""
    si, matrix, territory, rules = inputs.services, inputs.matrix, inputs.territory, inputs.rules
    index = matrix.index()
    codes = territory.codes
    nbrs = territory.neighbours()
    pop = {c: float(p) for c, p in territory.communes["population"].items()}
    limit = math.inf if rules.max_travel_min is None else rules.max_travel_min + 1e-9
    cache = {}
    memo = {}  # pole services priced, shared by the blocks (best_block_service)
    best = math.inf
    for partition in set_partitions(list(codes)):
        if rules.contiguity != "none" and not all(connected(b, nbrs) for b in partition):
            continue
        total = 0.0
        for block in partition:
            key = tuple(sorted(block))
            if key not in cache:
                options = []
                for seat in block:
                    if any(matrix.time_min[index[i], index[seat]] > limit for i in block):
                        continue
                    if len(block) > 1 and seat not in rules.seat_share_exempt and \
                            pop[seat] < rules.seat_share * sum(pop[i] for i in block) - 1e-9:
                        continue  # the seat rule: a bourg-centre holding its share of the pole
                    reach = tuple(i for i in codes if matrix.time_min[index[i], index[seat]] <= limit)
                    options.append(sum(best_block_service(si, index, matrix.time_min, matrix.km, block, seat, s, memo, reach)[0]
                                       for s in si.services))
                cache[key] = min(options, default=math.inf)
            total += cache[key]
        best = min(best, total)
    return None if math.isinf(best) else best
