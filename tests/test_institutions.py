"""Institutional options: AC imputation and the CIF, the voirie transfer, the money flows."""

from __future__ import annotations

import pandas as pd
import pytest

from optimiser.institutions import cif_effect, money_flows
from optimiser.institutions.flows import COST_COLUMNS, InstitutionalChoices, design_total, flows_total_check
from optimiser.institutions.parameters import InstitutionParameters
from optimiser.institutions.transfer import clect_charge, missing_communes
from optimiser.scenario.schema import InstitutionsConfig
from optimiser.services.parameters import Sourced


def _s(value, unit=""):
    return Sourced(value, unit, "test", "scenario")


def params(cif=0.35, tax=10_000_000.0, dotation=400_000.0, ac=None, years=3, uplift=0.03) -> InstitutionParameters:
    ac = ac or {"A": 1_000_000.0, "B": 500_000.0, "C": 200_000.0}
    return InstitutionParameters(fiscal_regime="fpu", cif=_s(cif), territory_tax_eur=_s(tax), dotation_eur=_s(dotation),
                                 cif_cap=_s(0.6), ac_eur=ac, ac_source={k: "scenario" for k in ac}, clect_years=_s(years),
                                 ri_uplift=_s(uplift), pay_share={"voirie": 0.5, "voirie_travaux": 0.0, "batiments": 0.5})


def row(member, service, choice, pole, sq, own, pole_eur, sq_equipment=0.0, sq_staff=0.0):
    return dict(zip(COST_COLUMNS, [member, service, choice, pole, sq, sq_equipment, sq_staff, own, pole_eur], strict=True))


def costs() -> pd.DataFrame:
    """A and B in the service commun (batiments: shares 200 k€ and 100 k€, the EPCI 50 k€); C in a
    proximity pole (60 k€); every commune runs its own voirie; A and C also renew roads."""
    return pd.DataFrame([
        row("A", "batiments", "pooled-regie", "SC", 230_000, 0, 200_000),
        row("B", "batiments", "pooled-regie", "SC", 110_000, 0, 100_000),
        row("EPCI", "batiments", "pooled-regie", "SC", 55_000, 0, 50_000),
        row("C", "batiments", "pooled-delegation", "P1", 70_000, 0, 60_000),
        row("A", "voirie", "kept-regie", "", 100_000, 100_000, 0, sq_equipment=20_000, sq_staff=60_000),
        row("B", "voirie", "alone-delegation", "", 50_000, 45_000, 0, sq_equipment=5_000, sq_staff=30_000),
        row("C", "voirie", "borrows-machines", "P1", 40_000, 30_000, 8_000, sq_equipment=10_000, sq_staff=20_000),
        row("A", "voirie_travaux", "kept-delegation", "", 30_000, 30_000, 0),
        row("C", "voirie_travaux", "kept-delegation", "", 12_000, 12_000, 0),
    ])


def by_member(flows):
    return {r["member"]: r for r in flows.to_dict("records")}


# ----------------------------------------------------------------------------- the CIF formula


def test_cif_effect_is_the_reference_formula_by_hand():
    """legal_instruments.md §7: F_total 10 M€, CIF 0.35, D 400 k€, a 300 k€ service commun put on the AC:
    ΔCIF = 300/10,000 = 0.03 and ΔD = 400 k€ × 0.03 / 0.35 = 34,285.71 €."""
    effect = cif_effect(300_000, 0.35, 10_000_000, 400_000)
    assert effect.delta_cif == pytest.approx(0.03)
    assert effect.dotation_gain_eur == pytest.approx(34_285.714, abs=0.01)


def test_the_cap_stops_the_dotation_growing():
    """CIF 0.58 + 0.03 crosses the 0.6 cap: only 0.02 of it counts, ΔD = 400 k€ × 0.02 / 0.58."""
    effect = cif_effect(300_000, 0.58, 10_000_000, 400_000)
    assert effect.cif_after == pytest.approx(0.61)
    assert effect.dotation_gain_eur == pytest.approx(400_000 * 0.02 / 0.58)


