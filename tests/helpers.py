"""Test helpers: tiny synthetic territories and scenario files, and the command line in-process."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
import yaml
from shapely.geometry import box, mapping

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SCENARIOS = REPO / "scenarios"

#: Centre of the synthetic territories (near Laval), degrees.
LON0, LAT0 = -0.77, 48.07
KM_PER_DEG_LAT = 111.2
KM_PER_DEG_LON = 111.2 * np.cos(np.radians(LAT0))


def voronoi_features(n: int, seed: int, size_km: float = 20.0) -> list[dict]:
    """``n`` communes: Voronoi cells of random points in a square of ``size_km``, as GeoJSON
    features in lon/lat, with codes ``99001``... and random populations (100–6,000)."""
    rng = np.random.default_rng(seed)
    points = rng.uniform(0, size_km, size=(n, 2))
    cells = shapely.voronoi_polygons(shapely.MultiPoint(points), extend_to=box(-size_km, -size_km, 2 * size_km, 2 * size_km))
    frame = box(0, 0, size_km, size_km)
    by_point = {}
    for cell in cells.geoms:
        for k, p in enumerate(points):
            if cell.contains(shapely.Point(p)):
                by_point[k] = cell.intersection(frame)
    populations = rng.integers(100, 6000, size=n)

    def to_lonlat(coords):
        out = np.empty_like(coords)
        out[:, 0] = LON0 + coords[:, 0] / KM_PER_DEG_LON
        out[:, 1] = LAT0 + coords[:, 1] / KM_PER_DEG_LAT
        return out

    features = []
    for k in range(n):
        geometry = shapely.transform(by_point[k], to_lonlat)
        features.append({
            "type": "Feature",
            "properties": {"insee_code": f"99{k + 1:03d}", "name": f"Commune {k + 1}", "population": int(populations[k])},
            "geometry": mapping(geometry),
        })
    return features


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    return path


def write_scenario(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def tiny_territory(tmp_path: Path, n: int = 7, seed: int = 0) -> Path:
    return write_geojson(tmp_path / f"tiny-{n}-{seed}.geojson", voronoi_features(n, seed))


def grid_features(rows: int, cols: int, cell_km: float = 4.0, populations=None, seed: int = 0) -> list[dict]:
    """A ``rows × cols`` grid of square communes (rook adjacency), codes ``98001``... row by row."""
    rng = np.random.default_rng(seed)
    features = []
    for r in range(rows):
        for c in range(cols):
            k = r * cols + c
            x0, y0 = c * cell_km, r * cell_km
            square = np.array([[x0, y0], [x0 + cell_km, y0], [x0 + cell_km, y0 + cell_km], [x0, y0 + cell_km], [x0, y0]])
            lonlat = np.column_stack([LON0 + square[:, 0] / KM_PER_DEG_LON, LAT0 + square[:, 1] / KM_PER_DEG_LAT])
            population = int(populations[k]) if populations is not None else int(rng.integers(100, 6000))
            features.append({
                "type": "Feature",
                "properties": {"insee_code": f"98{k + 1:03d}", "name": f"Cell {r}-{c}", "population": population},
                "geometry": {"type": "Polygon", "coordinates": [lonlat.round(6).tolist()]},
            })
    return features


@dataclass(frozen=True)
class Done:
    """What a planner sees of one command: exit code and the two streams (as ``subprocess.run``)."""

    returncode: int
    stdout: str
    stderr: str


def run_cli(*args, cwd: Path | None = None) -> Done:
    """``optimiser ARGS`` run in this process by click's ``CliRunner``: the same group, guard,
    messages and exit codes as the installed command, without a Python start and the imports
    (2–3 s a call). Tests that need a real process (signals, closed pipes, ``--debug``
    tracebacks, a fresh import) start one themselves."""
    from click.testing import CliRunner

    from optimiser.cli import main

    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a test should see an unexpected error whole, not as exit 1
    return Done(result.exit_code, result.stdout, result.stderr)


def command_line(pid: int) -> str:
    """The command line of process ``pid`` (its arguments joined by spaces; empty once it is gone)."""
    try:
        with open(f"/proc/{pid}/cmdline") as handle:
            return handle.read().replace("\0", " ")
    except OSError:
        return ""


def ctrl_c_reaches_it() -> None:
    """``preexec_fn`` for a child a test sends SIGINT: its default action restored, as a terminal's
    child has it. A job started with ``cmd &`` from a non-interactive shell (a CI script, ``make
    test &``) inherits SIGINT *ignored*, Python then installs no KeyboardInterrupt handler, and a
    Ctrl-C test would wait for a child that never hears it."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def address_space_at_most(extra_bytes: int):
    """This process (and the children it starts) may map only ``extra_bytes`` more than now: a
    soft limit (``ulimit -S -v``), the one before restored after."""
    import resource

    with open("/proc/self/statm") as handle:
        now = int(handle.read().split()[0]) * resource.getpagesize()
    saved = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (now + extra_bytes, saved[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, saved)
