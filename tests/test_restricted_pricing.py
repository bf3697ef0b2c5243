"""The régie-only and délégation-only starting runs price their poles on the free run's seat
models, the closed mode fixed by column bounds: every pole at the restricted scenario's own
price, the free prices unchanged after, no seat model built twice; a restricted run whose
member-by-member bound is above the design held is skipped, with its reason, and one whose own
search ends no cheaper than the design held is named and not priced again."""

from __future__ import annotations

import time

import pytest
from bruteforce import seat_poles
from exact_prices import exact_prices
from test_services_bruteforce import case

from optimiser.design import design_poles
from optimiser.design.pole_pricing import PerPoleValue
from optimiser.design.pole_search import improve_by_moves, priced_total
from optimiser.design.run import Incumbent, RestrictedRuns, _restricted_runs
from optimiser.inputs.preparation import prepare
from optimiser.model.assembly import assemble_model
from optimiser.model.candidates import candidate_pairs
from optimiser.model.repair import RepairContext
from optimiser.model.service_bound import member_service_bound_keur, seat_capacities
from optimiser.model.services import FORMULATION
from optimiser.scenario.load import scenario_from_dict
from optimiser.solvers import SolverOptions


def _member_floor(inputs, pairs) -> float:
    """A run's member-by-member bound (k€/yr) computed on its own, as before the one-pass
    :func:`~optimiser.model.service_bound.member_service_bounds_keur`: the reference."""
    sc = inputs.rules.service_commun
    return member_service_bound_keur(inputs.services, pairs.seats_of, pairs.members_of, sc.seat if sc else None,
                                     seat_capacities(inputs, pairs.members_of))


def _free(tmp_path, seed):
    data = case(tmp_path, seed)
    data["pooling"] = {"mode": "free"}
    inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
    return inputs, candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)


@pytest.mark.parametrize("seed", [3, pytest.param(0, marks=pytest.mark.slow), pytest.param(5, marks=pytest.mark.slow)])
def test_a_restricted_view_prices_every_pole_as_the_restricted_scenario_does(tmp_path, seed):
    inputs, pairs = _free(tmp_path, seed)
    runs = _restricted_runs(inputs)
    assert [mode for mode, _ in runs] == ["regie", "delegation"]
    options = SolverOptions(name="highs", time_limit_s=60, gap=0.0)
    deadline = time.perf_counter() + 300
    poles = [(j, m) for j in pairs.seats for m in seat_poles(j, pairs.members_of[j])]
    # the prices the MILPs below must meet, each scenario's own: in closed form (exact_prices.py),
    # apart from any MILP, and three MILPs a pole fewer (of eight)
    before = exact_prices(inputs, pairs, poles)
    # every pole by its MILP on the seat models (closed_form=False): the bounds are what is tested;
    # each seat's model built first (its pole of one), as a free run has them when the views come
    free = PerPoleValue(inputs, options, pairs, closed_form=False)
    for j in pairs.seats:
        free.pole(j, (j,), deadline)
    built = len(free.seat_models)
    assert built == len(pairs.seats)
    differs = 0
    for mode, restricted in runs:
        view = free.restricted(restricted)
        expected = exact_prices(restricted, pairs, poles)
        assert {p: view.pole(*p, deadline).delta for p in poles} == pytest.approx(expected, abs=1e-6), mode
        # a cutoff answers as the exact price does (solved again: the cache cleared)
        view.cache.clear()
        for p, delta in expected.items():
            below = view.pole_below(*p, delta + 1.0, deadline) if delta < float("inf") else None
            assert (below is not None) == (delta < float("inf")), (mode, p)
        differs += sum(abs(expected[p] - before[p]) > 1e-6 for p in poles)
        assert len(free.seat_models) == built and view.seat_models is free.seat_models
    assert differs, "no restriction changes a price: the test exercises nothing"
    # the free prices, solved again on the same seat models after the views: unchanged
    free.cache.clear()
    assert {p: free.pole(*p, deadline).delta for p in poles} == pytest.approx(before, abs=1e-6)