def test_ac_imputation_changes_the_cif_by_the_reference_formula():
    cfg = InstitutionsConfig(service_commun_financing="attribution_compensation")
    flows = by_member(money_flows(2017, costs(), None, cfg, params()))
    a, b, c, epci = flows["A"], flows["B"], flows["C"], flows["EPCI"]
    # A's and B's shares (200 + 100 k€) leave their AC; nothing is paid by convention
    assert a["ac_imputation_eur"] == 200_000 and a["pays_epci_convention_eur"] == 0
    assert a["ac_after_eur"] == pytest.approx(800_000) and b["ac_after_eur"] == pytest.approx(400_000)
    assert c["ac_after_eur"] == pytest.approx(200_000)  # not in the service commun: its AC is untouched
    assert epci["cif_before"] == pytest.approx(0.35) and epci["cif_after"] == pytest.approx(0.38)
    assert epci["dotation_gain_upper_bound_eur"] == pytest.approx(34_285.71, abs=0.01)
    assert epci["dotation_effect_year"] == 2019  # the DGF reads accounts two years late
    # shared pro rata of the AC cut (informative: the dotation is the EPCI's)
    assert a["dotation_gain_upper_bound_eur"] == pytest.approx(34_285.71 * 2 / 3, abs=0.01)
    # the money is the same as by convention: A pays 200 k€ either way
    assert a["net_cost_eur"] == pytest.approx(100_000 + 30_000 + 200_000)


def test_convention_leaves_the_ac_and_the_cif_alone():
    flows = by_member(money_flows(2017, costs(), None, InstitutionsConfig(), params()))
    assert flows["A"]["pays_epci_convention_eur"] == 200_000 and flows["A"]["ac_imputation_eur"] == 0
    assert flows["A"]["ac_after_eur"] == flows["A"]["ac_before_eur"]
    assert flows["EPCI"]["cif_after"] == flows["EPCI"]["cif_before"]
    assert flows["EPCI"]["dotation_gain_upper_bound_eur"] == 0


def test_a_commune_that_does_not_agree_pays_by_convention():
    cfg = InstitutionsConfig(service_commun_financing="attribution_compensation", ac_agreed_by=["A"])
    flows = by_member(money_flows(None, costs(), None, cfg, params()))
    assert flows["A"]["service_commun_financing"] == "attribution_compensation"
    assert flows["B"]["service_commun_financing"] == "convention" and flows["B"]["pays_epci_convention_eur"] == 100_000
    assert flows["EPCI"]["cif_after"] == pytest.approx(0.35 + 200_000 / 10_000_000)


# ----------------------------------------------------------------------------- the voirie transfer


def test_clect_charge_averages_the_chosen_years_and_adds_annualised_equipment():
    assert clect_charge(80_000, 50_000, 3, [10, 70_000, 80_000, 90_000]) == (80_000, 50_000, "history")
    assert clect_charge(80_000, 50_000, 3) == (80_000, 50_000, "status quo")
    with pytest.raises(ValueError, match="3-year average"):
        clect_charge(80_000, 50_000, 3, [1, 2])


def test_a_transfer_must_be_asked_of_every_commune():
    assert missing_communes("all", ["A", "B"]) == []
    assert missing_communes(["A"], ["A", "B", "C"]) == ["B", "C"]


def test_voirie_transfer_cuts_the_ac_by_the_clect_evaluation():
    transfer = {"enabled": True, "year": 2019, "expense_history": {"A": [70_000, 80_000, 90_000, 95_000]}}
    cfg = InstitutionsConfig(voirie_transfer=transfer)
    before = by_member(money_flows(2018, costs(), None, cfg, params()))
    assert before["A"]["clect_charge_eur"] == 0  # not yet
    flows = by_member(money_flows(2019, costs(), None, cfg, params()))
    a, b, c, epci = flows["A"], flows["B"], flows["C"], flows["EPCI"]
    # A: mean of its last 3 years (80 + 90 + 95)/3 k€ + machines 20 k€ + renewal works 30 k€
    assert a["clect_charge_eur"] == pytest.approx((80_000 + 90_000 + 95_000) / 3 + 20_000 + 30_000, abs=0.01)
    assert a["clect_basis"] == "history"
    # B: no history, today's cost every year: 45 k€ operating + 5 k€ machines
    assert b["clect_charge_eur"] == pytest.approx(50_000) and b["clect_basis"] == "status quo"
    assert c["clect_charge_eur"] == pytest.approx(30_000 + 10_000 + 12_000)
    assert a["ac_after_eur"] == pytest.approx(1_000_000 - a["clect_charge_eur"])
    # the EPCI runs the roads: the design's cost of them, plus the régime indemnitaire of the agents
    # of A (kept-regie) and C (borrows: keeps its team) who join it — B delegates, no agents move
    assert epci["transferred_cost_eur"] == pytest.approx(100_000 + 30_000 + 45_000 + 30_000 + 8_000 + 12_000)
    assert epci["ri_transfer_eur"] == pytest.approx(0.03 * 0.5 * (60_000 + 20_000))
    assert a["own_eur"] == 0 and c["pays_pole_eur"] == 60_000  # roads left their budgets


