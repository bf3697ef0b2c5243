"""Tidy tables of a pole design: one row per commune, one row per pole.

Units: population in inhabitants, travel in minutes and km (fastest path to the seat).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..inputs.rules import PoleRules
from ..territory import Territory
from ..territory.roads import TravelMatrix

COMMUNE_COLUMNS = [
    "insee_code", "name", "population", "pole", "pole_name", "seat_insee_code", "seat_name",
    "is_seat", "alone", "travel_min", "travel_km",
]
POLE_COLUMNS = [
    "pole", "pole_name", "kind", "seat_insee_code", "seat_name", "n_communes", "population",
    "max_travel_min", "mean_travel_min", "max_travel_km", "members", "on_its_own",
]


def pole_ids(assignment: dict[str, str | None], territory: Territory, rules: PoleRules) -> dict[str, tuple[str, str, str]]:
    """Seat → (pole id, pole name, kind). The service commun is ``SC``; proximity poles are
    ``P1``, ``P2``, ... by decreasing population (ties by seat code), so ids are stable."""
    population = territory.communes["population"]
    totals: dict[str, int] = {}
    for i, j in assignment.items():
        if j is not None:
            totals[j] = totals.get(j, 0) + int(population[i])
    sc = rules.service_commun
    out = {}
    ordered = sorted((j for j in totals if not (sc and j == sc.seat)), key=lambda j: (-totals[j], j))
    if sc is not None and sc.seat in totals:
        out[sc.seat] = ("SC", sc.name, "service commun")
    for k, j in enumerate(ordered, 1):
        out[j] = (f"P{k}", f"Pôle {territory.name_of(j)}", "proximity pole")
    return out


def commune_table(assignment: dict[str, str | None], territory: Territory, matrix: TravelMatrix, rules: PoleRules) -> pd.DataFrame:
    ids = pole_ids(assignment, territory, rules)
    index = matrix.index()
    rows = []
    for code, row in territory.communes.iterrows():
        seat = assignment.get(code)
        if seat is None:
            pole = name = seat_name = None
            t = d = np.nan
        else:
            pole, name, _ = ids[seat]
            seat_name = territory.name_of(seat)
            t = float(matrix.time_min[index[code], index[seat]])
            d = float(matrix.km[index[code], index[seat]])
        rows.append({
            "insee_code": code,
            "name": row["name"],
            "population": int(row["population"]),
            "pole": pole,
            "pole_name": name,
            "seat_insee_code": seat,
            "seat_name": seat_name,
            "is_seat": seat == code,
            "alone": seat is None,
            "travel_min": round(t, 3) if seat is not None else np.nan,
            "travel_km": round(d, 3) if seat is not None else np.nan,
        })
    return pd.DataFrame(rows, columns=COMMUNE_COLUMNS)


def pole_table(communes: pd.DataFrame) -> pd.DataFrame:
    """Aggregate the commune table by pole (alone communes are not poles)."""
    rows = []
    members = communes[~communes["alone"]]
    kinds = {"SC": "service commun"}
    for pole, group in members.groupby("pole", sort=False):
        seat = group["seat_insee_code"].iloc[0]
        weights = group["population"].to_numpy(dtype=float)
        mean = float(np.average(group["travel_min"], weights=weights)) if weights.sum() > 0 else float(group["travel_min"].mean())
        rows.append({
            "pole": pole,
            "pole_name": group["pole_name"].iloc[0],
            "kind": kinds.get(pole, "proximity pole"),
            "seat_insee_code": seat,
            "seat_name": group["seat_name"].iloc[0],
            "n_communes": int(len(group)),
            "population": int(group["population"].sum()),
            "max_travel_min": round(float(group["travel_min"].max()), 3),
            "mean_travel_min": round(mean, 3),
            "max_travel_km": round(float(group["travel_km"].max()), 3),
            "members": "; ".join(sorted(group["name"])),
            # a proximity pole of one commune: the commune on its own (results.single)
            "on_its_own": pole != "SC" and len(group) == 1,
        })
    rows.sort(key=lambda r: (0, 0) if r["pole"] == "SC" else (1, int(r["pole"][1:])))
    return pd.DataFrame(rows, columns=POLE_COLUMNS)
