"""Starter rules: the pole-count formula, and the heuristic design that certifies feasibility."""

from __future__ import annotations

import networkx as nx
import pytest
from helpers import grid_features, voronoi_features, write_geojson

from optimiser.starter.defaults import heuristic_poles, pole_count, starter_rules
from optimiser.territory import load_geojson_territory
from optimiser.territory.roads import adjacency_road_graph, travel_matrix


@pytest.mark.parametrize("n,population,expected", [
    (34, 115_195, 4),   # Laval Agglomération: one pole per ~8 communes
    (40, 6_000, 3),     # sparse rural CC: at most one pole per 2,000 inhabitants
    (5, 50_000, 1),     # too small to split
    (158, 329_856, 20),
])
def test_pole_count(n, population, expected):
    assert pole_count(n, population)[0] == expected


@pytest.mark.parametrize("features", [grid_features(6, 7, seed=1), voronoi_features(40, seed=3), voronoi_features(23, seed=8)],
                         ids=["grid", "voronoi40", "voronoi23"])
def test_heuristic_design_obeys_the_rules_it_sets(tmp_path, features):
    territory = load_geojson_territory(write_geojson(tmp_path / "t.geojson", features))
    road = adjacency_road_graph(territory)
    matrix = travel_matrix(road)
    population = {c: int(p) for c, p in territory.communes["population"].items()}
    codes = territory.codes
    rules = starter_rules(codes, population, road, matrix)
    poles = heuristic_poles(codes, population, road, matrix, rules.pole_count, rules.min_communes)
    index = matrix.index()
    assert sorted(c for members in poles.values() for c in members) == sorted(codes)
    assert len(poles) <= rules.pole_count
    for seat, members in poles.items():
        assert seat in members and len(members) >= rules.min_communes
        assert nx.is_connected(road.graph.subgraph(members))
        assert max(matrix.time_min[index[m], index[seat]] for m in members) <= rules.max_travel_min
    assert rules.max_travel_min % 5 == 0 and rules.max_travel_min >= max(20.0, rules.heuristic_max_min)
