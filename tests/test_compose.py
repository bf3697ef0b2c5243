"""Scenario composition: extends, overrides, variants, sweep — merge rules, priority, errors, ids."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from helpers import SCENARIOS, tiny_territory

from optimiser.cli import main
from optimiser.errors import InputError
from optimiser.scenario.compose import compose_file, raw_id, sanitise, variant_ids
from optimiser.scenario.load import load_scenario, load_variants
from optimiser.scenario.schema import SolverConfig
from optimiser.scenario.yaml_io import read_yaml


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def territory(tmp_path) -> Path:
    (tmp_path / "data").mkdir()
    return tiny_territory(tmp_path / "data", n=7, seed=1)


def scenario(tmp_path: Path, territory: Path, body: str) -> Path:
    """Write s.yaml: a blank line, ``name: s``, the territory, then ``body`` (which starts with a
    newline, so its first key is on line 4)."""
    return write(tmp_path / "s.yaml", f"\nname: s\nterritory: {{communes: {territory}}}{body}")


def errors(fn, *args, **kwargs) -> str:
    """The rendered problems of the :class:`InputError` that ``fn(*args, **kwargs)`` must raise."""
    with pytest.raises(InputError) as excinfo:
        fn(*args, **kwargs)
    return excinfo.value.render()


# ------------------------------------------------------------------ plain files are unchanged

def test_plain_scenario_loads_exactly_as_before():
    path = SCENARIOS / "laval-2016.yaml"
    raw, lines = read_yaml(path)
    loaded = load_scenario(path)
    assert loaded.raw == raw and list(loaded.raw) == list(raw)
    assert loaded.lines == lines
    assert loaded.variant is None and loaded.composition == {}
    assert loaded.label == str(path)
    assert [v.id for v in compose_file(path).variants] == ["base"]
    assert not compose_file(path).composed


def test_set_on_a_plain_file_still_replaces_and_is_attributed_to_the_command_line():
    text = errors(load_scenario, SCENARIOS / "laval-2016.yaml", ["poles.max_travel_min=-3"])
    assert "--set poles.max_travel_min=-3: poles.max_travel_min" in text


# ------------------------------------------------------------------ merge rules and priority

def test_priority_defaults_parent_file_variant_sweep_set(tmp_path, territory):
    write(tmp_path / "parent.yaml", f"""
name: parent
territory: {{communes: {territory}}}
poles:
  max_travel_min: 40          # parent only
  population: {{min: 1000, max: 90000}}
  count: {{min: 1, max: 6}}
  together: [[99001, 99002], [99003, 99004]]
solver: {{time_limit_s: 50}}
""")
    child = write(tmp_path / "child.yaml", """
extends: parent.yaml
name: child
poles:
  population: {min: 2000}     # merges: max stays from the parent
  together: [[99005, 99006]]  # lists replace
  count: {max: 5}
overrides:
  fewer: {poles.count.max: 4, solver.time_limit_s: 30}
variants:
  v: [fewer]
sweep:
  grid: {poles.count.max: [2, 3]}
""")
    by_id = {v.variant: v for v in load_variants(child, ["solver.time_limit_s=10"])}
    assert sorted(by_id) == ["base__poles.count.max=2", "base__poles.count.max=3",
                             "v__poles.count.max=2", "v__poles.count.max=3"]
    s = by_id["v__poles.count.max=3"].scenario
    assert s.name == "child"                                   # file over parent
    assert s.poles.max_travel_min == 40                        # parent kept
    assert (s.poles.population.min, s.poles.population.max) == (2000, 90000)  # deep merge
    assert s.poles.together == [[99005, 99006]]                # list replaced, not appended
    assert s.poles.count.min == 1 and s.poles.count.max == 3   # sweep over variant over file
    assert s.solver.time_limit_s == 10                         # --set over everything
    assert s.solver.gap == SolverConfig().gap                  # schema default
    assert s.contiguity_used == "exact"
    base = load_variants(child)[0]
    assert base.variant == "base__poles.count.max=2"
    assert base.scenario.solver.time_limit_s == 50 and base.scenario.poles.count.max == 2
    v = next(x for x in load_variants(child) if x.variant == "v__poles.count.max=2")
    assert v.scenario.solver.time_limit_s == 30                # variant over parent


def test_mapping_values_of_an_override_merge_into_the_file(tmp_path, territory):
    path = scenario(tmp_path, territory, """
