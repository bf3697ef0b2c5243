"""Neighbours and travel, recomputed without the engine's road code.

* Neighbours: two communes touch when their borders share more than the scenario's
  ``min_shared_border_m`` (pairwise boundary intersections in a local km projection, no spatial
  index), plus the scenario's extra links.
* Travel without a road network: each pair of neighbours is joined by an edge of
  ``circuity × great-circle km``, driven at ``speed_kmh`` (minutes = 60 km / speed), extra links
  at their own km / minutes; all pairs by Floyd–Warshall. Km follow the times (× speed / 60)
  unless a link has its own km or time, when km cannot be told from the minutes (``NoKm``).
* With a road network: networkx Dijkstra on the network's graph (minutes; km not rechecked).
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from ..errors import OptimiserError
from ..inputs.preparation import build_road_graph
from ..territory import CommuneLookup
from ..territory.geo import LocalProjection, haversine_km


def floyd_warshall(n: int, edges: list[tuple[int, int, float]]) -> np.ndarray:
    """All-pairs shortest paths of an undirected graph of ``n`` nodes (``inf`` when unreachable)."""
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0.0)
    for a, b, w in edges:
        if w < dist[a, b]:
            dist[a, b] = dist[b, a] = w
    for k in range(n):
        dist = np.minimum(dist, dist[:, k:k + 1] + dist[k:k + 1, :])
    return dist


def lookup(territory, ref) -> str:
    code, message = CommuneLookup(territory).resolve(ref)
    if code is None:
        raise OptimiserError(message)
    return code


def border_neighbours(territory, threshold_km: float) -> dict[str, set[str]]:
    """Commune → the communes it shares more than ``threshold_km`` of border with."""
    codes = territory.codes
    projection = LocalProjection.around(territory.communes["lon"], territory.communes["lat"])
    geoms = [projection.geometry_to_km(territory.geometry[c]) for c in codes]
    bounds = np.array([g.bounds for g in geoms])
    out = {c: set() for c in codes}
    for a in range(len(codes)):
        rest = bounds[a + 1:]
        overlap = np.nonzero((rest[:, 0] <= bounds[a, 2]) & (rest[:, 2] >= bounds[a, 0])
                             & (rest[:, 1] <= bounds[a, 3]) & (rest[:, 3] >= bounds[a, 1]))[0] + a + 1
        for b in overlap:
            if geoms[a].boundary.intersection(geoms[b].boundary).length > threshold_km:
                out[codes[a]].add(codes[b])
                out[codes[b]].add(codes[a])
    return out


def neighbours_and_travel(loaded, territory):
    """(neighbours with the extra links, minutes, km) — see the module docstring."""
    scenario = loaded.scenario
    nbrs = border_neighbours(territory, scenario.territory.min_shared_border_m / 1000.0)
    times, km = travel(loaded, territory, nbrs)
    for link in scenario.roads.extra_links:
        a, b = (lookup(territory, x) for x in link.between)
        nbrs[a].add(b)
        nbrs[b].add(a)
    return nbrs, times, km


def travel(loaded, territory, nbrs):
    """(minutes, km) between communes, indexed like ``territory.codes`` (see module docstring);
    ``nbrs`` the border neighbours *without* the extra links (they are added here with their own
    km and minutes)."""
    scenario = loaded.scenario
    roads = scenario.roads
    codes = territory.codes
    index = {c: k for k, c in enumerate(codes)}
    frame = territory.communes
    if roads.network is None:
        edges_min = []
        for a in codes:
            for b in nbrs[a]:
                if index[a] < index[b]:
                    d = float(haversine_km(frame.at[a, "lon"], frame.at[a, "lat"], frame.at[b, "lon"], frame.at[b, "lat"]))
                    edges_min.append((index[a], index[b], 60.0 * roads.circuity * d / roads.speed_kmh))
        custom_time = False
        for link in roads.extra_links:
            a, b = (lookup(territory, x) for x in link.between)
            d = float(haversine_km(frame.at[a, "lon"], frame.at[a, "lat"], frame.at[b, "lon"], frame.at[b, "lat"]))
            k = link.km if link.km is not None else roads.circuity * d
            t = link.time_min if link.time_min is not None else 60.0 * k / roads.speed_kmh
            custom_time |= link.time_min is not None or link.km is not None
            edges_min.append((index[a], index[b], t))
        times = floyd_warshall(len(codes), edges_min)
        if custom_time:
            return times, NoKm()  # speeds differ along paths: km is not times × speed
        return times, times * roads.speed_kmh / 60.0
    road = build_road_graph(loaded, territory)
    times = np.full((len(codes), len(codes)), np.inf)
    for a in codes:
        lengths = nx.single_source_dijkstra_path_length(road.graph, ("commune", a), weight="min")
        for b in codes:
            times[index[a], index[b]] = lengths.get(("commune", b), np.inf)
    return times, NoKm()


class NoKm:
    """Stands for a km matrix the verifier cannot recompute independently (non-uniform speeds)."""

    def __getitem__(self, key):
        return None
