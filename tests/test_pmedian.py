"""Pure p-median mode: growing nearest-seat lists reach the true optimum."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from helpers import tiny_territory, write_scenario

from optimiser.api import solve
from optimiser.design.pmedian import solve_pmedian
from optimiser.scenario.load import load_scenario
from optimiser.solvers import SolverOptions, Status
from optimiser.territory import load_geojson_territory
from optimiser.territory.roads import adjacency_road_graph, travel_matrix
from optimiser.verify import verify_result


def enumerate_pmedian(cost, weights, p):
    n = cost.shape[0]
    best = None
    for seats in itertools.combinations(range(n), p):
        value = float(np.sum(weights * cost[:, list(seats)].min(axis=1)))
        if best is None or value < best - 1e-9:
            best = value
    return best


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_growing_lists_reach_the_enumerated_optimum(tmp_path, seed, solver):
    territory = load_geojson_territory(tiny_territory(tmp_path, n=10, seed=seed))
    matrix = travel_matrix(adjacency_road_graph(territory))
    weights = territory.communes["population"].to_numpy(dtype=float)
    p = 2 + seed % 3
    expected = enumerate_pmedian(matrix.time_min, weights, p)
    # k0 = 1: every commune starts with only its own seat, so lists must grow to be exact
    solution = solve_pmedian(matrix.time_min, weights, p, list(range(10)), [], SolverOptions(name=solver, gap=0.0), 60, k0=1)
    assert solution.outcome.status is Status.OPTIMAL
    assert solution.objective == pytest.approx(expected, rel=1e-9)
    assert solution.rounds > 1
    assert len(solution.seats) == p


def test_p_median_scenario_end_to_end(tmp_path):
    territory = tiny_territory(tmp_path, n=9, seed=3)
    path = write_scenario(tmp_path / "pm.yaml", {"name": "pm", "mode": "p-median", "territory": {"communes": str(territory)},
                                                 "poles": {"count": 3}, "solver": {"gap": 0.0}})
    result = solve(load_scenario(path))
    assert result.status == "optimal"
    assert result.summary["n_poles"] == 3 and result.summary["contiguity"] == "none"
    assert verify_result(result.to_dir(tmp_path / "out", draw=False)).ok
