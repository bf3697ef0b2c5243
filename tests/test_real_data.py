"""End to end on the bundled real data, with both solvers and every contiguity formulation."""

from __future__ import annotations

import pytest
from helpers import SCENARIOS
from shared import solved, written

from optimiser.api import solve
from optimiser.scenario.load import load_scenario
from optimiser.verify import verify_result

pytestmark = pytest.mark.slow  # real data, both solvers, up to 240 communes: 5–25 s a test

#: The overrides of each solver's run. The scenarios name CBC and exact contiguity themselves, so
#: CBC's run is the scenario as written — the session's shared solve of Laval 2016 that the
#: results, report and verifier tests read — and HiGHS's run of Laval 2024 is also the exact
#: contiguity run of the ordering test below: each is solved once per session (tests/shared.py).
SOLVER_OVERRIDES = {"cbc": (), "highs": ("solver.name=highs",)}


@pytest.mark.parametrize("name", ["laval-2016", "laval-2024"])
def test_laval_is_proven_optimal_and_verified_with_both_solvers(tmp_path_factory, name):
    objectives = {}
    for solver, overrides in SOLVER_OVERRIDES.items():
        assert load_scenario(SCENARIOS / f"{name}.yaml", list(overrides)).scenario.solver.name == solver
        result = solved(tmp_path_factory, name, overrides)
        assert result.status == "optimal", result.summary["messages"]
        objectives[solver] = result.summary["objective"]
        assert verify_result(written(tmp_path_factory, name, overrides)).ok
    assert objectives["cbc"] == pytest.approx(objectives["highs"], rel=1e-6)


def test_contiguity_formulations_are_ordered_on_laval_2024(tmp_path_factory, tmp_path):
    objective = {}
    for contiguity in ("none", "exact", "shortest-path"):
        if contiguity == "exact":  # the scenario's own: the HiGHS run of the test above
            assert load_scenario(SCENARIOS / "laval-2024.yaml").scenario.contiguity == "exact"
            result = solved(tmp_path_factory, "laval-2024", SOLVER_OVERRIDES["highs"])
            folder = written(tmp_path_factory, "laval-2024", SOLVER_OVERRIDES["highs"])
        else:
            result = solve(load_scenario(SCENARIOS / "laval-2024.yaml", [f"contiguity={contiguity}", "solver.name=highs"]))
            folder = result.to_dir(tmp_path / contiguity, draw=False)
        assert result.status == "optimal"
        objective[contiguity] = result.summary["objective"]
        assert verify_result(folder).ok
    assert objective["none"] <= objective["exact"] + 1e-6 <= objective["shortest-path"] + 2e-6


def test_mayenne_exact_contiguity(tmp_path):
    result = solve(load_scenario(SCENARIOS / "mayenne.yaml"))
    assert result.status == "optimal"
    assert result.summary["n_poles"] == 20 and result.summary["n_communes"] == 240
    assert verify_result(result.to_dir(tmp_path / "mayenne", draw=False)).ok
