"""Decision stability: re-solved worlds through the sweep machinery, and the frequencies they give."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from helpers import grid_features, run_cli, write_geojson, write_scenario

from optimiser.inputs.preparation import prepare
from optimiser.robustness.repricing import FixedDesign, price
from optimiser.robustness.stability import design_of
from optimiser.robustness.worlds import priced_inputs, uncertain_parameters
from optimiser.scenario.load import load_scenario
from optimiser.services.sampling import draw

SIGMA = "pooling.joint_purchasing_saving_pct"
A, B = "98001", "98002"
#: Three worlds (and the reference): with seed 5, σ falls below σ* in one and above it in two, so
#: both decisions are re-solved and the frequency (2/3) is neither 0 nor 1 — what the test needs.
#: Each world is a full result folder (about 3 CPU-s); six worlds, solved twice, were a minute.
WORLDS = 3


def two_communes(tmp_path):
    """Two communes whose street lighting is delegated: pooling it saves σ·p·τ·W less the fixed
    costs of the convention — positive exactly when σ exceeds a threshold σ*; individual rationality
    under the workload key gives the same condition for each commune. Every other parameter is held
    at its sourced value, σ is uniform on [0, 0.3]."""
    write_geojson(tmp_path / "g.geojson", grid_features(1, 2, cell_km=4.0, populations=[2000, 1000]))
    data = {"name": "two", "territory": {"communes": "g.geojson"}, "services": {"include": ["eclairage"]},
            "poles": {"max_travel_min": None}, "pooling": {"mode": "delegation"},
            "uncertainty": {"parameters": {SIGMA: {"range": [0.0, 0.3], "distribution": "uniform"}}, "seed": 5}}
    scenario = write_scenario(tmp_path / "s.yaml", data)
    loaded = load_scenario(scenario)
    inputs = prepare(loaded)
    params = uncertain_parameters(loaded, inputs.territory, inputs.matrix, inputs.rules.service_commun)
    data["uncertainty"]["parameters"].update({p.name: {"range": [p.nominal, p.nominal]} for p in params if p.name != SIGMA})
    return write_scenario(scenario, data), loaded, inputs


def threshold(loaded, inputs) -> float:
    """σ* where pooling both communes' lighting in délégation stops costing more than alone."""
    si = inputs.services
    assert all(c.option.endswith("delegation") or c.mode == "delegation" for c in si.standalone.values())
    design = FixedDesign({(A, "eclairage"): A, (B, "eclairage"): A}, {}, {(A, "eclairage"): "delegation"}, {A: A, B: A})
    s0, s1 = (price(priced_inputs(loaded, si, inputs.territory, {SIGMA: x}), design, 1).saving[0] for x in (0.0, 0.3))
    assert s0 < 0 < s1
    return 0.3 * -s0 / (s1 - s0)


@pytest.mark.slow
def test_pooling_frequency_is_the_share_of_worlds_above_the_threshold(tmp_path):
    scenario, loaded, inputs = two_communes(tmp_path)
    sigma_star = threshold(loaded, inputs)
    held = load_scenario(scenario)
    params = uncertain_parameters(held, inputs.territory, inputs.matrix, inputs.rules.service_commun)
    assert [p.name for p in params if not p.certain] == [SIGMA]
    sigmas = draw(params, {}, WORLDS, 5)[SIGMA]
    assert min(abs(sigmas - sigma_star)) > 1e-3  # no world on the knife edge
    expected = float((sigmas > sigma_star).mean())
    assert 0 < expected < 1  # the decision flips in this sample
    out = tmp_path / "rob"
    # in this process (no process boundary is tested here): the same command, without a Python start
    done = run_cli("robustness", scenario, "--samples", "200", "--resolve-top", "0", "--worlds", WORLDS,
                   "--world-time-limit", "20", "--out", out)
    assert done.returncode == 0, done.stderr
    worlds = pd.read_csv(out / "stability_worlds.csv")
    # world 0: the reference, the sourced values under the same time limit
    assert list(worlds["world"]) == list(range(0, WORLDS + 1)) and set(worlds["status"]) == {"optimal"}
    pooling = pd.read_csv(out / "stability_pooling.csv", dtype={"member": str}).set_index("member")
    for commune in (A, B):
        assert pooling.loc[commune, "share_pooling"] == pytest.approx(expected)
    # each world pools exactly when its σ is above σ*
    for w, sigma in enumerate(sigmas, 1):
        design = design_of(out / "worlds" / Path(worlds.loc[w, "folder"]).name)
        assert (sigma > sigma_star) == bool(design.pooled), (w, sigma, sigma_star)
    head = json.loads((out / "robustness.json").read_text())
    assert head["stability_worlds"] == WORLDS and head["stability_optimal"] == WORLDS and head["stability_failed"] == 0
    for name in ("stability_modes.csv", "stability_pairs.csv", "stability.png", "worlds.yaml", "worlds/sweep.json"):
        assert (out / name).exists(), name
    report = (out / "robustness.md").read_text()
    # French by default (the message catalogue), English with --lang en (the re-run below)
    assert "Stabilité des décisions" in report and "Référence : les valeurs sourcées résolues sous la même limite (optimal" in report
    assert "Robustesse de l'économie" in report and "Decision stability" not in report
    assert not (tmp_path / "rob.worlds-sweep").exists()  # moved into the folder
    # reproducible from the folder: same seed, same worlds, same frequencies
    again = run_cli("robustness", out / "scenario.resolved.yaml", "--resolve-top", "0", "--out", tmp_path / "again", "--lang", "en")
    assert again.returncode == 0, again.stderr
    english = (tmp_path / "again" / "robustness.md").read_text()
    assert "Decision stability" in english and "Reference: the sourced values re-solved under the same limit (optimal" in english
    assert "Robustness of the saving" in english and "Stabilité" not in english
    repeat = pd.read_csv(tmp_path / "again" / "stability_pooling.csv", dtype={"member": str}).set_index("member")
    assert repeat.loc[A, "share_pooling"] == pytest.approx(expected)