def test_maintenance_by_communal_agents_is_reimbursed_and_keeps_the_employer():
    cfg = InstitutionsConfig(voirie_transfer={"enabled": True, "maintenance_by_communal_agents": True})
    flows = by_member(money_flows(None, costs(), None, cfg, params()))
    assert flows["A"]["mad_spend_eur"] == flows["A"]["mad_reimbursement_eur"] == pytest.approx(130_000)
    assert flows["EPCI"]["ri_transfer_eur"] == 0  # made available, not transferred: no harmonisation


def test_choices_override_the_scenario_for_the_year():
    cfg = InstitutionsConfig(voirie_transfer={"enabled": True, "year": 2020})
    flows = by_member(money_flows(2017, costs(), InstitutionalChoices(voirie_transferred=True), cfg, params()))
    assert flows["A"]["clect_charge_eur"] > 0


# ----------------------------------------------------------------------------- flows add up


@pytest.mark.parametrize("cfg", [
    InstitutionsConfig(),
    InstitutionsConfig(service_commun_financing="attribution_compensation"),
    InstitutionsConfig(service_commun_financing="attribution_compensation", voirie_transfer={"enabled": True}),
    InstitutionsConfig(voirie_transfer={"enabled": True, "maintenance_by_communal_agents": True}),
])
def test_flows_add_up_to_the_total_cost(cfg):
    """What the communes pay plus the EPCI's side is the design's total (plus the régime
    indemnitaire of a transfer), whatever the financing: money only changes hands."""
    frame = costs()
    flows = money_flows(2020, frame, None, cfg, params())
    assert design_total(frame) == pytest.approx(100_000 + 30_000 + 45_000 + 38_000 + 12_000 + 350_000 + 60_000)
    assert flows_total_check(flows, design_total(frame)) == pytest.approx(0, abs=0.05)
    epci = by_member(flows)["EPCI"]
    assert epci["receives_eur"] == pytest.approx(flows[flows["member"] != "EPCI"][
        ["pays_epci_convention_eur", "ac_imputation_eur", "clect_charge_eur"]].to_numpy().sum(), abs=0.05)
    assert (flows["saving_eur"] == (flows["status_quo_eur"] - flows["net_cost_eur"]).round(2)).all()


# ----------------------------------------------------------------------------- a run, end to end


def _scenario(tmp_path, institutions, service_commun=True):
    from helpers import grid_features, write_geojson, write_scenario

    territory = write_geojson(tmp_path / "g.geojson", grid_features(2, 3, cell_km=4.0, populations=[6000, 1000, 1500, 800, 1200, 900]))
    data = {"name": "inst", "territory": {"communes": str(territory)}, "services": {"include": ["voirie", "voirie_travaux", "batiments"]},
            "poles": {"max_travel_min": 30}, "solver": {"name": "highs", "time_limit_s": 30}, "outputs": {"map": False},
            "institutions": institutions}
    if service_commun:
        data["service_commun"] = {"members": ["98001", "98002"], "services": ["batiments"], "epci_workload": {"batiments": 2000}}
    return write_scenario(tmp_path / "s.yaml", data)


def test_a_partial_voirie_transfer_is_refused(tmp_path):
    from helpers import run_cli

    path = _scenario(tmp_path, {"voirie_transfer": {"enabled": True, "communes": ["98001", "98002"]}})
    done = run_cli("run", path, "--out", tmp_path / "out")
    assert done.returncode == 2
    assert "institutions.voirie_transfer.communes" in done.stderr and "every member commune at once" in done.stderr
    assert "4 of 6 communes are left out" in done.stderr
    assert not (tmp_path / "out").exists()


def test_ac_imputation_needs_a_service_commun_and_fpu(tmp_path):
    from helpers import run_cli

    done = run_cli("run", _scenario(tmp_path, {"service_commun_financing": "attribution_compensation"}, service_commun=False),
                   "--out", tmp_path / "out")
    assert done.returncode == 2 and "add a service_commun block or use convention" in done.stderr
    done = run_cli("run", _scenario(tmp_path, {"service_commun_financing": "attribution_compensation",
                                               "epci": {"fiscal_regime": "fa"}}), "--out", tmp_path / "out")
    assert done.returncode == 2 and "fiscalité professionnelle unique" in done.stderr


def test_the_uplift_is_one_knob(tmp_path):
    from helpers import run_cli

    done = run_cli("run", _scenario(tmp_path, {"ri_harmonisation_uplift": 0.05}), "--out", tmp_path / "out")
    assert done.returncode == 2 and "staff.ri_harmonisation_uplift" in done.stderr


