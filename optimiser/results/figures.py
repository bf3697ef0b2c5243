"""Figures for files, made without pyplot: no global state, no backend switch, so a notebook
that imports the engine keeps its own inline plots."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# A commune name with a character the map's font lacks (an emoji, a script) is drawn as a box;
# matplotlib's raw "Glyph ... missing from font(s)" warning on the terminal would only alarm.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font", category=UserWarning)


def new_figure(figsize: tuple[float, float]):
    """A figure and its one axes; ``fig.savefig`` writes it (Agg), nothing is shown. matplotlib is
    imported here, on the first figure: a run that draws none does not load it."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize)
    return fig, fig.subplots()


def save_tight(fig: Figure, path, dpi: float) -> None:
    """``fig.savefig(path, dpi=dpi, bbox_inches="tight")``, the same bytes at a fraction of the cost.

    A tight save draws the figure twice: once with drawing switched off, to place every artist
    and measure the bounding box of all of them, then for real. In the first pass, matplotlib
    still turns every haloed label (a text with path effects) into glyph outlines to stroke them
    — for nothing, as nothing is drawn, and a map's labels all carry a halo. Here the first pass
    runs with the path effects set aside; they do not change any artist's extent (a text's
    window extent is its layout box), so the box is the very one matplotlib measures, padded by
    :rc:`savefig.pad_inches` as it does, and handed to ``savefig`` as an explicit box (which
    then draws once). ``tests/test_maps.py`` checks the PNG is byte for byte the tight save's."""
    from matplotlib import rcParams
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    haloed = [(artist, artist.get_path_effects()) for artist in fig.findobj() if artist.get_path_effects()]
    canvas = FigureCanvasAgg(fig)
    previous_dpi = fig.dpi
    fig.dpi = dpi
    try:
        for artist, _ in haloed:
            artist.set_path_effects([])
        renderer = canvas.get_renderer()
        with renderer._draw_disabled():
            fig.draw(renderer)
        for artist, effects in haloed:
            artist.set_path_effects(effects)
        haloed = []
        pad = rcParams["savefig.pad_inches"]
        box = fig.get_tightbbox(renderer).padded(pad, pad)
    finally:
        for artist, effects in haloed:
            artist.set_path_effects(effects)
        fig.dpi = previous_dpi
    fig.savefig(path, dpi=dpi, bbox_inches=box)
