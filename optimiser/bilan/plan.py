r"""The plan being evaluated: its rows, read from a result folder.

A single-year result is a plan of one period, labelled by :func:`plan_period` (the result's
``summary.json`` ``year`` when it has one, else ``"1"``). :func:`read_plan` is the one place that
extracts "the plan"; everything downstream (template, bilan, recalibration) takes its two tables.
A roadmap result (``roadmap.csv``, ``phases.csv``, ``trajectory.csv`` beside the steady-state
files) is a plan of one period per year of its horizon; ``period`` names the year
(:func:`roadmap_year_plan`):

* pole services: the ``services.csv`` rows whose phase (``phases.csv``, matched by pole and
  service) has started by that year; a phase not yet started is not in that year's plan. Their
  quantities (workload, FTE, hours, machine days) are the steady state's; their costs by category
  are the steady state's times the phase's ratio :math:`r_{p,Y} = \sum_{u} c_{u,Y} / \sum_u
  \text{pays}_u` — its users' ``roadmap.csv`` ``cost_eur`` that year over what they pay in the
  steady state (``shares.csv``): attrition, machine renewals and reused machines move it;
* commune rows: ``roadmap.csv`` that year, ``pays_eur`` = its ``cost_eur``; a service whose phase
  has not started is ``kept-regie`` (delivered by the commune) or ``kept-delegation`` (by a
  contractor) with no pole; a commune not yet in the perimeter (``outside``) is not in the plan;
* status quo and planned total: that year's ``trajectory.csv`` ``status_quo_eur`` and
  ``plan_eur`` (running cost + set-up − machine sales).

Two tables, money in € a year TTC net of the FCTVA as in the result:

``poles``     one row per pole × service (``services.csv``): mode, workload and unit, FTE, hours
              (FTE × productive hours a year), machine days and units (``equipment.csv``), and the
              cost by category of :data:`CATEGORIES`;
``communes``  one row per commune (or the EPCI) × service (``shares.csv`` and
              ``status_quo.csv``): choice, pole, workload, what it was to pay, what it paid alone
              before (status quo) and its reorganised-alone cost.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..results.reading import read_csv, read_summary

#: The cost categories of the bilan and the ``services.csv`` columns each adds up; they add up to
#: ``total_eur``. Staff carries the régime indemnitaire and redeployed staff (both pay);
#: machines carry their road transfers; contracts carry the procedure cost of their lots.
CATEGORIES: dict[str, tuple[str, ...]] = {
    "staff_eur": ("staff_eur", "ri_harmonisation_eur", "redeployed_staff_eur"),
    "supplies_eur": ("supplies_eur",),
    "vehicles_eur": ("vehicle_eur",),
    "machines_eur": ("equipment_eur", "transfer_eur"),
    "contract_eur": ("contract_eur", "lots_eur"),
    "coordination_eur": ("coordination_eur",),
}
#: The plan files the bilan reads (and copies into its folder, with their hashes).
PLAN_FILES = ("summary.json", "scenario.resolved.yaml", "services.csv", "equipment.csv", "shares.csv",
              "status_quo.csv", "communes.csv", "poles.csv", "parameters.csv")
#: The roadmap's files a roadmap-year plan also reads (and the bilan copies).
ROADMAP_FILES = ("roadmap.csv", "phases.csv", "trajectory.csv")


@dataclass(frozen=True)
class Plan:
    """The plan of one period (see module docstring)."""

    folder: Path
    period: str
    summary: dict
    poles: pd.DataFrame
    communes: pd.DataFrame
    parameters: pd.DataFrame
    hours_per_fte: float
    roadmap_year: int | None = None
    """The roadmap year this plan is (None: a single-year result)."""

    @property
    def status_quo_cost(self) -> float:
        return float(self.summary["status_quo_cost"])

    @property
    def total_cost(self) -> float:
        return float(self.summary["total_cost"])


def plan_period(summary: dict) -> str:
    """The period a result plans: its ``year`` (a roadmap year) if it says one, else ``"1"``."""
    year = summary.get("year") or (summary.get("roadmap") or {}).get("year")
    return str(int(year)) if isinstance(year, (int, float)) and not isinstance(year, bool) else str(year or "1")


def is_roadmap(folder: Path) -> bool:
    """Whether ``folder`` is a roadmap result (its yearly tables beside the steady state)."""
    return all((Path(folder) / n).is_file() for n in ROADMAP_FILES)


def file_hashes(folder: Path, names=PLAN_FILES + ROADMAP_FILES) -> dict[str, str]:
    """sha256 of each of ``names`` present in ``folder``."""
    return {n: hashlib.sha256((Path(folder) / n).read_bytes()).hexdigest() for n in names if (Path(folder) / n).is_file()}


def read_plan(folder: Path, period: str | None = None, hours_per_fte: float | None = None) -> Plan:
    """The plan's rows from result folder ``folder`` (see module docstring).

    A folder that is not a result with services (no ``services.csv``, or no total cost) is an
    :class:`InputError`: there is nothing to hold actuals against."""
    folder = Path(folder)
    if not (folder / "summary.json").is_file():
        raise InputError([Problem(str(folder), "", "is not a result folder (no summary.json)", show_value=False,
                                  hint="give the folder optimiser run wrote")])
    summary = read_summary(folder / "summary.json")
    if summary.get("total_cost") is None or not (folder / "services.csv").is_file():
        raise InputError([Problem(str(folder), "", "this result has no service plan (no services block, or no design): "
                                  "there is nothing to compare actuals with", show_value=False)])
    roadmap = is_roadmap(folder)
    if roadmap:
        years = roadmap_years(folder)
        if period is None:
            raise InputError([Problem(str(folder), "--year", "is needed: this result is a roadmap over "
                                      f"{years[0]}–{years[-1]}; the bilan evaluates one of its years", show_value=False,
                                      hint=f"e.g. --year {years[0]}")])
        year = _year(period, years, folder)
        period = str(year)
    else:
        own = plan_period(summary)
        if period is not None and str(period) != own:
            raise InputError([Problem(str(folder), "--year", f"is for a roadmap result; this result plans a single "
                                      f"period ({own}): leave --year out", period)])
        period = own
    services = read_csv(folder / "services.csv", dtype={"seat_insee_code": str},
                        required=("pole", "seat_insee_code", "service", "mode", "workload", "unit", "fte", "total_eur"))
    equipment = read_csv(folder / "equipment.csv", dtype={"seat_insee_code": str},
                         required=("pole", "service", "machine_days", "units_needed", "capacity_days"))
    shares = read_csv(folder / "shares.csv", dtype={"member": str},
                      required=("member", "name", "service", "choice", "pole", "standalone_eur", "pays_eur"))
    status_quo = read_csv(folder / "status_quo.csv", dtype={"member": str},
                          required=("member", "service", "workload", "unit", "total_eur"))
    communes = read_csv(folder / "communes.csv", dtype={"insee_code": str}, required=("insee_code", "population"))
    poles = read_csv(folder / "poles.csv", required=("pole", "population"))
    parameters = read_csv(folder / "parameters.csv", required=("group", "parameter", "value", "source"))
    if hours_per_fte is None:
        hours_per_fte = _hours_per_fte()
    pole_rows = _pole_rows(services, equipment, poles, period, hours_per_fte)
    commune_rows = _commune_rows(shares, status_quo, communes, period)
    if not roadmap:
        return Plan(folder, period, summary, pole_rows, commune_rows, parameters, hours_per_fte)
    return roadmap_year_plan(folder, year, summary, pole_rows, commune_rows, shares, parameters, hours_per_fte)


def roadmap_years(folder: Path) -> list[int]:
    """The years of a roadmap result (``trajectory.csv``)."""
    trajectory = read_csv(Path(folder) / "trajectory.csv", required=("year", "status_quo_eur", "plan_eur"))
    return sorted(int(y) for y in trajectory["year"])


def _year(period, years: list[int], folder: Path) -> int:
    text = str(period).strip()
    try:
        year = int(float(text))
    except ValueError:
        year = None
    if year is None or str(year) != text.split(".")[0] or year not in years:
        raise InputError([Problem(str(folder), "--year", f"is not a year of this roadmap (expected a year from "
                                  f"{years[0]} to {years[-1]})", period)])
    return year


def roadmap_year_plan(folder: Path, year: int, summary: dict, steady_poles: pd.DataFrame, steady_communes: pd.DataFrame,
                      shares: pd.DataFrame, parameters: pd.DataFrame, hours_per_fte: float) -> Plan:
    """The plan of roadmap year ``year`` (see module docstring) from the steady state's rows."""
    roadmap = read_csv(folder / "roadmap.csv", dtype={"insee_code": str},
                       required=("year", "insee_code", "name", "service", "state", "delivered_by", "phase", "cost_eur"))
    phases = read_csv(folder / "phases.csv", required=("phase", "pole", "service", "start_year", "user_codes"))
    trajectory = read_csv(folder / "trajectory.csv", required=("year", "status_quo_eur", "plan_eur"))
    this_year = roadmap[roadmap["year"].astype(int) == year]
    steady_pays = {(str(r["member"]), r["service"]): float(r["pays_eur"]) for _, r in shares.iterrows()}
    started = {}
    for _, p in phases.iterrows():
        if pd.notna(p["start_year"]) and int(p["start_year"]) <= year:
            users = this_year[this_year["phase"] == p["phase"]]
            planned = sum(steady_pays.get((str(u), p["service"]), 0.0) for u in users["insee_code"])
            started[(str(p["pole"]), p["service"])] = float(users["cost_eur"].sum()) / planned if planned else 1.0
    keep = [(str(r["pole"]), r["service"]) in started for _, r in steady_poles.iterrows()]
    poles = steady_poles[keep].copy() if len(steady_poles) else steady_poles
    poles["period"] = str(year)
    for k, r in poles.iterrows():
        ratio = started[(str(r["pole"]), r["service"])]
        for column in (*CATEGORIES, "total_eur"):
            poles.at[k, column] = float(r[column]) * ratio
    steady = steady_communes.set_index(["insee_code", "service"])
    rows = []
    for _, r in this_year.iterrows():
        if r["state"] == "outside":
            continue  # not yet in the perimeter
        key = (r["insee_code"], r["service"])
        base = steady.loc[key].to_dict() if key in steady.index else {
            "commune": r["name"], "unit": "", "population": 0.0, "workload": 0.0, "alone_eur": float(r["cost_eur"]),
            "status_quo_eur": float(r["cost_eur"]), "choice": "", "pole": ""}
        row = {**base, "period": str(year), "insee_code": r["insee_code"], "service": r["service"],
               "pays_eur": float(r["cost_eur"])}
        if r["state"] == "status-quo":  # its phase has not started: it delivers the service as today
            row.update(choice="kept-delegation" if r["delivered_by"] == "contractor" else "kept-regie", pole="",
                       status_quo_eur=float(r["cost_eur"]))
        rows.append(row)
    communes = pd.DataFrame(rows, columns=steady_communes.columns)
    t = trajectory[trajectory["year"].astype(int) == year].iloc[0]
    year_summary = {**summary, "year": year, "status_quo_cost": float(t["status_quo_eur"]), "total_cost": float(t["plan_eur"]),
                    "savings": float(t["status_quo_eur"]) - float(t["plan_eur"])}
    return Plan(folder, str(year), year_summary, poles.reset_index(drop=True), communes, parameters, hours_per_fte, year)


