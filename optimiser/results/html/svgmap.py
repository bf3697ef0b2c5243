"""The interactive map of a report: commune polygons as inline SVG, built from the territory.

Coordinates: lon/lat are projected with the same local equirectangular projection as ``map.png``
(:class:`optimiser.territory.geo.LocalProjection`), so x points east and y north in km; SVG's y
axis points down, hence ``y_svg = −y_km``. One SVG user unit is 10 m (:data:`UNITS_PER_KM`), so
coordinates are integers, far finer than a screen shows, and each ring is written as its first
point then integer steps (``M x y l dx dy … z``): a third of the size of absolute decimals. Strokes
do not scale with the drawing (``vector-effect: non-scaling-stroke`` in the CSS), so borders keep
their pixel width at any size.

Layers, bottom to top: communes (one ``<path class="commune">`` each, filled by pole, focusable,
carrying ``data-code`` and ``data-pole``), pole outlines, seat stars, names, scale bar. Only the
communes take pointer events; everything above lets them through.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from ...territory import Territory
from ...territory.geo import LocalProjection
from ..geo import pole_geometries
from ..i18n import t
from ..maps import ALONE_COLOUR, AUTO_LABEL_ALL, commune_numbers, numbered, pole_colours, wrap_name
from ..records import row_dicts, row_tuples
from .page import esc

#: SVG user units per km (one unit = 10 m).
UNITS_PER_KM = 100

#: Fill of a commune when there is no design (infeasible scenario): the bare territory.
NO_DESIGN_COLOUR = "#e8e8e8"


def _ring(coords: np.ndarray) -> str:
    """``M x y l dx dy … z`` in integer units, repeated points dropped (steps taken between the
    rounded points, so rounding errors never add up)."""
    points = np.rint(coords * UNITS_PER_KM).astype(np.int64)
    points[:, 1] = -points[:, 1]
    keep = np.r_[True, np.any(np.diff(points, axis=0) != 0, axis=1)]
    points = points[keep]
    if len(points) > 1 and (points[0] == points[-1]).all():
        points = points[:-1]
    steps = np.diff(points, axis=0).ravel()
    text = f"M{points[0, 0]} {points[0, 1]}" + ("l" + " ".join(map(str, steps.tolist())) if len(steps) else "") + "z"
    return text.replace(" -", "-")


def path_data(geometry: BaseGeometry) -> str:
    """SVG path data of a (multi)polygon projected to km, holes included (drawn with ``evenodd``)."""
    rings = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            rings.append(_ring(np.asarray(ring.coords)))
    return "".join(rings)


def _star(x: float, y: float, radius: float) -> str:
    """A five-pointed star centred on (x, y), SVG units (the seat marker of ``map.png``)."""
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.45
        angle = math.pi / 2 + k * math.pi / 5
        points.append(f"{x + r * math.cos(angle):.0f} {y - r * math.sin(angle):.0f}")
    return "M" + " ".join(points) + "Z"


def _scale_bar_km(width_km: float) -> int:
    for bar in (50, 20, 10, 5, 2, 1):
        if bar <= width_km / 5:
            return bar
    return 1


def commune_fills(territory: Territory, communes: pd.DataFrame | None) -> dict[str, str]:
    """INSEE code → fill colour: the pole's colour (as on ``map.png``), or the 'alone' hatching."""
    if communes is None:
        return {code: NO_DESIGN_COLOUR for code in territory.codes}
    colours = pole_colours(territory, communes)
    out = {}
    for record in row_tuples(communes):
        if record.alone or not isinstance(record.pole, str):
            out[record.insee_code] = "url(#alone)"
        else:
            out[record.insee_code] = colours.get(record.pole, ALONE_COLOUR)
    return out


def commune_records(communes: pd.DataFrame | None) -> dict[str, dict]:
    """INSEE code → the commune's row of ``communes`` as a mapping (none without a design)."""
    return {} if communes is None else {r["insee_code"]: r for r in row_dicts(communes)}


