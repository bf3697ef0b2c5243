"""Robustness: uncertain parameters, joint draws, vectorised re-pricing, tornado, bad input."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest
from helpers import grid_features, run_cli, write_geojson, write_scenario

from optimiser.errors import InputError
from optimiser.inputs.preparation import prepare
from optimiser.robustness.analysis import analyse
from optimiser.robustness.repricing import FixedDesign, price
from optimiser.robustness.worlds import group_correlations, priced_inputs, uncertain_parameters
from optimiser.scenario.load import scenario_from_dict
from optimiser.services.sampling import draw, quantile
from optimiser.services.uncertain import Uncertain

SIGMA = "pooling.joint_purchasing_saving_pct"
SEATS = ("98001", "98002", "98003")


def tiny(tmp_path, uncertainty=None):
    """Three communes pooling their delegated public lighting at the middle one: the saving is
    σ·p·W − overhead, so its sign depends on the joint-purchasing saving σ alone."""
    territory = write_geojson(tmp_path / "g.geojson", grid_features(1, 3, cell_km=4.0, populations=[2000, 1000, 1500]))
    data = {"name": "g", "territory": {"communes": str(territory)}, "services": {"include": ["eclairage"]},
            "poles": {"max_travel_min": None},
            "uncertainty": uncertainty or {"parameters": {SIGMA: {"range": [0.0, 0.3], "distribution": "uniform"}}}}
    loaded = scenario_from_dict(data, base_dir=tmp_path)
    inputs = prepare(loaded)
    design = FixedDesign({(c, "eclairage"): "98002" for c in SEATS}, {}, {("98002", "eclairage"): "delegation"},
                         {c: "98002" for c in SEATS})
    return loaded, inputs, design


def params_of(loaded, inputs):
    return uncertain_parameters(loaded, inputs.territory, inputs.matrix, inputs.rules.service_commun)


def test_vector_pricing_at_the_sourced_values_equals_the_scalar_formula(tmp_path):
    loaded, inputs, design = tiny(tmp_path)
    si = inputs.services
    scalar = price(si, design, 1)
    params = params_of(loaded, inputs)
    values = {}
    for p in params:
        values.update({t: np.full(4, v) for t, v in p.values(p.nominal).items()})
    vector = price(priced_inputs(loaded, si, inputs.territory, values), design, 4)
    assert np.allclose(vector.total, scalar.total[0]) and np.allclose(vector.status_quo, si.status_quo_eur)


def test_saving_sign_decided_by_one_parameter_tornado_and_probability(tmp_path):
    loaded, inputs, design = tiny(tmp_path)
    si = inputs.services
    # every status-quo service is delegated, so the saving is linear in σ: S(σ) = S(0) + σ·slope
    assert all(c.mode == "delegation" for c in si.standalone.values())
    s0 = price(priced_inputs(loaded, si, inputs.territory, {SIGMA: 0.0}), design, 1).saving[0]
    s1 = price(priced_inputs(loaded, si, inputs.territory, {SIGMA: 0.3}), design, 1).saving[0]
    assert s0 < 0 < s1
    threshold = 0.3 * -s0 / (s1 - s0)
    expected = (0.3 - threshold) / 0.3  # uniform on [0, 0.3]
    params = params_of(loaded, inputs)
    n = 20_000
    full = analyse(loaded, inputs, design, params, group_correlations(loaded), 2000, 1)
    assert full.factors[0].name == SIGMA  # every other parameter at its sourced range, σ first
    only_sigma = [p if p.name == SIGMA else dataclasses.replace(p, low=p.nominal, high=p.nominal) for p in params]
    result = analyse(loaded, inputs, design, only_sigma, {}, n, 7)
    se = np.sqrt(expected * (1 - expected) / n)
    assert abs(result.probability_saving - expected) < 4 * se
    assert result.factors[0].name == SIGMA and result.factors[0].saving_low == pytest.approx(s0)


def test_draws_are_reproducible_world_by_world_and_follow_the_law():
    p = Uncertain("x", 2.0, 1.0, 5.0, "triangular", None, "low", "", (("x", 2.0),))
    a = draw([p], {}, 1000, 3)["x"]
    b = draw([p], {}, 10, 3, start=500)["x"]
    assert np.array_equal(a[500:510], b)
    assert a.min() >= 1.0 and a.max() <= 5.0
    assert np.mean(a) == pytest.approx((1 + 2 + 5) / 3, abs=0.1)
    u = np.array([0.0, 0.25, 1.0])
    assert quantile(p, u)[0] == pytest.approx(1.0) and quantile(p, u)[2] == pytest.approx(5.0)
    assert quantile(p, u)[1] == pytest.approx(2.0)  # F(c) = (c - a)/(b - a) = 0.25


def test_a_group_moves_together():
    a = Uncertain("a", 1.0, 0.0, 2.0, "uniform", "g", "low", "", (("a", 1.0),))
    b = Uncertain("b", 10.0, 0.0, 20.0, "uniform", "g", "low", "", (("b", 10.0),))
    d = draw([a, b], {"g": 1.0}, 500, 0)
    assert np.allclose(d["a"] * 10, d["b"])
    d = draw([a, b], {"g": 0.5}, 5000, 0)
    assert 0.3 < np.corrcoef(d["a"], d["b"])[0, 1] < 0.7


@pytest.mark.parametrize("block, words", [
    ({"parameters": {"pooling.joint_purchasing_savings_pct": {"distribution": "uniform"}}},
     ["uncertainty.parameters.pooling.joint_purchasing_savings_pct", "did you mean", SIGMA]),
    ({"parameters": {SIGMA: {"range": [0.2, 0.1]}}}, ["inverted"]),
    ({"parameters": {SIGMA: {"range": []}}}, ["empty range"]),
    ({"samples": -5}, ["uncertainty.samples"]),
    ({"parameters": {SIGMA: {"range": [0.0, 0.2], "distribution": "lognormal"}}}, ["cannot be lognormal"]),
    ({"groups": {"staff": {"parameters": ["loaded_cost_nobody*"]}}}, ["matches no parameter"]),
])
def test_bad_uncertainty_is_a_clear_input_error(tmp_path, block, words):
    with pytest.raises(InputError) as error:
        loaded, inputs, _ = tiny(tmp_path, block)
        params_of(loaded, inputs)
    text = str(error.value)
    for word in words:
        assert word in text, text


@pytest.mark.slow
def test_cli_writes_a_reproducible_folder_and_refuses_bad_input(tmp_path):
    territory = write_geojson(tmp_path / "g.geojson", grid_features(1, 3, cell_km=4.0, populations=[2000, 1000, 1500]))
    scenario = write_scenario(tmp_path / "s.yaml", {
        "name": "g", "territory": {"communes": "g.geojson"}, "services": {"include": ["eclairage"]},
        "poles": {"max_travel_min": None}, "pooling": {"mode": "delegation", "force": [{"pool": True}]},
        "uncertainty": {"parameters": {SIGMA: {"range": [0.0, 0.3], "distribution": "uniform"}}}})
    assert territory.exists()
    run = lambda *a: run_cli("robustness", *a)  # noqa: E731  (in-process: the folder is the subject, not a process)
    out = tmp_path / "rob"
    done = run(scenario, "--samples", 500, "--seed", 4, "--resolve-top", 1, "--worlds", 0, "--out", out)
    assert done.returncode == 0, done.stderr
    for name in ("robustness.csv", "tornado.png", "saving.png", "robustness.md", "robustness.html", "worlds.csv",
                 "communes_robustness.csv", "scenario.resolved.yaml", "robustness.json"):
        assert (out / name).exists(), name
    report = (out / "robustness.md").read_text()  # French by default, re-solve words included
    assert "## Robustesse de l'économie" in report and "Résolu au bas / au haut" in report and "bas : " in report, report
    head = json.loads((out / "robustness.json").read_text())
    assert head["seed"] == 4 and head["samples"] == 500 and head["top_factors"][0] == SIGMA
    again = run(out / "scenario.resolved.yaml", "--resolve-top", 0, "--worlds", 0, "--out", tmp_path / "again", "--lang", "en")
    assert again.returncode == 0, again.stderr
    english = (tmp_path / "again" / "robustness.md").read_text()
    assert "## Robustness of the saving" in english and "Robustesse" not in english
    assert json.loads((tmp_path / "again" / "robustness.json").read_text())["p_saving_positive"] == head["p_saving_positive"]
    bad = run(scenario, "--samples", -3, "--out", tmp_path / "bad")
    assert bad.returncode == 2 and "--samples" in bad.stderr and "Traceback" not in bad.stderr
    assert not (tmp_path / "bad").exists()


def test_every_service_reprices_at_the_sourced_values(tmp_path):
    """Every catalogue service (the garage's fleet follows the crews' re-estimated FTE): the
    vectorised status quo at the sourced values is the run's."""
    territory = write_geojson(tmp_path / "g.geojson", grid_features(1, 3, cell_km=4.0, populations=[2000, 1000, 1500]))
    loaded = scenario_from_dict({"name": "g", "territory": {"communes": str(territory)}, "services": {},
                                 "poles": {"max_travel_min": None}}, base_dir=tmp_path)
    inputs = prepare(loaded)
    si = inputs.services
    values = {}
    for p in params_of(loaded, inputs):
        values.update({t: np.full(3, v) for t, v in p.values(p.nominal).items()})
    priced = price(priced_inputs(loaded, si, inputs.territory, values), FixedDesign({}, {}, {}, {}), 3)
    assert np.allclose(priced.status_quo, si.status_quo_eur)
    assert np.allclose(priced.total, sum(c.total_eur for c in si.standalone.values()))  # everyone reorganised alone
