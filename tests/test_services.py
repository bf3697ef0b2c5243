"""Service sharing: catalogue provenance, inventory, cost formulas, scenarios, outputs, verifier."""

from __future__ import annotations

import json
import math
import shutil

import pandas as pd
import pytest
from helpers import DATA, SCENARIOS, grid_features, run_cli, write_geojson, write_scenario
from shared import solved, written

from optimiser.api import solve
from optimiser.design.explain import relaxations
from optimiser.errors import InputError
from optimiser.inputs.preparation import prepare
from optimiser.scenario.load import load_scenario, scenario_from_dict
from optimiser.services.catalogue import default_catalogue, estimated_workload, parameter_rows
from optimiser.services.economics import pole_service_cost
from optimiser.services.parameters import entry
from optimiser.verify import verify_result

LAVAL = str(DATA / "laval_agglo_2016.geojson")


optimiser = run_cli  # the command line, in-process


# ------------------------------------------------------------------------------ catalogue


def test_every_default_cites_a_parameter_or_says_it_is_an_estimate():
    catalogue = default_catalogue()
    from optimiser.services.terms import default_terms

    for row in parameter_rows(catalogue, default_terms()):
        source = row["source"]
        assert source, row
        if row["parameter"] == "workload_estimate":
            continue
        for key in source.split(" + "):
            if key == "estimate":
                assert row["note"], f"{row['group']}.{row['parameter']}: an estimate must say what it assumes"
                continue
            assert cites(key), f"{row['group']}.{row['parameter']}: {key!r} is not in cost_parameters.yaml"


def cites(key: str) -> bool:
    """A key (``a.b``) or a key and a field (``a.b.field``, a value field or an entry field) of the file."""
    parts = key.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = entry(".".join(parts[:cut]))
        except KeyError:
            continue
        rest = parts[cut:]
        if not rest:
            return True
        value = found.get("value")
        return len(rest) == 1 and ((isinstance(value, dict) and rest[0] in value) or rest[0] in found)
    return False


def test_catalogue_values_match_the_sourced_file():
    catalogue = default_catalogue()
    assert catalogue.services["voirie"].productivity.value == entry("road_km_per_fte_voirie")["value"] == 20
    assert catalogue.services["espaces_verts"].delegated_price.value == pytest.approx(1.5 * 10_000)
    sweeper = catalogue.equipment["sweeper_compact"]
    assert sweeper.annual_ht_eur == pytest.approx(130_000 / 8 + 10_000 + 1_500)
    # net of the FCTVA: the purchase bears 20 % VAT and recovers 16.404 % of its TTC; running costs bear VAT
    assert sweeper.annual_eur == pytest.approx(130_000 / 8 * 1.2 * (1 - 0.16404) + (10_000 + 1_500) * 1.2)
    # an engineer: no team leader, no crew vehicle, the 15 % depot/overhead share
    assert catalogue.staff_eur("ingenierie") == pytest.approx(entry("loaded_cost_ingenieur")["value"] * 1.15)


