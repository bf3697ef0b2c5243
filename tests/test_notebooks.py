"""The notebooks run from top to bottom with the public API and the bundled data, and compute
what they say.

Each notebook runs every cell, on smaller settings where it has a cell of them (tagged
``parameters``, papermill's convention): the test puts a cell of :data:`SMALLER` after it, as a
planner would edit it. The shipped notebooks hold no assertions: the test checks them from
outside, by appending a cell that prints the kernel's variables as JSON (:data:`PROBES`) and by
reading the folders notebook 04 writes.

The notebooks share one kernel per test process (:func:`kernel`): starting a kernel and importing
the package, pandas and matplotlib in it cost about 6 CPU-s, a third of a small notebook's run.
Each notebook still starts from an empty namespace (:data:`RESET`), so one that forgot an import
or a variable fails as it would in a fresh kernel. Under pytest-xdist the workers each run one.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from helpers import REPO
from jupyter_client import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.util import run_sync

from optimiser.scenario.load import load_variants
from optimiser.services.catalogue import default_catalogue

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
PUBLIC = {"load_scenario", "solve", "Result", "sweep", "compare", "pareto", "load_results"}

#: Smaller settings for the tests, by notebook: for 02, the two ends of each axis of its sweep
#: (``tests/data/tradeoffs-2x2.yaml``: 4 variants instead of 16, each a whole result folder, still
#: one without a design beside solved ones) and the frontier's two ends instead of four points
#: (half the solves); the two ends of the price range 03 computes around the poles' break-even
#: prices, where the choice must still flip; for 04, its folder in the test's temporary directory
#: (``{tmp}``), a time limit that is only a guard against a hang, and the four services its
#: inventory CSV fills (voirie, espaces verts, éclairage, bâtiments; the default is the six of the
#: catalogue): every figure of the CSV is still checked in the status quo, the three options still
#: solve to a proven optimum, and the run is about a third shorter. No time limit here is a
#: budget: 01's service solve (the scenario's 120 s) and 04's options end when their optimum is
#: proven (enumerated poles, a few CPU-seconds each), so what the test sees does not depend on the
#: machine's speed. Budgets made it depend: with 10 s per option, à la carte's enumeration was not
#: finished on a loaded machine and 04 ended that option without a design (no
#: ``options/a_la_carte/summary.json``); 01 ran with 20 s.
SMALLER = {
    "02-tradeoffs": 'sweep_file = r"{repo}/tests/data/tradeoffs-2x2.yaml"\nfrontier_points = 2',
    "03-regie-vs-delegation": "n_prices = 2",
    "04-your-territory": 'work = r"{tmp}"\ntime_limit_s = 600\nservices = ["voirie", "espaces_verts", "eclairage", "batiments"]',
}

#: What the test reads from each notebook's kernel once every cell has run: name → expression.
PROBES = {
    "01-explore-laval-2016": {
        "total_cost": "summary['total_cost']",
        "status_quo_cost": "summary['status_quo_cost']",
        "savings": "summary['savings']",
        "status": "summary['status']",
    },
    "02-tradeoffs": {
        "n_frontier": "len(frontier)",
        "non_dominated": "int(frontier['non_dominated'].sum())",
        "poles_of_solved": "solved['n_poles'].tolist()",
        "n_sweep": "len(table)",
    },
    "03-regie-vs-delegation": {
        "chosen": "comparison['chosen'].tolist()",
        "cheaper": "comparison['cheaper'].tolist()",
        "modes_by_price": "chosen.tolist()",
        "prices": "prices",
        "break_even": "break_even.tolist()",
    },
    "04-your-territory": {
        "variants": "comparison['variant'].tolist()",
        "best_variant": "str(best_row['variant'])",
    },
}
PROBE_MARK = "PROBE-JSON "

#: The figures of notebooks/data/ernee-inventory.csv that notebook 04 must carry into the status quo.
ERNEE_CSV = REPO / "notebooks" / "data" / "ernee-inventory.csv"


#: The first cell of every notebook run in the shared kernel: what an earlier notebook left is
#: gone (its variables and imported names, its open figures), and the working folder is the
#: notebook's own, as in a fresh kernel started there. Modules stay loaded (``sys.modules``):
#: a notebook still has to import what it uses, since its names are deleted.
RESET = """%reset -f
import os as _os
import matplotlib.pyplot as _plt
_plt.close("all")
_os.chdir({folder!r})
del _os, _plt"""


@pytest.fixture(scope="module")
def kernel():
    """One Python kernel for the notebooks this process runs (restarted after a notebook fails,
    so a hung or broken kernel never reaches the next one)."""
    manager = AsyncKernelManager(kernel_name="python3")
    run_sync(manager.start_kernel)(cwd=str(REPO / "notebooks"))
    yield manager
    run_sync(manager.shutdown_kernel)(now=False)


def with_reset(nb, folder: Path):
    """``nb`` with :data:`RESET` as its first cell."""
    nb.cells.insert(0, nbformat.v4.new_code_cell(RESET.format(folder=str(folder)), metadata={"tags": ["test-reset"]}))
    return nb


def parameters_cell(nb) -> int:
    tagged = [k for k, cell in enumerate(nb.cells) if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1, f"expected one cell tagged 'parameters', found {len(tagged)}"
    return tagged[0]


def with_smaller_settings(nb, name: str, tmp: Path):
    """``nb`` with the cell of :data:`SMALLER` inserted right after its ``parameters`` cell."""
    if name in SMALLER:
        source = SMALLER[name].format(tmp=tmp, repo=REPO)
        nb.cells.insert(parameters_cell(nb) + 1,
                        nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]}))
    return nb


def with_probe(nb, name: str):
    """``nb`` with a last cell printing the values of :data:`PROBES` as one JSON line."""
    items = ", ".join(f"{key!r}: {expr}" for key, expr in PROBES[name].items())
    source = f"import json as _json\nprint({PROBE_MARK!r} + _json.dumps({{{items}}}, default=float))"
    nb.cells.append(nbformat.v4.new_code_cell(source, metadata={"tags": ["test-probe"]}))
    return nb


def probed_values(nb) -> dict:
    text = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []) if o.get("output_type") == "stream")
    (line,) = [line for line in text.splitlines() if line.startswith(PROBE_MARK)]
    return json.loads(line[len(PROBE_MARK):])


def defined_names(source: str) -> set[str]:
    return {t.id for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Assign) for t in node.targets
            if isinstance(t, ast.Name)}


def test_there_are_four_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01-explore-laval-2016.ipynb", "02-tradeoffs.ipynb",
                                           "03-regie-vs-delegation.ipynb", "04-your-territory.ipynb"]


def test_every_notebook_has_its_probe():
    assert set(PROBES) == {p.stem for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_uses_only_the_public_api(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("optimiser"):
                assert node.module == "optimiser", f"{path.name}: imports {node.module}"
                assert {a.name for a in node.names} <= PUBLIC, f"{path.name}: imports {[a.name for a in node.names]}"
            if isinstance(node, ast.Import):
                assert not [a.name for a in node.names if a.name.startswith("optimiser")], path.name


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_shipped_notebook_holds_no_assertion(path):
    """The checks live here, not in the planners' notebooks."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not [n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Assert)], \
                f"{path.name}: an assert in\n{cell.source}"
            assert not cell.get("outputs"), f"{path.name}: shipped with outputs (run make_notebooks.py)"


