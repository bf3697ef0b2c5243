"""Enumerated poles, priced in closed form, chosen by set partitioning: every pole the rules allow
is listed, each price equals its one-pole MILP's (PerPoleValue), and the design equals the MILP
path's optimum under every pole rule the master holds."""

from __future__ import annotations

import dataclasses
import itertools
import math
import random
import time
from pathlib import Path

import pytest
from bruteforce import connected
from test_services_bruteforce import case

from optimiser.design import design_poles
from optimiser.design.configurations import price_columns, unsupported
from optimiser.design.pole_enumeration import enumerate_poles
from optimiser.design.pole_pricing import PerPoleValue
from optimiser.inputs.preparation import prepare
from optimiser.model.candidates import candidate_pairs
from optimiser.model.contiguity import neighbour_lists
from optimiser.scenario.load import load_scenario, scenario_from_dict
from optimiser.solvers import SolverOptions, Status

ROOT = Path(__file__).resolve().parents[1]


def _columns(inputs):
    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    nbrs = neighbour_lists(inputs.territory, inputs.road)
    return pairs, nbrs, enumerate_poles(inputs, pairs, nbrs)


def _allowed(inputs, pairs, nbrs, seat, members) -> bool:
    """The pole rules, checked one by one on a member set (written apart from the enumeration)."""
    rules = inputs.rules
    pop = {c: float(p) for c, p in inputs.territory.communes["population"].items()}
    index, t = inputs.matrix.index(), inputs.matrix.time_min
    total = sum(pop[i] for i in members)
    if rules.contiguity != "none" and not connected(list(members), nbrs):
        return False
    if rules.contiguity == "shortest-path" and not all(
            i == seat or any(k in members and t[index[k], index[seat]] < t[index[i], index[seat]] - 1e-9 for k in nbrs[i])
            for i in members):
        return False
    if rules.communes_max is not None and len(members) > rules.communes_max:
        return False
    if rules.communes_min is not None and len(members) < rules.communes_min:
        return False
    if rules.population_max is not None and total > rules.population_max:
        return False
    if rules.population_min is not None and total < rules.population_min:
        return False
    if len(members) > 1 and seat not in rules.seat_share_exempt and pop[seat] < rules.seat_share * total - 1e-9:
        return False
    if any(set(g) & set(members) and not set(g) <= set(members) for g in rules.together):
        return False
    return not any(a in members and b in members for a, b in rules.apart)


@pytest.mark.parametrize("contiguity", ["exact", "shortest-path", "none"])
@pytest.mark.parametrize("seed", [0, 2, 5])
def test_every_pole_the_rules_allow_is_listed_once(tmp_path, seed, contiguity):
    data = case(tmp_path, seed)
    data["contiguity"] = contiguity
    data["poles"].update(communes={"max": 4}, seats={"min_population_share": 0.2, "team_seats": False})
    codes = None
    if seed == 5:
        from optimiser.territory import load_geojson_territory

        codes = load_geojson_territory(data["territory"]["communes"]).codes
        data["poles"].update(together=[codes[:2]], apart=[[codes[2], codes[3]]])
    inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
    pairs, nbrs, columns = _columns(inputs)
    assert len(set(columns)) == len(columns)
    expected = set()
    for seat in pairs.seats:
        others = [i for i in pairs.members_of[seat] if i != seat]
        for k in range(len(others) + 1):
            for chosen in itertools.combinations(others, k):
                members = (seat,) + tuple(sorted(chosen))
                if _allowed(inputs, pairs, nbrs, seat, members):
                    expected.add((seat, members))
    assert set(columns) == expected
    assert any(len(m) > 1 for _, m in columns)


def _codes(data) -> list[str]:
    from optimiser.territory import load_geojson_territory

    return list(load_geojson_territory(data["territory"]["communes"]).codes)


VARIANTS = {
    "as drawn": lambda d: None,
    "population key": lambda d: d.update(fairness={"key": "population"}),
    "régie forced": lambda d: d.update(pooling={"mode": "regie"}),
    "délégation forced": lambda d: d.update(pooling={"mode": "delegation"}),
    "attrition rule": lambda d: d.update(staff={"no_reduction_beyond_attrition": True}),
    "no lending": lambda d: d.update(pooling={"lend_equipment": False}),
    "priced travel": lambda d: d.update(objective={"travel_weight_eur": 0.5}),
    # two members must pool one service, everyone the other; then two may not pool (nor borrow)
    "forced to pool": lambda d: d.update(pooling={"force": [
        {"communes": _codes(d)[:2], "services": ["espaces_verts"], "pool": True},
        {"communes": "all", "services": ["eclairage"], "pool": True}]}),
    "forced to pool, population key, no lending": lambda d: d.update(
        fairness={"key": "population"}, pooling={"lend_equipment": False, "force": [
            {"communes": _codes(d)[1:2], "services": ["espaces_verts", "eclairage"], "pool": True}]}),
    "forced out": lambda d: d.update(pooling={"force": [
        {"communes": _codes(d)[1:3], "services": ["espaces_verts", "eclairage"], "pool": False}]}),
}