def render_svg_map(territory: Territory, communes: pd.DataFrame | None, *, labels: str = "auto",
                   title: str = "Map of the poles", outlines: dict | None = None, fills: dict[str, str] | None = None,
                   records: dict[str, dict] | None = None,
                   titles: dict[str, str] | None = None) -> tuple[str, dict[str, tuple[float, float]]]:
    """The ``<svg>`` element and each commune's label point in SVG coordinates (for the tooltip
    of a keyboard-focused commune).

    Computed when not given, for a caller that needs them too: ``outlines``, pole id → polygon
    (WGS84) as :func:`optimiser.results.geo.pole_geometries` gives them; ``fills``, as
    :func:`commune_fills`; ``records``, as :func:`commune_records`. ``titles``: INSEE code →
    a native tooltip (``<title>``) for each commune path (the code itself when missing); none
    when not given."""
    projection = LocalProjection.around(territory.communes["lon"], territory.communes["lat"])
    projected = {code: projection.geometry_to_km(territory.geometry[code]) for code in territory.codes}
    xmin, ymin, xmax, ymax = (UNITS_PER_KM * v for v in shapely.total_bounds(list(projected.values())))
    width, height = xmax - xmin, ymax - ymin
    size = max(width, height)
    pad = round(0.03 * size)
    bottom = round(0.08 * size)  # room for the scale bar
    view = (round(xmin) - pad, round(-ymax) - pad, round(width) + 2 * pad, round(height) + 2 * pad + bottom)
    bar = _scale_bar_km(width / UNITS_PER_KM)

    xy = UNITS_PER_KM * projection.to_km(territory.communes[["lon", "lat"]].to_numpy(dtype=float))
    points = {code: (round(float(x)), round(float(-y))) for code, (x, y) in zip(territory.codes, xy)}
    if fills is None:
        fills = commune_fills(territory, communes)
    if records is None:
        records = commune_records(communes)

    hatch = round(size / 70)
    out = [f'<svg id="map" class="map" viewBox="{" ".join(map(str, view))}" '
           f'role="group" tabindex="-1" aria-label="{esc(title)}" preserveAspectRatio="xMidYMid meet">',
           f'<defs><pattern id="alone" patternUnits="userSpaceOnUse" width="{hatch}" height="{hatch}" '
           f'patternTransform="rotate(45)"><rect width="{hatch}" height="{hatch}" fill="{ALONE_COLOUR}"/>'
           f'<line x1="0" y1="0" x2="0" y2="{hatch}" stroke="#9a9a9a" stroke-width="{max(1, hatch // 4)}"/></pattern></defs>',
           '<g class="communes">']
    for code in territory.codes:
        row = records.get(code, {})
        name = territory.name_of(code)
        pole = row.get("pole") if isinstance(row.get("pole"), str) else ""
        label = name + (t("aria.pole", pole=pole) if pole else "") + (t("aria.seat") if row.get("is_seat") else "")
        end = "/>" if titles is None else f"><title>{esc(titles.get(code, code))}</title></path>"
        out.append(f'<path class="commune" d="{path_data(projected[code])}" fill="{fills[code]}" '
                   f'data-code="{esc(code)}" data-pole="{esc(pole)}" tabindex="0" aria-label="{esc(label)}"{end}')
    out.append("</g>")

    if communes is not None:
        out.append('<g class="outlines">')
        if outlines is None:
            outlines = pole_geometries(territory, communes)
        for pole, outline in outlines.items():
            out.append(f'<path class="outline" d="{path_data(projection.geometry_to_km(outline))}" data-pole="{esc(pole)}"/>')
        out.append("</g>")

        seats = communes[communes["is_seat"].astype(bool)]
        out.append('<g class="seats">')
        for code in seats["insee_code"]:
            out.append(f'<path class="seat" d="{_star(*points[code], 0.022 * size)}"/>')
        out.append("</g>")

    out.append(_labels(territory, communes, points, labels, size))

    x0, y0 = view[0] + pad, view[1] + view[3] - bottom // 2
    length = bar * UNITS_PER_KM
    out.append(f'<g class="scale"><line x1="{x0}" y1="{y0}" x2="{x0 + length}" y2="{y0}"/>'
               f'<text x="{x0 + length // 2}" y="{y0 - round(0.01 * size)}" font-size="{round(0.022 * size)}">{bar} km</text></g>')
    out.append("</svg>")
    return "".join(out), points


def numbered_key(territory: Territory, labels: str = "auto") -> str:
    """The key of a numbered map (``<ol>`` of names in number order), or '' when names are on the map."""
    if not numbered(labels, len(territory)):
        return ""
    numbers = commune_numbers(territory)
    items = "".join(f'<li value="{k}">{esc(territory.name_of(code))}</li>' for code, k in sorted(numbers.items(), key=lambda kv: kv[1]))
    return f'<ol class="map-key">{items}</ol>'


def _labels(territory, communes, points, labels: str, size: float) -> str:
    """Names: every commune up to ``AUTO_LABEL_ALL`` ('auto') or 'all', seats always (bold),
    none for 'none' — the choices of ``outputs.labels``, as on ``map.png``."""
    if labels == "none":
        return ""
    n = len(territory)
    show_all = labels == "all" or (labels == "auto" and n <= AUTO_LABEL_ALL)
    seats = set() if communes is None else set(communes.loc[communes["is_seat"].astype(bool), "insee_code"])
    font = size / (60 if n <= 40 else 90)
    numbers = commune_numbers(territory) if numbered(labels, n) else {}
    # the white halo is a stroke in user units (text ignores non-scaling-stroke), a fifth of the font
    out = [f'<g class="labels" aria-hidden="true" stroke-width="{round(0.2 * font)}">']
    for code in territory.codes:
        is_seat = code in seats
        if not (show_all or is_seat or numbers):
            continue
        x, y = points[code]
        name = territory.name_of(code)
        if is_seat:
            out.append(f'<text class="seat-name" x="{x}" y="{round(y - 0.03 * size)}" font-size="{round(1.2 * font)}">{esc(name)}</text>')
            continue
        if numbers:  # the names are in the key under the map (numbered_key)
            out.append(f'<text class="number" x="{x}" y="{y}" font-size="{round(0.9 * font)}" dominant-baseline="middle">'
                       f'{numbers[code]}</text>')
            continue
        lines = wrap_name(name).split("\n")
        first = y - (len(lines) - 1) * font * 0.5
        spans = "".join(f'<tspan x="{x}" y="{round(first + k * font)}">{esc(line)}</tspan>' for k, line in enumerate(lines))
        out.append(f'<text x="{x}" y="{round(first)}" font-size="{round(font)}" dominant-baseline="middle">{spans}</text>')
    out.append("</g>")
    return "".join(out)
