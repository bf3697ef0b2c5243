"""summary.json as a typed record: the file read into :class:`Summary` and written back is the same
file, byte for byte; a missing or mistyped key is named."""

from __future__ import annotations

import json

import pytest
from shared import solved, written

from optimiser.errors import InputError
from optimiser.results.reading import load_summary
from optimiser.results.summary import ServiceFigures, Summary, SummaryError


@pytest.fixture(scope="module", params=["laval-2016", "laval-2016-status-quo"])
def folder(request, tmp_path_factory):
    """A real result folder: poles only, and with services (its cost figures)."""
    return written(tmp_path_factory, request.param)  # shared with the verify tests, read only


def test_a_result_folder_round_trips_byte_for_byte(folder):
    text = (folder / "summary.json").read_text(encoding="utf-8")
    summary = load_summary(folder / "summary.json")
    assert json.dumps(summary.to_dict(), indent=2, ensure_ascii=False) == text
    assert Summary.from_dict(summary.to_dict()) == summary


def test_fields_carry_the_values_and_types_of_the_file(folder):
    data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    summary = load_summary(folder / "summary.json")
    assert summary.status == data["status"] and summary.n_poles == data["n_poles"]
    assert summary.territory.sha256 == data["territory"]["sha256"]
    assert summary.solver_options.gap == data["solver_options"]["gap"]
    assert summary.has_design == (data["status"] in ("optimal", "feasible"))
    if "total_cost" in data:
        assert isinstance(summary.services, ServiceFigures)
        assert summary.total_cost == summary.services.total_cost == data["total_cost"]
        assert summary.services.savings == data["savings"]
        assert summary.services.savings_by_source == data["savings_by_source"]
    else:
        assert summary.services is None and summary.total_cost is None
    assert summary.extra == {}  # every key this version writes has a field


def test_result_typed_summary_is_its_summary(tmp_path_factory):
    result = solved(tmp_path_factory, "laval-2016-status-quo")
    assert result.typed_summary.to_dict() == result.summary
    assert result.typed_summary.services.savings == result.summary["savings"]


def test_unknown_keys_are_kept_in_place(folder):
    data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    data = {"from_a_newer_version": [1, 2], **data, "another": {"x": None}}
    summary = Summary.from_dict(data)
    assert summary.extra == {"from_a_newer_version": [1, 2], "another": {"x": None}}
    assert list(summary.to_dict()) == list(data) and summary.to_dict() == data


@pytest.mark.parametrize("edit, key", [
    (lambda d: d.pop("n_poles"), "n_poles"),
    (lambda d: d.update(n_poles="three"), "n_poles"),
    (lambda d: d.update(n_poles=True), "n_poles"),  # JSON true is not a count
    (lambda d: d.update(gap="1%"), "gap"),
    (lambda d: d["territory"].update(sha256=None), "territory.sha256"),
    (lambda d: d.update(solver_options=[]), "solver_options"),
])
def test_a_missing_or_mistyped_key_is_named(folder, edit, key, tmp_path):
    data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    edit(data)
    with pytest.raises(SummaryError) as caught:
        Summary.from_dict(data)
    assert caught.value.key == key
    path = tmp_path / "summary.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        load_summary(path)
    assert key in str(refused.value) and "damaged" in str(refused.value)
