"""Build the national commune data in ``data/france/`` from the shared reference data.

Run once, by hand, when the reference data change (the project never reads the shared folder at
run time or in tests)::

    python scripts/build_france_data.py /path/to/shared/data        # --out data/france

Inputs (see the shared data's README for their provenance and licences):

* ``communes_fr.csv``                   34,875 current communes (2026 list)
* ``adjacency_fr.csv``                  101,984 neighbour pairs (shared border > 10 m)
* ``communes_fr_simplified.geojson.gz`` 34,868 polygons simplified to 100 m (2018 contours)

Outputs (all deterministic: two runs give identical bytes):

* ``communes.csv.gz`` — one row per commune: insee_code, name, departement, region, epci_siren,
  epci_name, population, lon, lat (representative interior point, WGS84), area_km2,
  has_polygon. Text columns stay text (``01001``, ``2A004``).
* ``adjacency.csv.gz`` — code_a < code_b, shared_border_km, distance_km (great-circle distance
  between the representative points; the reference data's ``centroid_distance_km``).
* ``polygons.npz`` — the simplified polygons, one group of arrays per département, so that an
  EPCI reads only its départements (``np.load`` on an ``.npz`` reads members lazily). For
  département ``D``: ``D.codes`` (INSEE codes, in the order of the geometries), ``D.xy`` (int32,
  shape (2, n): coordinates in units of 1e-5 degree, each column the difference from the
  previous vertex — small numbers that deflate well) and ``D.offsets0/1/2`` (the ring, polygon
  and multipolygon offsets of :func:`shapely.to_ragged_array`). The source coordinates already
  have 5 decimals, so this is lossless; the build checks it.
* ``departements.csv``, ``regions.csv`` — INSEE code and name of each département and region
  (the reference data only carry the codes; names are those of the INSEE COG).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

#: 1e-5 degree: the precision of the source coordinates (about 1.1 m north-south).
SCALE = 100_000

REGIONS = {
    "01": "Guadeloupe", "02": "Martinique", "03": "Guyane", "04": "La Réunion", "06": "Mayotte",
    "11": "Île-de-France", "24": "Centre-Val de Loire", "27": "Bourgogne-Franche-Comté",
    "28": "Normandie", "32": "Hauts-de-France", "44": "Grand Est", "52": "Pays de la Loire",
    "53": "Bretagne", "75": "Nouvelle-Aquitaine", "76": "Occitanie", "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur", "94": "Corse",
}

DEPARTEMENTS = {
    "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence", "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes", "09": "Ariège", "10": "Aube",
    "11": "Aude", "12": "Aveyron", "13": "Bouches-du-Rhône", "14": "Calvados", "15": "Cantal",
    "16": "Charente", "17": "Charente-Maritime", "18": "Cher", "19": "Corrèze", "2A": "Corse-du-Sud",
    "2B": "Haute-Corse", "21": "Côte-d'Or", "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne",
    "25": "Doubs", "26": "Drôme", "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère", "30": "Gard",
    "31": "Haute-Garonne", "32": "Gers", "33": "Gironde", "34": "Hérault", "35": "Ille-et-Vilaine",
    "36": "Indre", "37": "Indre-et-Loire", "38": "Isère", "39": "Jura", "40": "Landes",
    "41": "Loir-et-Cher", "42": "Loire", "43": "Haute-Loire", "44": "Loire-Atlantique", "45": "Loiret",
    "46": "Lot", "47": "Lot-et-Garonne", "48": "Lozère", "49": "Maine-et-Loire", "50": "Manche",
    "51": "Marne", "52": "Haute-Marne", "53": "Mayenne", "54": "Meurthe-et-Moselle", "55": "Meuse",
    "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord", "60": "Oise", "61": "Orne",
    "62": "Pas-de-Calais", "63": "Puy-de-Dôme", "64": "Pyrénées-Atlantiques", "65": "Hautes-Pyrénées",
    "66": "Pyrénées-Orientales", "67": "Bas-Rhin", "68": "Haut-Rhin", "69": "Rhône", "70": "Haute-Saône",
    "71": "Saône-et-Loire", "72": "Sarthe", "73": "Savoie", "74": "Haute-Savoie", "75": "Paris",
    "76": "Seine-Maritime", "77": "Seine-et-Marne", "78": "Yvelines", "79": "Deux-Sèvres", "80": "Somme",
    "81": "Tarn", "82": "Tarn-et-Garonne", "83": "Var", "84": "Vaucluse", "85": "Vendée", "86": "Vienne",
    "87": "Haute-Vienne", "88": "Vosges", "89": "Yonne", "90": "Territoire de Belfort", "91": "Essonne",
    "92": "Hauts-de-Seine", "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
    "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte",
}

COMMUNE_COLUMNS = ["insee_code", "name", "departement", "region", "epci_siren", "epci_name",
                   "population", "lon", "lat", "area_km2", "has_polygon"]


def write_csv_gz(frame: pd.DataFrame, path: Path) -> None:
    """gzip -9 with a zero timestamp and no file name in the header: reproducible bytes."""
    text = frame.to_csv(index=False, lineterminator="\n").encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(text)


def build_communes(source: Path) -> pd.DataFrame:
    frame = pd.read_csv(source / "communes_fr.csv", dtype=str, keep_default_na=False)
    out = frame[["insee_code", "name", "departement", "region", "epci_siren", "epci_name"]].copy()
    out["population"] = frame["population"].astype(int)
    out["lon"] = frame["lon"]
    out["lat"] = frame["lat"]
    out["area_km2"] = frame["area_km2"]
    out["has_polygon"] = (frame["geometry_source"] != "missing").astype(int)
    unknown = sorted(set(out["departement"]) - set(DEPARTEMENTS)) + sorted(set(out["region"]) - set(REGIONS))
    if unknown:
        sys.exit(f"codes without a name in this script: {unknown}")
    return out.sort_values("insee_code").reset_index(drop=True)[COMMUNE_COLUMNS]


def build_adjacency(source: Path) -> pd.DataFrame:
    frame = pd.read_csv(source / "adjacency_fr.csv", dtype={"code_a": str, "code_b": str})
    out = frame[["code_a", "code_b", "shared_border_km", "centroid_distance_km"]].rename(
        columns={"centroid_distance_km": "distance_km"})
    assert (out["code_a"] < out["code_b"]).all()
    return out.sort_values(["code_a", "code_b"]).reset_index(drop=True)


def encode_departement(geoms: np.ndarray) -> dict[str, np.ndarray]:
    """Ragged arrays of one département's geometries, coordinates as int32 deltas (1e-5 degree)."""
    _, coords, offsets = shapely.to_ragged_array(geoms)  # Polygons are promoted to MultiPolygons
    scaled = np.round(coords * SCALE).astype(np.int64)
    if np.abs(scaled / SCALE - coords).max() > 1e-9:
        raise ValueError("source coordinates have more than 5 decimals")
    delta = np.diff(scaled, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    return {
        "xy": np.ascontiguousarray(delta.T.astype(np.int32)),
        **{f"offsets{k}": np.asarray(o, dtype=np.int32) for k, o in enumerate(offsets)},
    }


def build_polygons(source: Path, communes: pd.DataFrame) -> dict[str, np.ndarray]:
    with gzip.open(source / "communes_fr_simplified.geojson.gz", "rt", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    by_code = {f["properties"]["insee_code"]: shapely.geometry.shape(f["geometry"]) for f in features}
    with_polygon = communes[communes["has_polygon"] == 1]
    missing = sorted(set(with_polygon["insee_code"]) ^ set(by_code))
    if missing:
        sys.exit(f"polygon file and commune table disagree on: {missing[:10]}")
    arrays: dict[str, np.ndarray] = {}
    for dep, group in with_polygon.groupby("departement", sort=True):
        codes = list(group["insee_code"])
        geoms = np.asarray([by_code[c] for c in codes], dtype=object)
        arrays[f"{dep}.codes"] = np.asarray(codes, dtype="<U5")
        for key, value in encode_departement(geoms).items():
            arrays[f"{dep}.{key}"] = value
    return arrays


def write_npz(arrays: dict[str, np.ndarray], path: Path) -> None:
    """``np.savez_compressed`` with fixed member timestamps (reproducible bytes)."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for key in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, arrays[key], allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", type=Path, help="the shared reference data folder")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "data" / "france")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    communes = build_communes(args.source)
    write_csv_gz(communes, args.out / "communes.csv.gz")
    write_csv_gz(build_adjacency(args.source), args.out / "adjacency.csv.gz")
    write_npz(build_polygons(args.source, communes), args.out / "polygons.npz")
    pd.DataFrame(sorted(DEPARTEMENTS.items()), columns=["code", "name"]).to_csv(
        args.out / "departements.csv", index=False, lineterminator="\n")
    pd.DataFrame(sorted(REGIONS.items()), columns=["code", "name"]).to_csv(
        args.out / "regions.csv", index=False, lineterminator="\n")
    for path in sorted(args.out.iterdir()):
        print(f"{path.name:<20} {path.stat().st_size:>10,} B")


if __name__ == "__main__":
    main()
