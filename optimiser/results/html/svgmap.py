"""The interactive map of a report: commune polygons as inline SVG, built from the territory.

Coordinates: lon/lat are projected with the same local equirectangular projection as ``map.png``
(:class:`optimiser.territory.geo.LocalProjection`), so x points east and y north in km; SVG's y
axis points down, hence ``y_svg = −y_km``. One SVG user unit is one km, coordinates are rounded
to 10 m (two decimals), far below what a screen shows. Strokes do not scale with the drawing
(``vector-effect: non-scaling-stroke`` in the CSS), so borders keep their pixel width at any size.

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
from ..maps import ALONE_COLOUR, AUTO_LABEL_ALL, pole_colours, wrap_name
from .page import esc

#: Fill of a commune when there is no design (infeasible scenario): the bare territory.
NO_DESIGN_COLOUR = "#e8e8e8"


def _ring(coords: np.ndarray) -> str:
    """``M x y x y … Z`` (implicit line-to after the first point; the closing point dropped)."""
    points = coords[:-1] if len(coords) > 1 and np.allclose(coords[0], coords[-1]) else coords
    flat = " ".join(f"{x:.2f} {-y:.2f}" for x, y in points)
    return f"M{flat}Z"


def path_data(geometry: BaseGeometry) -> str:
    """SVG path data of a projected (multi)polygon, holes included (drawn with ``evenodd``)."""
    rings = []
    for polygon in getattr(geometry, "geoms", [geometry]):
        if polygon.is_empty or polygon.geom_type != "Polygon":
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            rings.append(_ring(np.asarray(ring.coords)))
    return "".join(rings)


def _star(x: float, y: float, radius: float) -> str:
    """A five-pointed star centred on (x, y) in km (the seat marker of ``map.png``)."""
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.45
        angle = math.pi / 2 + k * math.pi / 5
        points.append(f"{x + r * math.cos(angle):.2f} {-(y + r * math.sin(angle)):.2f}")
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
    for record in communes.itertuples():
        if record.alone or not isinstance(record.pole, str):
            out[record.insee_code] = "url(#alone)"
        else:
            out[record.insee_code] = colours.get(record.pole, ALONE_COLOUR)
    return out


def render_svg_map(territory: Territory, communes: pd.DataFrame | None, *, labels: str = "auto",
                   title: str = "Map of the poles") -> tuple[str, dict[str, tuple[float, float]]]:
    """The ``<svg>`` element and each commune's label point in SVG coordinates (for the tooltip
    of a keyboard-focused commune)."""
    projection = LocalProjection.around(territory.communes["lon"], territory.communes["lat"])
    projected = {code: projection.geometry_to_km(territory.geometry[code]) for code in territory.codes}
    xmin, ymin, xmax, ymax = shapely.total_bounds(list(projected.values()))
    width, height = xmax - xmin, ymax - ymin
    pad = 0.03 * max(width, height)
    bar = _scale_bar_km(width)
    bottom = 0.08 * max(width, height)  # room for the scale bar
    view = (xmin - pad, -ymax - pad, width + 2 * pad, height + 2 * pad + bottom)

    xy = projection.to_km(territory.communes[["lon", "lat"]].to_numpy(dtype=float))
    points = {code: (round(float(x), 2), round(float(-y), 2)) for code, (x, y) in zip(territory.codes, xy)}
    fills = commune_fills(territory, communes)
    rows = {} if communes is None else {r["insee_code"]: r for r in communes.to_dict(orient="records")}

    size = max(width, height)
    out = [f'<svg id="map" class="map" viewBox="{view[0]:.2f} {view[1]:.2f} {view[2]:.2f} {view[3]:.2f}" '
           f'role="group" tabindex="-1" aria-label="{esc(title)}" preserveAspectRatio="xMidYMid meet">',
           "<defs><pattern id=\"alone\" patternUnits=\"userSpaceOnUse\" width=\"0.6\" height=\"0.6\" "
           "patternTransform=\"rotate(45)\"><rect width=\"0.6\" height=\"0.6\" fill=\"#f0f0f0\"/>"
           "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"0.6\" stroke=\"#9a9a9a\" stroke-width=\"0.15\"/></pattern></defs>",
           '<g class="communes">']
    for code in territory.codes:
        row = rows.get(code, {})
        name = territory.name_of(code)
        pole = row.get("pole") if isinstance(row.get("pole"), str) else ""
        label = name + (f", pole {pole}" if pole else "") + (", seat of its pole" if row.get("is_seat") else "")
        out.append(f'<path class="commune" d="{path_data(projected[code])}" fill="{fills[code]}" '
                   f'data-code="{esc(code)}" data-pole="{esc(pole)}" tabindex="0" aria-label="{esc(label)}"/>')
    out.append("</g>")

    if communes is not None:
        out.append('<g class="outlines">')
        placed = communes[~communes["alone"].astype(bool)]
        for pole, group in placed.groupby("pole"):
            outline = shapely.union_all([projected[c] for c in group["insee_code"]])
            out.append(f'<path class="outline" d="{path_data(outline)}" data-pole="{esc(pole)}"/>')
        out.append("</g>")

        seats = communes[communes["is_seat"].astype(bool)]
        out.append('<g class="seats">')
        for code in seats["insee_code"]:
            x, y = points[code]
            out.append(f'<path class="seat" d="{_star(x, -y, 0.022 * size)}"/>')
        out.append("</g>")

    out.append(_labels(territory, communes, points, labels, size))

    x0, y0 = view[0] + pad, view[1] + view[3] - bottom / 2
    out.append(f'<g class="scale"><line x1="{x0:.2f}" y1="{y0:.2f}" x2="{x0 + bar:.2f}" y2="{y0:.2f}"/>'
               f'<text x="{x0 + bar / 2:.2f}" y="{y0 - 0.01 * size:.2f}" font-size="{0.022 * size:.2f}">{bar} km</text></g>')
    out.append("</svg>")
    return "".join(out), points


def _labels(territory, communes, points, labels: str, size: float) -> str:
    """Names: every commune up to ``AUTO_LABEL_ALL`` ('auto') or 'all', seats always (bold),
    none for 'none' — the choices of ``outputs.labels``, as on ``map.png``."""
    if labels == "none":
        return ""
    n = len(territory)
    show_all = labels == "all" or (labels == "auto" and n <= AUTO_LABEL_ALL)
    seats = set() if communes is None else set(communes.loc[communes["is_seat"].astype(bool), "insee_code"])
    font = size / (60 if n <= 40 else 90)
    # the white halo is a stroke in user units (text ignores non-scaling-stroke), a fifth of the font
    out = [f'<g class="labels" aria-hidden="true" stroke-width="{0.2 * font:.3f}">']
    for code in territory.codes:
        is_seat = code in seats
        if not (show_all or is_seat):
            continue
        x, y = points[code]
        name = territory.name_of(code)
        if is_seat:
            y_text = y - 0.03 * size
            out.append(f'<text class="seat-name" x="{x:.2f}" y="{y_text:.2f}" font-size="{1.2 * font:.2f}">{esc(name)}</text>')
            continue
        lines = wrap_name(name).split("\n")
        first = y - (len(lines) - 1) * font * 0.5
        spans = "".join(f'<tspan x="{x:.2f}" y="{first + k * font:.2f}">{esc(line)}</tspan>' for k, line in enumerate(lines))
        out.append(f'<text x="{x:.2f}" y="{first:.2f}" font-size="{font:.2f}" dominant-baseline="middle">{spans}</text>')
    out.append("</g>")
    return "".join(out)
