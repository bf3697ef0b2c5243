"""Road costs between communes: the road graph and the travel time and distance matrices.

Two ways to build the graph:

* **Adjacency estimate** (default). Communes are nodes; neighbours (shared border) are linked.
  An edge's length is the great-circle distance between the two representative points times a
  circuity factor ``c`` (roads are not straight; default 1.30), its time is length ÷ speed:

      km(i, k) = c · d(i, k),        min(i, k) = 60 · km(i, k) / v       (v in km/h)

* **Road network file**. GeoJSON LineStrings, each an edge between its two end points, with a
  length and either a speed or a time attribute. Each commune is snapped to the nearest network
  node and reaches it by an access leg of ``c ·`` (straight distance) at speed ``v``.

Travel between communes is the fastest path (Dijkstra on minutes); its length in km is the
length of that same path. Matrices are computed up to a cut-off in minutes, beyond which
entries are infinite: the model never needs pairs that no pole may contain.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import shapely

from ..errors import DisconnectedTerritoryError, InputError, Problem
from ..text import did_you_mean
from .geo import LocalProjection, haversine_km
from .geojson import file_sha256, read_geojson
from .territory import Territory

#: Circuity (ratio of road distance to straight-line distance). Default of
#: cost_parameters.yaml `travel.detour_factor` (1.30, range 1.2–1.4, medium confidence).
DEFAULT_CIRCUITY = 1.30
#: Average speed of a service vehicle on local roads, km/h (`travel.avg_speed_service_vehicle_kmh`).
DEFAULT_SPEED_KMH = 40.0

_LENGTH_UNITS = {"m": 0.001, "km": 1.0}
_TIME_UNITS = {"s": 1 / 60, "min": 1.0, "h": 60.0}


@dataclass(frozen=True)
class Link:
    """An extra road link between two communes (a bridge, a ferry, an exclave's access road)."""

    a: str
    b: str
    km: float | None = None
    time_min: float | None = None


@dataclass(frozen=True)
class NetworkSpec:
    """How to read a road network GeoJSON file (see :func:`network_road_graph`)."""

    path: Path
    length_property: str | None = "length"
    length_unit: str = "m"
    speed_property: str | None = "speed"
    time_property: str | None = None
    time_unit: str = "min"
    file_label: str | None = None


@dataclass(frozen=True)
class RoadGraph:
    """A graph whose edges carry ``km`` and ``min``; communes are the nodes named by their code
    (adjacency estimate) or attached to network nodes by access edges (road network)."""

    graph: nx.Graph
    method: str
    communes: tuple[str, ...]
    snapping: pd.DataFrame | None = None
    source_sha256: str | None = None


@dataclass(frozen=True)
class TravelMatrix:
    """Fastest-path travel between communes.

    ``time_min[i, k]`` (minutes) and ``km[i, k]`` (km along the fastest path) for communes in
    ``codes`` order; ``inf`` where the trip takes longer than ``cutoff_min``.
    """

    codes: tuple[str, ...]
    time_min: np.ndarray
    km: np.ndarray
    cutoff_min: float | None
    method: str

    def index(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.codes)}


def adjacency_road_graph(
    territory: Territory,
    circuity: float = DEFAULT_CIRCUITY,
    speed_kmh: float = DEFAULT_SPEED_KMH,
    links: tuple[Link, ...] = (),
) -> RoadGraph:
    """Road graph estimated from shared borders (see module docstring)."""
    graph = nx.Graph()
    graph.add_nodes_from(territory.codes)
    for a, b, d in zip(territory.adjacency["code_a"], territory.adjacency["code_b"], territory.adjacency["distance_km"]):
        km = circuity * float(d)
        graph.add_edge(a, b, km=km, min=60.0 * km / speed_kmh, kind="border")
    _add_links(graph, territory, links, circuity, speed_kmh, node=lambda code: code)
    return RoadGraph(graph=graph, method="adjacency", communes=tuple(territory.codes))