poles: {population: {min: 1000, max: 50000}}
variants:
  bigger: [{poles.population: {min: 3000}}]
""")
    loaded = load_scenario(path, variant="bigger")
    assert (loaded.scenario.poles.population.min, loaded.scenario.poles.population.max) == (3000, 50000)
    assert loaded.composition == {"id": "bigger", "variant": "bigger", "overrides": [],
                                  "set": {"poles.population": {"min": 3000}}, "sweep": {}}


def test_dotted_key_through_a_plain_value_is_an_error(tmp_path, territory):
    path = scenario(tmp_path, territory, """
poles: {count: 3}
variants:
  v: [{poles.count.max: 4}]
""")
    text = errors(load_variants, path)
    assert "poles.count is a value (3), not a mapping" in text and "set poles.count itself" in text
    assert "variant v" in text


def test_grid_is_a_product_and_zip_pairs_and_both_combine(tmp_path, territory):
    path = scenario(tmp_path, territory, """
sweep:
  grid:
    poles.max_travel_min: [20, 30]
    solver.name: [cbc, highs]
  zip:
    poles.population.min: [1000, 2000, 3000]
    poles.communes.min: [1, 2, 3]
""")
    variants = compose_file(path).variants
    assert len(variants) == 2 * 2 * 3
    points = {tuple(sorted(v.values.items())) for v in variants}
    assert len(points) == 12
    for v in variants:  # zip keeps pairs together
        assert v.values["poles.communes.min"] == v.values["poles.population.min"] // 1000
    assert variants[0].id == "base__poles.communes.min=1__poles.max_travel_min=20__poles.population.min=1000__solver.name=cbc"


# ------------------------------------------------------------------ extends: paths and cycles

def test_relative_paths_in_a_parent_stay_relative_to_the_parent(tmp_path, territory):
    # data/tiny.geojson is referred to from common/parent.yaml as ../data/..., and the child
    # lives in another folder: the path must still reach the file.
    write(tmp_path / "common" / "parent.yaml", f"""
name: parent
territory: {{communes: ../data/{territory.name}}}
overrides:
  other_file: {{territory.communes: ../data/{territory.name}}}
""")
    child = write(tmp_path / "studies" / "deep" / "child.yaml", """
extends: ../../common/parent.yaml
name: child
variants:
  again: [other_file]
