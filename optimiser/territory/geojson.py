"""Read a territory from a GeoJSON FeatureCollection of communes.

Each feature is one commune: a Polygon or MultiPolygon in WGS84 longitude/latitude, with the
properties ``insee_code`` (text), ``name`` and ``population`` (inhabitants, a non-negative
whole number). Other properties are ignored. Every problem found is reported at once, with
the feature index and the key, so a planner can fix an exported file in one pass.
"""

from __future__ import annotations

import hashlib
import json
import warnings as warnings_module
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import shape

from ..errors import InputError, Problem, warn_input
from ..files import GEOJSON_MAX_BYTES, read_text
from ..text import did_you_mean
from .territory import Territory, build_territory

REQUIRED_PROPERTIES = ("insee_code", "name", "population")
_POLYGONAL = ("Polygon", "MultiPolygon")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_geojson(path: Path, file_label: str | None = None) -> dict:
    """Parse a JSON file, turning I/O and syntax errors into :class:`InputError`."""
    label = file_label or str(path)
    # Bounded: a device, a folder or a file of gigabytes is refused before it is read.
    text = read_text(path, label, GEOJSON_MAX_BYTES, what="GeoJSON file",
                     hint="simplify the geometries (e.g. mapshaper -simplify 10%) or keep only the area studied")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            [Problem(label, f"line {exc.lineno}, column {exc.colno}", f"not valid JSON: {exc.msg}", show_value=False)]
        ) from None
    except RecursionError:
        raise InputError([Problem(label, "", "not a GeoJSON file: lists nested too deeply", show_value=False)]) from None
    except ValueError:  # a whole number past Python's 4,300 digits
        raise InputError([Problem(label, "", "not a GeoJSON file: a number with more than 4,300 digits",
                                  show_value=False)]) from None


