"""Figures for files, made without pyplot: no global state, no backend switch, so a notebook
that imports the engine keeps its own inline plots."""

from __future__ import annotations

from matplotlib.figure import Figure


def new_figure(figsize: tuple[float, float]):
    """A figure and its one axes; ``fig.savefig`` writes it (Agg), nothing is shown."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots()
