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


def pole_cost(si, matrix_index, time_min, km, seat, s, poolers, borrowers, mode):
    """€/yr of one pole's service; None if the mode is not allowed."""
    cat, terms, inv = si.catalogue, si.terms, si.inventory
    spec = cat.services[s]
    staff_rate = fte_rate(cat, s)
    h = cat.hours_per_day.value
    days_per_fte = cat.productive_days.value

    def w(i):
        return inv.services[(i, s)].workload

    def t(i):
        return 0.0 if i == seat else time_min[matrix_index[i], matrix_index[seat]]

    def d(i):
        return 0.0 if i == seat else km[matrix_index[i], matrix_index[seat]]

    fee = terms.member_fee_eur.value + terms.setup_member_eur.value / terms.horizon_years.value
    users = list(poolers) + list(borrowers)
    if not users:
        return 0.0
    total = terms.coordination_eur.value + terms.setup_pole_eur.value / terms.horizon_years.value + fee * len(users)
    keep_share = retained_share(terms)
    retained = 0.0
    for i in poolers:  # agents kept on: the attrition rule's, and polyvalent agents' time (kept whatever the rule)
        rule = keep_share * inv.services[(i, s)].fte if si.econ.attrition_rule and inv.services[(i, s)].mode == "regie" else 0.0
        retained += max(rule, polyvalent_time(inv.agents, i, s))
    machine_users = list(borrowers)
    if poolers:
        if mode == "regie":
            fte = sum(w(i) / spec.productivity.value * (1 + 2 * t(i) / 60 / h) for i in poolers)
            fte = max(fte, spec.specialist_min_fte.value, retained)
            total += fte * (staff_rate + ri_rate(cat, terms, s)) + sum(w(i) for i in poolers) * supplies_rate(cat, s)
            total += sum(w(i) / spec.productivity.value * days_per_fte * 2 * d(i) * terms.vehicle_eur_per_km.value for i in poolers)
            machine_users = users
        else:
            contract = sum(w(i) * spec.delegated_price.value for i in poolers) * contract_rate(cat, s) * (1 - terms.joint_saving.value)
            lots = max(1, math.ceil(contract / terms.max_lot_eur.value - 1e-9))
            total += contract + lots * terms.lot_cost_eur.value + retained * staff_rate
    for q, per in spec.equipment_days.items():
        e = cat.equipment[q]
        days = sum(w(i) * per.value for i in machine_users)
        units = math.ceil(days / e.capacity_days.value - 1e-9) if days > 1e-9 else 0
        if e.peak_share.value > 0 and days > 1e-9:  # the peak month: share of the days within its working days
            units = max(units, math.ceil(e.peak_share.value * days / e.peak_days.value - 1e-9))
        total += units * machine_year(cat, q)
        total += sum(w(i) * per.value * 2 * d(i) / e.transfer_speed_kmh.value * e.transfer_eur_per_h.value for i in machine_users)
    return total


def payment(si, matrix_index, km, seat, s, i):
    cat, terms, inv = si.catalogue, si.terms, si.inventory
    spec = cat.services[s]
    w = inv.services[(i, s)].workload
    dist = 0.0 if i == seat else km[matrix_index[i], matrix_index[seat]]
    total = terms.member_fee_eur.value + terms.setup_member_eur.value / terms.horizon_years.value
    for q, per in spec.equipment_days.items():
        e = cat.equipment[q]
        usable = min(e.capacity_days.value, e.peak_days.value / e.peak_share.value) if e.peak_share.value > 0 else e.capacity_days.value
        rate = machine_year(cat, q) / usable
        total += w * per.value * (rate + 2 * dist / e.transfer_speed_kmh.value * e.transfer_eur_per_h.value)
    return total


def best_block_service(si, matrix_index, time_min, km, block, seat, s, memo=None):
    """Cheapest (cost, choices) for one pole and one service, over members' choices and modes,
    under individual rationality (workload key), forced rules and allowed modes. ``memo`` keeps
    each (seat, service, poolers, borrowers, mode)'s pole cost and fairness across blocks: they
    depend on these alone, not on the members who keep theirs (every block holding the seat and
    these users prices the same pole service)."""
    memo = {} if memo is None else memo
    inv, alone = si.inventory, _alone(si)
    options_per_member = []
    for i in block:
        forced = si.forced.get((i, s))
        wl = inv.services[(i, s)].workload
        opts = []
        if forced is not True:
            opts.append("keep")
        if si.pool_services and forced is not False and wl > 0:
            opts.append("pool")
        if (si.lend_equipment and forced is None and wl > 0 and si.catalogue.services[s].equipment_days
                and inv.services[(i, s)].mode == "regie"):
            opts.append("borrow")
        options_per_member.append(opts)
    best = (math.inf, None)
    for combo in itertools.product(*options_per_member):
        poolers = [i for i, c in zip(block, combo) if c == "pool"]
        borrowers = [i for i, c in zip(block, combo) if c == "borrow"]
        users = poolers + borrowers
        if len(users) == 1 and si.forced.get((users[0], s)) is not True:
            continue  # one member is not pooling: it stays alone (the engine asks two users)
        kept = sum(alone[(i, s)]["total"] for i, c in zip(block, combo) if c == "keep")
        kept += sum(alone[(i, s)]["total"] - alone[(i, s)]["machines"] for i in borrowers)
        modes = si.modes[s] if poolers else (None,)
        for mode in modes:
            key = (seat, s, tuple(poolers), tuple(borrowers), mode)
            if key not in memo:
                cost = pole_cost(si, matrix_index, time_min, km, seat, s, poolers, borrowers, mode)
                memo[key] = cost, not si.individual_rationality or _fair(si, matrix_index, km, seat, s, poolers, borrowers, cost)
            cost, fair = memo[key]
            if not fair:
                continue
            if kept + cost < best[0] - 1e-9:
                best = (kept + cost, (tuple(poolers), tuple(borrowers), mode))
    return best


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
                    options.append(sum(best_block_service(si, index, matrix.time_min, matrix.km, block, seat, s, memo)[0]
                                       for s in si.services))
                cache[key] = min(options, default=math.inf)
            total += cache[key]
        best = min(best, total)
    return None if math.isinf(best) else best
