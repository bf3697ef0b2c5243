"""The map: poles coloured so that neighbours differ, seats marked, names legible."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from ..territory import Territory
from ..territory.geo import LocalProjection
from .figures import new_figure, save_tight
from .geo import pole_geometries
from .html import fmt
from .i18n import t

if TYPE_CHECKING:
    from matplotlib.patches import PathPatch

# matplotlib is imported where a map is drawn, not with this module: the HTML report's SVG map
# and every run import the colours and labels below, and a run without maps (outputs.map: false,
# a sweep's workers) would otherwise pay matplotlib's import (0.5-0.9 s) for nothing.

#: Colour-blind-friendly qualitative palette (Okabe–Ito, lightened) for proximity poles.
PALETTE = ["#9ecae1", "#fdd0a2", "#a1d99b", "#dadaeb", "#fcbba1", "#c6dbef", "#fee391",
           "#c7e9c0", "#bcbddc", "#fdae6b", "#d9f0a3", "#f2b6d2"]
SERVICE_COMMUN_COLOUR = "#e7969c"
ALONE_COLOUR = "#f0f0f0"

#: Label every commune by name up to this many communes ('auto' labels); beyond, each commune
#: carries a number and a key beside the map gives the names (readable at 150 communes and more).
AUTO_LABEL_ALL = 60


def numbered(labels: str, n: int) -> bool:
    """Communes are numbered (with a key) rather than named: 'auto' labels beyond :data:`AUTO_LABEL_ALL`."""
    return labels == "auto" and n > AUTO_LABEL_ALL


def commune_numbers(territory: Territory) -> dict[str, int]:
    """INSEE code → the commune's number on a numbered map: 1, 2… in alphabetical order."""
    from ..text import fold

    ordered = sorted(territory.codes, key=lambda code: (fold(territory.name_of(code)), code))
    return {code: k for k, code in enumerate(ordered, 1)}