def test_smaller_settings_override_names_the_notebook_sets():
    """An injected setting must replace one the notebook defines (else the test runs it in full)."""
    for path in NOTEBOOKS:
        if path.stem in SMALLER:
            nb = nbformat.read(path, as_version=4)
            assert defined_names(SMALLER[path.stem]) <= defined_names(nb.cells[parameters_cell(nb)].source), path.name


def test_notebook_04_starts_from_the_epci_named_in_its_first_code_cell():
    nb = nbformat.read(REPO / "notebooks" / "04-your-territory.ipynb", as_version=4)
    first = next(cell for cell in nb.cells if cell.cell_type == "code")
    assert "parameters" in first.metadata.get("tags", [])
    assert {"epci", "inventory_csv", "work"} <= defined_names(first.source)
    assert any('"init", "--epci", epci' in cell.source for cell in nb.cells if cell.cell_type == "code")


def test_notebook_02_runs_a_corner_of_its_own_sweep_in_the_test():
    """The notebook sweeps the 16 runs of its sweep file (all valid); the test runs it on
    ``tests/data/tradeoffs-2x2.yaml`` (:data:`SMALLER`), whose 4 runs are 4 of those 16."""
    nb = nbformat.read(REPO / "notebooks" / "02-tradeoffs.ipynb", as_version=4)
    assert 'sweep_file = "../scenarios/laval-2016-tradeoffs.yaml"' in nb.cells[parameters_cell(nb)].source

    def runs(path):  # each run's settings, its territory's file as an absolute path (each file names it from its folder)
        dumps = [(run.base_dir, run.scenario.model_dump()) for run in load_variants(path)]
        for folder, dump in dumps:
            dump["territory"]["communes"] = (folder / dump["territory"]["communes"]).resolve()
        return [dump for _, dump in dumps]

    own, corner = runs(REPO / "scenarios" / "laval-2016-tradeoffs.yaml"), runs(REPO / "tests" / "data" / "tradeoffs-2x2.yaml")
    assert len(own) == 16 and len(corner) == 4
    assert all(run in own for run in corner)


