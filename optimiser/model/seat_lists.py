r"""Nearest-seat lists for the pole model: variables only where a design is likely to use them.

The full pole model has one binary :math:`x_{ij}` per candidate pair (:mod:`.candidates`); with no
travel cut-off that is :math:`n^2` (57,600 for the 240 communes of Mayenne). As the p-median mode
does (:mod:`optimiser.model.pmedian`, Church's BEAMR), commune *i* here only gets variables for
its :math:`k_i` nearest candidate seats :math:`L_i` (its own seat first), plus one continuous
"beyond" variable :math:`h_i` priced at :math:`p_i D_i`, where :math:`D_i` is the travel to its
nearest seat *not* listed:

.. math:: \sum_{j \in L_i} x_{ij} + a_i + h_i = 1 .

Every constraint whose left side *needs* members (a minimum pole population or size; the
contiguity cuts :math:`x_{ij} \le \sum_{c \in C} x_{cj}`) counts :math:`h_c` where
:math:`x_{cj}` is missing, so any design of the full model maps to a solution of the listed model
(move each unlisted membership to :math:`h`) at a cost no higher: the listed model is a
relaxation and its bound is a valid lower bound. When its optimum has :math:`h = 0` it is a
design of the full model at the same cost, hence optimal; otherwise the lists of the communes
with :math:`h_i > 0` are doubled and the model solved again (its cuts kept).

Communes of a 'together' group and service-commun members keep their full lists (the equalities
that tie them would otherwise need the same treatment, for little gain).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..inputs.rules import PoleRules
from .candidates import CandidatePairs


@dataclass(frozen=True)
class SeatLists:
    """The listed support of the pole model inside the full one.

    ``reach`` is the full candidate pairs; ``listed`` the pairs that get a variable (same seats);
    ``beyond_travel[i]`` the travel (minutes or km) to commune *i*'s nearest unlisted seat, for
    the communes that have one; ``sizes[i]`` the list length :math:`k_i`.
    """

    reach: CandidatePairs
    listed: CandidatePairs
    beyond_travel: dict[str, float]
    sizes: dict[str, int]

    @property
    def complete(self) -> bool:
        """Whether every pair is listed (the listed model is the full one)."""
        return not self.beyond_travel


def initial_list_size(rules: PoleRules, n: int, total_population: float) -> int:
    """About twice the expected pole size in communes, at least 5: ``2 n / p`` with *p* the
    pole count, or the most poles the minimum pole population allows; ``n`` when nothing says."""
    p = rules.count_max or rules.count_min
    if not p and rules.population_min:
        p = max(1, int(total_population // rules.population_min))
    if not p and rules.communes_min and rules.communes_min > 1:
        p = max(1, n // rules.communes_min)
    if not p:
        return n
    return max(5, math.ceil(2 * n / p))


def ordered_seats(reach: CandidatePairs, travel: dict[tuple[str, str], float]) -> dict[str, list[str]]:
    """Commune → the seats it may join, its own first, then by travel (ties: territory order)."""
    out = {}
    for i, seats in reach.seats_of.items():
        out[i] = sorted(seats, key=lambda j: (j != i, travel[i, j]))
    return out


def seat_lists(reach: CandidatePairs, rules: PoleRules, travel: dict[tuple[str, str], float], sizes: dict[str, int]) -> SeatLists:
    """Restrict ``reach`` to each commune's ``sizes[i]`` nearest seats (see module docstring)."""
    ordered = ordered_seats(reach, travel)
    full = set(reach.group_of)
    if rules.service_commun is not None:
        full |= set(rules.service_commun.members)
    seats_of: dict[str, tuple[str, ...]] = {}
    beyond: dict[str, float] = {}
    kept_sizes: dict[str, int] = {}
    for i, seats in ordered.items():
        k = len(seats) if i in full else min(len(seats), max(1, sizes.get(i, len(seats))))
        listed = set(seats[:k])
        # keep the full model's order (own seat first, then territory order): runs repeat exactly
        seats_of[i] = tuple(j for j in reach.seats_of[i] if j in listed)
        kept_sizes[i] = k
        if k < len(seats):
            beyond[i] = travel[i, seats[k]]
    members_of = {j: tuple(i for i in members if j in seats_of[i]) for j, members in reach.members_of.items()}
    listed_pairs = CandidatePairs(seats=reach.seats, seats_of=seats_of, members_of=members_of,
                                  group_of=reach.group_of, too_small=reach.too_small)
    return SeatLists(reach, listed_pairs, beyond, kept_sizes)


def widened(lists: SeatLists, rules: PoleRules, travel, communes) -> SeatLists:
    """The same lists with those of ``communes`` doubled."""
    sizes = dict(lists.sizes)
    for i in communes:
        sizes[i] = 2 * sizes[i]
    return seat_lists(lists.reach, rules, travel, sizes)
