"""Command line: ``optimiser run | validate | verify | sweep | compare``.

Exit codes: 0 a design was found (optimal or feasible) / the check passed; 2 bad input (scenario,
data file, option); 3 no design (infeasible, time limit without a solution, solver error);
4 ``verify`` found a violation; 1 an internal error (a bug: please report it with ``--debug``).
"""

from __future__ import annotations

import functools
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .errors import EXIT_NO_RESULT, EXIT_VIOLATION, OptimiserError

_DEBUG = False


def _guard(command):
    """Report known errors in plain words (no traceback unless --debug) with their exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            outcome = command(*args, **kwargs)
            sys.stdout.flush()  # a closed pipe shows here, inside the guard, not at interpreter exit
            return outcome
        except OptimiserError as exc:
            if _DEBUG:
                raise
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        except OSError as exc:  # the machine, not a bug: a full disk, a read-only folder, a path through a file
            if _DEBUG:
                raise
            from .errors import FileSystemError

            click.echo(f"error: {FileSystemError(exc)}", err=True)
            sys.exit(FileSystemError.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was written", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
            if _DEBUG:
                raise
            click.echo(f"internal error: {exc.__class__.__name__}: {exc}\n"
                       "This is a bug in optimiser; run again with --debug for the traceback.", err=True)
            sys.exit(1)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="optimiser")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of plain error messages.")
def main(debug: bool) -> None:
    """Design proximity poles and pooled technical services for French communes."""
    global _DEBUG
    _DEBUG = debug
    from .errors import show_input_warnings

    show_input_warnings(lambda line: click.echo(line, err=True))  # a repaired polygon: one plain line


_set_option = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                           help="Override a scenario key, e.g. --set poles.count=5 (repeatable).")


@main.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Result folder (default: outputs.dir or results/<name>).")
@_set_option
@click.option("--variant", metavar="ID", help="With variants or a sweep in SCENARIO: solve this one (default: base).")
@click.option("--quiet", is_flag=True, help="Print only where the results are.")
@_guard
def run(scenario: Path, out: Path | None, overrides: tuple[str, ...], variant: str | None, quiet: bool) -> None:
    """Solve SCENARIO and write its result folder."""
    from .api import solve
    from .results.folder import check_target
    from .scenario.folders import default_folder
    from .scenario.load import load_scenario

    loaded = load_scenario(scenario, overrides, variant=variant)
    if variant is None and loaded.variant is not None:
        click.echo(f"note: {scenario} has variants or a sweep; solving {loaded.variant} "
                   "(choose one with --variant ID; list them with optimiser validate; solve all with optimiser sweep)", err=True)
    target = out or default_folder(loaded)
    check_target(target.absolute())  # fail before solving, not after
    result = solve(loaded)
    # The folder is written before anything is printed, so a closed pipe (`| head`) cannot lose it.
    folder = result.to_dir(target, draw=loaded.scenario.outputs.map) if result.has_design else None
    if not quiet:
        click.echo(summary_text(result))
    if folder is None:
        click.echo(f"no result folder written ({result.status})", err=True)
        sys.exit(EXIT_NO_RESULT)
    main_files = "report.html, report.md, map.png, communes.csv, poles.csv"
    if result.summary.get("total_cost") is not None:
        main_files += ", services.csv, equipment.csv, shares.csv, savings.png"
    click.echo(f"Results: {folder}  ({main_files}, summary.json, …)")


@main.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@_set_option
@_guard
def validate(scenario: Path, overrides: tuple[str, ...]) -> None:
    """Check SCENARIO (schema, communes, data files, road graph) without solving it; with
    variants or a sweep, check every one of them and list them."""
    from .model.candidates import candidate_pairs
    from .model.diagnose import presolve_findings
    from .prepare import prepare
    from .scenario.compose import compose_file
    from .scenario.load import load_variant

    composed = compose_file(scenario)
    if composed.composed:
        from .cli_sweep import validate_variants

        return validate_variants(composed, overrides)
    loaded = load_variant(composed, composed.variant(None), overrides)
    inputs = prepare(loaded)
    t = inputs.territory
    click.echo(f"{scenario}: valid — {len(t)} communes, {len(t.adjacency)} neighbour pairs, "
               f"{int(t.communes['population'].sum()):,} inhabitants; mode {inputs.rules.mode}, "
               f"contiguity {inputs.rules.contiguity}")
    if inputs.rules.mode == "poles":
        pairs = candidate_pairs(t, inputs.matrix, inputs.rules)
        findings = presolve_findings(t, inputs.matrix, inputs.rules, pairs)
        click.echo(f"model: {len(pairs.seats)} candidate seats, {pairs.n_pairs:,} commune-seat pairs")
        if findings:
            click.echo("but the scenario cannot have a solution:", err=True)
            for line in findings:
                click.echo(f"  - {line}", err=True)
            sys.exit(EXIT_NO_RESULT)


@main.command()
@click.argument("result_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@_guard
def verify(result_dir: Path) -> None:
    """Re-check RESULT_DIR from its files alone; exit 4 on any violation."""
    from .verify import verify_result

    outcome = verify_result(result_dir)
    for name in outcome.passed:
        click.echo(f"ok    {name}")
    for line in outcome.violations:
        click.echo(f"FAIL  {line}")
    if not outcome.ok:
        click.echo(f"{len(outcome.violations)} violation(s) in {result_dir}", err=True)
        sys.exit(EXIT_VIOLATION)
    click.echo(f"{result_dir}: all {len(outcome.passed)} checks passed")


@main.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--between", nargs=2, default=("cost", "travel"), show_default=True, metavar="A B",
              help="The two objectives of the frontier (only cost and travel today).")
@click.option("--points", type=click.IntRange(min=2), default=5, show_default=True,
              help="Points on the frontier, the two ends included.")
@click.option("--out", type=click.Path(path_type=Path), help="Folder for the points and pareto.csv / pareto.png.")
@_set_option
@_guard
def pareto(scenario: Path, between: tuple[str, str], points: int, out: Path | None, overrides: tuple[str, ...]) -> None:
    """Cost / travel trade-off of SCENARIO by the ε-constraint method: each point a full result."""
    from .errors import InputError, Problem
    from .scenario.compose import compose_file
    from .scenario.folders import safe_name
    from .scenario.load import load_variant
    from .tradeoff import frontier

    if sorted(between) != ["cost", "travel"]:
        raise InputError([Problem("--between", " ".join(between), "the frontier is between cost and travel",
                                  show_value=False, hint="use --between cost travel")])
    composed = compose_file(scenario)  # read once, for the default folder and every point
    if out is None:
        name = load_variant(composed, composed.variant(None), overrides).scenario.name
        out = Path("results") / (safe_name(name) + "-pareto")
    click.echo(f"frontier of {scenario} ({points} points) into {out}")
    table = frontier(composed, points, out, overrides, echo=click.echo)
    front = table[table["non_dominated"]]
    click.echo(front[["point", "status", "total_cost", "mean_travel_min", "n_poles"]].to_string(
        index=False, float_format=lambda v: f"{v:,.1f}"))
    click.echo(f"{len(front)} non-dominated of {len(table)} points; {out / 'pareto.csv'}, {out / 'pareto.png'}")


@main.group()
def template() -> None:
    """Write blank input templates for a planner to fill in."""


@template.command("inventory")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="An .xlsx workbook, or a folder for services.csv and equipment.csv.")
@_guard
def template_inventory(source: Path, out: Path) -> None:
    """Inventory template for SOURCE (a scenario, or a territory GeoJSON): one row per commune ×
    service and per commune × machine type, with our estimates alongside."""
    from .errors import InputError, Problem
    from .services.catalogue import default_catalogue
    from .services.inventory import write_template
    from .territory import load_geojson_territory

    if out.exists() and (out.is_file() or any(out.iterdir())):
        raise InputError([Problem("--out", str(out), "already exists; choose a new file or folder (nothing was written)",
                                  show_value=False)])
    if source.suffix.lower() in (".yaml", ".yml"):
        from .prepare import load_territory
        from .scenario.load import load_scenario
        from .services.setup import _catalogue

        loaded = load_scenario(source)
        territory = load_territory(loaded)
        catalogue = _catalogue(loaded) if loaded.scenario.services is not None else default_catalogue()
    else:
        territory = load_geojson_territory(source)
        catalogue = default_catalogue()
    path = write_template(out, territory, catalogue)
    click.echo(f"Inventory template for {len(territory)} communes × {len(catalogue.services)} services: {path}")


@main.command()
@click.option("--markdown", is_flag=True, help="The key reference as a Markdown table instead of JSON Schema.")
def schema(markdown: bool) -> None:
    """Print the scenario schema (JSON Schema for editors, or the Markdown key reference)."""
    from .scenario.docs import json_schema, keys_markdown

    click.echo(keys_markdown() if markdown else json_schema(), nl=not markdown)


def summary_text(result) -> str:
    """A short table for the terminal."""
    s = result.summary
    gap = "n/a" if s.get("gap") is None else f"{100 * s['gap']:.3f} %"
    objective = "n/a" if s.get("objective") is None else f"{s['objective']:,.1f} {s['objective_unit']}"
    lines = [
        f"{s['scenario']} — {s['territory']['name']}: {s['n_communes']} communes, {s['population']:,} inhabitants",
        f"status {s['status'].upper()}   objective {objective}   gap {gap}",
        f"{s['solver']}; {s['formulation']}; {s['runtime_s']:.2f} s",
    ]
    for line in s.get("diagnosis") or []:
        lines.append(f"  - {line}")
    if s.get("status_quo_cost") is not None and s.get("total_cost") is not None:
        lines.append(_savings_line(s))
    if result.poles is not None and len(result.poles):
        lines.append("")
        lines.append(f"{'pole':<5} {'seat':<28} {'communes':>8} {'population':>11} {'longest trip':>13}")
        for r in result.poles.itertuples():
            lines.append(f"{r.pole:<5} {r.seat_name[:28]:<28} {r.n_communes:>8} {r.population:>11,} {r.max_travel_min:>9.1f} min")
        if s["n_alone"]:
            lines.append(f"{s['n_alone']} communes stay alone")
    return "\n".join(lines)


def _savings_line(s: dict) -> str:
    """Cost against the status quo, and who would pay more than alone (€ per year)."""
    paying_more = f"{s['voluntary_members_paying_more']} voluntary"
    if s.get("forced_members_paying_more"):
        paying_more += f", {s['forced_members_paying_more']} forced in"
    return (f"saves {s['savings'] / 1000:,.1f} k€ a year ({100 * s['savings_pct']:.2f} %) against the status quo "
            f"({s['status_quo_cost'] / 1000:,.1f} → {s['total_cost'] / 1000:,.1f} k€)\n"
            f"{s['services_pooled']} commune services pooled, {s['services_borrowed']} borrowing machines; "
            f"commune services paying more than alone: {paying_more}")


from .cli_init import command as _init_command  # noqa: E402  (init: built with _guard)
from .cli_sweep import commands as _sweep_commands  # noqa: E402  (sweep, compare: built with _guard)

for _command in [_init_command(_guard), *_sweep_commands(_guard, _set_option)]:
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
