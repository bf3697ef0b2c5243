"""The default pole design on every EPCI of France: ``optimiser init`` then ``optimiser run``.

For each of the 1,255 EPCIs: write the init folder (territory + starter scenario) into a temporary
folder, solve it with the scenario's own solver settings (CBC, 60 s), and record the outcome.
EPCIs run in parallel worker processes, largest first (so the long ones do not finish last);
each worker solves with one thread.

    .venv/bin/python benchmarks/all_epci.py                      # all EPCIs, 2 workers
    .venv/bin/python benchmarks/all_epci.py --only 200083392,200042174
    .venv/bin/python benchmarks/all_epci.py --summary            # re-print the figures of the CSV

Output: ``benchmarks/results/all_epci.csv``, one row per EPCI (columns in ``COLUMNS``), then a
summary: status counts, share proven optimal, time distribution (median, p90, max), total wall
time, failures and their reasons. Times are seconds on a shared 2-core machine: quote medians
and ratios, not single runs.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import os
import platform
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "benchmarks" / "results" / "all_epci.csv"

COLUMNS = ["epci_siren", "epci_name", "communes", "population", "pieces", "links", "may_stay_alone",
           "pole_count_max", "min_communes", "max_travel_min", "status", "gap", "objective", "bound",
           "poles", "alone", "rounds", "n_variables", "solve_s", "init_s", "wall_s", "solver", "reason"]


def run_one(siren: str) -> dict:
    """init + run of one EPCI in a temporary folder; never raises (errors become a row)."""
    from optimiser.api import solve
    from optimiser.scenario.load import load_scenario
    from optimiser.starter import init_folder
    from optimiser.territory.france import national_data

    national = national_data()
    row = {"epci_siren": siren, "epci_name": national.epcis.at[siren, "name"]}
    start = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix=f"epci-{siren}-"))
    try:
        summary = init_folder(national.select_epci(siren), tmp / siren, national)
        init_s = time.perf_counter() - start
        rules = summary.rules
        row.update(communes=summary.n_communes, population=summary.population, pieces=len(summary.links) + 1,
                   links=";".join(f"{x.kind}:{x.a}-{x.b}" for x in summary.links),
                   may_stay_alone=sum(len(x.piece) for x in summary.links if x.may_stay_alone),
                   pole_count_max=rules.pole_count, min_communes=rules.min_communes,
                   max_travel_min=rules.max_travel_min, init_s=round(init_s, 2))
        result = solve(load_scenario(summary.scenario))
        s = result.summary
        reason = ""
        if s["status"] != "optimal":
            reason = " | ".join((s.get("diagnosis") or []) + (s.get("messages") or []))
        row.update(status=s["status"], gap=s["gap"], objective=s["objective"], bound=s["bound"], poles=s["n_poles"],
                   alone=s["n_alone"], rounds=s["rounds"], n_variables=s["n_variables"], solve_s=round(s["runtime_s"], 2),
                   solver=s["solver"], reason=reason)
    except Exception as exc:  # a crash is a failure to report, not a reason to stop the benchmark
        row.update(status="error", reason=f"{exc.__class__.__name__}: {exc}".replace("\n", " ")[:500])
        row.setdefault("init_s", None)
        if os.environ.get("BENCH_DEBUG"):
            traceback.print_exc()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    row["wall_s"] = round(time.perf_counter() - start, 2)
    return row


def summarise(rows: list[dict], wall_s: float | None = None) -> str:
    n = len(rows)
    statuses: dict[str, int] = {}
    for r in rows:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    optimal = statuses.get("optimal", 0)
    times = np.asarray([float(r["solve_s"]) for r in rows if r.get("solve_s") not in (None, "")])
    walls = np.asarray([float(r["wall_s"]) for r in rows if r.get("wall_s") not in (None, "")])
    lines = [f"EPCIs: {n}; status: " + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items())),
             f"proven optimal: {optimal}/{n} = {100 * optimal / max(n, 1):.1f} %"]
    if len(times):
        lines.append(f"solve time (s): median {np.median(times):.2f}, p90 {np.percentile(times, 90):.2f}, "
                     f"p99 {np.percentile(times, 99):.2f}, max {times.max():.2f}; over 60 s: {(times > 60).sum()}")
    if len(walls):
        lines.append(f"init + solve per EPCI (s): median {np.median(walls):.2f}, p90 {np.percentile(walls, 90):.2f}, "
                     f"max {walls.max():.2f}; sum {walls.sum():.0f}")
    if wall_s is not None:
        lines.append(f"total wall time: {wall_s:.0f} s")
    for r in sorted(rows, key=lambda r: -float(r.get("solve_s") or 0)):
        if r["status"] != "optimal":
            gap = "" if r.get("gap") in (None, "") else f" gap {100 * float(r['gap']):.2f} %"
            lines.append(f"  {r['status']}: {r['epci_siren']} {r['epci_name']} ({r.get('communes')} communes){gap}, "
                         f"{r.get('solve_s')} s: {r.get('reason')}")
    return "\n".join(lines)


def read_rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: list[dict], columns: list[str] = COLUMNS, order=lambda r: r["epci_siren"]) -> None:
    """Write ``rows`` (``columns``, sorted by ``order``) in one rename, so a stopped run keeps a whole table."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".csv.partial")
    with open(tmp, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in sorted(rows, key=order):
            writer.writerow({k: ("" if row.get(k) is None else row.get(k)) for k in columns})
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--only", help="comma-separated SIRENs (default: every EPCI)")
    parser.add_argument("--limit", type=int, help="only the first N EPCIs by SIREN (a quick trial)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--summary", action="store_true", help="print the summary of --out and stop")
    args = parser.parse_args(argv)
    if args.summary:
        print(summarise(read_rows(args.out)))
        return

    sys.path.insert(0, str(REPO))
    from optimiser.territory.france import national_data

    epcis = national_data().epcis
    sirens = sorted(epcis.index)
    if args.only:
        sirens = [s.strip() for s in args.only.split(",")]
    if args.limit:
        sirens = sirens[: args.limit]
    sirens.sort(key=lambda s: -int(epcis.at[s, "communes"]))  # largest first: better load balance
    print(f"{len(sirens)} EPCIs, {args.workers} workers, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs", file=sys.stderr)
    start = time.perf_counter()
    rows = []
    with mp.get_context("spawn").Pool(args.workers, maxtasksperchild=100) as pool:
        for k, row in enumerate(pool.imap_unordered(run_one, sirens), 1):
            rows.append(row)
            elapsed = time.perf_counter() - start
            eta = elapsed / k * (len(sirens) - k)
            print(f"[{k}/{len(sirens)}] {row['epci_siren']} {row['epci_name'][:40]:<40} {row.get('communes', '?'):>4} "
                  f"{row['status']:<10} {row.get('solve_s') or 0:>7.2f} s   elapsed {elapsed:.0f} s, eta {eta:.0f} s",
                  file=sys.stderr, flush=True)
            if k % 50 == 0:
                write_rows(args.out, rows)  # keep what is done if the run is stopped
    wall = time.perf_counter() - start
    write_rows(args.out, rows)
    print(summarise(rows, wall))
    print(f"table: {args.out}")


if __name__ == "__main__":
    main()
