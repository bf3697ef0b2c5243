"""Many scenarios from Python: :func:`sweep`, :func:`compare`, :func:`load_results`.

>>> from optimiser import sweep, compare
>>> table = sweep("scenarios/laval-2016-sweep.yaml", out="results/sweep", jobs=2)
>>> table[["variant", "status", "objective", "max_travel_min"]]
>>> compare("results/sweep", out="results/sweep/comparison")   # CSV, Excel and plots
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .comparison import compare_folders, write_comparison
from .comparison.table import entries
from .results.result import Result
from .sweeps.runner import run_sweep

__all__ = ["sweep", "compare", "pareto", "load_results"]


def sweep(scenario: str | Path, out: str | Path | None = None, *, jobs: int = 1, backend: str = "process",
          scheduler: str | None = None, overrides: tuple[str, ...] | list[str] = (), progress: bool = False,
          lang: str | None = None) -> pd.DataFrame:
    """Solve every variant of ``scenario`` into ``out`` (resuming a previous run there) and
    return the comparison table: one row per variant (see :mod:`optimiser.comparison.table`).

    ``lang`` (``fr``/``en``) writes every variant's folder, and the progress lines, in that
    language over the scenario's ``outputs.lang``.
    Failed variants are rows too (``status`` and ``error`` say why); bad input raises
    :class:`optimiser.errors.InputError` before anything is solved. ``table.attrs["folder"]``
    is the sweep folder.
    """
    report = run_sweep(scenario, out, jobs=jobs, backend=backend, scheduler=scheduler, overrides=overrides,
                       echo=print if progress else None, lang=lang)
    if report.interrupted:
        raise KeyboardInterrupt(f"sweep interrupted; call sweep() again to resume in {report.folder}")
    table, _ = compare_folders([report.folder])
    table.attrs["folder"] = str(report.folder)
    return table


def compare(*folders: str | Path, out: str | Path | None = None) -> pd.DataFrame:
    """The comparison table of result folders and/or sweep folders; with ``out``, also write
    it there as CSV and Excel with the trade-off plots."""
    table, savings = compare_folders(folders)
    if out is not None:
        write_comparison(table, savings, out)
    return table


def load_results(*folders: str | Path) -> list[Result]:
    """Every result held by these folders (a sweep folder gives each solved variant)."""
    return [e.result for e in entries(list(folders)) if e.result is not None]


def pareto(scenario: str | Path, points: int = 5, out: str | Path | None = None,
           overrides: tuple[str, ...] | list[str] = (), progress: bool = False) -> pd.DataFrame:
    """The cost/travel frontier of ``scenario`` (ε-constraint, see :mod:`optimiser.tradeoff`):
    one row per point, ``non_dominated`` marking the frontier; each point's result folder is
    written under ``out`` when given."""
    from .tradeoff import frontier

    return frontier(scenario, points, out, overrides, echo=print if progress else None)
