"""The verifier catches a result folder that breaks a rule, whatever was edited."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from shared import written

from optimiser.verify import verify_result


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return written(tmp_path_factory, "laval-2016")  # shared, read only: the tests edit a copy


@pytest.fixture
def copy(folder, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(folder, target)
    return target


def edit_communes(folder, change):
    path = folder / "communes.csv"
    table = pd.read_csv(path, dtype={"insee_code": str, "seat_insee_code": str, "pole": str})
    table = change(table)
    table.to_csv(path, index=False)


def failures(folder) -> str:
    outcome = verify_result(folder)
    assert not outcome.ok
    return "\n".join(outcome.violations)


def test_untouched_result_passes(folder):
    outcome = verify_result(folder)
    assert outcome.ok, outcome.violations
    assert len(outcome.passed) >= 10


def test_commune_moved_to_a_far_pole(copy):
    def move(table):
        row = table["name"] == "Montflours"
        target = table[(table["name"] == "Entrammes")].iloc[0]
        table.loc[row, ["pole", "pole_name", "seat_insee_code", "seat_name"]] = \
            [target["pole"], target["pole_name"], target["seat_insee_code"], target["seat_name"]]
        return table
    edit_communes(copy, move)
    text = failures(copy)
    assert "contiguity" in text and "travel cut-off" in text and "objective" in text and "pole table" in text


def test_commune_listed_twice_or_missing(copy):
    edit_communes(copy, lambda t: pd.concat([t, t.iloc[[0]]]))
    assert "listed 2 times" in failures(copy)
    edit_communes(copy, lambda t: t.iloc[2:])
    assert "missing from communes.csv" in failures(copy)


def test_closed_service_commun_joined(copy):
    def join(table):
        sc = table[table["pole"] == "SC"].iloc[0]
        row = table["name"] == "Changé"
        table.loc[row, ["pole", "pole_name", "seat_insee_code", "seat_name"]] = \
            [sc["pole"], sc["pole_name"], sc["seat_insee_code"], sc["seat_name"]]
        return table
    edit_communes(copy, join)
    assert "joined the closed service commun" in failures(copy)


def test_reported_travel_time_edited(copy):
    def faster(table):
        table.loc[table["name"] == "Montflours", "travel_min"] = 1.0
        return table
    edit_communes(copy, faster)
    assert "reported travel times" in failures(copy)


def test_dishonest_status(copy):
    summary = json.loads((copy / "summary.json").read_text())
    summary["bound"] = summary["objective"] * 0.9
    summary["gap"] = 0.1
    (copy / "summary.json").write_text(json.dumps(summary))
    assert "called optimal with a gap" in failures(copy)


def test_tampered_input_file(copy):
    path = next((copy / "inputs").glob("*.geojson"))
    data = json.loads(path.read_text())
    data["features"][0]["properties"]["population"] += 1000
    path.write_text(json.dumps(data))
    assert "hash" in failures(copy)


def test_travel_objective_checked_even_without_its_unit(copy):
    # A poles-only result (no total cost) is checked on its travel objective, whatever
    # summary.json says (or omits) about the unit.
    summary = json.loads((copy / "summary.json").read_text())
    del summary["objective_unit"]
    (copy / "summary.json").write_text(json.dumps(summary))
    outcome = verify_result(copy)
    assert outcome.ok, outcome.violations
    assert "objective" in outcome.passed
    summary["objective"] *= 1.01
    summary["bound"] *= 1.01
    (copy / "summary.json").write_text(json.dumps(summary))
    assert "objective: summary.json says" in failures(copy)
