"""``save_tight`` writes the very PNG of ``savefig(bbox_inches="tight")``, haloed labels included."""

from __future__ import annotations

import matplotlib.patheffects as path_effects
import pytest
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.patches import Patch, Polygon

from optimiser.results.figures import new_figure, save_tight


def _map_like_figure():
    """A figure with what the maps hold: filled polygons, haloed labels spilling out of the axes,
    a legend below, a colour bar, a title and a foot note."""
    fig, ax = new_figure((6, 5))
    halo = [path_effects.withStroke(linewidth=2.5, foreground="white")]
    for k in range(4):
        ax.add_patch(Polygon([(k, 0), (k + 1, 0), (k + 0.5, 1.5)], facecolor=f"C{k}", edgecolor="#7f7f7f"))
        ax.annotate(f"Saint-Commune-{k}\n+12 k€ (3 %)", (k + 0.5, 0.5), ha="center", fontsize=7, path_effects=halo)
    ax.annotate("a name far beyond the right edge", (4.2, 1.4), fontsize=9, fontweight="bold", path_effects=halo)
    ax.legend(handles=[Patch(facecolor="C0", label="P1 pole")], loc="upper center", bbox_to_anchor=(0.5, 0.0))
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title("A title", loc="left")
    fig.colorbar(ScalarMappable(norm=Normalize(-5, 5), cmap=colormaps["RdYlGn"]), ax=ax, orientation="horizontal")
    fig.text(0.01, 0.01, "attribution", fontsize=6)
    return fig


@pytest.mark.slow  # a reference comparison (two renderings at 150 dpi, ~0.7 CPU-s): make test, not the edit loop
def test_save_tight_is_byte_for_byte_the_tight_savefig(tmp_path):
    _map_like_figure().savefig(tmp_path / "tight.png", dpi=150, bbox_inches="tight")
    save_tight(_map_like_figure(), tmp_path / "fast.png", dpi=150)
    assert (tmp_path / "fast.png").read_bytes() == (tmp_path / "tight.png").read_bytes()


def test_save_tight_gives_the_halos_back(tmp_path):
    fig = _map_like_figure()
    haloed = [(artist, artist.get_path_effects()) for artist in fig.findobj() if artist.get_path_effects()]
    save_tight(fig, tmp_path / "fast.png", dpi=150)
    assert len(haloed) == 5 and all(artist.get_path_effects() is effects for artist, effects in haloed)


def test_map_patches_give_the_limits_add_patch_gives():
    """The map adds its polygons with one data-limit update (``maps._add_patches``): the limits
    must be exactly those of one ``add_patch`` per polygon, holes and multipolygons included."""
    import numpy as np
    from shapely.geometry import MultiPolygon
    from shapely.geometry import Polygon as ShapelyPolygon

    from optimiser.results.maps import _add_patches, _patch
    from optimiser.territory.geo import LocalProjection

    rng = np.random.default_rng(3)
    shapes = []
    for k in range(12):
        centre = rng.uniform([-0.8, 47.9], [-0.6, 48.1])
        ring = centre + 0.02 * np.c_[np.cos(np.linspace(0, 6.2, 9)), np.sin(np.linspace(0, 6.2, 9))] * rng.uniform(0.5, 1.5, (9, 1))
        hole = centre + 0.004 * np.c_[np.cos(np.linspace(0, 6.2, 5)), np.sin(np.linspace(0, 6.2, 5))]
        polygon = ShapelyPolygon(ring, [hole])
        shapes.append(MultiPolygon([polygon, ShapelyPolygon(ring + 0.05)]) if k % 3 == 0 else polygon)
    projection = LocalProjection.around(np.array([-0.7]), np.array([48.0]))
    one_by_one = new_figure((4, 4))[1]
    for shape in shapes:
        one_by_one.add_patch(_patch(shape, projection, facecolor="C0"))
    at_once = new_figure((4, 4))[1]
    _add_patches(at_once, [_patch(shape, projection, facecolor="C0") for shape in shapes])
    assert np.array_equal(at_once.dataLim.get_points(), one_by_one.dataLim.get_points())
    assert np.array_equal(at_once.dataLim.minpos, one_by_one.dataLim.minpos)
    assert len(at_once.patches) == len(one_by_one.patches) == len(shapes)
