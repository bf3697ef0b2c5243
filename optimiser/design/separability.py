"""Whether a services design separates by pole (its fixed-pole problem is a sum of pole problems)."""

from __future__ import annotations

from ..inputs import Inputs


def separable(inputs: Inputs) -> bool:
    """Whether the fixed-pole service problem is a sum of pole problems (see :mod:`.pole_pricing`)."""
    si = inputs.services
    if si is None or not si.enabled:
        return False
    if si.budget_max_eur is not None or si.min_savings_eur is not None or si.min_savings_pct is not None:
        return False
    if inputs.loaded.scenario.objective.max_travel_total is not None:
        return False
    return inputs.rules.service_commun is None
