"""Scenario loading: every malformed scenario gets a clear message, all problems at once."""

from __future__ import annotations

import pytest
from helpers import DATA, SCENARIOS, write_scenario

from optimiser.errors import InputError
from optimiser.inputs.preparation import prepare
from optimiser.scenario.load import apply_overrides, load_scenario

LAVAL = str(DATA / "laval_agglo_2016.geojson")


def problems_of(path, overrides=()):
    with pytest.raises(InputError) as info:
        prepare(load_scenario(path, overrides))
    return info.value.problems


def rendered(problems) -> str:
    return "\n".join(p.render() for p in problems)


def test_shipped_scenarios_are_valid():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        loaded = load_scenario(path)
        assert loaded.scenario.name == path.stem


def test_all_schema_problems_are_reported_at_once(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {
        "name": "bad",
        "territori": {"communes": LAVAL},
        "poles": {"count": {"min": 5, "max": 3}, "population": {"min": -5}, "max_travel": 20},
        "contiguity": "exakt",
        "solver": {"name": "gurobi", "time_limit_s": "fast"},
    })
    problems = problems_of(path)
    by_path = {p.path: p for p in problems}
    assert set(by_path) == {"territori", "territory", "poles.count", "poles.population.min", "poles.max_travel",
                            "contiguity", "solver.name", "solver.time_limit_s"}
    assert "did you mean 'territory'" in by_path["territori"].hint
    assert "max_travel_min" in by_path["poles.max_travel"].hint
    assert "'exact'" in by_path["contiguity"].hint
    assert "greater than max" in by_path["poles.count"].message
    assert by_path["solver.time_limit_s"].value == "fast"
    assert all(p.file == str(path) for p in problems)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert by_path["contiguity"].line == lines.index("contiguity: exakt") + 1


def test_unknown_communes_get_suggestions_and_key_paths(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {
        "name": "bad",
        "territory": {"communes": LAVAL},
        "poles": {"fixed_seats": ["Lavall", "saint berthevin", "Montflour"], "apart": [["Laval", "Laval"]]},
    })
    problems = problems_of(path)
    text = rendered(problems)
    assert "poles.fixed_seats[0]" in text and "did you mean 'Laval'" in text
    assert "poles.fixed_seats[2]" in text and "'Montflours'" in text
    assert "poles.apart[0]" in text
    assert "saint berthevin" not in text  # accent/case-insensitive match resolved it


def test_contradictory_rules(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {
        "name": "bad",
        "territory": {"communes": LAVAL},
        "poles": {"together": [["Laval", "Changé"]], "apart": [["Laval", "Changé"]],
                  "fixed_seats": ["Forcé"], "forbidden_seats": ["Forcé"]},
        "service_commun": {"members": ["Laval", "Saint-Berthevin"], "seat": "Changé"},
    })
    text = rendered(problems_of(path))
    assert "must share a pole" in text and "be apart" in text
    assert "both a fixed and a forbidden seat" in text
    assert "seat must be one of its members" in text


def test_duplicate_keys_and_yaml_syntax(tmp_path):
    dup = tmp_path / "dup.yaml"
    dup.write_text("name: x\nname: y\n", encoding="utf-8")
    problem, = problems_of(dup)
    assert "appears twice" in problem.message and problem.line == 2
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nterritory: [a\n", encoding="utf-8")
    problem, = problems_of(broken)
    assert "not valid YAML" in problem.message
    empty = tmp_path / "empty.yaml"
    empty.write_text("", encoding="utf-8")
    assert "empty" in problems_of(empty)[0].message
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    assert "mapping" in problems_of(listing)[0].message


def test_missing_files(tmp_path):
    assert "not found" in problems_of(tmp_path / "nope.yaml")[0].message
    path = write_scenario(tmp_path / "s.yaml", {"name": "x", "territory": {"communes": "missing.geojson"}})
    problem, = problems_of(path)
    assert problem.path == "territory.communes" and "not found" in problem.message


def test_set_overrides_are_typed_and_attributed():
    loaded = load_scenario(SCENARIOS / "laval-2016.yaml", ["poles.count.max=4", "solver.name=highs"])
    assert loaded.scenario.poles.count.max == 4 and loaded.scenario.solver.name == "highs"
    problems = problems_of(SCENARIOS / "laval-2016.yaml", ["poles.count.mx=3", "solver=2"])
    assert {p.file for p in problems} == {"--set poles.count.mx=3", "--set solver=2"}
    assert "did you mean 'max'" in rendered(problems)
    with pytest.raises(InputError, match="key=value"):
        apply_overrides({}, ["poles.count"])
    with pytest.raises(InputError, match="not a mapping"):
        apply_overrides({"name": "x"}, ["name.sub=1"])


def test_p_median_mode_rules(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {
        "name": "pm", "mode": "p-median", "contiguity": "exact",
        "territory": {"communes": LAVAL}, "poles": {"count": {"min": 2, "max": 4}, "population": {"min": 10}},
    })
    text = rendered(problems_of(path))
    assert "poles.count must be one number" in text and "contiguity must be 'none'" in text
    assert "size bounds" in text


def test_exclude_then_reference_is_an_error(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {
        "name": "x", "territory": {"communes": LAVAL, "exclude": ["Montflours"]},
        "poles": {"fixed_seats": ["Montflours"]},
    })
    problem, = problems_of(path)
    assert problem.path == "poles.fixed_seats[0]"


def test_extra_link_problems(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {
        "name": "x", "territory": {"communes": LAVAL},
        "roads": {"extra_links": [{"between": ["Laval", "Laval"]}, {"between": ["Laval", "Nowhere"], "time_min": -1}]},
    })
    text = rendered(problems_of(path))
    assert "roads.extra_links[1].time_min" in text and "must be greater than 0" in text


def test_set_with_a_mapping_merges_like_a_file_and_is_blamed_for_its_keys():
    base = load_scenario(SCENARIOS / "laval-2016.yaml").scenario.poles.communes
    merged = load_scenario(SCENARIOS / "laval-2016.yaml", ["poles.communes={max: 9}"]).scenario.poles.communes
    assert merged.max == 9 and merged.min == base.min  # the file's min is kept, as in a child file
    problem, = problems_of(SCENARIOS / "laval-2016.yaml", ["poles.communes={min: 5, max: 2}"])
    assert problem.file == "--set poles.communes={min: 5, max: 2}" and problem.path == "poles.communes"


@pytest.mark.slow
def test_p_median_resolved_scenario_shows_no_travel_limit_and_reproduces(tmp_path):
    """p-median applies no travel limit: the resolved scenario says none (not the 30-minute
    default), and running it again gives the same result."""
    import yaml
    from helpers import tiny_territory

    from optimiser.api import solve

    territory = tiny_territory(tmp_path, n=9, seed=3)
    path = write_scenario(tmp_path / "pm.yaml", {"name": "pm", "mode": "p-median", "territory": {"communes": str(territory)},
                                                 "roads": {"speed_kmh": 8}, "poles": {"count": 2}, "solver": {"gap": 0.0}})
    result = solve(load_scenario(path))
    assert result.communes["travel_min"].max() > 30  # trips beyond the default limit are in the design
    folder = result.to_dir(tmp_path / "out", draw=False)
    resolved = yaml.safe_load((folder / "scenario.resolved.yaml").read_text(encoding="utf-8"))
    assert resolved["poles"]["max_travel_min"] is None
    again = solve(load_scenario(folder / "scenario.resolved.yaml"))
    assert again.summary["objective"] == pytest.approx(result.summary["objective"])
