"""The robust design (sample average over sampled worlds) against brute force on a tiny territory."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
from helpers import grid_features, run_cli, write_geojson, write_scenario

from optimiser.robustness.repricing import FixedDesign, price
from optimiser.robustness.robust_design import solve
from optimiser.robustness.saa import measure, savings
from optimiser.robustness.worlds import priced_inputs
from optimiser.scenario.load import scenario_from_dict

SIGMA = "pooling.joint_purchasing_saving_pct"


def tiny(tmp_path, robust: dict):
    """Three communes, street lighting in régie or délégation: whether and how to pool moves with
    the groupement discount and the régie costs."""
    territory = write_geojson(tmp_path / "g.geojson", grid_features(1, 3, cell_km=4.0, populations=[2000, 1000, 1500]))
    data = {"name": "g", "territory": {"communes": str(territory)}, "services": {"include": ["eclairage"]},
            "poles": {"max_travel_min": None},
            "uncertainty": {"parameters": {SIGMA: {"range": [0.0, 0.3], "distribution": "uniform"}}, "seed": 3},
            "robust": robust}
    return scenario_from_dict(data, base_dir=tmp_path)


def candidate_designs(assignment: dict, service: str):
    """Every design over these poles: a subset of two or more members of a pole pooling, in one
    mode, or nobody (the tiny territory has no machines to borrow: every status quo is delegated)."""
    yield FixedDesign({}, {}, {}, assignment)
    poles: dict[str, list[str]] = {}
    for i, j in assignment.items():
        if j is not None:
            poles.setdefault(j, []).append(i)
    for j, members in poles.items():
        for k in range(2, len(members) + 1):
            for group in itertools.combinations(sorted(members), k):
                for mode in ("regie", "delegation"):
                    yield FixedDesign({(i, service): j for i in group}, {}, {(j, service): mode}, assignment)


def fair_at_sourced_values(si, design: FixedDesign) -> bool:
    """Individual rationality at the sourced values: no pooler pays more than alone."""
    priced = price(si, design, 1)
    return all(priced.paid[i][0] <= priced.alone[i][0] + 1e-6 for (i, _s) in design.pooled)


@pytest.mark.parametrize("objective", ["expected", "cvar", "quantile"])
@pytest.mark.slow
def test_robust_design_is_the_brute_force_best_over_the_same_worlds(tmp_path, objective):
    loaded = tiny(tmp_path, {"objective": objective, "worlds": 6, "alpha": 0.34})
    result = solve(loaded)
    robust = result.summary["robust"]
    assert robust["status"] == "optimal", robust
    inputs = result.inputs
    assignment = result.design.assignment
    best = max(measure(savings(loaded, inputs, d, 6, 3), objective, 0.34)
               for d in candidate_designs(assignment, "eclairage") if fair_at_sourced_values(inputs.services, d))
    assert robust["measure_eur"] == pytest.approx(best, abs=1.0)
    assert robust["bound_eur"] == pytest.approx(best, abs=1.0)  # proven: the bound meets the brute-force optimum
    evaluation = robust["evaluation"]["optimised_worlds"]
    assert evaluation["robust"]["measure_eur"] >= evaluation["nominal"]["measure_eur"] - 1e-6
    # the design reported is the robust one, priced at the sourced values
    reported = FixedDesign.from_services(result.design.services, assignment)
    assert measure(savings(loaded, inputs, reported, 6, 3), objective, 0.34) == pytest.approx(best, abs=1.0)


def test_world_costs_of_the_model_are_the_repricing(tmp_path):
    """The sample-average model's cost of the nominal design in each world is the vectorised
    re-pricing's: the expected objective's bound equals price() on the same worlds at optimum."""
    loaded = tiny(tmp_path, {"objective": "expected", "worlds": 4})
    result = solve(loaded)
    robust = result.summary["robust"]
    fixed = FixedDesign.from_services(result.design.services, result.design.assignment)
    s = savings(loaded, result.inputs, fixed, 4, 3)
    assert robust["measure_eur"] == pytest.approx(float(np.mean(s)), abs=1e-6)
    si = result.inputs.services
    nominal = price(priced_inputs(loaded, si, result.inputs.territory, {}), fixed, 1).saving[0]
    assert nominal == pytest.approx(si.status_quo_eur - result.design.services.total_eur, abs=1e-6)


@pytest.mark.slow
def test_worlds_are_reproducible_by_seed(tmp_path):
    a = solve(tiny(tmp_path, {"objective": "expected", "worlds": 3, "seed": 11})).summary["robust"]
    b = solve(tiny(tmp_path, {"objective": "expected", "worlds": 3, "seed": 11})).summary["robust"]
    c = solve(tiny(tmp_path, {"objective": "expected", "worlds": 3, "seed": 12})).summary["robust"]
    assert a["evaluation"] == b["evaluation"] and a["seed"] == 11
    assert a["evaluation"]["optimised_worlds"]["nominal"] != c["evaluation"]["optimised_worlds"]["nominal"]


@pytest.mark.parametrize("robust, words", [
    ({"worlds": 1}, ["robust.worlds", "from 2 to 500"]),
    ({"objective": "median"}, ["robust.objective"]),
    ({"alpha": 0.0}, ["robust.alpha"]),
    ({"worlds": -4}, ["robust.worlds"]),
    ({"wolds": 4}, ["robust.wolds", "worlds"]),
])
@pytest.mark.slow
def test_bad_robust_block_is_exit_2_with_file_and_key(tmp_path, robust, words):
    write_geojson(tmp_path / "g.geojson", grid_features(1, 3, cell_km=4.0, populations=[2000, 1000, 1500]))
    scenario = write_scenario(tmp_path / "s.yaml", {"name": "g", "territory": {"communes": "g.geojson"},
                                                    "services": {"include": ["eclairage"]}, "robust": robust})
    done = run_cli("run", scenario, "--out", tmp_path / "out")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "s.yaml" in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_cli_run_writes_the_comparison(tmp_path):
    write_geojson(tmp_path / "g.geojson", grid_features(1, 3, cell_km=4.0, populations=[2000, 1000, 1500]))
    scenario = write_scenario(tmp_path / "s.yaml", {
        "name": "g", "territory": {"communes": "g.geojson"}, "services": {"include": ["eclairage"]},
        "poles": {"max_travel_min": None}, "uncertainty": {"samples": 200},
        "robust": {"objective": "cvar", "alpha": 0.25, "worlds": 4},
        "outputs": {"map": False}})  # the comparison's files are read, not the maps (half the writing)
    done = run_cli("run", scenario, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["robust"]["worlds"] == 4 and summary["robust"]["evaluation"]["fresh_worlds"]["worlds"] == 200
    assert "robust" in (tmp_path / "out" / "robust.csv").read_text()
    assert "Robust design" in (tmp_path / "out" / "robust.md").read_text()
    check = run_cli("verify", tmp_path / "out")
    assert check.returncode == 0, check.stdout + check.stderr


def test_measures_match_their_definitions():
    s = np.random.default_rng(1).normal(size=37)
    grid = np.linspace(-5, 5, 40_001)
    cvar = max(e - np.maximum(e - s, 0).mean() / 0.2 for e in grid)  # Rockafellar–Uryasev, by brute force
    assert measure(s, "cvar", 0.2) == pytest.approx(cvar, abs=1e-3)
    assert measure(s, "quantile", 0.2) == np.sort(s)[7]  # all but floor(0.2 × 37) = 7 worlds reach it
    assert measure(s, "expected", 0.2) == pytest.approx(s.mean())
