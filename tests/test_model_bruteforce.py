"""The MILP must reach exactly the optimum that enumerating every partition finds."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from bruteforce import best_design
from helpers import tiny_territory

from optimiser.api import solve
from optimiser.design import design_poles
from optimiser.inputs.preparation import prepare
from optimiser.model.contiguity import neighbour_lists
from optimiser.scenario.load import scenario_from_dict
from optimiser.solvers import SolverOptions, Status
from optimiser.verify import verify_result

SOLVERS = ["cbc", "highs"]


def random_scenario(path, seed: int) -> dict:
    """Random bounds on a random tiny territory; roughly a third of them are infeasible."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 10))
    territory = tiny_territory(path, n=n, seed=seed)
    poles: dict = {"max_travel_min": float(rng.choice([20, 25, 30, 45]))}
    if rng.random() < 0.6:
        lo = int(rng.integers(1, 4))
        poles["count"] = {"min": lo, "max": int(lo + rng.integers(0, 3))}
    if rng.random() < 0.6:
        poles["population"] = {"min": int(rng.choice([2000, 4000, 6000, 8000]))}
    if rng.random() < 0.3:
        poles.setdefault("population", {})["max"] = int(rng.choice([12000, 16000, 25000]))
    if rng.random() < 0.4:
        poles["communes"] = {"min": int(rng.integers(2, 4))}
    if rng.random() < 0.3:
        free = [k for k in range(1, n + 1) if k not in (1, 3, 4, 6)]  # not in groups below
        poles["allow_alone"] = [f"99{k:03d}" for k in rng.choice(free, size=2, replace=False)]
    if rng.random() < 0.25:
        poles["apart"] = [["99001", "99002"]]
    if rng.random() < 0.25:
        poles["together"] = [["99003", "99004"]]
    if rng.random() < 0.2:
        poles["fixed_seats"] = ["99005"]
    data = {"name": f"random-{seed}", "territory": {"communes": str(territory)}, "poles": poles,
            "solver": {"time_limit_s": 60, "gap": 0.0}}
    if rng.random() < 0.25:
        data["service_commun"] = {"members": ["99006", "99001"], "open_to_others": bool(rng.random() < 0.5)}
    return data


def brute_force(inputs, contiguity: str):
    territory, matrix = inputs.territory, inputs.matrix
    rules = dataclasses.replace(inputs.rules, contiguity=contiguity)
    codes = territory.codes
    index = matrix.index()
    time = {i: {j: matrix.time_min[index[i], index[j]] for j in codes} for i in codes}
    pop = {c: int(p) for c, p in territory.communes["population"].items()}
    nbrs = neighbour_lists(territory, inputs.road)
    return best_design(codes, pop, time, time, nbrs, rules)


_ENUMERATED: dict[tuple[int, str], tuple] = {}


def enumerated_optimum(tmp_path, seed: int, contiguity: str):
    """``brute_force`` of random case ``seed`` as drawn, with ``contiguity``, enumerated once per
    process: four tests below enumerate the same cases (Bell(9) = 21,147 partitions each)."""
    if (seed, contiguity) not in _ENUMERATED:
        folder = tmp_path / f"enumerated-{seed}"
        folder.mkdir(exist_ok=True)
        inputs = prepare(scenario_from_dict(random_scenario(folder, seed), base_dir=folder))
        _ENUMERATED[seed, contiguity] = brute_force(inputs, contiguity)
    return _ENUMERATED[seed, contiguity]


@pytest.mark.parametrize("seed", range(14))
@pytest.mark.slow
def test_milp_matches_enumeration(tmp_path, seed):
    data = random_scenario(tmp_path, seed)
    loaded = scenario_from_dict(data, base_dir=tmp_path)
    inputs = prepare(loaded)
    for contiguity in ("exact", "shortest-path", "none"):
        expected, _ = enumerated_optimum(tmp_path, seed, contiguity)
        case = dataclasses.replace(inputs, rules=dataclasses.replace(inputs.rules, contiguity=contiguity))
        for solver in SOLVERS:
            design = design_poles(case, SolverOptions(name=solver, time_limit_s=60, gap=0.0))
            where = f"seed {seed}, {contiguity}, {solver}"
            if expected is None:
                assert design.status is Status.INFEASIBLE, where
                assert design.diagnosis, f"{where}: an infeasible result must say why"
            else:
                assert design.status is Status.OPTIMAL, f"{where}: {design.status} {design.messages}"
                assert design.objective == pytest.approx(expected, rel=1e-7, abs=1e-6), where


