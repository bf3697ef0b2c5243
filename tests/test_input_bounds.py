"""Small files that would never finish: alias bombs, devices, named pipes, huge files, deep nesting.

Each is refused with exit 2 and a message naming the file and the bound, quickly.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import DATA, tiny_territory

from optimiser.cli import main
from optimiser.errors import InputError
from optimiser.files import GEOJSON_MAX_BYTES, SCENARIO_MAX_BYTES, TABLE_MAX_BYTES
from optimiser.scenario.load import load_scenario
from optimiser.scenario.yaml_io import COUNT_FIRST_CHARS, MAX_ALIAS_EXPANSION, MAX_NODES, count_nodes, read_yaml

LAVAL = DATA / "laval_agglo_2016.geojson"

#: 400 bytes standing for 9^9 ≈ 387 million strings once the aliases are copied out.
BOMB = "\n".join(["name: bomb", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
                 + [f"{b}: &{b} [" + ",".join([f"*{a}"] * 9) + "]" for a, b in zip("abcdefgh", "bcdefghi")]) + "\n"


def cli(*args) -> tuple[int, str]:
    """Exit code and all output of ``optimiser *args``, in-process."""
    done = CliRunner().invoke(main, [str(a) for a in args])
    return done.exit_code, done.output


def refused(path, *args, within_s: float = 60.0) -> str:
    """The error text of ``optimiser validate path``, which must exit 2 fast without a traceback."""
    start = time.perf_counter()
    code, out = cli("validate", path, *args)
    assert time.perf_counter() - start < within_s
    assert code == 2, out
    assert "Traceback" not in out and "internal error" not in out
    return out


def scenario(tmp_path: Path, communes, extra: str = "") -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: s\nterritory: {{communes: {communes}}}\n{extra}", encoding="utf-8")
    return path


# ------------------------------------------------------------------------------- alias bombs

def test_a_billion_laughs_is_refused_at_once(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert len(BOMB) < 450
    text = refused(path, within_s=30)
    assert str(path) in text and "aliases" in text and f"{MAX_ALIAS_EXPANSION:,}" in text


def test_a_bomb_in_a_set_value_is_refused_too():
    # A list of 9 anchored levels, each nine aliases of the one before: 9^9 values once copied out.
    levels = ["&l0 [" + ",".join(["x"] * 9) + "]"]
    levels += [f"&l{n} [" + ",".join([f"*l{n - 1}"] * 9) + "]" for n in range(1, 9)]
    value = "[" + ", ".join(levels) + "]"
    code, out = cli("validate", DATA.parent / "scenarios" / "laval-2016.yaml", "--set", f"description={value}")
    assert code == 2 and "--set description=" in out and "aliases" in out


def test_a_recursive_alias_is_refused(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("name: &a [1, *a]\n", encoding="utf-8")
    assert "recursive alias" in refused(path)


def test_a_few_aliases_still_work(tmp_path):
    path = scenario(tmp_path, LAVAL, "poles:\n  fixed_seats: &seats [Laval]\n  candidate_seats: *seats\n")
    loaded = load_scenario(path)
    assert loaded.scenario.poles.fixed_seats == ["Laval"] == loaded.scenario.poles.candidate_seats


@pytest.mark.slow
def test_nesting_too_deep_is_refused(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    assert "nested too deeply" in refused(path)


def test_geojson_nesting_too_deep_is_refused(tmp_path):
    (tmp_path / "deep.geojson").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert "nested too deeply" in refused(scenario(tmp_path, "deep.geojson"))


# ------------------------------------------------------------------------------- too many values

def _pyyaml_count(text: str) -> int:
    """Values PyYAML's composer reads in the first document (what the strict loader bounds)."""
    import yaml

    loader = yaml.SafeLoader(text)
    seen = [0]
    compose = loader.compose_node

    def counting(parent, index):
        seen[0] += 1
        return compose(parent, index)

    loader.compose_node = counting
    try:
        loader.get_event()  # the stream's start
        loader.compose_document()
    finally:
        loader.dispose()
    return seen[0]