def _draw_key(ax, territory: Territory, numbers: dict[str, int]) -> None:
    """The numbered key to the right of the map, in columns of at most 40 names."""
    by_number = sorted(numbers.items(), key=lambda kv: kv[1])
    per_column = 40
    for column in range(0, len(by_number), per_column):
        lines = [f"{k:>3}  {territory.name_of(code)[:26]}" for code, k in by_number[column:column + per_column]]
        ax.text(1.02 + 0.3 * (column // per_column), 1.0, "\n".join(lines), transform=ax.transAxes, va="top", ha="left",
                fontsize=5.5, family="monospace", linespacing=1.25)


def _patch(geometry, projection: LocalProjection, **style) -> PathPatch:
    """A matplotlib patch for a (multi)polygon in km coordinates, holes included."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    geometry = projection.geometry_to_km(geometry)
    vertices, codes = [], []
    for polygon in getattr(geometry, "geoms", [geometry]):
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = np.asarray(ring.coords)
            vertices.append(coords)
            codes.append(np.r_[MplPath.MOVETO, np.full(len(coords) - 2, MplPath.LINETO), MplPath.CLOSEPOLY])
    return PathPatch(MplPath(np.concatenate(vertices), np.concatenate(codes)), **style)


def _add_patches(ax, patches: list[PathPatch]) -> None:
    """``ax.add_patch`` for each patch, with one data-limit update for all of them.

    ``add_patch`` walks each patch's path as Bézier segments to find its extent; the map's
    patches are polygons (straight segments, no interior extrema), so the points it finds are
    exactly the path's vertices, and the limits — a min and max over all points — are those of
    one ``update_datalim`` over every vertex at once (matplotlib's documented way with
    ``add_artist``). The PNG is the same byte for byte; the walk cost ~10 ms a commune."""
    for patch in patches:
        ax.add_artist(patch)
    if patches:
        ax.update_datalim(np.concatenate([patch.get_path().vertices for patch in patches]))


def wrap_name(name: str, width: int = 14) -> str:
    """Break a long commune name on the hyphen or space nearest its middle."""
    if len(name) <= width:
        return name
    cuts = [k for k, c in enumerate(name) if c in "- "]
    if not cuts:
        return name
    k = min(cuts, key=lambda k: abs(k - len(name) / 2))
    return name[: k + 1].rstrip() + "\n" + name[k + 1:] if name[k] == "-" else name[:k] + "\n" + name[k + 1:]


def pole_colours(territory: Territory, communes: pd.DataFrame) -> dict[str, str]:
    """Pole id → colour: one colour per pole while the palette lasts; beyond, poles that share a
    border still get different colours (greedy graph colouring)."""
    pole_of = dict(zip(communes["insee_code"], communes["pole"]))
    poles = sorted({p for p in pole_of.values() if isinstance(p, str) and p != "SC"}, key=lambda p: int(p[1:]))
    if len(poles) <= len(PALETTE):
        colours = {p: PALETTE[k] for k, p in enumerate(poles)}
        colours["SC"] = SERVICE_COMMUN_COLOUR
        return colours
    graph = nx.Graph()
    graph.add_nodes_from(poles)  # in pole order: the colouring, and so the map, repeats exactly
    for a, b in zip(territory.adjacency["code_a"], territory.adjacency["code_b"]):
        pa, pb = pole_of.get(a), pole_of.get(b)
        if isinstance(pa, str) and isinstance(pb, str) and pa != pb and "SC" not in (pa, pb):
            graph.add_edge(pa, pb)
    colouring = nx.greedy_color(graph, strategy="largest_first")
    colours = {p: PALETTE[c % len(PALETTE)] for p, c in colouring.items()}
    colours["SC"] = SERVICE_COMMUN_COLOUR
    return colours


def _figure(n: int):
    """A figure sized for ``n`` communes and its axes."""
    return new_figure((11, 12) if n > AUTO_LABEL_ALL else (9, 10))


def _draw_outlines(ax, outlines: dict, projection: LocalProjection, linewidth: float) -> None:
    """Each pole's outline (see :func:`optimiser.results.geo.pole_geometries`), thick and unfilled."""
    _add_patches(ax, [_patch(outline, projection, facecolor="none", edgecolor="#222222", linewidth=linewidth)
                      for outline in outlines.values()])


def _halo() -> list:
    """The white outline that keeps a label legible on any fill."""
    import matplotlib.patheffects as path_effects

    return [path_effects.withStroke(linewidth=2.5, foreground="white")]


def _label_positions(territory: Territory, projection: LocalProjection) -> dict[str, tuple[float, float]]:
    """INSEE code → the commune's label point in km."""
    xy = projection.to_km(territory.communes[["lon", "lat"]].to_numpy())
    return dict(zip(territory.communes.index, map(tuple, xy)))


def _frame(ax, title: str) -> None:
    """Fit the view to the communes, km equal both ways, no axes, the title on the left."""
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    # y=1.0 is where matplotlib's automatic placement leaves the title of an axes drawn without
    # axes (it only lifts a title above tick labels on top, and there are none), so the PNG is
    # the same byte for byte; giving it turns that placement off, which at every draw built the
    # hidden axes' ticks to measure them (a seventh of a map's drawing time).
    ax.set_title(title, fontsize=12, loc="left", y=1.0)


def _save(fig, path: Path) -> None:
    """Add the data attribution at the foot and write the PNG."""
    fig.text(0.01, 0.01, t("map.attribution"), fontsize=6, color="#555555")
    save_tight(fig, path, dpi=150)


def draw_map(path: Path, territory: Territory, communes: pd.DataFrame, poles: pd.DataFrame, title: str,
             labels: str = "auto", outlines: dict | None = None) -> None:
    """Write ``map.png``: communes filled by pole, pole borders thick, seats as stars.

    ``outlines``: pole id → polygon, as :func:`optimiser.results.geo.pole_geometries` gives them
    (computed when not given)."""
    from matplotlib.patches import Patch

    from .single import as_drawn, drawn_outlines

    # a one-commune pole is drawn as a commune on its own: hatched, no border, no star, not in the legend
    outlines = drawn_outlines(pole_geometries(territory, communes) if outlines is None else outlines, poles)
    communes, poles = as_drawn(communes, poles)
    projection = LocalProjection.around(territory.communes["lon"], territory.communes["lat"])
    colours = pole_colours(territory, communes)
    n = len(communes)
    show_all = labels == "all" or (labels == "auto" and n <= AUTO_LABEL_ALL)
    show_seats = labels in ("all", "seats", "auto")
    numbers = commune_numbers(territory) if numbered(labels, n) else {}

    fig, ax = _figure(n)
    fills = []
    for record in communes.itertuples():
        colour = colours.get(record.pole, ALONE_COLOUR) if not record.alone else ALONE_COLOUR
        fills.append(_patch(territory.geometry[record.insee_code], projection, facecolor=colour,
                            edgecolor="#7f7f7f", linewidth=0.4, hatch="//" if record.alone else None))
    _add_patches(ax, fills)
    _draw_outlines(ax, outlines, projection, 1.6)

    halo = _halo()
    position = _label_positions(territory, projection)
    small = 7 if n <= 40 else 6
    for record in communes.itertuples():
        x, y = position[record.insee_code]
        if record.is_seat:
            ax.plot(x, y, marker="*", markersize=13, color="black", markeredgecolor="white", zorder=5)
            if show_seats:
                ax.annotate(record.name, (x, y), xytext=(0, 7), textcoords="offset points", ha="center",
                            fontsize=small + 1.5, fontweight="bold", path_effects=halo, zorder=6)
        elif show_all:
            ax.annotate(wrap_name(record.name), (x, y), ha="center", va="center", fontsize=small, path_effects=halo,
                        zorder=4, linespacing=0.9)
        elif numbers:
            ax.annotate(str(numbers[record.insee_code]), (x, y), ha="center", va="center", fontsize=5.5, path_effects=halo, zorder=4)
    if numbers:
        _draw_key(ax, territory, numbers)

    handles = []
    for record in poles.itertuples():
        handles.append(Patch(facecolor=colours.get(record.pole, ALONE_COLOUR), edgecolor="#222222",
                             label=t("map.legend_pole", pole=record.pole, name=record.pole_name, n=record.n_communes,
                                     population=fmt.integer(record.population))))
    if communes["alone"].any():
        handles.append(Patch(facecolor=ALONE_COLOUR, hatch="//", edgecolor="#7f7f7f", label=t("map.legend_alone", n=int(communes["alone"].sum()))))
    ncol = 2 if len(handles) <= 24 else 3
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), fontsize=8, frameon=False, ncol=ncol,
              title=t("map.legend_title"), title_fontsize=9)
    _frame(ax, title)
    xmin, xmax = ax.get_xlim()
    ymin, _ = ax.get_ylim()
    bar = 10 if xmax - xmin > 40 else 5
    ax.plot([xmin + 2, xmin + 2 + bar], [ymin + 2, ymin + 2], color="black", linewidth=2)
    ax.annotate(f"{bar} km", (xmin + 2 + bar / 2, ymin + 2), xytext=(0, 4), textcoords="offset points", ha="center", fontsize=8)
    _save(fig, path)