@pytest.mark.parametrize("seed", [10, pytest.param(11, marks=pytest.mark.slow)])
def test_a_restricted_run_is_skipped_when_its_bound_is_not_below_the_design_held(tmp_path, seed):
    """Where a mode's member-by-member bound is not below the travel-optimal poles' price
    (seeds 10 and 11: régie saves nothing, its bound is the standalone bill) the run says so and
    does not search; the free run still ends no dearer than each restricted run."""
    inputs, pairs = _free(tmp_path, seed)
    options = SolverOptions(name="highs", time_limit_s=20, gap=0.0)
    design = design_poles(inputs, options, enumeration=False)
    said = {mode: [m for m in design.messages if m.startswith(f"every pooled service in {mode}:")
                   and "member-by-member bound" in m]
            for mode, _ in _restricted_runs(inputs)}
    assert said["regie"], design.messages
    for mode, restricted in _restricted_runs(inputs):
        floor = _member_floor(restricted, pairs)
        assert not said[mode] or design.objective <= floor + 1e-6, (mode, floor, design.objective)
        other = design_poles(restricted, options, enumeration=False)
        assert other.objective >= floor - 1e-6
        assert design.services.total_eur <= other.services.total_eur + 1e-3, mode


@pytest.mark.parametrize("seed", [3, 5])
def test_the_bounds_of_the_restricted_runs_in_one_pass_are_each_runs_own(tmp_path, seed):
    from optimiser.model.service_bound import member_service_bounds_keur, seat_capacities

    inputs, pairs = _free(tmp_path, seed)
    runs = [inputs] + [restricted for _, restricted in _restricted_runs(inputs)]
    together = member_service_bounds_keur(inputs.services, pairs.seats_of, pairs.members_of, None,
                                          seat_capacities(inputs, pairs.members_of), [r.services.modes for r in runs])
    assert together == pytest.approx([_member_floor(r, pairs) for r in runs], abs=1e-9)
    assert together[0] <= min(together[1:]) + 1e-9  # more modes, a lower bound


def test_a_restricted_search_ending_no_cheaper_than_the_design_held_is_not_priced_again(tmp_path):
    """A restricted run whose own search ends at or above the design held proves, by its own
    price, that the free run is no dearer: it is named, and its poles are not priced with every
    mode open (MILPs that could only look for a gain elsewhere). A run whose search ends below
    is offered: the free run then ends at or below its price."""
    inputs, pairs = _free(tmp_path, 3)
    options = SolverOptions(name="highs", time_limit_s=60, gap=0.0)
    assembled = assemble_model(inputs, pairs, FORMULATION, None)
    ctx = RepairContext.of(assembled.pole, assembled.nbrs)
    free = PerPoleValue(inputs, options, pairs)
    start = {i: i for i in inputs.territory.codes}  # every commune its own seat: obeys the case's rules
    deadline = time.perf_counter() + 120
    assert free.price(start, deadline) < float("inf")
    reached = {}
    for mode, restricted in _restricted_runs(inputs):
        view = free.restricted(restricted)
        design, _ = improve_by_moves(start, view, ctx, deadline)
        reached[mode] = priced_total(view, design, deadline)
    # held above the one run's reach and below the other's: one offered, one named
    low, high = sorted(reached, key=reached.get)
    held_value = (reached[low] + reached[high]) / 2
    assert reached[low] < held_value < reached[high], reached
    incumbent = Incumbent()
    incumbent.offer_priced(dict(start), held_value, lambda: {})
    runs = RestrictedRuns(_restricted_runs(inputs), start, None, options)
    runs.run(incumbent, free, ctx, deadline, budget=60.0)
    named = [m for m in runs.messages if "its search reached" in m]
    assert len(named) == 1 and named[0].startswith(f"every pooled service in {high}:"), runs.messages
    assert incumbent.value <= reached[low] + 1e-6
