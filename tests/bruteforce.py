"""Brute-force pole design for tiny territories (≤ 9 communes): enumerate every set partition.

Written from the rules' plain meaning, sharing nothing with the MILP builders, so that a match
between the two is evidence that both are right.
"""

from __future__ import annotations

import itertools
import math
from collections import deque


def set_partitions(items):
    """All partitions of ``items`` into non-empty blocks (Bell(n) of them)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in set_partitions(rest):
        yield [[first]] + partition
        for k in range(len(partition)):
            yield partition[:k] + [[first] + partition[k]] + partition[k + 1:]


def seat_poles(seat, reach) -> list[tuple]:
    """Every member set of a pole seated at ``seat`` among the communes ``reach`` (the seat first,
    then any subset of the others in sorted order): what a seat's pricing minimises over."""
    others = sorted(i for i in reach if i != seat)
    return [(seat,) + extra for k in range(len(others) + 1) for extra in itertools.combinations(others, k)]


def connected(block, nbrs) -> bool:
    inside = set(block)
    seen = {block[0]}
    queue = deque([block[0]])
    while queue:
        u = queue.popleft()
        for v in nbrs[u]:
            if v in inside and v not in seen:
                seen.add(v)
                queue.append(v)
    return len(seen) == len(inside)


def block_seat_cost(block, seat, pop, cost) -> float:
    return sum(pop[i] * cost[i][seat] for i in block if i != seat)


def best_design(codes, pop, time, cost, nbrs, rules):
    """Optimal objective and assignment under ``rules`` (a PoleRules), or ``(None, None)``.

    ``time[i][j]`` minutes (cut-off, shortest-path contiguity), ``cost[i][j]`` the objective's
    travel (minutes or km).
    """
    sc = rules.service_commun
    sc_members = set(sc.members) if sc else set()
    candidates = set(codes if rules.candidate_seats is None else rules.candidate_seats)
    candidates -= set(rules.forbidden_seats)
    candidates |= set(rules.fixed_seats)
    fixed = set(rules.fixed_seats)
    limit = math.inf if rules.max_travel_min is None else rules.max_travel_min + 1e-9
    allow_alone = set(rules.allow_alone)
    best = (None, None)

    options_of: dict[tuple, list] = {}

    def seat_options(block):
        """(cost, seat) for each seat this block may use as a pole, or [] if none (a block's
        options depend on the block alone: each of the 2^n - 1 blocks is worked out once, not
        once per partition holding it — Bell(9) = 21,147 partitions of 9 communes)."""
        key = tuple(block)
        if key not in options_of:
            options_of[key] = _seat_options(block)
        return options_of[key]

    def _seat_options(block):
        is_sc = bool(sc_members & set(block))
        if is_sc:
            if not sc_members <= set(block):
                return []
            if not sc.open_to_others and set(block) != sc_members:
                return []
            seats = [sc.seat]
        else:
            inside_fixed = fixed & set(block)
            if len(inside_fixed) > 1:
                return []
            seats = list(inside_fixed) if inside_fixed else [j for j in block if j in candidates]
            if not sizes_ok(block):
                return []
        if rules.contiguity != "none" and not connected(block, nbrs):
            return []
        out = []
        for j in seats:
            if any(time[i][j] > limit for i in block):
                continue
            if rules.contiguity == "shortest-path" and not all(
                i == j or any(k in block and time[k][j] < time[i][j] - 1e-9 for k in nbrs[i]) for i in block
            ):
                continue
            out.append((block_seat_cost(block, j, pop, cost), j))
        return out

    def sizes_ok(block):
        p = sum(pop[i] for i in block)
        if rules.population_min is not None and p < rules.population_min:
            return False
        if rules.population_max is not None and p > rules.population_max:
            return False
        if rules.communes_min is not None and len(block) < rules.communes_min:
            return False
        if rules.communes_max is not None and len(block) > rules.communes_max:
            return False
        return True

    def block_choices(block):
        """The block's options (as a pole at its best seat; alone, for a singleton allowed out),
        or [] where a partition holding it is ruled out (no option, a 'together' group cut, an
        'apart' pair inside)."""
        inside = set(block)
        if any(inside & set(group) and not set(group) <= inside for group in rules.together):
            return []
        if any(a in inside and b in inside for a, b in rules.apart):
            return []
        opts = []
        seat_opts = seat_options(block)
        if seat_opts:
            c, j = min(seat_opts)
            opts.append(("pole", c, j))
        if len(block) == 1 and block[0] in allow_alone:
            opts.append(("alone", pop[block[0]] * rules.alone_penalty, None))
        return opts

    # Every partition whose blocks all have an option, each once: the block holding the first
    # commune not yet placed, then a partition of the rest — the partitions of set_partitions
    # less those it would reject block by block (most of Bell(9) = 21,147 under tight rules).
    codes = list(codes)
    blocks_of: dict[str, list] = {i: [] for i in codes}
    for mask in range(1, 1 << len(codes)):
        block = [c for k, c in enumerate(codes) if mask >> k & 1]
        opts = block_choices(block)
        if opts:
            blocks_of[block[0]].append((mask, block, opts))

    def partitions(left):
        if not left:
            yield []
            return
        first = (left & -left).bit_length() - 1
        for mask, block, opts in blocks_of[codes[first]]:
            if mask & left == mask:
                for rest in partitions(left & ~mask):
                    yield [(block, opts)] + rest

    for chosen in partitions((1 << len(codes)) - 1):
        partition = [block for block, _ in chosen]
        choices = [opts for _, opts in chosen]
        for combo in itertools.product(*choices):
            poles = [(b, c) for b, c in zip(partition, combo) if c[0] == "pole"]
            n_prox = sum(1 for b, c in poles if not (sc_members & set(b)))
            n_alone = sum(1 for c in combo if c[0] == "alone")
            if rules.count_min is not None and n_prox < rules.count_min:
                continue
            if rules.count_max is not None and n_prox > rules.count_max:
                continue
            if rules.max_alone is not None and n_alone > rules.max_alone:
                continue
            if any(j not in {c[2] for c in combo} for j in fixed):
                continue
            total = sum(c[1] for c in combo)
            if best[0] is None or total < best[0] - 1e-9:
                assignment = {}
                for b, c in zip(partition, combo):
                    for i in b:
                        assignment[i] = c[2]
                best = (total, assignment)
    return best
