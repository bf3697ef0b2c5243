"""End to end on the bundled real data, with both solvers and every contiguity formulation."""

from __future__ import annotations

import pytest
from helpers import SCENARIOS

from optimiser.api import solve
from optimiser.scenario.load import load_scenario
from optimiser.verify import verify_result

pytestmark = pytest.mark.slow  # real data, both solvers, up to 240 communes: 5–25 s a test


@pytest.mark.parametrize("name", ["laval-2016", "laval-2024"])
def test_laval_is_proven_optimal_and_verified_with_both_solvers(tmp_path, name):
    objectives = {}
    for solver in ("cbc", "highs"):
        result = solve(load_scenario(SCENARIOS / f"{name}.yaml", [f"solver.name={solver}"]))
        assert result.status == "optimal", result.summary["messages"]
        objectives[solver] = result.summary["objective"]
        assert verify_result(result.to_dir(tmp_path / solver, draw=False)).ok
    assert objectives["cbc"] == pytest.approx(objectives["highs"], rel=1e-6)


def test_contiguity_formulations_are_ordered_on_laval_2024(tmp_path):
    objective = {}
    for contiguity in ("none", "exact", "shortest-path"):
        result = solve(load_scenario(SCENARIOS / "laval-2024.yaml", [f"contiguity={contiguity}", "solver.name=highs"]))
        assert result.status == "optimal"
        objective[contiguity] = result.summary["objective"]
        assert verify_result(result.to_dir(tmp_path / contiguity, draw=False)).ok
    assert objective["none"] <= objective["exact"] + 1e-6 <= objective["shortest-path"] + 2e-6


def test_mayenne_exact_contiguity(tmp_path):
    result = solve(load_scenario(SCENARIOS / "mayenne.yaml"))
    assert result.status == "optimal"
    assert result.summary["n_poles"] == 20 and result.summary["n_communes"] == 240
    assert verify_result(result.to_dir(tmp_path / "mayenne", draw=False)).ok
