"""Benchmark: a 50-variant sweep of the Laval Agglomération 2016 scenario.

The grid: poles.max_travel_min (10 values, 15–45 min) × poles.population.min (5 values,
3,000–8,000 inhabitants) over scenarios/laval-2016.yaml. Measures the wall time of the whole
sweep with ``--jobs 1``, ``--jobs 2`` (process pool) and ``--backend dask --jobs 2`` (a local
Dask cluster, started and stopped within the timing), each into a fresh folder; a resumed run
(nothing to do); and what the shared-input cache saves: preparing the 50 variants' inputs
(territory, road graph, travel matrix, rules) with and without it — on Laval, and on the
240-commune Mayenne scenario where reading the polygons costs more.

    .venv/bin/python benchmarks/sweep.py [--repeat 3] [--skip-dask]

Prints medians over the repeats (the machine is shared and noisy: compare ratios).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from optimiser.cache import InputCache  # noqa: E402
from optimiser.inputs.preparation import prepare  # noqa: E402
from optimiser.scenario.load import load_variants  # noqa: E402
from optimiser.sweeps.runner import run_sweep  # noqa: E402

TRAVEL = [15, 17.5, 20, 22.5, 25, 27.5, 30, 35, 40, 45]
POPULATION = [3000, 4000, 5000, 6000, 8000]


def grid_scenario(folder: Path, parent: str, name: str, extra: str = "") -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(f"extends: {REPO / 'scenarios' / parent}\nname: {name}\n{extra}"
                    f"sweep:\n  grid:\n    poles.max_travel_min: {TRAVEL}\n    poles.population.min: {POPULATION}\n")
    return path


def timed_sweep(scenario: Path, out: Path, **options) -> tuple[float, object]:
    shutil.rmtree(out, ignore_errors=True)
    start = time.perf_counter()
    report = run_sweep(scenario, out, **options)
    return time.perf_counter() - start, report


def prepare_times(scenario: Path, n: int | None = None) -> tuple[float, float]:
    """Seconds to prepare every variant without, then with, the shared-input cache."""
    variants = load_variants(scenario)[:n]
    start = time.perf_counter()
    for loaded in variants:
        prepare(loaded)
    fresh = time.perf_counter() - start
    cache = InputCache()
    start = time.perf_counter()
    for loaded in variants:
        prepare(loaded, cache=cache)
    return fresh, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-dask", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sweep-bench-"))
    try:
        laval = grid_scenario(work, "laval-2016.yaml", "laval-grid")
        no_maps = grid_scenario(work, "laval-2016.yaml", "laval-grid-nomaps", extra="outputs: {map: false}\n")
        runs = [("--jobs 1", laval, {"jobs": 1}), ("--jobs 2 (process pool)", laval, {"jobs": 2})]
        if not args.skip_dask:
            runs.append(("--backend dask --jobs 2 (LocalCluster)", laval, {"jobs": 2, "backend": "dask"}))
        runs.append(("--jobs 1, outputs.map: false", no_maps, {"jobs": 1}))
        times: dict[str, list[float]] = {label: [] for label, _, _ in runs}
        load_start = os.getloadavg()[0]
        statuses = None
        for r in range(args.repeat):
            for label, scenario, options in runs:
                elapsed, report = timed_sweep(scenario, work / "out", **options)
                times[label].append(elapsed)
                got = sorted((o.id, o.status, None if o.objective is None else round(o.objective, 4)) for o in report.outcomes)
                if scenario is laval:
                    assert statuses is None or got == statuses, f"{label} gave other results"
                    statuses = got
                print(f"  repeat {r + 1}: {label}: {elapsed:.1f} s", flush=True)
        start = time.perf_counter()
        run_sweep(no_maps, work / "out")
        resume = time.perf_counter() - start

        n_solved = sum(1 for _, status, _ in statuses if status in ("optimal", "feasible"))
        print(f"\n50-variant sweep of Laval 2016 ({n_solved} designs, {50 - n_solved} infeasible), "
              f"median of {args.repeat}, wall time; {os.cpu_count()} cores, load average during the runs "
              f"{load_start:.1f} → {os.getloadavg()[0]:.1f} (other users' work included):")
        base = statistics.median(times["--jobs 1"])
        for label, values in times.items():
            median = statistics.median(values)
            print(f"  {label:<42} {median:6.1f} s   {base / median:4.2f}× vs --jobs 1   ({median / 50:.2f} s per variant)")
        print(f"  {'resume, all 50 already solved':<42} {resume:6.1f} s")

        print("\nShared-input cache: preparing the inputs of every variant (territory, roads, matrix, rules)")
        for label, scenario, n in (("Laval 2016, 20 communes, 50 variants", laval, None),
                                   ("Mayenne, 240 communes, first 10 variants", grid_scenario(work, "mayenne.yaml", "mayenne-grid"), 10)):
            fresh, cached = prepare_times(scenario, n)
            fresh2, cached2 = prepare_times(scenario, n)
            fresh, cached = min(fresh, fresh2), min(cached, cached2)
            count = 50 if n is None else n
            print(f"  {label:<42} without {fresh:6.2f} s, with {cached:6.2f} s: saves {fresh - cached:5.2f} s "
                  f"({1000 * (fresh - cached) / count:.0f} ms per variant, {fresh / cached:.0f}× less)")
            if scenario is laval:
                laval_saved = fresh - cached
        print(f"  (Laval: {100 * laval_saved / base:.1f} % of the --jobs 1 sweep)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