def draw_savings_map(path: Path, territory: Territory, communes: pd.DataFrame, title: str,
                     outlines: dict | None = None) -> None:
    """Write ``savings.png``: each commune coloured by its yearly saving against the status quo,
    as a share of what it paid alone (green saves, red would pay more), labelled in € and %.
    ``outlines`` as for :func:`draw_map`."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import TwoSlopeNorm

    projection = LocalProjection.around(territory.communes["lon"], territory.communes["lat"])
    pct = communes.set_index("insee_code")["saving_pct"].fillna(0.0) * 100
    top = max(1.0, float(pct.abs().max()))
    norm = TwoSlopeNorm(vmin=-top, vcenter=0.0, vmax=top)
    cmap = colormaps["RdYlGn"]
    n = len(communes)
    fig, ax = _figure(n)
    _add_patches(ax, [_patch(territory.geometry[record.insee_code], projection, facecolor=cmap(norm(pct[record.insee_code])),
                             edgecolor="#7f7f7f", linewidth=0.4) for record in communes.itertuples()])
    _draw_outlines(ax, pole_geometries(territory, communes) if outlines is None else outlines, projection, 1.4)
    halo = _halo()
    position = _label_positions(territory, projection)
    numbers = commune_numbers(territory) if n > AUTO_LABEL_ALL else {}
    if numbers:  # a number on each commune, the names in a key beside the map
        for record in communes.itertuples():
            x, y = position[record.insee_code]
            ax.annotate(f"{numbers[record.insee_code]}\n{fmt.signed_percent(pct[record.insee_code] / 100)}", (x, y), ha="center",
                        va="center", fontsize=5, path_effects=halo, linespacing=0.9)
        _draw_key(ax, territory, numbers)
    else:
        for record in communes.itertuples():
            x, y = position[record.insee_code]
            sign = "+" if record.saving > 0 else ""
            share = fmt.signed_percent(pct[record.insee_code] / 100)
            label = f"{wrap_name(record.name)}\n{sign}{fmt.kilo_money(record.saving)} ({share})"
            ax.annotate(label, (x, y), ha="center", va="center", fontsize=6.5, path_effects=halo, linespacing=0.9)
    _frame(ax, title)
    mappable = ScalarMappable(norm=norm, cmap=cmap)
    bar = fig.colorbar(mappable, ax=ax, orientation="horizontal", fraction=0.04, pad=0.02)
    bar.set_label(t("map.savings_bar"))
    _save(fig, path)
