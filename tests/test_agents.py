"""Indivisible people: an inventory can list a commune's agents with their split over services.

The issue's case: a village's only agent works 0.5 on the roads, 0.3 in green spaces and 0.2 on
buildings. Typed as three FTE figures on the services rows, pooling or delegating the roads
"saved" half an agent who stays employed (the 26.7 % saving). Listed in the ``agents`` table, he
is one person: counted once in the status quo, and his road time is either put at the pool's
disposal or paid as redeployed time — never a fraction of a post booked as cash."""

from __future__ import annotations

import pandas as pd
import pytest
from bruteforce_services import best_service_design
from helpers import DATA, SCENARIOS, grid_features, run_cli, write_geojson, write_scenario

from optimiser.api import solve
from optimiser.design import design_poles
from optimiser.errors import InputError
from optimiser.inputs.preparation import prepare
from optimiser.scenario.load import load_scenario, scenario_from_dict
from optimiser.solvers import SolverOptions, Status
from optimiser.verify import verify_result

VILLAGE = "98001"
SPLIT = {"voirie": 0.5, "espaces_verts": 0.3, "batiments": 0.2}
LAVAL = str(DATA / "laval_agglo_2016.geojson")


def village(tmp_path, with_agents: bool, include=("voirie",), attrition=False) -> dict:
    """Three communes; the village's only agent split over three services (only ``include`` in
    the study): as an agents row, or typed as FTE on its services rows."""
    territory = write_geojson(tmp_path / "row.geojson", grid_features(1, 3, populations=[300, 2500, 1800]))
    inventory = tmp_path / ("agents" if with_agents else "split")
    inventory.mkdir(exist_ok=True)
    rows = [{"insee_code": VILLAGE, "service": s, "mode": "regie", "fte": None if with_agents else SPLIT[s]} for s in include]
    pd.DataFrame(rows).to_csv(inventory / "services.csv", index=False)
    if with_agents:
        pd.DataFrame([{"insee_code": VILLAGE, "agent": "agent communal", "fte": 1.0, **SPLIT}]).to_csv(inventory / "agents.csv", index=False)
    return {"name": "village", "territory": {"communes": str(territory)}, "poles": {"max_travel_min": 60},
            "services": {"include": list(include), "inventory": str(inventory)},
            "staff": {"no_reduction_beyond_attrition": attrition},
            "solver": {"name": "highs", "time_limit_s": 60, "gap": 0.0}, "objective": {"travel_weight_eur": 0.0}}


def test_the_agent_is_counted_once(tmp_path):
    si = prepare(scenario_from_dict(village(tmp_path, True, include=tuple(SPLIT)), base_dir=tmp_path)).services
    rows = {s: si.inventory.services[(VILLAGE, s)] for s in SPLIT}
    assert {s: r.fte for s, r in rows.items()} == SPLIT and sum(r.fte for r in rows.values()) == pytest.approx(1.0)
    assert {s: r.polyvalent_fte for s, r in rows.items()} == SPLIT
    assert all(r.mode == "regie" and "fte" not in r.estimated for r in rows.values())
    assert [a.label for a in si.inventory.agents] == ["agent communal"]


@pytest.mark.parametrize("attrition", [False, True])
def test_delegating_one_service_of_a_polyvalent_agent_saves_no_fraction_of_him(tmp_path, attrition):
    """Only the roads are in the study; the agent also works in green spaces and buildings."""
    split = prepare(scenario_from_dict(village(tmp_path, False, attrition=attrition), base_dir=tmp_path)).services
    agents = prepare(scenario_from_dict(village(tmp_path, True, attrition=attrition), base_dir=tmp_path)).services
    key = (VILLAGE, "voirie")
    today = agents.status_quo[key]
    assert today.fte == 0.5 and today.staff_eur == pytest.approx(split.status_quo[key].staff_eur)
    # typed as a services-row figure, half an agent vanishes when the village delegates alone: the artefact
    if not attrition:
        assert split.standalone[key].option == "delegation" and split.standalone[key].staff_eur == 0
        assert split.status_quo[key].total_eur - split.standalone[key].total_eur > 0.15 * split.status_quo[key].total_eur
    # as a person, he stays: every option alone still pays his half
    for option in ("as-is", "regie", "delegation"):
        from optimiser.services.alone import alone_option_cost

        cost = alone_option_cost(agents.inventory, agents.catalogue, agents.terms, attrition, *key, option, today)
        assert cost.staff_eur >= today.staff_eur - 0.01, option
    assert agents.standalone[key].staff_eur >= today.staff_eur - 0.01
    assert agents.econ.retained_fte(*key) == pytest.approx(0.5)


