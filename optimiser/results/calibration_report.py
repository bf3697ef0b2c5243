"""The report's section on the status quo against the sourced aggregates (``status_quo_check.csv``)."""

from __future__ import annotations

import pandas as pd

STATUS_WORDS = {"inside": "inside", "below": "below", "above": "above", "far below": "**far below**",
                "far above": "**far above**", "no range": "no sourced range"}


def _range(r) -> str:
    if pd.isna(r.low) or pd.isna(r.high):
        return "—"
    return f"{r.low:,.1f}–{r.high:,.1f}"


def render_status_quo_check(summary: dict, tables) -> list[str]:
    """Markdown lines: the headline, the territory, then every commune's indicators."""
    check = getattr(tables, "status_quo_check", None)
    if check is None or not len(check):
        return []
    out = ["### Is the status quo believable?", "",
           "Each commune and the whole territory against the sourced aggregates of `cost_parameters.yaml` "
           "(`status_quo_check.csv`): field FTE per 1,000 inhabitants (agents and team leaders of the field services "
           "run in régie; central value by size band) and € per inhabitant per service where a source gives one "
           "(voirie = routine maintenance + works).", ""]
    if summary.get("status_quo_headline"):
        out += [summary["status_quo_headline"], ""]
    out += ["| Scope | Population | Indicator | Value | Central | Range | Status |", "|---|---:|---|---:|---:|---|---|"]
    for r in check.itertuples():
        out.append(f"| {r.name} | {int(r.population):,} | {r.indicator} | {r.value:,.2f} | {r.central:,.2f} | {_range(r)} | "
                   f"{STATUS_WORDS.get(r.status, r.status)} |")
    out.append("")
    warnings = summary.get("status_quo_warnings") or []
    if warnings:
        out += ["Inventory entries far outside the sourced ranges (warnings, not errors: check the rows named):", ""]
        out += [f"- {w}" for w in warnings] + [""]
    return out
