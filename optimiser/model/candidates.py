r"""Which (commune, seat) pairs the pole model needs a variable for.

Only pairs that some feasible design could use get a variable. A pair (i, j) is dropped when:

* j may not be a seat (not a candidate, forbidden, or its own 'together' group cannot all reach it);
* i is farther than ``max_travel_min`` from j;
* i must be in the service commun's pole and j is not its seat, or j is that seat, the service
  commun is closed and i is not a member;
* i must be kept apart from j itself (i may not join the pole j seats);
* i belongs to a 'together' group and some member of the group cannot reach j;
* i alone has more inhabitants than a proximity pole may hold;
* with the seat-share rule (services runs), i alone would leave seat j below its share
  (:math:`(1-\sigma) p_j < \sigma p_i`) and j is not exempt;
* j is a proximity seat whose whole reach (every commune that may join it) holds fewer
  inhabitants or communes than a pole must: such a seat can never open.

Each rule only removes pairs that the constraints would force to zero anyway, so the optimum is
unchanged; the model gets smaller and its LP relaxation no weaker.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..inputs.rules import PoleRules
from ..territory import Territory
from ..territory.roads import TravelMatrix


@dataclass(frozen=True)
class SmallSeat:
    """A proximity seat removed because its whole reach cannot make a pole big enough.

    ``communes`` are every commune that may join it under all the other rules (the seat
    included, in territory order), ``population`` their inhabitants.
    """

    population: int
    communes: tuple[str, ...]


@dataclass(frozen=True)
class CandidatePairs:
    """The sparse support of the assignment variables.

    Attributes:
        seats: communes that may host a seat, in territory order.
        seats_of: commune → seats it may join (its own code first when it is a seat).
        members_of: seat → communes that may join it (the seat first).
        group_of: commune → index of its 'together' group in ``rules.together``.
        too_small: seat → its reach, for the seats removed because that reach is below the
            minimum pole population or size (in territory order; see :func:`too_small_seats`).
    """

    seats: tuple[str, ...]
    seats_of: dict[str, tuple[str, ...]]
    members_of: dict[str, tuple[str, ...]]
    group_of: dict[str, int]
    too_small: dict[str, SmallSeat] = field(default_factory=dict)

    @property
    def n_pairs(self) -> int:
        return sum(len(v) for v in self.seats_of.values())


def seat_candidates(territory: Territory, rules: PoleRules) -> list[str]:
    """Communes allowed to host a seat before travel is considered."""
    allowed = set(territory.codes if rules.candidate_seats is None else rules.candidate_seats)
    allowed -= set(rules.forbidden_seats)
    allowed |= set(rules.fixed_seats)
    if rules.service_commun is not None:
        # Members sit in the service commun's pole, so none of them can seat another pole.
        allowed.add(rules.service_commun.seat)
        allowed -= set(rules.service_commun.members) - {rules.service_commun.seat}
    return [c for c in territory.codes if c in allowed]


def joiners_of(seats, seats_of) -> dict[str, list[str]]:
    """Seat → the communes that may join it, in the order of ``seats_of`` (``seats_of`` inverted)."""
    joiners: dict[str, list[str]] = {j: [] for j in seats}
    for i, js in seats_of.items():
        for j in js:
            if j in joiners:
                joiners[j].append(i)
    return joiners


def too_small_seats(joiners, population, rules: PoleRules) -> dict[str, SmallSeat]:
    """Proximity seats whose whole reach (``joiners``: seat → every commune that may join it)
    cannot meet the minimum pole population or size, each with that reach."""
    sc_seat = rules.service_commun.seat if rules.service_commun else None
    population = {c: int(p) for c, p in population.items()}  # a dict: n² look-ups in a pandas Series are slow
    out: dict[str, SmallSeat] = {}
    for j, members in joiners.items():
        if j == sc_seat:
            continue
        total = sum(int(population[i]) for i in members)
        if (rules.population_min is not None and total < rules.population_min) or (
                rules.communes_min is not None and len(members) < rules.communes_min):
            out[j] = SmallSeat(population=total, communes=tuple(members))
    return out


def candidate_pairs(territory: Territory, matrix: TravelMatrix, rules: PoleRules) -> CandidatePairs:
    """Compute the pairs (see module docstring)."""
    index = matrix.index()
    codes = territory.codes
    population = territory.communes["population"]
    limit = np.inf if rules.max_travel_min is None else rules.max_travel_min + 1e-9
    sc = rules.service_commun
    sc_members = set(sc.members) if sc else set()
    group_of = {c: k for k, group in enumerate(rules.together) for c in group}
    apart_of = rules.apart_of()
    share_exempt = set(rules.seat_share_exempt)
    pop_of = {c: float(p) for c, p in population.items()}

    def reach(i: str, j: str) -> bool:
        return matrix.time_min[index[i], index[j]] <= limit

    seats = []
    for j in seat_candidates(territory, rules):
        group = group_of.get(j)
        if group is not None and not all(reach(m, j) for m in rules.together[group]):
            continue  # j's pole would hold its whole group, which cannot all reach it
        seats.append(j)

    seats_of: dict[str, list[str]] = {c: [] for c in codes}
    for j in seats:
        is_sc_seat = sc is not None and j == sc.seat
        for i in codes:
            if i != j and not reach(i, j):
                continue
            if i in sc_members and not is_sc_seat:
                continue
            if is_sc_seat and sc is not None and not sc.open_to_others and i not in sc_members:
                continue
            if i != j and j in apart_of.get(i, ()):
                continue
            if not is_sc_seat and rules.population_max is not None and population[i] > rules.population_max:
                continue
            if (i != j and not is_sc_seat and rules.seat_share > 0 and j not in share_exempt
                    and (1.0 - rules.seat_share) * pop_of[j] < rules.seat_share * pop_of[i]):
                continue  # the seat would hold less than its share of the pole with i alone in it
            group = group_of.get(i)
            if group is not None and not all(reach(m, j) or m == j for m in rules.together[group]):
                continue
            seats_of[i].append(j)
    # A seat keeps only the pairs whose seat variable exists: j must be in its own list.
    live = [j for j in seats if j in seats_of[j]]
    joiners = joiners_of(live, seats_of)
    too_small = too_small_seats(joiners, population, rules)
    live = [j for j in live if j not in too_small]
    kept = set(live)
    seats_of = {i: [j for j in js if j in kept] for i, js in seats_of.items()}
    for i, js in seats_of.items():
        if i in js:  # own seat first: convenient for readers of the model
            js.remove(i)
            js.insert(0, i)
    # Dropping a seat removes only its own pairs: a kept seat keeps every commune that may join it.
    members_of = {j: (j,) + tuple(i for i in joiners[j] if i != j) for j in live}
    return CandidatePairs(
        seats=tuple(live),
        seats_of={i: tuple(js) for i, js in seats_of.items()},
        members_of=members_of,
        group_of=group_of,
        too_small=too_small,
    )