#: The seeds whose widening runs with CBC: two without a design (0, 8), two with (6, 12) whose
#: six runs all widen (checked below). Seed 6, not 4: with CBC seed 4 cost 2.5 CPU-s (1.2 with
#: HiGHS), seed 6 0.9 (0.6 with HiGHS) — both widen in every run (13/7 and 6/4 rounds).
CBC_WIDENING_SEEDS = (0, 6, 8, 12)
CBC_WIDENED = (6, 12)


def _widening_solver(seed: int) -> str:
    """CBC for :data:`CBC_WIDENING_SEEDS`, HiGHS for the others. The widening is the design
    loop's, whichever solver; each CBC round is a process costing about 0.2 CPU-s (seed 10:
    18 CPU-s with CBC, 7 with HiGHS), and both solvers meet the enumerated optimum of every seed
    in the full models of test_milp_matches_enumeration."""
    return "cbc" if seed in CBC_WIDENING_SEEDS else "highs"


def short_lists_reach_the_optimum(tmp_path, seed: int) -> int:
    """Lists of one or two nearest seats (a relaxation widened until no commune is served beyond
    its list, contiguity added only where a pole breaks) reach exactly the enumerated optimum of
    random case ``seed``, with each contiguity; returns how many of its six runs had to widen."""
    widened = 0
    inputs = prepare(scenario_from_dict(random_scenario(tmp_path, seed), base_dir=tmp_path))
    for contiguity in ("exact", "shortest-path", "none"):
        expected, _ = enumerated_optimum(tmp_path, seed, contiguity)
        case = dataclasses.replace(inputs, rules=dataclasses.replace(inputs.rules, contiguity=contiguity))
        for size in (1, 2):
            design = design_poles(case, SolverOptions(name=_widening_solver(seed), time_limit_s=60, gap=0.0),
                                  explain=False, seat_list_size=size)
            where = f"seed {seed}, {contiguity}, lists of {size}"
            if expected is None:
                assert design.status is Status.INFEASIBLE, where
            else:
                assert design.status is Status.OPTIMAL, f"{where}: {design.status} {design.messages}"
                assert design.objective == pytest.approx(expected, rel=1e-7, abs=1e-6), where
                widened += design.rounds > 1
    return widened


#: The random cases whose short lists are widened: those of test_milp_matches_enumeration but 5
#: and 10, replaced by 15 and 20 — the same kind of case (nine and eight communes, population
#: bounds, a commune minimum; seed 20 a fixed pole count like seed 10's 3–5), that widen in
#: every run (12/8 and 8/5 rounds) in a fraction of the time: seed 10 took 75 HiGHS rounds
#: (11.8 CPU-s, loaded machine), seed 5 6.6 CPU-s; seeds 20 and 15 0.8 and 1.9. Seeds 5 and 10
#: still meet the enumeration with full lists, both solvers, above.
WIDENING_SEEDS = [*(s for s in range(14) if s not in (5, 10)), 15, 20]


# One case per seed (84 solves in all): the xdist workers share them.
@pytest.mark.slow
@pytest.mark.parametrize("seed", WIDENING_SEEDS)
def test_short_seat_lists_widen_to_the_enumerated_optimum(tmp_path, seed):
    widened = short_lists_reach_the_optimum(tmp_path, seed)
    if seed in CBC_WIDENED + (15, 20):  # CBC's runs widen too, as do the two seeds standing for 5 and 10
        assert widened == 6, seed


def test_the_short_lists_did_have_to_widen(tmp_path):
    """The cases above test the widening only if the lists had to grow: seed 9 (feasible, HiGHS,
    about a second) widens in each of its six runs, as do most feasible seeds."""
    assert short_lists_reach_the_optimum(tmp_path, 9) == 6


