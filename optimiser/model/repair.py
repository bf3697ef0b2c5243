"""Repair a design whose poles fell into pieces, to get a connected incumbent quickly.

The contiguity cut loop solves relaxations: until its last round, the designs it sees may have
poles in several pieces. A stray piece (one not holding its pole's seat) is moved, whole, to a
neighbouring pole whose seat every member of the piece may join (travel cut-off, apart pairs,
closed service commun), provided the receiving pole stays within its maximum size and the giving
pole within its minimum. Among the possible moves the one that adds the least travel is made,
smallest pieces first. When no piece can leave without starving its pole below the minimum
size, a stray piece becomes a pole of its own (if the rules allow one more pole of its size and
one of its members can seat it), or else a broken pole is closed and each of its pieces sent to a
neighbouring pole. The result obeys
every rule or the repair gives up (``None``); it is only used as an upper bound and a warm start.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..inputs.rules import PoleRules
from .candidates import CandidatePairs
from .contiguity import disconnected_poles, pieces
from .poles import PoleModel


@dataclass(frozen=True)
class RepairContext:
    """What the repair and the local search read, grouped once: candidate pairs, rules, the
    adjacency ``nbrs``, travel to each seat (minutes or km) and population (inhabitants)."""

    pairs: CandidatePairs
    rules: PoleRules
    nbrs: dict[str, list[str]]
    travel: dict[tuple[str, str], float]
    population: dict[str, int]

    @classmethod
    def of(cls, model: PoleModel, nbrs: dict[str, list[str]]) -> RepairContext:
        return cls(model.reach, model.rules, nbrs, model.travel, model.population)

    @cached_property
    def apart(self) -> dict[str, set[str]]:
        return self.rules.apart_of()

    @property
    def sc_seat(self) -> str | None:
        return self.rules.service_commun.seat if self.rules.service_commun else None


def repair_design(assignment: dict[str, str | None], ctx: RepairContext, max_moves: int = 200) -> dict[str, str | None] | None:
    """A connected design close to ``assignment``, or ``None`` (see module docstring)."""
    design = dict(assignment)
    nbrs = ctx.nbrs
    for _ in range(max_moves):
        broken = disconnected_poles(design, nbrs)
        if not broken:
            return design if _sizes_ok(ctx, design) else None
        members = _members(design)
        moves = []
        for j, stray in broken.items():
            for piece in stray:
                moves += _moves_for(ctx, piece, j, design, members)
        if moves:
            _, piece, target = min(moves, key=lambda m: (len(m[1]), m[0]))
            for i in piece:
                design[i] = target
            continue
        # No piece can join a neighbour: let a stray piece become a pole of its own, if the rules
        # allow one more pole of that size and one of its members can seat it.
        splits = [sp for j, stray in broken.items() for piece in stray
                  if (sp := _split_piece(ctx, piece, j, design, members))]
        if splits:
            _, moved = min(splits, key=lambda c: c[0])
            design.update(moved)
            continue
        # Otherwise close a broken pole, sending each of its pieces to a neighbouring pole.
        closures = [c for j in broken if (c := _close_pole(ctx, j, design, members))]
        if not closures:
            return None
        _, moved = min(closures, key=lambda c: c[0])
        design.update(moved)
    return None


def _split_piece(ctx: RepairContext, piece, j, design, members):
    """(added travel, new seats) for making a stray piece of pole j a pole of its own, or None."""
    pairs, rules, travel, population, sc_seat = ctx.pairs, ctx.rules, ctx.travel, ctx.population, ctx.sc_seat
    n_poles = sum(1 for k in members if k != sc_seat)
    if rules.count_max is not None and n_poles + 1 > rules.count_max:
        return None
    piece_set = set(piece)
    if not _whole_groups(ctx, piece_set) or not _rest_meets_min(ctx, piece_set, j, members):
        return None
    if not _within_min(ctx, list(piece)) or not _within_max(ctx, list(piece)):
        return None
    best = None
    for seat in piece:
        if seat not in pairs.seats or any(seat not in pairs.seats_of[i] for i in piece):
            continue
        added = sum(population[i] * (travel[i, seat] - travel[i, j]) for i in piece)
        if best is None or added < best[0]:
            best = (added, {i: seat for i in piece})
    return best


def _close_pole(ctx: RepairContext, j, design, members):
    """(added travel, new seats of its members) for dissolving pole j into its neighbours, or None."""
    rules, sc_seat = ctx.rules, ctx.sc_seat
    if j == sc_seat or j in rules.fixed_seats:
        return None
    n_poles = sum(1 for k in members if k != sc_seat)
    if rules.count_min is not None and n_poles - 1 < rules.count_min:
        return None
    trial = dict(design)
    for i in members[j]:
        trial[i] = None  # taken out of j, not yet placed
    trial_members = _members(trial)
    added = 0.0
    for piece in sorted(pieces(members[j], ctx.nbrs), key=len):
        options = _moves_for(ctx, piece, None, trial, trial_members)
        if not options:
            return None
        cost, _, target = min(options, key=lambda m: m[0])
        for i in piece:
            trial[i] = target
            trial_members[target].append(i)
        added += cost
    return added, {i: trial[i] for i in members[j]}


def _members(design):
    out: dict[str, list[str]] = {}
    for i, j in design.items():
        if j is not None:
            out.setdefault(j, []).append(i)
    return out


def _moves_for(ctx: RepairContext, piece, j, design, members):
    """Possible (added travel, piece, target seat) moves for one stray piece of pole j
    (``j = None``: a piece of a pole being closed, placed nowhere yet)."""
    pairs, nbrs, travel, population, apart, sc_seat = ctx.pairs, ctx.nbrs, ctx.travel, ctx.population, ctx.apart, ctx.sc_seat
    piece_set = set(piece)
    if not _whole_groups(ctx, piece_set):
        return []
    if j is not None and not _rest_meets_min(ctx, piece_set, j, members):
        return []
    out = []
    touching = {design[v] for u in piece for v in nbrs[u] if v not in piece_set and design.get(v) not in (None, j)}
    for k in touching:
        if any(k not in pairs.seats_of[i] for i in piece):
            continue
        body = _seat_component(members[k], k, nbrs)
        if not any(v in body for u in piece for v in nbrs[u]):
            continue  # it only touches a stray piece of k
        if any(apart.get(i, set()) & set(members[k]) for i in piece):
            continue
        if k != sc_seat:
            if not _within_max(ctx, members[k] + list(piece)):
                continue
        added = sum(population[i] * (travel[i, k] - (travel[i, j] if j is not None else 0.0)) for i in piece)
        out.append((added, piece, k))
    return out


def _whole_groups(ctx: RepairContext, piece_set) -> bool:
    """A piece may only leave its pole if it carries whole 'together' groups."""
    for i in piece_set:
        g = ctx.pairs.group_of.get(i)
        if g is not None and not set(ctx.rules.together[g]) <= piece_set:
            return False
    return True


def _rest_meets_min(ctx: RepairContext, piece_set, j, members) -> bool:
    """Pole j still meets the minimum size once the piece leaves it (the service commun has none)."""
    if j == ctx.sc_seat:
        return True
    return _within_min(ctx, [m for m in members[j] if m not in piece_set])


def _seat_component(members, seat, nbrs) -> set[str]:
    for piece in pieces(members, nbrs):
        if seat in piece:
            return set(piece)
    return {seat}


def _within_min(ctx: RepairContext, members) -> bool:
    rules, population = ctx.rules, ctx.population
    if rules.population_min is not None and sum(population[m] for m in members) < rules.population_min:
        return False
    if rules.communes_min is not None and len(members) < rules.communes_min:
        return False
    return True


def _sizes_ok(ctx: RepairContext, design) -> bool:
    for j, ms in _members(design).items():
        if j == ctx.sc_seat:
            continue
        if not _within_min(ctx, ms) or not _within_max(ctx, ms):
            return False
    return True


def improve_design(design: dict[str, str | None], ctx: RepairContext, max_passes: int = 50) -> dict[str, str | None]:
    """Local search on a connected design that obeys every rule; returns one at least as good.

    Two moves, repeated until neither improves the travel objective:

    * **re-seat** a pole at the member that minimises Σ p_i t_ij (every member must be allowed
      to join the new seat; fixed seats and the service commun's seat stay);
    * **shift** a border commune to the neighbouring pole it would rather join, when its own pole
      stays connected and within its minimum, the other within its maximum, and no 'apart',
      'together' or service-commun rule is broken.
    """
    design = dict(design)
    pairs, rules, nbrs, travel, population, apart = ctx.pairs, ctx.rules, ctx.nbrs, ctx.travel, ctx.population, ctx.apart
    sc_seat = ctx.sc_seat
    sc_members = set(rules.service_commun.members) if rules.service_commun else set()
    pinned = set(rules.fixed_seats) | ({sc_seat} if sc_seat else set())
    for _ in range(max_passes):
        improved = False
        members = _members(design)
        for j, ms in list(members.items()):
            if j in pinned:
                continue
            best, best_cost = j, sum(population[i] * travel[i, j] for i in ms if i != j)
            for s in ms:
                if s == j or s not in pairs.seats or any(s not in pairs.seats_of[i] for i in ms):
                    continue
                cost = sum(population[i] * travel[i, s] for i in ms if i != s)
                if cost < best_cost - 1e-9:
                    best, best_cost = s, cost
            if best != j:
                for i in ms:
                    design[i] = best
                improved = True
        members = _members(design)
        for i, j in list(design.items()):
            if j is None or i == j or i in sc_members or i in pairs.group_of:
                continue
            options = {design[v] for v in nbrs[i] if design.get(v) not in (None, j)}
            for k in sorted(options, key=lambda k: travel.get((i, k), float("inf"))):
                if (i, k) not in travel or travel[i, k] >= travel[i, j] - 1e-9:
                    continue
                if k == sc_seat and rules.service_commun and not rules.service_commun.open_to_others:
                    continue
                if apart.get(i, set()) & set(members[k]):
                    continue
                rest = [m for m in members[j] if m != i]
                if j != sc_seat and not _within_min(ctx, rest):
                    continue
                if k != sc_seat and not _within_max(ctx, members[k] + [i]):
                    continue
                if len(pieces(rest, nbrs)) != 1:
                    continue
                design[i] = k
                members[j].remove(i)
                members[k].append(i)
                improved = True
                break
        if not improved:
            break
    return design


def _within_max(ctx: RepairContext, members) -> bool:
    rules, population = ctx.rules, ctx.population
    if rules.population_max is not None and sum(population[m] for m in members) > rules.population_max:
        return False
    if rules.communes_max is not None and len(members) > rules.communes_max:
        return False
    return True