""")
    for loaded in load_variants(child):
        assert loaded.path(loaded.scenario.territory.communes).resolve() == territory.resolve()
        assert loaded.scenario.territory.communes == f"../../data/{territory.name}"
    assert load_scenario(child).composition["extends"] == [str(tmp_path / "common" / "parent.yaml")]


def test_chain_of_parents(tmp_path, territory):
    write(tmp_path / "a.yaml", f"name: a\nterritory: {{communes: {territory}}}\npoles: {{max_travel_min: 11}}\n")
    write(tmp_path / "b.yaml", "extends: a.yaml\nname: b\npoles: {max_alone: 2}\n")
    c = write(tmp_path / "c.yaml", "extends: b.yaml\nname: c\n")
    loaded = load_scenario(c)
    assert loaded.scenario.poles.max_travel_min == 11 and loaded.scenario.poles.max_alone == 2
    assert [Path(p).name for p in loaded.composition["extends"]] == ["b.yaml", "a.yaml"]


def test_a_problem_in_a_parent_key_names_the_parent_file_and_line(tmp_path, territory):
    write(tmp_path / "parent.yaml", f"name: p\nterritory: {{communes: {territory}}}\npoles:\n  max_travel_min: -5\n")
    child = write(tmp_path / "child.yaml", "extends: parent.yaml\nname: c\n")
    text = errors(load_scenario, child)
    assert "parent.yaml:4: poles.max_travel_min" in text


def test_extends_cycle_is_an_error_naming_the_chain(tmp_path):
    write(tmp_path / "a.yaml", "extends: b.yaml\nname: a\n")
    write(tmp_path / "b.yaml", "extends: c.yaml\nname: b\n")
    write(tmp_path / "c.yaml", "extends: a.yaml\nname: c\n")
    text = errors(compose_file, tmp_path / "a.yaml")
    assert "extends a file that extends it back" in text
    assert "a.yaml → b.yaml → c.yaml → a.yaml" in text
    assert "c.yaml:1: extends" in text


def test_self_extension_is_a_cycle(tmp_path):
    write(tmp_path / "a.yaml", "extends: a.yaml\nname: a\n")
    with pytest.raises(InputError, match="extends it back"):
        compose_file(tmp_path / "a.yaml")


def test_missing_parent_has_a_did_you_mean(tmp_path):
    write(tmp_path / "base.yaml", "name: b\n")
    write(tmp_path / "child.yaml", "extends: bsae.yaml\nname: c\n")
    text = errors(compose_file, tmp_path / "child.yaml")
    assert "parent file not found" in text and "did you mean 'base.yaml'?" in text and "child.yaml:1: extends" in text


def test_a_parent_must_be_a_scenario_by_name_and_its_content_is_never_echoed(tmp_path):
    secret = "root:x:0:0:hunter2-secret:/root:/bin/bash"
    write(tmp_path / "passwd", f"{secret}\ndaemon: x:1:1:daemon-secret\n")
    write(tmp_path / "link.yaml", "").unlink()
    (tmp_path / "link.yaml").symlink_to(tmp_path / "passwd")  # a .yaml name on a foreign file
    for ref in ("passwd", str(tmp_path / "passwd"), "link.yaml", "/etc/passwd"):
        child = write(tmp_path / "child.yaml", f"extends: {ref}\nname: c\n")
        text = errors(compose_file, child)
        assert "a parent must be a scenario file (.yaml or .yml); this one was not read" in text
        assert "hunter2" not in text and "bin/bash" not in text and "daemon" not in text


def test_a_yaml_parent_that_is_not_a_scenario_is_refused_without_its_keys_or_values(tmp_path):
    write(tmp_path / "credentials.yml", "db_password: hunter2\napi_key: {value: s3cr3t}\nname: x\n")
    write(tmp_path / "list.yaml", "- hunter2\n- s3cr3t\n")
    write(tmp_path / "broken.yaml", "token: hunter2: s3cr3t\n")
    for parent, said in (("credentials.yml", "is not a scenario file (2 of its top-level keys are not scenario keys)"),
                         ("list.yaml", "a scenario is a mapping"), ("broken.yaml", "not valid YAML")):
        child = write(tmp_path / "child.yaml", f"extends: {parent}\nname: c\n")
        done = CliRunner().invoke(main, ["validate", str(child)])
        assert done.exit_code == 2 and said in done.output, done.output
        for word in ("hunter2", "s3cr3t", "db_password", "api_key", "token"):
            assert word not in done.output


def test_a_typo_in_a_parent_top_level_key_still_gets_a_did_you_mean(tmp_path, territory):
    write(tmp_path / "parent.yaml", f"name: p\nterritori: {{communes: {territory}}}\n")
    child = write(tmp_path / "child.yaml", "extends: parent.yaml\nname: c\n")
    text = errors(compose_file, child)
    assert "parent.yaml: territori: unknown key; did you mean 'territory'?" in text


def test_a_parent_that_is_a_device_or_a_folder_is_refused(tmp_path):
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "folder.yaml").mkdir()
    for parent, said in (("zero.yaml", "a parent must be a scenario file"), ("folder.yaml", "is a folder")):
        child = write(tmp_path / "child.yaml", f"extends: {parent}\nname: c\n")
        assert said in errors(compose_file, child)


# ------------------------------------------------------------------ conflicts and bad input

def test_two_overrides_setting_the_same_key_conflict(tmp_path, territory):
    path = scenario(tmp_path, territory, """
