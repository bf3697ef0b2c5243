"""Checks of a roadmap's files: every year's costs re-added from ``roadmap.csv``.

``trajectory.csv``: per year, the running cost, set-up and machine sales are the sums of
``roadmap.csv``'s rows; plan = running + set-up − sales; saving = status quo − plan; the
cumulative and discounted columns follow; ``summary.json``'s break-even year and yearly figures
agree. ``phases.csv``: a phase's users are in its state from its start year on and at their
status quo before it (commitments stay made). The status quo and the phases' prices themselves
are re-derived by the cost formula only when the run is repeated (``optimiser run
scenario.resolved.yaml``): the folder holds no per-year price of the phases a check could use.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TOLERANCE_EUR = 0.05


def roadmap_problems(folder: Path, summary: dict) -> list[str]:
    folder = Path(folder)
    problems = []
    try:
        roadmap = pd.read_csv(folder / "roadmap.csv", dtype={"insee_code": str})
        traj = pd.read_csv(folder / "trajectory.csv")
        phases = pd.read_csv(folder / "phases.csv", dtype={"seat_insee_code": str, "user_codes": str})
    except (OSError, ValueError) as exc:
        return [f"roadmap files unreadable: {exc}"]
    cumulative = cumulative_d = 0.0
    for row in traj.itertuples(index=False):
        year = roadmap[roadmap["year"] == row.year]
        sums = {"running_eur": year["cost_eur"].sum(), "setup_eur": year["setup_eur"].sum(), "sale_eur": year["sale_eur"].sum()}
        for column, value in sums.items():
            if abs(getattr(row, column) - value) > TOLERANCE_EUR * max(1, len(year)):
                problems.append(f"trajectory.csv {row.year} {column}: {getattr(row, column):,.2f}, roadmap.csv adds up to {value:,.2f}")
        plan = row.running_eur + row.setup_eur - row.sale_eur
        if abs(row.plan_eur - plan) > 0.05:
            problems.append(f"trajectory.csv {row.year} plan_eur: {row.plan_eur:,.2f}, running + set-up − sales = {plan:,.2f}")
        if abs(row.saving_eur - (row.status_quo_eur - row.plan_eur)) > 0.05:
            problems.append(f"trajectory.csv {row.year} saving_eur is not status quo − plan")
        cumulative += row.saving_eur
        cumulative_d += row.saving_eur * row.discount_factor
        if abs(row.cumulative_saving_eur - cumulative) > 0.05 * len(traj):
            problems.append(f"trajectory.csv {row.year} cumulative_saving_eur: {row.cumulative_saving_eur:,.2f}, the sum is {cumulative:,.2f}")
        if abs(row.cumulative_discounted_saving_eur - cumulative_d) > 0.05 * len(traj):
            problems.append(f"trajectory.csv {row.year} cumulative_discounted_saving_eur does not add up")
    from ..roadmap.tables import break_even_year

    road = summary.get("roadmap", {})
    if road.get("break_even_year") != break_even_year(traj):
        problems.append(f"summary.json roadmap.break_even_year {road.get('break_even_year')}, trajectory.csv gives {break_even_year(traj)}")
    for phase in phases.itertuples(index=False):
        rows = roadmap[roadmap["phase"] == phase.phase]
        start = None if pd.isna(phase.start_year) else int(phase.start_year)
        before = rows if start is None else rows[rows["year"] < start]
        after = rows.iloc[0:0] if start is None else rows[rows["year"] >= start]
        if (~before["state"].isin(["status-quo", "outside"])).any():
            problems.append(f"roadmap.csv: phase {phase.phase} changes a service before its start year {start}")
        if (after["state"].isin(["status-quo", "outside"])).any():
            problems.append(f"roadmap.csv: phase {phase.phase} reverts to the status quo after starting in {start}")
    return problems
