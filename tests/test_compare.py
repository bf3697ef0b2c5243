"""Comparison of results: table shape and values, costs when present, plots, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from helpers import tiny_territory

from optimiser import compare, load_results
from optimiser.cli import main
from optimiser.comparison import pareto_mask

SCENARIO = """
name: tiny-compare
territory: {{communes: {territory}}}
outputs: {{map: false}}
solver: {{gap: 0.0}}
variants:
  huge: [{{poles.population.min: 1000000}}]
sweep:
  grid:
    poles.count: [2, 3]
    poles.max_travel_min: [30, 45]
"""


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("compare")
    territory = tiny_territory(root, n=8, seed=3)
    scenario = root / "s.yaml"
    scenario.write_text(SCENARIO.format(territory=territory.name))
    out = root / "sweep"
    result = invoke("sweep", scenario, "--out", out)
    assert result.exit_code == 3, result.output  # the 'huge' variant has no design
    return out


@pytest.mark.slow
def test_table_has_one_row_per_variant_with_the_values_of_the_results(swept):
    table = compare(swept)
    assert len(table) == 8
    columns = list(table.columns)
    assert columns[:5] == ["variant", "name", "poles.count", "poles.max_travel_min", "poles.population.min"]
    for column in ("status", "gap", "objective", "n_poles", "max_travel_min", "mean_travel_min", "n_alone",
                   "on_pareto_front"):
        assert column in columns
    assert "total_cost" not in columns  # no cost model in these results
    index = {row["id"]: row for row in json.loads((swept / "sweep.json").read_text())["variants"]}
    for row in table.itertuples():
        entry = index[row.variant]
        values = {k: getattr(row, f"_{columns.index(k) + 1}") for k in ("poles.count", "poles.max_travel_min", "poles.population.min")}
        assert values["poles.count"] == entry["sweep"]["poles.count"]
        assert values["poles.max_travel_min"] == entry["sweep"]["poles.max_travel_min"]
        assert row.status == entry["status"]
        if row.status == "optimal":
            folder = swept / entry["folder"]
            summary = json.loads((folder / "summary.json").read_text())
            communes = pd.read_csv(folder / "communes.csv")
            assert row.objective == pytest.approx(summary["objective"])
            assert row.n_poles == summary["n_poles"] == communes["pole"].nunique()
            assert row.max_travel_min == pytest.approx(communes["travel_min"].max())
            assert row.mean_travel_min == pytest.approx(summary["mean_travel_min"])
            assert np.isnan(values["poles.population.min"])  # base: no minimum, as it ran (resolved: null)
        else:
            assert row.name == "huge" and row.status == "infeasible"
            assert np.isnan(row.objective) and "1,000,000" in row.error
            assert values["poles.population.min"] == 1000000


def test_pareto_front_is_the_set_of_non_dominated_solved_variants(swept):
    table = compare(swept)
    solved = table[table["status"] == "optimal"]
    for row in solved.itertuples():
        dominated = ((solved["max_travel_min"] <= row.max_travel_min) & (solved["objective"] <= row.objective)
                     & ((solved["max_travel_min"] < row.max_travel_min) | (solved["objective"] < row.objective))).any()
        assert row.on_pareto_front == (not dominated)
    assert not table.loc[table["status"] != "optimal", "on_pareto_front"].any()
    assert pareto_mask([1, 2, 3, 2, np.nan], [3, 2, 1, 3, 0]).tolist() == [True, True, True, False, False]
    assert pareto_mask([1, 1], [2, 2]).tolist() == [True, True]  # equal points do not dominate each other


@pytest.mark.slow
def test_cli_writes_csv_excel_and_plots(swept, tmp_path):
    result = invoke("compare", swept)
    assert result.exit_code == 0, result.output
    out = swept / "comparison"
    assert {p.name for p in out.iterdir()} == {"comparison.csv", "comparison.xlsx", "tradeoff.png", "pareto.png",
                                               "comparison.html"}
    page = (out / "comparison.html").read_text()
    assert page.count("data:image/png;base64,") == 2 and "base__poles.count=3__poles.max_travel_min=45" in page
    csv = pd.read_csv(out / "comparison.csv")
    excel = pd.read_excel(out / "comparison.xlsx", sheet_name="variants")
    assert csv.shape == excel.shape == (8, len(compare(swept).columns))
    assert list(csv["variant"]) == list(excel["variant"])
    assert np.allclose(csv["objective"].dropna(), excel["objective"].dropna())
    for png in ("tradeoff.png", "pareto.png"):
        assert (out / png).read_bytes()[:4] == b"\x89PNG"
    assert "8 variantes comparées" in result.output and "Statut" in result.output  # French by default
    again = invoke("compare", swept, "--out", out)  # a comparison folder may be replaced
    assert again.exit_code == 0


@pytest.mark.slow
def test_compare_result_folders_from_elsewhere_with_costs_and_savings(swept, tmp_path):
    """Folders copied from another machine, from a cost model that adds cost keys and savings."""
    rows = json.loads((swept / "sweep.json").read_text())["variants"]
    solved = [r for r in rows if r["status"] == "optimal"][:2]
    copies = []
    for k, row in enumerate(solved):
        copy = tmp_path / "elsewhere" / f"run{k}"
        shutil.copytree(swept / row["folder"], copy)
        summary = json.loads((copy / "summary.json").read_text())
        summary.update(total_cost=1_000_000.0 - 1000 * k, status_quo_cost=1_200_000.0, savings=200_000.0 + 1000 * k,
                       services_pooled=["voirie", "espaces verts"])
        (copy / "summary.json").write_text(json.dumps(summary))
        communes = pd.read_csv(copy / "communes.csv", dtype={"insee_code": str})
        communes["saving_eur"] = np.arange(len(communes)) * 100.0 + k
        communes.to_csv(copy / "communes.csv", index=False)
        copies.append(copy)
    out = tmp_path / "cmp"
    result = invoke("compare", *copies, "--out", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "comparison.csv")
    assert list(table["variant"]) == [r["id"] for r in solved]
    assert list(table["total_cost"]) == [1_000_000.0, 999_000.0]
    assert list(table["savings"]) == [200_000.0, 201_000.0]
    assert list(table["services_pooled"]) == ["[voirie,espaces verts]"] * 2
    # cost (not the objective) is the y axis of the front when results carry one
    assert list(table["on_pareto_front"]) == list(pareto_mask(table["max_travel_min"], table["total_cost"]))
    savings = pd.read_csv(out / "savings_per_commune.csv", dtype={"insee_code": str}).set_index("insee_code")
    assert list(savings.columns) == ["name"] + [r["id"] for r in solved]
    assert savings.iloc[3, 2] == 301.0
    assert (out / "savings_per_commune.png").exists()
    assert "savings_per_commune" in pd.ExcelFile(out / "comparison.xlsx").sheet_names
    assert len(load_results(*copies)) == 2


def test_a_folder_of_result_folders_and_single_results(swept, tmp_path):
    plain = tmp_path / "runs"
    result = invoke("run", swept.parent / "s.yaml", "--out", plain / "one", "--set", "poles.count=2", "--quiet")
    assert result.exit_code == 0, result.output
    table = compare(plain)
    assert len(table) == 1 and table.loc[0, "variant"] == "base__poles.count=2__poles.max_travel_min=30"
    assert table.loc[0, "poles.count"] == 2 and table.loc[0, "poles.max_travel_min"] == 30
    assert len(compare(plain / "one", swept)) == 9
    shutil.copytree(plain / "one", plain / ".two.partial-k1ll3d")  # a result whose writer was killed
    assert len(compare(plain)) == 1


def test_bad_input(tmp_path, swept):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = invoke("compare", empty)
    assert result.exit_code == 2
    assert "not a result folder (no summary.json) nor a sweep folder (no sweep.json)" in result.output
    result = invoke("compare", tmp_path / "missing")
    assert result.exit_code == 2 and "does not exist" in result.output
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    result = invoke("compare", swept, "--out", mine)
    assert result.exit_code == 2 and "is not a comparison folder" in result.output
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    broken = tmp_path / "broken"
    shutil.copytree(swept, broken)
    (broken / "sweep.json").write_text("{")
    result = invoke("compare", broken)
    assert result.exit_code == 2 and "not a valid sweep index" in result.output and "Traceback" not in result.output