@pytest.mark.slow
def test_enumeration_exercises_both_outcomes(tmp_path):
    """The random cases above are only a test if some are feasible and some are not."""
    outcomes = set()
    for seed in range(14):
        outcomes.add(enumerated_optimum(tmp_path, seed, "exact")[0] is None)
    assert outcomes == {True, False}


@pytest.mark.slow
def test_exact_contiguity_is_never_worse_than_shortest_path(tmp_path):
    for seed in range(6):
        exact, _ = enumerated_optimum(tmp_path, seed, "exact")
        sp, _ = enumerated_optimum(tmp_path, seed, "shortest-path")
        if sp is not None:
            assert exact is not None and exact <= sp + 1e-6


@pytest.mark.parametrize("seed", [pytest.param(1, marks=pytest.mark.slow), 4, 7])
@pytest.mark.parametrize("solver", SOLVERS)
def test_solved_results_pass_the_verifier(tmp_path, seed, solver):
    data = random_scenario(tmp_path, seed)
    data["solver"]["name"] = solver
    data.pop("service_commun", None)
    data["poles"].pop("fixed_seats", None)
    data["poles"]["allow_alone"] = "all"  # always feasible
    result = solve(scenario_from_dict(data, base_dir=tmp_path))
    assert result.has_design
    folder = result.to_dir(tmp_path / f"out-{seed}-{solver}", draw=False)
    outcome = verify_result(folder)
    assert outcome.ok, outcome.violations


def grid_case(path, seed: int) -> dict:
    """A 3 × 3 grid whose centre is a closed service commun: proximity poles must wrap around it,
    where the shortest-path formulation forbids designs that exact contiguity allows."""
    from helpers import grid_features, write_geojson

    rng = np.random.default_rng(seed)
    territory = write_geojson(path / f"grid-{seed}.geojson", grid_features(3, 3, seed=seed))
    poles = {"count": {"min": 1, "max": int(rng.integers(1, 3))}, "max_travel_min": None}
    if rng.random() < 0.5:
        poles["population"] = {"min": int(rng.choice([4000, 8000]))}
    return {"name": f"grid-{seed}", "territory": {"communes": str(territory)}, "poles": poles,
            "service_commun": {"members": ["98005"]}, "solver": {"time_limit_s": 60, "gap": 0.0}}


@pytest.mark.parametrize("seed", range(4))
def test_milp_matches_enumeration_around_a_closed_core(tmp_path, seed):
    inputs = prepare(scenario_from_dict(grid_case(tmp_path, seed), base_dir=tmp_path))
    results = {}
    for contiguity in ("exact", "shortest-path"):
        expected, _ = brute_force(inputs, contiguity)
        results[contiguity] = expected
        case = dataclasses.replace(inputs, rules=dataclasses.replace(inputs.rules, contiguity=contiguity))
        for solver in SOLVERS:
            design = design_poles(case, SolverOptions(name=solver, time_limit_s=60, gap=0.0))
            if expected is None:
                assert design.status is Status.INFEASIBLE
            else:
                assert design.status is Status.OPTIMAL
                assert design.objective == pytest.approx(expected, rel=1e-7, abs=1e-6)
    # One pole around the core: its best seat is mid-side, where the opposite cell's neighbours
    # in the ring are no closer to the seat than itself, so shortest-path contiguity must settle
    # for a corner seat and pays more.
    if inputs.rules.count_max == 1 and results["exact"] is not None:
        assert results["shortest-path"] is None or results["shortest-path"] > results["exact"] + 1.0


def test_shortest_path_contiguity_costs_more_around_a_core(tmp_path):
    data = grid_case(tmp_path, 0)
    data["poles"] = {"count": 1, "max_travel_min": None}
    inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
    exact, _ = brute_force(inputs, "exact")
    shortest, _ = brute_force(inputs, "shortest-path")
    assert exact is not None and shortest is not None and shortest > exact + 1.0
    for contiguity, expected in (("exact", exact), ("shortest-path", shortest)):
        case = dataclasses.replace(inputs, rules=dataclasses.replace(inputs.rules, contiguity=contiguity))
        design = design_poles(case, SolverOptions(name="cbc", gap=0.0))
        assert design.objective == pytest.approx(expected, rel=1e-7)