#: The variants ``make test-fast`` prices (about a CPU-second each): the plain case, forced out,
#: priced travel; ``make test`` runs them all.
FAST_VARIANTS = ("as drawn", "forced out", "priced travel")


@pytest.mark.parametrize("variant", [pytest.param(v, marks=[] if v in FAST_VARIANTS else [pytest.mark.slow]) for v in VARIANTS])
def test_closed_form_prices_equal_the_one_pole_milp(tmp_path, variant):
    """Δ(j, M) of every candidate pole of small territories equals PerPoleValue's MILP (HiGHS,
    gap 0); seed 13 has members cheap alone, for whom fairness binds."""
    pays = False
    for seed in (3, 13):
        data = case(tmp_path, seed)
        VARIANTS[variant](data)
        inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
        assert unsupported(inputs) is None
        pairs, _, columns = _columns(inputs)
        prices = price_columns(inputs, pairs, columns)
        milp = PerPoleValue(inputs, SolverOptions(name="highs", gap=0.0), pairs, closed_form=False)
        for c, (seat, members) in enumerate(columns):
            priced = milp.pole(seat, members, time.perf_counter() + 60)
            assert priced.proven
            assert prices.delta[c] == pytest.approx(priced.delta, rel=1e-6, abs=1e-6), (variant, seed, seat, members)
        pays |= any(d < -1e-6 for d in prices.delta)
    assert pays  # pooling pays somewhere: not a test of zeros


@pytest.mark.slow  # real data: the small territories above check every pole's price in the edit loop
def test_closed_form_prices_equal_the_milp_on_a_sample_of_laval_poles():
    inputs = prepare(load_scenario(ROOT / "scenarios" / "laval-2016-a-la-carte.yaml"))
    pairs, _, columns = _columns(inputs)
    prices = price_columns(inputs, pairs, columns)
    milp = PerPoleValue(inputs, SolverOptions(name="highs", gap=0.0), pairs, closed_form=False)
    sample = random.Random(7).sample(range(len(columns)), 12)
    sample += sorted(range(len(columns)), key=lambda c: len(columns[c][1]))[-3:]  # the largest poles too
    for c in sample:
        priced = milp.pole(*columns[c], time.perf_counter() + 60)
        assert prices.delta[c] == pytest.approx(priced.delta, rel=1e-6, abs=1e-6), columns[c]


def _enumerated_equal_to_compact(inputs, case_name=None):
    """Design ``inputs`` by enumeration and by the compact MILP (HiGHS, zero gap); check the
    enumeration was used, both are proven and their optima agree; return the enumerated design."""
    options = SolverOptions(name="highs", time_limit_s=60, gap=0.0)
    enumerated = design_poles(inputs, options)
    compact = design_poles(inputs, options, enumeration=False)
    assert "poles enumerated" in enumerated.formulation, enumerated.messages
    assert enumerated.status is Status.OPTIMAL and compact.status is Status.OPTIMAL, compact.messages
    assert enumerated.objective == pytest.approx(compact.objective, rel=1e-7, abs=1e-6), case_name
    return enumerated


def test_the_master_holds_the_rules_between_poles(tmp_path):
    """Pole count, fixed seat, 'together', 'apart', communes allowed alone: the enumerated design
    equals the compact MILP's optimum, both proven."""
    from optimiser.territory import load_geojson_territory

    for seed, poles in ((3, {"count": {"max": 2}, "allow_alone": "all", "max_alone": 1}),
                        (10, {"count": {"min": 2}, "together": "first two", "apart": "two and three"}),
                        (13, {"fixed_seats": "third", "communes": {"max": 3}})):
        data = case(tmp_path, seed)
        codes = load_geojson_territory(data["territory"]["communes"]).codes
        words = {"first two": [codes[:2]], "two and three": [[codes[1], codes[2]]], "third": [codes[2]]}
        data["poles"].update({k: words.get(v, v) if isinstance(v, str) and v != "all" else v for k, v in poles.items()})
        inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
        enumerated = _enumerated_equal_to_compact(inputs, seed)
        assert enumerated.bound == pytest.approx(enumerated.objective, abs=1e-6)
        assert math.isclose(enumerated.services.total_eur / 1000.0, enumerated.objective, rel_tol=1e-7)


def test_rules_it_cannot_replicate_fall_back_on_the_milp(tmp_path):
    data = case(tmp_path, 3)
    data["fairness"] = {"key": "shapley"}
    inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
    assert "shapley" in unsupported(inputs)
    design = design_poles(inputs, SolverOptions(name="highs", time_limit_s=60, gap=0.0))
    assert "poles enumerated" not in design.formulation
    assert any("poles not enumerated" in m for m in design.messages)