@pytest.mark.parametrize("solver", ["highs", "cbc"])
def test_pooling_the_roads_keeps_the_agent_and_matches_enumeration(tmp_path, solver):
    data = village(tmp_path, True)
    data["pooling"] = {"force": [{"communes": [VILLAGE], "services": ["voirie"], "pool": True}]}
    inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
    expected = best_service_design(inputs)
    design = design_poles(inputs, SolverOptions(name=solver, gap=0.0))
    assert design.status is Status.OPTIMAL
    assert design.services.total_eur == pytest.approx(expected, rel=1e-7, abs=1e-3)
    pole = next(p for p in design.services.pole_services.values() if VILLAGE in p.poolers)
    rate = inputs.services.catalogue.staff_eur("voirie")
    if pole.mode == "delegation":  # his half is paid while redeployed, not shed
        assert pole.redeployed_eur >= 0.5 * rate - 0.01
    else:  # his half is put at the pool's disposal
        assert pole.fte >= 0.5


@pytest.mark.slow
def test_outputs_state_the_kept_time_and_verify_recomputes_it(tmp_path):
    data = village(tmp_path, True)
    data["pooling"] = {"force": [{"communes": [VILLAGE], "services": ["voirie"], "pool": True}]}
    folder = solve(scenario_from_dict(data, base_dir=tmp_path)).to_dir(tmp_path / "out", draw=False)
    assert verify_result(folder).ok, verify_result(folder).violations
    trajectory = pd.read_csv(folder / "staff_trajectory.csv", dtype={"member": str})
    mine = trajectory[trajectory["member"] == VILLAGE]
    assert len(mine) == 6  # one row a year
    assert (mine["whole_agents_freed"] == 0).all() and (mine["redeployed_time_fte"] == 0).all()  # no post, no fraction of one
    assert (mine["polyvalent_fte_kept"] == 0.5).all() and (mine["fte_employed"] == 0.5).all()
    status = pd.read_csv(folder / "status_quo.csv", dtype={"member": str})
    assert status.set_index(["member", "service"]).loc[(VILLAGE, "voirie"), "polyvalent_fte"] == 0.5
    status.loc[(status["member"] == VILLAGE) & (status["service"] == "voirie"), "polyvalent_fte"] = 0.0
    status.to_csv(folder / "status_quo.csv", index=False)
    verification = verify_result(folder)
    assert not verification.ok
    assert any("polyvalent_fte 0.0" in str(v) for v in verification.violations), verification.violations


# ------------------------------------------------------------------------------- bad input


def problems_of(tmp_path, agents_rows, services_rows=(), columns=None) -> str:
    folder = tmp_path / "inv"
    folder.mkdir(exist_ok=True)
    pd.DataFrame(list(services_rows), columns=["insee_code", "service", "fte", "mode"]).to_csv(folder / "services.csv", index=False)
    pd.DataFrame(agents_rows, columns=columns).to_csv(folder / "agents.csv", index=False)
    path = write_scenario(tmp_path / "s.yaml", {"name": "x", "territory": {"communes": LAVAL},
                                                "services": {"inventory": str(folder)}, "pooling": {"enabled": False}})
    with pytest.raises(InputError) as info:
        prepare(load_scenario(path))
    return "\n".join(p.render() for p in info.value.problems)


def test_bad_agents_are_reported_together_with_row_and_column(tmp_path):
    text = problems_of(tmp_path, [
        {"insee_code": "53130", "agent": "a", "fte": 1.0, "voirie": 0.5, "espaces_verts": 0.3},          # 0.8 ≠ 1.0
        {"insee_code": "53130", "agent": "b", "fte": None, "voirie": -0.2, "espaces_verts": 0.5},        # negative
        {"insee_code": "53130", "agent": "c", "fte": 1.5, "voirie": 1.5},                                 # two people
        {"insee_code": "53130", "agent": "d", "fte": None, "voirie_travaux": 0.5, "batiments": 0.5},     # works
        {"insee_code": "53201", "agent": "e", "fte": 1.0},                                                # no split
        {"insee_code": "53201", "agent": "f", "fte": None, "voirie": 0.5, "batiments": 0.5},
        {"insee_code": "53201", "agent": "f", "fte": None, "voirie": 0.5, "batiments": 0.5},             # twice
        {"insee_code": "99999", "agent": "g", "fte": None, "voirie": 1.0},                                # no commune
    ], columns=["insee_code", "agent", "fte", "voirie", "espaces_verts", "voirie_travaux", "batiments", "espace_vert"])
    for words in ("agents.csv", "column 'espace_vert': unknown column", "did you mean 'espaces_verts'",
                  "row 2.fte: the split of agent 'a' adds up to 0.8 FTE (voirie 0.5 + espaces_verts 0.3), not his fte",
                  "row 3.voirie: expected a number >= 0", "row 4.fte: an agent is one person: at most 1 FTE",
                  "row 5.voirie_travaux: voirie_travaux is never run by the commune's own staff",
                  "row 6: agent 'e' has 1 FTE but no time in any service",
                  "row 8.agent: agent 'f' of 53201 appears twice (also row 7)", "row 9.insee_code: no commune '99999'"):
        assert words in text, (words, text)