overrides:
  a: {poles.count.max: 4}
  b: {poles.count.max: 4}
variants:
  both: [a, b]
""")
    text = errors(compose_file, path)
    assert "variants.both: override a and override b both set poles.count.max" in text
    assert "s.yaml:8" in text


def test_a_key_and_its_sub_key_conflict_including_nested_values(tmp_path, territory):
    path = scenario(tmp_path, territory, """
overrides:
  whole: {poles.count: 4}
  part: {poles: {count: {min: 2}}}
  other: {poles.population.min: 10}
variants:
  clash: [whole, part]
  fine: [whole, other]
  inline: [other, {poles.population: {min: 20}}]
""")
    text = errors(compose_file, path)
    assert "variants.clash: override whole and override part both set poles.count" in text
    assert "variants.inline: override other and its inline keys both set poles.population.min" in text
    assert "variants.fine" not in text


def test_unknown_override_name_has_a_did_you_mean(tmp_path, territory):
    path = scenario(tmp_path, territory, """
overrides:
  small_poles: {poles.population.min: 10}
variants:
  small: [smal_poles]
""")
    text = errors(compose_file, path)
    assert "s.yaml:7: variants.small: unknown override 'smal_poles'; did you mean 'small_poles'?" in text


def test_unknown_keys_in_overrides_and_sweeps_have_a_did_you_mean(tmp_path, territory):
    path = scenario(tmp_path, territory, """
overrides:
  typo: {poles.max_travle_min: 10}
  deep: {poles.count.min.low: 1}
sweep:
  grid: {polse.count: [1, 2]}
  zipp: {poles.count: [1]}
""")
    text = errors(compose_file, path)
    assert "overrides.typo.poles.max_travle_min: unknown key 'max_travle_min' under poles; did you mean 'max_travel_min'" in text
    assert "poles.count.min holds a value, not a mapping" in text
    assert "sweep.grid.polse.count: unknown key 'polse' at the top level; did you mean 'poles'?" in text
    assert "sweep.zipp: unknown sweep kind" in text and "did you mean 'zip'?" in text


def test_zip_lists_of_unequal_length(tmp_path, territory):
    path = scenario(tmp_path, territory, """
sweep:
  zip:
    poles.count.max: [3, 4, 5]
    poles.count.min: [1, 2]
""")
    text = errors(compose_file, path)
    assert "sweep.zip: zip pairs its lists element by element, so they must have the same length" in text
    assert "poles.count.max: 3, poles.count.min: 2" in text and "use grid:" in text


def test_bad_shapes_of_composition_keys(tmp_path, territory):
    path = scenario(tmp_path, territory, """
overrides:
  empty: {}
variants:
  base: [empty]
  number: 3
sweep:
  grid: {poles.count.max: 4}
""")
    text = errors(compose_file, path)
    assert "overrides.empty: an override is a non-empty mapping" in text
    assert "variants.base: 'base' is the scenario as written and cannot be redefined" in text
    assert "variants.number: a variant lists override names" in text
    assert "sweep.grid.poles.count.max: expected a non-empty list of values to sweep (got 4); write poles.count.max: [4]" in text


def test_overlapping_sweep_keys(tmp_path, territory):
    path = scenario(tmp_path, territory, """
sweep:
  grid: {poles.count: [1, 2]}
  zip: {poles.count.min: [1]}
""")
    with pytest.raises(InputError, match="sweeps poles.count and poles.count.min, which overlap"):
        compose_file(path)


def test_schema_errors_name_the_variant_and_are_grouped(tmp_path, territory):
    path = scenario(tmp_path, territory, """
poles: {population: {max: 5000}}
sweep:
  grid: {poles.population.min: [1000, 6000, 7000, 8000, 9000]}
