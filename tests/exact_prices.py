"""Every pole's exact price without a solver: the reference the MILPs on the seat models meet.

The closed form (:mod:`optimiser.design.configurations`) is exact where
:class:`~optimiser.design.pole_pricing.PerPoleValue` uses it, and ``tests/test_enumerated_poles.py``
checks it against the one-pole MILP (as drawn, régie or délégation only, priced travel, fairness
keys, the attrition rule); on the tiny cases of the pricing tests the two agree to 1e-12 k€/yr.
A test that compared a MILP path with every pole's MILP price now compares it with this, priced
apart from any MILP and in one pass: :func:`price_columns` over all the poles takes a tenth of a
millisecond a pole, against 2 ms one at a time and 5–7 CPU-ms for a HiGHS solve.
"""

from __future__ import annotations

import math

from optimiser.design.configurations import price_columns
from optimiser.design.pole_pricing import PerPoleValue
from optimiser.solvers import SolverOptions


def exact_prices(inputs, pairs, poles: list[tuple[str, tuple[str, ...]]]) -> dict[tuple[str, tuple[str, ...]], float]:
    """(seat, members) → Δ (k€/yr) of each of ``poles`` under ``inputs``, as
    :meth:`PerPoleValue.pole` prices it in closed form: ∞ for a pole with a member the seat may
    not take or breaking one of its own rules (sizes, seat share), whose MILP is infeasible."""
    value = PerPoleValue(inputs, SolverOptions(name="highs", gap=0.0), pairs)
    assert value.closed_form, "the closed form is not exact for these inputs"
    prices = price_columns(inputs, pairs, poles)
    assert prices is not None
    out = {}
    for (seat, members), delta in zip(poles, prices.delta):
        allowed = all(seat in pairs.seats_of.get(i, ()) for i in members) and value._pole_rules_ok(seat, members)
        out[seat, members] = float(delta) if allowed else math.inf
    return out
