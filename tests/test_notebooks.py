"""The notebooks run from top to bottom with the public API and the bundled data."""

from __future__ import annotations

import ast

import nbformat
import pytest
from nbclient import NotebookClient

from helpers import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
PUBLIC = {"load_scenario", "solve", "Result", "sweep", "compare", "pareto", "load_results"}


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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, with the failing cell and traceback, on any error
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any("image/png" in o.get("data", {}) for o in outputs), "every notebook draws a figure"
