"""Service sharing on real EPCIs: ``optimiser init``, a services block with default estimates, solve.

For a stratified sample of EPCIs from 5 to 200 communes (the same number drawn in each size band,
with a fixed seed, so the sample repeats), write the init folder into a temporary folder, add
``services: {}`` (every service, every inventory field estimated from the catalogue), set the time
limit the issue's targets name (60 s up to 70 communes, 300 s above; ``--limit`` sets one for all)
and solve. Runs go one size band after another (the first EPCI of every band, then the second...),
so a stopped run still covers every size; each worker solves with one thread. The run is
**resumable**: runs already in the table (same EPCI, solver and time limit) are kept and skipped.

    .venv/bin/python benchmarks/services_epci.py                       # 44 EPCIs, HiGHS (+ CBC up to 30 communes)
    .venv/bin/python benchmarks/services_epci.py --sample 10 --solvers highs --workers 1
    .venv/bin/python benchmarks/services_epci.py --summary             # re-print the table of the CSV
    .venv/bin/python benchmarks/services_epci.py --only 200043156 --solvers highs --rerun   # one EPCI again

Output: ``benchmarks/results/services_epci.csv`` (one row per EPCI × solver: communes, variables,
status, gap, time, saving) and a Markdown table of medians by size band. Times are seconds on a
shared 2-core machine: quote medians, not single runs. Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np
from all_epci import read_rows
from all_epci import write_rows as write_table

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "benchmarks" / "results" / "services_epci.csv"
BANDS = [(5, 15), (16, 30), (31, 50), (51, 70), (71, 100), (101, 140), (141, 200)]
COLUMNS = ["epci_siren", "epci_name", "communes", "population", "solver", "time_limit_s", "n_variables",
           "n_constraints", "status", "gap", "objective_keur", "bound_keur", "status_quo_keur", "saving_pct",
           "poles", "solve_s", "wall_s", "load", "reason"]
#: CBC is run only up to this many communes (above, its root LP does not finish in the time limit).
CBC_MAX_COMMUNES = 30


def time_limit_for(communes: int) -> float:
    """The issue's targets: gap ≤ 1 % within 60 s up to 70 communes, within 300 s up to 200."""
    return 60.0 if communes <= 70 else 300.0


def sample(epcis, per_band: int, seed: int = 11) -> list[str]:
    """``per_band`` EPCIs drawn at random (fixed seed) in each size band of :data:`BANDS`, in
    round-robin order over the bands (the first of each band, then the second, ...)."""
    rng = np.random.default_rng(seed)
    drawn = []
    for lo, hi in BANDS:
        band = sorted(s for s in epcis.index if lo <= int(epcis.at[s, "communes"]) <= hi)
        drawn.append([str(s) for s in rng.choice(band, size=min(per_band, len(band)), replace=False)])
    return [band[k] for k in range(per_band) for band in drawn if k < len(band)]


def run_one(job: tuple[str, str, float | None]) -> dict:
    """init + services + solve of one EPCI with one solver; never raises (errors become a row)."""
    siren, solver, fixed_limit = job
    from optimiser.api import solve
    from optimiser.scenario.load import load_scenario
    from optimiser.starter import init_folder
    from optimiser.territory.france import national_data

    national = national_data()
    row = {"epci_siren": siren, "epci_name": national.epcis.at[siren, "name"], "solver": solver}
    start = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f"svc-{siren}-"))
    try:
        summary = init_folder(national.select_epci(siren), tmp / siren, national)
        limit = fixed_limit or time_limit_for(summary.n_communes)
        row.update(communes=summary.n_communes, population=summary.population, time_limit_s=limit)
        with open(summary.scenario, "a", encoding="utf-8") as handle:
            handle.write("\n# benchmark: every service, every inventory field estimated\nservices: {}\n")
        loaded = load_scenario(summary.scenario, [f"solver.name={solver}", f"solver.time_limit_s={limit}",
                                                  "solver.threads=1"])
        result = solve(loaded)
        s = result.summary
        reason = "" if s["status"] == "optimal" else " | ".join((s.get("diagnosis") or []) + (s.get("messages") or []))
        sq = s.get("status_quo_cost")
        row.update(status=s["status"], gap=s["gap"], n_variables=s["n_variables"], n_constraints=s.get("n_constraints"),
                   objective_keur=s["objective"], bound_keur=s["bound"],
                   status_quo_keur=None if sq is None else round(sq / 1000.0, 3),
                   saving_pct=s.get("savings_pct"), poles=s.get("n_poles"), solve_s=round(s["runtime_s"], 2),
                   reason=reason[:300])
    except Exception as exc:  # a crash is a failure to report, not a reason to stop the benchmark
        row.update(status="error", reason=f"{exc.__class__.__name__}: {exc}".replace("\n", " ")[:500])
        if os.environ.get("BENCH_DEBUG"):
            traceback.print_exc()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    row["wall_s"] = round(time.perf_counter() - start, 2)
    row["load"] = round(os.getloadavg()[0], 1)  # the machine is shared: the 1-min load at the end
    return row


def _f(value) -> float | None:
    return None if value in (None, "") else float(value)


