"""Planned against actual: per pole service, cost category and commune; indicators; deviations.

Money in € a year, TTC net of the FCTVA, as the plan. Where an actual is missing (a blank cell, a
row left out), the plan's figure stands in for it in every total and the bilan names it
(:attr:`Bilan.missing`): a total is never silently short.

Indicators (plan and actual): cost per unit of workload; FTE per unit of workload and its inverse,
productivity; machine utilisation = machine days ÷ (machines × days one can work a year); cost
per inhabitant (a pole: the population of its pole; a commune: its own). Savings realised:
against the status quo, :math:`SQ - A`, and against the plan, :math:`P - A` (positive: cheaper
than planned), with :math:`A` the territory's actual cost = the plan's total, plus each pole
service's actual less planned cost, plus each kept service's actual less planned cost.

What each commune paid is held against its **planned share of the actual cost**: for each pooled
service, the actual cost of the pole service times the commune's share of it in the plan (the
scenario's key); kept services count at what the commune paid.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from .actuals import Actuals
from .decomposition import CAUSES, split_deviation
from .plan import CATEGORIES, Plan

#: Measures of a pole service compared one by one (plan and actual columns of ``poles_bilan.csv``).
POLE_MEASURES = ("workload", "fte", "hours", "machine_days", "machine_units", *CATEGORIES, "total_eur")


@dataclass
class Bilan:
    """Every table of the bilan and its key figures (see module docstring)."""

    poles: pd.DataFrame
    categories: pd.DataFrame
    communes: pd.DataFrame
    service_levels: pd.DataFrame
    key_figures: dict
    missing: list[str] = field(default_factory=list)


def _given(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _div(a, b):
    return a / b if _given(a) and _given(b) and b else math.nan


def compare(plan: Plan, actuals: Actuals) -> Bilan:
    """The bilan of ``plan`` against ``actuals``."""
    missing: list[str] = []
    pole_rows, category_rows = [], []
    reported = {(r["period"], r["pole"], r["service"]): r for _, r in actuals.poles.iterrows()}
    for _, p in plan.poles.iterrows():
        key = (p["period"], p["pole"], p["service"])
        a = reported.get(key)
        if a is None:
            missing.append(f"pole {p['pole']} / {p['service']} / {p['period']}: no actuals")
        actual = {m: (a[m] if a is not None and m in a and _given(a[m]) else math.nan) for m in POLE_MEASURES if m != "total_eur"}
        if not _given(actual["fte"]) and _given(actual["hours"]):
            actual["fte"] = actual["hours"] / plan.hours_per_fte  # hours given, FTE derived
        if not _given(actual["hours"]) and _given(actual["fte"]):
            actual["hours"] = actual["fte"] * plan.hours_per_fte
        gaps = [c for c in CATEGORIES if not _given(actual[c]) and p[c] != 0]
        if a is not None and gaps:
            missing.append(f"pole {p['pole']} / {p['service']} / {p['period']}: no actual {', '.join(gaps)} (plan figure kept)")
        given_costs = [c for c in CATEGORIES if _given(actual[c])]
        actual_total = sum(actual[c] if _given(actual[c]) else p[c] for c in CATEGORIES)
        workload = actual["workload"] if _given(actual["workload"]) else p["workload"]
        row = {"period": p["period"], "pole": p["pole"], "service": p["service"], "mode": p["mode"], "unit": p["unit"],
               "population": p["population"], "reported": a is not None,
               "costs_expected": sum(1 for c in CATEGORIES if p[c] != 0 or _given(actual[c])),
               "costs_reported": sum(1 for c in given_costs if p[c] != 0 or actual[c] != 0)}
        for m in POLE_MEASURES:
            row[f"plan_{m}"] = p[m]
            row[f"actual_{m}"] = actual_total if m == "total_eur" else actual[m]
        row["deviation_eur"] = actual_total - p["total_eur"]
        row.update(_indicators(p, actual, actual_total, workload))
        pole_rows.append(row)
        for c in given_costs:
            split = split_deviation(c, {"workload": p["workload"], "cost": p[c], "fte": p["fte"],
                                        "machine_days": p["machine_days"], "machine_units": p["machine_units"]},
                                    {"workload": workload, "cost": actual[c], "fte": actual["fte"] if _given(actual["fte"]) else None,
                                     "machine_days": actual["machine_days"] if _given(actual["machine_days"]) else None,
                                     "machine_units": actual["machine_units"] if _given(actual["machine_units"]) else p["machine_units"]})
            deviation = actual[c] - p[c]
            cause = max(CAUSES, key=lambda k: abs(split[k])) if abs(deviation) >= 0.5 else ""
            category_rows.append({"period": p["period"], "pole": p["pole"], "service": p["service"], "category": c, "commune": "",
                                  "plan_eur": p[c], "actual_eur": actual[c], "deviation_eur": deviation,
                                  "deviation_pct": _div(deviation, p[c]), **{f"{k}_eur": split[k] for k in CAUSES},
                                  "probable_cause": cause})
    poles = pd.DataFrame(pole_rows, columns=_pole_columns())  # columns even with no pole service (a roadmap year before any start)
    communes, levels, kept_deviation = _communes(plan, actuals, poles, missing, category_rows)
    categories = pd.DataFrame(category_rows, columns=["period", "pole", "service", "category", "commune", "plan_eur",
                                                      "actual_eur", "deviation_eur", "deviation_pct",
                                                      *[f"{k}_eur" for k in CAUSES], "probable_cause"])
    categories = categories.reindex(categories["deviation_eur"].abs().sort_values(ascending=False, kind="stable").index)
    categories.insert(0, "rank", range(1, len(categories) + 1))
    key = _key_figures(plan, poles, communes, kept_deviation, len(actuals.poles), len(plan.poles))
    return Bilan(poles, categories.reset_index(drop=True), communes, levels, key, missing)


def _pole_columns() -> list[str]:
    """The columns of ``poles_bilan.csv``, in order."""
    indicators = ("cost_per_unit", "cost_per_inhabitant", "fte_per_unit", "productivity", "machine_utilisation")
    return ["period", "pole", "service", "mode", "unit", "population", "reported", "costs_expected", "costs_reported",
            *[f"{side}_{m}" for m in POLE_MEASURES for side in ("plan", "actual")], "deviation_eur",
            *[f"{side}_{k}" for side in ("plan", "actual") for k in indicators]]


def _indicators(p, actual: dict, actual_total: float, workload: float) -> dict:
    out = {}
    for side, w, total, fte, days, capacity in (
            ("plan", p["workload"], p["total_eur"], p["fte"], p["machine_days"], p["machine_capacity_days"]),
            ("actual", workload, actual_total, actual["fte"], actual["machine_days"],
             _div(actual["machine_units"], p["machine_units"]) * p["machine_capacity_days"]
             if _given(actual["machine_units"]) else p["machine_capacity_days"])):
        out[f"{side}_cost_per_unit"] = _div(total, w)
        out[f"{side}_cost_per_inhabitant"] = _div(total, p["population"])
        out[f"{side}_fte_per_unit"] = _div(fte, w) if fte else math.nan
        out[f"{side}_productivity"] = _div(w, fte) if fte else math.nan
        out[f"{side}_machine_utilisation"] = _div(days, capacity)
    return out


def _communes(plan: Plan, actuals: Actuals, poles: pd.DataFrame, missing: list[str], category_rows: list[dict]):
    """Per commune: paid against planned and against its key share; service levels; and, for a
    service it did not pool (kept, or kept borrowing machines), the deviation of what it paid,
    split into volume (its workload delivered) and price, appended to ``category_rows`` as the
    ``kept_eur`` category of the commune (``pole`` = its INSEE code)."""
    reported = {(r["period"], r["insee_code"], r["service"]): r for _, r in actuals.communes.iterrows()}
    pole_actual = {(r["period"], r["pole"], r["service"]): (r["plan_total_eur"], r["actual_total_eur"]) for _, r in poles.iterrows()}
    pooled_pays = plan.communes[plan.communes["choice"].str.startswith("pooled")].groupby(
        ["period", "pole", "service"])["pays_eur"].sum().to_dict()
    per_commune: dict = {}
    levels, kept_deviation = [], 0.0
    for _, c in plan.communes.iterrows():
        key = (c["period"], c["insee_code"], c["service"])
        a = reported.get(key)
        paid = a["paid_eur"] if a is not None and _given(a["paid_eur"]) else math.nan
        pooled = str(c["choice"]).startswith("pooled")
        if pooled and (c["period"], c["pole"], c["service"]) in pole_actual:
            _, actual_pole = pole_actual[(c["period"], c["pole"], c["service"])]
            fraction = _div(c["pays_eur"], pooled_pays.get((c["period"], c["pole"], c["service"]), 0.0))
            key_share = actual_pole * (fraction if _given(fraction) else 0.0)
        else:
            key_share = paid if _given(paid) else c["pays_eur"]
            if _given(paid):
                kept_deviation += paid - c["pays_eur"]
                delivered = a["workload"] if _given(a["workload"]) else c["workload"]
                split = split_deviation("kept_eur", {"workload": c["workload"], "cost": c["pays_eur"]},
                                        {"workload": delivered, "cost": paid})
                deviation = paid - c["pays_eur"]
                category_rows.append({"period": c["period"], "pole": c["insee_code"], "service": c["service"],
                                      "category": "kept_eur", "commune": c["commune"], "plan_eur": c["pays_eur"],
                                      "actual_eur": paid, "deviation_eur": deviation, "deviation_pct": _div(deviation, c["pays_eur"]),
                                      **{f"{k}_eur": split[k] for k in CAUSES},
                                      "probable_cause": max(CAUSES, key=lambda k: abs(split[k])) if abs(deviation) >= 0.5 else ""})
        if not _given(paid):
            missing.append(f"commune {c['commune']} ({c['insee_code']}) / {c['service']} / {c['period']}: no amount paid")
        s = per_commune.setdefault(c["insee_code"], {"period": c["period"], "insee_code": c["insee_code"], "commune": c["commune"],
                                                    "population": c["population"], "status_quo_eur": 0.0, "plan_paid_eur": 0.0,
                                                    "actual_paid_eur": 0.0, "key_share_of_actual_eur": 0.0, "services_reported": 0})
        s["status_quo_eur"] += c["status_quo_eur"]
        s["plan_paid_eur"] += c["pays_eur"]
        s["actual_paid_eur"] += paid if _given(paid) else c["pays_eur"]
        s["key_share_of_actual_eur"] += key_share
        s["services_reported"] += int(_given(paid))
        if a is not None:
            levels.append({"period": c["period"], "insee_code": c["insee_code"], "commune": c["commune"], "service": c["service"],
                           "plan_workload": c["workload"], "actual_workload": a["workload"],
                           "workload_delivered_share": _div(a["workload"], c["workload"]),
                           **{k: a[k] for k in ("response_time_days", "response_time_days_before", "mowing_passes_done_share",
                                                "complaints", "complaints_before")}})
    communes = pd.DataFrame(per_commune.values())
    if not communes.empty:
        # only where the commune reported what it paid: otherwise its plan figure stands in, not a payment
        communes["paid_minus_key_share_eur"] = (communes["actual_paid_eur"] - communes["key_share_of_actual_eur"]).where(
            communes["services_reported"] > 0)
        communes["deviation_eur"] = communes["actual_paid_eur"] - communes["plan_paid_eur"]
        communes["plan_paid_per_inhabitant"] = communes["plan_paid_eur"] / communes["population"].where(communes["population"] > 0)
        communes["actual_paid_per_inhabitant"] = communes["actual_paid_eur"] / communes["population"].where(communes["population"] > 0)
        communes["saving_realised_eur"] = communes["status_quo_eur"] - communes["actual_paid_eur"]
    levels = pd.DataFrame(levels, columns=["period", "insee_code", "commune", "service", "plan_workload", "actual_workload",
                                           "workload_delivered_share", "response_time_days", "response_time_days_before",
                                           "mowing_passes_done_share", "complaints", "complaints_before"])
    return communes, levels, kept_deviation


def _key_figures(plan: Plan, poles: pd.DataFrame, communes: pd.DataFrame, kept_deviation: float, n_reported: int,
                 n_expected: int) -> dict:
    actual_total = plan.total_cost + float(poles["deviation_eur"].sum()) + kept_deviation
    planned_saving = plan.status_quo_cost - plan.total_cost
    realised = plan.status_quo_cost - actual_total
    costs = float(poles["costs_expected"].sum())
    return {"period": plan.period, "status_quo_eur": plan.status_quo_cost, "plan_total_eur": plan.total_cost,
            "actual_total_eur": actual_total, "planned_saving_eur": planned_saving, "saving_realised_eur": realised,
            "saving_against_plan_eur": plan.total_cost - actual_total,
            "saving_realisation_rate": realised / planned_saving if planned_saving else math.nan,
            "pole_services": n_expected, "pole_services_reported": n_reported,
            "cost_coverage": float(poles["costs_reported"].sum()) / costs if costs else 0.0,
            "pole_plan_eur": float(poles["plan_total_eur"].sum()), "pole_actual_eur": float(poles["actual_total_eur"].sum())}
