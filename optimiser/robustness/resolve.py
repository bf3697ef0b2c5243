"""Does a decision change? Re-solve the model with a factor at one end of its range.

A re-solve is a full run (the pole and service model) with the factor's values in place of the
sourced ones; its decisions are compared with the nominal design's: the seat of each commune
(a pole), each (member, service) pooled or not (a pooling choice) and each pole service's mode.
"""

from __future__ import annotations

import dataclasses

from .repricing import FixedDesign
from .worlds import priced_inputs

#: Text of each kind of decision, for the report.
KINDS = {"poles": "pole seat", "pooling": "pooling choice", "modes": "mode"}


def solve_with(loaded, inputs, values: dict):
    """The result of ``loaded`` solved with ``values`` (``key`` / ``key.field`` → number)."""
    from ..api import solve

    services = priced_inputs(loaded, inputs.services, inputs.territory, values)
    return solve(loaded, inputs=dataclasses.replace(inputs, services=services), on_interrupt="keep")


def decision_changes(nominal: FixedDesign, other: FixedDesign) -> dict[str, int]:
    """How many decisions of each kind differ between two designs."""
    seats = sum(1 for c in set(nominal.assignment) | set(other.assignment)
                if nominal.assignment.get(c) != other.assignment.get(c))
    pooling = len(set(nominal.pooled.items()) ^ set(other.pooled.items()))
    shared = set(nominal.modes) & set(other.modes)
    modes = sum(1 for k in shared if nominal.modes[k] != other.modes[k])
    return {"poles": seats, "pooling": pooling, "modes": modes}


def describe(changes: dict[str, int]) -> str:
    parts = [f"{n} {KINDS[k]}{'s' if n > 1 else ''}" for k, n in changes.items() if n]
    return ", ".join(parts) if parts else "none"


def check_factor(loaded, inputs, nominal: FixedDesign, factor) -> str:
    """``low: …; high: …`` — the decisions a re-solve at each end changes (or why it could not say)."""
    out = []
    for end in ("low", "high"):
        result = solve_with(loaded, inputs, factor.values(end))
        if not result.has_design or result.design.services is None:
            out.append(f"{end}: no design ({result.status})")
            continue
        other = FixedDesign.from_services(result.design.services, result.design.assignment)
        out.append(f"{end}: {describe(decision_changes(nominal, other))}"
                   + ("" if result.status == "optimal" else f" ({result.status})"))
    return "; ".join(out)
