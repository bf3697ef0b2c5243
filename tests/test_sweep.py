"""Sweeps: every variant solved into its folder, resume, failures, parallel and Dask backends."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from helpers import tiny_territory

from optimiser import sweep as api_sweep
from optimiser.api import solve
from optimiser.cli import main
from optimiser.errors import InputError
from optimiser.scenario.load import load_scenario
from optimiser.sweeps.runner import run_sweep
from optimiser.verify import verify_result

SCENARIO = """
name: tiny-sweep
territory: {{communes: {territory}}}
outputs: {{map: false}}
solver: {{time_limit_s: 60, gap: 0.0}}
overrides:
  two_alone: {{poles.allow_alone: [99004, 99007], poles.max_alone: 2}}
variants:
  alone: [two_alone]
sweep:
  grid:
    poles.count: [2, 3]
    poles.max_travel_min: [30, 45]
"""
IDS = sorted(f"{v}__poles.count={c}__poles.max_travel_min={t}" for v in ("base", "alone") for c in (2, 3) for t in (30, 45))


def make_scenario(folder: Path, extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    territory = tiny_territory(folder, n=8, seed=3)
    path = folder / "sweep.yaml"
    path.write_text(SCENARIO.format(territory=territory.name) + extra, encoding="utf-8")
    return path


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def index(folder: Path) -> dict:
    return json.loads((folder / "sweep.json").read_text())


def by_id(folder: Path) -> dict:
    return {row["id"]: row for row in index(folder)["variants"]}


def assignments(folder: Path) -> dict:
    """Variant id → (objective, commune → seat), from the result folders."""
    out = {}
    for row in index(folder)["variants"]:
        if row["folder"]:
            communes = pd.read_csv(folder / row["folder"] / "communes.csv", dtype=str)
            out[row["id"]] = (round(row["objective"], 6), dict(zip(communes["insee_code"], communes["seat_insee_code"])))
    return out


@pytest.fixture(scope="module")
def prepared():
    """Which variants ``prepare()`` was called for during the serial sweep (see
    :func:`test_serial_sweep_prepares_each_variant_once`): filled by :func:`serial`."""
    return []


@pytest.fixture(scope="module")
def serial(tmp_path_factory, prepared):
    """One serial sweep shared by the tests that only read it, or that start from its folder (a
    copy: resume, a changed territory). ``prepare()`` is counted while it runs (every prepare
    resolves its rules once, however imported)."""
    import optimiser.inputs.preparation as preparation

    root = tmp_path_factory.mktemp("serial")
    scenario = make_scenario(root)
    out = root / "out"
    real = preparation.resolve_rules

    def counting(loaded, territory):
        prepared.append(loaded.variant)
        return real(loaded, territory)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(preparation, "resolve_rules", counting)
        result = invoke("sweep", scenario, "--out", out)
    return scenario, out, result


def copy_of(serial, tmp_path: Path) -> tuple[Path, Path]:
    """The serial sweep's folder (scenario, territory, results) copied to ``tmp_path``: a test that
    changes it starts from a finished sweep without solving the eight variants again."""
    scenario, _, _ = serial
    shutil.copytree(scenario.parent, tmp_path, dirs_exist_ok=True)
    return tmp_path / scenario.name, tmp_path / "out"


@pytest.mark.slow
def test_every_variant_is_solved_into_its_folder(serial):
    scenario, out, result = serial
    assert result.exit_code == 0, result.output
    rows = by_id(out)
    assert sorted(rows) == IDS
    assert all(row["status"] == "optimal" for row in rows.values())
    assert "[8/8]" in result.output and "optimal" in result.output
    # French by default (the terminal, as every report): see test_sweep_and_compare_speak_english_on_request
    assert "données partagées (territoire, graphe routier, matrice des temps) : calculées pour 1 configuration(s)" in result.output
    for variant_id, row in rows.items():
        folder = out / row["folder"]
        assert folder.name == variant_id
        summary = json.loads((folder / "summary.json").read_text())
        assert summary["objective"] == pytest.approx(row["objective"])
        provenance = summary["composition"]
        assert provenance["id"] == variant_id and len(provenance["input_hash"]) == 64
        assert provenance["sweep"] == {"poles.count": row["sweep"]["poles.count"],
                                       "poles.max_travel_min": row["sweep"]["poles.max_travel_min"]}
        variant = json.loads((folder / "variant.json").read_text())
        assert variant["id"] == variant_id and variant["overrides"] == (["two_alone"] if variant_id.startswith("alone") else [])
    assert verify_result(out / IDS[0]).ok


@pytest.mark.slow
def test_results_equal_separate_runs_of_each_variant(serial):
    """The shared-input cache and the sweep machinery change nothing in the answers."""
    scenario, out, _ = serial
    for variant_id, (objective, seats) in assignments(out).items():
        result = solve(load_scenario(scenario, variant=variant_id))
        assert result.summary["objective"] == pytest.approx(objective, rel=1e-9)
        assert dict(zip(result.communes["insee_code"], result.communes["seat_insee_code"])) == seats


@pytest.mark.slow
def test_variants_differ_as_their_settings_say(serial):
    _, out, _ = serial
    rows = by_id(out)
    for row in rows.values():
        communes = pd.read_csv(out / row["folder"] / "communes.csv")
        placed = communes[~communes["alone"]]
        assert placed["travel_min"].max() <= row["sweep"]["poles.max_travel_min"] + 1e-6
        assert placed["pole"].nunique() == row["sweep"]["poles.count"]
    # a looser travel limit can only help the objective
    for count in (2, 3):
        tight, loose = rows[f"base__poles.count={count}__poles.max_travel_min=30"], rows[f"base__poles.count={count}__poles.max_travel_min=45"]
        assert loose["objective"] <= tight["objective"] + 1e-6


@pytest.mark.slow
def test_resume_skips_unchanged_variants_and_reruns_changed_ones(serial, tmp_path):
    scenario, out = copy_of(serial, tmp_path)
    stamps = {p.name: (p / "summary.json").stat().st_mtime_ns for p in out.iterdir() if p.is_dir() and not p.name.startswith(".")}

    again = invoke("sweep", scenario, "--out", out)
    assert again.exit_code == 0
    assert "reprise : 8 variantes sur 8 déjà résolues" in again.output and "[1/8]" not in again.output
    assert all(row["skipped"] for row in by_id(out).values())
    assert {n: (out / n / "summary.json").stat().st_mtime_ns for n in stamps} == stamps

    # change one variant (the override used by 'alone'): only its 4 runs are solved again
    text = scenario.read_text().replace("poles.max_alone: 2", "poles.max_alone: 1")
    scenario.write_text(text)
    third = invoke("sweep", scenario, "--out", out)
    assert third.exit_code == 0, third.output
    assert "reprise : 4 variantes sur 8 déjà résolues" in third.output
    rows = by_id(out)
    for variant_id in IDS:
        changed = variant_id.startswith("alone")
        assert rows[variant_id]["skipped"] is (not changed)
        assert ((out / variant_id / "summary.json").stat().st_mtime_ns != stamps[variant_id]) is changed
        if changed:
            assert yaml.safe_load((out / variant_id / "scenario.resolved.yaml").read_text())["poles"]["max_alone"] == 1

    # a folder with a damaged result is solved again, not trusted
    (out / IDS[0] / "summary.json").write_text("{not json")
    fourth = invoke("sweep", scenario, "--out", out)
    assert "reprise : 7 variantes sur 8" in fourth.output and by_id(out)[IDS[0]]["status"] == "optimal"


@pytest.mark.slow
def test_changing_the_territory_file_reruns_everything(serial, tmp_path):
    scenario, out = copy_of(serial, tmp_path)
    assert all(row["status"] == "optimal" for row in by_id(out).values())
    territory = tmp_path / "tiny-8-3.geojson"
    data = json.loads(territory.read_text())
    data["features"][0]["properties"]["population"] += 1
    territory.write_text(json.dumps(data))
    again = invoke("sweep", scenario, "--out", out)
    assert again.exit_code == 0 and "reprise" not in again.output
    assert not any(row["skipped"] for row in by_id(out).values())


@pytest.mark.slow
def test_failed_variants_do_not_stop_the_sweep_and_are_listed(tmp_path):
    scenario = make_scenario(tmp_path)
    text = scenario.read_text().replace("  alone: [two_alone]\n", "  alone: [two_alone]\n"
                                        "  huge: [{poles.population.min: 1000000}]\n"
                                        "  nowhere: [{poles.fixed_seats: [Atlantis]}]\n")
    scenario.write_text(text)
    out = tmp_path / "out"
    result = invoke("sweep", scenario, "--out", out)
    assert result.exit_code == 2, result.output  # a variant with bad input of its own: exit 2
    rows = by_id(out)
    assert len(rows) == 16
    statuses = {i: r["status"] for i, r in rows.items()}
    assert all(statuses[i] == "optimal" for i in IDS)
    assert all(s == "infeasible" for i, s in statuses.items() if i.startswith("huge"))
    assert all(s == "invalid" for i, s in statuses.items() if i.startswith("nowhere"))
    for i, row in rows.items():
        assert (row["folder"] is None) == (row["status"] != "optimal")
        assert (out / i).exists() == (row["status"] == "optimal")  # no half-written folder
    assert "8 variante(s) sans solution :" in result.output
    failures = result.output.split("8 variante(s) sans solution :")[1]
    assert "huge__poles.count=2__poles.max_travel_min=30: infaisable — " in failures and "1,000,000" in failures
    assert "more)" in failures  # several reasons: the first, and how many more (all in sweep.json)
    assert "1,000,000" in rows["huge__poles.count=2__poles.max_travel_min=30"]["error"]
    assert "nowhere__poles.count=2__poles.max_travel_min=30: données invalides —" in result.output and "Atlantis" in result.output
    assert "Traceback" not in result.output

    # without the invalid variant, failures mean "no design": exit 3
    scenario.write_text(text.replace("  nowhere: [{poles.fixed_seats: [Atlantis]}]\n", ""))
    result = invoke("sweep", scenario, "--out", out)
    assert result.exit_code == 3
    assert "reprise : 8 variantes sur 12" in result.output


@pytest.mark.slow
def test_an_interrupted_sweep_resumes_where_it_stopped(tmp_path):
    scenario = make_scenario(tmp_path)
    out = tmp_path / "out"
    lines = []

    def echo(line):
        lines.append(line)
        if len(lines) == 3:
            raise KeyboardInterrupt

    report = run_sweep(scenario, out, echo=echo)
    assert report.interrupted
    statuses = [o.status for o in report.outcomes]
    assert statuses.count("optimal") == 3 and statuses.count("not-run") == 5
    assert index(out)["finished"] is False
    report = run_sweep(scenario, out)
    assert not report.interrupted and len(report.skipped) == 3 and not report.failures
    assert index(out)["finished"] is True


def test_bad_input_stops_before_anything_is_written(tmp_path):
    scenario = make_scenario(tmp_path)
    scenario.write_text(scenario.read_text().replace("variants:\n  alone: [two_alone]", "variants:\n  alone: [two_alon]"))
    out = tmp_path / "out"
    result = invoke("sweep", scenario, "--out", out)
    assert result.exit_code == 2 and "unknown override 'two_alon'; did you mean 'two_alone'?" in result.output
    assert not out.exists()

    other = tmp_path / "not-a-sweep"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    scenario.write_text(scenario.read_text().replace("two_alon]", "two_alone]"))
    result = invoke("sweep", scenario, "--out", other)
    assert result.exit_code == 2 and "has no sweep.json" in result.output
    assert sorted(p.name for p in other.iterdir()) == ["notes.txt"]

    for args, message in ((["--jobs", "0"], "--jobs"), (["--backend", "spark"], "--backend"),
                          (["--scheduler", "tcp://localhost:1"], "needs --backend dask")):
        result = invoke("sweep", scenario, "--out", out, *args)
        assert result.exit_code == 2 and message in result.output, result.output
    assert not out.exists()


@pytest.mark.slow
def test_process_pool_matches_serial(serial, tmp_path):
    scenario, serial_out, _ = serial
    out = tmp_path / "out"
    result = invoke("sweep", scenario, "--out", out, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "(process, 2 tâche(s))" in result.output
    assert assignments(out) == assignments(serial_out)
    assert len(list((out / ".cache").glob("*.pickle"))) == 2  # territory + roads, written once by the parent
    sources = [row["shared_inputs"] for row in by_id(out).values()]
    assert "computed" not in sources and "disk" in sources  # workers read them, never recompute


def test_one_variant_left_is_solved_in_this_process(tmp_path):
    """--jobs 2 with a single run to solve starts no pool (a fresh process imports the package,
    3-5 CPU-s, to solve one tiny run): the run is solved here, as with --jobs 1, and the index
    still records the jobs asked for."""
    scenario = make_scenario(tmp_path / "one", "").read_text().split("overrides:")[0]
    path = tmp_path / "one" / "one.yaml"
    path.write_text(scenario, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("sweep", path, "--out", out, "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "(process, 2 tâche(s))" in result.output and index(out)["jobs"] == 2
    assert not (out / ".cache").exists()  # the pool's shared inputs are written for workers only
    assert [row["shared_inputs"] for row in index(out)["variants"]] == ["memory"]  # prepared here, not read from disk


@pytest.mark.slow
def test_dask_local_cluster_matches_serial(serial, tmp_path):
    scenario, serial_out, _ = serial
    out = tmp_path / "out"
    result = invoke("sweep", scenario, "--out", out, "--backend", "dask", "--jobs", "2")
    assert result.exit_code == 0, result.output
    assert "(dask, 2 tâche(s))" in result.output
    assert assignments(out) == assignments(serial_out)
    assert sorted(by_id(out)) == IDS
    assert "computed" not in [row["shared_inputs"] for row in by_id(out).values()]


def test_the_local_cluster_settings_are_dask_settings():
    """Each setting the local cluster is started with is one Dask knows (a key renamed by a Dask
    release would be ignored in silence), and differs from Dask's default (else it is useless)."""
    import dask
    import distributed  # noqa: F401 (loads the distributed.* defaults)

    from optimiser.sweeps.backends import LOCAL_CLUSTER_CONFIG

    for key, value in LOCAL_CLUSTER_CONFIG.items():
        assert dask.config.get(key) != value, key  # raises KeyError for an unknown key
    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        assert all(dask.config.get(key) == value for key, value in LOCAL_CLUSTER_CONFIG.items())


