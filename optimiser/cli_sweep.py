"""Command line for many scenarios: ``optimiser sweep`` and ``optimiser compare``.

Plain click commands, registered by :mod:`optimiser.cli` (which runs them inside its error guard;
this module never imports it: no import cycle, also under ``python -m optimiser.cli``).

Exit codes as for ``run``: 0 every variant has a design; 2 bad input (scenario, option, or a
variant's own input); 3 some variant has no design (infeasible, time limit, solver error);
130 interrupted (run the same command again to resume).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli_options import lang_option, set_option
from .errors import EXIT_INPUT, EXIT_NO_RESULT


@click.command("sweep")
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path),
              help="Sweep folder: one result folder per variant, and sweep.json "
                   "(default: outputs.dir or results/<name>).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Variants solved at the same time (worker processes).")
@click.option("--backend", type=click.Choice(["process", "dask"]), default="process", show_default=True,
              help="process: a pool of local processes; dask: a Dask distributed cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="Dask scheduler to use (tcp://host:8786); without it, --backend dask starts a local "
                   "cluster of --jobs workers.")
@set_option
@click.option("--quiet", is_flag=True, help="No progress lines, only the summary.")
@lang_option
def sweep(scenario: Path, out: Path | None, jobs: int, backend: str, scheduler: str | None,
          overrides: tuple[str, ...], quiet: bool, lang: str | None) -> None:
    """Solve every variant and sweep point of SCENARIO, resuming where a previous run stopped."""
    import os

    from .sweeps.runner import first_line, run_sweep

    if lang:  # each variant's folder is written with it (Result.to_dir reads $OPTIMISER_LANG, as workers inherit it)
        os.environ["OPTIMISER_LANG"] = lang.lower()

    report = run_sweep(scenario, out, jobs=jobs, backend=backend, scheduler=scheduler, overrides=overrides,
                       echo=None if quiet else click.echo)
    n = len(report.outcomes)
    solved = sum(o.solved for o in report.outcomes)
    failures = [o for o in report.failures if o.status != "not-run"]
    not_run = n - solved - len(failures)
    stats = report.cache
    click.echo(f"{n} variants in {report.wall_s:.1f} s ({report.backend}, {report.jobs} job(s)): {solved} solved"
               f" ({len(report.skipped)} already done), {len(failures)} without a design"
               + (f", {not_run} not run" if not_run else ""))
    if stats.configurations:
        click.echo(f"shared inputs (territory, road graph, travel matrix): computed for {stats.configurations} "
                   f"configuration(s) in {stats.compute_s:.2f} s, reused {stats.reuses} times")
    click.echo(f"index: {report.folder / 'sweep.json'}   compare: optimiser compare {report.folder}")
    if report.interrupted:
        click.echo("interrupted: run the same command again to resume (finished variants are kept)", err=True)
        sys.exit(130)
    if failures:
        click.echo(f"{len(failures)} variant(s) without a design:", err=True)
        for o in failures:
            click.echo(f"  - {o.id}: {o.status}" + (f" — {first_line(o.error)}" if o.error else ""), err=True)
        sys.exit(EXIT_INPUT if any(o.status == "invalid" for o in failures) else EXIT_NO_RESULT)


@click.command("compare")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--out", type=click.Path(path_type=Path),
              help="Where to write the comparison (default: SWEEP_DIR/comparison for one sweep folder, "
                   "else ./comparison).")
@lang_option
def compare(folders: tuple[Path, ...], out: Path | None, lang: str | None) -> None:
    """Compare result folders (or the variants of a sweep folder): table (CSV, Excel) and plots."""
    from .comparison import compare_folders, write_comparison
    from .sweeps.index import INDEX

    table, savings = compare_folders(folders)
    if out is None:
        out = folders[0] / "comparison" if len(folders) == 1 and (folders[0] / INDEX).is_file() else Path("comparison")
    from .results.i18n import resolve_lang

    lang = resolve_lang(lang)
    written = write_comparison(table, savings, out, title=", ".join(f.absolute().name for f in folders), lang=lang)
    shown = table[["variant", "status", "objective", "n_poles", "max_travel_min", "on_pareto_front"]]
    with_cost = "total_cost" in table.columns
    if with_cost:
        shown = table[["variant", "status", "total_cost", "savings" if "savings" in table.columns else "objective",
                       "n_poles", "max_travel_min", "on_pareto_front"]]
    click.echo(shown.to_string(index=False, max_colwidth=60, float_format=lambda v: f"{v:,.1f}"))
    click.echo(f"{len(table)} variants compared; files in {Path(out).absolute()}: " + ", ".join(p.name for p in written))
