"""Check ``poles.geojson``: one feature per pole with the properties of ``poles.csv`` and the
outline of its members, then one feature per commune left alone.

An outline is the union of the members' polygons of ``inputs/`` with coordinates rounded to
1e-5° (about 1 m): it matches when the area between the two outlines is at most their perimeter
× 2e-5° (each vertex may move by half the rounding step in each direction).
"""

from __future__ import annotations

import math

import shapely
from shapely.geometry import shape

from ..errors import Problem
from ..results.records import row_dicts
from .design import POLE_COLUMNS, Design
from .files import ResultFolder, UnreadableResult
from .memo import content_key, derived, kept

ROUNDING_DEG = 1e-5


def geojson_problems(folder: ResultFolder, d: Design) -> list[str]:
    data = folder.json("poles.geojson")
    features = data.get("features")
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        raise UnreadableResult([Problem(folder.label("poles.geojson"), "", "expected a GeoJSON FeatureCollection", show_value=False)])
    # the outlines' unions are most of the time: the same file checked against the same design and
    # inputs again (a tampering matrix, a second verification) is not checked again (.memo)
    fingerprint = folder.inputs_fingerprint()
    key = None if fingerprint is None else content_key(data, d.poles, d.seat_of, d.pole_of, d.members)
    return kept(derived(fingerprint), "poles.geojson", key, lambda: _feature_problems(features, d))


def _feature_problems(features: list, d: Design) -> list[str]:
    out = []
    t = d.territory
    rows = {r["pole"]: r for r in row_dicts(d.poles)}
    by_id = {d.pole_of[s]: s for s in d.members}
    alone = {c for c in t.codes if d.seat_of[c] is None}
    seen_poles, seen_alone = [], []
    for k, feature in enumerate(features):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict):
            out.append(f"feature {k}: no properties")
            continue
        if props.get("kind") == "alone":
            code = _alone_code(props, t, alone)
            if code is None:
                out.append(f"feature {k}: an alone commune {props.get('pole_name')!r} that communes.csv does not leave alone")
                continue
            seen_alone.append(code)
            if props.get("population") != int(d.population[code]) or props.get("n_communes") != 1 or props.get("pole") is not None:
                out.append(f"feature {k} ({t.label(code)} alone): population {props.get('population')}, "
                           f"n_communes {props.get('n_communes')}, pole {props.get('pole')!r}")
            out += _outline_problems(feature, [code], t, f"feature {k} ({t.label(code)} alone)")
            continue
        pole = props.get("pole")
        if pole not in rows or pole not in by_id:
            out.append(f"feature {k}: pole {pole!r} is not a pole of poles.csv / communes.csv")
            continue
        seen_poles.append(pole)
        for column in POLE_COLUMNS:
            if not _same(props.get(column), rows[pole][column]):
                out.append(f"feature {k} (pole {pole}): {column} {props.get(column)!r}, poles.csv says {rows[pole][column]!r}")
        if "on_its_own" in rows[pole] and str(props.get("on_its_own")) != str(rows[pole]["on_its_own"]).strip():
            out.append(f"feature {k} (pole {pole}): on_its_own {props.get('on_its_own')!r}, poles.csv says {rows[pole]['on_its_own']!r}")
        out += _outline_problems(feature, d.members[by_id[pole]], t, f"feature {k} (pole {pole})")
    for pole in sorted(set(by_id) - set(seen_poles)):
        out.append(f"pole {pole} has no feature")
    for pole in sorted({p for p in seen_poles if seen_poles.count(p) > 1}):
        out.append(f"pole {pole} has {seen_poles.count(pole)} features")
    for code in sorted(alone - set(seen_alone)):
        out.append(f"{t.label(code)} is alone but has no feature")
    return out


def _alone_code(props: dict, territory, alone: set[str]) -> str | None:
    name = str(props.get("pole_name", ""))
    for code in alone:
        if name == f"{territory.name_of(code)} (alone)":
            return code
    return None


def _same(a, b) -> bool:
    if isinstance(b, float) and math.isnan(b):
        return a is None
    if isinstance(b, (int, float)) and not isinstance(b, bool):
        return isinstance(a, (int, float)) and not isinstance(a, bool) and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


def _outline_problems(feature: dict, codes: list[str], territory, where: str) -> list[str]:
    try:
        drawn = shape(feature["geometry"])
    except Exception as exc:  # any malformed geometry: say so, do not crash
        return [f"{where}: geometry unreadable ({exc.__class__.__name__}: {exc})"]
    expected = shapely.union_all([territory.geometry[c] for c in codes])
    try:
        between = drawn.symmetric_difference(expected).area
    except shapely.errors.GEOSException:
        between = drawn.buffer(0).symmetric_difference(expected.buffer(0)).area
    allowed = 2 * ROUNDING_DEG * (expected.length + drawn.length) + 1e-12
    if not between <= allowed:
        return [f"{where}: its outline differs from the union of its members' polygons by {between:.3g} square degrees "
                f"(rounding explains at most {allowed:.3g})"]
    return []