def _add_links(graph, territory, links, circuity, speed_kmh, node) -> None:
    frame = territory.communes
    for link in links:
        d = float(haversine_km(frame.at[link.a, "lon"], frame.at[link.a, "lat"], frame.at[link.b, "lon"], frame.at[link.b, "lat"]))
        km = link.km if link.km is not None else circuity * d
        minutes = link.time_min if link.time_min is not None else 60.0 * km / speed_kmh
        graph.add_edge(node(link.a), node(link.b), km=km, min=minutes, kind="link")


def network_road_graph(
    territory: Territory,
    spec: NetworkSpec,
    circuity: float = DEFAULT_CIRCUITY,
    speed_kmh: float = DEFAULT_SPEED_KMH,
    links: tuple[Link, ...] = (),
) -> RoadGraph:
    """Road graph from a GeoJSON network file; communes snap to the nearest node.

    Each LineString (or each part of a MultiLineString) is an edge between its first and last
    vertex (the file must be noded at junctions, as OSM exports are). Its length comes from
    ``length_property`` (in ``length_unit``) or, if absent, from the geometry; its time from
    ``time_property`` (in ``time_unit``), else from length ÷ ``speed_property`` (km/h), else
    from length ÷ the scenario speed.
    """
    label = spec.file_label or str(spec.path)
    data = read_geojson(spec.path, label)
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(data.get("features"), list):
        raise InputError([Problem(label, "type", "expected a GeoJSON FeatureCollection of LineStrings", data.get("type") if isinstance(data, dict) else data)])
    graph = nx.Graph()
    problems: list[Problem] = []
    for k, feature in enumerate(data["features"]):
        where = f"features[{k}]"
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        props = (feature.get("properties") or {}) if isinstance(feature, dict) else {}
        if not isinstance(geometry, dict) or geometry.get("type") not in ("LineString", "MultiLineString"):
            problems.append(Problem(label, f"{where}.geometry", "expected a LineString or MultiLineString",
                                    geometry.get("type") if isinstance(geometry, dict) else geometry))
            continue
        parts = [geometry["coordinates"]] if geometry["type"] == "LineString" else geometry["coordinates"]
        for part in parts:
            coords = np.asarray(part, dtype=float)
            if coords.ndim != 2 or len(coords) < 2:
                problems.append(Problem(label, f"{where}.geometry", "a line needs at least two points", show_value=False))
                continue
            km = _edge_km(props, spec, coords, label, where, problems, multi=len(parts) > 1)
            minutes = _edge_minutes(props, spec, km, speed_kmh, label, where, problems)
            if km is None or minutes is None:
                continue
            u = ("node", round(coords[0, 0], 6), round(coords[0, 1], 6))
            v = ("node", round(coords[-1, 0], 6), round(coords[-1, 1], 6))
            if u == v:
                continue
            if not graph.has_edge(u, v) or graph[u][v]["min"] > minutes:
                graph.add_edge(u, v, km=km, min=minutes, kind="road")
    if problems:
        raise InputError(problems[:50], title=f"Invalid road network file {label}")
    if graph.number_of_nodes() == 0:
        raise InputError([Problem(label, "features", "the road network has no usable line", show_value=False)])

    nodes = [n for n in graph.nodes]
    node_xy = np.asarray([(n[1], n[2]) for n in nodes])
    frame = territory.communes
    projection = LocalProjection.around(frame["lon"], frame["lat"])
    tree = shapely.STRtree(shapely.points(projection.to_km(node_xy)))
    commune_km = projection.to_km(frame[["lon", "lat"]].to_numpy())
    nearest = tree.query_nearest(shapely.points(commune_km), all_matches=False)[1]
    rows = []
    for code, idx, (lon, lat) in zip(frame.index, nearest, frame[["lon", "lat"]].to_numpy()):
        node = nodes[idx]
        snap = float(haversine_km(lon, lat, node[1], node[2]))
        km = circuity * snap
        graph.add_edge(("commune", code), node, km=km, min=60.0 * km / speed_kmh, kind="access")
        rows.append((code, f"{node[1]:.6f},{node[2]:.6f}", round(snap, 3)))
    _add_links(graph, territory, links, circuity, speed_kmh, node=lambda code: ("commune", code))
    snapping = pd.DataFrame(rows, columns=["insee_code", "node_lonlat", "snap_km"]).set_index("insee_code")
    return RoadGraph(graph=graph, method="network", communes=tuple(territory.codes), snapping=snapping,
                     source_sha256=file_sha256(spec.path))


