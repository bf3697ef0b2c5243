"""Savings by source, the reorganised-alone counterfactual, the régime indemnitaire and one-member
pole services (issue 10, steps 4–5)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from helpers import grid_features, write_geojson

from optimiser.api import solve
from optimiser.inputs.preparation import prepare
from optimiser.model.extract import ServiceDesign
from optimiser.scenario.load import scenario_from_dict
from optimiser.services.economics import pole_service_cost
from optimiser.services.savings import decompose
from optimiser.verify import verify_result

POPULATIONS = [2000, 1000, 1500, 800, 3000, 600]


def scenario(tmp_path, **extra):
    territory = write_geojson(tmp_path / "g.geojson", grid_features(2, 3, cell_km=4.0, populations=POPULATIONS))
    data = {"name": "g", "territory": {"communes": str(territory)}, "services": {}, "poles": {"max_travel_min": None},
            "solver": {"name": "highs", "time_limit_s": 60}, **extra}
    return scenario_from_dict(data, base_dir=tmp_path)


@pytest.fixture(scope="module")
def pooled(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("savings")
    result = solve(scenario(tmp, staff={"no_reduction_beyond_attrition": True}))
    return result, result.to_dir(tmp / "out")


@pytest.mark.slow
def test_parts_add_up_to_the_saving_and_the_verifier_agrees(pooled):
    result, folder = pooled
    s = result.summary
    table = pd.read_csv(folder / "savings_by_source.csv")
    parts = table[table["stage"] != "total"]["saving_eur"].sum()
    assert parts == pytest.approx(s["savings"], abs=100.0)  # within 0.1 k€
    assert s["savings_alone"] + s["savings_pooling"] == pytest.approx(s["savings"], abs=0.05)
    assert s["status_quo_cost"] >= s["alone_cost"] >= s["total_cost"] - 1e-6
    sources = set(table["source"])
    for name in ("joint purchasing", "shared machines", "staff scale", "attrition", "travel and transfers",
                 "coordination and set-up", "tax basis", "régime indemnitaire harmonisation"):
        assert name in sources
    coordination = table[table["source"] == "coordination and set-up"]["saving_eur"].sum()
    assert coordination < 0
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["attrition"]["average_share_kept"] == pytest.approx((1 + 0.97 + 0.94 + 0.91 + 0.88 + 0.85) / 6)
    assert (folder / "savings_by_source.png").exists() and (folder / "staff_trajectory.csv").exists()
    assert "savings_by_source.png" in (folder / "report.md").read_text()  # the chart, in the section on sources
    assert 'id="savings-by-source"' in (folder / "report.html").read_text()
    check = verify_result(folder)
    assert check.ok, check.violations


@pytest.mark.slow
def test_a_tampered_decomposition_fails_verify(pooled, tmp_path):
    import shutil

    _, folder = pooled
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    table = pd.read_csv(broken / "savings_by_source.csv")
    table.loc[table["source"] == "joint purchasing", "saving_eur"] += 5000
    table.to_csv(broken / "savings_by_source.csv", index=False)
    text = "\n".join(verify_result(broken).violations)
    assert "savings by source add up" in text and "savings by source recomputed" in text


@pytest.mark.slow
def test_staff_trajectory_frees_posts_year_by_year(pooled):
    result, _ = pooled
    trajectory = result.service_tables.staff_trajectory
    if not len(trajectory):
        pytest.skip("no service changed")
    by_year = trajectory.groupby("year")["fte_employed"].sum()
    assert list(by_year.index) == [1, 2, 3, 4, 5, 6]
    assert all(by_year.diff().dropna() <= 1e-9)  # never more agents later: nobody is replaced
    assert ((trajectory["whole_agents_freed"] + trajectory["redeployed_time_fte"] - trajectory["fte_freed"].clip(lower=0)).abs()
            < 2e-3).all()


def test_decomposition_by_hand(tmp_path):
    """Three communes delegate éclairage together, nothing else changes: joint purchasing is
    σ × the HT contract; coordination is minus the pole's coordination and procedure; the rest is
    reorganising alone and the tax basis, and everything adds up."""
    inputs = prepare(scenario(tmp_path, services={"include": ["eclairage"]}))
    si = inputs.services
    econ = si.econ
    members = ["98001", "98002", "98003"]
    pole = pole_service_cost(econ, "98001", "eclairage", members, [], "delegation")
    kept = {k: (0.0 if k[0] in members else c.total_eur) for k, c in si.standalone.items()}
    total = sum(kept.values()) + pole.total_eur
    design = ServiceDesign({(i, "eclairage"): "98001" for i in members}, {}, {("98001", "eclairage"): pole}, kept, total,
                           si.status_quo_eur, total, si)
    d = decompose(design)
    assert sum(d.parts.values()) == pytest.approx(si.status_quo_eur - total, abs=1e-6)
    light_points = sum(0.15 * p for p in POPULATIONS[:3])
    assert d.parts[("pooling", "joint purchasing")] == pytest.approx(0.10 * light_points * 90)
    lots = pole.lots * 10 * 230 / 4
    day = 46_000 / 200
    coordination = 0.5 * 46_000 / 6 + 10 * day / 6 + 3 * (day + 2 * day / 6)
    assert d.parts[("pooling", "coordination and set-up")] == pytest.approx(-(coordination + lots))
    assert d.parts[("pooling", "régime indemnitaire harmonisation")] == 0.0
    ht = si.econ.with_basis("ht")
    alone_parts = sum(v for (stage, _), v in d.parts.items() if stage == "alone")
    assert alone_parts == pytest.approx(sum(c.total_eur for c in ht.status_quo.values())
                                        - sum(c.total_eur for c in ht.standalone.values()), abs=1e-6)


def test_reorganised_alone_by_hand(tmp_path):
    """A commune with three times the staff its green spaces need reorganises alone in régie at the
    norm; with the attrition rule, it keeps on average (1 + 0.97 + … + 0.85)/6 of its agents."""
    folder = tmp_path / "inv"
    folder.mkdir()
    pd.DataFrame([{"insee_code": "98001", "service": "espaces_verts", "workload": 4.0, "fte": 4.0, "mode": "regie",
                   "contract_eur": 0}]).to_csv(folder / "services.csv", index=False)
    pd.DataFrame([{"insee_code": "98001", "equipment": "ride_on_mower_pro", "units": 1}]).to_csv(folder / "equipment.csv", index=False)
    for rule, kept_on in ((False, 0.0), (True, 0.925 * 4.0)):
        si = prepare(scenario(tmp_path, services={"include": ["espaces_verts"], "inventory": str(folder)},
                              staff={"no_reduction_beyond_attrition": rule})).services
        alone, today = si.standalone[("98001", "espaces_verts")], si.status_quo[("98001", "espaces_verts")]
        rate = si.catalogue.staff_eur("espaces_verts")
        assert today.total_eur == pytest.approx(4.0 * rate + 4.0 * 0.35 * 10_000 * 1.2 * 1.15 + today.equipment_eur)
        need = 4.0 / 3.0  # 3 ha per FTE
        regie = max(need, kept_on) * rate + today.supplies_eur + today.equipment_eur  # one mower: its own need
        delegation = 4.0 * 1.5 * 10_000 * 1.2 + kept_on * rate
        assert alone.total_eur == pytest.approx(min(regie, delegation))
        assert alone.option == ("regie" if regie < delegation else "delegation")


def test_regime_indemnitaire_by_hand(tmp_path):
    inputs = prepare(scenario(tmp_path, services={"include": ["espaces_verts"]}, staff={"ri_harmonisation_uplift": 0.05}))
    econ = inputs.services.econ
    cost = pole_service_cost(econ, "98002", "espaces_verts", ["98001", "98002"], [], "regie")
    cat = inputs.services.catalogue
    assert cost.ri_eur == pytest.approx(cost.fte * 0.05 * (cat.grade_eur("espaces_verts") + cat.supervision_eur("espaces_verts")))
    assert cost.total_eur == pytest.approx(cost.staff_eur + cost.supplies_eur + cost.vehicle_eur + cost.equipment_eur
                                           + cost.transfer_eur + cost.coordination_eur + cost.ri_eur)
    deleg = pole_service_cost(econ, "98002", "espaces_verts", ["98001", "98002"], [], "delegation")
    assert deleg.ri_eur == 0.0  # delegated: nobody joins a common employer


@pytest.mark.slow
def test_a_one_member_pole_service_is_reported_as_alone(tmp_path):
    """Forced to pool with nobody else allowed, a commune runs a pole service alone: it is called
    alone, not pooled, and counts as no pooling (the model forbids it unless forced)."""
    result = solve(scenario(tmp_path, services={"include": ["eclairage"]},
                            pooling={"force": [{"communes": ["98001"], "services": ["eclairage"], "pool": True},
                                               {"communes": ["98002", "98003", "98004", "98005", "98006"], "pool": False}]}))
    s = result.summary
    assert s["single_member_pole_services"] == 1 and s["services_pooled"] == 0
    shares = result.service_tables.shares.set_index(["member", "service"])
    assert shares.loc[("98001", "eclairage"), "choice"].startswith("alone-")
    folder = result.to_dir(tmp_path / "out", draw=False)  # verified, not looked at: no maps
    assert verify_result(folder).ok, verify_result(folder).violations