def _insee_code(value) -> str | None:
    """INSEE codes are 5 characters of text; a whole number is zero-padded (it lost its zeros)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 0 < value < 100000:
        return f"{value:05d}"
    if isinstance(value, str) and len(value.strip()) == 5 and value.strip().isalnum():
        return value.strip().upper()
    return None


def load_geojson_territory(
    path: str | Path,
    *,
    name: str | None = None,
    min_shared_border_m: float = 10.0,
    file_label: str | None = None,
) -> Territory:
    """Load and validate a commune FeatureCollection (see module docstring)."""
    path = Path(path)
    label = file_label or str(path)
    data = read_geojson(path, label)
    problems: list[Problem] = []
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        got = data.get("type") if isinstance(data, dict) else type(data).__name__
        raise InputError([Problem(label, "type", "expected a GeoJSON FeatureCollection", got)])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise InputError([Problem(label, "features", "expected a non-empty list of commune features", features)])

    codes, names, populations, geometries, warnings = [], [], [], [], []
    seen: dict[str, int] = {}
    for k, feature in enumerate(features):
        where = f"features[{k}]"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(properties, dict):
            problems.append(Problem(label, f"{where}.properties", "expected an object with insee_code, name, population", properties))
            continue
        for key in REQUIRED_PROPERTIES:
            if key not in properties:
                problems.append(
                    Problem(label, f"{where}.properties.{key}", "missing property", show_value=False,
                            hint=did_you_mean(key, properties.keys()))
                )
        code = _insee_code(properties.get("insee_code"))
        if "insee_code" in properties and code is None:
            problems.append(Problem(label, f"{where}.properties.insee_code", "expected a 5-character INSEE code such as '53130'", properties.get("insee_code")))
        commune_name = properties.get("name")
        if "name" in properties and (not isinstance(commune_name, str) or not commune_name.strip()):
            problems.append(Problem(label, f"{where}.properties.name", "expected the commune's name as non-empty text", commune_name))
        population = properties.get("population")
        if "population" in properties and not _is_count(population):
            problems.append(Problem(label, f"{where}.properties.population", f"expected a whole number of inhabitants from 0 to {MAX_POPULATION:,}",
                                    population))
        geometry = _geometry(feature.get("geometry"), label, where, problems, warnings, commune_name, code)
        if code is not None:
            if code in seen:
                problems.append(Problem(label, f"{where}.properties.insee_code", f"duplicate INSEE code, also in features[{seen[code]}]", code))
            seen.setdefault(code, k)
        codes.append(code)
        names.append(commune_name.strip() if isinstance(commune_name, str) else commune_name)
        populations.append(int(population) if _is_count(population) else 0)
        geometries.append(geometry)
    if problems:
        raise InputError(problems, title=f"Invalid territory file {label}")
    for warning in warnings:
        warn_input(warning)
    return build_territory(
        name or path.stem,
        codes,
        names,
        populations,
        geometries,
        min_shared_border_m=min_shared_border_m,
        source=path,
        sha256=file_sha256(path),
        warnings=tuple(warnings),
    )


#: Largest population of one commune read as plausible (Paris has 2.1 million inhabitants): a
#: larger figure is a slip that would overflow the model's integer arithmetic.
MAX_POPULATION = 100_000_000


def _is_count(value) -> bool:
    """Whether ``value`` is a population: a whole number from 0 to :data:`MAX_POPULATION`."""
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and 0 <= value <= MAX_POPULATION
        and float(value).is_integer()
    )


def _geometry(raw, label, where, problems, warnings, commune_name, code):
    """The feature's polygon, or ``None`` with a problem recorded. Non-finite coordinates are
    refused; an invalid polygon (self-intersecting, ...) is repaired and the repair recorded in
    ``warnings`` — said on the terminal and in the report, since it changes areas and borders,
    hence the design. Shapely's own RuntimeWarnings on such input are silenced: the words here
    replace them."""
    commune = f"commune {commune_name!r} ({code})" if code else f"commune {commune_name!r}"
    if not isinstance(raw, dict) or raw.get("type") not in _POLYGONAL:
        got = raw.get("type") if isinstance(raw, dict) else raw
        problems.append(Problem(label, f"{where}.geometry", "expected a Polygon or MultiPolygon", got))
        return None
    with warnings_module.catch_warnings():
        warnings_module.simplefilter("ignore", RuntimeWarning)
        try:
            geometry = shape(raw)
        except Exception as exc:  # shapely raises several types on malformed coordinates
            problems.append(Problem(label, f"{where}.geometry", f"unreadable coordinates ({exc})", show_value=False))
            return None
        if geometry.is_empty:
            problems.append(Problem(label, f"{where}.geometry", "empty geometry", show_value=False))
            return None
        if not np.isfinite(shapely.get_coordinates(geometry)).all():
            problems.append(Problem(label, f"{where}.geometry", f"coordinates of {commune} are not all finite numbers "
                                    "(NaN or infinity); fix or re-export the polygon", show_value=False))
            return None
        minx, miny, maxx, maxy = geometry.bounds
        if minx < -180 or maxx > 180 or miny < -90 or maxy > 90:
            problems.append(
                Problem(label, f"{where}.geometry", "coordinates are not longitude/latitude degrees; "
                        "the file looks projected (e.g. Lambert-93): export it in WGS84 (EPSG:4326)",
                        (round(minx, 1), round(miny, 1)))
            )
            return None
        if geometry.is_valid:
            return geometry
        # Self-touching rings are common in exported files; repair them the way the shared
        # reference data did, and say so.
        reason = shapely.is_valid_reason(geometry)
        repaired = shapely.make_valid(geometry, method="structure")
        if isinstance(repaired, shapely.GeometryCollection):  # keep the polygonal parts only
            repaired = shapely.union_all([g for g in repaired.geoms if g.geom_type in _POLYGONAL])
    if repaired.is_empty or repaired.geom_type not in _POLYGONAL:
        problems.append(Problem(label, f"{where}.geometry", f"the polygon of {commune} is invalid ({reason}) and "
                                "cannot be repaired into an area; fix it in the source file", show_value=False))
        return None
    warnings.append(f"{Path(label).name} {where}: the polygon of {commune} was invalid ({reason}) and was repaired, which "
                    f"can change its area and borders, hence the design; check it in the source file")
    return repaired