def _edge_km(props, spec, coords, label, where, problems, multi) -> float | None:
    if spec.length_property and spec.length_property in props and not multi:
        value = props[spec.length_property]
        if not _positive_number(value):
            problems.append(Problem(label, f"{where}.properties.{spec.length_property}", "expected a length > 0", value))
            return None
        return float(value) * _LENGTH_UNITS[spec.length_unit]
    return float(np.sum(haversine_km(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])))


def _edge_minutes(props, spec, km, speed_kmh, label, where, problems) -> float | None:
    if km is None:
        return None
    if spec.time_property and spec.time_property in props:
        value = props[spec.time_property]
        if not _positive_number(value):
            problems.append(Problem(label, f"{where}.properties.{spec.time_property}", "expected a travel time > 0", value))
            return None
        return float(value) * _TIME_UNITS[spec.time_unit]
    if spec.speed_property and spec.speed_property in props:
        value = props[spec.speed_property]
        if not _positive_number(value):
            problems.append(Problem(label, f"{where}.properties.{spec.speed_property}", "expected a speed in km/h > 0", value))
            return None
        return 60.0 * km / float(value)
    if spec.time_property or spec.speed_property:
        names = [n for n in (spec.time_property, spec.speed_property) if n]
        hint = did_you_mean(names[0], props.keys())
        if hint is not None:
            problems.append(Problem(label, f"{where}.properties", f"no {' or '.join(names)} attribute", sorted(props), hint=hint))
            return None
    return 60.0 * km / speed_kmh


def _positive_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0 and np.isfinite(value)


def commune_node(road: RoadGraph, code: str):
    return code if road.method == "adjacency" else ("commune", code)


def check_connected(road: RoadGraph, territory: Territory) -> None:
    """Raise :class:`DisconnectedTerritoryError` naming the pieces and how to join them."""
    pieces = commune_pieces(road)
    if len(pieces) <= 1:
        return
    raise DisconnectedTerritoryError(disconnection_message(pieces, territory))


def commune_pieces(road: RoadGraph) -> list[list[str]]:
    """The communes of each connected piece of the road graph (each sorted), largest piece
    first (ties: the piece with the smallest code first)."""
    owner = {commune_node(road, c): c for c in road.communes}
    pieces = []
    for component in nx.connected_components(road.graph):
        members = [owner[n] for n in component if n in owner]
        if members:
            pieces.append(sorted(members))
    return sorted(pieces, key=lambda piece: (-len(piece), piece[0]))


def closest_points(frame: pd.DataFrame, piece: list[str], main: list[str]) -> tuple[str, str, float]:
    """(commune of ``piece``, commune of ``main``, km): the two whose representative points are
    closest in a straight line (``frame``: the territory's communes, with ``lon`` and ``lat``)."""
    a_lon, a_lat = frame.loc[piece, "lon"].to_numpy(), frame.loc[piece, "lat"].to_numpy()
    b_lon, b_lat = frame.loc[main, "lon"].to_numpy(), frame.loc[main, "lat"].to_numpy()
    d = haversine_km(a_lon[:, None], a_lat[:, None], b_lon[None, :], b_lat[None, :])
    i, j = np.unravel_index(np.argmin(d), d.shape)
    return piece[i], main[j], float(d[i, j])


