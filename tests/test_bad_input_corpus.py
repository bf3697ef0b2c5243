"""A corpus of bad inputs and faults, run against every command of the CLI.

Each case builds something wrong in a fresh workspace (a scenario, a territory, a road network,
an inventory, a result or sweep folder, a command-line option), runs one command in-process and
checks the three promises of the README:

* the exit code is the documented one — 2 bad input, 3 no design, 4 a violation found by
  ``verify``, 130 interrupted, 0 where the input is odd but legal — and never 1;
* no traceback and no "This is a bug": the planner reads what is wrong in words;
* nothing of the planner's is deleted or altered: every file of the workspace (the scenario, the
  territory, the inventory, an earlier result folder, a folder of their own) has the same bytes
  afterwards, and a command that fails leaves no new file or folder behind.

The workspace holds a 7-commune territory (``territory.geojson``, codes 99001-99007, communes
"Commune 1".."Commune 7"), a pole scenario ``s.yaml``, a service scenario ``svc.yaml`` with a CSV
inventory folder, the result folders of both (``result/``, ``svc-result/``, solved once per
session), a planner's folder ``mine/`` and file ``notes.txt``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import voronoi_features, write_geojson
from shared import locked, session_root
from workspace import FileDigests, Workspace
from workspace import snapshot as snapshot_of

from optimiser.cli import main

#: What a case may exit with when nothing else is said: bad input.
INPUT = (2,)


@dataclass(frozen=True)
class Case:
    id: str
    build: Callable[[Path], list]
    codes: tuple[int, ...] = INPUT
    says: tuple[str, ...] = ()  # substrings the output must hold (the file, key, value named)
    slow: bool = False
    replaces: str | None = None  # a folder of ours the command may replace (a previous result)
    records: str | None = None  # a folder a failing command may write: a sweep's index of its failures


CASES: list[Case] = []


def case(id: str, codes: tuple[int, ...] = INPUT, says: str | tuple[str, ...] = (), slow: bool = False,
         replaces: str | None = None, records: str | None = None):
    """Register ``build(ws) -> argv`` as a corpus case."""

    def register(build):
        CASES.append(Case(id, build, codes, (says,) if isinstance(says, str) else says, slow, replaces, records))
        return build

    return register


def cases(prefix: str, table: dict, **kwargs):
    """Register one case per entry of ``table`` (id suffix → build function)."""
    for suffix, build in table.items():
        case(f"{prefix}/{suffix}", **kwargs)(build)


# ------------------------------------------------------------------------------------ workspace

BASE = "name: tiny\nterritory: {communes: territory.geojson}\npoles: {count: {max: 3}}\n"
SVC = ("name: tinysvc\nterritory: {communes: territory.geojson}\npoles: {count: {max: 3}}\n"
       "services: {include: [voirie, eclairage], inventory: inventory}\n")
SERVICES_CSV = ("insee_code,commune,service,workload,fte,mode,contract_eur\n"
                "99001,Commune 1,voirie,12,1,regie,\n99002,,eclairage,,,delegation,15000\n")
EQUIPMENT_CSV = "insee_code,commune,equipment,units,age_years\n99001,Commune 1,backhoe_loader,1,7\n"


def features(n: int = 7, seed: int = 0) -> list[dict]:
    return json.loads(json.dumps(voronoi_features(n, seed)))  # plain lists, as a file holds them


def run_cli(args, cwd: Path) -> tuple[int, str]:
    """Exit code and all output (stdout and stderr) of ``optimiser *args`` run in ``cwd``."""
    here = os.getcwd()
    os.chdir(cwd)
    try:
        done = CliRunner().invoke(main, [str(a) for a in args])
    finally:
        os.chdir(here)
    text = done.output
    if done.exception is not None and not isinstance(done.exception, SystemExit):
        import traceback

        text += "\nTraceback (uncaught in-process):\n" + "".join(traceback.format_exception(done.exception))
    return done.exit_code, text


@pytest.fixture(scope="module", autouse=True)
def bounded_memory():
    """A case that reads without bound fails with MemoryError here instead of exhausting the
    machine: the address space may grow by at most 3 GB during the corpus (this module only: the
    worker's later tests, a browser among them, run without the cap)."""
    try:
        import resource

        with open("/proc/self/statm") as handle:  # Linux: the process's size now, in pages
            pages = int(handle.read().split()[0])
    except (ImportError, OSError):  # not on this platform
        yield
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = pages * os.sysconf("SC_PAGE_SIZE") + 3_000_000_000
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    yield
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.fixture(scope="session")
def template(tmp_path_factory) -> Path:
    """The workspace every case starts from (read only: each case works in a copy restored to
    it); built and its result folders solved once per test run, by the first pytest-xdist worker
    that needs it (about 5 CPU-s; the others wait for it, as for :func:`shared.solved`)."""
    root = session_root(tmp_path_factory)
    ws = root / "corpus-template"
    complete = root / "corpus-template.complete"
    with locked(root / "corpus-template.lock"):
        if not complete.exists():
            shutil.rmtree(ws, ignore_errors=True)  # a worker that died half-way
            ws.mkdir()
            _build_template(ws)
            complete.touch()
    return ws


def _build_template(ws: Path) -> None:
    write_geojson(ws / "territory.geojson", features())
    (ws / "s.yaml").write_text(BASE, encoding="utf-8")
    (ws / "svc.yaml").write_text(SVC, encoding="utf-8")
    (ws / "inventory").mkdir()
    (ws / "inventory" / "services.csv").write_text(SERVICES_CSV, encoding="utf-8")
    (ws / "inventory" / "equipment.csv").write_text(EQUIPMENT_CSV, encoding="utf-8")
    for scenario, out in (("s.yaml", "result"), ("svc.yaml", "svc-result")):
        code, text = run_cli(["run", scenario, "--out", out, "--quiet"], ws)
        assert code == 0, text
    (ws / "mine").mkdir()
    (ws / "mine" / "thesis.md").write_text("my own work\n", encoding="utf-8")
    (ws / "notes.txt").write_text("a planner's notes\n", encoding="utf-8")


#: SHA-256 of the files the cases see, read again only when a file's stat changed (workspace.py).
DIGESTS = FileDigests()


@pytest.fixture(scope="session")
def workspace(template, tmp_path_factory) -> Workspace:
    """This process's working copy of the template, restored in place before each case (a fresh
    copy of its ~70 files for every case cost more than most commands under test)."""
    return Workspace(template, tmp_path_factory.mktemp("corpus") / "ws", DIGESTS)


@pytest.fixture
def ws(workspace) -> Path:
    """The workspace, holding exactly the template's files."""
    return workspace.fresh()


def snapshot(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every regular file (``dir`` for a folder, the target for a link,
    size and time for a sparse giant): see :func:`workspace.snapshot`."""
    return snapshot_of(root, DIGESTS)


# ------------------------------------------------------------------------------------ helpers for cases


def scenario(ws: Path, text: str, name: str = "bad.yaml") -> Path:
    path = ws / name
    path.write_text(text, encoding="utf-8")
    return path


def validate_text(text: str, *extra):
    """A case: ``optimiser validate`` of a scenario made of ``text``."""
    return lambda ws: ["validate", scenario(ws, text), *extra]


def run_text(text: str, *extra):
    """A case: ``optimiser run`` of a scenario made of ``text``, into a new folder."""
    return lambda ws: ["run", scenario(ws, text), "--out", ws / "new-out", "--quiet", *extra]


def with_base(extra: str) -> str:
    return BASE + extra


def territory_case(data, raw: bytes | None = None, command: str = "validate"):
    """A case: a scenario whose territory file holds ``data`` (JSON) or ``raw`` bytes."""

    def build(ws):
        path = ws / "bad.geojson"
        if raw is not None:
            path.write_bytes(raw)
        else:
            path.write_text(json.dumps(data() if callable(data) else data, allow_nan=True), encoding="utf-8")
        s = scenario(ws, "name: t\nterritory: {communes: bad.geojson}\n")
        return [command, s] + (["--out", ws / "new-out", "--quiet"] if command == "run" else [])

    return build


def collection(feats) -> dict:
    return {"type": "FeatureCollection", "features": feats}


def feature_edit(edit: Callable[[list[dict]], None]):
    """The 7 communes with ``edit`` applied to their features."""

    def make():
        feats = features()
        edit(feats)
        return collection(feats)

    return make


def set_prop(k: int, key: str, value):
    def edit(feats):
        feats[k]["properties"][key] = value
    return edit


def del_prop(k: int, key: str):
    def edit(feats):
        del feats[k]["properties"][key]
    return edit


def ring(*points) -> Callable[[list[dict]], None]:
    """An edit giving the first commune a Polygon of this one ring."""
    return set_geometry(0, {"type": "Polygon", "coordinates": [[list(p) for p in points]]})


def set_geometry(k: int, geometry):
    def edit(feats):
        feats[k]["geometry"] = geometry
    return edit


def svc_case(services: str | bytes | None = None, equipment: str | bytes | None = None, command: str = "validate",
             inventory: str = "inventory", extra: str = ""):
    """A case: the service scenario with its CSV inventory replaced by these contents."""

    def build(ws):
        folder = ws / "inventory"
        for name, content in (("services.csv", services), ("equipment.csv", equipment)):
            if content is None:
                continue
            (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        s = scenario(ws, SVC.replace("inventory: inventory", f"inventory: {inventory}") + extra)
        return [command, s] + (["--out", ws / "new-out", "--quiet"] if command == "run" else [])

    return build


def workbook_case(make: Callable[[Path], None], command: str = "validate"):
    """A case: the service scenario reading ``inventory.xlsx`` built by ``make(path)``."""

    def build(ws):
        make(ws / "inventory.xlsx")
        s = scenario(ws, SVC.replace("inventory: inventory", "inventory: inventory.xlsx"))
        return [command, s] + (["--out", ws / "new-out", "--quiet"] if command == "run" else [])

    return build


def openpyxl_book(sheets: dict[str, list[list]]):
    def make(path: Path):
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(row)
        book.save(path)
    return make


SERVICE_HEADER = ["insee_code", "commune", "service", "workload", "fte", "mode", "contract_eur"]
EQUIPMENT_HEADER = ["insee_code", "commune", "equipment", "units", "age_years"]


def book_with(service_rows=(), equipment_rows=(), **more):
    return openpyxl_book({"services": [SERVICE_HEADER, *service_rows], "equipment": [EQUIPMENT_HEADER, *equipment_rows],
                          **more})


def network_case(make_features, extra_network: str = "", command: str = "validate"):
    """A case: a scenario with a road network file of ``make_features()``."""

    def build(ws):
        data = make_features() if callable(make_features) else make_features
        (ws / "roads.geojson").write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
        s = scenario(ws, BASE + f"roads: {{network: {{path: roads.geojson{extra_network}}}}}\n")
        return [command, s] + (["--out", ws / "new-out", "--quiet"] if command == "run" else [])

    return build


def centroids() -> list[tuple[float, float]]:
    import shapely.geometry

    return [shapely.geometry.shape(f["geometry"]).centroid.coords[0] for f in features()]


def road_lines(props: Callable[[int], dict] | dict = None, geometry: Callable[[tuple, tuple], dict] | None = None) -> dict:
    """Straight roads between every pair of commune centroids."""
    points = centroids()
    feats = []
    k = 0
    for i in range(len(points)):
        for j in range(i + 1, len(points)):
            a, b = points[i], points[j]
            geom = geometry(a, b) if geometry else {"type": "LineString", "coordinates": [list(a), list(b)]}
            p = props(k) if callable(props) else dict(props or {})
            feats.append({"type": "Feature", "properties": p, "geometry": geom})
            k += 1
    return collection(feats)


# ===================================================================================== scenario file

cases("scenario-file", {
    "empty": validate_text(""),
    "only-comments": validate_text("# nothing here\n"),
    "a-list": validate_text("- name: x\n"),
    "a-scalar": validate_text("just words\n"),
    "a-number": validate_text("42\n"),
    "null": validate_text("null\n"),
    "latin-1": lambda ws: ["validate", _bytes(ws, "bad.yaml", "name: caf\xe9\nterritory: {communes: territory.geojson}\n".encode("latin-1"))],
    "utf-16": lambda ws: ["validate", _bytes(ws, "bad.yaml", BASE.encode("utf-16"))],
    "random-bytes": lambda ws: ["validate", _bytes(ws, "bad.yaml", bytes(range(256)) * 8)],
    "a-png": lambda ws: ["validate", _bytes(ws, "bad.yaml", (ws / "result" / "map.png").read_bytes())],
    "unclosed-bracket": validate_text("name: x\nterritory: {communes: territory.geojson\n"),
    "tab-indent": validate_text("name: x\nterritory:\n\tcommunes: territory.geojson\n"),
    "duplicate-key": validate_text(BASE + "name: again\n"),
    "alias-bomb": validate_text("a: &a [x,x,x,x,x,x,x,x,x]\n" + "\n".join(
        f"{b}: &{b} [" + ",".join([f"*{a}"] * 9) + "]" for a, b in zip("abcdefgh", "bcdefghi")) + "\nname: x\n"),
    "extends-passwd": validate_text(BASE + "extends: /etc/passwd\n"),
    "extends-itself": validate_text(BASE + "extends: bad.yaml\n"),
    "extends-missing": validate_text(BASE + "extends: nowhere.yaml\n"),
    "extends-geojson": validate_text(BASE + "extends: territory.geojson\n"),
    "unknown-key": validate_text(BASE + "pols: {count: 3}\n"),
    "unknown-nested-key": validate_text(BASE.replace("count: {max: 3}", "cuont: 3")),
}, says="bad.yaml")


case("scenario-file/missing", says="nowhere.yaml")(lambda ws: ["validate", ws / "nowhere.yaml"])
case("scenario-file/a-folder", says="mine")(lambda ws: ["validate", ws / "mine"])
case("scenario-file/geojson-as-scenario", says="territory.geojson")(lambda ws: ["validate", ws / "territory.geojson"])


def _bytes(ws: Path, name: str, data: bytes) -> Path:
    path = ws / name
    path.write_bytes(data)
    return path


# legal oddities: accepted (exit 0)
cases("scenario-legal", {
    "utf8-bom": lambda ws: ["validate", _bytes(ws, "bom.yaml", b"\xef\xbb\xbf" + BASE.encode())],
    "cr-only": lambda ws: ["validate", _bytes(ws, "cr.yaml", BASE.replace("\n", "\r").encode())],
    "crlf": lambda ws: ["validate", _bytes(ws, "crlf.yaml", BASE.replace("\n", "\r\n").encode())],
    "unicode-name": validate_text(BASE.replace("name: tiny", "name: \"Réseau 東京 🚜 d'Orée\"")),
    "merge-key": validate_text(BASE.replace("poles: {count: {max: 3}}",
                                            "poles:\n  communes: &s {min: 1, max: 5}\n  count:\n    <<: *s\n    max: 3")),
}, codes=(0,))

# ===================================================================================== scenario values

WRONG_VALUES = {
    "name-list": "name: [a, b]\nterritory: {communes: territory.geojson}\n",
    "name-empty": "name: ''\nterritory: {communes: territory.geojson}\n",
    "name-null": "name: null\nterritory: {communes: territory.geojson}\n",
    "territory-missing": "name: x\n",
    "territory-string": "name: x\nterritory: territory.geojson\n",
    "communes-number": "name: x\nterritory: {communes: 5}\n",
    "communes-empty-string": "name: x\nterritory: {communes: ''}\n",
    "communes-missing-file": "name: x\nterritory: {communes: nowhere.geojson}\n",
    "communes-is-a-folder": "name: x\nterritory: {communes: mine}\n",
    "communes-is-the-scenario": "name: x\nterritory: {communes: bad.yaml}\n",
    "communes-is-a-png": "name: x\nterritory: {communes: result/map.png}\n",
    "include-empty": with_base("").replace("communes: territory.geojson", "communes: territory.geojson, include: []"),
    "include-unknown": with_base("").replace("communes: territory.geojson", "communes: territory.geojson, include: [Atlantis]"),
    "exclude-all": with_base("").replace("communes: territory.geojson", "communes: territory.geojson, exclude: ["
                                         + ", ".join(f"Commune {k}" for k in range(1, 8)) + "]"),
    "border-negative": with_base("").replace("communes: territory.geojson", "communes: territory.geojson, min_shared_border_m: -1"),
    "count-text": with_base("").replace("{max: 3}", "three"),
    "count-negative": with_base("").replace("{max: 3}", "-1"),
    "count-huge": with_base("").replace("{max: 3}", "1e308"),
    "count-inf": with_base("").replace("{max: 3}", ".inf"),
    "count-nan": with_base("").replace("{max: 3}", ".nan"),
    "count-true": with_base("").replace("{max: 3}", "true"),
    "count-list": with_base("").replace("{max: 3}", "[1, 2]"),
    "count-fraction": with_base("").replace("{max: 3}", "2.5"),
    "count-min-above-max": with_base("").replace("{max: 3}", "{min: 5, max: 2}"),
    "count-above-communes": with_base("").replace("{max: 3}", "{min: 50}"),
    "count-big-int": with_base("").replace("{max: 3}", "1" + "0" * 400),
    "travel-zero": with_base("").replace("poles: {count: {max: 3}}", "poles: {max_travel_min: 0}"),
    "travel-negative": with_base("").replace("poles: {count: {max: 3}}", "poles: {max_travel_min: -5}"),
    "travel-with-unit": with_base("").replace("poles: {count: {max: 3}}", "poles: {max_travel_min: 30 min}"),
    "travel-nan": with_base("").replace("poles: {count: {max: 3}}", "poles: {max_travel_min: .nan}"),
    "travel-date": with_base("").replace("poles: {count: {max: 3}}", "poles: {max_travel_min: 2024-01-01}"),
    "population-inverted": with_base("").replace("count: {max: 3}", "population: {min: 1e6, max: 10}"),
    "population-string": with_base("").replace("count: {max: 3}", "population: {min: lots}"),
    "fixed-seat-unknown": with_base("").replace("count: {max: 3}", "fixed_seats: [Atlantis]"),
    "fixed-seat-number": with_base("").replace("count: {max: 3}", "fixed_seats: [3]"),
    "fixed-seat-bool": with_base("").replace("count: {max: 3}", "fixed_seats: [yes]"),
    "fixed-and-forbidden": with_base("").replace("count: {max: 3}", "fixed_seats: [Commune 1], forbidden_seats: [Commune 1]"),
    "fixed-seat-invalid-insee": with_base("").replace("count: {max: 3}", "fixed_seats: ['9A0Z1']"),
    "together-flat": with_base("").replace("count: {max: 3}", "together: [Commune 1, Commune 2]"),
    "together-and-apart": with_base("").replace("count: {max: 3}", "together: [[Commune 1, Commune 2]], apart: [[Commune 1, Commune 2]]"),
    "apart-same": with_base("").replace("count: {max: 3}", "apart: [[Commune 1, Commune 1]]"),
    "apart-three": with_base("").replace("count: {max: 3}", "apart: [[Commune 1, Commune 2, Commune 3]]"),
    "allow-alone-word": with_base("").replace("count: {max: 3}", "allow_alone: everyone"),
    "max-alone-negative": with_base("").replace("count: {max: 3}", "max_alone: -1"),
    "mode-garbage": BASE + "mode: kmeans\n",
    "contiguity-garbage": BASE + "contiguity: rook\n",
    "contiguity-list": BASE + "contiguity: [exact]\n",
    "solver-unknown": BASE + "solver: {name: gurobi}\n",
    "solver-time-zero": BASE + "solver: {time_limit_s: 0}\n",
    "solver-time-inf": BASE + "solver: {time_limit_s: .inf}\n",
    "solver-threads-zero": BASE + "solver: {threads: 0}\n",
    "solver-gap-above-1": BASE + "solver: {gap: 1.5}\n",
    "solver-log-word": BASE + "solver: {log: maybe}\n",
    "roads-speed-zero": BASE + "roads: {speed_kmh: 0}\n",
    "roads-circuity-huge": BASE + "roads: {circuity: 1e308}\n",
    "extra-link-unknown": BASE + "roads: {extra_links: [{between: [Commune 1, Atlantis]}]}\n",
    "extra-link-one-end": BASE + "roads: {extra_links: [{between: [Commune 1]}]}\n",
    "extra-link-same": BASE + "roads: {extra_links: [{between: [Commune 1, Commune 1]}]}\n",
    "extra-link-km-negative": BASE + "roads: {extra_links: [{between: [Commune 1, Commune 2], km: -3}]}\n",
    "extra-link-not-list": BASE + "roads: {extra_links: {between: [Commune 1, Commune 2]}}\n",
    "network-missing": BASE + "roads: {network: {path: nowhere.geojson}}\n",
    "network-unit": BASE + "roads: {network: {path: territory.geojson, length_unit: miles}}\n",
    "sc-empty-members": BASE + "service_commun: {members: []}\n",
    "sc-unknown-member": BASE + "service_commun: {members: [Atlantis]}\n",
    "sc-seat-not-member": BASE + "service_commun: {members: [Commune 1, Commune 2], seat: Commune 5}\n",
    "sc-workload-negative": BASE + "service_commun: {members: [Commune 1], epci_workload: {voirie: -4}}\n",
    "sc-workload-nan": BASE + "service_commun: {members: [Commune 1], epci_workload: {voirie: .nan}}\n",
    "sc-unknown-service": BASE + "service_commun: {members: [Commune 1], services: [cantine]}\n",
    "services-unknown": BASE + "services: {include: [cantine]}\n",
    "services-empty-list": BASE + "services: {include: []}\n",
    "services-inventory-missing": BASE + "services: {inventory: nowhere.xlsx}\n",
    "services-inventory-a-yaml": BASE + "services: {inventory: s.yaml}\n",
    "services-inventory-a-file-csv": BASE + "services: {inventory: inventory/services.csv}\n",
    "services-inventory-unrelated-folder": BASE + "services: {inventory: mine}\n",
    "services-productivity-zero": BASE + "services: {overrides: {voirie: {productivity: 0}}}\n",
    "services-staff-nan": BASE + "services: {staff_eur: {technicien: .nan}}\n",
    "services-staff-negative": BASE + "services: {staff_eur: {technicien: -40000}}\n",
    "services-staff-unknown-grade": BASE + "services: {staff_eur: {directeur: 90000}}\n",
    "services-equipment-days-inf": BASE + "services: {overrides: {voirie: {equipment_days: {backhoe_loader: .inf}}}}\n",
    "services-machine-unknown": BASE + "services: {equipment: {bulldozer: {purchase_eur: 1}}}\n",
    "pooling-mode-garbage": BASE + "services: {}\npooling: {mode: outsourced}\n",
    "pooling-force-no-pool": BASE + "services: {}\npooling: {force: [{communes: all}]}\n",
    "pooling-joint-saving-one": BASE + "services: {}\npooling: {joint_saving_pct: 1}\n",
    "pooling-without-services": BASE + "pooling: {mode: regie}\n",
    "fairness-key": BASE + "services: {}\nfairness: {key: equal}\n",
    "fairness-samples-zero": BASE + "services: {}\nfairness: {shapley_samples: 0}\n",
    "budget-negative": BASE + "services: {}\nbudget: {max_total_eur: -1}\n",
    "budget-pct-above-1": BASE + "services: {}\nbudget: {min_savings_pct: 5}\n",
    "objective-garbage": BASE + "objective: {minimise: happiness}\n",
    "objective-cost-without-services": BASE + "objective: {minimise: cost}\n",
    "outputs-labels": BASE + "outputs: {labels: some}\n",
    "outputs-map-word": BASE + "outputs: {map: sometimes}\n",
    "outputs-dir-number": BASE + "outputs: {dir: 5}\n",
    "description-list": BASE + "description: [a, b]\n",
    "variants-not-mapping": BASE + "variants: [a, b]\n",
    "variants-unknown-override": BASE + "variants: {v1: [nope]}\n",
    "overrides-unknown-key": BASE + "overrides: {o: {poles.cuont: 3}}\nvariants: {v: [o]}\n",
    "sweep-empty-list": BASE + "sweep: {grid: {poles.max_travel_min: []}}\n",
    "sweep-unknown-key": BASE + "sweep: {grid: {poles.cuont: [1, 2]}}\n",
    "sweep-zip-lengths": BASE + "sweep: {zip: {poles.max_travel_min: [20, 30], solver.gap: [0.1]}}\n",
    "sweep-bad-value": BASE + "sweep: {grid: {poles.max_travel_min: [20, -1]}}\n",
    "sweep-kind": BASE + "sweep: {product: {poles.max_travel_min: [20]}}\n",
}
for _id, _text in WRONG_VALUES.items():
    case(f"scenario-value/{_id}", codes=(2, 3) if _id == "count-above-communes" else (2,))(validate_text(_text))

# the same families through run: the failure happens before anything is written
for _id in ("count-inf", "travel-nan", "sc-workload-nan", "services-staff-nan", "communes-is-a-folder",
            "services-inventory-unrelated-folder", "count-above-communes", "budget-negative"):
    case(f"run-value/{_id}", codes=(2, 3))(run_text(WRONG_VALUES[_id]))

case("run-value/services-on-empty-communes", codes=(0, 2, 3))(
    lambda ws: (territory_case(*TERRITORY["all-populations-zero"])(ws),
                ["run", scenario(ws, "name: t\nterritory: {communes: bad.geojson}\nservices: {include: [voirie]}\n"),
                 "--out", ws / "new-out", "--quiet"])[-1])

# infeasible, but valid: exit 3 with a reason
cases("infeasible", {
    "population-min-too-high": validate_text(with_base("").replace("count: {max: 3}", "population: {min: 90000000}")),
    "travel-tiny-no-alone": run_text(with_base("").replace("count: {max: 3}", "max_travel_min: 0.01, count: {min: 1, max: 1}")),
    "count-exact-too-many": run_text(with_base("").replace("count: {max: 3}", "count: 7, communes: {min: 2}")),
    "budget-impossible": run_text(SVC + "budget: {max_total_eur: 1}\n"),
}, codes=(2, 3))

# ===================================================================================== --set and --variant

SET_GARBAGE = {
    "no-equals": "poles.count",
    "empty-key": "=5",
    "empty-value-count": "poles.count=",
    "double-dot": "poles..count=3",
    "unknown": "pols.count=3",
    "unclosed": "poles.fixed_seats=[Commune 1",
    "yaml-bomb": "description=[&a [x,x,x,x,x,x,x,x,x], " + ", ".join(
        f"&{b} [" + ",".join([f"*{a}"] * 9) + "]" for a, b in zip("abcdefg", "bcdefgh")) + "]",
    "inf": "poles.max_travel_min=.inf",
    "nan": "solver.time_limit_s=nan",
    "list-index": "poles.fixed_seats.0=Commune 1",
    "into-a-number": "poles.max_travel_min.x=3",
    "whole-block": "poles=3",
    "name-to-null": "name=null",
    "territory-null": "territory=null",
    "nul-char": "name=a\x00b",
    "huge": "description=" + "x" * 5_000_000,
}
for _id, _value in SET_GARBAGE.items():
    case(f"set/{_id}")(lambda ws, v=_value: ["validate", ws / "s.yaml", "--set", v])
case("set/run-inf")(lambda ws: ["run", ws / "s.yaml", "--set", "poles.count=.inf", "--out", ws / "new-out"])
case("set/run-into-result")(lambda ws: ["run", ws / "s.yaml", "--set", "poles.count=abc", "--out", ws / "result"])
case("variant/unknown")(lambda ws: ["run", scenario(ws, BASE + "variants: {v1: {poles.count: 2}}\n"), "--variant", "v2",
                                    "--out", ws / "new-out"])
case("variant/without-variants")(lambda ws: ["run", ws / "s.yaml", "--variant", "v1", "--out", ws / "new-out"])

# ===================================================================================== territory GeoJSON

TERRITORY = {  # id → (JSON data or a function making it, raw bytes)
    "empty-file": (None, b""),
    "whitespace": (None, b"   \n\n"),
    "binary": (None, bytes(range(256)) * 16),
    "utf-16": (None, json.dumps(collection(features())).encode("utf-16")),
    "latin-1": (None, json.dumps(collection(features()), ensure_ascii=False).replace("Commune 1", "Épinay").encode("latin-1")),
    "truncated": (None, json.dumps(collection(features())).encode()[:500]),
    "empty-object": ({}, None),
    "a-list": ([], None),
    "null": (None, b"null"),
    "a-number": (None, b"42"),
    "a-feature": (lambda: features()[0], None),
    "a-geometry": (lambda: features()[0]["geometry"], None),
    "no-features": ({"type": "FeatureCollection"}, None),
    "features-empty": (collection([]), None),
    "features-object": ({"type": "FeatureCollection", "features": {}}, None),
    "features-string": ({"type": "FeatureCollection", "features": "abc"}, None),
    "feature-null": (feature_edit(lambda f: f.__setitem__(0, None)), None),
    "feature-string": (feature_edit(lambda f: f.__setitem__(0, "commune")), None),
    "feature-list": (feature_edit(lambda f: f.__setitem__(0, [1, 2])), None),
    "properties-null": (feature_edit(lambda f: f[0].__setitem__("properties", None)), None),
    "properties-list": (feature_edit(lambda f: f[0].__setitem__("properties", ["a"])), None),
    "properties-missing": (feature_edit(lambda f: f[0].pop("properties")), None),
    "no-insee": (feature_edit(del_prop(0, "insee_code")), None),
    "no-name": (feature_edit(del_prop(0, "name")), None),
    "no-population": (feature_edit(del_prop(0, "population")), None),
    "insee-empty": (feature_edit(set_prop(0, "insee_code", "")), None),
    "insee-zero": (feature_edit(set_prop(0, "insee_code", 0)), None),
    "insee-fraction": (feature_edit(set_prop(0, "insee_code", 530.5)), None),
    "insee-true": (feature_edit(set_prop(0, "insee_code", True)), None),
    "insee-six-digits": (feature_edit(set_prop(0, "insee_code", "530130")), None),
    "insee-with-space": (feature_edit(set_prop(0, "insee_code", "53 13")), None),
    "insee-punctuation": (feature_edit(set_prop(0, "insee_code", "53-13")), None),
    "insee-list": (feature_edit(set_prop(0, "insee_code", ["99001"])), None),
    "insee-duplicate": (feature_edit(set_prop(1, "insee_code", "99001")), None),
    "insee-duplicate-as-int": (feature_edit(set_prop(1, "insee_code", 99001)), None),
    "commune-duplicated": (feature_edit(lambda f: f.append(json.loads(json.dumps(f[0])))), None),
    "name-empty": (feature_edit(set_prop(0, "name", "  ")), None),
    "name-number": (feature_edit(set_prop(0, "name", 12)), None),
    "name-null": (feature_edit(set_prop(0, "name", None)), None),
    "population-negative": (feature_edit(set_prop(0, "population", -10)), None),
    "population-string": (feature_edit(set_prop(0, "population", "1000")), None),
    "population-fraction": (feature_edit(set_prop(0, "population", 10.5)), None),
    "population-true": (feature_edit(set_prop(0, "population", True)), None),
    "population-nan": (feature_edit(set_prop(0, "population", float("nan"))), None),
    "population-inf": (feature_edit(set_prop(0, "population", float("inf"))), None),
    "population-absurd": (feature_edit(set_prop(0, "population", 10 ** 30)), None),
    "population-null": (feature_edit(set_prop(0, "population", None)), None),
    "geometry-missing": (feature_edit(lambda f: f[0].pop("geometry")), None),
    "geometry-null": (feature_edit(set_geometry(0, None)), None),
    "geometry-point": (feature_edit(set_geometry(0, {"type": "Point", "coordinates": [-0.77, 48.07]})), None),
    "geometry-line": (feature_edit(set_geometry(0, {"type": "LineString", "coordinates": [[-0.77, 48.07], [-0.7, 48.1]]})), None),
    "geometry-collection": (feature_edit(set_geometry(0, {"type": "GeometryCollection", "geometries": []})), None),
    "geometry-empty-coordinates": (feature_edit(set_geometry(0, {"type": "Polygon", "coordinates": []})), None),
    "geometry-empty-ring": (feature_edit(set_geometry(0, {"type": "Polygon", "coordinates": [[]]})), None),
    "geometry-two-points": (feature_edit(ring((-0.77, 48.07), (-0.7, 48.1))), None),
    "geometry-text-coordinates": (feature_edit(set_geometry(0, {"type": "Polygon", "coordinates": "abc"})), None),
    "geometry-string-numbers": (feature_edit(ring(("-0.77", "48.07"), ("-0.7", "48.1"), ("-0.7", "48.0"), ("-0.77", "48.07"))), None),
    "geometry-no-coordinates": (feature_edit(set_geometry(0, {"type": "Polygon"})), None),
    "geometry-3d-ragged": (feature_edit(ring((-0.77, 48.07, 1), (-0.7, 48.1), (-0.7, 48.0, 3, 4), (-0.77, 48.07))), None),
    "geometry-multipolygon-empty": (feature_edit(set_geometry(0, {"type": "MultiPolygon", "coordinates": []})), None),
    "geometry-multipolygon-garbage": (feature_edit(set_geometry(0, {"type": "MultiPolygon", "coordinates": [[[1]]]})), None),
    "geometry-nan": (feature_edit(lambda f: f[0]["geometry"]["coordinates"][0][1].__setitem__(0, float("nan"))), None),
    "geometry-inf": (feature_edit(lambda f: f[0]["geometry"]["coordinates"][0][1].__setitem__(0, float("inf"))), None),
    "geometry-projected": (feature_edit(ring((400000, 6780000), (401000, 6780000), (401000, 6781000), (400000, 6780000))), None),
    "geometry-huge": (feature_edit(ring((1e308, 1e308), (-1e308, 1e308), (0, -1e308), (1e308, 1e308))), None),
    "geometry-zero-area": (feature_edit(ring((-0.77, 48.07), (-0.77, 48.07), (-0.77, 48.07), (-0.77, 48.07))), None),
    "all-populations-zero": (feature_edit(lambda f: [p["properties"].__setitem__("population", 0) for p in f]), None),
    "one-commune": (lambda: collection(features()[:1]), None),
    "two-islands": (lambda: collection([features(1)[0], _shifted(features(1)[0], 5.0)]), None),
    "same-polygon-twice": (feature_edit(lambda f: f[1].__setitem__("geometry", f[0]["geometry"])), None),
    "geometry-self-intersecting": (feature_edit(ring((-0.77, 48.07), (-0.70, 48.12), (-0.70, 48.07), (-0.77, 48.12), (-0.77, 48.07))), None),
    "deep-nesting": (None, b"[" * 200_000 + b"]" * 200_000),
    "nan-literal-population": (None, json.dumps(collection(features())).replace('"population": ', '"population": NaN, "x": ', 1).encode()),
}
#: Odd but legal territories, or ones whose problem is the road graph (a message without the file).
TERRITORY_LEGAL = ("all-populations-zero", "one-commune", "same-polygon-twice", "geometry-string-numbers")
TERRITORY_GRAPH = ("two-islands", "geometry-self-intersecting", "geometry-zero-area", "geometry-nan", "geometry-inf")
for _id, (_data, _raw) in TERRITORY.items():
    case(f"territory/{_id}", codes=(0, 2, 3) if _id in TERRITORY_LEGAL else (2, 3),
         says=() if _id in TERRITORY_LEGAL + TERRITORY_GRAPH else "bad.geojson")(territory_case(_data, _raw))
# odd but legal, or caught later: the whole run, which may solve (0), refuse (2) or find no design (3)
for _id in ("geometry-nan", "population-absurd", "all-populations-zero", "one-commune", "geometry-self-intersecting",
            "geometry-zero-area", "same-polygon-twice", "two-islands", "insee-duplicate-as-int"):
    case(f"territory-run/{_id}", codes=(0, 2, 3))(territory_case(*TERRITORY[_id], command="run"))


def _renamed(names: dict[int, str]):
    def edit(feats):
        for k, name in names.items():
            feats[k]["properties"]["name"] = name
    return edit


# names as planners' files hold them: accents, emoji, right-to-left scripts, very long, duplicated
cases("territory-names", {
    "unicode-run": territory_case(feature_edit(_renamed({0: "Saint-Étienne-🚜", 1: "القرية", 2: "Ωmega\u200b", 3: "é" * 500})),
                                  command="run"),
    "duplicate-names-validate": territory_case(feature_edit(_renamed({1: "Commune 1"}))),
    "duplicate-name-referenced": lambda ws: (territory_case(feature_edit(_renamed({1: "Commune 1"})))(ws),
                                             ["validate", scenario(ws, "name: t\nterritory: {communes: bad.geojson}\n"
                                                                       "poles: {fixed_seats: [Commune 1]}\n")])[-1],
    "name-is-another-code": territory_case(feature_edit(_renamed({1: "99001"}))),
}, codes=(0, 2, 3))


def _loop(ws: Path, name: str) -> Path:
    path = ws / name
    os.symlink(path, path)
    return path


cases("symlinks", {
    "scenario-loop": lambda ws: ["validate", _loop(ws, "loop.yaml")],
    "extends-loop": lambda ws: (_loop(ws, "loop.yaml"), ["validate", scenario(ws, BASE + "extends: loop.yaml\n")])[-1],
    "territory-loop": lambda ws: (_loop(ws, "loop.geojson"), ["validate", scenario(ws, "name: t\nterritory: {communes: loop.geojson}\n")])[-1],
    "territory-dangling": lambda ws: (os.symlink(ws / "gone.geojson", ws / "dangling.geojson"),
                                      ["validate", scenario(ws, "name: t\nterritory: {communes: dangling.geojson}\n")])[-1],
    "inventory-loop": lambda ws: (_loop(ws, "loop.xlsx"), ["validate", scenario(ws, SVC.replace("inventory: inventory", "inventory: loop.xlsx"))])[-1],
    "out-loop": lambda ws: (_loop(ws, "loop-out"), ["run", ws / "s.yaml", "--out", ws / "loop-out"])[-1],
    "verify-loop": lambda ws: (_loop(ws, "loop-result"), ["verify", ws / "loop-result"])[-1],
})


def _shifted(feature: dict, degrees: float) -> dict:
    import shapely
    from shapely.geometry import mapping, shape

    moved = json.loads(json.dumps(feature))
    moved["geometry"] = mapping(shapely.transform(shape(feature["geometry"]), lambda xy: xy + [degrees, 0]))
    moved["properties"]["insee_code"] = "99100"
    moved["properties"]["name"] = "Island"
    return moved


# ===================================================================================== road network

NETWORK = {
    "empty-features": (collection([]), ""),
    "points": (lambda: collection([{"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": list(p)}}
                                   for p in centroids()]), ""),
    "no-geometry": (lambda: road_lines(geometry=lambda a, b: None), ""),
    "polygons": (lambda: road_lines(geometry=lambda a, b: {"type": "Polygon", "coordinates": [[list(a), list(b), [a[0], b[1]], list(a)]]}), ""),
    "length-zero": (lambda: road_lines({"length": 0}), ""),
    "length-negative": (lambda: road_lines({"length": -500}), ""),
    "length-text": (lambda: road_lines({"length": "long"}), ""),
    "length-nan": (lambda: road_lines({"length": float("nan")}), ""),
    "length-inf": (lambda: road_lines({"length": float("inf")}), ""),
    "length-absurd": (lambda: road_lines({"length": 1e300}), ""),
    "length-null": (lambda: road_lines({"length": None}), ""),
    "speed-zero": (lambda: road_lines({"speed": 0}), ""),
    "speed-negative": (lambda: road_lines({"speed": -50}), ""),
    "speed-text": (lambda: road_lines({"speed": "fast"}), ""),
    "time-negative": (lambda: road_lines({"time": -3}), ", time_property: time"),
    "time-zero": (lambda: road_lines({"time": 0}), ", time_property: time"),
    "time-missing-property": (lambda: road_lines({}), ", time_property: minutes"),
    "length-property-missing": (lambda: road_lines({}), ", length_property: metres"),
    "far-away": (lambda: road_lines(geometry=lambda a, b: {"type": "LineString", "coordinates": [[a[0] + 40, a[1]], [b[0] + 40, b[1]]]}), ""),
    "degenerate-lines": (lambda: road_lines(geometry=lambda a, b: {"type": "LineString", "coordinates": [list(a), list(a)]}), ""),
    "one-vertex-line": (lambda: road_lines(geometry=lambda a, b: {"type": "LineString", "coordinates": [list(a)]}), ""),
    "nan-coordinates": (lambda: road_lines(geometry=lambda a, b: {"type": "LineString", "coordinates": [[float("nan"), a[1]], list(b)]}), ""),
    "not-a-collection": ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, ""),
    "the-territory": (lambda: collection(features()), ""),
}
for _id, (_make, _extra) in NETWORK.items():
    case(f"network/{_id}", codes=(0, 2, 3))(network_case(_make, _extra))
for _id in ("length-zero", "length-negative", "speed-zero", "time-zero", "degenerate-lines", "length-absurd"):
    case(f"network-run/{_id}", codes=(0, 2, 3))(network_case(*NETWORK[_id], command="run"))

# ===================================================================================== inventory: CSV folder

HEAD = "insee_code,commune,service,workload,fte,mode,contract_eur\n"
EHEAD = "insee_code,commune,equipment,units,age_years\n"
INVENTORY_CSV = {
    "services-empty-file": ("", None),
    "services-binary": (bytes(range(256)) * 4, None),
    "services-latin-1": ((HEAD + "99001,Épinay,voirie,12,1,regie,\n").encode("latin-1"), None),
    "services-utf-16": ((HEAD + "99001,,voirie,12,1,regie,\n").encode("utf-16"), None),
    "services-semicolons": (HEAD.replace(",", ";") + "99001;;voirie;12;1;regie;\n", None),
    "services-header-only-garbage": ("a,b,c\n1,2,3\n", None),
    "services-no-commune-columns": ("service,workload\nvoirie,12\n", None),
    "services-unknown-commune": (HEAD + "99999,,voirie,12,1,regie,\n", None),
    "services-invalid-insee": (HEAD + "ABC,,voirie,12,1,regie,\n", None),
    "services-name-not-its-code": (HEAD + "99001,Commune 5,voirie,12,1,regie,\n", None),
    "services-unknown-service": (HEAD + "99001,,cantine,12,1,regie,\n", None),
    "services-mode-garbage": (HEAD + "99001,,voirie,12,1,outsourced,\n", None),
    "services-workload-text": (HEAD + "99001,,voirie,beaucoup,1,regie,\n", None),
    "services-workload-date": (HEAD + "99001,,voirie,2024-01-01,1,regie,\n", None),
    "services-workload-negative": (HEAD + "99001,,voirie,-12,1,regie,\n", None),
    "services-workload-nan": (HEAD + "99001,,voirie,nan,1,regie,\n", None),
    "services-workload-inf": (HEAD + "99001,,voirie,inf,1,regie,\n", None),
    "services-workload-absurd": (HEAD + "99001,,voirie,1e300,1,regie,\n", None),
    "services-fte-absurd": (HEAD + "99001,,voirie,12,1e12,regie,\n", None),
    "services-contract-absurd": (HEAD + "99001,,voirie,12,,delegation,1e300\n", None),
    "services-duplicated-row": (HEAD + "99001,,voirie,12,1,regie,\n99001,,voirie,12,1,regie,\n", None),
    "services-ragged-row": (HEAD + "99001,,voirie,12,1,regie,,,,,extra\n", None),
    "services-quote-unclosed": (HEAD + '99001,"Commune 1,voirie,12,1,regie,\n', None),
    "equipment-unknown-type": (None, EHEAD + "99001,,bulldozer,1,3\n"),
    "equipment-units-fraction": (None, EHEAD + "99001,,backhoe_loader,1.5,3\n"),
    "equipment-units-negative": (None, EHEAD + "99001,,backhoe_loader,-1,3\n"),
    "equipment-units-absurd": (None, EHEAD + "99001,,backhoe_loader,1e15,3\n"),
    "equipment-age-text": (None, EHEAD + "99001,,backhoe_loader,1,old\n"),
    "equipment-duplicated-row": (None, EHEAD + "99001,,backhoe_loader,1,3\n99001,,backhoe_loader,1,3\n"),
    "equipment-unknown-commune": (None, EHEAD + "Atlantis,,backhoe_loader,1,3\n"),
}
for _id, (_services, _equipment) in INVENTORY_CSV.items():
    case(f"inventory-csv/{_id}", says="inventory")(svc_case(_services, _equipment))
for _id in ("services-workload-absurd", "services-fte-absurd", "services-contract-absurd", "equipment-units-absurd"):
    case(f"inventory-run/{_id}", codes=(2, 3))(svc_case(*INVENTORY_CSV[_id], command="run"))
case("inventory-csv/services-nul-bytes")(svc_case(HEAD.encode() + b"99001,\x00,voirie,1\x002,1,regie,\n"))
case("inventory-csv/services-tabs")(svc_case(HEAD.replace(",", "\t") + "99001\t\tvoirie\t12\t1\tregie\t\n"))
case("inventory-csv/bom-is-fine", codes=(0,))(svc_case(b"\xef\xbb\xbf" + SERVICES_CSV.encode()))
case("inventory-csv/crlf-is-fine", codes=(0,))(svc_case(SERVICES_CSV.replace("\n", "\r\n")))
case("inventory-csv/empty-folder")(lambda ws: (shutil.rmtree(ws / "inventory"), (ws / "inventory").mkdir(),
                                               svc_case()(ws))[-1])
case("inventory-csv/services-is-a-folder")(lambda ws: ((ws / "inventory" / "services.csv").unlink(),
                                                       (ws / "inventory" / "services.csv").mkdir(), svc_case()(ws))[-1])
case("inventory-csv/huge-unrelated-file-in-folder", codes=(0, 2), slow=True)(
    lambda ws: (_sparse(ws / "inventory" / "backup.bin", 40_000_000_000), svc_case(command="run")(ws))[-1])
case("inventory-csv/huge-unrelated-file-sweep", codes=(0, 2), slow=True)(
    lambda ws: (_sparse(ws / "inventory" / "backup.bin", 40_000_000_000),
                ["sweep", scenario(ws, SVC + "sweep: {grid: {poles.max_travel_min: [30]}}\n"), "--out", ws / "sweep-out", "--quiet"])[-1])


def _sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


# ===================================================================================== inventory: workbook

def _text_file(path: Path):
    path.write_text("this is not a workbook\n", encoding="utf-8")


def _empty_file(path: Path):
    path.write_bytes(b"")


def _zip_of(members: dict[str, bytes]):
    def make(path: Path):
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members.items():
                z.writestr(name, data)
    return make


def _zip_bomb(path: Path, unzipped: int = 300_000_000):
    """A workbook whose sheet inflates to ``unzipped`` bytes of spaces (about 1.3 MB on disk):
    past the 256 MB a workbook may unzip to, so refused by its declared size, never inflated.
    (The sheet is deflated, at level 1: a stored one, as this once wrote by mistake, made a
    file of the full size, refused by the 64 MB file bound before its zip was looked at.)"""
    book_with([["99001", "", "voirie", "12", "1", "regie", ""]])(path)
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = next(n for n in members if n.startswith("xl/worksheets/sheet"))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in members.items():
            if name != sheet:
                z.writestr(name, data)
        with z.open(sheet, "w", force_zip64=True) as out:  # a name: the archive's compression
            head, tail = members[sheet].split(b"<sheetData>", 1)
            out.write(head + b"<sheetData>")
            block = b" " * (1 << 20)
            for _ in range(unzipped >> 20):
                out.write(block)
            out.write(tail)


def _formula_book(path: Path):
    from openpyxl import Workbook

    book = Workbook()
    services = book.active
    services.title = "services"
    services.append(SERVICE_HEADER)
    services.append(["99001", "", "voirie", "=2*6", "1", "regie", None])
    equipment = book.create_sheet("equipment")
    equipment.append(EQUIPMENT_HEADER)
    book.save(path)


def _date_book(path: Path):
    import datetime

    book_with([["99001", "", "voirie", datetime.datetime(2024, 1, 1), "1", "regie", None]])(path)


WORKBOOK = {
    "a-text-file": _text_file,
    "empty-file": _empty_file,
    "zip-of-garbage": _zip_of({"hello.txt": b"hi"}),
    "zip-empty": _zip_of({}),
    "xml-garbage": _zip_of({"[Content_Types].xml": b"<not xml", "xl/workbook.xml": b"\x00\x01"}),
    "missing-sheets": openpyxl_book({"Feuil1": [["a", "b"], [1, 2]]}),
    "missing-equipment-sheet": openpyxl_book({"services": [SERVICE_HEADER]}),
    "sheets-misspelt": openpyxl_book({"service": [SERVICE_HEADER], "equipement": [EQUIPMENT_HEADER]}),
    "wrong-columns": openpyxl_book({"services": [["code", "what", "how much"], ["99001", "voirie", 3]],
                                                                            "equipment": [EQUIPMENT_HEADER]}),
    "no-header": openpyxl_book({"services": [], "equipment": []}),
    "numbers-as-codes": book_with([[99001, None, "voirie", 12, 1, "regie", None]]),
    "text-in-numbers": book_with([["99001", None, "voirie", "twelve", 1, "regie", None]]),
    "date-in-numbers": _date_book,
    "bool-in-numbers": book_with([["99001", None, "voirie", True, 1, "regie", None]]),
    "negative": book_with([["99001", None, "voirie", -12, 1, "regie", None]]),
    "absurd": book_with([["99001", None, "voirie", 1e300, 1, "regie", None]]),
    "unknown-commune": book_with([["12345", None, "voirie", 12, 1, "regie", None]]),
    "formula-without-cache": _formula_book,
    "duplicated-equipment": book_with((), [["99001", None, "backhoe_loader", 1, 2], ["99001", None, "backhoe_loader", 1, 2]]),
    "unknown-extra-sheet": book_with(Extra=[["x"], [1]]),
    "zip-bomb": _zip_bomb,
    "title-rows-above-header": openpyxl_book({"services": [["Inventaire 2024"], [], SERVICE_HEADER], "equipment": [EQUIPMENT_HEADER]}),
    "encrypted-like": lambda path: path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000),
    "many-members": _zip_of({f"junk/{k}.xml": b"" for k in range(12_000)}),
}
for _id, _make in WORKBOOK.items():
    case(f"inventory-xlsx/{_id}", codes=(2,) if _id not in ("numbers-as-codes", "unknown-extra-sheet") else (0, 2),
         slow=_id == "zip-bomb", says="unzips to" if _id == "zip-bomb" else ())(workbook_case(_make))
case("inventory-xlsx/xlsm-text")(lambda ws: (_text_file(ws / "inv.xlsm"),
                                              ["validate", scenario(ws, SVC.replace("inventory: inventory", "inventory: inv.xlsm"))])[-1])
case("inventory-xlsx/xls-old-format")(lambda ws: (_bytes(ws, "inv.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 600),
                                                  ["validate", scenario(ws, SVC.replace("inventory: inventory", "inventory: inv.xls"))])[-1])
case("inventory-xlsx/ods")(lambda ws: (_bytes(ws, "inv.ods", b"PK\x03\x04"),
                                       ["validate", scenario(ws, SVC.replace("inventory: inventory", "inventory: inv.ods"))])[-1])

# ===================================================================================== --out at odd places

OUT = {
    "root": lambda ws: ["run", ws / "s.yaml", "--out", "/"],
    "the-workspace": lambda ws: ["run", ws / "s.yaml", "--out", ws],
    "a-users-folder": lambda ws: ["run", ws / "s.yaml", "--out", ws / "mine"],
    "a-file": lambda ws: ["run", ws / "s.yaml", "--out", ws / "notes.txt"],
    "the-scenario": lambda ws: ["run", ws / "s.yaml", "--out", ws / "s.yaml"],
    "under-a-file": lambda ws: ["run", ws / "s.yaml", "--out", ws / "notes.txt" / "out"],
    "empty-string": lambda ws: ["run", ws / "s.yaml", "--out", ""],
    "dot": lambda ws: ["run", ws / "s.yaml", "--out", "."],
    "dotdot": lambda ws: ["run", ws / "s.yaml", "--out", ".."],
    "symlink-to-users-folder": lambda ws: (os.symlink(ws / "mine", ws / "link"), ["run", ws / "s.yaml", "--out", ws / "link"])[-1],
    "the-inventory-folder": lambda ws: ["run", ws / "svc.yaml", "--out", ws / "inventory"],
    "inside-the-result-inputs": lambda ws: ["run", ws / "s.yaml", "--out", ws / "result" / "inputs"],
    "users-folder-with-a-summary": lambda ws: ((ws / "mine" / "summary.json").write_text('{"my": "data"}'),
                                               ["run", ws / "s.yaml", "--out", ws / "mine"])[-1],
    "name-too-long": lambda ws: ["run", ws / "s.yaml", "--out", ws / ("x" * 300)],
    "outputs-dir-users-folder": lambda ws: ["run", scenario(ws, BASE + "outputs: {dir: mine}\n")],
    "outputs-dir-root": lambda ws: ["run", scenario(ws, BASE + "outputs: {dir: /}\n")],
    "outputs-dir-file": lambda ws: ["run", scenario(ws, BASE + "outputs: {dir: notes.txt}\n")],
    "default-folder-is-a-file": lambda ws: ((ws / "results").write_text("not a folder"), ["run", ws / "s.yaml"])[-1],
    "default-folder-users": lambda ws: ((ws / "results" / "tiny").mkdir(parents=True),
                                        (ws / "results" / "tiny" / "keep.txt").write_text("mine"), ["run", ws / "s.yaml"])[-1],
}
cases("out", OUT)
cases("out-legal", {
    "name-with-slashes": lambda ws: ["run", scenario(ws, BASE.replace("name: tiny", "name: ../../escape/..")), "--quiet"],
    "name-very-long": lambda ws: ["run", scenario(ws, BASE.replace("name: tiny", "name: " + "x" * 400)), "--quiet"],
    "name-only-symbols": lambda ws: ["run", scenario(ws, BASE.replace("name: tiny", "name: '///'")), "--quiet"],
}, codes=(0, 2))
case("out-legal/replace-own-result", codes=(0,), replaces="result")(
    lambda ws: ["run", ws / "s.yaml", "--out", ws / "result", "--quiet"])

# ===================================================================================== verify

def tamper(folder: str, edit: Callable[[Path], None], command: str = "verify"):
    """A case: ``optimiser verify`` (or compare) of a copy of a result folder with ``edit`` applied."""

    def build(ws):
        copy = ws / f"{folder}-tampered"
        shutil.copytree(ws / folder, copy)
        edit(copy)
        return [command, copy]

    return build


def write(name: str, content: str | bytes):
    def edit(folder: Path):
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return edit


def remove(name: str):
    def edit(folder: Path):
        path = folder / name
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    return edit


def summary_edit(change: Callable[[dict], None]):
    def edit(folder: Path):
        data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        change(data)
        (folder / "summary.json").write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
    return edit


def truncate(name: str, keep: float = 0.5):
    def edit(folder: Path):
        data = (folder / name).read_bytes()
        (folder / name).write_bytes(data[: int(len(data) * keep)])
    return edit


ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "\n".join(
    f"{b}: &{b} [" + ",".join([f"*{a}"] * 9) + "]" for a, b in zip("abcdefgh", "bcdefghi")) + "\n"

TAMPER = {
    "summary-missing": ("result", remove("summary.json")),
    "summary-truncated": ("result", truncate("summary.json")),
    "summary-empty": ("result", write("summary.json", "")),
    "summary-a-list": ("result", write("summary.json", "[]")),
    "summary-null": ("result", write("summary.json", "null")),
    "summary-binary": ("result", write("summary.json", bytes(range(256)))),
    "summary-a-folder": ("result", lambda f: ((f / "summary.json").unlink(), (f / "summary.json").mkdir())),
    "summary-deep": ("result", write("summary.json", "[" * 100_000 + "]" * 100_000)),
    "summary-huge": ("result", lambda f: _sparse(f / "summary.json", 3_000_000_000)),
    "status-word": ("result", summary_edit(lambda d: d.__setitem__("status", "splendid"))),
    "status-number": ("result", summary_edit(lambda d: d.__setitem__("status", 3))),
    "objective-text": ("result", summary_edit(lambda d: d.__setitem__("objective", "low"))),
    "objective-nan": ("result", summary_edit(lambda d: d.__setitem__("objective", float("nan")))),
    "objective-infinity": ("result", summary_edit(lambda d: d.__setitem__("objective", float("inf")))),
    "keys-removed": ("result", summary_edit(lambda d: [d.pop(k) for k in list(d) if k not in ("status",)])),
    "n-poles-text": ("result", summary_edit(lambda d: d.__setitem__("n_poles", "three"))),
    "communes-missing": ("result", remove("communes.csv")),
    "communes-empty": ("result", write("communes.csv", "")),
    "communes-garbage": ("result", write("communes.csv", "a,b\n1,2\n")),
    "communes-binary": ("result", write("communes.csv", bytes(range(256)) * 4)),
    "communes-truncated": ("result", truncate("communes.csv")),
    "poles-missing": ("result", remove("poles.csv")),
    "poles-garbage": ("result", write("poles.csv", "pole\n\"unclosed\n")),
    "geojson-garbage": ("result", write("poles.geojson", "{")),
    "resolved-missing": ("result", remove("scenario.resolved.yaml")),
    "resolved-alias-bomb": ("result", write("scenario.resolved.yaml", ALIAS_BOMB)),
    "resolved-garbage": ("result", write("scenario.resolved.yaml", "{[: \x00")),
    "resolved-a-list": ("result", write("scenario.resolved.yaml", "- 1\n- 2\n")),
    "inputs-missing": ("result", remove("inputs")),
    "inputs-territory-garbage": ("result", write("inputs/tiny-7-0.geojson", "{")),
    "services-missing": ("svc-result", remove("services.csv")),
    "services-garbage": ("svc-result", write("services.csv", "x\n1\n")),
    "shares-missing": ("svc-result", remove("shares.csv")),
    "equipment-binary": ("svc-result", write("equipment.csv", bytes(range(256)))),
    "parameters-empty": ("svc-result", write("parameters.csv", "")),
    "svc-summary-truncated": ("svc-result", truncate("summary.json")),
    "svc-total-cost-text": ("svc-result", summary_edit(lambda d: d.__setitem__("total_cost", "cheap"))),
}
#: Tamperings verify may accept: files it does not read back.
VERIFY_MAY_PASS = ("inputs-missing", "inputs-territory-garbage")
for _id, (_folder, _edit) in TAMPER.items():
    case(f"verify/{_id}", codes=(0, 2, 4) if _id in VERIFY_MAY_PASS else (2, 4))(tamper(_folder, _edit))
cases("verify-args", {
    "empty-folder": lambda ws: (os.mkdir(ws / "empty"), ["verify", ws / "empty"])[-1],
    "users-folder": lambda ws: ["verify", ws / "mine"],
    "a-file": lambda ws: ["verify", ws / "notes.txt"],
    "missing": lambda ws: ["verify", ws / "nowhere"],
    "the-workspace": lambda ws: ["verify", ws],
    "no-argument": lambda ws: ["verify"],
    "sweep-folder": lambda ws: (_tiny_sweep_folder(ws), ["verify", ws / "sweep-done"])[-1],
}, codes=(2, 4))


def _tiny_sweep_folder(ws: Path) -> Path:
    """A sweep folder of one variant, copied from the result folder (no solve)."""
    folder = ws / "sweep-done"
    folder.mkdir()
    shutil.copytree(ws / "result", folder / "base")
    (folder / "sweep.json").write_text(json.dumps({"scenario": "s.yaml", "n_variants": 1, "variants": [
        {"id": "base", "status": "optimal", "folder": "base"}]}), encoding="utf-8")
    return folder


# ===================================================================================== compare

for _id in ("summary-missing", "summary-truncated", "summary-a-list", "summary-binary", "summary-huge", "status-word",
            "objective-text", "keys-removed", "communes-garbage", "communes-binary", "poles-missing",
            "resolved-missing", "resolved-alias-bomb", "resolved-garbage", "resolved-a-list", "services-garbage",
            "svc-summary-truncated", "svc-total-cost-text", "n-poles-text"):
    _folder, _edit = TAMPER[_id]
    case(f"compare/{_id}", codes=(0, 2))(
        lambda ws, f=_folder, e=_edit: tamper(f, e, command="compare")(ws) + ["--out", ws / "cmp"])


def _sweep_index_case(content: str | bytes):
    def build(ws):
        folder = _tiny_sweep_folder(ws)
        (folder / "sweep.json").write_bytes(content if isinstance(content, bytes) else content.encode())
        return ["compare", folder, "--out", ws / "cmp"]
    return build


cases("compare-args", {
    "users-folder": lambda ws: ["compare", ws / "mine", "--out", ws / "cmp"],
    "empty-folder": lambda ws: (os.mkdir(ws / "empty"), ["compare", ws / "empty", "--out", ws / "cmp"])[-1],
    "a-file": lambda ws: ["compare", ws / "notes.txt"],
    "missing": lambda ws: ["compare", ws / "nowhere"],
    "no-argument": lambda ws: ["compare"],
    "out-users-folder": lambda ws: ["compare", ws / "result", ws / "svc-result", "--out", ws / "mine"],
    "out-a-file": lambda ws: ["compare", ws / "result", "--out", ws / "notes.txt"],
    "out-is-the-result": lambda ws: ["compare", ws / "result", "--out", ws / "result"],
    "out-under-a-file": lambda ws: ["compare", ws / "result", "--out", ws / "notes.txt" / "cmp"],
    "out-root": lambda ws: ["compare", ws / "result", "--out", "/"],
    "the-workspace": lambda ws: ["compare", ws, "--out", ws / "cmp"],
    "sweep-index-truncated": _sweep_index_case('{"variants": [{"id": "base", "sta'),
    "sweep-index-a-list": _sweep_index_case("[1, 2]"),
    "sweep-index-binary": _sweep_index_case(bytes(range(256))),
    "sweep-index-folder-escapes": _sweep_index_case(json.dumps({"variants": [{"id": "x", "status": "optimal", "folder": "../../../etc"}]})),
    "sweep-index-folder-number": _sweep_index_case(json.dumps({"variants": [{"id": "x", "status": "optimal", "folder": 5}]})),
    "sweep-index-variants-text": _sweep_index_case(json.dumps({"variants": "all"})),
    "sweep-index-folder-gone": _sweep_index_case(json.dumps({"variants": [{"id": "x", "status": "optimal", "folder": "gone"}]})),
    "sweep-index-folder-is-a-file": _sweep_index_case(json.dumps({"variants": [{"id": "x", "status": "optimal",
                                                                                "folder": "base/summary.json"}]})),
    "sweep-index-huge": lambda ws: (_tiny_sweep_folder(ws), _sparse(ws / "sweep-done" / "sweep.json", 3_000_000_000),
                                    ["compare", ws / "sweep-done", "--out", ws / "cmp"])[-1],
}, codes=(0, 2))
case("compare-legal/two-results", codes=(0,))(lambda ws: ["compare", ws / "result", ws / "svc-result", "--out", ws / "cmp"])
case("compare-legal/same-folder-twice", codes=(0, 2))(lambda ws: ["compare", ws / "result", ws / "result", "--out", ws / "cmp"])

# ===================================================================================== sweep

GRID_MILLION = BASE + "sweep:\n  grid:\n" + "".join(
    f"    {key}: [{', '.join(str(v) for v in values)}]\n" for key, values in (
        ("poles.max_travel_min", [10 + k for k in range(100)]),
        ("solver.gap", [k / 1000 for k in range(100)]),
        ("roads.speed_kmh", [20 + k for k in range(100)])))
cases("sweep", {
    "jobs-zero": lambda ws: ["sweep", ws / "s.yaml", "--jobs", "0", "--out", ws / "sw"],
    "jobs-negative": lambda ws: ["sweep", ws / "s.yaml", "--jobs", "-3", "--out", ws / "sw"],
    "jobs-text": lambda ws: ["sweep", ws / "s.yaml", "--jobs", "many", "--out", ws / "sw"],
    "jobs-absurd": lambda ws: ["sweep", ws / "s.yaml", "--jobs", "100000000", "--out", ws / "sw"],
    "backend-garbage": lambda ws: ["sweep", ws / "s.yaml", "--backend", "spark", "--out", ws / "sw"],
    "scheduler-garbage": lambda ws: ["sweep", ws / "s.yaml", "--backend", "dask", "--scheduler", "not an address", "--out", ws / "sw"],
    "scheduler-unreachable": lambda ws: ["sweep", ws / "s.yaml", "--backend", "dask", "--scheduler", "tcp://127.0.0.1:1", "--out", ws / "sw"],
    "scheduler-without-dask": lambda ws: ["sweep", ws / "s.yaml", "--scheduler", "tcp://127.0.0.1:1", "--out", ws / "sw"],
    "a-million-points": lambda ws: ["sweep", scenario(ws, GRID_MILLION), "--out", ws / "sw"],
    "a-million-points-validate": lambda ws: ["validate", scenario(ws, GRID_MILLION)],
    "a-million-points-run": lambda ws: ["run", scenario(ws, GRID_MILLION), "--out", ws / "new-out"],
    "out-users-folder": lambda ws: ["sweep", scenario(ws, BASE + "sweep: {grid: {poles.max_travel_min: [30]}}\n"), "--out", ws / "mine"],
    "out-a-result-folder": lambda ws: ["sweep", scenario(ws, BASE + "sweep: {grid: {poles.max_travel_min: [30]}}\n"), "--out", ws / "result"],
    "out-a-file": lambda ws: ["sweep", scenario(ws, BASE + "sweep: {grid: {poles.max_travel_min: [30]}}\n"), "--out", ws / "notes.txt"],
    "out-under-a-file": lambda ws: ["sweep", scenario(ws, BASE + "sweep: {grid: {poles.max_travel_min: [30]}}\n"), "--out", ws / "notes.txt" / "x"],
    "every-variant-invalid": lambda ws: ["sweep", scenario(ws, BASE + "sweep: {grid: {poles.max_travel_min: [-1, -2]}}\n"), "--out", ws / "sw"],
    "a-variant-with-a-missing-file": lambda ws: ["sweep", scenario(ws, BASE + "sweep: {grid: {territory.communes: [nowhere.geojson]}}\n"), "--out", ws / "sw"],
    "missing-scenario": lambda ws: ["sweep", ws / "nowhere.yaml"],
}, codes=(0, 2, 3), records="sw")
# a sweep index cut short (not JSON) is ours, damaged: the sweep runs again and rewrites it
case("sweep/resume-index-truncated", codes=(0, 2, 3), replaces="sweep-done")(
    lambda ws: (_tiny_sweep_folder(ws), (ws / "sweep-done" / "sweep.json").write_text('{"vari'),
                ["sweep", scenario(ws, BASE + "sweep: {grid: {poles.max_travel_min: [30]}}\n"),
                 "--out", ws / "sweep-done", "--quiet"])[-1])
case("sweep/users-own-index", codes=(2,))(
    lambda ws: ((ws / "mine" / "sweep.json").write_text('{"my": "list"}'),
                ["sweep", scenario(ws, BASE + "sweep: {grid: {poles.max_travel_min: [30]}}\n"), "--out", ws / "mine"])[-1])

# ===================================================================================== pareto

cases("pareto", {
    "points-one": lambda ws: ["pareto", ws / "svc.yaml", "--points", "1", "--out", ws / "pf"],
    "points-zero": lambda ws: ["pareto", ws / "svc.yaml", "--points", "0", "--out", ws / "pf"],
    "points-text": lambda ws: ["pareto", ws / "svc.yaml", "--points", "five", "--out", ws / "pf"],
    "points-absurd": lambda ws: ["pareto", ws / "svc.yaml", "--points", "1000000000", "--out", ws / "pf"],
    "between-same": lambda ws: ["pareto", ws / "svc.yaml", "--between", "cost", "cost", "--out", ws / "pf"],
    "between-garbage": lambda ws: ["pareto", ws / "svc.yaml", "--between", "joy", "travel", "--out", ws / "pf"],
    "between-one": lambda ws: ["pareto", ws / "svc.yaml", "--between", "cost"],
    "without-services": lambda ws: ["pareto", ws / "s.yaml", "--points", "2", "--out", ws / "pf"],
    "out-users-folder": lambda ws: ["pareto", ws / "svc.yaml", "--points", "2", "--out", ws / "mine"],
    "out-a-file": lambda ws: ["pareto", ws / "svc.yaml", "--points", "2", "--out", ws / "notes.txt"],
    "out-a-result": lambda ws: ["pareto", ws / "svc.yaml", "--points", "2", "--out", ws / "result"],
    "bad-scenario": lambda ws: ["pareto", scenario(ws, SVC + "poles: {count: -1}\n"), "--out", ws / "pf"],
    "set-garbage": lambda ws: ["pareto", ws / "svc.yaml", "--set", "poles.count=many", "--out", ws / "pf"],
}, codes=(2, 3))

# ===================================================================================== robustness

UNCERTAIN = SVC + "uncertainty: {samples: 20, worlds: 0, resolve_top: 0}\n"
cases("robustness", {
    "samples-zero": lambda ws: ["robustness", ws / "svc-result", "--samples", "0", "--out", ws / "rb"],
    "samples-negative": lambda ws: ["robustness", ws / "svc-result", "--samples", "-5", "--out", ws / "rb"],
    "samples-absurd": lambda ws: ["robustness", ws / "svc-result", "--samples", "10000000000", "--out", ws / "rb"],
    "samples-text": lambda ws: ["robustness", ws / "svc-result", "--samples", "many", "--out", ws / "rb"],
    "seed-negative": lambda ws: ["robustness", ws / "svc-result", "--seed", "-1", "--out", ws / "rb"],
    "seed-absurd": lambda ws: ["robustness", ws / "svc-result", "--seed", "1" + "0" * 40, "--samples", "10", "--out", ws / "rb"],
    "resolve-top-negative": lambda ws: ["robustness", ws / "svc-result", "--resolve-top", "-1", "--out", ws / "rb"],
    "resolve-top-absurd": lambda ws: ["robustness", ws / "svc-result", "--resolve-top", "1000000000", "--samples", "10",
                                      "--out", ws / "rb"],
    "target-missing": lambda ws: ["robustness", ws / "nowhere", "--out", ws / "rb"],
    "target-a-text-file": lambda ws: ["robustness", ws / "notes.txt", "--out", ws / "rb"],
    "target-users-folder": lambda ws: ["robustness", ws / "mine", "--out", ws / "rb"],
    "target-empty-folder": lambda ws: (os.mkdir(ws / "empty"), ["robustness", ws / "empty", "--out", ws / "rb"])[-1],
    "target-poles-only-result": lambda ws: ["robustness", ws / "result", "--samples", "10", "--out", ws / "rb"],
    "target-poles-only-scenario": lambda ws: ["robustness", ws / "s.yaml", "--samples", "10", "--out", ws / "rb"],
    "target-resolved-bomb": lambda ws: tamper("svc-result", write("scenario.resolved.yaml", ALIAS_BOMB), command="robustness")(ws)
    + ["--samples", "10", "--out", ws / "rb"],
    "target-services-garbage": lambda ws: tamper("svc-result", write("services.csv", "x\n1\n"), command="robustness")(ws)
    + ["--samples", "10", "--out", ws / "rb"],
    "target-inputs-missing": lambda ws: tamper("svc-result", remove("inputs"), command="robustness")(ws)
    + ["--samples", "10", "--out", ws / "rb"],
    "out-users-folder": lambda ws: ["robustness", ws / "svc-result", "--samples", "10", "--out", ws / "mine"],
    "out-a-file": lambda ws: ["robustness", ws / "svc-result", "--samples", "10", "--out", ws / "notes.txt"],
    "out-the-result": lambda ws: ["robustness", ws / "svc-result", "--samples", "10", "--out", ws / "svc-result"],
    "out-under-a-file": lambda ws: ["robustness", ws / "svc-result", "--samples", "10", "--out", ws / "notes.txt" / "x"],
    "set-garbage": lambda ws: ["robustness", ws / "svc.yaml", "--set", "uncertainty.samples=lots", "--out", ws / "rb"],
    "worlds-negative": lambda ws: ["robustness", ws / "svc-result", "--worlds", "-2", "--out", ws / "rb"],
    "world-time-limit-zero": lambda ws: ["robustness", ws / "svc-result", "--world-time-limit", "0", "--out", ws / "rb"],
    "world-time-limit-nan": lambda ws: ["robustness", ws / "svc-result", "--world-time-limit", "nan", "--out", ws / "rb"],
    "jobs-zero": lambda ws: ["robustness", ws / "svc-result", "--jobs", "0", "--out", ws / "rb"],
    "backend-unknown": lambda ws: ["robustness", ws / "svc-result", "--backend", "mpi", "--out", ws / "rb"],
    "scheduler-without-dask": lambda ws: ["robustness", ws / "svc-result", "--scheduler", "tcp://x:1", "--out", ws / "rb"],
}, codes=(2, 3))
case("robustness/worlds-negative-named", says=("--worlds", "-2"))(
    lambda ws: ["robustness", ws / "svc-result", "--worlds", "-2", "--out", ws / "rb"])
# ========================================================================================= bilan


def actuals(edit=None):
    """Build an actuals workbook of ``svc-result`` (the template, one row edited) in the workspace."""
    def build(ws):
        from optimiser.bilan.actuals import template_sheets
        from optimiser.bilan.plan import read_plan
        from optimiser.services.inventory import write_workbook

        sheets = template_sheets(read_plan(ws / "svc-result"), [("", "corpus")])
        if edit:
            edit(sheets)
        write_workbook(ws / "actuals.xlsx", sheets)
        return ["bilan", ws / "svc-result", ws / "actuals.xlsx", "--out", ws / "bl", "--no-replan"]
    return build


def cell(sheet, column, value):
    def edit(sheets):
        sheets[sheet][column] = sheets[sheet][column].astype(object)
        sheets[sheet].loc[0, column] = value
    return edit


cases("bilan", {
    "actuals-missing": lambda ws: ["bilan", ws / "svc-result", ws / "nowhere.xlsx", "--out", ws / "bl"],
    "actuals-a-text-file": lambda ws: ["bilan", ws / "svc-result", ws / "notes.txt", "--out", ws / "bl"],
    "actuals-a-folder": lambda ws: ["bilan", ws / "svc-result", ws / "mine", "--out", ws / "bl"],
    "plan-poles-only": lambda ws: ["bilan", ws / "result", ws / "notes.txt", "--out", ws / "bl"],
    "plan-users-folder": lambda ws: ["bilan", ws / "mine", ws / "notes.txt", "--out", ws / "bl"],
    "negative": actuals(cell("poles", "staff_eur (€/yr)", -1)),
    "commune-not-in-plan": actuals(lambda sh: (cell("communes", "insee_code", "99999")(sh),
                                               cell("communes", "paid_eur (€/yr)", 10)(sh))),
    "period-outside": actuals(lambda sh: (cell("poles", "period", "2099")(sh), cell("poles", "fte (FTE)", 1)(sh))),
    "unit-mismatch": actuals(lambda sh: sh.__setitem__("poles", sh["poles"].rename(columns={"fte (FTE)": "fte (h)"}))),
    "out-users-folder": lambda ws: actuals()(ws)[:-3] + ["--out", ws / "mine", "--no-replan"],
    "template-out-exists": lambda ws: ["template", "actuals", ws / "svc-result", "--out", ws / "notes.txt"],
    "template-out-not-xlsx": lambda ws: ["template", "actuals", ws / "svc-result", "--out", ws / "a.csv"],
    "template-poles-only": lambda ws: ["template", "actuals", ws / "result", "--out", ws / "a.xlsx"],
})
case("bilan-legal/blank-actuals", codes=(0,))(actuals())
case("verify/bilan-tampered", codes=(4,))(lambda ws: _bilan_then_tamper(ws))


def _bilan_then_tamper(ws):
    from click.testing import CliRunner as _Runner

    assert _Runner().invoke(main, [str(a) for a in actuals(cell("poles", "staff_eur (€/yr)", 1000))(ws)]).exit_code == 0
    path = ws / "bl" / "poles_bilan.csv"
    path.write_text(path.read_text().replace("1000.0", "1001.0", 1))
    return ["verify", ws / "bl"]


# robustness reads the design (services.csv, communes.csv) and the resolved scenario, not the summary
case("robustness-legal/summary-truncated", codes=(0, 2))(
    lambda ws: tamper("svc-result", truncate("summary.json"), command="robustness")(ws) + ["--samples", "10", "--worlds", "0",
                                                                                          "--resolve-top", "0", "--out", ws / "rb"])
case("robustness-legal/small", codes=(0,))(lambda ws: ["robustness", scenario(ws, UNCERTAIN), "--out", ws / "rb"])
UNCERTAINTY = {
    "not-a-mapping": "uncertainty: lots\n",
    "samples-zero": "uncertainty: {samples: 0}\n",
    "seed-negative": "uncertainty: {seed: -1}\n",
    "distribution": "uncertainty: {distribution: normal}\n",
    "unknown-parameter": "uncertainty: {parameters: {no_such_thing: {range: [1, 2]}}}\n",
    "range-inverted": "uncertainty: {parameters: {loaded_cost_technicien: {range: [60000, 30000]}}}\n",
    "range-one-number": "uncertainty: {parameters: {loaded_cost_technicien: {range: [30000]}}}\n",
    "range-nan": "uncertainty: {parameters: {loaded_cost_technicien: {range: [.nan, 5]}}}\n",
    "range-text": "uncertainty: {parameters: {loaded_cost_technicien: {range: cheap}}}\n",
    "group-correlation": "uncertainty: {groups: {g: {parameters: ['loaded_cost_*'], correlation: 2}}}\n",
    "group-no-parameters": "uncertainty: {groups: {g: {correlation: 0.5}}}\n",
    "group-matches-nothing": "uncertainty: {groups: {g: {parameters: ['zzz*']}}}\n",
    "parameter-in-two-groups": "uncertainty: {groups: {a: {parameters: ['loaded_cost_*']}, b: {parameters: ['loaded_cost_*']}}}\n",
    "world-negative": "uncertainty: {world: -1}\n",
    "worlds-absurd": "uncertainty: {worlds: 1e9}\n",
    "without-services": "__POLES__uncertainty: {samples: 10}\n",
    "range-empty": "uncertainty: {parameters: {loaded_cost_technicien: {range: []}}}\n",
    "lognormal-from-zero": "uncertainty: {parameters: {pooling.joint_purchasing_saving_pct: {range: [0, 0.2], "
                           "distribution: lognormal}}}\n",
    "triangular-leaves-out-sourced": "uncertainty: {parameters: {pooling.joint_purchasing_saving_pct: {range: [0.2, 0.3]}}}\n",
    "worlds-negative": "uncertainty: {worlds: -3}\n",
    "world-time-limit-zero": "uncertainty: {world_time_limit_s: 0}\n",
    "parameter-typo": "uncertainty: {parameters: {pooling.joint_purchasing_savings_pct: {distribution: uniform}}}\n",
}
for _id, _text in UNCERTAINTY.items():
    _body = BASE + _text.removeprefix("__POLES__") if _text.startswith("__POLES__") else SVC + _text
    case(f"uncertainty/{_id}")(validate_text(_body))
case("uncertainty/parameter-typo-named", says=("uncertainty.parameters.pooling.joint_purchasing_savings_pct",
                                               "pooling.joint_purchasing_saving_pct"))(
    validate_text(SVC + UNCERTAINTY["parameter-typo"]))
ROBUST = {
    "worlds-one": "robust: {worlds: 1}\n",
    "worlds-negative": "robust: {worlds: -5}\n",
    "worlds-absurd": "robust: {worlds: 1e9}\n",
    "objective-unknown": "robust: {objective: median}\n",
    "alpha-zero": "robust: {alpha: 0}\n",
    "alpha-above-half": "robust: {alpha: 0.9}\n",
    "alpha-nan": "robust: {alpha: .nan}\n",
    "seed-negative": "robust: {seed: -1}\n",
    "time-limit-zero": "robust: {time_limit_s: 0}\n",
    "key-typo": "robust: {wolds: 20}\n",
    "not-a-mapping": "robust: yes please\n",
    "without-services": "__POLES__robust: {worlds: 5}\n",
}
for _id, _text in ROBUST.items():
    _body = BASE + _text.removeprefix("__POLES__") if _text.startswith("__POLES__") else SVC + _text
    case(f"robust/{_id}")(validate_text(_body))
case("robust/worlds-one-named", says=("bad.yaml", "robust.worlds", "from 2 to 500"))(validate_text(SVC + ROBUST["worlds-one"]))
case("robust/key-typo-named", says=("robust.wolds", "worlds"))(validate_text(SVC + ROBUST["key-typo"]))


# ===================================================================================== init

cases("init", {
    "no-option": lambda ws: ["init", "--out", ws / "start"],
    "two-options": lambda ws: ["init", "--departement", "53", "--region", "52", "--out", ws / "start"],
    "no-out": lambda ws: ["init", "--departement", "53"],
    "epci-unknown": lambda ws: ["init", "--epci", "CA de l'Atlantide", "--out", ws / "start"],
    "epci-ambiguous": lambda ws: ["init", "--epci", "Communauté", "--out", ws / "start"],
    "epci-empty": lambda ws: ["init", "--epci", "", "--out", ws / "start"],
    "epci-siren-wrong": lambda ws: ["init", "--epci", "123456789", "--out", ws / "start"],
    "epci-symbols": lambda ws: ["init", "--epci", "%%%***", "--out", ws / "start"],
    "departement-unknown": lambda ws: ["init", "--departement", "999", "--out", ws / "start"],
    "departement-empty": lambda ws: ["init", "--departement", "", "--out", ws / "start"],
    "region-unknown": lambda ws: ["init", "--region", "Atlantis", "--out", ws / "start"],
    "communes-empty": lambda ws: ["init", "--communes", "", "--out", ws / "start"],
    "communes-commas": lambda ws: ["init", "--communes", ",,,", "--out", ws / "start"],
    "communes-unknown": lambda ws: ["init", "--communes", "99999", "--out", ws / "start"],
    "communes-garbage": lambda ws: ["init", "--communes", "abc;def", "--out", ws / "start"],
    "communes-too-many-characters": lambda ws: ["init", "--communes", "5" * 100_000, "--out", ws / "start"],
    "out-users-folder": lambda ws: ["init", "--communes", "53130,53201", "--out", ws / "mine"],
    "out-a-file": lambda ws: ["init", "--communes", "53130,53201", "--out", ws / "notes.txt"],
    "out-under-a-file": lambda ws: ["init", "--communes", "53130,53201", "--out", ws / "notes.txt" / "x"],
    "out-a-result": lambda ws: ["init", "--communes", "53130,53201", "--out", ws / "result"],
    "out-root": lambda ws: ["init", "--communes", "53130,53201", "--out", "/"],
}, codes=(2,))
cases("init-legal", {
    "one-commune": lambda ws: ["init", "--communes", "53130", "--out", ws / "start"],
    "communes-with-spaces": lambda ws: ["init", "--communes", " 53130 , 53201 ", "--out", ws / "start"],
    "communes-duplicated": lambda ws: ["init", "--communes", "53130,53130", "--out", ws / "start"],
    "name-without-communes": lambda ws: ["init", "--departement", "53", "--name", "x", "--out", ws / "start"],
    "name-odd": lambda ws: ["init", "--communes", "53130,53201", "--name", "../../x\x07🚜", "--out", ws / "start"],
}, codes=(0, 2))

# ===================================================================================== template inventory

cases("template", {
    "source-missing": lambda ws: ["template", "inventory", ws / "nowhere.yaml", "--out", ws / "inv.xlsx"],
    "source-folder": lambda ws: ["template", "inventory", ws / "mine", "--out", ws / "inv.xlsx"],
    "source-text": lambda ws: ["template", "inventory", ws / "notes.txt", "--out", ws / "inv.xlsx"],
    "source-png": lambda ws: ["template", "inventory", ws / "result" / "map.png", "--out", ws / "inv.xlsx"],
    "source-bad-scenario": lambda ws: ["template", "inventory", scenario(ws, BASE + "poles: 3\n"), "--out", ws / "inv.xlsx"],
    "source-bad-geojson": lambda ws: ["template", "inventory", _bytes(ws, "bad.geojson", b"{}"), "--out", ws / "inv.xlsx"],
    "out-existing-file": lambda ws: ["template", "inventory", ws / "s.yaml", "--out", ws / "notes.txt"],
    "out-users-folder": lambda ws: ["template", "inventory", ws / "s.yaml", "--out", ws / "mine"],
    "out-under-a-file": lambda ws: ["template", "inventory", ws / "s.yaml", "--out", ws / "notes.txt" / "inv.xlsx"],
    "out-the-inventory": lambda ws: ["template", "inventory", ws / "svc.yaml", "--out", ws / "inventory"],
    "out-root": lambda ws: ["template", "inventory", ws / "s.yaml", "--out", "/"],
    "out-missing": lambda ws: ["template", "inventory", ws / "s.yaml"],
    "no-kind": lambda ws: ["template", ws / "s.yaml"],
    "unknown-kind": lambda ws: ["template", "stock", ws / "s.yaml", "--out", ws / "x"],
}, codes=(2,))
case("template-legal/csv-folder", codes=(0,))(lambda ws: ["template", "inventory", ws / "s.yaml", "--out", ws / "inv-folder"])
case("template-legal/geojson", codes=(0,))(lambda ws: ["template", "inventory", ws / "territory.geojson", "--out", ws / "inv.xlsx"])

# ===================================================================================== schema and the command line itself

cases("command-line", {
    "schema-extra-argument": lambda ws: ["schema", "extra"],
    "schema-unknown-option": lambda ws: ["schema", "--yaml"],
    "unknown-command": lambda ws: ["solve", ws / "s.yaml"],
    "run-no-argument": lambda ws: ["run"],
    "run-two-scenarios": lambda ws: ["run", ws / "s.yaml", ws / "svc.yaml"],
    "run-unknown-option": lambda ws: ["run", ws / "s.yaml", "--fast"],
    "validate-no-argument": lambda ws: ["validate"],
    "run-out-without-value": lambda ws: ["run", ws / "s.yaml", "--out"],
}, codes=(2,))
cases("command-line-legal", {
    "schema": lambda ws: ["schema"],
    "schema-markdown": lambda ws: ["schema", "--markdown"],
    "help": lambda ws: ["--help"],
    "version": lambda ws: ["--version"],
}, codes=(0,))


# ===================================================================================== a second audit

# numbers past what Python reads (4,300 digits) in YAML, JSON and a result file; a YAML document
# of more than 100,000 values, refused as it is read (a 4 MB list once took minutes)
cases("huge-numbers", {
    "yaml-int-5000-digits": validate_text(BASE.replace("{max: 3}", "1" + "0" * 5000)),
    "set-int-5000-digits": lambda ws: ["validate", ws / "s.yaml", "--set", "poles.count=1" + "0" * 5000],
    "geojson-population-5000-digits": territory_case(None, json.dumps(collection(features())).replace(
        '"population": ', '"population": ' + "9" * 5000 + ', "x": ', 1).encode()),
    "summary-5000-digits": tamper("result", lambda f: (f / "summary.json").write_text(
        (f / "summary.json").read_text().replace('"objective": ', '"objective": ' + "9" * 5000 + ', "x": ', 1))),
}, says="4,300")
case("huge-numbers/yaml-100k-values", slow=True, says=("bad.yaml", "100,000 values"))(
    validate_text(BASE + "description: [" + "1," * 100_001 + "1]\n"))

# a divisor at the bottom of "greater than 0" (1e-320) overflowed into internal errors or an
# infinite cost: each has a plausible floor, named in the message
cases("tiny-divisors", {
    "speed": validate_text(BASE + "roads: {speed_kmh: 1e-320}\n"),
    "machine-capacity-days": lambda ws: ["validate", ws / "svc.yaml", "--set",
                                         "services.equipment.backhoe_loader.capacity_days=1e-320"],
    "machine-transfer-speed": lambda ws: ["validate", ws / "svc.yaml", "--set",
                                          "services.equipment.backhoe_loader.transfer_speed_kmh=1e-320"],
    "lot-size": lambda ws: ["validate", ws / "svc.yaml", "--set", "pooling.max_lot_eur=1e-320"],
    "horizon": lambda ws: ["validate", ws / "svc.yaml", "--set", "pooling.horizon_years=1e-320"],
    "productivity": lambda ws: ["validate", ws / "svc.yaml", "--set", "services.overrides.voirie.productivity=1e-320"],
}, says="1e-320")

# a roadmap rule naming an unknown service matched nothing; a commune joining twice was accepted
cases("roadmap-names", {
    "rule-unknown-service": validate_text(SVC + "roadmap: {start_year: 2020, horizon_years: 3, "
                                                "rules: [{services: [cantine], earliest: 2021}]}\n"),
    "join-twice": validate_text(SVC + "roadmap: {start_year: 2020, horizon_years: 3, joins: [{year: 2021, communes: "
                                      "[Commune 1]}, {year: 2022, communes: [Commune 1]}]}\n"),
}, says="roadmap")

# a line break pasted into a folder name: the GeoPackage could not be written after the solve
cases("out-control-characters", {
    "newline": lambda ws: ["run", ws / "s.yaml", "--out", ws / "new\nout", "--quiet"],
    "outputs-dir-newline": lambda ws: ["run", scenario(ws, BASE + 'outputs: {dir: "a\\nb"}\n'), "--quiet"],
    "compare": lambda ws: ["compare", ws / "result", "--out", ws / "c\nmp"],
}, says="line break")
case("out-control-characters/tab-named", says="a tab")(lambda ws: ["run", ws / "s.yaml", "--out", ws / "a\tb"])


def _bilan_marker(change: Callable[[dict], None]):
    """A case: verify of a bilan folder whose ``bilan.json`` was edited by ``change``."""
    def build(ws):
        from click.testing import CliRunner as _Runner

        assert _Runner().invoke(main, [str(a) for a in actuals()(ws)]).exit_code == 0
        path = ws / "bl" / "bilan.json"
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")
        return ["verify", ws / "bl"]
    return build


cases("verify-bilan-marker", {
    "inputs-a-number": _bilan_marker(lambda d: d.__setitem__("inputs", 5)),
    "plan-a-list": _bilan_marker(lambda d: d["inputs"].__setitem__("plan", [1])),
    "key-figures-text": _bilan_marker(lambda d: d.__setitem__("key_figures", "x")),
    "decision-a-number": _bilan_marker(lambda d: d.__setitem__("decision", 5)),
}, says="bilan.json")


@pytest.mark.slow
def test_closed_output_streams(ws):
    """``optimiser validate s.yaml >&- 2>&-``: Python sets sys.stdout to None; the command runs."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "optimiser", "validate", "s.yaml"], cwd=ws, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, preexec_fn=lambda: (os.close(1), os.close(2)), timeout=120)
    assert done.returncode == 0


# ===================================================================================== the test

#: Families whose cases solve, start process pools or read the national data (seconds each).
HEAVY = ("run-value", "territory-run", "network-run", "inventory-run", "infeasible", "sweep", "pareto", "compare",
         "compare-args", "compare-legal", "out-legal", "init", "init-legal", "territory-names", "robustness",
         "robustness-legal")
#: Cases of each light family kept in ``make test-fast`` (the rest run in ``make test``): two,
#: 0.05-0.1 CPU-s each, so that every command's refusals stay in the edit loop.
SAMPLE = 2


def marks(c: Case, seen: dict[str, int]) -> list:
    """``slow`` for heavy cases and for the light ones beyond each family's first :data:`SAMPLE`."""
    family = c.id.split("/")[0]
    seen[family] = seen.get(family, 0) + 1
    return [pytest.mark.slow] if c.slow or family in HEAVY or seen[family] > SAMPLE else []


_seen: dict[str, int] = {}


@pytest.mark.parametrize("c", [pytest.param(c, id=c.id, marks=marks(c, _seen)) for c in CASES])
def test_bad_input(c: Case, ws: Path):
    args = c.build(ws)
    before = snapshot(ws)
    start = time.perf_counter()
    code, text = run_cli(args, ws)
    elapsed = time.perf_counter() - start
    shown = f"optimiser {' '.join(map(str, args))} → exit {code} in {elapsed:.1f} s\n{text[-3000:]}"
    assert "Traceback" not in text and "This is a bug" not in text and "internal error" not in text, shown
    assert "ran out of memory" not in text, f"read without bound (the corpus allows 3 GB)\n{shown}"
    assert code in c.codes, shown
    for piece in c.says:
        assert piece in text, f"{piece!r} not said\n{shown}"
    after = snapshot(ws)
    changed = sorted(k for k, v in before.items() if after.get(k) != v
                     and not (code == 0 and c.replaces and (k + "/").startswith(c.replaces + "/")))
    assert not changed, f"the planner's files were altered or deleted: {changed[:10]}\n{shown}"
    if code != 0:
        new = sorted(k for k in after if k not in before
                     and not (c.records and (k + "/").startswith(c.records + "/")
                              and (k == c.records or k.endswith("sweep.json"))))
        assert not new, f"a failed command left files behind: {new[:10]}\n{shown}"
    assert elapsed < (120 if c.slow else 30), shown
