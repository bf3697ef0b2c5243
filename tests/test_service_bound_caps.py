"""The member-by-member bound with pole capacities (a seat's pole holds at most so many members
and inhabitants) stays a lower bound, and is tighter where the seat rule binds."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from bruteforce_services import best_service_design
from test_services_bruteforce import case

from optimiser.inputs.preparation import prepare
from optimiser.model.candidates import candidate_pairs
from optimiser.model.service_bound import SeatCapacity, member_service_bound_keur, seat_capacities
from optimiser.scenario.load import scenario_from_dict


@pytest.mark.parametrize("seed", range(6))
def test_capacity_total_is_above_every_pole_the_seat_can_hold(seed):
    """``SeatCapacity.most`` is at least the largest total over every member set the seat's
    pole may hold (brute force over subsets: count and population within the capacity)."""
    rng = np.random.default_rng(seed)
    codes = [f"c{k}" for k in range(9)]
    population = {c: float(rng.choice([0, 50, 200, 400, 1500])) for c in codes}
    terms = {c: float(rng.choice([0.0, 0.3, 1.0, 2.5])) for c in codes}
    seat = codes[0]
    room = float(rng.choice([300, 800, 2000]))
    count = int(rng.integers(1, 6))
    cap = SeatCapacity(count, room, population)
    others = codes[1:]
    best = 0.0
    for k in range(len(others) + 1):
        for chosen in itertools.combinations(others, k):
            if len(chosen) + 1 <= count and sum(population[c] for c in chosen) <= room:
                best = max(best, terms[seat] + sum(terms[c] for c in chosen))
    assert cap.most(seat, terms) >= best - 1e-9
    assert cap.most(seat, terms) <= sum(terms.values()) + 1e-9


@pytest.mark.slow
def test_capacities_tighten_the_bound_and_keep_it_below_the_optimum(tmp_path):
    """On tiny territories with a strict seat rule (40 % of the pole's inhabitants) the bound
    with capacities lies between the bound without them and the enumerated optimum, and is
    strictly tighter somewhere."""
    tighter = 0
    for seed in (0, 1, 2, 4, 5, 7):
        data = case(tmp_path, seed)
        data["poles"]["seats"] = {"min_population_share": 0.4, "team_seats": False}
        inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
        optimum = best_service_design(inputs) / 1000.0
        pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
        plain = member_service_bound_keur(inputs.services, pairs.seats_of, pairs.members_of)
        capped = member_service_bound_keur(inputs.services, pairs.seats_of, pairs.members_of, None,
                                           seat_capacities(inputs, pairs.members_of))
        assert plain - 1e-9 <= capped <= optimum + 1e-9, seed
        tighter += capped > plain + 1e-6
    assert tighter >= 1
