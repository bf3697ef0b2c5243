"""Benchmark: fixed-design re-pricing of Laval 2016 (à la carte) in 10,000 sampled worlds.

    .venv/bin/python benchmarks/robustness.py                      # solves the design first (≤ 30 s)
    .venv/bin/python benchmarks/robustness.py --result results/X   # or re-prices a solved result folder

Times the whole re-pricing (draws, the catalogue and inventory built on arrays, the design and
the status quo priced, per-commune shares, the tornado) — median of 3. Target: under 10 s on the
project's 2-core machine. Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimiser.api import solve  # noqa: E402
from optimiser.inputs.preparation import prepare  # noqa: E402
from optimiser.robustness.analysis import analyse  # noqa: E402
from optimiser.robustness.repricing import FixedDesign  # noqa: E402
from optimiser.robustness.worlds import group_correlations, uncertain_parameters  # noqa: E402
from optimiser.scenario.load import load_scenario  # noqa: E402

SCENARIO = ROOT / "scenarios" / "laval-2016-a-la-carte.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--result", type=Path, help="a solved result folder of the scenario")
    parser.add_argument("--samples", type=int, default=10_000)
    args = parser.parse_args()
    if args.result:
        loaded = load_scenario(args.result / "scenario.resolved.yaml")
        inputs, design = prepare(loaded), FixedDesign.from_folder(args.result)
    else:
        loaded = load_scenario(SCENARIO, ["solver.time_limit_s=30"])
        result = solve(loaded)
        inputs, design = result.inputs, FixedDesign.from_services(result.design.services, result.design.assignment)
    params = uncertain_parameters(loaded, inputs.territory, inputs.matrix, inputs.rules.service_commun)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        a = analyse(loaded, inputs, design, params, group_correlations(loaded), args.samples, 0)
        times.append(time.perf_counter() - start)
    print(f"{args.samples:,} worlds, {sum(not p.certain for p in params)} uncertain parameters, {len(a.factors)} tornado factors")
    print(f"re-pricing + tornado + EVPPI: median {statistics.median(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})")
    print(f"P(saving > 0) = {a.probability_saving:.4f}; P10/P50/P90 = "
          + " / ".join(f"{v:,.0f}" for v in a.percentiles().values()) + " €/yr")


if __name__ == "__main__":
    main()
