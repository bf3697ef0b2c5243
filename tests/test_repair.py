"""Repair and local search produce designs that obey every rule, and never make them worse."""

from __future__ import annotations

import dataclasses

import pytest
from bruteforce import connected
from test_model_bruteforce import random_scenario

from optimiser.design import design_poles
from optimiser.inputs.preparation import prepare
from optimiser.model.candidates import candidate_pairs
from optimiser.model.contiguity import disconnected_poles, neighbour_lists
from optimiser.model.poles import build_pole_model
from optimiser.model.repair import RepairContext, improve_design, repair_design
from optimiser.scenario.load import scenario_from_dict
from optimiser.solvers import SolverOptions, Status


def cost(design, travel, population, penalty):
    return sum(population[i] * (penalty if j is None else travel[i, j]) for i, j in design.items())


def obeys(design, inputs, pairs, nbrs, population):
    rules = inputs.rules
    members = {}
    for i, j in design.items():
        if j is not None:
            assert j in pairs.seats_of[i], f"{i} may not join {j}"
            members.setdefault(j, []).append(i)
    sc = rules.service_commun.seat if rules.service_commun else None
    for j, ms in members.items():
        assert design[j] == j and connected(ms, nbrs)
        if j == sc:
            continue
        pop = sum(population[m] for m in ms)
        assert rules.population_min is None or pop >= rules.population_min
        assert rules.population_max is None or pop <= rules.population_max
        assert rules.communes_min is None or len(ms) >= rules.communes_min
        assert rules.communes_max is None or len(ms) <= rules.communes_max
    n = sum(1 for j in members if j != sc)
    assert rules.count_min is None or n >= rules.count_min
    assert rules.count_max is None or n <= rules.count_max
    for a, b in rules.apart:
        assert design[a] is None or design[a] != design[b]


@pytest.mark.parametrize("seed", range(14))
def test_repair_then_improve_on_unconstrained_optima(tmp_path, seed):
    inputs = prepare(scenario_from_dict(random_scenario(tmp_path, seed), base_dir=tmp_path))
    loose = dataclasses.replace(inputs, rules=dataclasses.replace(inputs.rules, contiguity="none"))
    design = design_poles(loose, SolverOptions(name="highs"))
    if design.status is not Status.OPTIMAL:
        pytest.skip("no design without contiguity either")
    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    model = build_pole_model(inputs.territory, inputs.matrix, inputs.rules, pairs)
    nbrs = neighbour_lists(inputs.territory, inputs.road)
    repaired = repair_design(design.assignment, RepairContext.of(model, nbrs))
    if repaired is None:
        return  # allowed: the repair may give up; it must never return a broken design
    assert not disconnected_poles(repaired, nbrs)
    obeys(repaired, inputs, pairs, nbrs, model.population)
    better = improve_design(repaired, RepairContext.of(model, nbrs))
    obeys(better, inputs, pairs, nbrs, model.population)
    penalty = inputs.rules.alone_penalty
    assert cost(better, model.travel, model.population, penalty) <= cost(repaired, model.travel, model.population, penalty) + 1e-9
    exact = design_poles(inputs, SolverOptions(name="highs", gap=0.0))
    assert exact.status is Status.OPTIMAL
    assert exact.objective <= cost(better, model.travel, model.population, penalty) + 1e-6


def test_repair_reconnects_a_pole_split_by_the_core(tmp_path):
    from helpers import grid_features, write_geojson

    territory = write_geojson(tmp_path / "g.geojson", grid_features(3, 5, seed=2))
    data = {"name": "g", "territory": {"communes": str(territory)}, "service_commun": {"members": ["98008"]},
            "poles": {"count": 2, "max_travel_min": None}}
    inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    model = build_pole_model(inputs.territory, inputs.matrix, inputs.rules, pairs)
    nbrs = neighbour_lists(inputs.territory, inputs.road)
    # split on purpose: the two poles take alternate columns, each in pieces around the core
    split = {c: ("98001" if int(c[-3:]) % 2 else "98002") for c in inputs.territory.codes}
    split["98008"] = "98008"
    assert disconnected_poles(split, nbrs)
    repaired = repair_design(split, RepairContext.of(model, nbrs))
    assert repaired is not None and not disconnected_poles(repaired, nbrs)
    obeys(repaired, inputs, pairs, nbrs, model.population)
    better = improve_design(repaired, RepairContext.of(model, nbrs))
    obeys(better, inputs, pairs, nbrs, model.population)
