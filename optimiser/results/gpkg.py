"""``result.gpkg``: the result as a GeoPackage for QGIS — layer ``communes`` (each commune's
polygon with its row of ``communes.csv``) and layer ``poles`` (each pole's dissolved polygon
with its row of ``poles.csv``), in WGS84 (EPSG:4326).

Written with pyogrio (GDAL bundled in its wheel), the library GeoPandas itself uses, so the file is
a standard GeoPackage any GIS reads. Attribute names are the CSV column names (see
``docs/data-dictionary.md``); true/false columns are integers 0/1, as GeoPackage has no boolean
in every reader.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import shapely

LAYERS = ("communes", "poles")


def _fields(frame: pd.DataFrame) -> tuple[list[np.ndarray], list[str]]:
    data, names = [], []
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_bool_dtype(values):
            array = values.astype(int).to_numpy()
        elif pd.api.types.is_numeric_dtype(values):
            array = values.astype(float).to_numpy()
        else:
            array = np.array([None if (v is None or (isinstance(v, float) and v != v)) else str(v) for v in values], dtype=object)
        data.append(array)
        names.append(str(column))
    return data, names


def _multi(geometry):
    return geometry if geometry.geom_type == "MultiPolygon" else shapely.MultiPolygon([geometry])


def write_geopackage(path: Path, territory, communes: pd.DataFrame, poles: pd.DataFrame, outlines: dict) -> Path:
    """Write the ``communes`` and ``poles`` layers (``outlines``: pole id → polygon, as
    :func:`optimiser.results.geo.pole_geometries` gives them)."""
    import pyogrio.raw

    path = Path(path)
    layers = [("communes", communes, [territory.geometry[c] for c in communes["insee_code"]]),
              ("poles", poles, [outlines[p] for p in poles["pole"]])]
    for k, (layer, frame, geometries) in enumerate(layers):
        data, names = _fields(frame.reset_index(drop=True))
        wkb = np.array(shapely.to_wkb([_multi(g) for g in geometries]), dtype=object)
        pyogrio.raw.write(str(path), wkb, data, names, layer=layer, driver="GPKG", geometry_type="MultiPolygon",
                          crs="EPSG:4326", append=k > 0, encoding="UTF-8")
    return path