def _hours_per_fte() -> float:
    """Productive hours of one FTE a year: the catalogue's productive days × hours a day
    (``meta.productive_days_per_fte``: about 1,450 h)."""
    from ..services.catalogue import default_catalogue

    catalogue = default_catalogue()
    return float(catalogue.productive_days.value * catalogue.hours_per_day.value)


def _pole_rows(services, equipment, poles, period, hours_per_fte) -> pd.DataFrame:
    machines = equipment.assign(capacity=equipment["units_needed"] * equipment["capacity_days"]).groupby(
        ["pole", "service"], as_index=False)[["machine_days", "units_needed", "capacity"]].sum()
    population = dict(zip(poles["pole"], poles["population"]))
    rows = []
    for _, r in services.iterrows():
        m = machines[(machines["pole"] == r["pole"]) & (machines["service"] == r["service"])]
        row = {"period": period, "pole": r["pole"], "seat_insee_code": r["seat_insee_code"], "service": r["service"],
               "mode": r["mode"], "unit": r["unit"], "population": float(population.get(r["pole"], 0.0)),
               "workload": float(r["workload"]), "fte": float(r["fte"]), "hours": float(r["fte"]) * hours_per_fte,
               "machine_days": float(m["machine_days"].sum()), "machine_units": float(m["units_needed"].sum()),
               "machine_capacity_days": float(m["capacity"].sum())}
        for category, columns in CATEGORIES.items():
            row[category] = float(sum(float(r[c]) for c in columns if c in services.columns and pd.notna(r[c])))
        row["total_eur"] = float(r["total_eur"])
        rows.append(row)
    return pd.DataFrame(rows)


def _commune_rows(shares, status_quo, communes, period) -> pd.DataFrame:
    before = status_quo.set_index(["member", "service"])
    population = dict(zip(communes["insee_code"], communes["population"]))
    rows = []
    for _, r in shares.iterrows():
        key = (r["member"], r["service"])
        sq = before.loc[key] if key in before.index else None
        rows.append({"period": period, "insee_code": r["member"], "commune": r["name"], "service": r["service"],
                     "choice": r["choice"], "pole": r["pole"] if isinstance(r["pole"], str) else "",
                     "unit": sq["unit"] if sq is not None else "",
                     "population": float(population.get(r["member"], 0.0)),
                     "workload": float(sq["workload"]) if sq is not None else 0.0,
                     "pays_eur": float(r["pays_eur"]), "alone_eur": float(r["standalone_eur"]),
                     "status_quo_eur": float(sq["total_eur"]) if sq is not None else float(r["standalone_eur"])})
    return pd.DataFrame(rows)
