"""``optimiser init``: a territory and a starter scenario for any EPCI, that ``optimiser run`` solves."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from optimiser.cli import main
from optimiser.errors import DisconnectedTerritoryError
from optimiser.inputs.preparation import prepare
from optimiser.scenario.load import load_scenario
from optimiser.verify import verify_result


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def init_and_run(tmp_path: Path, *selector: str) -> tuple[Path, dict, dict]:
    folder = tmp_path / "init"
    result = invoke("init", *selector, "--out", str(folder))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == ["init.json", "scenario.yaml", "territory.geojson"]
    out = tmp_path / "result"
    ran = invoke("run", str(folder / "scenario.yaml"), "--out", str(out), "--quiet")
    assert ran.exit_code == 0, ran.output
    verification = verify_result(out)
    assert verification.ok, verification.violations
    scenario = yaml.safe_load((folder / "scenario.yaml").read_text(encoding="utf-8"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return folder, scenario, summary


@pytest.mark.parametrize("selector,n", [
    (("--epci", "CC du Pays de Sainte-Odile"), 6),          # small, and one member across another EPCI
    (("--epci", "ca laval agglomeration"), 34),
    (("--epci", "200067932"), 34),                          # Golfe du Morbihan: two island communes
])
@pytest.mark.slow
def test_init_then_run_round_trip(tmp_path, selector, n):
    folder, scenario, summary = init_and_run(tmp_path, *selector)
    assert summary["n_communes"] == n
    assert summary["status"] == "optimal"  # these small starters are proven optimal in well under a second
    poles = scenario["poles"]
    assert summary["n_poles"] <= poles["count"]["max"]
    # the travel limit binds but admits a design, and is explained in the file
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    assert "longest trip is" in text and "max_travel_min" in text
    result_poles = __import__("pandas").read_csv(tmp_path / "result" / "poles.csv")
    assert (result_poles["max_travel_min"] <= poles["max_travel_min"] + 1e-6).all()


@pytest.mark.slow
def test_disconnected_epci_gets_links_and_island_opt_outs(tmp_path):
    """Lorient: Locmiquélic/Port-Louis/Riantec and Gâvres across the harbour (land routes round
    it), Groix an island (ferry, may stay alone)."""
    folder, scenario, summary = init_and_run(tmp_path, "--epci", "CA Lorient Agglomération")
    links = scenario["roads"]["extra_links"]
    assert {tuple(link["between"])[0] for link in links} == {"56118", "56062", "56069"}
    assert scenario["poles"]["allow_alone"] == ["56069"]
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    assert "land route through" in text and "assumed ferry" in text
    assert summary["status"] == "optimal" and summary["n_communes"] == 25
    # without the links the territory is not connected: the links are what makes it run
    with pytest.raises(DisconnectedTerritoryError):
        prepare(load_scenario(folder / "scenario.yaml", ["roads.extra_links=[]"]))


@pytest.mark.slow
def test_pieces_on_two_landmasses_are_bridged(tmp_path):
    """CAP Excellence: Baie-Mahault (Basse-Terre) and Les Abymes (Grande-Terre), 16 m apart."""
    folder, scenario, summary = init_and_run(tmp_path, "--epci", "CA CAP Excellence")
    (link,) = scenario["roads"]["extra_links"]
    assert link["between"] == ["97103", "97101"]
    assert "assumed bridged" in (folder / "scenario.yaml").read_text(encoding="utf-8")
    assert "allow_alone" not in scenario["poles"]
    assert summary["status"] == "optimal" and summary["n_alone"] == 0


@pytest.mark.slow
def test_island_of_several_communes_is_bridged(tmp_path):
    """Île de Noirmoutier (4 communes, 550 m off the coast, no shared border with the mainland)."""
    island = ["85011", "85083", "85106", "85163"]
    mainland = ["85012", "85018", "85164", "85234", "85273"]
    folder, scenario, summary = init_and_run(tmp_path, "--communes", ",".join(island + mainland))
    (link,) = scenario["roads"]["extra_links"]
    assert link["between"] == ["85011", "85012"]  # Barbâtre - La Barre-de-Monts
    assert "assumed bridged" in (folder / "scenario.yaml").read_text(encoding="utf-8")
    assert summary["status"] == "optimal" and summary["n_alone"] == 0


@pytest.mark.slow
def test_departement_and_communes_selections(tmp_path):
    result = invoke("init", "--communes", "53130,53201,53054,53119,53001", "--name", "Laval ouest", "--out", str(tmp_path / "c"))
    assert result.exit_code == 0, result.output
    scenario = yaml.safe_load((tmp_path / "c" / "scenario.yaml").read_text(encoding="utf-8"))
    assert scenario["territory"]["name"] == "Laval ouest"
    provenance = json.loads((tmp_path / "c" / "init.json").read_text(encoding="utf-8"))
    assert provenance["communes"] == 5 and provenance["selection"]["kind"] == "communes"
    assert provenance["command"] == 'optimiser init --communes 53001,53054,53119,53130,53201 --name "Laval ouest"'
    result = invoke("init", "--departement", "Mayenne", "--out", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    provenance = json.loads((tmp_path / "d" / "init.json").read_text(encoding="utf-8"))
    assert provenance["command"] == "optimiser init --departement 53" and provenance["communes"] == 240


def test_unknown_epci_is_an_input_error_with_suggestion(tmp_path):
    result = CliRunner().invoke(main, ["init", "--epci", "CA Lavall Agglo", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "did you mean" in result.output and "CA Laval Agglomération" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x").exists() and list(tmp_path.iterdir()) == []


def test_bad_departement_code(tmp_path):
    result = CliRunner().invoke(main, ["init", "--departement", "5x", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert "--departement" in result.output and "expected an INSEE département code" in result.output
    assert list(tmp_path.iterdir()) == []


def test_exactly_one_selector(tmp_path):
    result = CliRunner().invoke(main, ["init", "--epci", "200083392", "--departement", "53", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2 and "exactly one of" in result.output
    result = CliRunner().invoke(main, ["init", "--out", str(tmp_path / "x")])
    assert result.exit_code == 2


def test_existing_folder_is_kept_unless_it_is_an_init_folder(tmp_path):
    own = tmp_path / "mine"
    own.mkdir()
    (own / "notes.txt").write_text("planner's notes", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", "--epci", "200083392", "--out", str(own)])
    assert result.exit_code == 2 and "not empty" in result.output
    assert [p.name for p in own.iterdir()] == ["notes.txt"]
    # a previous init folder is replaced, in one swap
    folder = tmp_path / "init"
    assert invoke("init", "--epci", "246701080", "--out", str(folder)).exit_code == 0
    assert invoke("init", "--epci", "200083392", "--out", str(folder)).exit_code == 0
    assert json.loads((folder / "init.json").read_text(encoding="utf-8"))["selection"]["key"] == "200083392"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["init", "mine"]  # no partial or old folder left


@pytest.mark.slow
def test_init_as_a_module_reports_plainly(tmp_path):
    """``python -m optimiser.cli init`` (the entry point's module as __main__): exit 2, no traceback."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "optimiser.cli", "init", "--departement", "Mayene", "--out",
                           str(tmp_path / "x")], capture_output=True, text=True)
    assert done.returncode == 2 and "did you mean 'Mayenne'" in done.stderr and "Traceback" not in done.stderr