def test_full_regie_rate_of_a_field_agent_by_hand():
    """Grade + a fifth of an agent de maîtrise + 0.4 crew vehicles (3 vans to 1 tipper), × 1.15."""
    catalogue = default_catalogue()
    van_invest, tipper_invest = 25_000 / 8, 45_000 / 10
    van_running = 5_500 - van_invest - 1_000  # TCO less depreciation less servicing (2/3 of 1,500)
    tipper_running = 9_000 - tipper_invest - 2_000
    vehicles = 0.4 * ((0.75 * van_invest + 0.25 * tipper_invest) * 1.2 * (1 - 0.16404) + (0.75 * van_running + 0.25 * tipper_running) * 1.2)
    assert catalogue.staff_eur("espaces_verts") == pytest.approx((38_000 + 42_500 / 5 + vehicles) * 1.15)
    assert catalogue.supplies_eur("espaces_verts") == pytest.approx(0.35 * 10_000 * 1.2 * 1.15)  # €/ha
    # contracts: green spaces recover no VAT; buildings recover the FCTVA; ADS is billed by a public body, no VAT
    assert catalogue.delegated_eur("espaces_verts") == pytest.approx(15_000 * 1.2)
    assert catalogue.delegated_eur("batiments") == pytest.approx(15 * 1.2 * (1 - 0.16404))
    assert catalogue.delegated_eur("ads") == pytest.approx(200)
    ht = catalogue.with_basis("ht")
    assert ht.delegated_eur("espaces_verts") == pytest.approx(15_000)
    assert ht.staff_eur("espaces_verts") == pytest.approx((38_000 + 42_500 / 5 + 0.4 * (0.75 * van_invest + 0.25 * tipper_invest
                                                                                       + 0.75 * van_running + 0.25 * tipper_running)) * 1.15)
    assert ht.equipment["sweeper_compact"].annual_eur == pytest.approx(130_000 / 8 + 10_000 + 1_500)


def test_works_are_contracted_in_every_option(tmp_path):
    catalogue = default_catalogue()
    assert catalogue.services["voirie_travaux"].modes == ("delegation",)
    inputs = grid_inputs(tmp_path, services={"include": ["voirie", "voirie_travaux"]}, pooling={"mode": "regie"})
    assert inputs.services.modes == {"voirie": ("regie",), "voirie_travaux": ("delegation",)}
    assert all(row.mode == "delegation" for (m, s), row in inputs.services.inventory.services.items() if s == "voirie_travaux")
    with pytest.raises(ValueError, match="cannot run in regie"):
        pole_service_cost(inputs.services.econ, "98001", "voirie_travaux", ["98001"], [], "regie")


def test_workload_estimates_by_hand():
    # road km = 0.95 × 15 km² + 2.0 × 2.5 (thousand inhabitants) = 19.25
    assert float(estimated_workload("voirie", 2500, 15)) == pytest.approx(19.25)
    assert float(estimated_workload("eclairage", 2000, 10)) == pytest.approx(300)
    assert float(estimated_workload("espaces_verts", 1000, 10)) == pytest.approx(2.0)  # ha
    # propreté: 0.06 km cleaned a year per inhabitant at 3,000 inhabitants (manual and mechanical)
    assert float(estimated_workload("proprete", 3000, 10)) == pytest.approx(180)
    # ingénierie: the capital programme, 350 €/inhabitant (500–10,000 inhabitants) × half designed, in k€
    assert float(estimated_workload("ingenierie", 2000, 10)) == pytest.approx(2000 * 350 * 0.5 / 1000)
    # ADS: 5 € per inhabitant ÷ 200 € per EPC
    assert float(estimated_workload("ads", 2000, 10)) == pytest.approx(50)


# ------------------------------------------------------------------------- cost formula


def grid_inputs(tmp_path, **extra):
    territory = write_geojson(tmp_path / "g.geojson", grid_features(1, 3, cell_km=4.0, populations=[2000, 1000, 1500]))
    data = {"name": "g", "territory": {"communes": str(territory)}, "services": {"include": ["espaces_verts", "eclairage"]},
            "poles": {"max_travel_min": None}, **extra}
    return prepare(scenario_from_dict(data, base_dir=tmp_path))


