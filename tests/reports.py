"""Results to render in the HTML report tests: solved for real on tiny territories."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from helpers import voronoi_features, write_geojson

from optimiser.api import solve
from optimiser.results.result import Result
from optimiser.scenario.load import scenario_from_dict

#: Names a report must show exactly as written: apostrophes, accents, quotes, markup, ampersands.
TRICKY_NAMES = [
    "L'Huisserie",
    "Châlons-du-Maine",
    'Le "Bourg" & <b>Cie</b>',
    "</script><script>document.title='pwned'</script>",
    "Saint-Germain-le-Fouilloux",
    "Évron",
    "Nuillé-sur-Vicoin",
]


def tiny_result(tmp_path: Path, names: list[str] | None = None, n: int = 7, seed: int = 3, **poles) -> Result:
    """A solved 2-pole design of ``n`` Voronoi communes (names optional)."""
    features = voronoi_features(n, seed)
    for feature, name in zip(features, names or []):
        feature["properties"]["name"] = name
    territory = write_geojson(tmp_path / "tiny.geojson", features)
    data = {"name": "tiny", "description": "Two poles on a tiny territory.",
            "territory": {"communes": str(territory), "name": "Tiny & <Co>"},
            "poles": {"count": {"min": 2, "max": 2}, "max_travel_min": 45, **poles},
            "solver": {"time_limit_s": 30}}
    result = solve(scenario_from_dict(data, base_dir=tmp_path))
    assert result.status == "optimal", result.summary["messages"]
    return result


def add_costs(result: Result, seed: int = 0) -> Result:
    """The per-commune and summary cost fields the service-sharing model will add, fabricated."""
    rng = np.random.default_rng(seed)
    communes = result.communes.copy()
    n = len(communes)
    standalone = rng.integers(20_000, 200_000, size=n).astype(float)
    share = standalone * rng.uniform(0.7, 1.05, size=n)
    communes["services_pooled"] = ["voirie; espaces_verts" if k % 2 else "voirie" for k in range(n)]
    communes["standalone_cost"] = standalone
    communes["share"] = share
    communes["saving"] = standalone - share
    result.communes = communes
    result.summary = {**result.summary, "total_cost": float(share.sum()), "savings": float((standalone - share).sum())}
    return result
