"""Cost sharing: Shapley against textbook games, the core check on a game built to fail it."""

from __future__ import annotations

import pytest

from optimiser.services.sharing import shapley_values


def airport(costs):
    """The airport game (Littlechild & Owen 1973): a coalition pays for the longest runway it needs."""
    return lambda group: max(costs[p] for p in group)


def test_shapley_airport_game_closed_form():
    # Runway costs 30, 50, 80 for planes a, b, c: the first 30 is shared by 3, the next 20 by 2,
    # the last 30 by c alone: a = 10, b = 10 + 10 = 20, c = 10 + 10 + 30 = 50.
    values = shapley_values(["a", "b", "c"], airport({"a": 30, "b": 50, "c": 80}))
    assert {k: round(v[0], 9) for k, v in values.items()} == {"a": 10, "b": 20, "c": 50}
    assert all(se == 0 for _, se in values.values())


def test_shapley_is_efficient_and_symmetric():
    cost = lambda group: 10 * len(group) ** 0.5 + (5 if "x" in group else 0)  # noqa: E731
    values = shapley_values(["x", "y", "z", "w"], cost)
    assert sum(v for v, _ in values.values()) == pytest.approx(cost(("w", "x", "y", "z")))
    assert values["y"][0] == pytest.approx(values["z"][0]) == pytest.approx(values["w"][0])
    assert values["x"][0] == pytest.approx(values["y"][0] + 5)


@pytest.mark.slow  # the exact values of 14 players (2^14 coalitions) and 3,000 samples, ~0.7 CPU-s: make test
def test_sampled_shapley_is_close_and_states_its_error():
    costs = {f"p{k}": 10 * (k + 1) for k in range(14)}
    exact = shapley_values(list(costs), airport(costs), exact_limit=16)
    sampled = shapley_values(list(costs), airport(costs), exact_limit=4, samples=3000, seed=1)
    for p in costs:
        value, se = sampled[p]
        assert se > 0
        assert abs(value - exact[p][0]) <= 4 * se + 1e-9


def test_core_check_finds_the_group_that_would_leave(tmp_path):
    """Two towns and a hamlet pool street sweeping (one shared sweeper). Shares follow workload,
    so the hamlet pays a sliver while its member fee and transfers cost the pole more than that:
    the two towns would pay less on their own. The check must name that pair, and no group
    holding the hamlet (alone it would keep a whole sweeper)."""
    import pandas as pd
    from helpers import grid_features, write_geojson

    from optimiser.inputs.preparation import prepare
    from optimiser.scenario.load import scenario_from_dict
    from optimiser.services.economics import pole_service_cost
    from optimiser.services.sharing import core_check, proportional_shares

    territory = write_geojson(tmp_path / "row.geojson", grid_features(1, 3, cell_km=15.0, populations=[8000, 8000, 100]))
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    # workload in km cleaned a year (625 km per FTE by the default mix of sweeper and hand work)
    pd.DataFrame([{"insee_code": c, "service": "proprete", "mode": "regie", "fte": f, "workload": w}
                  for c, f, w in (("98001", 0.5, 300), ("98002", 0.5, 300), ("98003", 0.1, 5))]).to_csv(inventory / "services.csv", index=False)
    pd.DataFrame([{"insee_code": c, "equipment": "sweeper_compact", "units": 1}
                  for c in ("98001", "98002", "98003")]).to_csv(inventory / "equipment.csv", index=False)
    inputs = prepare(scenario_from_dict({"name": "row", "territory": {"communes": str(territory)},
                                         "services": {"include": ["proprete"], "inventory": str(inventory)},
                                         "poles": {"max_travel_min": None},
                                         # agents stay: alone, each keeps its régie (delegating would not shed them)
                                         "staff": {"no_reduction_beyond_attrition": True}}, base_dir=tmp_path))
    econ = inputs.services.econ
    pole = pole_service_cost(econ, "98002", "proprete", ["98001", "98002", "98003"], [], "regie")
    pair = pole_service_cost(econ, "98002", "proprete", ["98001", "98002"], [], "regie")
    shares = {s.member: s.share_eur for s in proportional_shares(econ, pole, "workload", {})}
    assert shares["98003"] < pole.total_eur - pair.total_eur  # the hamlet costs more than it pays
    check = core_check(econ, pole, shares, ("regie",))
    assert check.complete
    assert [g for g, _, _ in check.blocking] == [("98001", "98002")]
    (group, pays, alone), = check.blocking
    assert pays == pytest.approx(shares["98001"] + shares["98002"]) and alone == pytest.approx(pair.total_eur)


