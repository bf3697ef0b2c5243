"""A JSON file of a result folder or a bilan that names a key twice is refused (exit 2), never
read as its last value: an edited ``"status": "optimal"`` could otherwise hide behind the first."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from shared import written

from optimiser.cli import main
from optimiser.errors import InputError
from optimiser.results.reading import DuplicateKey, loads_unique, read_summary


def test_loads_unique_refuses_a_repeated_key_at_any_depth():
    assert loads_unique('{"a": 1, "b": {"a": 2}}') == {"a": 1, "b": {"a": 2}}
    for text in ('{"a": 1, "a": 1}', '{"b": [{"x": 0, "x": 1}]}'):
        with pytest.raises(DuplicateKey):
            loads_unique(text)


@pytest.fixture
def doubled(tmp_path_factory, tmp_path):
    """A copy of a written result folder whose summary.json says ``status`` twice."""
    folder = tmp_path / "result"
    shutil.copytree(written(tmp_path_factory, "laval-2016"), folder)
    text = (folder / "summary.json").read_text(encoding="utf-8")
    status = json.loads(text)["status"]
    assert text.lstrip().startswith("{")
    (folder / "summary.json").write_text(text.replace("{", '{\n  "status": "infeasible",', 1), encoding="utf-8")
    return folder, status


def test_read_summary_names_the_repeated_key(doubled):
    folder, _ = doubled
    with pytest.raises(InputError) as caught:
        read_summary(folder / "summary.json")
    assert "'status' appears twice" in str(caught.value)


def test_verify_refuses_a_summary_with_a_repeated_key(doubled):
    folder, _ = doubled
    result = CliRunner().invoke(main, ["verify", str(folder)])
    assert result.exit_code == 2, result.output
    assert "summary.json" in result.output and "'status' appears twice" in result.output
    assert "Traceback" not in result.output
