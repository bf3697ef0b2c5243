"""Figures for files, made without pyplot: no global state, no backend switch, so a notebook
that imports the engine keeps its own inline plots."""

from __future__ import annotations

import warnings

from matplotlib.figure import Figure

# A commune name with a character the map's font lacks (an emoji, a script) is drawn as a box;
# matplotlib's raw "Glyph ... missing from font(s)" warning on the terminal would only alarm.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font", category=UserWarning)


def new_figure(figsize: tuple[float, float]):
    """A figure and its one axes; ``fig.savefig`` writes it (Agg), nothing is shown."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()
