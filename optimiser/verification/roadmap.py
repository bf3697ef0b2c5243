"""Checks of a roadmap's files: every year's costs re-added from ``roadmap.csv``.

``trajectory.csv``: per year, the running cost, set-up and machine sales are the sums of
``roadmap.csv``'s rows; plan = running + set-up − sales; saving = status quo − plan; the
cumulative and discounted columns follow; ``summary.json``'s break-even year and yearly figures
agree. ``phases.csv``: a phase's users are in its state from its start year on and at their
status quo before it (commitments stay made). Then every year's cost is **re-computed** from the
folder's inputs (:func:`optimiser.roadmap.replay.replay`: status quo with machine renewals,
each phase re-priced year by year, set-up and sales) and compared, row by row, with
``roadmap.csv``, ``trajectory.csv`` and ``flows_by_year.csv``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..results.records import row_tuples

TOLERANCE_EUR = 0.05


def recomputed_problems(folder: Path, loaded, inputs, summary: dict) -> list[str]:
    """``roadmap.csv`` and ``trajectory.csv`` against the cost formula run again on the folder's inputs."""
    from ..roadmap.replay import replay

    folder = Path(folder)
    again = replay(folder, loaded, inputs, summary)
    problems = []
    written = pd.read_csv(folder / "roadmap.csv", dtype={"insee_code": str})
    keys = ["year", "insee_code", "service"]
    merged = written.merge(again.tables["roadmap"], on=keys, how="outer", suffixes=("", "_again"), indicator=True)
    for row in row_tuples(merged[merged["_merge"] != "both"].head(5), index=False):
        problems.append(f"roadmap.csv: row {row.year} / {row.insee_code} / {row.service} "
                        f"{'not expected' if row._merge == 'left_only' else 'missing'}")
    both = merged[merged["_merge"] == "both"]
    for column in ("cost_eur", "setup_eur", "sale_eur"):
        off = both[(both[column] - both[f"{column}_again"]).abs() > 0.02]
        for row in row_tuples(off.head(5), index=False):
            problems.append(f"roadmap.csv {row.year} {row.insee_code} {row.service} {column}: {getattr(row, column):,.2f}, "
                            f"the cost formula gives {getattr(row, column + '_again'):,.2f}")
    off = both[both["state"] != both["state_again"]]
    for row in row_tuples(off.head(5), index=False):
        problems.append(f"roadmap.csv {row.year} {row.insee_code} {row.service} state {row.state!r}, expected {row.state_again!r}")
    traj = pd.read_csv(folder / "trajectory.csv")
    expected = again.tables["trajectory"]
    for column in ("status_quo_eur", "plan_eur", "saving_eur", "cumulative_saving_eur"):
        for year, a, b in zip(traj["year"], traj[column], expected[column]):
            if abs(a - b) > 0.05 * max(1, len(written) / max(1, len(traj))):
                problems.append(f"trajectory.csv {year} {column}: {a:,.2f}, the cost formula gives {b:,.2f}")
    flows_file = folder / "flows_by_year.csv"
    if flows_file.is_file():  # the money flows of every year, from the re-computed costs
        flows = pd.read_csv(flows_file, dtype={"member": str})
        again_flows = again.tables["flows"]
        money = [c for c in again_flows.columns if c.endswith("_eur") and c in flows.columns]
        merged = flows.merge(again_flows, on=["year", "member"], how="outer", suffixes=("", "_again"), indicator=True)
        if (merged["_merge"] != "both").any():
            problems.append(f"flows_by_year.csv: {int((merged['_merge'] != 'both').sum())} (year, member) rows differ from the re-computed ones")
        both = merged[merged["_merge"] == "both"]
        for column in money:
            a, b = both[column].astype(float).fillna(0.0), both[f"{column}_again"].astype(float).fillna(0.0)
            for row in row_tuples(both[(a - b).abs() > 0.05].head(3), index=False):
                problems.append(f"flows_by_year.csv {row.year} {row.member} {column}: {getattr(row, column)}, "
                                f"re-computed {getattr(row, column + '_again')}")
    return problems


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
    for row in row_tuples(traj, index=False):
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
        # the discount factor is written to 6 decimals: a relative tolerance of 1e-6 of the saving
        if abs(row.cumulative_discounted_saving_eur - cumulative_d) > 0.05 * len(traj) + 1e-6 * abs(row.saving_eur) * len(traj):
            problems.append(f"trajectory.csv {row.year} cumulative_discounted_saving_eur does not add up")
    from ..roadmap.tables import break_even_year

    road = summary.get("roadmap", {})
    if road.get("break_even_year") != break_even_year(traj):
        problems.append(f"summary.json roadmap.break_even_year {road.get('break_even_year')}, trajectory.csv gives {break_even_year(traj)}")
    for phase in row_tuples(phases, index=False):
        rows = roadmap[roadmap["phase"] == phase.phase]
        start = None if pd.isna(phase.start_year) else int(phase.start_year)
        before = rows if start is None else rows[rows["year"] < start]
        after = rows.iloc[0:0] if start is None else rows[rows["year"] >= start]
        if (~before["state"].isin(["status-quo", "outside"])).any():
            problems.append(f"roadmap.csv: phase {phase.phase} changes a service before its start year {start}")
        if (after["state"].isin(["status-quo", "outside"])).any():
            problems.append(f"roadmap.csv: phase {phase.phase} reverts to the status quo after starting in {start}")
    return problems