@pytest.mark.parametrize("seed", [0, 10, 12])
def test_reduced_cost_fixing_keeps_the_master_optimum(tmp_path, seed, monkeypatch):
    """The master solved over the columns of smallest LP reduced cost (then widened until no
    column left out could improve) has the optimum and bound of the whole master."""
    from optimiser.design import set_partitioning

    inputs = prepare(scenario_from_dict(case(tmp_path, seed), base_dir=tmp_path))
    pairs, _, columns = _columns(inputs)
    prices = price_columns(inputs, pairs, columns)
    options = SolverOptions(name="highs", gap=0.0)
    whole = set_partitioning.solve_master(inputs, columns, prices.delta, 100.0, options, 60)
    monkeypatch.setattr(set_partitioning, "DIRECT_COLUMNS", 3)
    fixed = set_partitioning.solve_master(inputs, columns, prices.delta, 100.0, options, 60)
    assert whole.status is Status.OPTIMAL and fixed.status is Status.OPTIMAL
    assert fixed.objective == pytest.approx(whole.objective, abs=1e-9)
    assert fixed.bound == pytest.approx(whole.bound, abs=1e-6) and fixed.bound <= fixed.objective


@pytest.mark.parametrize("attrition", [False, True])
def test_closed_form_prices_hold_with_polyvalent_agents(tmp_path, attrition):
    """A village's one agent split over three services stays employed when it pools them (its
    time retained by the pool): the closed form's staff floor equals the MILP's."""
    from test_agents import SPLIT, village

    inputs = prepare(scenario_from_dict(village(tmp_path, True, include=tuple(SPLIT), attrition=attrition),
                                        base_dir=tmp_path))
    assert any(inputs.services.econ.retained_fte(i, s) > 0 for i in inputs.services.members for s in SPLIT)
    pairs, _, columns = _columns(inputs)
    prices = price_columns(inputs, pairs, columns)
    milp = PerPoleValue(inputs, SolverOptions(name="highs", gap=0.0), pairs, closed_form=False)
    for c, (seat, members) in enumerate(columns):
        priced = milp.pole(seat, members, time.perf_counter() + 60)
        assert prices.delta[c] == pytest.approx(priced.delta, rel=1e-6, abs=1e-6), (seat, members)


def test_a_price_the_pole_milp_disowns_sends_the_run_down_the_milp_path(tmp_path, monkeypatch):
    """The chosen poles are priced again by their MILP: a closed-form price off by more than 1e-6
    (here made 1 k€/yr too cheap) is caught, said, and the run proves its design the old way."""
    from optimiser.design import configurations, enumerated

    def wrong(*args, **kwargs):
        prices = configurations.price_columns(*args, **kwargs)
        return dataclasses.replace(prices, delta=prices.delta - 1.0)

    monkeypatch.setattr(enumerated, "price_columns", wrong)
    inputs = prepare(scenario_from_dict(case(tmp_path, 3), base_dir=tmp_path))
    design = design_poles(inputs, SolverOptions(name="highs", time_limit_s=60, gap=0.0))
    assert "poles enumerated" not in design.formulation
    assert any("the enumeration is not trusted" in m for m in design.messages), design.messages
    assert design.status is Status.OPTIMAL


def _person_travel(inputs, assignment) -> float:
    from optimiser.model.poles import pair_travel

    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    t = pair_travel(inputs.matrix, inputs.rules, pairs)
    pop = {c: float(p) for c, p in inputs.territory.communes["population"].items()}
    return sum(pop[i] * t[i, j] for i, j in assignment.items() if j is not None and i != j)


CAPS = {
    # travel priced high: the cheapest poles cost travel, a cap on the total cost makes them pay it
    "budget cap": (3, {"objective": {"travel_weight_eur": 50.0}, "budget": {"max_total_eur": 261_000}}),
    "minimum saving": (13, {"objective": {"travel_weight_eur": 50.0}, "budget": {"min_savings_eur": 166_000}}),
    "minimum saving share": (13, {"objective": {"travel_weight_eur": 50.0}, "budget": {"min_savings_pct": 0.29}}),
    # travel nearly free: a cap on it takes the cheapest poles away
    "travel cap": (13, {"objective": {"travel_weight_eur": 0.0, "max_travel_total": 60_000}}),
}