def test_regie_pole_cost_by_hand(tmp_path):
    inputs = grid_inputs(tmp_path)
    econ = inputs.services.econ
    cost = pole_service_cost(econ, "98002", "espaces_verts", ["98001", "98002"], [], "regie")
    w1, w2 = 2000 * 20 / 10_000, 1000 * 20 / 10_000  # ha
    t = econ.minutes("98001", "98002")
    km = econ.km("98001", "98002")
    hours = 1450 / 200
    fte = w1 / 3 * (1 + 2 * t / 60 / hours) + w2 / 3
    assert cost.fte == pytest.approx(fte)
    cat = inputs.services.catalogue
    assert cost.staff_eur == pytest.approx(fte * cat.staff_eur("espaces_verts"))
    assert cost.supplies_eur == pytest.approx((w1 + w2) * 0.35 * 10_000 * 1.2 * 1.15)
    assert cost.vehicle_eur == pytest.approx(w1 / 3 * 200 * 2 * km * 0.40)
    days = (w1 + w2) * (180 / 550) * 10 / 3
    assert cost.machine_days["ride_on_mower_pro"] == pytest.approx(days)
    assert cost.units["ride_on_mower_pro"] == math.ceil(days / 150)
    assert cost.equipment_eur == pytest.approx(cost.units["ride_on_mower_pro"] * (30_000 / 10 * 1.2 * (1 - 0.16404) + (1_500 + 300) * 1.2))
    transfer = w1 * (180 / 550) * 10 / 3 * 2 * km / 25 * 60
    assert cost.transfer_eur == pytest.approx(transfer)
    day = 46_000 / 200
    coordination = 0.5 * 46_000 / 6 + 10 * day / 6 + 2 * (day + 2 * day / 6)
    assert cost.coordination_eur == pytest.approx(coordination)
    # agents joining a common employer: régime indemnitaire +3 % of the loaded pay (grade and team-leader share)
    assert cost.ri_eur == pytest.approx(fte * 0.03 * (cat.grade_eur("espaces_verts") + cat.supervision_eur("espaces_verts")))
    assert cost.total_eur == pytest.approx(cost.staff_eur + cost.supplies_eur + cost.vehicle_eur + cost.equipment_eur + transfer
                                           + coordination + cost.ri_eur)


def test_delegated_pole_cost_and_lots_by_hand(tmp_path):
    inputs = grid_inputs(tmp_path, pooling={"max_lot_eur": 10_000})
    econ = inputs.services.econ
    cost = pole_service_cost(econ, "98001", "eclairage", ["98001", "98002", "98003"], [], "delegation")
    contract = (4500 * 0.15) * 90 * (1 - 0.10) * 1.2 * (1 - 0.16404)  # networks' maintenance: TTC less FCTVA
    assert cost.contract_eur == pytest.approx(contract)
    assert cost.lots == math.ceil(contract / 10_000)
    assert cost.lots_eur == pytest.approx(cost.lots * 10 * 230 / 4)
    assert cost.fte == 0 and cost.equipment_eur == 0


def test_specialist_minimum_and_attrition(tmp_path):
    inputs = grid_inputs(tmp_path)
    small = pole_service_cost(inputs.services.econ, "98001", "eclairage", ["98002"], [], "regie")
    assert small.fte == pytest.approx(1.0)  # 150 light points need 0.3 FTE, but one electrician at least
    kept = grid_inputs(tmp_path, staff={"no_reduction_beyond_attrition": True, "attrition_per_year": 0.05},
                       services={"include": ["espaces_verts"], "inventory": None})
    econ = kept.services.econ
    # posts freed at the end of each year: on average over 6 years (1 + 0.95 + … + 0.75) / 6 = 0.875 of
    # today's agents are still employed — not the 0.70 left at the end, booked from year one
    assert econ.retained_fte("98001", "espaces_verts") == pytest.approx(
        0.875 * kept.services.inventory.services[("98001", "espaces_verts")].fte)


# ------------------------------------------------------------------------------ inventory


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    out = tmp_path_factory.mktemp("template") / "inventory.xlsx"
    done = optimiser("template", "inventory", SCENARIOS / "laval-2016.yaml", "--out", out)
    assert done.returncode == 0, done.stderr
    return out


