"""Road costs: adjacency estimate, real road network files, disconnected territories."""

from __future__ import annotations

import json

import numpy as np
import pytest
from helpers import KM_PER_DEG_LAT, KM_PER_DEG_LON, LAT0, LON0, grid_features, write_geojson, write_scenario

from optimiser.errors import DisconnectedTerritoryError, InputError
from optimiser.inputs.preparation import prepare
from optimiser.scenario.load import load_scenario
from optimiser.territory import load_geojson_territory
from optimiser.territory.geo import haversine_km
from optimiser.territory.roads import Link, adjacency_road_graph, check_connected, travel_matrix


def grid(tmp_path, rows=3, cols=3):
    return load_geojson_territory(write_geojson(tmp_path / "g.geojson", grid_features(rows, cols)))


def test_adjacency_times_are_circuity_times_distance_over_speed(tmp_path):
    territory = grid(tmp_path)
    matrix = travel_matrix(adjacency_road_graph(territory, circuity=1.3, speed_kmh=40))
    index = matrix.index()
    frame = territory.communes
    d = haversine_km(frame.at["98001", "lon"], frame.at["98001", "lat"], frame.at["98002", "lon"], frame.at["98002", "lat"])
    assert matrix.km[index["98001"], index["98002"]] == pytest.approx(1.3 * d)
    assert matrix.time_min[index["98001"], index["98002"]] == pytest.approx(60 * 1.3 * d / 40)
    # corner to corner: 4 rook steps of 4 km each
    assert matrix.km[index["98001"], index["98009"]] == pytest.approx(1.3 * 4 * 4.0, rel=0.01)
    assert np.allclose(matrix.time_min, matrix.time_min.T)


def test_cutoff_leaves_far_pairs_infinite(tmp_path):
    territory = grid(tmp_path)
    matrix = travel_matrix(adjacency_road_graph(territory), cutoff_min=10)
    index = matrix.index()
    assert np.isinf(matrix.time_min[index["98001"], index["98009"]])
    assert np.isfinite(matrix.time_min[index["98001"], index["98002"]])


def test_disconnected_territory_names_pieces_and_fix(tmp_path):
    features = grid_features(1, 3)
    features = [features[0], features[2]]  # a gap between the two cells
    territory = load_geojson_territory(write_geojson(tmp_path / "g.geojson", features))
    with pytest.raises(DisconnectedTerritoryError) as info:
        check_connected(adjacency_road_graph(territory), territory)
    text = str(info.value)
    assert "2 pieces" in text and "Cell 0-0" in text and "Cell 0-2" in text and "extra_links" in text
    linked = adjacency_road_graph(territory, links=(Link("98001", "98003", time_min=15.0),))
    check_connected(linked, territory)
    assert travel_matrix(linked).time_min[0, 1] == pytest.approx(15.0)


def road_network(tmp_path, slow_edge=None, speed=50.0, extra=(), skip=()):
    """Roads along the grid cell centres (4 km apart), noded at every centre."""
    centres = {}
    for r in range(3):
        for c in range(3):
            centres[r, c] = (LON0 + (c * 4 + 2) / KM_PER_DEG_LON, LAT0 + (r * 4 + 2) / KM_PER_DEG_LAT)
    features = []
    for (r, c), p in centres.items():
        for dr, dc in ((0, 1), (1, 0)):
            q = centres.get((r + dr, c + dc))
            if q is None or ((r, c), (r + dr, c + dc)) in skip:
                continue
            props = {"length": 4000.0, "speed": 10.0 if slow_edge == ((r, c), (r + dr, c + dc)) else speed}
            features.append({"type": "Feature", "properties": props,
                             "geometry": {"type": "LineString", "coordinates": [list(p), list(q)]}})
    features += list(extra)
    path = tmp_path / "roads.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def network_scenario(tmp_path, network):
    territory = write_geojson(tmp_path / "g.geojson", grid_features(3, 3))
    return write_scenario(tmp_path / "s.yaml", {
        "name": "net", "territory": {"communes": str(territory)},
        "roads": {"network": {"path": str(network), "length_property": "length", "speed_property": "speed"}},
    })


