"""The territory: its communes, their polygons and who borders whom."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from .geo import LocalProjection, haversine_km

#: Columns of :attr:`Territory.communes` (index: ``insee_code``).
COMMUNE_COLUMNS = ("name", "population", "lon", "lat", "area_km2")


@dataclass(frozen=True)
class Territory:
    """Communes of a study area.

    Attributes:
        name: human name of the territory.
        communes: one row per commune, indexed by INSEE code (text), with ``name``,
            ``population`` (inhabitants), ``lon``/``lat`` (representative interior point, WGS84
            degrees) and ``area_km2``.
        geometry: commune polygons in WGS84, by INSEE code.
        adjacency: neighbour pairs ``code_a < code_b`` sharing a border longer than the
            threshold, with ``shared_border_km`` and ``distance_km`` (great-circle distance
            between the representative points).
        source: file the territory was read from, if any.
        sha256: hash of that file, for provenance.
        warnings: non-fatal notes found while loading (repaired polygons, ...).
    """

    name: str
    communes: pd.DataFrame
    geometry: dict[str, BaseGeometry]
    adjacency: pd.DataFrame
    source: Path | None = None
    sha256: str | None = None
    warnings: tuple[str, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> list[str]:
        return list(self.communes.index)

    def __len__(self) -> int:
        return len(self.communes)

    def name_of(self, code: str) -> str:
        return str(self.communes.at[code, "name"])

    def label(self, code: str) -> str:
        """``"Laval (53130)"``: a commune as error messages and reports name it."""
        return f"{self.name_of(code)} ({code})"

    def neighbours(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {c: [] for c in self.communes.index}
        for a, b in zip(self.adjacency["code_a"], self.adjacency["code_b"]):
            out[a].append(b)
            out[b].append(a)
        return out

    def subset(self, codes) -> Territory:
        """The territory restricted to ``codes`` (order of the original kept)."""
        keep = set(codes)
        communes = self.communes[self.communes.index.isin(keep)]
        adjacency = self.adjacency[
            self.adjacency["code_a"].isin(keep) & self.adjacency["code_b"].isin(keep)
        ].reset_index(drop=True)
        return Territory(
            name=self.name,
            communes=communes,
            geometry={c: g for c, g in self.geometry.items() if c in keep},
            adjacency=adjacency,
            source=self.source,
            sha256=self.sha256,
            warnings=self.warnings,
        )


def build_territory(
    name: str,
    codes: list[str],
    names: list[str],
    populations: list[int],
    geometries: list[BaseGeometry],
    *,
    min_shared_border_m: float = 10.0,
    source: Path | None = None,
    sha256: str | None = None,
    warnings: tuple[str, ...] = (),
) -> Territory:
    """Assemble a :class:`Territory` from validated columns, computing points, areas and neighbours.

    Two communes are neighbours when the common part of their boundaries is longer than
    ``min_shared_border_m`` metres (point contacts and slivers do not make a road link).
    """
    geoms = np.asarray(geometries, dtype=object)
    points = shapely.point_on_surface(geoms)
    lons, lats = shapely.get_x(points), shapely.get_y(points)
    projection = LocalProjection.around(lons, lats)
    geoms_km = np.asarray([projection.geometry_to_km(g) for g in geoms], dtype=object)
    communes = pd.DataFrame(
        {
            "name": names,
            "population": np.asarray(populations, dtype=np.int64),
            "lon": lons,
            "lat": lats,
            "area_km2": shapely.area(geoms_km),
        },
        index=pd.Index(codes, name="insee_code"),
    )
    adjacency = _adjacency(codes, geoms_km, lons, lats, min_shared_border_m / 1000.0)
    return Territory(
        name=name,
        communes=communes,
        geometry=dict(zip(codes, geometries)),
        adjacency=adjacency,
        source=source,
        sha256=sha256,
        warnings=tuple(warnings),
    )


def _adjacency(codes, geoms_km, lons, lats, min_shared_km: float) -> pd.DataFrame:
    """Neighbour pairs from shared borders (km geometry), one row per unordered pair."""
    codes = np.asarray(codes, dtype=object)
    tree = shapely.STRtree(geoms_km)
    left, right = tree.query(geoms_km, predicate="intersects")
    keep = left < right
    left, right = left[keep], right[keep]
    boundaries = shapely.boundary(geoms_km)
    shared = shapely.length(shapely.intersection(boundaries[left], boundaries[right]))
    touching = shared > min_shared_km
    left, right, shared = left[touching], right[touching], shared[touching]
    a, b = codes[left], codes[right]
    swap = a > b  # store each pair with code_a < code_b, like the shared reference data
    code_a = np.where(swap, b, a)
    code_b = np.where(swap, a, b)
    frame = pd.DataFrame(
        {
            "code_a": code_a.astype(str),
            "code_b": code_b.astype(str),
            "shared_border_km": shared,
            "distance_km": haversine_km(lons[left], lats[left], lons[right], lats[right]),
        }
    )
    return frame.sort_values(["code_a", "code_b"]).reset_index(drop=True)