@pytest.mark.slow  # two preparations of Laval's inventory, ~0.9 CPU-s: make test
def test_filled_template_round_trip(tmp_path, template):
    sheets = pd.read_excel(template, sheet_name=None, dtype=str)
    services = sheets["services"]
    services["workload"] = services["estimate_workload"]
    services["mode"] = services["estimate_mode"]
    services["fte"] = services["estimate_fte"]
    services["contract_eur"] = services["estimate_contract_eur"]
    equipment = sheets["equipment"]
    equipment["units"] = equipment["estimate_units"]
    filled = tmp_path / "filled.xlsx"
    with pd.ExcelWriter(filled) as writer:
        services.to_excel(writer, sheet_name="services", index=False)
        equipment.to_excel(writer, sheet_name="equipment", index=False)
    estimated = prepare(load_scenario(SCENARIOS / "laval-2016-status-quo.yaml")).services
    given = prepare(load_scenario(SCENARIOS / "laval-2016-status-quo.yaml", [f"services.inventory={filled}"])).services
    assert given.status_quo_eur == pytest.approx(estimated.status_quo_eur, rel=1e-4)
    assert not any(row.estimated for row in given.inventory.services.values())
    assert all(row.estimated for row in estimated.inventory.services.values())


def bad_inventory(tmp_path, services_rows, equipment_rows=()):
    folder = tmp_path / "inv"
    folder.mkdir(exist_ok=True)
    pd.DataFrame(services_rows).to_csv(folder / "services.csv", index=False)
    pd.DataFrame(list(equipment_rows), columns=["insee_code", "equipment", "units", "age_years"]).to_csv(folder / "equipment.csv", index=False)
    return folder


def inventory_problems(tmp_path, folder):
    path = write_scenario(tmp_path / "s.yaml", {"name": "x", "territory": {"communes": LAVAL},
                                                "services": {"inventory": str(folder)}, "pooling": {"enabled": False}})
    with pytest.raises(InputError) as info:
        prepare(load_scenario(path))
    return "\n".join(p.render() for p in info.value.problems)


def test_inventory_errors_are_reported_together(tmp_path):
    folder = bad_inventory(tmp_path, [
        {"insee_code": "53130", "service": "voiries", "workload": 10},
        {"insee_code": "99999", "service": "voirie", "workload": 10},
        {"commune": "Lavall", "service": "eclairage"},
        {"insee_code": "53201", "service": "eclairage", "fte": -1, "mode": "outsourced"},
        {"insee_code": "53054", "service": "batiments", "contract_eur": "lots"},
    ], [{"insee_code": "53130", "equipment": "tractor", "units": 1},
        {"insee_code": "53130", "equipment": "sweeper_compact", "units": 1.5}])
    text = inventory_problems(tmp_path, folder)
    for words in ("row 2.service: unknown service", "did you mean 'voirie'", "row 3.insee_code: no commune '99999'",
                  "row 4.commune: no commune 'Lavall'", "did you mean 'Laval'", "row 5.fte: expected a number >= 0",
                  "row 5.mode: expected regie or delegation", "row 6.contract_eur: expected a number",
                  "unknown machine type", "tractor_with_flail_arm", "row 3.units: expected a whole number"):
        assert words in text, words


def test_inventory_unknown_column_and_missing_sheet(tmp_path):
    folder = bad_inventory(tmp_path, [{"insee_code": "53130", "service": "voirie", "workloads": 3}])
    assert "unknown column" in inventory_problems(tmp_path, folder) and "'workload'" in inventory_problems(tmp_path, folder)
    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"insee_code": ["53130"], "service": ["voirie"]}).to_excel(writer, sheet_name="service", index=False)
    text = inventory_problems(tmp_path, book)
    assert "missing sheet" in text and "did you mean 'service'" in text


