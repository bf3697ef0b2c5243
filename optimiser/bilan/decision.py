"""Generalise the pooling or not: the documented rule, applied to the bilan.

In order, the first that applies decides:

1. **not enough evidence** (``extend``) — under :data:`MIN_COVERAGE` of the planned pole costs
   were reported: extend the trial a year and collect the missing actuals;
2. **do not generalise** (``stop``) — the saving realised against the status quo is not positive,
   or the re-planned saving (the plan re-solved with the recalibrated parameters) is not;
3. **generalise with corrections** (``correct``) — the saving realised is under
   :data:`MIN_REALISATION` of the planned one, or a service level slipped: complaints up more
   than :data:`MAX_SERVICE_SLIP` against the year before, response time longer by more than that,
   or under :data:`MIN_MOWING_SHARE` of the planned mowing passes done;
4. **generalise** (``generalise``) otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

MIN_COVERAGE = 0.5
MIN_REALISATION = 0.5
MAX_SERVICE_SLIP = 0.20
MIN_MOWING_SHARE = 0.90


@dataclass(frozen=True)
class Decision:
    outcome: str  # extend | stop | correct | generalise
    reasons: tuple[str, ...]  # message keys with their values, rendered by the report


def service_levels(levels: pd.DataFrame) -> dict:
    """Territory-wide service levels (totals and means over the rows that report them)."""
    def total(column):
        values = levels[column].dropna() if column in levels else pd.Series(dtype=float)
        return float(values.sum()) if len(values) else math.nan

    def mean(column):
        values = levels[column].dropna() if column in levels else pd.Series(dtype=float)
        return float(values.mean()) if len(values) else math.nan

    both = levels.dropna(subset=["complaints", "complaints_before"]) if len(levels) else levels
    timed = levels.dropna(subset=["response_time_days", "response_time_days_before"]) if len(levels) else levels
    return {"complaints": float(both["complaints"].sum()) if len(both) else math.nan,
            "complaints_before": float(both["complaints_before"].sum()) if len(both) else math.nan,
            "response_time_days": float(timed["response_time_days"].mean()) if len(timed) else math.nan,
            "response_time_days_before": float(timed["response_time_days_before"].mean()) if len(timed) else math.nan,
            "mowing_passes_done_share": mean("mowing_passes_done_share"), "complaints_all": total("complaints")}


def decide(key: dict, levels: dict, replanned_saving: float | None) -> Decision:
    """The rule of the module docstring."""
    if key["cost_coverage"] < MIN_COVERAGE:
        return Decision("extend", (("bilan.why.coverage", {"coverage": key["cost_coverage"], "min": MIN_COVERAGE}),))
    stop = []
    if key["saving_realised_eur"] <= 0:
        stop.append(("bilan.why.no_saving", {"saving": key["saving_realised_eur"]}))
    if replanned_saving is not None and replanned_saving <= 0:
        stop.append(("bilan.why.replan_negative", {"saving": replanned_saving}))
    if stop:
        return Decision("stop", tuple(stop))
    fixes = []
    rate = key["saving_realisation_rate"]
    if not math.isnan(rate) and rate < MIN_REALISATION:
        fixes.append(("bilan.why.low_realisation", {"rate": rate, "min": MIN_REALISATION}))
    c, c0 = levels["complaints"], levels["complaints_before"]
    if not math.isnan(c) and not math.isnan(c0) and c > c0 * (1 + MAX_SERVICE_SLIP):
        fixes.append(("bilan.why.complaints", {"now": c, "before": c0}))
    r, r0 = levels["response_time_days"], levels["response_time_days_before"]
    if not math.isnan(r) and not math.isnan(r0) and r > r0 * (1 + MAX_SERVICE_SLIP):
        fixes.append(("bilan.why.response", {"now": r, "before": r0}))
    m = levels["mowing_passes_done_share"]
    if not math.isnan(m) and m < MIN_MOWING_SHARE:
        fixes.append(("bilan.why.mowing", {"share": m, "min": MIN_MOWING_SHARE}))
    if fixes:
        return Decision("correct", tuple(fixes))
    return Decision("generalise", (("bilan.why.all_good", {"rate": rate}),))
