"""The command line as a planner uses it: exit codes, messages, result folders.

Commands run in-process (:func:`helpers.run_cli`); the few checks that need a real process (a
closed pipe, a ``--debug`` traceback, what a fresh start imports) start one with
:func:`optimiser_process`.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from helpers import DATA, SCENARIOS, run_cli, voronoi_features, write_geojson, write_scenario

optimiser = run_cli


def optimiser_process(*args, cwd=None):
    """``python -m optimiser.cli ARGS`` in a new process."""
    return subprocess.run([sys.executable, "-m", "optimiser.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd)


@pytest.fixture(scope="module")
def laval_result(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "laval-2016"
    done = optimiser("run", SCENARIOS / "laval-2016.yaml", "--out", out)
    assert done.returncode == 0, done.stderr
    return out, done


@pytest.mark.slow
def test_run_writes_every_output(laval_result):
    out, done = laval_result
    for name in ("communes.csv", "poles.csv", "poles.geojson", "map.png", "report.md", "summary.json",
                 "scenario.resolved.yaml"):
        assert (out / name).is_file(), name
    assert (out / "inputs" / "laval_agglo_2016.geojson").is_file()
    summary = json.loads((out / "summary.json").read_text())
    assert summary["status"] == "optimal" and summary["gap"] == 0
    for key in ("objective", "bound", "gap", "solver", "formulation", "runtime_s"):
        assert key in summary
    assert "statut OPTIMAL" in done.stdout and "Résultats :" in done.stdout  # French by default
    header = (out / "communes.csv").read_text().splitlines()[0].split(",")
    assert {"insee_code", "name", "population", "pole", "seat_insee_code", "travel_min", "travel_km"} <= set(header)
    header = (out / "poles.csv").read_text().splitlines()[0].split(",")
    assert {"pole", "seat_insee_code", "seat_name", "n_communes", "population", "max_travel_min"} <= set(header)
    geo = json.loads((out / "poles.geojson").read_text())
    assert len(geo["features"]) == summary["n_poles"]
    assert (out / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = (out / "report.md").read_text()
    assert "## En bref" in report and "trajets sont les plus courts" in report


@pytest.mark.slow
def test_service_commun_core_is_its_own_closed_pole(laval_result):
    out, _ = laval_result
    rows = [line.split(",") for line in (out / "communes.csv").read_text(encoding="utf-8").splitlines()[1:]]
    sc = sorted(r[1] for r in rows if r[3] == "SC")
    assert sc == ["Laval", "Saint-Berthevin"]


@pytest.mark.slow
def test_result_reproduces_from_its_own_folder(laval_result, tmp_path):
    out, _ = laval_result
    again = optimiser("run", out / "scenario.resolved.yaml", "--out", tmp_path / "again", "--quiet")
    assert again.returncode == 0, again.stderr
    first = json.loads((out / "summary.json").read_text())
    second = json.loads((tmp_path / "again" / "summary.json").read_text())
    assert second["objective"] == pytest.approx(first["objective"])
    assert (tmp_path / "again" / "communes.csv").read_text() == (out / "communes.csv").read_text()


def test_verify_passes_and_fails(laval_result, tmp_path):
    out, _ = laval_result
    ok = optimiser("verify", out)
    assert ok.returncode == 0 and "all" in ok.stdout and "FAIL" not in ok.stdout
    broken = tmp_path / "broken"
    subprocess.run(["cp", "-r", str(out), str(broken)], check=True)
    summary = json.loads((broken / "summary.json").read_text())
    summary["objective"] *= 0.9
    (broken / "summary.json").write_text(json.dumps(summary))
    failed = optimiser("verify", broken)
    assert failed.returncode == 4 and "FAIL  objective" in failed.stdout


@pytest.mark.slow
def test_bad_scenario_exit_2_without_traceback(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {"name": "x", "territory": {"communes": str(DATA / "laval_agglo_2016.geojson")},
                                                "poles": {"cuont": 3}})
    done = optimiser("run", path, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert "poles.cuont: unknown key; did you mean 'count'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
    debug = optimiser_process("--debug", "run", path)
    assert "Traceback" in debug.stderr


def test_infeasible_run_explains_and_writes_nothing(tmp_path):
    done = optimiser("run", SCENARIOS / "laval-2016.yaml", "--set", "poles.population.min=30000", "--out", tmp_path / "out")
    assert done.returncode == 3
    assert "INFEASIBLE" in done.stdout and "none of them can gather 30,000" in done.stdout
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.iterdir())


def test_out_folder_of_the_planner_is_never_replaced(tmp_path):
    mine = tmp_path / "my-documents"
    mine.mkdir()
    (mine / "budget.xlsx").write_text("precious")
    done = optimiser("run", SCENARIOS / "laval-2016.yaml", "--out", mine)
    assert done.returncode == 2 and "not a result folder" in done.stderr
    assert (mine / "budget.xlsx").read_text() == "precious" and len(list(mine.iterdir())) == 1


def test_validate(tmp_path):
    done = optimiser("validate", SCENARIOS / "laval-2024.yaml")
    assert done.returncode == 0 and "34 communes" in done.stdout
    bad = optimiser("validate", SCENARIOS / "laval-2016.yaml", "--set", "poles.max_travel_min=5")
    assert bad.returncode == 3 and "can only join poles seated within 5 min" in bad.stderr


def test_version_and_help():
    assert optimiser("--version").returncode == 0
    assert "verify" in optimiser("--help").stdout


#: Modules a start of the command line must not import: ``optimiser --help`` took 4.4 s with them
#: (a bare Python start with click and yaml: 0.25 s). Each command imports what it needs.
HEAVY = ("pandas", "matplotlib", "pulp", "highspy", "numpy", "networkx", "shapely", "pydantic", "dask", "distributed")


def test_starting_the_command_line_imports_no_heavy_module():
    """A fresh interpreter: import the command line and build its help, then look at sys.modules."""
    code = ("import sys, optimiser, optimiser.cli\n"
            "from click.testing import CliRunner\n"
            "assert CliRunner().invoke(optimiser.cli.main, ['--help']).exit_code == 0\n"
            "for name in ['run', 'validate', 'init', 'sweep', 'template']:\n"
            "    assert CliRunner().invoke(optimiser.cli.main, [name, '--help']).exit_code == 0\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", f"imported at start-up: {done.stdout.strip()}"


@pytest.mark.slow
def test_public_names_load_on_first_use_and_stay_the_functions():
    """The public names are the API's objects whichever of the package's modules was imported
    first, and every name of ``__all__`` resolves — without loading matplotlib, which only a
    drawing needs (a run without maps, a sweep's worker: 0.5-0.9 s of import each)."""
    code = ("import sys, optimiser.solvers, optimiser.design\n"
            "import optimiser\n"
            "from optimiser import solve, load_scenario, Result, sweep, compare, pareto, load_results\n"
            "assert callable(solve) and solve.__module__ == 'optimiser.api', solve\n"
            "assert optimiser.solve is solve and optimiser.Result.__name__ == 'Result'\n"
            "assert all(getattr(optimiser, name) is not None for name in optimiser.__all__)\n"
            "import optimiser.sweeps.worker\n"
            "assert 'matplotlib' not in sys.modules, 'matplotlib imported with no figure drawn'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with pytest.raises(AttributeError, match="no attribute 'nonexistent'"):
        import optimiser

        optimiser.nonexistent  # noqa: B018


@pytest.mark.slow
def test_service_run_prints_savings_matching_its_summary(tmp_path):
    out = tmp_path / "lending"
    done = optimiser("run", SCENARIOS / "laval-2016-lending.yaml", "--out", out, "--lang", "en",
                     "--set", "outputs.map=false")  # the words are read, not the maps
    assert done.returncode == 0, done.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["savings"] > 0
    assert f"saves {summary['savings'] / 1000:,.1f} k€ a year" in done.stdout
    assert f"{summary['services_borrowed']} borrowing machines" in done.stdout
    assert "services.csv" in done.stdout.splitlines()[-1]
    report = (out / "report.md").read_text()  # --lang en: the files a person reads are in English too
    assert report.startswith("# Pooling of technical services") and "least total cost" in report
    assert "population-weighted travel" not in report.split("## Pooling")[0]


@pytest.mark.slow
def test_closed_pipe_keeps_the_folder_and_shows_no_traceback(tmp_path):
    """A run whose reader went away before its first line. Eight synthetic communes and no map, not
    Laval 2016 (4.5 CPU-s in the child, 2.5 of them its import): the pipe is met at the first
    print, which comes after the solve and the folder whatever the territory, so the same path
    (the guard's BrokenPipeError, the folder already whole) is taken for a fraction of the work."""
    territory = write_geojson(tmp_path / "t.geojson", voronoi_features(8, 3))
    scenario = write_scenario(tmp_path / "s.yaml", {"name": "piped", "territory": {"communes": territory.name},
                                                    "outputs": {"map": False}})
    out = tmp_path / "piped"
    child = subprocess.Popen([sys.executable, "-m", "optimiser.cli", "run", scenario, "--out", out],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    child.stdout.close()  # the reader goes away before anything is printed, as `| head -0` would
    stderr = child.stderr.read()
    assert child.wait() != 0
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert (out / "summary.json").is_file()