def test_inventory_formula_without_a_saved_result_is_refused_with_its_cell(tmp_path):
    from openpyxl import Workbook

    book = Workbook()  # openpyxl, like most scripts, saves formulas without their results
    services = book.active
    services.title = "services"
    services.append(["insee_code", "service", "workload", "fte"])
    services.append(["53130", "voirie", 120, 2])
    services.append(["53201", "voirie", "=B2*0+40", 1])
    book.create_sheet("equipment").append(["insee_code", "equipment", "units"])
    book["equipment"].append(["53130", "backhoe_loader", "=1+1"])
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    text = inventory_problems(tmp_path, path)
    assert "formulas.xlsx[services]: row 3.workload: a formula without a saved result" in text
    assert "'=B2*0+40'" in text and "open and save the workbook in Excel or LibreOffice" in text
    assert "formulas.xlsx[equipment]: row 2.units: a formula without a saved result" in text
    assert "row 2.workload" not in text  # plain values are fine


def test_inventory_folder_needs_one_of_its_two_files(tmp_path):
    unrelated = tmp_path / "photos"
    unrelated.mkdir()
    (unrelated / "notes.txt").write_text("mine")
    text = inventory_problems(tmp_path, unrelated)
    assert "holds neither services.csv nor equipment.csv" in text and "optimiser template inventory" in text
    (unrelated / "service.csv").write_text("insee_code,service\n53130,voirie\n")
    assert "did you mean 'services.csv'" in inventory_problems(tmp_path, unrelated)
    only_machines = bad_inventory(tmp_path, [{"insee_code": "53130", "service": "voirie"}],
                                  [{"insee_code": "53130", "equipment": "backhoe_loader", "units": 2}])
    (only_machines / "services.csv").unlink()  # one of the two is enough: the other is all estimated
    path = write_scenario(tmp_path / "ok.yaml", {"name": "x", "territory": {"communes": LAVAL},
                                                  "services": {"inventory": str(only_machines)}, "pooling": {"enabled": False}})
    assert prepare(load_scenario(path)).services.inventory.units[("53130", "backhoe_loader")] == 2


def test_inventory_extra_sheet_is_reported(tmp_path):
    book = tmp_path / "book.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"insee_code": ["53130"], "service": ["voirie"]}).to_excel(writer, sheet_name="services", index=False)
        pd.DataFrame({"insee_code": ["53130"], "equipment": ["backhoe_loader"], "units": [1]}).to_excel(
            writer, sheet_name="equipment", index=False)
        pd.DataFrame({"insee_code": ["53130"], "service": ["voirie"], "workload": [5]}).to_excel(
            writer, sheet_name="services 2024", index=False)
    text = inventory_problems(tmp_path, book)
    assert "sheet 'services 2024': unknown sheet" in text and "did you mean 'services'" in text


def test_inventory_duplicated_machine_row_is_an_error_not_a_bigger_fleet(tmp_path):
    folder = bad_inventory(tmp_path, [{"insee_code": "53130", "service": "voirie"}],
                           [{"insee_code": "53130", "equipment": "backhoe_loader", "units": 2},
                            {"insee_code": "53201", "equipment": "backhoe_loader", "units": 1},
                            {"insee_code": "53130", "equipment": "backhoe_loader", "units": 2}])
    text = inventory_problems(tmp_path, folder)
    assert "equipment.csv: row 4: 53130 / backhoe_loader appears twice (also row 2)" in text
    assert "total units" in text


def test_inventory_name_that_does_not_match_its_code(tmp_path):
    folder = bad_inventory(tmp_path, [{"insee_code": "53130", "commune": "Lavall", "service": "voirie"},
                                      {"insee_code": "53130", "commune": "Changé", "service": "eclairage"},
                                      {"insee_code": "53054", "commune": "CHANGE", "service": "voirie"}])
    text = inventory_problems(tmp_path, folder)
    assert "row 2.commune: 'Lavall' is not the name of commune 53130 (Laval); did you mean 'Laval'?" in text
    assert "row 3.commune: 'Changé' is not the name of commune 53130 (Laval); Changé is 53054" in text
    assert "row 4" not in text  # accents and case aside, the name matches


