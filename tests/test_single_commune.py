"""A one-commune "pole" is a commune on its own: poles.csv keeps it (with on_its_own true), and
the maps, the reports and the fiches show the commune on its own, not a pole — and the folder
still verifies."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml
from helpers import grid_features, write_geojson
from htmlparse import parse, table_rows

from optimiser.api import solve
from optimiser.results.single import as_drawn, single_poles
from optimiser.scenario.load import load_scenario
from optimiser.verify import verify_result

LONE = "98009"  # the corner cell left out of the 'together' group: the second pole can only be it


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    base = tmp_path_factory.mktemp("single")
    write_geojson(base / "grid.geojson", grid_features(3, 3, populations=[900, 800, 700, 600, 5000, 500, 400, 300, 200]))
    scenario = base / "s.yaml"
    scenario.write_text(yaml.safe_dump({
        "name": "single", "territory": {"communes": "grid.geojson", "name": "Grid"},
        "poles": {"count": 2, "together": [[f"9800{k}" for k in range(1, 9)]]},
        "solver": {"time_limit_s": 60},
    }))
    result = solve(load_scenario(scenario))
    assert result.status == "optimal"
    return result, result.to_dir(base / "out")


def test_poles_csv_keeps_the_pole_and_says_it_is_on_its_own(folder):
    result, out = folder
    poles = pd.read_csv(out / "poles.csv", dtype={"seat_insee_code": str})
    assert list(poles["n_communes"]) == [8, 1] and list(poles["on_its_own"]) == [False, True]
    communes = pd.read_csv(out / "communes.csv", dtype={"insee_code": str, "seat_insee_code": str}).set_index("insee_code")
    assert communes.loc[LONE, "pole"] == "P2" and not communes.loc[LONE, "alone"]  # the data: what the model decided
    assert single_poles(poles) == {"P2"}


def test_the_report_shows_a_commune_on_its_own_not_a_pole(folder):
    _, out = folder
    root = parse((out / "report.html").read_text(encoding="utf-8"))
    _, poles = table_rows(root, "poles")
    assert [row[0] for row in poles] == ["P1"]
    figures = root.find("section", id="s-summary").text()
    assert "1 pôle de proximité ; 1 commune seule" in figures
    _, communes = table_rows(root, "communes")
    lone = [row for row in communes if row[0] == "Cell 2-2"]
    assert len(lone) == 1 and "seule" in lone[0][2]
    svg = root.find("svg", id="map")
    (path,) = [p for p in svg.iter("path") if p.attrs.get("data-code") == LONE]
    assert path.attrs.get("fill") == "url(#alone)" and path.attrs.get("data-pole", "") == ""
    legend = root.find("ul", **{"class": "legend"}).text()
    assert "P2" not in legend and "seules (1)" in legend
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "| P2 |" not in md


def test_the_fiche_says_the_commune_stays_on_its_own(folder):
    _, out = folder
    root = parse((out / "fiches" / f"{LONE}.html").read_text(encoding="utf-8"))
    assert root.find("section", id="s-pole").text().endswith("La commune reste seule : aucune autre commune ne la rejoint, "
                                                              "elle ne partage ses services avec personne.")


def test_the_drawn_view_is_idempotent_and_leaves_other_tables_alone(folder):
    result, _ = folder
    communes, poles = as_drawn(result.communes, result.poles)
    assert list(poles["pole"]) == ["P1"] and communes.set_index("insee_code").loc[LONE, "alone"]
    assert as_drawn(communes, poles)[1].equals(poles)
    plain = result.poles[result.poles["pole"] == "P1"]
    assert as_drawn(result.communes[result.communes["pole"] == "P1"], plain)[1] is plain


def test_the_folder_verifies(folder):
    _, out = folder
    outcome = verify_result(out)
    assert outcome.ok, outcome.violations