@pytest.mark.slow
def test_python_api_returns_the_comparison_table(serial, tmp_path):
    scenario, serial_out, _ = serial
    shutil.copytree(serial_out, tmp_path / "copy")
    table = api_sweep(scenario, tmp_path / "copy")  # resumes: nothing to solve
    assert sorted(table["variant"]) == IDS
    assert set(table["status"]) == {"optimal"}
    assert table.attrs["folder"] == str((tmp_path / "copy").absolute())
    with pytest.raises(InputError):
        api_sweep(scenario, tmp_path / "x", jobs=0)


@pytest.mark.slow
def test_serial_sweep_prepares_each_variant_once(serial, prepared):
    """The parent prepares every variant (to check it before writing anything); a serial sweep
    solves with those inputs instead of preparing each variant a second time. Counted during the
    shared serial sweep (:func:`serial`), which is a fresh one: every variant solved."""
    _, out, result = serial
    assert result.exit_code == 0, result.output
    rows = by_id(out)
    assert sorted(i for i, row in rows.items() if row["status"] == "optimal" and not row["skipped"]) == IDS
    assert sorted(prepared) == IDS
    assert {row["shared_inputs"] for row in rows.values()} == {"memory"}


@pytest.mark.slow
def test_sweep_and_compare_speak_english_on_request_and_the_scenario_sets_the_language(tmp_path):
    """The terminal lines of sweep and compare are French by default and English with --lang en;
    a scenario's outputs.lang sets the language of its folders and lines, --lang overrides it."""
    territory = tiny_territory(tmp_path, n=8, seed=3)
    scenario = tmp_path / "lang.yaml"
    scenario.write_text(yaml.safe_dump({"name": "lang", "territory": {"communes": territory.name},
                                        "outputs": {"map": False, "lang": "en"}, "sweep": {"grid": {"poles.count": [2]}}}))
    english = invoke("sweep", scenario, "--out", tmp_path / "en")
    assert english.exit_code == 0, english.output
    assert "1 variants in" in english.output and "index: " in english.output and "  optimal  " in english.output
    (variant,) = [p for p in (tmp_path / "en").iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert '<html lang="en"' in (variant / "report.html").read_text(encoding="utf-8")

    french = invoke("sweep", scenario, "--out", tmp_path / "fr", "--lang", "fr")  # over the scenario's outputs.lang
    assert french.exit_code == 0, french.output
    assert "1 variante en" in french.output and "index : " in french.output and "habitants-minutes" in french.output
    assert '<html lang="fr"' in (tmp_path / "fr" / variant.name / "report.html").read_text(encoding="utf-8")

    compared = invoke("compare", tmp_path / "en", "--lang", "en")
    assert compared.exit_code == 0 and "1 variants compared" in compared.output and "Status" in compared.output
    compared = invoke("compare", tmp_path / "fr")
    assert compared.exit_code == 0 and "1 variante comparée" in compared.output and "Statut" in compared.output


def test_outputs_lang_is_checked_like_every_key(tmp_path):
    territory = tiny_territory(tmp_path, n=8, seed=3)
    scenario = tmp_path / "bad.yaml"
    scenario.write_text(yaml.safe_dump({"name": "bad", "territory": {"communes": territory.name}, "outputs": {"lang": "EN"}}))
    result = invoke("validate", scenario)
    assert result.exit_code == 2 and "outputs.lang: expected one of 'fr' or 'en' (got 'EN'); did you mean 'en'?" in result.output
    assert "Traceback" not in result.output


def test_an_unreachable_scheduler_is_reported_at_once():
    """A refused address or an unknown host is known from the first connection: it is reported
    then, not after Dask's client has retried it for its whole timeout (15 s to learn that the
    address is wrong). Timed after ``distributed`` is imported (its import is the machine's speed)."""
    import time

    import distributed  # noqa: F401

    from optimiser.sweeps.backends import SCHEDULER_TIMEOUT_S, DaskSession

    for address, reason in (("tcp://127.0.0.1:1", "refused"), ("tcp://no-such-host.invalid:8786", "cannot connect")):
        start = time.perf_counter()
        with pytest.raises(InputError) as caught:
            DaskSession(1, address)
        assert time.perf_counter() - start < SCHEDULER_TIMEOUT_S / 3, address
        assert "cannot connect to the Dask scheduler" in str(caught.value) and reason in str(caught.value), str(caught.value)