def test_template_refuses_to_overwrite(tmp_path, template):
    done = optimiser("template", "inventory", LAVAL, "--out", template)
    assert done.returncode == 2 and "already exists" in done.stderr


# --------------------------------------------------------------------------- scenario keys


def test_service_scenario_errors(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {
        "name": "x", "territory": {"communes": LAVAL},
        "services": {"include": ["voirie", "eclairage"], "overrides": {"eclairag": {"productivity": 400}}},
        "pooling": {"mode": "regi", "force": [{"communes": ["Lavall"], "services": ["voirie"], "pool": True}]},
        "fairness": {"key": "shapely"},
    })
    with pytest.raises(InputError) as info:
        prepare(load_scenario(path))
    text = "\n".join(p.render() for p in info.value.problems)
    assert "services.overrides.eclairag" in text and "did you mean 'eclairage'" in text
    assert "pooling.mode" in text and "did you mean 'regie'" in text
    assert "fairness.key" in text and "'shapley'" in text


def test_force_rule_communes_resolve(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {
        "name": "x", "territory": {"communes": LAVAL}, "services": {"include": ["voirie"]},
        "pooling": {"force": [{"communes": ["Lavall"], "services": ["voirie"], "pool": True}]},
    })
    with pytest.raises(InputError, match="pooling.force\\[0\\].communes\\[0\\]"):
        prepare(load_scenario(path))


def test_service_keys_without_services_block(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {"name": "x", "territory": {"communes": LAVAL}, "fairness": {"key": "population"}})
    with pytest.raises(InputError, match="only meaningful with a services block"):
        load_scenario(path)


# -------------------------------------------------------------------------------- results


@pytest.fixture(scope="module")
def delegated_result(tmp_path_factory):
    # Three services, one of them with machines (propreté's sweepers), prove the same outputs as
    # all six in a sixth of the time (6 s against 13–60 s, the full model's HiGHS time varies most).
    result = solve(load_scenario(SCENARIOS / "laval-2016-delegated.yaml",
                                 ["services.include=[voirie, eclairage, proprete]", "solver.time_limit_s=120"]))
    folder = result.to_dir(tmp_path_factory.mktemp("svc") / "delegated")
    return result, folder


@pytest.mark.slow
def test_outputs_of_a_service_design(delegated_result):
    result, folder = delegated_result
    # proving the optimum may outlast the limit on a busy machine (issue 11): a near-optimal design will do
    assert result.status == "optimal" or (result.status == "feasible" and result.summary["gap"] < 0.01)
    for name in ("services.csv", "equipment.csv", "shares.csv", "regie_vs_delegation.csv", "status_quo.csv", "core.csv",
                 "parameters.csv", "members.csv", "savings.png"):
        assert (folder / name).exists(), name
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["total_cost"] + summary["savings"] == pytest.approx(summary["status_quo_cost"])
    assert summary["savings"] > 0
    services = pd.read_csv(folder / "services.csv")
    assert set(services["mode"]) <= {"delegation", "lending only"}
    communes = pd.read_csv(folder / "communes.csv", dtype={"insee_code": str})
    assert {"standalone_cost", "share", "saving", "services_pooled", "voirie", "estimated"} <= set(communes.columns)
    # each commune saves against what it would pay reorganised alone: together, the pooling part
    assert communes["saving"].sum() == pytest.approx(summary["savings_pooling"], abs=1.0)
    rvd = pd.read_csv(folder / "regie_vs_delegation.csv")
    assert (rvd["chosen"] == "delegation").all() and {"regie_eur", "delegation_eur", "cheaper"} <= set(rvd.columns)
    assert "## Services et modes de gestion" in (folder / "report.md").read_text()
    page = (folder / "report.html").read_text()
    assert 'id="services"' in page and "Régie ou délégation" in page and "Économie" in page


