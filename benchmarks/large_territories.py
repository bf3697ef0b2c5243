"""Département- and region-scale designs: Mayenne (240 communes) and Pays de la Loire (1,226).

Each case is a shipped scenario plus ``--set`` overrides, solved with one solver thread through
the public API, one case after the other:

    .venv/bin/python benchmarks/large_territories.py                  # every case
    .venv/bin/python benchmarks/large_territories.py --only pdl-pmedian-p30

The issue's targets: p = 30 in pure p-median mode proven optimal within 120 s; exact contiguity
with a gap under 2 % within 600 s. Output: ``benchmarks/results/large_territories.csv`` and a table
on stdout. ``prepare_s`` is the time to read the territory and build the road graph and the
travel matrix; ``runtime_s`` is the design (model build + solve, every contiguity round).

Each case runs in its own process group, killed after ``HARD_LIMIT_FACTOR`` × its time limit +
60 s: CBC does not check its time limit during its root heuristics, and on the region's exact
model it ran 24 minutes past a 600 s limit. Such a case is recorded as ``killed``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "benchmarks" / "results" / "large_territories.csv"

PMEDIAN = ("mode=p-median", "contiguity=none", "poles.allow_alone=[]")

#: A case still running after this many times its time limit (+ 60 s) is killed.
HARD_LIMIT_FACTOR = 1.5

#: name → (scenario, overrides, time limit in seconds)
CASES = {
    "mayenne-pmedian-p30": ("scenarios/mayenne.yaml", PMEDIAN + ("poles.count=30",), 120),
    "mayenne-exact-p30": ("scenarios/mayenne.yaml", ("poles.count=30",), 600),
    "pdl-pmedian-p30": ("scenarios/pays-de-la-loire.yaml", PMEDIAN + ("solver.name=cbc",), 120),
    "pdl-exact-p30": ("scenarios/pays-de-la-loire.yaml", ("solver.name=cbc",), 600),
    "pdl-exact-p30-highs": ("scenarios/pays-de-la-loire.yaml", (), 600),
}

COLUMNS = ["case", "scenario", "overrides", "communes", "mode", "contiguity", "poles", "status", "objective",
           "bound", "gap", "prepare_s", "runtime_s", "build_s", "solve_s", "rounds", "n_variables",
           "n_constraints", "solver", "messages"]


def run_case(name: str) -> dict:
    from optimiser.api import solve
    from optimiser.inputs.preparation import prepare
    from optimiser.scenario.load import load_scenario

    scenario, overrides, limit = CASES[name]
    loaded = load_scenario(REPO / scenario, list(overrides) + [f"solver.time_limit_s={limit}"])
    start = time.perf_counter()
    inputs = prepare(loaded)
    prepare_s = time.perf_counter() - start
    s = solve(loaded, inputs).summary
    return {
        "case": name, "scenario": scenario, "overrides": " ".join(overrides), "communes": s["n_communes"],
        "mode": s["mode"], "contiguity": s["contiguity"], "poles": s["n_poles"], "status": s["status"],
        "objective": s["objective"], "bound": s["bound"], "gap": s["gap"], "prepare_s": round(prepare_s, 2),
        "runtime_s": round(s["runtime_s"], 2), "build_s": round(s["build_s"], 2), "solve_s": round(s["solve_s"], 2),
        "rounds": s["rounds"], "n_variables": s["n_variables"], "n_constraints": s["n_constraints"],
        "solver": s["solver"], "messages": " | ".join(s["messages"]),
    }


def run_guarded(name: str) -> dict:
    """``run_case`` in a child process group, killed if it overruns (see module docstring)."""
    limit = CASES[name][2]
    hard = HARD_LIMIT_FACTOR * limit + 60
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--case", name], stdout=subprocess.PIPE, text=True,
                             start_new_session=True)
    try:
        out, _ = child.communicate(timeout=hard)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        scenario, overrides, _ = CASES[name]
        return {"case": name, "scenario": scenario, "overrides": " ".join(overrides), "status": "killed",
                "runtime_s": round(time.perf_counter() - start, 1),
                "messages": f"no answer {hard:.0f} s after the start (time limit {limit} s): killed"}
    if child.returncode != 0:
        raise RuntimeError(f"case {name} failed (exit {child.returncode})")
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", help="comma-separated case names: " + ", ".join(CASES))
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case, print its row as JSON
    args = parser.parse_args(argv)
    if args.case:
        print(json.dumps(run_case(args.case)))
        return
    names = args.only.split(",") if args.only else list(CASES)
    rows = []
    for name in names:
        row = run_guarded(name)
        rows.append(row)
        if row["status"] == "killed":
            print(f"{name:<22} killed: {row['messages']}", flush=True)
            continue
        gap = "n/a" if row["gap"] is None else f"{100 * row['gap']:.3f} %"
        print(f"{name:<22} {row['communes']:>5} communes  {row['status']:<10} gap {gap:<10} "
              f"prepare {row['prepare_s']:>6.1f} s  design {row['runtime_s']:>7.1f} s  "
              f"{row['n_variables']:>7,} variables  {row['rounds']} round(s)", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    existing = {}
    if args.out.exists():
        with open(args.out, newline="", encoding="utf-8") as handle:
            existing = {r["case"]: r for r in csv.DictReader(handle)}
    existing.update({r["case"]: r for r in rows})
    with open(args.out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for name in CASES:
            if name in existing:
                writer.writerow({k: ("" if existing[name].get(k) is None else existing[name].get(k)) for k in COLUMNS})
    print(f"table: {args.out}")


if __name__ == "__main__":
    main()
