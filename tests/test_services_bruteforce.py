"""Service sharing: the MILP matches exhaustive enumeration on tiny territories, both solvers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bruteforce_services import best_service_design
from helpers import grid_features, tiny_territory, write_geojson

from optimiser.design import design_poles
from optimiser.inputs.preparation import prepare
from optimiser.model.extract import check_consistency
from optimiser.scenario.load import scenario_from_dict
from optimiser.solvers import SolverOptions, Status

SERVICES = ["espaces_verts", "eclairage"]
#: Cases where CBC 2.10's cuts are known to cut off the optimum (measured: 721,482 € against 721,035 €).
CBC_CUTS_OFF_THE_OPTIMUM = {12}


def random_inventory(folder, codes, seed, cheap=False):
    """Random modes, staff, contracts and machines, so standalone costs differ a lot; with
    ``cheap``, some members run a service for almost nothing alone, so that pooling them helps
    the others but not them — where individual rationality binds."""
    rng = np.random.default_rng(seed)
    rows, machines = [], []
    for c in codes:
        for s in SERVICES:
            regie = bool(rng.random() < 0.6)
            rows.append({"insee_code": c, "service": s, "workload": None,
                         "mode": "regie" if regie else "delegation",
                         "fte": round(float(rng.uniform(0.05 if cheap else 0.2, 1.5)), 2) if regie else 0,
                         "contract_eur": 0 if regie else round(float(rng.uniform(300 if cheap else 5_000, 40_000)))})
            kind = "ride_on_mower_pro" if s == "espaces_verts" else "aerial_lift_truck"
            machines.append({"insee_code": c, "equipment": kind, "units": int(rng.integers(1, 3)) if regie else 0})
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows).to_csv(folder / "services.csv", index=False)
    pd.DataFrame(machines).to_csv(folder / "equipment.csv", index=False)
    return folder


def case(tmp_path, seed):
    rng = np.random.default_rng(seed)
    n = 5 if seed % 2 else 6
    if seed % 3 == 0:
        territory = write_geojson(tmp_path / f"g{seed}.geojson", grid_features(2, 3 if n == 6 else 2, seed=seed)[:n])
    else:
        territory = tiny_territory(tmp_path, n=n, seed=100 + seed)
    from optimiser.territory import load_geojson_territory

    codes = load_geojson_territory(territory).codes
    data = {
        "name": f"svc-{seed}",
        "territory": {"communes": str(territory)},
        "poles": {"max_travel_min": float(rng.choice([20, 30, 60]))},
        "services": {"include": SERVICES, "inventory": str(random_inventory(tmp_path / f"inv{seed}", codes, seed, cheap=seed >= 8))},
        "solver": {"time_limit_s": 120, "gap": 0.0},
        "objective": {"travel_weight_eur": 0.0},  # the enumeration prices cost alone
    }
    if rng.random() < 0.3:
        data["pooling"] = {"mode": str(rng.choice(["regie", "delegation"]))}
    if rng.random() < 0.3:
        data.setdefault("pooling", {})["lend_equipment"] = False
    if rng.random() < 0.3:
        data["services"]["overrides"] = {"espaces_verts": {"delegated_price_eur": float(rng.choice([8000, 12000]))}}
    if rng.random() < 0.25 and seed < 8:
        data["fairness"] = {"individual_rationality": False}
    if rng.random() < 0.3:
        data["staff"] = {"no_reduction_beyond_attrition": True}
    return data


_OPTIMA: dict[int, float | None] = {}


def case_optimum(tmp_path, seed: int, inputs=None) -> float | None:
    """``best_service_design`` of random case ``seed`` as drawn (€/yr), enumerated once per
    process: this module, the pole-pricing, Lagrangian and column-generation tests enumerate the
    same cases (seeds 2, 6 and 8 take 1-2 CPU-s each). ``inputs``: that case prepared by the
    caller (``prepare(scenario_from_dict(case(…, seed)))``, unchanged), enumerated as it is
    rather than drawn and prepared a second time (about 0.1 CPU-s a case)."""
    if seed not in _OPTIMA:
        if inputs is None:
            folder = tmp_path / f"optimum-{seed}"
            folder.mkdir(exist_ok=True)
            inputs = prepare(scenario_from_dict(case(folder, seed), base_dir=folder))
        _OPTIMA[seed] = best_service_design(inputs)
    return _OPTIMA[seed]


@pytest.mark.parametrize("seed", [pytest.param(s, marks=pytest.mark.slow) if s in (2, 12) else s  # the two largest
                                  for s in range(16)])
@pytest.mark.slow
def test_service_milp_matches_enumeration(tmp_path, seed):
    inputs = prepare(scenario_from_dict(case(tmp_path, seed), base_dir=tmp_path))
    expected = case_optimum(tmp_path, seed, inputs)
    assert expected is not None
    # the compact MILP with each solver, then the enumerated poles (closed-form prices, set partitioning)
    for solver, enumeration in (("cbc", False), ("highs", False), ("highs", True)):
        design = design_poles(inputs, SolverOptions(name=solver, time_limit_s=120, gap=0.0), enumeration=enumeration)
        assert design.status is Status.OPTIMAL, (solver, design.messages)
        assert ("poles enumerated" in design.formulation) == enumeration, design.formulation
        if solver == "cbc" and seed in CBC_CUTS_OFF_THE_OPTIMUM:
            # CBC's own cut generators remove the optimum here (with "cuts off" it finds it): its
            # answer is a valid design, 0.06 % dearer, that it wrongly proves optimal. HiGHS is exact.
            assert expected - 1e-3 <= design.services.total_eur <= expected * 1.001
            continue
        assert design.services.total_eur == pytest.approx(expected, rel=1e-7, abs=1e-3), solver
        assert design.objective * 1000 == pytest.approx(expected, rel=1e-7, abs=1e-3), solver
        assert not check_consistency(design.services)


@pytest.mark.slow
def test_individual_rationality_binds_in_some_cases(tmp_path):
    """The enumeration above is only a test of the fairness constraints if they change the
    optimum somewhere: without them the design is cheaper in some of these cases."""
    import dataclasses

    binding = 0
    for seed in range(8, 16):
        inputs = prepare(scenario_from_dict(case(tmp_path, seed), base_dir=tmp_path))
        fair = case_optimum(tmp_path, seed, inputs)
        loose = best_service_design(dataclasses.replace(inputs, services=dataclasses.replace(inputs.services, individual_rationality=False)))
        assert loose <= fair + 1e-6
        binding += loose < fair - 1.0
    assert binding >= 2


#: Cases with members cheap alone; in 15 and 28 individual rationality binds (without it the
#: optimum is cheaper) and lazy fairness adds its cuts in a second round under both lazy
#: formulations. Seed 28 stands for seed 12, a case of the same kind (six communes, fairness
#: binding, two lazy rounds) whose weak formulation HiGHS took 3.5 CPU-s to prove (7 for the three
#: runs; seed 28: 3). Seed 12 still meets the enumeration, both solvers and the enumerated poles,
#: in test_service_milp_matches_enumeration.
FORMULATION_SEEDS = [10, 11, 15, 28]


@pytest.mark.slow
@pytest.mark.parametrize("seed", FORMULATION_SEEDS)
def test_every_formulation_switch_reaches_the_same_optimum(tmp_path, seed):
    """The strengthenings (and lazy fairness) change speed, never the optimum."""
    from optimiser.model.services import Formulation

    inputs = prepare(scenario_from_dict(case(tmp_path, seed), base_dir=tmp_path))
    expected = case_optimum(tmp_path, seed, inputs)
    for formulation in (Formulation(lazy_fairness=True),
                        Formulation(lazy_fairness=True, coalition_cuts=False, tight_big_m=False, machine_floors=False),
                        Formulation(coalition_cuts=False, tight_big_m=False)):
        design = design_poles(inputs, SolverOptions(name="highs", gap=0.0), formulation=formulation, enumeration=False)
        assert design.status is Status.OPTIMAL
        assert design.services.total_eur == pytest.approx(expected, rel=1e-7, abs=1e-3), formulation


@pytest.mark.slow
def test_seats_hold_their_share_of_the_pole(tmp_path):
    """With a strict seat rule (40 % of the pole's inhabitants, no team exemption) the MILP
    still matches the enumeration, every seat of a pole of two or more holds its share, and
    the rule changes the optimum somewhere (it binds)."""
    binds = 0
    for seed in (0, 1, 2, 4, 5, 7):
        data = case(tmp_path, seed)
        data["poles"]["seats"] = {"min_population_share": 0.4, "team_seats": False}
        inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
        assert inputs.rules.seat_share == 0.4 and inputs.rules.seat_share_exempt == ()
        expected = best_service_design(inputs)
        for enumeration in (False, True):
            design = design_poles(inputs, SolverOptions(name="cbc", time_limit_s=120, gap=0.0), enumeration=enumeration)
            assert design.status is Status.OPTIMAL, design.messages
            assert design.services.total_eur == pytest.approx(expected, rel=1e-7, abs=1e-3), (seed, enumeration)
        pop = inputs.territory.communes["population"]
        poles: dict = {}
        for i, j in design.assignment.items():
            if j is not None:
                poles.setdefault(j, []).append(i)
        for j, members in poles.items():
            if len(members) > 1:
                assert pop[j] >= 0.4 * sum(pop[i] for i in members) - 1e-6, (seed, j, members)
        if binds:
            continue  # the rule was seen binding: a further enumeration without it (test code only) proves no more
        free = prepare(scenario_from_dict({**data, "poles": {**data["poles"], "seats": {"min_population_share": 0}}},
                                          base_dir=tmp_path))
        binds += best_service_design(free) < expected - 1e-3
    assert binds


@pytest.mark.parametrize("seed", [3, 9])
def test_a_free_run_is_never_worse_than_its_restricted_runs(tmp_path, seed):
    """Free modes contain forced régie and forced délégation (and the pole-only design, priced):
    the free run starts from those designs, so it can never report a higher cost — here with a
    time limit short enough that not every run is proven optimal."""
    data = case(tmp_path, seed)
    data.pop("pooling", None)
    costs = {}
    for mode in ("free", "regie", "delegation"):
        data["pooling"] = {"mode": mode}
        inputs = prepare(scenario_from_dict(data, base_dir=tmp_path))
        design = design_poles(inputs, SolverOptions(name="highs", time_limit_s=20, gap=0.0))
        assert design.status.has_solution, (mode, design.messages)
        costs[mode] = design.services.total_eur
    assert costs["free"] <= min(costs["regie"], costs["delegation"]) + 1e-3, costs
