"""Pole polygons: one dissolved polygon per pole, as GeoJSON for QGIS and for the map."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import mapping

from ..territory import Territory


def pole_geometries(territory: Territory, communes: pd.DataFrame) -> dict[str, shapely.Geometry]:
    """Pole id → union of its members' polygons (WGS84)."""
    out = {}
    for pole, group in communes[~communes["alone"].astype(bool)].groupby("pole"):
        out[pole] = shapely.union_all([territory.geometry[c] for c in group["insee_code"]])
    return out


def write_poles_geojson(path: Path, territory: Territory, communes: pd.DataFrame, poles: pd.DataFrame,
                        geometries: dict[str, shapely.Geometry] | None = None) -> None:
    """FeatureCollection: one feature per pole (properties of poles.csv), then one per commune
    that stays alone (``kind: alone``). Coordinates rounded to 5 decimals (about 1 m).
    ``geometries``: the result of :func:`pole_geometries`, computed when not given."""
    if geometries is None:
        geometries = pole_geometries(territory, communes)
    features = []
    for record in poles.to_dict(orient="records"):
        geometry = shapely.set_precision(geometries[record["pole"]], 1e-5)
        features.append({"type": "Feature", "properties": _plain(record), "geometry": mapping(geometry)})
    for record in communes[communes["alone"]].to_dict(orient="records"):
        props = {"pole": None, "pole_name": f"{record['name']} (alone)", "kind": "alone",
                 "seat_insee_code": None, "seat_name": None, "n_communes": 1, "population": int(record["population"])}
        geometry = shapely.set_precision(territory.geometry[record["insee_code"]], 1e-5)
        features.append({"type": "Feature", "properties": props, "geometry": mapping(geometry)})
    collection = {"type": "FeatureCollection", "name": "poles", "features": features}
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def _plain(record: dict) -> dict:
    """JSON-friendly values (numpy scalars to Python, NaN to null)."""
    out = {}
    for key, value in record.items():
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and value != value:
            value = None
        out[key] = value
    return out