def disconnection_message(pieces: list[list[str]], territory: Territory) -> str:
    frame = territory.communes

    def names(piece, limit=6):
        shown = [territory.name_of(c) for c in piece[:limit]]
        more = f" and {len(piece) - limit} more" if len(piece) > limit else ""
        return ", ".join(shown) + more

    lines = [
        f"The road graph of territory {territory.name!r} is not connected: it falls into "
        f"{len(pieces)} pieces, and no pole can span two of them.",
    ]
    for k, piece in enumerate(pieces, 1):
        lines.append(f"  piece {k}: {len(piece)} commune{'s' if len(piece) > 1 else ''} ({names(piece)})")
    main = pieces[0]
    fixes = [closest_points(frame, piece, main) for piece in pieces[1:]]
    lines.append("Closest communes across pieces (straight line):")
    for a, b, d in fixes:
        lines.append(f"  {territory.label(a)} - {territory.label(b)}: {d:.1f} km")
    lines.append("Fix: add the real link (bridge, ferry, road through a neighbouring territory) to the scenario,")
    lines.append("  roads:")
    lines.append("    extra_links:")
    for a, b, _ in fixes:
        lines.append(f"      - {{between: [{territory.name_of(a)!r}, {territory.name_of(b)!r}], time_min: 20}}")
    excluded = [territory.name_of(c) for piece in pieces[1:] for c in piece]
    lines.append(f"or leave the smaller pieces out: territory.exclude: {excluded[:10]!r}")
    return "\n".join(lines)


def travel_matrix(road: RoadGraph, cutoff_min: float | None = None) -> TravelMatrix:
    """Fastest-path minutes and km between every pair of communes (``inf`` beyond the cut-off).

    One Dijkstra per commune on minutes, ties broken by the shorter km (see
    :func:`_fastest_from`). The graph is turned once into integer adjacency lists: walking
    networkx's views costs more than the search itself (a 1,000-commune territory took 75 s a
    matrix that way, 2-3 s this way; same paths, same floating-point sums, same matrices).
    """
    codes = road.communes
    graph = road.graph
    index = {node: k for k, node in enumerate(graph.nodes)}
    adjacency = [[(index[other], edge["min"], edge["km"]) for other, edge in graph.adj[node].items()]
                 for node in graph.nodes]
    columns = np.array([index[commune_node(road, c)] for c in codes], dtype=np.intp)
    limit = np.inf if cutoff_min is None else cutoff_min + 1e-9
    n = len(codes)
    time_min = np.full((n, n), np.inf)
    km = np.full((n, n), np.inf)
    for i, source in enumerate(columns):
        t, d = _fastest_from(adjacency, int(source), limit)
        time_min[i] = t[columns]
        km[i] = d[columns]
    return TravelMatrix(codes=tuple(codes), time_min=time_min, km=km, cutoff_min=cutoff_min, method=road.method)


def _fastest_from(adjacency: list[list[tuple[int, float, float]]], source: int, limit: float) -> tuple[np.ndarray, np.ndarray]:
    """Dijkstra on minutes from node ``source`` over ``adjacency`` (node → [(other, min, km)]).

    Labels are compared as (minutes, km), so among equally fast paths the shorter one wins;
    nodes beyond ``limit`` minutes stay unreached. Returns the settled minutes and km of every
    node (``inf`` where unreached).
    """
    size = len(adjacency)
    best = [None] * size
    settled = [False] * size
    time_min = np.full(size, np.inf)
    km = np.full(size, np.inf)
    best[source] = (0.0, 0.0)
    heap = [(0.0, 0.0, 0, source)]
    counter = 1  # equal labels leave the heap in the order they entered it
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        t, d, _, node = pop(heap)
        if settled[node]:
            continue
        settled[node] = True
        time_min[node] = t
        km[node] = d
        for other, edge_min, edge_km in adjacency[node]:
            if settled[other]:
                continue
            nt = t + edge_min
            if nt > limit:
                continue
            label = (nt, d + edge_km)
            known = best[other]
            if known is None or label < known:
                best[other] = label
                push(heap, (nt, label[1], counter, other))
                counter += 1
    return time_min, km
