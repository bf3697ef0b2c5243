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
    from .results.html import fmt
    from .results.i18n import plural, run_status_name, t, using
    from .sweeps.runner import first_line, run_sweep

    # --lang: every variant's folder and every line in it (over the scenario's outputs.lang)
    report = run_sweep(scenario, out, jobs=jobs, backend=backend, scheduler=scheduler, overrides=overrides,
                       echo=None if quiet else click.echo, lang=lang)
    n = len(report.outcomes)
    solved = sum(o.solved for o in report.outcomes)
    failures = [o for o in report.failures if o.status != "not-run"]
    not_run = n - solved - len(failures)
    stats = report.cache
    with using(report.lang):
        click.echo(plural(n, "sweep.done", wall=fmt.number(report.wall_s, 1), backend=report.backend, jobs=report.jobs,
                     solved=solved, skipped=len(report.skipped), failed=len(failures))
                   + (t("sweep.not_run", n=not_run) if not_run else ""))
        if stats.configurations:
            click.echo(t("sweep.shared", n=stats.configurations, s=fmt.number(stats.compute_s, 2), reuses=stats.reuses))
        click.echo(t("sweep.index", index=report.folder / "sweep.json", folder=report.folder))
        if report.interrupted:
            click.echo(t("sweep.interrupted"), err=True)
            sys.exit(130)
        if failures:
            click.echo(t("sweep.failures", n=len(failures)), err=True)
            for o in failures:
                click.echo(f"  - {o.id}: {run_status_name(o.status)}" + (f" — {first_line(o.error)}" if o.error else ""), err=True)
            sys.exit(EXIT_INPUT if any(o.status == "invalid" for o in failures) else EXIT_NO_RESULT)


#: The comparison columns the terminal shows, by what the runs optimised (``total_cost`` with services).
SHOWN_TRAVEL = ["variant", "status", "objective", "n_poles", "max_travel_min", "on_pareto_front"]
SHOWN_COST = ["variant", "status", "total_cost", "savings", "n_poles", "max_travel_min", "on_pareto_front"]


@click.command("compare")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--out", type=click.Path(path_type=Path),
              help="Where to write the comparison (default: SWEEP_DIR/comparison for one sweep folder, "
                   "else ./comparison).")
@lang_option
def compare(folders: tuple[Path, ...], out: Path | None, lang: str | None) -> None:
    """Compare result folders (or the variants of a sweep folder): table (CSV, Excel) and plots."""
    from .comparison import compare_folders, write_comparison
    from .results.i18n import plural, resolve_lang, using
    from .sweeps.index import INDEX

    table, savings = compare_folders(folders)
    if out is None:
        out = folders[0] / "comparison" if len(folders) == 1 and (folders[0] / INDEX).is_file() else Path("comparison")
    lang = resolve_lang(lang)
    written = write_comparison(table, savings, out, title=", ".join(f.absolute().name for f in folders), lang=lang)
    with using(lang):
        click.echo(terminal_table(table))
        click.echo(plural(len(table), "compare.done", folder=Path(out).absolute(), files=", ".join(p.name for p in written)))


def terminal_table(table) -> str:
    """The comparison as the terminal shows it: a few columns, headed and worded in the language
    being written (statuses as words in French, numbers as French writes them)."""
    from .results.html import fmt
    from .results.i18n import run_status_name, t
    columns = SHOWN_COST if "total_cost" in table.columns else SHOWN_TRAVEL
    if "savings" not in table.columns:
        columns = [("objective" if c == "savings" else c) for c in columns]
    shown = table[columns].copy()
    shown["status"] = shown["status"].map(run_status_name)
    if "on_pareto_front" in shown.columns:
        shown["on_pareto_front"] = shown["on_pareto_front"].map(
            lambda v: "" if fmt.is_missing(v) else t("word.yes") if bool(v) else t("word.no"))
    for column in columns:
        if column not in ("variant", "status", "on_pareto_front"):
            shown[column] = shown[column].map(lambda v: fmt.number(v, 1) if fmt.as_number(v) is not None else "—")
    shown.columns = [t(f"cmpcol.{c}") for c in columns]
    return shown.to_string(index=False, max_colwidth=60)