@pytest.mark.slow
def test_run_writes_flows_that_add_up_and_verify_catches_a_tampered_one(tmp_path):
    from helpers import run_cli

    (tmp_path / "ac.csv").write_text("commune,ac_eur\nCell 1-0,50000\n", encoding="utf-8")
    path = _scenario(tmp_path, {"service_commun_financing": "attribution_compensation",
                                "attribution_compensation": {"file": "ac.csv", "values": {"98001": 2_000_000, "Cell 0-1": -10_000}},
                                "epci": {"cif": 0.3, "territory_tax_revenue_eur": 8_000_000, "dotation_intercommunalite_eur": 300_000},
                                "voirie_transfer": {"enabled": True, "clect_years": 2,
                                                    "expense_history": {"98003": [40_000, 50_000, 60_000]}}})
    out = tmp_path / "out"
    done = run_cli("run", path, "--out", out)
    assert done.returncode == 0, done.stderr
    flows = pd.read_csv(out / "flows.csv", dtype={"member": str})
    summary = __import__("json").loads((out / "summary.json").read_text())
    assert len(flows) == 7  # six communes and the EPCI
    epci = flows[flows["member"] == "EPCI"].iloc[0]
    gap = flows["net_cost_eur"].sum() - (summary["total_cost"] + epci["ri_transfer_eur"])
    assert abs(gap) < 0.5, gap
    rows = flows.set_index("member")
    assert rows.loc["98001", "ac_source"] == "scenario" and rows.loc["98005", "ac_source"] == "estimate"
    assert rows.loc["98004", "ac_before_eur"] == 50_000  # from the file, copied into the result's inputs/
    assert (out / "inputs" / "ac.csv").is_file()
    assert rows.loc["98003", "clect_basis"] == "history"
    # the CIF moves by the AC cut over the territory's tax revenue (the reference formula)
    cut = (flows.loc[flows["member"] != "EPCI", "ac_imputation_eur"] + flows.loc[flows["member"] != "EPCI", "clect_charge_eur"]).sum()
    assert epci["cif_after"] == pytest.approx(0.3 + cut / 8_000_000, abs=1e-6)
    assert epci["dotation_gain_upper_bound_eur"] == pytest.approx(300_000 * (min(0.3 + cut / 8e6, 0.6) - 0.3) / 0.3, abs=0.05)
    report = (out / "report.md").read_text()
    assert "Qui paie qui" in report
    assert "AC négative après les options (Cell 0-1" in report  # -10,000 € given: it pays the EPCI
    provenance = {r["name"]: r for r in summary["institutions_parameters"]}
    assert provenance["cif"]["source"] == "scenario" and provenance["clect_years"]["value"] == 2
    assert run_cli("verify", out).returncode == 0
    tampered = flows.copy()
    tampered.loc[tampered["member"] == "98002", "ac_after_eur"] += 1000
    tampered.to_csv(out / "flows.csv", index=False)
    done = run_cli("verify", out)
    assert done.returncode == 4 and "flows.csv" in done.stdout + done.stderr


def test_a_transfer_under_fiscalite_additionnelle_is_refused(tmp_path):
    from helpers import run_cli

    path = _scenario(tmp_path, {"epci": {"fiscal_regime": "fa"}, "voirie_transfer": {"enabled": True}})
    done = run_cli("validate", path)
    assert done.returncode == 2 and "fiscalité additionnelle" in done.stderr


def test_the_report_section_says_which_fiscal_figures_are_estimates():
    from types import SimpleNamespace

    import optimiser.api  # noqa: F401  (the results package is imported through its entry point)
    from optimiser.results.flows_report import flows_section
    from optimiser.results.i18n import using

    flows = money_flows(None, costs(), None, InstitutionsConfig(service_commun_financing="attribution_compensation"), params())
    provenance = [{"name": "cif", "value": 0.35, "source": "estimate"}, {"name": "dotation_eur", "value": 4e5, "source": "scenario"}]
    ctx = SimpleNamespace(service_tables=SimpleNamespace(flows=flows), summary={"institutions_parameters": provenance})
    with using("en"):
        section = flows_section(ctx)
    text = " ".join(getattr(b, "text", "") for b in section.blocks)
    assert "Estimated fiscal data" in text and "CIF 0.350 (estimate)" in text and "dotation" not in text.split("Estimated")[1]
    assert "from the second year" in text and "0.350 to 0.380" in text


def test_no_tax_base_moves_no_cif():
    effect = cif_effect(300_000, 0.35, 0.0, 0.0)
    assert effect.cif_after == 0.35 and effect.dotation_gain_eur == 0


def test_commune_costs_need_only_the_money_columns():
    minimal = costs()[["member", "service", "status_quo_eur", "own_eur", "pole_eur", "pole"]]
    flows = money_flows(2018, minimal, None, InstitutionsConfig(), params())
    assert flows_total_check(flows, design_total(minimal)) == pytest.approx(0, abs=0.05)
    with pytest.raises(ValueError, match="lacks column.*pole_eur"):
        money_flows(2018, minimal.drop(columns="pole_eur"), None, InstitutionsConfig(), params())