def test_road_network_replaces_the_estimate(tmp_path):
    inputs = prepare(load_scenario(network_scenario(tmp_path, road_network(tmp_path))))
    assert inputs.road.method == "network"
    index = inputs.matrix.index()
    # centres are on the network (snap 0): 2 edges of 4 km at 50 km/h
    assert inputs.matrix.time_min[index["98001"], index["98003"]] == pytest.approx(2 * 4 / 50 * 60, rel=1e-3)
    assert inputs.matrix.km[index["98001"], index["98003"]] == pytest.approx(8.0, rel=1e-3)


def test_slow_road_is_avoided(tmp_path):
    network = road_network(tmp_path, slow_edge=((0, 0), (0, 1)))
    inputs = prepare(load_scenario(network_scenario(tmp_path, network)))
    index = inputs.matrix.index()
    # 98001 → 98002 direct is 4 km at 10 km/h = 24 min; around (3 edges at 50 km/h) is 14.4 min
    assert inputs.matrix.time_min[index["98001"], index["98002"]] == pytest.approx(3 * 4 / 50 * 60, rel=1e-3)
    assert inputs.matrix.km[index["98001"], index["98002"]] == pytest.approx(12.0, rel=1e-3)


def test_bad_road_network_values(tmp_path):
    bad = [{"type": "Feature", "properties": {"length": -1, "speed": 50},
            "geometry": {"type": "LineString", "coordinates": [[0, 45], [0.01, 45]]}},
           {"type": "Feature", "properties": {"length": 100, "speed": 0},
            "geometry": {"type": "LineString", "coordinates": [[0, 45], [0.02, 45]]}},
           {"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [0, 45]}}]
    network = road_network(tmp_path, extra=bad)
    with pytest.raises(InputError) as info:
        prepare(load_scenario(network_scenario(tmp_path, network)))
    paths = {p.path for p in info.value.problems}
    n = len(json.loads(network.read_text())["features"])
    assert {f"features[{n - 3}].properties.length", f"features[{n - 2}].properties.speed", f"features[{n - 1}].geometry"} <= paths


def test_commune_snapped_to_a_detached_road_piece(tmp_path):
    corner = [LON0 + 10 / KM_PER_DEG_LON, LAT0 + 10 / KM_PER_DEG_LAT]  # centre of cell 98009
    far = [{"type": "Feature", "properties": {"length": 1000, "speed": 50},
            "geometry": {"type": "LineString", "coordinates": [corner, [corner[0] + 0.01, corner[1]]]}}]
    network = road_network(tmp_path, extra=far, skip={((1, 2), (2, 2)), ((2, 1), (2, 2))})
    with pytest.raises(DisconnectedTerritoryError, match="not connected"):
        prepare(load_scenario(network_scenario(tmp_path, network)))


@pytest.mark.parametrize("cutoff", [None, 20.0])
def test_travel_minutes_are_networkx_shortest_paths(cutoff):
    """Independent check of the Dijkstra on a real département (Mayenne, 240 communes, with the
    links init adds): the minutes equal networkx's own shortest paths, within the cut-off."""
    import networkx as nx

    from optimiser.starter.links import link_pieces
    from optimiser.territory.france import national_data

    national = national_data()
    selection = national.select_departement("53")
    territory = national.territory(selection)
    links = link_pieces(territory, national, 1.3, 40.0)
    road = adjacency_road_graph(territory, 1.3, 40.0, tuple(Link(x.a, x.b, x.km, x.time_min) for x in links))
    matrix = travel_matrix(road, cutoff)
    lengths = dict(nx.all_pairs_dijkstra_path_length(road.graph, cutoff=cutoff, weight="min"))
    index = matrix.index()
    for a in matrix.codes[::7]:
        row = matrix.time_min[index[a]]
        reached = {b: t for b, t in lengths[a].items() if b in index}
        assert {b for b in index if np.isfinite(row[index[b]])} == set(reached)
        for b, t in reached.items():
            assert row[index[b]] == pytest.approx(t, abs=1e-9)
    assert np.isfinite(matrix.km[np.isfinite(matrix.time_min)]).all()
