"""Benchmark of the pole design: build and solve times, status and gap, per scenario, solver and
contiguity formulation; and pure p-median mode against the dense p-median model that common
libraries build (one binary per commune × seat pair).

    .venv/bin/python benchmarks/poles.py               # everything, 3 repeats, medians
    .venv/bin/python benchmarks/poles.py --repeat 1 --only laval-2016

Figures are medians over the repeats (the machine is shared and noisy). This is a script that
prints figures, not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

import pulp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimiser.api import solver_options  # noqa: E402
from optimiser.design import design_poles  # noqa: E402
from optimiser.inputs.preparation import prepare  # noqa: E402
from optimiser.scenario.load import load_scenario  # noqa: E402
from optimiser.solvers import solve_milp  # noqa: E402

SCENARIOS = ["laval-2016", "laval-2024", "mayenne"]
CONTIGUITY = ["exact", "shortest-path", "none"]
SOLVERS = ["cbc", "highs"]


def run_design(inputs, options, repeat):
    runs = [design_poles(inputs, options) for _ in range(repeat)]
    last = runs[-1]
    return {
        "status": last.status.value,
        "gap": last.gap,
        "objective": last.objective,
        "rounds": last.rounds,
        "build_s": statistics.median(r.build_s for r in runs),
        "solve_s": statistics.median(r.solve_s for r in runs),
        "total_s": statistics.median(r.runtime_s for r in runs),
        "vars": last.n_variables,
        "cons": last.n_constraints,
    }


def table_poles(repeat: int, only: list[str] | None, extra: list[tuple[str, list[str]]]):
    print(f"## Pole design (median of {repeat} runs)\n")
    print("| scenario | solver | contiguity | status | gap | rounds | variables | constraints | build (s) | solve (s) | total (s) |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
    cases = [(name, []) for name in SCENARIOS if not only or name in only] + extra
    for name, overrides in cases:
        label = name + (" " + " ".join(overrides) if overrides else "")
        loaded = load_scenario(ROOT / "scenarios" / f"{name}.yaml", overrides)
        inputs = prepare(loaded)
        for solver in SOLVERS:
            options = dataclasses.replace(solver_options(loaded), name=solver)
            for contiguity in CONTIGUITY:
                case = dataclasses.replace(inputs, rules=dataclasses.replace(inputs.rules, contiguity=contiguity))
                r = run_design(case, options, repeat)
                gap = "—" if r["gap"] is None else f"{100 * r['gap']:.3f} %"
                print(f"| {label} | {solver} | {contiguity} | {r['status']} | {gap} | {r['rounds']} | {r['vars']:,} | "
                      f"{r['cons']:,} | {r['build_s']:.2f} | {r['solve_s']:.2f} | {r['total_s']:.2f} |", flush=True)


def dense_pmedian(cost, weights, p, options):
    """The textbook model: x_ij binary for every pair, x_ij ≤ y_j, Σ_j x_ij = 1, Σ y = p."""
    n = cost.shape[0]
    start = time.perf_counter()
    prob = pulp.LpProblem("dense_pmedian", pulp.LpMinimize)
    y = [prob.add_variable(f"y_{j}", cat=pulp.LpBinary) for j in range(n)]
    x = [[prob.add_variable(f"x_{i}_{j}", cat=pulp.LpBinary) for j in range(n)] for i in range(n)]
    prob += pulp.lpSum(float(weights[i] * cost[i, j]) * x[i][j] for i in range(n) for j in range(n))
    for i in range(n):
        prob += pulp.lpSum(x[i]) == 1
        for j in range(n):
            prob += x[i][j] - y[j] <= 0
    prob += pulp.lpSum(y) == p
    build = time.perf_counter() - start
    outcome = solve_milp(prob, options)
    return outcome, build, time.perf_counter() - start, n + n * n


def table_pmedian(repeat: int, p: int, name: str):
    print(f"\n## Pure p-median, {name}, p = {p} (median of {repeat} runs)\n")
    loaded = load_scenario(ROOT / "scenarios" / f"{name}.yaml",
                           ["mode=p-median", f"poles.count={p}", "contiguity=none", "poles.max_travel_min=null"])
    inputs = prepare(loaded)
    weights = inputs.territory.communes["population"].to_numpy(dtype=float)
    print("| model | solver | status | objective | variables | build (s) | solve (s) | total (s) |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for solver in SOLVERS:
        options = dataclasses.replace(solver_options(loaded), name=solver, gap=1e-6)
        ours = [design_poles(inputs, options) for _ in range(repeat)]
        o = ours[-1]
        t_ours = statistics.median(r.runtime_s for r in ours)
        print(f"| lists widened until exact ({o.rounds} rounds) | {solver} | {o.status.value} | {o.objective:,.1f} | "
              f"{o.n_variables:,} | {statistics.median(r.build_s for r in ours):.2f} | "
              f"{statistics.median(r.solve_s for r in ours):.2f} | {t_ours:.2f} |", flush=True)
        dense = [dense_pmedian(inputs.matrix.time_min, weights, p, options) for _ in range(repeat)]
        d = dense[-1][0]
        t_dense = statistics.median(r[2] for r in dense)
        print(f"| dense (binary per pair) | {solver} | {d.status.value} | {d.objective:,.1f} | {dense[-1][3]:,} | "
              f"{statistics.median(r[1] for r in dense):.2f} | {statistics.median(r[0].runtime_s for r in dense):.2f} | "
              f"{t_dense:.2f} |", flush=True)
        same = d.objective is not None and abs(d.objective - o.objective) <= 1e-6 * abs(d.objective)
        print(f"\n{solver}: same optimum: {same}; dense / ours total time = {t_dense / t_ours:.1f}×\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="scenario names to run")
    parser.add_argument("--skip-pmedian", action="store_true")
    parser.add_argument("--hard", action="store_true",
                        help="also Mayenne with a minimum pole size instead of a fixed count (slow: time limits)")
    args = parser.parse_args()
    extra = []
    if args.hard:
        extra.append(("mayenne", ["poles.count={}", "poles.population.min=8000", "poles.communes.min=3"]))
    table_poles(args.repeat, args.only, extra)
    if not args.skip_pmedian:
        table_pmedian(args.repeat, 20, "mayenne")


if __name__ == "__main__":
    main()