""")
    text = errors(load_variants, path)
    assert "(4 of 5 variants invalid)" in text
    assert "poles.population: min (6000.0) is greater than max (5000.0)" in text
    assert "in variant base__poles.population.min=6000" in text
    # the same mistake in every variant is reported once
    bad = write(tmp_path / "t.yaml", f"name: t\nterritory: {{communes: {territory}}}\nsolver: {{nmae: cbc}}\n"
                                     "sweep: {grid: {poles.count: [1, 2, 3]}}\n")
    text = errors(load_variants, bad)
    assert text.count("solver.nmae") == 1 and "in all 3 variants" in text and "did you mean 'name'?" in text


def test_a_sweep_value_of_the_wrong_type_names_the_sweep(tmp_path, territory):
    path = scenario(tmp_path, territory, """
sweep:
  grid: {poles.max_travel_min: [20, soon]}
""")
    text = errors(load_variants, path)
    assert "s.yaml:5 (sweep.grid): poles.max_travel_min" in text and "'soon'" in text
    assert "variant base__poles.max_travel_min=soon" in text


# ------------------------------------------------------------------ variant ids

def test_variant_ids_are_stable_readable_and_folder_safe(tmp_path, territory):
    path = scenario(tmp_path, territory, """
overrides:
  o1: {poles.max_alone: 1}
variants:
  small: [o1]
  large: [{poles.max_alone: 3}]
sweep:
  grid: {poles.max_travel_min: [20, 25.0, 27.5], poles.count: [5]}
""")
    text = path.read_text(encoding="utf-8")
    ids = [v.id for v in compose_file(path).variants]
    assert ids[:3] == ["base__poles.count=5__poles.max_travel_min=20", "base__poles.count=5__poles.max_travel_min=25",
                       "base__poles.count=5__poles.max_travel_min=27.5"]
    assert "small__poles.count=5__poles.max_travel_min=20" in ids
    # the same runs, written in another order, keep their ids
    reordered = text.replace("small: [o1]\n  large: [{poles.max_alone: 3}]", "large: [{poles.max_alone: 3}]\n  small: [o1]")
    reordered = reordered.replace("{poles.max_travel_min: [20, 25.0, 27.5], poles.count: [5]}",
                                  "{poles.count: [5], poles.max_travel_min: [27.5, 20, 25]}")
    assert reordered != text
    assert sorted(v.id for v in compose_file(write(tmp_path / "r.yaml", reordered)).variants) == sorted(ids)
    # and a known id never changes (results folders and resumes depend on it)
    assert raw_id("small", {"poles.max_travel_min": 20.0, "poles.count": 5}) == "small__poles.count=5__poles.max_travel_min=20"


def test_ids_are_sanitised_and_get_a_hash_only_when_needed():
    assert sanitise("Pôle Saint-Berthevin / L'Huisserie") == "Pole-Saint-Berthevin-L-Huisserie"
    runs = [("a", {"poles.fixed_seats": ["Changé"]}), ("a", {"poles.fixed_seats": ["Change"]}), ("b", {})]
    ids = variant_ids(runs)
    assert ids[2] == "b"
    assert ids[0] != ids[1] and all(i.startswith("a__poles.fixed_seats=-Change-") for i in ids[:2])
    assert all(len(i.rsplit("-", 1)[1]) == 6 for i in ids[:2])
    assert variant_ids(runs) == ids  # deterministic
    long = variant_ids([("v", {"poles.candidate_seats": [f"Commune number {k}" for k in range(30)]})])[0]
    assert len(long) <= 127


def test_choosing_a_variant_by_id_or_name(tmp_path, territory):
    path = scenario(tmp_path, territory, """
variants:
  loose: [{poles.max_travel_min: 60}]
""")
    assert load_scenario(path).scenario.poles.max_travel_min == 30
    assert load_scenario(path, variant="loose").scenario.poles.max_travel_min == 60
    with pytest.raises(InputError, match="did you mean 'loose'"):
        load_scenario(path, variant="lose")


# ------------------------------------------------------------------ the validate command

def test_validate_lists_every_variant_with_what_set_it(tmp_path, territory):
    path = scenario(tmp_path, territory, """
