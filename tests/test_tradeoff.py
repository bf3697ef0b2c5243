"""The cost / travel frontier (``optimiser pareto``, :func:`optimiser.tradeoff.frontier`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from helpers import SCENARIOS, write_scenario

from optimiser.errors import InputError
from optimiser.tradeoff import frontier


def optimiser(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "optimiser.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)


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