@pytest.mark.parametrize("rule", [r if r in ("budget cap", "minimum saving") else pytest.param(r, marks=pytest.mark.slow) for r in CAPS])
def test_budget_and_travel_caps_are_master_rows(tmp_path, rule):
    """A budget, a minimum saving or a travel cap, where it binds (the design costs more than
    without it): the enumerated design equals the compact MILP's optimum and obeys the cap."""
    seed, extra = CAPS[rule]
    data = case(tmp_path, seed)
    data.update(extra)
    inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
    enumerated = _enumerated_equal_to_compact(inputs)
    data.pop("budget", None)
    data["objective"].pop("max_travel_total", None)
    free = design_poles(prepare(scenario_from_dict(data, base_dir=tmp_path)),
                        SolverOptions(name="highs", time_limit_s=60, gap=0.0))
    assert enumerated.objective > free.objective + 1e-3  # the rule binds
    si = inputs.services
    total = enumerated.services.total_eur
    assert total <= min(x for x in (si.budget_max_eur, si.status_quo_eur - (si.min_savings_eur or 0.0),
                                    si.status_quo_eur * (1 - (si.min_savings_pct or 0.0))) if x is not None) + 1e-3
    cap = inputs.loaded.scenario.objective.max_travel_total
    assert cap is None or _person_travel(inputs, enumerated.assignment) <= cap + 1e-6


@pytest.mark.parametrize("seed", [3, pytest.param(13, marks=pytest.mark.slow)])
def test_forced_pooling_designs_equal_the_compact_milp(tmp_path, seed):
    """Members forced to pool (one of them allowed alone: it cannot be), others forced out: the
    enumerated design equals the compact MILP's optimum, and every forced member pools."""
    data = case(tmp_path, seed)
    codes = _codes(data)
    data["poles"].update(allow_alone="all")
    data["pooling"] = {"force": [{"communes": codes[:2], "services": ["espaces_verts"], "pool": True},
                                 {"communes": codes[-1:], "services": ["eclairage"], "pool": True},
                                 {"communes": codes[2:3], "services": ["eclairage"], "pool": False}]}
    inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
    assert unsupported(inputs) is None
    enumerated = _enumerated_equal_to_compact(inputs)
    for i in codes[:2] + codes[-1:]:
        assert enumerated.assignment[i] is not None


def _service_commun(data, open_to_others: bool, seat: int = 0) -> list[str]:
    """Two neighbouring communes (the first and a neighbour) and the EPCI in a service commun."""
    from optimiser.territory import load_geojson_territory

    territory = load_geojson_territory(data["territory"]["communes"])
    codes = list(territory.codes)
    adjacency = territory.adjacency
    nbrs = sorted(set(adjacency["code_b"][adjacency["code_a"] == codes[seat]])
                  | set(adjacency["code_a"][adjacency["code_b"] == codes[seat]]))
    core = [codes[seat], nbrs[0]]
    data["service_commun"] = {"members": core, "seat": core[0], "open_to_others": open_to_others,
                              "services": ["espaces_verts", "eclairage"],
                              "epci_workload": {"espaces_verts": 6, "eclairage": 400}}
    return core


@pytest.mark.parametrize("open_to_others", [False, True])
def test_service_commun_columns_price_as_the_one_pole_milp(tmp_path, open_to_others):
    """The service commun's columns hold its core members and the EPCI (forced to pool its own
    workload): every column's closed-form price equals its one-pole MILP's."""
    for seed in (3, 13):
        data = case(tmp_path, seed)
        _service_commun(data, open_to_others)
        inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
        assert unsupported(inputs) is None and "EPCI" in inputs.services.members
        pairs, _, columns = _columns(inputs)
        seat = inputs.rules.service_commun.seat
        assert (sum(j == seat for j, _ in columns) > 1) is open_to_others
        prices = price_columns(inputs, pairs, columns)
        milp = PerPoleValue(inputs, SolverOptions(name="highs", gap=0.0), pairs)
        for c, (j, members) in enumerate(columns):
            priced = milp.pole(j, members, time.perf_counter() + 60)
            assert priced.proven
            assert prices.delta[c] == pytest.approx(priced.delta, rel=1e-6, abs=1e-6), (seed, j, members)


@pytest.mark.parametrize("seed, open_to_others, count", [(4, False, {"max": 1}), (13, True, {"min": 1}),
                                                          (0, True, {"min": 1}), (3, False, {"min": 1})])
def test_service_commun_designs_equal_the_compact_milp(tmp_path, seed, open_to_others, count):
    """With a service commun (its pole not counted among the proximity poles, its members never
    alone): the enumerated design equals the compact MILP's optimum, both proven. Counted as a
    proximity pole, seed 4 would lose its pole, seeds 13 and 0 would keep everyone in the
    service commun's (cheaper)."""
    data = case(tmp_path, seed)
    core = _service_commun(data, open_to_others)
    data["poles"].update(count=count, allow_alone="all")
    inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
    enumerated = _enumerated_equal_to_compact(inputs)
    assert all(enumerated.assignment[i] == core[0] for i in core)
    assert math.isclose(enumerated.services.total_eur / 1000.0, enumerated.objective, rel_tol=1e-7)