def check_01(values):
    assert values["status"] == "optimal", "proven, not stopped by the clock: the same figures on any machine"
    assert values["total_cost"] <= values["status_quo_cost"]
    assert values["savings"] == pytest.approx(values["status_quo_cost"] - values["total_cost"], abs=0.01)


def check_02(values):
    assert values["n_frontier"] == 2 and values["non_dominated"] >= 1
    assert values["poles_of_solved"] and min(values["poles_of_solved"]) >= 1
    assert values["n_sweep"] == 4, "the sweep of tests/data/tradeoffs-2x2.yaml, not the notebook's own 4 × 4"


def check_03(values):
    assert values["chosen"] == values["cheaper"], "each pole runs the cheaper mode"
    low, high = values["prices"][0], values["prices"][-1]
    assert low < min(values["break_even"]) <= max(values["break_even"]) < high, "the range holds every break-even price"
    assert values["modes_by_price"][0] == "delegation" and values["modes_by_price"][-1] == "regie", \
        "every pole delegates at the low end and keeps the régie at the high end: the choice flips inside the range"


def check_04(values, work: Path):
    """Read what notebook 04 wrote: the init folder, the filled inventory, three result folders with fiches."""
    init = json.loads((work / "territory" / "init.json").read_text())
    assert init["selection"]["name"] == "CC de l'Ernée" and init["communes"] == 15
    assert values["variants"] == ["base", "a_la_carte", "delegated"]
    own = pd.read_csv(ERNEE_CSV, dtype={"insee_code": str})
    filled = pd.read_excel(work / "inventory.xlsx", sheet_name="services", dtype={"insee_code": str})
    assert filled["insee_code"].nunique() == 15 and len(filled) == 15 * filled["service"].nunique()
    summaries = {}
    for variant in values["variants"]:
        folder = work / "options" / variant
        summaries[variant] = json.loads((folder / "summary.json").read_text())
        # proven, not stopped by the clock: the same answer on a quiet or a loaded machine
        assert summaries[variant]["status"] == "optimal", (variant, summaries[variant]["messages"])
        fiches = sorted(p.stem for p in (folder / "fiches").glob("*.html"))
        assert fiches == sorted([*pd.read_csv(folder / "communes.csv", dtype={"insee_code": str})["insee_code"], "index"])
    assert summaries["base"]["savings"] == pytest.approx(0, abs=0.01)
    assert all(s["savings"] >= -0.01 for s in summaries.values())
    assert values["best_variant"] == max(summaries, key=lambda v: summaries[v]["savings"])
    assert (work / "options" / "comparison" / "comparison.csv").exists()
    # The planner's own figures reach the status quo as given, not estimated; their blanks are estimated.
    status_quo = pd.read_csv(work / "options" / "base" / "status_quo.csv", dtype={"member": str}).set_index(["member", "service"])
    catalogue = default_catalogue()  # the notebook's scenario keeps the default VAT and FCTVA rates
    for row in own.itertuples():
        today = status_quo.loc[(row.insee_code, row.service)]
        estimated = str(today["estimated"]).split(";")
        for field in ("workload", "fte", "mode", "contract_eur"):
            given = getattr(row, field)
            if pd.isna(given):
                assert field in estimated, (row.commune, row.service, field)
            else:
                assert field not in estimated, (row.commune, row.service, field)
                expected = given if field == "mode" else float(given)
                if field == "contract_eur":  # typed HT; status_quo.csv holds money net of the FCTVA (README: one basis)
                    expected *= catalogue.contract_factor(row.service)
                assert today[field] == (expected if field == "mode" else pytest.approx(expected)), (row.commune, row.service, field)


CHECKS = {"01-explore-laval-2016": check_01, "02-tradeoffs": check_02, "03-regie-vs-delegation": check_03,
          "04-your-territory": check_04}


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_computes_what_it_says(path, tmp_path, kernel):
    nb = with_probe(with_smaller_settings(nbformat.read(path, as_version=4), path.stem, tmp_path / "work"), path.stem)
    nb = with_reset(nb, path.parent)
    client = NotebookClient(nb, km=kernel, timeout=900, resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()  # raises CellExecutionError, with the failing cell and traceback, on any error
    except BaseException:
        run_sync(kernel.restart_kernel)(now=True)
        raise
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "every cell runs"
    outputs = [o for cell in code for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "every notebook draws a figure"
    values = probed_values(nb)
    if path.stem == "04-your-territory":
        assert any("<iframe srcdoc=" in o.get("data", {}).get("text/html", "") for o in outputs), "a fiche shown inline"
        check_04(values, tmp_path / "work")
    else:
        CHECKS[path.stem](values)