def test_coalition_cost_is_the_poolers_least_cost_over_the_allowed_modes():
    """c(S) prices S in its cheaper mode by total cost; borrowers pay the same in any mode, so that
    is also the mode that leaves the poolers the least to pay."""
    from helpers import SCENARIOS

    from optimiser.inputs.preparation import prepare
    from optimiser.scenario.load import load_scenario
    from optimiser.services.economics import pole_service_cost
    from optimiser.services.sharing import coalition_cost

    econ = prepare(load_scenario(SCENARIOS / "laval-2016-a-la-carte.yaml")).services.econ
    codes = list(econ.index)[:7]
    for s in econ.catalogue.services:
        for seat, poolers, borrowers in ((codes[0], codes[:3], codes[3:5]), (codes[5], codes[4:7], ()), (codes[1], codes[1:2], codes[6:])):
            for modes in (("regie", "delegation"), ("delegation",), ("regie",)):
                if not set(modes) <= set(econ.catalogue.services[s].modes):
                    continue  # works are never priced in régie
                costs = [pole_service_cost(econ, seat, s, poolers, borrowers, m) for m in modes]
                assert len({c.borrower_payments_eur for c in costs}) == 1
                assert coalition_cost(econ, seat, s, poolers, borrowers, modes) == min(c.poolers_eur for c in costs)


def _reference_core_check(econ, pole, shares, modes, tolerance_eur=1.0):
    """The core check as it was before :class:`MemberTerms`: every group priced from scratch."""
    import itertools

    from optimiser.services.economics import EPCI, best_mode_cost

    players, blocking = list(pole.poolers), []
    for group in (g for k in range(1, len(players)) for g in itertools.combinations(players, k)):
        pays = sum(shares[i] for i in group)
        alone_each = sum(econ.standalone[(i, pole.service)].total_eur for i in group)
        alone = alone_each
        if len(group) > 1:
            seats = [pole.seat] + [g for g in group if g != EPCI and g != pole.seat]
            alone = min([alone_each] + [best_mode_cost(econ, seat, pole.service, group, (), modes).total_eur for seat in seats])
        if pays > alone + tolerance_eur:
            blocking.append((tuple(group), pays, alone))
    return blocking


def test_member_terms_price_every_group_bit_for_bit_as_the_economics(tmp_path):
    """The core check recalls each member's pricing terms (:class:`MemberTerms`) instead of
    computing them for every group: every group's price in every mode and at every seat, and the
    blocking groups with their figures, must be exactly (``==``, not approx) those of the old way."""
    import itertools

    import pandas as pd
    from helpers import grid_features, write_geojson

    from optimiser.inputs.preparation import prepare
    from optimiser.scenario.load import scenario_from_dict
    from optimiser.services.economics import pole_service_cost
    from optimiser.services.sharing import MemberTerms, core_check, proportional_shares

    populations = [8000, 3000, 100, 1200, 450, 60]
    territory = write_geojson(tmp_path / "grid.geojson", grid_features(2, 3, cell_km=9.0, populations=populations))
    inventory = tmp_path / "inventory"
    inventory.mkdir()
    codes = [f"9800{k}" for k in range(1, 7)]
    pd.DataFrame([{"insee_code": c, "service": "proprete", "mode": "regie", "fte": round(p / 2500, 2) + 0.1, "workload": p / 8}
                  for c, p in zip(codes, populations)]).to_csv(inventory / "services.csv", index=False)
    pd.DataFrame([{"insee_code": c, "equipment": "sweeper_compact", "units": 1} for c in codes[:3]]).to_csv(
        inventory / "equipment.csv", index=False)
    inputs = prepare(scenario_from_dict({"name": "grid", "territory": {"communes": str(territory)},
                                         "services": {"include": ["proprete"], "inventory": str(inventory)},
                                         "poles": {"max_travel_min": None}}, base_dir=tmp_path))
    econ = inputs.services.econ
    recalled = MemberTerms(econ)
    for k in range(1, len(codes) + 1):
        for group in itertools.combinations(codes, k):
            borrowers = tuple(c for c in codes[:2] if c not in group)[:1]
            for seat, mode in itertools.product((group[0], codes[-1]), ("regie", "delegation")):
                assert pole_service_cost(recalled, seat, "proprete", group, borrowers, mode) == \
                    pole_service_cost(econ, seat, "proprete", group, borrowers, mode)
    modes = ("regie", "delegation")
    for seat in codes:
        pole = pole_service_cost(econ, seat, "proprete", codes, [], "regie")
        shares = {s.member: s.share_eur for s in proportional_shares(econ, pole, "workload", {})}
        check = core_check(econ, pole, shares, modes)
        assert check.complete and check.blocking == _reference_core_check(econ, pole, shares, modes)
    assert any(core_check(econ, pole_service_cost(econ, seat, "proprete", codes, [], "regie"),
                          {s.member: s.share_eur for s in proportional_shares(
                              econ, pole_service_cost(econ, seat, "proprete", codes, [], "regie"), "workload", {})},
                          modes).blocking for seat in codes), "the case must have blocking groups to compare"
