"""The notebooks run from top to bottom with the public API and the bundled data.

Each notebook runs every cell, on smaller settings where it has a cell of them (tagged
``parameters``, papermill's convention): the test puts a cell of :data:`SMALLER` after it, as a
planner would edit it. The three run in parallel under pytest-xdist (one kernel each).
"""

from __future__ import annotations

import ast

import nbformat
import pytest
from helpers import REPO
from nbclient import NotebookClient

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
PUBLIC = {"load_scenario", "solve", "Result", "sweep", "compare", "pareto", "load_results"}

#: Smaller settings for the tests, by notebook: the frontier's two ends instead of four points
#: (half the solves), and the two extreme prices, where the choice must still flip.
SMALLER = {
    "02-tradeoffs": "frontier_points = 2",
    "03-regie-vs-delegation": "prices = [9000, 21000]",
}


def with_smaller_settings(nb, name: str):
    """``nb`` with the cell of :data:`SMALLER` inserted right after its ``parameters`` cell."""
    if name not in SMALLER:
        return nb
    tagged = [k for k, cell in enumerate(nb.cells) if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{name}: expected one cell tagged 'parameters', found {len(tagged)}"
    injected = nbformat.v4.new_code_cell(SMALLER[name], metadata={"tags": ["injected-parameters"]})
    nb.cells.insert(tagged[0] + 1, injected)
    return nb


def test_there_are_three_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01-explore-laval-2016.ipynb", "02-tradeoffs.ipynb", "03-regie-vs-delegation.ipynb"]


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


def test_smaller_settings_override_names_the_notebook_sets():
    """An injected setting must replace one the notebook defines (else the test runs it in full)."""
    for path in NOTEBOOKS:
        if path.stem in SMALLER:
            nb = nbformat.read(path, as_version=4)
            (cell,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
            assert SMALLER[path.stem].split("=")[0].strip() in {
                t.id for node in ast.walk(ast.parse(cell.source)) if isinstance(node, ast.Assign) for t in node.targets
                if isinstance(t, ast.Name)}, path.name


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path):
    nb = with_smaller_settings(nbformat.read(path, as_version=4), path.stem)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, with the failing cell and traceback, on any error
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count for cell in code), "every cell runs"
    outputs = [o for cell in code for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "every notebook draws a figure"
