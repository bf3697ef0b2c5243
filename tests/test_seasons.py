"""Seasonal machines: a pole's mowers are sized for May, not only for the year.

A tiny territory where the peak rule changes the number of machines: four villages whose gardeners
(kept on: no staff reduction beyond attrition) may borrow their pole's ride-on mowers. Their 120 ha
need 131 mower-days a year — one mower's 150 days — but 20 % of them fall in May, 26 days against
the 21 working days of the month: one mower cannot serve all four. The MILP (with its peak block)
matches exhaustive enumeration priced by the tests' own rules, with and without the season, and
``optimiser verify`` re-derives the units from the folder's own files."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from bruteforce_services import best_service_design
from helpers import grid_features, write_geojson

from optimiser.api import solve
from optimiser.design import design_poles
from optimiser.inputs.preparation import prepare
from optimiser.model.extract import check_consistency
from optimiser.scenario.load import scenario_from_dict
from optimiser.services.catalogue import default_catalogue
from optimiser.solvers import SolverOptions, Status
from optimiser.verify import verify_result

HECTARES = [30, 25, 25, 20]  # green space of each village (1.09 mower-days a hectare)


def scenario(tmp_path, peak_share=None) -> dict:
    territory = write_geojson(tmp_path / "row.geojson", grid_features(1, 4, populations=[1500, 800, 600, 700]))
    codes = [f"98{k:03d}" for k in range(1, 5)]
    inventory = tmp_path / "inventory"
    inventory.mkdir(exist_ok=True)
    pd.DataFrame([{"insee_code": c, "service": "espaces_verts", "workload": ha, "mode": "regie"}
                  for c, ha in zip(codes, HECTARES)]).to_csv(inventory / "services.csv", index=False)
    pd.DataFrame([{"insee_code": c, "equipment": "ride_on_mower_pro", "units": 1} for c in codes]).to_csv(
        inventory / "equipment.csv", index=False)
    data = {"name": "mowing-season", "territory": {"communes": str(territory)}, "poles": {"max_travel_min": 60},
            "services": {"include": ["espaces_verts"], "inventory": str(inventory)},
            "pooling": {"pool_services": False}, "staff": {"no_reduction_beyond_attrition": True},
            "solver": {"name": "highs", "time_limit_s": 60, "gap": 0.0}, "objective": {"travel_weight_eur": 0.0}}
    if peak_share is not None:
        data["services"]["equipment"] = {"ride_on_mower_pro": {"peak_share": peak_share}}
    return data


def machines_in_the_territory(design) -> int:
    """Mowers in service: the poles' and those of the members that keep their own."""
    si = design.inputs
    pooled = sum(p.units.get("ride_on_mower_pro", 0) for p in design.pole_services.values())
    own = sum(si.inventory.units.get((i, "ride_on_mower_pro"), 0) for i in si.members
              if (i, "espaces_verts") not in design.borrowed and (i, "espaces_verts") not in design.pooled)
    return pooled + own


def test_the_default_mower_peaks_in_may():
    mower = default_catalogue().equipment["ride_on_mower_pro"]
    assert mower.peak_share.value == pytest.approx(0.20) and mower.peak_share.source == "season.peak_month_share.lawn_mowing_may"
    assert mower.peak_days.value == 21 and mower.peak_days.source == "season.working_days_per_month"
    assert mower.effective_capacity == pytest.approx(105.0)  # min(150 days a year, 21 / 0.20)
    assert mower.units_for(131.0) == 2 and mower.units_for(100.0) == 1 and mower.units_for(0.0) == 0
    assert default_catalogue().equipment["backhoe_loader"].effective_capacity == 200  # no season: its yearly days


@pytest.mark.parametrize("solver", ["highs", "cbc"])
@pytest.mark.slow
def test_the_peak_rule_changes_the_machines_and_matches_enumeration(tmp_path, solver):
    designs = {}
    for label, share in (("season", None), ("no season", 0.0)):
        inputs = prepare(scenario_from_dict(scenario(tmp_path, share), base_dir=tmp_path))
        expected = best_service_design(inputs)
        design = design_poles(inputs, SolverOptions(name=solver, time_limit_s=60, gap=0.0))
        assert design.status is Status.OPTIMAL, design.messages
        assert design.services.total_eur == pytest.approx(expected, rel=1e-7, abs=1e-3), label
        assert not check_consistency(design.services)
        designs[label] = design.services
    # without the season one mower serves all four villages (109 days of its 150); in May they need
    # 22 mower-days of a month's 21: the pole lends to three and the largest village keeps its own
    assert machines_in_the_territory(designs["no season"]) == 1
    assert machines_in_the_territory(designs["season"]) == 2
    for p in designs["season"].pole_services.values():
        days = p.machine_days["ride_on_mower_pro"]
        assert p.units["ride_on_mower_pro"] >= math.ceil(0.2 * days / 21 - 1e-9)


@pytest.mark.slow
def test_verify_recomputes_the_peak_and_catches_a_wrong_month(tmp_path):
    result = solve(scenario_from_dict(scenario(tmp_path), base_dir=tmp_path))
    folder = result.to_dir(tmp_path / "out", draw=False)
    assert verify_result(folder).ok, verify_result(folder).violations
    table = pd.read_csv(folder / "equipment.csv", dtype=str)
    assert {"peak_machine_days", "peak_capacity_days"} <= set(table.columns)
    row = table.iloc[0]
    assert float(row["peak_machine_days"]) == pytest.approx(0.2 * float(row["machine_days"]), abs=1e-3)
    assert float(row["peak_capacity_days"]) == pytest.approx(21 * int(row["units_needed"]))
    assert float(row["peak_machine_days"]) <= float(row["peak_capacity_days"])
    table.loc[0, "peak_machine_days"] = "1.0"  # a month whose demand does not follow from the year's
    table.to_csv(folder / "equipment.csv", index=False)
    verification = verify_result(folder)
    assert not verification.ok
    assert any("peak month" in v for v in map(str, verification.violations)), verification.violations
