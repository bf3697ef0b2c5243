"""The cost / travel frontier (``optimiser pareto``, :func:`optimiser.tradeoff.frontier`)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from helpers import SCENARIOS, grid_features, run_cli, write_geojson, write_scenario

from optimiser.comparison import compare_folders
from optimiser.errors import InputError
from optimiser.tradeoff import frontier

optimiser = run_cli  # the command line, in-process


def grid_with_services(tmp_path, **extra):
    """Six communes on a 2 × 3 grid, two services, every commune free to stay alone (solves in
    well under a second)."""
    territory = write_geojson(tmp_path / "grid.geojson",
                              grid_features(2, 3, cell_km=6.0, populations=[3000, 800, 500, 1200, 900, 400]))
    return write_scenario(tmp_path / "grid.yaml", {
        "name": "grid", "territory": {"communes": str(territory)},
        "services": {"include": ["espaces_verts", "eclairage"]},
        "poles": {"allow_alone": "all", "max_travel_min": 20, "communes": {"min": 2}},
        "solver": {"name": "highs"}, **extra,
    })


def test_pareto_refuses_travel_distance_before_solving(tmp_path):
    """The frontier's travel and its ε are person-minutes: a distance objective is refused,
    blamed on the --set that chose it, and nothing is written (default folder or --out)."""
    out = tmp_path / "frontier"
    for extra in ([], ["--out", out]):
        done = optimiser("pareto", SCENARIOS / "laval-2016-a-la-carte.yaml", "--points", 2,
                         "--set", "objective.travel=distance", *extra, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr
        assert "objective.travel" in done.stderr and "'distance'" in done.stderr
        assert "--set objective.travel=distance" in done.stderr
        assert "objective.travel: time" in done.stderr
        assert not out.exists()
        assert not (tmp_path / "results").exists()


def test_frontier_names_the_file_line_that_sets_travel_distance(tmp_path):
    scenario = write_scenario(tmp_path / "distance.yaml", {
        "name": "distance", "extends": str(SCENARIOS / "laval-2016-a-la-carte.yaml"),
        "objective": {"travel": "distance"},
    })
    with pytest.raises(InputError) as caught:
        frontier(scenario, points=2, out=tmp_path / "out", echo=None)
    (problem,) = caught.value.problems
    assert (problem.file, problem.path, problem.value) == (str(scenario), "objective.travel", "distance")
    assert problem.line is not None
    assert "travel time" in problem.message
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_pareto_mean_travel_agrees_with_summary_and_comparison(tmp_path):
    """pareto.csv's mean trip is summary.json's (over communes in a pole), so it agrees with
    optimiser compare; communes left alone do not dilute it. The points' folders follow
    ``outputs.map`` as those of run and sweep do: no maps asked for, none drawn (they were a third
    of this test's time; what it reads is in the CSV and JSON files)."""
    scenario = grid_with_services(tmp_path)
    out = tmp_path / "frontier"
    table = frontier(scenario, points=3, out=out, echo=None, overrides=["outputs.map=false"])
    assert (out / "pareto.png").exists()  # the frontier's own chart is always drawn
    assert [p.name for p in out.glob("*/*.png")] == []
    written = pd.read_csv(out / "pareto.csv").set_index("point")
    compared, _ = compare_folders([out])
    compared = compared.set_index("variant")
    assert (compared["n_alone"] > 0).any()  # the case where a mean over all communes would differ
    for row in table.itertuples():
        summary = json.loads((out / row.point / "summary.json").read_text(encoding="utf-8"))
        # No mean trip when every commune stays alone (null in summary.json, empty in the tables).
        expected = pytest.approx(float("nan") if summary["mean_travel_min"] is None else summary["mean_travel_min"],
                                 nan_ok=True)
        assert row.mean_travel_min == expected
        assert written.loc[row.point, "mean_travel_min"] == expected
        assert compared.loc[row.point, "mean_travel_min"] == expected


@pytest.mark.slow
def test_priced_travel_design_is_the_one_solved_and_priced(tmp_path):
    """With travel priced (the frontier's least-travel end), the starting design is valued with
    its poles fixed: members may not slip out to stay alone there, or the reported poles would
    differ from the priced ones. Here staying alone (no travel) is best, and the result says so
    consistently — its objective is its costs plus its priced travel, checked by the verifier."""
    from optimiser import load_scenario, solve
    from optimiser.verify import verify_result

    scenario = grid_with_services(tmp_path, objective={"travel_weight_eur": 1000})
    result = solve(load_scenario(scenario))
    assert result.status == "optimal"
    assert result.communes["alone"].all()  # any pole would add ≥ 9,000 person-min × 1 €: never worth it
    assert result.summary["objective"] == pytest.approx(result.summary["total_cost"] / 1000)
    report = verify_result(result.to_dir(tmp_path / "out", draw=False))
    assert report.ok, report.violations
