"""Join the detached pieces of a territory (islands, members across water, exclaves).

The pole model needs one connected road graph. When the communes of a selection fall into
several pieces under the shared-border adjacency, each smaller piece is linked to the largest
one ("main piece") by one ``roads.extra_links`` entry, chosen in this order:

1. **Land route** through communes outside the territory: the fastest path on the national
   neighbour graph (edge time = circuity × distance between representative points ÷ speed, the
   same estimate the road graph uses inside the territory). Exclaves and members separated by
   another EPCI's commune get the road that really joins them, estimated the same way.
2. **Short crossing**: no land route, the piece comes within ``BRIDGE_MAX_KM`` of the main piece
   and is more than a one-commune island — it lies on a larger landmass (its communes have
   neighbours outside it: Basse-Terre and Grande-Terre, 12 m apart across the Rivière Salée) or
   is an island of several communes (Noirmoutier, Ré, Oléron are bridged): assumed bridged, timed
   as a road of circuity × the straight distance between the two communes' points.
3. **Ferry**: a one-commune island (Groix, Yeu, Île-aux-Moines) or a wider crossing:
   ``FERRY_ALLOWANCE_MIN`` of waiting and boarding plus the straight crossing at
   ``FERRY_SPEED_KMH``. Ferry-linked pieces may also stay out of every pole
   (``poles.allow_alone``): an island commune usually keeps its own services.

Every link is an assumption; the starter scenario states each one next to it so a planner can
replace it with the real bridge, ferry or road.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import shapely

from ..territory.france import NationalData
from ..territory.geo import LocalProjection, haversine_km
from ..territory.roads import adjacency_road_graph, closest_points, commune_pieces
from ..territory.territory import Territory

#: Polygons of two landmasses less than this apart, with no land route: assume a bridge, km.
BRIDGE_MAX_KM = 2.0
#: Waiting, boarding and landing time of a ferry crossing, minutes (an assumption, stated).
FERRY_ALLOWANCE_MIN = 30.0
#: Ferry speed, km/h (an assumption, stated).
FERRY_SPEED_KMH = 25.0
#: How far outside the territory a land route may go, km (bounding-box margin).
LAND_MARGIN_KM = 40.0


@dataclass(frozen=True)
class PieceLink:
    """How one detached piece is joined to the main piece.

    ``kind`` is ``land`` (road through communes outside the territory; ``via`` counts them),
    ``bridge`` or ``ferry``. ``km`` and ``time_min`` are what the link costs in the road graph.
    """

    piece: tuple[str, ...]
    a: str
    b: str
    kind: str
    km: float
    time_min: float
    straight_km: float
    via: int = 0
    gap_km: float | None = None

    @property
    def may_stay_alone(self) -> bool:
        return self.kind == "ferry"


def link_pieces(territory: Territory, national: NationalData, circuity: float, speed_kmh: float) -> list[PieceLink]:
    """One link per detached piece (see module docstring); empty when the territory is connected."""
    # Pieces of the shared-border graph, largest first (ties: smallest code).
    pieces = commune_pieces(adjacency_road_graph(territory, circuity, speed_kmh))
    if len(pieces) <= 1:
        return []
    main = pieces[0]
    graph = _national_graph(territory, national, circuity, speed_kmh)
    frame = territory.communes
    projection = LocalProjection.around(frame["lon"], frame["lat"])
    main_km = _polygons_km(territory, main, projection)
    links = []
    for piece in pieces[1:]:
        near_a, near_b, straight = closest_points(frame, piece, main)
        land = _land_route(graph, piece, set(main))
        if land is not None:
            a, b, km, minutes, via = land
            links.append(PieceLink(tuple(piece), a, b, "land", km, minutes, straight, via))
            continue
        gap, a, b = _closest_polygons(piece, _polygons_km(territory, piece, projection), main, main_km)
        on_landmass = any(other not in piece for c in piece for other in (graph.adj[c] if c in graph else ()))
        if gap < BRIDGE_MAX_KM and (on_landmass or len(piece) > 1):
            km = circuity * float(haversine_km(frame.at[a, "lon"], frame.at[a, "lat"], frame.at[b, "lon"], frame.at[b, "lat"]))
            links.append(PieceLink(tuple(piece), a, b, "bridge", km, 60.0 * km / speed_kmh, km / circuity, gap_km=gap))
        else:
            minutes = FERRY_ALLOWANCE_MIN + 60.0 * straight / FERRY_SPEED_KMH
            links.append(PieceLink(tuple(piece), near_a, near_b, "ferry", straight, minutes, straight, gap_km=gap))
    return links


def _polygons_km(territory: Territory, codes: list[str], projection: LocalProjection) -> np.ndarray:
    """The polygons of ``codes`` projected to km, as an array for shapely's vectorised functions."""
    return np.asarray([projection.geometry_to_km(territory.geometry[c]) for c in codes], dtype=object)


def _closest_polygons(piece: list[str], piece_km: np.ndarray, main: list[str], main_km: np.ndarray) -> tuple[float, str, str]:
    """(gap in km, piece commune, main commune) of the two closest polygons of the two pieces
    (``*_km``: their polygons from :func:`_polygons_km`)."""
    d = shapely.distance(piece_km[:, None], main_km[None, :])
    i, j = np.unravel_index(np.argmin(d), d.shape)
    return float(d[i, j]), piece[i], main[j]


def _national_graph(territory: Territory, national: NationalData, circuity: float, speed_kmh: float) -> nx.Graph:
    """The national neighbour graph around the territory (bounding box + margin)."""
    frame = territory.communes
    pad_lat = LAND_MARGIN_KM / 111.2
    pad_lon = LAND_MARGIN_KM / (111.2 * max(0.2, float(np.cos(np.radians(frame["lat"].mean())))))
    communes = national.communes
    near = communes[
        communes["lon"].between(frame["lon"].min() - pad_lon, frame["lon"].max() + pad_lon)
        & communes["lat"].between(frame["lat"].min() - pad_lat, frame["lat"].max() + pad_lat)
    ].index
    adjacency = national.adjacency
    keep = adjacency["code_a"].isin(near) & adjacency["code_b"].isin(near)
    graph = nx.Graph()
    for a, b, km in zip(adjacency.loc[keep, "code_a"], adjacency.loc[keep, "code_b"], adjacency.loc[keep, "distance_km"]):
        road_km = circuity * float(km)
        graph.add_edge(a, b, km=road_km, min=60.0 * road_km / speed_kmh)
    return graph


def _land_route(graph: nx.Graph, piece: list[str], main: set[str]):
    """(a, b, km, minutes, communes crossed) of the fastest land path from ``piece`` to ``main``."""
    sources = [c for c in piece if c in graph]
    if not sources:
        return None
    times, paths = nx.multi_source_dijkstra(graph, sources, weight="min")
    reached = [c for c in main if c in times]
    if not reached:
        return None
    b = min(reached, key=lambda c: (times[c], c))
    path = paths[b]  # every source starts at 0, so only the first commune of the path is in the piece
    km = sum(graph[u][v]["km"] for u, v in zip(path, path[1:]))
    minutes = sum(graph[u][v]["min"] for u, v in zip(path, path[1:]))
    return path[0], b, km, minutes, len(path) - 2