@pytest.mark.slow
def test_service_result_passes_the_verifier_and_fails_when_tampered(delegated_result, tmp_path):
    _, folder = delegated_result
    assert verify_result(folder).ok, verify_result(folder).violations
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    services = pd.read_csv(broken / "services.csv", dtype=str)
    services.loc[0, "contract_eur"] = str(float(services.loc[0, "contract_eur"]) * 0.5)
    services.to_csv(broken / "services.csv", index=False)
    text = "\n".join(verify_result(broken).violations)
    assert "pole service costs" in text
    shutil.rmtree(broken)
    shutil.copytree(folder, broken)
    shares = pd.read_csv(broken / "shares.csv", dtype=str)
    row = shares.index[shares["choice"].str.startswith("pooled")][0]
    shares.loc[row, "pays_eur"] = str(float(shares.loc[row, "pays_eur"]) + 5000)
    shares.to_csv(broken / "shares.csv", index=False)
    assert "cost shares" in "\n".join(verify_result(broken).violations)


@pytest.mark.slow
def test_mode_flips_when_the_delegated_price_moves(tmp_path):
    """A new user's check: make délégation of espaces verts cheap, then dear, and watch the mode.
    Every commune pools it here, so each pole must pick a mode, and picks the cheaper one."""
    base = ["services.include=[espaces_verts]", "poles.communes={max: 7}", "poles.max_travel_min=20", "solver.name=highs",
            "pooling.force=[{services: [espaces_verts], pool: true}]"]
    modes = {}
    for price in (6000, 30000):
        result = solve(load_scenario(SCENARIOS / "laval-2016-a-la-carte.yaml",
                                     base + [f"services.overrides.espaces_verts.delegated_price_eur={price}"]))
        rvd = result.service_tables.regie_vs_delegation
        assert len(rvd) and (rvd["chosen"] == rvd["cheaper"]).all()
        modes[price] = set(rvd["chosen"])
    assert modes == {6000: {"delegation"}, 30000: {"regie"}}


@pytest.mark.slow
def test_status_quo_scenario(tmp_path_factory):
    # the session's solve (test_economics and test_summary_type read it too) and folder (test_economics)
    result = solved(tmp_path_factory, "laval-2016-status-quo")
    assert result.summary["savings"] == 0 and result.summary["total_cost"] == result.summary["status_quo_cost"]
    assert result.communes["alone"].all()
    assert verify_result(written(tmp_path_factory, "laval-2016-status-quo")).ok


@pytest.mark.slow
def test_lending_only_scenario_borrows_and_pools_nothing(tmp_path, tmp_path_factory):
    result = solved(tmp_path_factory, "laval-2016-lending")
    assert result.summary["services_pooled"] == 0 and result.summary["services_borrowed"] > 0
    assert result.summary["voluntary_members_paying_more"] == 0
    assert verify_result(result.to_dir(tmp_path / "lend", draw=False)).ok


@pytest.mark.slow  # about 2 CPU-s: four design runs (two of them the diagnosis trials)
def test_budget_that_cannot_be_met_is_explained(tmp_path):
    """A saving of half the status quo, where the best design saves about a quarter: infeasible,
    and explained. Six communes (87 candidate poles) exercise what Laval did in 30-70 s, in about
    2 CPU-s: the enumerated master proves the budget infeasible, the compact MILP proves it
    again, then the diagnosis lifts each pole rule the scenario uses (contiguity, the commune
    count) and proves each trial infeasible too — no single family is the cause, the budget is."""
    territory = write_geojson(tmp_path / "g.geojson", grid_features(2, 3, cell_km=4.0, populations=[2000, 1000, 1500, 800, 3000, 600]))
    data = {"name": "g", "territory": {"communes": str(territory)}, "services": {"include": ["espaces_verts", "eclairage"]},
            "poles": {"max_travel_min": None, "communes": {"max": 4}}, "contiguity": "exact",
            "solver": {"name": "highs", "time_limit_s": 60}}
    free = solve(scenario_from_dict(data, base_dir=tmp_path))
    assert free.has_design and 0 < free.summary["savings"] < 0.5 * free.summary["status_quo_cost"]
    budgeted = scenario_from_dict({**data, "budget": {"min_savings_pct": 0.5}}, base_dir=tmp_path)
    assert [label for label, _ in relaxations(prepare(budgeted).rules)] == [
        "contiguity", "the commune-count bounds (poles.communes)"]
    result = solve(budgeted)
    assert result.status == "infeasible"
    # both trials (20 s each, a fraction of a second used) decided: none undecided, none with a design
    assert result.summary["diagnosis"] == ["the solver proved that no design satisfies the rules; "
                                           "no single family of rules is the cause alone"]