def table(rows: list[dict]) -> str:
    """Markdown: per size band and solver, EPCIs, median variables, status counts, median and
    worst gap, median time, median saving; then the targets checked."""
    lines = ["| communes | solver | EPCIs | variables (median) | status | gap median | gap max | time median (s) | saving median |",
             "|---|---|---:|---:|---|---:|---:|---:|---:|"]
    solvers = sorted({r["solver"] for r in rows})
    for lo, hi in BANDS:
        for solver in solvers:
            band = [r for r in rows if r["solver"] == solver and r.get("communes") not in (None, "")
                    and lo <= int(r["communes"]) <= hi]
            if not band:
                continue
            statuses: dict[str, int] = {}
            for r in band:
                statuses[r["status"]] = statuses.get(r["status"], 0) + 1
            gaps = [g for r in band if (g := _f(r.get("gap"))) is not None]
            var = [v for r in band if (v := _f(r.get("n_variables"))) is not None]
            times = [t for r in band if (t := _f(r.get("solve_s"))) is not None]
            saves = [v for r in band if (v := _f(r.get("saving_pct"))) is not None]
            med = lambda xs, fmt: fmt.format(float(np.median(xs))) if xs else "—"  # noqa: E731
            lines.append(f"| {lo}–{hi} | {solver} | {len(band)} | {med(var, '{:,.0f}')} | "
                         + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
                         + f" | {med([100 * g for g in gaps], '{:.2f} %')} | "
                         + (f"{100 * max(gaps):.2f} %" if gaps else "—")
                         + f" | {med(times, '{:.1f}')} | {med([100 * s for s in saves], '{:.1f} %')} |")
    # a run with no proven bound has no gap: it is never counted as within one
    within = [r for r in rows if r["status"] in ("optimal", "feasible") and (g := _f(r.get("gap"))) is not None and g <= 0.01 + 1e-12]
    bad = [r for r in rows if r["status"] == "feasible" and (g := _f(r.get("gap"))) is not None and g > 0.05]
    unbounded = [r for r in rows if r["status"] == "feasible" and _f(r.get("gap")) is None]
    lines.append("")
    lines.append(f"Runs within a 1 % gap: {len(within)}/{len(rows)}; 'feasible' above 5 %: {len(bad)}; "
                 f"'feasible' with no proven bound: {len(unbounded)}.")
    return "\n".join(lines)


def write_rows(path: Path, rows: list[dict]) -> None:
    """The table, smallest EPCIs first (the writer of :mod:`all_epci`)."""
    write_table(path, rows, COLUMNS, order=lambda r: (int(r.get("communes") or 0), r["epci_siren"], r["solver"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sample", type=int, default=44, help="EPCIs in all, spread evenly over the size bands (default 44: 7 a band; 141–200 has only 2)")
    parser.add_argument("--only", help="comma-separated SIRENs instead of the sample")
    parser.add_argument("--solvers", default="highs,cbc", help=f"comma-separated (default highs,cbc; CBC only up to {CBC_MAX_COMMUNES} communes)")
    parser.add_argument("--limit", type=float, help="one time limit (s) for every EPCI instead of 60 s / 300 s by size")
    parser.add_argument("--fresh", action="store_true", help="start a new table instead of resuming --out")
    parser.add_argument("--rerun", action="store_true", help="run the --only EPCIs again, their rows replaced (after a change to the method)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--summary", action="store_true", help="print the table of --out and stop")
    args = parser.parse_args(argv)
    if args.summary:
        print(table(read_rows(args.out)))
        return
    sys.path.insert(0, str(REPO))
    from optimiser.territory.france import national_data

    epcis = national_data().epcis
    sirens = [s.strip() for s in args.only.split(",")] if args.only else sample(epcis, -(-args.sample // len(BANDS)))
    rows: list[dict] = [] if args.fresh or not args.out.exists() else read_rows(args.out)
    done = {(r["epci_siren"], r["solver"]) for r in rows if r.get("status") not in (None, "", "error")}
    if args.rerun:
        if not args.only:
            parser.error("--rerun needs --only (the EPCIs to run again)")
        again = {(s, solver) for s in sirens for solver in args.solvers.split(",")}
        done -= again
    rows = [r for r in rows if (r["epci_siren"], r["solver"]) in done]
    jobs = [(s, solver, args.limit) for s in sirens for solver in args.solvers.split(",")
            if (s, solver) not in done and (solver != "cbc" or int(epcis.at[s, "communes"]) <= CBC_MAX_COMMUNES)]
    print(f"{len(sirens)} EPCIs × {args.solvers}: {len(jobs)} runs to do ({len(done)} kept), {args.workers} workers",
          file=sys.stderr)
    start = time.perf_counter()
    with mp.get_context("spawn").Pool(args.workers, maxtasksperchild=20) as pool:
        for k, row in enumerate(pool.imap_unordered(run_one, jobs), 1):
            rows.append(row)
            gap = "" if row.get("gap") is None else f"gap {100 * float(row['gap']):.2f} %"
            print(f"[{k}/{len(jobs)}] {row['epci_siren']} {str(row['epci_name'])[:36]:<36} {row.get('communes', '?'):>4} "
                  f"{row['solver']:<5} {row['status']:<10} {gap:<14} {row.get('solve_s') or 0:>7.1f} s "
                  f"elapsed {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
            write_rows(args.out, rows)  # keep what is done if the run is stopped
    print(table(rows))
    print(f"table: {args.out}; wall time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
