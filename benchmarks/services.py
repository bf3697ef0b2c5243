"""Benchmark of the full service-sharing model: the study's options on Laval 2016, the 34-commune
perimeter, and an ablation showing what each strengthening of the formulation buys.

    .venv/bin/python benchmarks/services.py                 # everything (several minutes)
    .venv/bin/python benchmarks/services.py --only cases    # or: ablation

For each run: variables, constraints, the LP relaxation of the first model (root bound before
any branching), rounds of the solve-check-cut loop, time, status and gap. Figures vary with the
machine's load (it is shared): quote them as orders of magnitude and ratios. Not a test.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

import pulp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimiser.api import solver_options  # noqa: E402
from optimiser.design import design_poles  # noqa: E402
from optimiser.inputs.preparation import prepare  # noqa: E402
from optimiser.model.assembly import add_services  # noqa: E402
from optimiser.model.candidates import candidate_pairs  # noqa: E402
from optimiser.model.contiguity import add_neighbour_cuts, neighbour_lists  # noqa: E402
from optimiser.model.poles import build_pole_model  # noqa: E402
from optimiser.model.services import Formulation  # noqa: E402
from optimiser.scenario.load import load_scenario  # noqa: E402
from optimiser.solvers import solve_milp  # noqa: E402

LAVAL_2024 = ["territory.communes=../data/laval_agglo_2024.geojson", "territory.name=Laval Agglomération (2024)"]
CASES = [
    ("laval-2016-a-la-carte", "Laval 2016, à la carte (6 services, IR on)", []),
    ("laval-2016-service-commun", "Laval 2016, service commun + poles", []),
    ("laval-2016-delegated", "Laval 2016, all delegated", []),
    ("laval-2016-lending", "Laval 2016, lending only", []),
    ("laval-2016-a-la-carte", "Laval 2024 (34 communes), à la carte", LAVAL_2024),
]
ABLATION = [
    ("all strengthenings", Formulation()),
    ("without coalition cuts (and their big-Ms)", Formulation(coalition_cuts=False, tight_big_m=False)),
    ("without whole-machine floors", Formulation(machine_floors=False)),
    ("fairness added lazily, where a solution breaks it", Formulation(lazy_fairness=True)),
    ("none of them (lazy fairness, no cuts, no floors)", Formulation(lazy_fairness=True, coalition_cuts=False,
                                                                      tight_big_m=False, machine_floors=False)),
]


def root_bound(inputs, formulation: Formulation) -> float | None:
    """LP relaxation of the first model the loop solves (integrality dropped), solved by HiGHS
    (the same bound whichever solver then branches)."""
    pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
    model = build_pole_model(inputs.territory, inputs.matrix, inputs.rules, pairs)
    if inputs.rules.contiguity == "exact":
        add_neighbour_cuts(model, neighbour_lists(inputs.territory, inputs.road))
    add_services(model, inputs, formulation)
    for var in model.problem.variables():
        var.cat = pulp.LpContinuous
    outcome = solve_milp(model.problem, dataclasses.replace(solver_options(inputs.loaded), name="highs"))
    return outcome.objective


def row(label, solver, inputs, formulation, limit):
    options = dataclasses.replace(solver_options(inputs.loaded), name=solver, time_limit_s=limit)
    lp = root_bound(inputs, formulation)
    start = time.perf_counter()
    design = design_poles(inputs, options, formulation=formulation)
    elapsed = time.perf_counter() - start
    gap = "—" if design.gap is None else f"{100 * design.gap:.3f} %"
    objective = design.objective
    root_gap = "—" if objective is None or lp is None else f"{100 * (objective - lp) / objective:.3f} %"
    print(f"| {label} | {solver} | {design.n_variables:,} | {design.n_constraints:,} | {root_gap} | {design.rounds} | "
          f"{design.status.value} | {gap} | {objective if objective is None else f'{objective:,.2f}'} | {elapsed:.1f} |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["cases", "ablation"])
    parser.add_argument("--limit", type=float, default=120.0, help="time limit per solve, seconds")
    parser.add_argument("--solvers", default="highs,cbc")
    args = parser.parse_args()
    header = ("| case | solver | variables | constraints | root LP gap | rounds | status | gap | cost (k€/yr) | time (s) |\n"
              "|---|---|---:|---:|---:|---:|---|---:|---:|---:|")
    solvers = args.solvers.split(",")
    if args.only in (None, "cases"):
        print(f"## Study options (time limit {args.limit:g} s)\n")
        print(header)
        for name, label, overrides in CASES:
            inputs = prepare(load_scenario(ROOT / "scenarios" / f"{name}.yaml", overrides))
            for solver in solvers:
                row(label, solver, inputs, Formulation(), args.limit)
    if args.only in (None, "ablation"):
        print(f"\n## What each strengthening buys (Laval 2016 à la carte, time limit {args.limit:g} s)\n")
        print(header)
        inputs = prepare(load_scenario(ROOT / "scenarios" / "laval-2016-a-la-carte.yaml"))
        for label, formulation in ABLATION:
            for solver in solvers:
                row(label, solver, inputs, formulation, args.limit)


if __name__ == "__main__":
    main()