def test_force_rule_problems_are_reported_together_with_their_lines(tmp_path):
    path = write_scenario(tmp_path / "s.yaml", {
        "name": "x", "territory": {"communes": LAVAL}, "services": {"include": ["voirie"]},
        "pooling": {"force": [{"communes": ["Changé", "Lavall"], "services": ["eclairage"], "pool": True},
                              {"communes": ["Changé", "Nowhere"], "services": ["voirie"], "pool": False}]},
    })
    with pytest.raises(InputError) as info:
        prepare(load_scenario(path))
    problems = {p.path: p for p in info.value.problems}
    assert list(problems) == ["pooling.force[0].communes[1]", "pooling.force[0].services", "pooling.force[1].communes[1]"]
    assert "did you mean 'Laval'" in problems["pooling.force[0].communes[1]"].render()
    assert problems["pooling.force[0].communes[1]"].line is not None and problems["pooling.force[1].communes[1]"].line is not None


def test_every_priced_machine_and_pooling_parameter_is_listed_and_overridable():
    from dataclasses import fields

    from optimiser.scenario.schema import EquipmentOverride
    from optimiser.services.catalogue import EQUIPMENT_PARAMETERS
    from optimiser.services.terms import default_terms

    assert set(EQUIPMENT_PARAMETERS) == set(EquipmentOverride.model_fields)
    catalogue, terms = default_catalogue(), default_terms()
    rows = {(r["group"], r["parameter"]) for r in parameter_rows(catalogue, terms)}
    assert {(q, name) for q in catalogue.equipment for name in EQUIPMENT_PARAMETERS} <= rows
    assert {("pooling", f.name) for f in fields(terms)} <= rows


def test_inventory_modes_fold_and_machine_ages_are_still_checked(tmp_path):
    folder = bad_inventory(tmp_path, [{"insee_code": "53130", "service": "voirie", "mode": "Régie"},
                                      {"insee_code": "53201", "service": "voirie", "mode": "DÉLÉGATION"}],
                           [{"insee_code": "53130", "equipment": "backhoe_loader", "units": 1, "age_years": "old"},
                            {"insee_code": "53201", "equipment": "backhoe_loader", "units": 1, "age_years": -2}])
    text = inventory_problems(tmp_path, folder)
    assert "row 2.age_years: expected a number" in text and "row 3.age_years: expected a number >= 0" in text
    assert ".mode:" not in text
    pd.DataFrame([{"insee_code": "53130", "equipment": "backhoe_loader", "units": 2, "age_years": 7.5}]).to_csv(
        folder / "equipment.csv", index=False)
    path = write_scenario(tmp_path / "ok.yaml", {"name": "x", "territory": {"communes": LAVAL},
                                                  "services": {"inventory": str(folder)}, "pooling": {"enabled": False}})
    inventory = prepare(load_scenario(path)).services.inventory
    assert inventory.services[("53130", "voirie")].mode == "regie" and inventory.services[("53201", "voirie")].mode == "delegation"
    assert inventory.units[("53130", "backhoe_loader")] == 2
