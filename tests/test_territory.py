"""Territory loading: real data, neighbours, and malformed GeoJSON files."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import pytest
from helpers import DATA, grid_features, write_geojson, write_scenario

from optimiser.errors import InputError, InputWarning
from optimiser.territory import CommuneLookup, load_geojson_territory


def test_laval_2016_loads_with_its_neighbours():
    territory = load_geojson_territory(DATA / "laval_agglo_2016.geojson")
    assert len(territory) == 20
    assert territory.communes["population"].sum() == 97900
    pairs = set(zip(territory.adjacency["code_a"], territory.adjacency["code_b"]))
    assert ("53130", "53201") in pairs  # Laval – Saint-Berthevin share a border
    assert ("53130", "53156") not in pairs  # Montflours is far from Laval
    assert len(pairs) == 39  # as in the shared reference adjacency_fr.csv


def test_grid_adjacency_is_rook_not_queen(tmp_path):
    territory = load_geojson_territory(write_geojson(tmp_path / "g.geojson", grid_features(3, 3)))
    degrees = territory.adjacency[["code_a", "code_b"]].stack().value_counts()
    assert degrees["98005"] == 4  # centre: four sides, the corners only touch at points
    assert degrees["98001"] == 2
    assert len(territory.adjacency) == 12


def test_lookup_by_code_name_and_folded_name():
    territory = load_geojson_territory(DATA / "laval_agglo_2016.geojson")
    lookup = CommuneLookup(territory)
    assert lookup.resolve("53130") == ("53130", None)
    assert lookup.resolve("Bonchamp-lès-Laval")[0] == "53034"
    assert lookup.resolve("bonchamp les laval")[0] == "53034"
    code, message = lookup.resolve("Bonchamp")
    assert code is None and "did you mean 'Bonchamp-lès-Laval'" in message


def test_ambiguous_names_need_the_code(tmp_path):
    features = grid_features(1, 2)
    for f in features:
        f["properties"]["name"] = "Saint-Denis"
    territory = load_geojson_territory(write_geojson(tmp_path / "g.geojson", features))
    code, message = CommuneLookup(territory).resolve("Saint-Denis")
    assert code is None and "several communes" in message and "98001" in message


def bad_file(tmp_path, mutate):
    features = grid_features(2, 2)
    mutate(features)
    return write_geojson(tmp_path / "bad.geojson", features)


@pytest.mark.parametrize("mutate, path, words", [
    (lambda f: f[1]["properties"].pop("population"), "features[1].properties.population", "missing property"),
    (lambda f: f[0]["properties"].update(population=-3), "features[0].properties.population", "whole number"),
    (lambda f: f[0]["properties"].update(population="12"), "features[0].properties.population", "whole number"),
    (lambda f: f[2]["properties"].update(insee_code="5313"), "features[2].properties.insee_code", "5-character"),
    (lambda f: f[3]["properties"].update(insee_code="98001"), "features[3].properties.insee_code", "duplicate"),
    (lambda f: f[0]["properties"].update(name=""), "features[0].properties.name", "non-empty"),
    (lambda f: f[1].update(geometry={"type": "Point", "coordinates": [0, 0]}), "features[1].geometry", "Polygon"),
    (lambda f: f[1].update(geometry=None), "features[1].geometry", "Polygon"),
])
def test_malformed_features_are_reported_with_their_key(tmp_path, mutate, path, words):
    with pytest.raises(InputError) as info:
        load_geojson_territory(bad_file(tmp_path, mutate))
    assert any(p.path == path and words in p.message for p in info.value.problems), info.value.render()


def test_misspelt_property_gets_a_suggestion(tmp_path):
    def rename(features):
        features[0]["properties"]["insee"] = features[0]["properties"].pop("insee_code")
    with pytest.raises(InputError) as info:
        load_geojson_territory(bad_file(tmp_path, rename))
    problem = info.value.problems[0]
    assert problem.path == "features[0].properties.insee_code" and "insee" in problem.hint


def test_projected_coordinates_are_refused(tmp_path):
    def project(features):
        features[0]["geometry"]["coordinates"] = [[[400000, 6700000], [401000, 6700000], [401000, 6701000], [400000, 6700000]]]
    with pytest.raises(InputError, match="EPSG:4326"):
        load_geojson_territory(bad_file(tmp_path, project))


def test_whole_number_codes_are_zero_padded(tmp_path):
    def numeric(features):
        features[0]["properties"]["insee_code"] = 1001
    territory = load_geojson_territory(bad_file(tmp_path, numeric))
    assert "01001" in territory.codes


def test_not_a_feature_collection_and_not_json(tmp_path):
    path = tmp_path / "x.geojson"
    path.write_text(json.dumps({"type": "Feature"}), encoding="utf-8")
    with pytest.raises(InputError, match="FeatureCollection"):
        load_geojson_territory(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        load_geojson_territory(path)


def bowtie(features):
    """Feature 0's square drawn as a self-intersecting bow tie."""
    ring = features[0]["geometry"]["coordinates"][0]
    (x0, y0), (x1, y1) = ring[0], ring[2]
    features[0]["geometry"]["coordinates"] = [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]]


def test_invalid_polygon_is_repaired_said_in_words_and_noted(tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        territory = load_geojson_territory(bad_file(tmp_path, bowtie))
    said = [str(w.message) for w in caught if issubclass(w.category, InputWarning)]
    assert len(said) == 1 and "the polygon of commune 'Cell 0-0' (98001) was invalid" in said[0]
    assert "Self-intersection" in said[0] and "repaired" in said[0] and "bad.geojson features[0]" in said[0]
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]  # no raw shapely warning
    assert list(territory.warnings) == said
    assert territory.geometry["98001"].is_valid


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_coordinates_are_refused(tmp_path, value):
    def poison(features):
        features[2]["geometry"]["coordinates"][0][1][1] = value

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(InputError) as info:
            load_geojson_territory(bad_file(tmp_path, poison))
    [problem] = info.value.problems
    assert problem.path == "features[2].geometry"
    assert "commune 'Cell 1-0' (98003)" in problem.message and "not all finite numbers" in problem.message
    assert not [w for w in caught if issubclass(w.category, RuntimeWarning)]


@pytest.mark.slow
def test_a_repaired_polygon_is_on_the_terminal_and_in_both_reports(tmp_path):
    territory = bad_file(tmp_path, bowtie)
    scenario = write_scenario(tmp_path / "s.yaml", {"name": "bowtie", "territory": {"communes": str(territory)},
                                                     "outputs": {"map": False}, "poles": {"count": 2}})
    done = subprocess.run([sys.executable, "-m", "optimiser", "run", scenario, "--out", tmp_path / "out", "--quiet"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("warning: bad.geojson features[0]: the polygon of commune 'Cell 0-0' (98001) "
                                  "was invalid"), done.stderr
    assert "RuntimeWarning" not in done.stderr and "InputWarning" not in done.stderr
    assert "## Géométries réparées" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")  # French by default
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "Géométries réparées" in html and "Cell 0-0" in html
