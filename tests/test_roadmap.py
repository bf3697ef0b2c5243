"""The roadmap over years: timing of a fixed steady-state design (optimiser/roadmap/).

Tiny grid territories (three communes, one service) keep each solve under a second or two:
a machine's renewal year makes lending pay exactly then; a contract end delays a switch; with
nothing constraining the timing the last year is the steady-state year less its spread set-up;
bad input is exit 2 with the key named.
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import grid_features, run_cli, write_geojson, write_scenario

from optimiser.api import solve
from optimiser.scenario.load import scenario_from_dict
from optimiser.verify import verify_result

START = 2016


def territory(tmp_path):
    return write_geojson(tmp_path / "g.geojson", grid_features(1, 3, cell_km=4.0, populations=[2000, 1000, 1500]))


def inventory(tmp_path, ages=None, contract_ends=None):
    """One ride-on mower each (age given or blank), espaces verts in régie, optional contract ends."""
    folder = tmp_path / "inventory"
    folder.mkdir(exist_ok=True)
    codes = ["98001", "98002", "98003"]
    pd.DataFrame([{"insee_code": c, "service": "espaces_verts", "mode": "regie",
                   "contract_end_year": (contract_ends or {}).get(c)} for c in codes]).to_csv(folder / "services.csv", index=False)
    pd.DataFrame([{"insee_code": c, "equipment": "ride_on_mower_pro", "units": 1, "age_years": (ages or {}).get(c)}
                  for c in codes]).to_csv(folder / "equipment.csv", index=False)
    return folder


def scenario(tmp_path, roadmap=None, ages=None, contract_ends=None, **extra):
    return {"name": "r", "territory": {"communes": str(territory(tmp_path))},
            # contracts priced high (€ per ha): each commune keeps its régie team, and only the machines can be shared
            "services": {"include": ["espaces_verts"], "inventory": str(inventory(tmp_path, ages, contract_ends)),
                         "overrides": {"espaces_verts": {"delegated_price_eur": 100_000.0}}},
            "pooling": {"pool_services": False}, "poles": {"max_travel_min": None, "count": 1},
            "roadmap": {"start_year": START, "horizon_years": 6, "resale_share": 0.0, **(roadmap or {})}, **extra}


def plan(tmp_path, **kw):
    result = solve(scenario_from_dict(scenario(tmp_path, **kw), base_dir=tmp_path))
    assert result.roadmap is not None and result.roadmap.status == "optimal"
    return result


def lending_phase(result):
    phases = result.roadmap.tables["phases"]
    lending = phases[phases["mode"] == "lending"]
    assert len(lending) == 1, phases
    return lending.iloc[0]


def test_a_machines_end_of_life_makes_lending_pay_exactly_in_its_renewal_year(tmp_path):
    # mowers of 7 years with a 10-year life: renewed in 2019; before, they are paid for and the
    # pole's coordination costs more than the running costs it saves
    result = plan(tmp_path, ages={"98001": 7, "98002": 7, "98003": 7})
    phase = lending_phase(result)
    assert phase["start_year"] == 2019
    costs = result.roadmap.costs
    pid = phase["phase"]
    users = phase["user_codes"].split(";")

    def saving(k, t):  # the users' status quo less the phase's running cost in year t, started in k
        return sum(costs.status_quo[(u, "espaces_verts")][t] for u in users) - costs.after[pid][k][t]

    assert saving(START, 2018) < 0 < saving(START, 2019)  # it pays from the renewal year, not before


def test_without_machine_ages_lending_starts_at_once(tmp_path):
    assert lending_phase(plan(tmp_path))["start_year"] == START


def test_a_contract_end_delays_the_switch(tmp_path):
    result = plan(tmp_path, contract_ends={"98002": 2018})
    phase = lending_phase(result)
    assert phase["start_year"] == 2019 and phase["earliest_year"] == 2019
    assert "contract runs to 2018" in phase["why_not_earlier"]
    rows = result.roadmap.tables["roadmap"]
    assert set(rows[(rows["insee_code"] == "98002") & (rows["year"] == 2018)]["state"]) == {"status-quo"}
    assert set(rows[(rows["insee_code"] == "98002") & (rows["year"] == 2019)]["state"]) == {"borrows-machines"}


def test_unconstrained_last_year_is_the_steady_state_year(tmp_path):
    result = plan(tmp_path, roadmap={"discount_rate": 0.0})
    road = result.roadmap
    assert all(k == START for k in road.starts.values())
    last = road.tables["trajectory"].iloc[-1]
    steady = road.steady_state["total_cost"] - road.steady_state["setup_spread_eur"]
    assert last["running_eur"] == pytest.approx(steady, abs=1.0)
    assert last["setup_eur"] == 0.0


@pytest.mark.slow
def test_roadmap_folder_verifies_and_holds_its_files(tmp_path):
    out = tmp_path / "out"
    path = write_scenario(tmp_path / "s.yaml", scenario(tmp_path, ages={"98001": 7, "98002": 7, "98003": 7}))
    done = run_cli("run", path, "--out", out)
    assert done.returncode == 0, done.stderr
    for name in ("roadmap.csv", "phases.csv", "trajectory.csv", "flows_by_year.csv", "gantt.png", "trajectory.png"):
        assert (out / name).is_file(), name
    from optimiser.results import dictionary

    for name in ("roadmap.csv", "phases.csv", "trajectory.csv", "flows_by_year.csv"):  # every column explained
        assert all(dictionary.entry(name, c) is not None for c in pd.read_csv(out / name).columns), name
    flows = pd.read_csv(out / "flows_by_year.csv")
    assert sorted(set(flows["year"])) == list(range(START, START + 6))
    assert "Feuille de route" in (out / "report.md").read_text(encoding="utf-8")
    checked = verify_result(out)
    assert checked.ok, checked
    flows_edit = pd.read_csv(out / "flows_by_year.csv", dtype={"member": str})
    # a year's cost edited by hand is found by re-adding and by the cost formula run again
    rows = pd.read_csv(out / "roadmap.csv", dtype={"insee_code": str})
    rows.loc[(rows["year"] == 2020) & (rows["insee_code"] == "98002"), "cost_eur"] += 100.0
    rows.to_csv(out / "roadmap.csv", index=False)
    done = run_cli("verify", out)
    assert done.returncode == 4
    assert "roadmap.csv 2020 98002 espaces_verts cost_eur" in done.stdout + done.stderr
    assert "trajectory.csv 2020 running_eur" in done.stdout + done.stderr
    flows_edit.loc[(flows_edit["year"] == 2019) & (flows_edit["member"] == "98001"), "pays_pole_eur"] += 50.0
    flows_edit.to_csv(out / "flows_by_year.csv", index=False)
    assert "flows_by_year.csv 2019 98001 pays_pole_eur" in run_cli("verify", out).stdout


@pytest.mark.parametrize("change, expected", [
    ({"roadmap": {"rules": [{"target": "poles", "latest": 2030}]}}, "outside the horizon 2016–2021"),
    ({"roadmap": {"pilot": {"communes": ["Cell 0-0", "Nowhere"]}}}, "roadmap.pilot.communes[1]"),
    ({"roadmap": {"voirie_transfer": {"year": 2018, "communes": ["Cell 0-0"]}}}, "every commune"),
    ({"ages": {"98001": 45}}, "older than any plausible life"),
    ({"contract_ends": {"98002": "soon"}}, "row 3.contract_end_year"),
    ({"roadmap": {"rules": [{"target": "poles", "pole": "Nowhere", "earliest": 2017}]}}, "roadmap.rules[0].pole"),
])
def test_bad_roadmap_input_is_exit_2_with_the_key(tmp_path, change, expected):
    data = scenario(tmp_path, ages=change.get("ages"), contract_ends=change.get("contract_ends"))
    if "roadmap" in change:
        data["roadmap"] = {**data["roadmap"], **change["roadmap"]}
    done = run_cli("run", write_scenario(tmp_path / "s.yaml", data), "--out", tmp_path / "out")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_commune_joining_later_is_outside_the_plan_until_then(tmp_path):
    result = plan(tmp_path, roadmap={"joins": [{"year": 2018, "communes": ["Cell 0-2"]}]})
    road = result.roadmap
    assert lending_phase(result)["start_year"] == 2018  # the pole service waits for its member
    rows = road.tables["roadmap"]
    before = rows[(rows["insee_code"] == "98003") & (rows["year"] < 2018)]
    assert set(before["state"]) == {"outside"} and before["cost_eur"].sum() == 0
    traj = road.tables["trajectory"].set_index("year")
    assert traj.loc[2017, "status_quo_eur"] < traj.loc[2018, "status_quo_eur"]  # the perimeter grows


@pytest.mark.slow
def test_a_fixed_sequence_sets_the_years_and_leaves_the_rest_out(tmp_path):
    fixed = plan(tmp_path, roadmap={"order": "fixed", "sequence": [{"year": 2018, "target": "poles"}]})
    assert lending_phase(fixed)["start_year"] == 2018
    optimised = plan(tmp_path)
    assert optimised.roadmap.objective_eur <= fixed.roadmap.objective_eur + 1e-6  # the optimiser's order is never worse
    left_out = plan(tmp_path, roadmap={"order": "fixed", "sequence": [{"year": 2018, "target": "alone"}]})
    assert pd.isna(lending_phase(left_out)["start_year"])


def test_rules_bound_the_start_year(tmp_path):
    late = plan(tmp_path, roadmap={"rules": [{"target": "poles", "services": ["espaces_verts"], "earliest": 2020}]})
    assert lending_phase(late)["start_year"] == 2020
    capped = plan(tmp_path, roadmap={"setup_budget_eur_per_year": 100.0})  # no year can pay its set-up
    assert pd.isna(lending_phase(capped)["start_year"])


@pytest.mark.slow
def test_the_pilot_pole_holds_its_volunteers_and_starts_first(tmp_path):
    result = plan(tmp_path, roadmap={"pilot": {"communes": ["Cell 0-0", "Cell 0-1"], "year": 2017}})
    phase = lending_phase(result)
    assert phase["kind"] == "pilot" and phase["start_year"] >= 2017
    assert result.resolved_scenario["poles"]["together"] == [["98001", "98002"]]
    folder = result.to_dir(tmp_path / "out", draw=False)
    from optimiser.scenario.load import load_scenario

    again = solve(load_scenario(folder / "scenario.resolved.yaml"))  # re-run: the group is not doubled
    assert again.resolved_scenario["poles"]["together"] == [["98001", "98002"]]