@pytest.mark.parametrize("text", [
    "name: x\nlist: [1, 2, {a: b, c: [d, e]}]\n",
    "a: &a [x, y]\nb: *a\nc: {<<: {k: 1}, j: 2}\n",
    "- {a, b, c}\n- ? k\n  : v\n- []\n- {}\n- ''\n- \n",
    "first: [1, 2, 3]\n---\nsecond: [4, 5, 6, 7, 8]\n",
])
def test_libyaml_counts_values_as_pyyaml_does(text):
    assert count_nodes(text) == _pyyaml_count(text)


def test_a_document_of_too_many_values_is_refused_without_reading_it_all(tmp_path):
    """200,000 values: libyaml counts them in ~0.2 CPU-s; PyYAML took ~5 CPU-s to reach the
    100,001st (at about 20,000 values a CPU-second)."""
    path = tmp_path / "big.yaml"
    path.write_text("name: big\ndescription: [" + "1," * 200_000 + "1]\n", encoding="utf-8")
    start = time.process_time()
    text = refused(path)
    assert time.process_time() - start < 2.0
    assert str(path) in text and f"more than {MAX_NODES:,} values" in text


def test_a_long_document_keeps_pyyaml_words_for_its_errors(tmp_path):
    """Counted first or not, a syntax error or deep nesting is worded by PyYAML, at its line."""
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nlist: [1, 2\nother: }\n" + "# padding\n" * (COUNT_FIRST_CHARS // 10), encoding="utf-8")
    assert "broken.yaml:3: not valid YAML: expected ',' or ']', but got ':'" in refused(path)  # libyaml: "did not find..."
    deep = tmp_path / "deep.yaml"
    deep.write_text("name: " + "[" * 1000 + "]" * 1000 + "\n" + "# padding\n" * (COUNT_FIRST_CHARS // 10), encoding="utf-8")
    assert "nested too deeply" in refused(deep)


# ------------------------------------------------------------------------------- merge keys

def test_merge_keys_merge_and_the_mapping_own_keys_win(tmp_path):
    path = scenario(tmp_path, LAVAL, "poles:\n  communes: &sizes\n    min: 2\n    max: 9\n"
                                     "  count:\n    <<: *sizes\n    max: 5\n")
    raw, lines = read_yaml(path)
    assert raw["poles"]["count"] == {"min": 2, "max": 5}
    assert lines["poles.count.min"] == 5 and lines["poles.count.max"] == 9  # the anchor's line, its own line
    assert load_scenario(path).scenario.poles.count.max == 5


def test_a_problem_in_a_merged_key_points_at_the_anchor(tmp_path):
    path = scenario(tmp_path, LAVAL, "poles:\n  communes: &sizes\n    min: -2\n  count:\n    <<: [*sizes]\n    max: 5\n")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    text = info.value.render()
    assert f"{path}:5: poles.communes.min" in text and f"{path}:5: poles.count.min" in text


def test_a_key_written_twice_is_still_an_error_beside_a_merge_key(tmp_path):
    path = scenario(tmp_path, LAVAL, "poles:\n  communes: &sizes {min: 2}\n  count:\n    <<: *sizes\n    max: 5\n    max: 6\n")
    text = refused(path)
    assert "'max' appears twice" in text


# ------------------------------------------------------------------------------- files that never end

@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_as_scenario_territory_and_inventory(tmp_path, device):
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    assert f"{device}: is a device, not a scenario file" in refused(device)
    assert f"{device}: is a device, not a GeoJSON file" in refused(scenario(tmp_path, device))
    territory = tiny_territory(tmp_path, n=4, seed=1)
    folder = tmp_path / "inventory"
    folder.mkdir()
    (folder / "services.csv").symlink_to(device)
    text = refused(scenario(tmp_path, territory, "services: {inventory: inventory}\n"))
    assert "services.csv: is a device, not a CSV file" in text


def test_a_folder_is_refused_as_scenario_and_territory(tmp_path):
    assert f"{tmp_path}: is a folder, not a scenario file" in refused(tmp_path)
    (tmp_path / "communes.geojson").mkdir()
    assert "is a folder, not a GeoJSON file" in refused(scenario(tmp_path, "communes.geojson"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "pipe.geojson")
    assert "is a named pipe, not a GeoJSON file" in refused(scenario(tmp_path, "pipe.geojson"))


def sparse(path: Path, size: int) -> Path:
    """A file that says it holds ``size`` bytes without using the disk."""
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def test_files_beyond_their_limit_are_refused_naming_the_limit(tmp_path):
    big = sparse(tmp_path / "big.yaml", SCENARIO_MAX_BYTES + 1)
    assert "at most 4 MB is read" in refused(big)
    sparse(tmp_path / "big.geojson", GEOJSON_MAX_BYTES + 1)
    text = refused(scenario(tmp_path, "big.geojson"))
    assert "big.geojson" in text and "at most 512 MB is read" in text and "simplify" in text
    territory = tiny_territory(tmp_path, n=4, seed=1)
    sparse(tmp_path / "inventory.xlsx", TABLE_MAX_BYTES + 1)
    text = refused(scenario(tmp_path, territory, "services: {inventory: inventory.xlsx}\n"))
    assert "inventory.xlsx" in text and "at most 64 MB is read" in text



# ------------------------------------------------------------------------------- odd characters and keys

def test_a_nul_byte_in_the_file_is_a_clear_yaml_error(tmp_path):
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"name: x\nterritory: {communes: a\x00b}\n")
    text = refused(path)
    assert f"{path}:2: not valid YAML: character #x0000 is not allowed" in text


@pytest.mark.parametrize("body", ['territory: {{communes: "a\\0.geojson"}}', 'territory: {{communes: {t}}}\nextends: "p\\0.yaml"',
                                  'territory: {{communes: {t}}}\nservices: {{inventory: "p\\0.xlsx"}}',
                                  'territory: {{communes: {t}}}\nroads: {{network: {{path: "p\\0.geojson"}}}}',
                                  'territory: {{communes: {t}}}\noutputs: {{dir: "out\\0"}}'])
def test_a_nul_character_in_a_path_is_refused(tmp_path, body):
    path = tmp_path / "s.yaml"
    path.write_text("name: x\n" + body.format(t=LAVAL) + "\n", encoding="utf-8")
    assert "a path cannot contain a NUL character" in refused(path)


@pytest.mark.parametrize("body", ["1: 2", "poles: {1: 2}", "true: x", "null: x", "overrides: {1: {2: 3}}",
                                  "variants: {1: [x]}", "sweep: {grid: {1: [1]}}", "extends: [1]", "extends: ''",
                                  "? [a]\n: 1", "solver: {time_limit_s: 2024-01-01}"])
def test_odd_keys_and_values_are_input_errors(tmp_path, body):
    path = tmp_path / "s.yaml"
    path.write_text(f"name: x\nterritory: {{communes: {LAVAL}}}\n{body}\n", encoding="utf-8")
    refused(path)


def test_a_set_value_longer_than_a_scenario_file_is_refused_before_reading():
    """The Python API passes overrides without the shell's 128 kB bound on one argument: a value
    is bounded like a scenario file (PyYAML took 3-4 CPU-s to read 5 MB, then the schema refused)."""
    from optimiser.scenario.set_option import parse_override

    start = time.process_time()
    with pytest.raises(InputError) as refused_set:
        parse_override("description=" + "x" * (SCENARIO_MAX_BYTES + 1))
    assert time.process_time() - start < 0.5
    assert "the value is 4.0 MB; at most 4 MB is read" in refused_set.value.problems[0].message
    assert parse_override("description=" + "x" * 10_000)[1] == "x" * 10_000  # a long legal value still reads
