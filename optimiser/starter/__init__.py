"""``optimiser init``: a territory file and a starter scenario for any selection of French communes.

:func:`init_folder` writes, atomically (all of it or nothing):

* ``territory.geojson`` — the selected communes (properties insee_code, name, population, ...);
* ``scenario.yaml``     — a starter scenario whose every default is explained in a comment
  (pole count and size from the territory's size and population, a travel limit for which a
  design is known to exist, links for detached pieces);
* ``init.json``         — what was selected, from which data, when (and the mark of an init
  folder: only such a folder, or an empty one, may be replaced).

Before anything appears, the scenario is loaded and prepared exactly as ``optimiser run`` will
(schema, communes, road graph, pre-solve checks), so a folder that exists is a folder that runs.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from pathlib import Path

from .._version import __version__
from ..errors import InputError, OptimiserError, Problem
from ..results.folder import check_target, write_atomically
from ..territory.france import NationalData, Selection, national_data
from ..territory.geojson import file_sha256, load_geojson_territory
from ..territory.roads import Link, adjacency_road_graph, travel_matrix
from .defaults import StarterRules, starter_rules
from .links import PieceLink, link_pieces
from .scenario_file import CIRCUITY, SCENARIO_FILE, SPEED_KMH, TERRITORY_FILE, render_scenario

#: The file that marks a folder as written by ``optimiser init``.
MARKER = "init.json"
#: What such a folder is called when ``--out`` names another one.
KIND = "a folder written by optimiser init"


@dataclass(frozen=True)
class InitSummary:
    """What :func:`init_folder` wrote."""

    folder: Path
    selection: Selection
    n_communes: int
    population: int
    links: list[PieceLink]
    rules: StarterRules

    @property
    def scenario(self) -> Path:
        return self.folder / SCENARIO_FILE


def init_folder(selection: Selection, out: str | Path, national: NationalData | None = None) -> InitSummary:
    """Write the init folder for ``selection`` into ``out`` (see module docstring)."""
    national = national or national_data()
    target = Path(out).absolute()
    check_target(target, MARKER, KIND)  # write_atomically checks again; here a bad --out is named before an empty selection
    if not selection.codes:
        raise InputError([Problem(None, selection.kind, "none of the selected communes has a polygon", selection.name)])
    filled = []
    write_atomically(target, lambda tmp: filled.append(_fill(tmp, selection, national)), marker=MARKER, kind=KIND)
    summary = filled[0]
    return InitSummary(target, selection, summary[0], summary[1], summary[2], summary[3])


def _fill(folder: Path, selection: Selection, national: NationalData):
    territory_path = national.write_geojson(selection, folder / TERRITORY_FILE)
    # Read back the file `optimiser run` will read: same polygons, same neighbours, same points.
    territory = load_geojson_territory(territory_path, name=selection.name)
    links = link_pieces(territory, national, CIRCUITY, SPEED_KMH)
    road = adjacency_road_graph(territory, CIRCUITY, SPEED_KMH,
                                tuple(Link(x.a, x.b, x.km, x.time_min) for x in links))
    matrix = travel_matrix(road, None)
    alone = [c for x in links if x.may_stay_alone for c in x.piece]  # ferry-linked: may keep their services
    must_join = [c for c in territory.codes if c not in alone]
    population = {c: int(p) for c, p in territory.communes["population"].items()}
    rules = starter_rules(must_join, population, road, matrix)
    left_out = [(c, national.communes.at[c, "name"], int(national.communes.at[c, "population"])) for c in selection.left_out]
    (folder / SCENARIO_FILE).write_text(render_scenario(selection, territory, links, rules, alone, left_out),
                                        encoding="utf-8")
    _check_runs(folder / SCENARIO_FILE)
    (folder / MARKER).write_text(json.dumps(_provenance(selection, territory, national), indent=2, ensure_ascii=False),
                                 encoding="utf-8")
    return len(territory), int(territory.communes["population"].sum()), links, rules


def _check_runs(scenario: Path) -> None:
    """Load and prepare the scenario as ``optimiser run`` does; a finding here is a bug of init."""
    from ..inputs.preparation import prepare
    from ..model.candidates import candidate_pairs
    from ..model.diagnose import presolve_findings
    from ..scenario.load import load_scenario

    try:
        inputs = prepare(load_scenario(scenario))
    except OptimiserError as exc:
        raise RuntimeError(f"the starter scenario does not load: {exc}") from exc
    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    findings = presolve_findings(inputs.territory, inputs.matrix, inputs.rules, pairs)
    if findings:
        raise RuntimeError("the starter scenario fails its pre-solve checks: " + "; ".join(findings))


def _provenance(selection: Selection, territory, national: NationalData) -> dict:
    names = ("communes.csv.gz", "adjacency.csv.gz", "polygons.npz")
    data_files = {name: file_sha256(national.folder / name) for name in names}
    return {
        "written_by": f"optimiser {__version__} init",
        "created_utc": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "selection": {"kind": selection.kind, "key": selection.key, "name": selection.name},
        "command": _command(selection),
        "communes": len(territory),
        "population": int(territory.communes["population"].sum()),
        "left_out_without_polygon": list(selection.left_out),
        "national_data_sha256": data_files,
    }


def _command(selection: Selection) -> str:
    """The ``optimiser init`` selector that reproduces this folder (with the same national data)."""
    if selection.kind == "communes":
        codes = ",".join(list(selection.codes) + list(selection.left_out))
        return f"optimiser init --communes {codes} --name {json.dumps(selection.name, ensure_ascii=False)}"
    return f"optimiser init --{selection.kind} {selection.key}"
