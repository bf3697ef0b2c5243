"""Is the status honest, and does the folder agree with it?

* the status is one of :data:`~optimiser.verification.summary.STATUSES` — any other word is a
  violation, never a reason to skip the other checks;
* ``optimal`` / ``feasible`` come with a finite objective and the design files; ``infeasible``,
  ``time_limit`` and ``error`` with no objective, no pole and none of the design files;
* the bound is not above the objective (a minimisation); the gap is the one objective and bound
  imply, :math:`(z - b) / \\max(|z|, 10^{-9})` (0 within 10⁻⁹ relative noise), and is absent
  exactly when one of them is;
* ``optimal`` only with a gap within the scenario's tolerance, which ``solver_options.gap``
  repeats.
"""

from __future__ import annotations

import math
import numbers

from .files import DESIGN_ONLY, ResultFolder
from .summary import STATUSES, WITH_DESIGN


def implied_gap(objective: float, bound: float) -> float:
    difference = objective - bound
    if difference <= 1e-9 * max(1.0, abs(objective)):
        return 0.0
    return difference / max(abs(objective), 1e-9)


def _finite(x) -> bool:
    return isinstance(x, numbers.Real) and math.isfinite(float(x))


def status_problems(summary: dict, scenario, folder: ResultFolder) -> list[str]:
    out = []
    status = summary["status"]
    objective, bound, gap = summary.get("objective"), summary.get("bound"), summary.get("gap")
    if status not in STATUSES:
        out.append(f"status {status!r} is not one of {', '.join(STATUSES)}")
    for key, value in (("objective", objective), ("bound", bound), ("gap", gap)):
        if value is not None and not _finite(value):
            out.append(f"{key} is {value}, not a finite number")
    tolerance = scenario.solver.gap
    if summary["solver_options"]["gap"] != tolerance:
        out.append(f"solver_options.gap {summary['solver_options']['gap']} but the scenario's solver.gap is {tolerance:g}")
    design_files = [name for name in DESIGN_ONLY if folder.has(name)]
    if status in WITH_DESIGN:
        if objective is None:
            out.append(f"status {status} without an objective")
    elif status in STATUSES:
        if objective is not None:
            out.append(f"status {status} (no design) with an objective of {objective}")
        if design_files:
            out.append(f"status {status} says there is no design, but the folder holds {', '.join(design_files)}")
        if summary.get("n_poles"):
            out.append(f"status {status} (no design) with {summary['n_poles']} poles")
    if _finite(objective) and _finite(bound):
        if bound > objective + 1e-6 * max(1.0, abs(objective)):
            out.append(f"bound {bound} above objective {objective}")
        expected = implied_gap(objective, bound)
        if not _finite(gap) or not math.isclose(gap, expected, rel_tol=1e-6, abs_tol=1e-12):
            out.append(f"gap {gap} but objective {objective} and bound {bound} give {expected:.6g}")
    elif gap is not None:
        out.append(f"a gap of {gap} without both an objective and a bound")
    if status == "optimal":
        if gap is None:
            out.append("optimal without a gap")
        elif _finite(gap) and gap > tolerance + 1e-9:
            out.append(f"called optimal with a gap of {gap:.2e} > tolerance {tolerance:g}")
    return out