def test_a_services_fte_below_its_agents_time_is_refused(tmp_path):
    text = problems_of(tmp_path, [{"insee_code": "53130", "agent": "a", "fte": 1.0, "voirie": 0.5, "espaces_verts": 0.5},
                                  {"insee_code": "53130", "agent": "b", "fte": 1.0, "voirie": 1.0}],
                       [{"insee_code": "53130", "service": "voirie", "fte": 1.0, "mode": "regie"}],
                       columns=["insee_code", "agent", "fte", "voirie", "espaces_verts"])
    assert "services.csv" in text and "row 2.fte: 53130 / voirie: fte is less than the 1.5 FTE of its agents" in text, text
    assert "rows 2, 3" not in text and "row 2, row 3" in text


def test_a_services_fte_that_holds_its_agents_is_the_total(tmp_path):
    folder = tmp_path / "inv"
    folder.mkdir()
    pd.DataFrame([{"insee_code": "53130", "service": "voirie", "fte": 6.0, "mode": "regie"}]).to_csv(folder / "services.csv", index=False)
    pd.DataFrame([{"insee_code": "53130", "agent": "a", "voirie": 0.6, "espaces_verts": 0.4}]).to_csv(folder / "agents.csv", index=False)
    path = write_scenario(tmp_path / "s.yaml", {"name": "x", "territory": {"communes": LAVAL}, "services": {"inventory": str(folder)},
                                                "pooling": {"enabled": False}})
    inv = prepare(load_scenario(path)).services.inventory
    assert inv.services[("53130", "voirie")].fte == 6.0  # the listed agent is part of the 6, not added to them
    assert inv.services[("53130", "voirie")].polyvalent_fte == pytest.approx(0.6)
    assert inv.services[("53130", "espaces_verts")].fte == pytest.approx(0.4)


def test_cli_exit_2_on_a_bad_split(tmp_path):
    folder = tmp_path / "inv"
    folder.mkdir()
    pd.DataFrame([{"insee_code": "53130", "service": "voirie", "fte": None}]).to_csv(folder / "services.csv", index=False)
    pd.DataFrame([{"insee_code": "53130", "agent": "a", "fte": 1, "voirie": 0.5}]).to_csv(folder / "agents.csv", index=False)
    path = write_scenario(tmp_path / "s.yaml", {"name": "x", "territory": {"communes": LAVAL}, "services": {"inventory": str(folder)}})
    done = run_cli("validate", path)
    assert done.returncode == 2
    assert "agents.csv" in done.stderr + done.stdout and "adds up to 0.5 FTE" in done.stderr + done.stdout


def test_template_has_an_agents_table(tmp_path):
    for out in (tmp_path / "inventory.xlsx", tmp_path / "inventory"):
        done = run_cli("template", "inventory", SCENARIOS / "laval-2016.yaml", "--out", out)
        assert done.returncode == 0, done.stderr
        agents = pd.read_excel(out, sheet_name="agents") if out.suffix else pd.read_csv(out / "agents.csv")
        assert list(agents.columns[:4]) == ["insee_code", "commune", "agent", "fte"] and "voirie" in agents.columns
        assert "voirie_travaux" not in agents.columns and agents.empty


def test_a_workbook_with_an_agents_sheet(tmp_path):
    book = tmp_path / "inventory.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame([{"insee_code": "53130", "service": "voirie", "fte": None}]).to_excel(writer, sheet_name="services", index=False)
        pd.DataFrame(columns=["insee_code", "equipment", "units"]).to_excel(writer, sheet_name="equipment", index=False)
        pd.DataFrame([{"insee_code": "53130", "agent": "a", "voirie": 0.7, "proprete": 0.3}]).to_excel(writer, sheet_name="Agents",
                                                                                                     index=False)
    path = write_scenario(tmp_path / "s.yaml", {"name": "x", "territory": {"communes": LAVAL}, "services": {"inventory": str(book)},
                                                "pooling": {"enabled": False}})
    inv = prepare(load_scenario(path)).services.inventory
    assert inv.services[("53130", "voirie")].fte == pytest.approx(0.7) and inv.services[("53130", "proprete")].fte == pytest.approx(0.3)
    assert inv.services[("53130", "voirie")].polyvalent_fte == pytest.approx(0.7)