poles: {max_travel_min: 40}
overrides:
  two: {poles.count: 2}
variants:
  pair: [two]
sweep:
  grid: {poles.max_alone: [0, 1]}
""")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0, result.output
    assert "4 variants, all valid" in result.output
    assert "base__poles.max_alone=0  sweep: poles.max_alone=0" in result.output
    assert "pair__poles.max_alone=1  two: poles.count=2; sweep: poles.max_alone=1" in result.output


def test_validate_reports_a_bad_commune_in_one_variant_with_exit_2(tmp_path, territory):
    path = scenario(tmp_path, territory, """
variants:
  seat: [{poles.fixed_seats: [Commune 99]}]
""")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert "(variant seat)" in result.output and "poles.fixed_seats[0]" in result.output
    assert "Traceback" not in result.output


def test_validate_with_a_typo_exits_2_without_traceback(tmp_path, territory):
    path = scenario(tmp_path, territory, """
overrides: {a: {poles.max_travel_min: 5}}
variants: {v: [b]}
""")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and "unknown override 'b'" in result.output and "Traceback" not in result.output


def test_run_a_named_variant(tmp_path, territory):
    path = scenario(tmp_path, territory, """
outputs: {map: false}
variants:
  loose: [{poles.max_travel_min: 60}]
""")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--variant", "loose", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    summary = yaml.safe_load((out / "summary.json").read_text())
    assert summary["composition"]["id"] == "loose"
    assert summary["composition"]["set"] == {"poles.max_travel_min": 60}
    assert yaml.safe_load((out / "scenario.resolved.yaml").read_text())["poles"]["max_travel_min"] == 60


def test_the_shipped_example_composes_12_runs_and_the_json_schema_knows_the_keys():
    result = CliRunner().invoke(main, ["validate", str(SCENARIOS / "laval-2016-variants.yaml")])
    assert result.exit_code == 0, result.output
    assert "12 variants, all valid" in result.output
    assert "open_small__poles.max_travel_min=25  open_service_commun+small_poles:" in result.output
    loaded = load_scenario(SCENARIOS / "laval-2016-variants.yaml", variant="open_small__poles.max_travel_min=25")
    assert loaded.scenario.service_commun.open_to_others is True
    assert loaded.scenario.poles.population.min == 4000 and loaded.scenario.poles.communes.min == 2
    assert loaded.path(loaded.scenario.territory.communes).resolve() == (SCENARIOS.parent / "data" / "laval_agglo_2016.geojson").resolve()
    schema = yaml.safe_load(CliRunner().invoke(main, ["schema"]).output)
    assert {"extends", "overrides", "variants", "sweep"} <= set(schema["properties"])
    assert schema["additionalProperties"] is False


def test_children_inherit_overrides_variants_and_sweep_and_can_drop_the_sweep(tmp_path, territory):
    write(tmp_path / "parent.yaml", f"""
name: p
territory: {{communes: {territory}}}
overrides: {{loose: {{poles.max_travel_min: 60}}, tight: {{poles.max_travel_min: 10}}}}
variants: {{v: [loose]}}
sweep: {{grid: {{poles.max_alone: [0, 1]}}}}
""")
    inherit = write(tmp_path / "a.yaml", "extends: parent.yaml\nname: a\noverrides: {loose: {poles.max_travel_min: 50}}\n")
    assert [v.id for v in compose_file(inherit).variants] == [
        "base__poles.max_alone=0", "base__poles.max_alone=1", "v__poles.max_alone=0", "v__poles.max_alone=1"]
    assert load_scenario(inherit, variant="v__poles.max_alone=1").scenario.poles.max_travel_min == 50  # replaced by name
    drop = write(tmp_path / "b.yaml", "extends: parent.yaml\nname: b\nsweep: null\nvariants: {w: [tight]}\n")
    assert [v.id for v in compose_file(drop).variants] == ["base", "v", "w"]
