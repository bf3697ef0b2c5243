r"""The cost / travel trade-off frontier by the ε-constraint method.

1. Solve for the least cost (travel only breaks ties): travel :math:`T^{max}`, cost :math:`C^{min}`.
2. Solve for the least travel (travel priced far above any cost difference): travel :math:`T^{min}`.
3. For ε evenly spaced in :math:`(T^{min}, T^{max})`: minimise cost subject to population-weighted
   travel :math:`\le \varepsilon` (``objective.max_travel_total``).

Each point is a full result folder. Points are kept when no other point is at least as good on
both and better on one (non-dominated); a point whose solve stopped on its time limit is marked
(its cost is an upper bound, so it can only look dominated, never wrongly dominate another by more
than its gap).
"""

from __future__ import annotations

import dataclasses
import numbers
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .api import solve
from .comparison.plots import pareto_mask
from .errors import InputError, Problem
from .inputs.preparation import prepare
from .results.figures import new_figure
from .results.folder import check_writable
from .scenario.compose import Composed, compose_file, overlaps
from .scenario.load import apply_overrides, load_variant

#: € per person-minute that makes travel dominate any cost difference (the least-travel end).
TRAVEL_FIRST_EUR = 1000.0


@dataclass
class FrontierPoint:
    label: str
    result: object
    folder: Path | None

    @property
    def travel(self) -> float | None:
        return _travel(self.result)


def _travel(result) -> float | None:
    communes = result.communes
    if communes is None:
        return None
    placed = communes[~communes["alone"]]
    return float((placed["population"] * placed["travel_min"]).sum())


#: Most points on one frontier: each is a full solve, and past a few dozen the curve no longer
#: changes between neighbours (the designs are discrete).
MAX_POINTS = 100


def frontier(scenario: str | Path | Composed, points: int = 5, out: str | Path | None = None,
             overrides: list[str] | tuple[str, ...] = (), echo=print) -> pd.DataFrame:
    """Solve the frontier (see module docstring); write each point and ``pareto.csv``/``.png``
    under ``out`` when given. Returns one row per point.

    ``scenario`` is a file (read once; a file with variants gives its ``base`` run, as
    :func:`~optimiser.scenario.load.load_scenario`) or an already composed one."""
    where = str(scenario.source if isinstance(scenario, Composed) else scenario)
    composed = scenario if isinstance(scenario, Composed) else compose_file(scenario)
    variant = composed.variant(None)
    base = load_variant(composed, variant, list(overrides))
    problems = []
    if base.scenario.services is None:
        problems.append(Problem(where, "services", "a cost/travel frontier needs a services block "
                                "(services: {} uses every default)", show_value=False))
    if base.scenario.objective.travel != "time":  # the travel of a point and the ε are person-minutes
        problems.append(_key_problem(base, overrides, "objective.travel", base.scenario.objective.travel,
                                     "the cost/travel frontier is measured in travel time",
                                     hint="set objective.travel: time"))
    if problems:
        raise InputError(problems)
    if isinstance(points, bool) or not isinstance(points, numbers.Integral) or not 2 <= points <= MAX_POINTS:
        raise InputError([Problem("--points", "", f"a whole number of points from 2 (the two ends) to {MAX_POINTS} "
                                  "(each point is a full solve)", points)])
    if out is not None and Path(out).exists() and any(Path(out).iterdir()) and not (Path(out) / "pareto.csv").exists():
        raise InputError([Problem("--out", str(out), "exists, is not empty and holds no earlier frontier; choose another "
                                  "folder (nothing was written)", show_value=False)])
    if out is not None:
        check_writable(Path(out))  # before solving, not after
    inputs = prepare(base)

    def run(label: str, extra: list[str]) -> FrontierPoint:
        loaded = load_variant(composed, variant, list(overrides) + extra)
        result = solve(loaded, dataclasses.replace(inputs, loaded=loaded))
        folder = None
        if out is not None and result.has_design:
            folder = result.to_dir(Path(out) / label, draw=loaded.scenario.outputs.map)  # as run and sweep
        point = FrontierPoint(label, result, folder)
        if echo:
            travel = point.travel
            cost = result.typed_summary.total_cost
            echo(f"  {label:<14} {result.status:<10} travel {travel if travel is None else f'{travel:,.0f}'} person-min   "
                 f"cost {cost if cost is None else f'{cost / 1000:,.1f}'} k€")
        return point

    cheapest = run("least-cost", [])
    closest = run("least-travel", [f"objective.travel_weight_eur={TRAVEL_FIRST_EUR}"])
    found = [cheapest, closest]
    if cheapest.travel is not None and closest.travel is not None and cheapest.travel > closest.travel + 1e-6:
        for k, eps in enumerate(np.linspace(closest.travel, cheapest.travel, points)[1:-1], 1):
            found.append(run(f"point-{k}", [f"objective.max_travel_total={eps:.6f}"]))
    table = _table(found)
    if out is not None:
        _write(Path(out), table)
    return table


def _key_problem(loaded, overrides, key: str, value, message: str, hint: str | None = None) -> Problem:
    """A problem with scenario ``key``, blamed on the ``--set`` that set it if one did, else on
    the scenario file (at its line when the file itself sets the key)."""
    _, origin = apply_overrides({}, overrides)
    where = next((label for leaf, label in origin.items() if overlaps(leaf, key)), None)
    if where is not None:
        return Problem(where, key, message, value, hint=hint)
    return Problem(str(loaded.source), key, message, value, hint=hint, line=loaded.lines.get(key))


def _table(points: list[FrontierPoint]) -> pd.DataFrame:
    rows = []
    for p in points:
        s = p.result.typed_summary
        costs = s.services
        rows.append({
            "point": p.label, "status": s.status, "gap": s.gap,
            "total_cost": s.total_cost, "savings": costs.savings if costs else None,
            # the mean over communes in a pole, as summary.json and the comparison table give it
            "travel_person_min": p.travel, "mean_travel_min": s.mean_travel_min,
            "n_poles": s.n_poles, "services_pooled": costs.services_pooled if costs else None,
            "folder": str(p.folder) if p.folder else None,
        })
    table = pd.DataFrame(rows).sort_values("travel_person_min", na_position="last").reset_index(drop=True)
    table["non_dominated"] = pareto_mask(table["travel_person_min"], table["total_cost"])
    return table


def _write(out: Path, table: pd.DataFrame) -> None:
    """``pareto.csv`` and ``pareto.png`` beside the point folders (the folder is not atomic as a
    whole: each point folder is, and these two files are written last)."""
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "pareto.csv", index=False)
    solved = table.dropna(subset=["mean_travel_min", "total_cost"])
    fig, ax = new_figure((7, 5))
    ax.plot(solved["mean_travel_min"], solved["total_cost"] / 1000, "o", color="#999999", label="solved")
    front = solved[solved["non_dominated"]]
    ax.plot(front["mean_travel_min"], front["total_cost"] / 1000, "o-", color="#d62728", label="non-dominated")
    for r in solved.itertuples():
        ax.annotate(r.point + ("" if r.status == "optimal" else f" ({r.status})"), (r.mean_travel_min, r.total_cost / 1000),
                    xytext=(4, 4), textcoords="offset points", fontsize=7)
    ax.set_xlabel("population-weighted mean trip to the seat (min)")
    ax.set_ylabel("total yearly cost (k€, HT)")
    ax.set_title("Cost against travel: the trade-off frontier")
    ax.legend(frameon=False)
    fig.savefig(out / "pareto.png", dpi=150, bbox_inches="tight")

