"""Command line: ``optimiser run | validate | verify | pareto | robustness | template | bilan | schema | init | sweep | compare``.

One click group, :func:`main`; every command is a plain ``click.command`` declared once (here, in
:mod:`optimiser.cli_init` or in :mod:`optimiser.cli_sweep`) and registered in :data:`COMMANDS`. The
group runs each of them inside :func:`_guard`, so they all report errors the same way. Heavy
modules (pandas, the solvers, matplotlib) are imported inside the commands: ``--help`` is instant.

Exit codes: 0 a design was found (optimal or feasible) / the check passed; 2 bad input (scenario,
data file, option); 3 no design (infeasible, time limit without a solution, solver error);
4 ``verify`` found a violation; 1 an internal error (a bug: please report it with ``--debug``).
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from ._version import __version__
from .cli_init import init
from .cli_options import lang_option, set_option
from .cli_sweep import compare, sweep
from .errors import EXIT_INPUT, EXIT_NO_RESULT, EXIT_VIOLATION, OptimiserError

_DEBUG = False
#: Exit code when the reader of the output went away (`| head`): 128 + SIGPIPE, what a shell
#: reports for any tool stopped that way.
EXIT_CLOSED_PIPE = 141


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
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise  # click's own: a bad option, --help of a command; click reports them with its exit codes
        except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_CLOSED_PIPE)
        except OSError as exc:  # the machine, not a bug: a full disk, a read-only folder, a path through a file
            if _DEBUG:
                raise
            from .errors import FileSystemError

            click.echo(f"error: {FileSystemError(exc)}", err=True)
            sys.exit(FileSystemError.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted; nothing was written", err=True)
            sys.exit(130)
        except MemoryError:  # the machine, not a bug: the input is beyond what this computer holds
            if _DEBUG:
                raise
            click.echo("error: the computer ran out of memory; nothing was written. Try a smaller territory or "
                       "sweep, or close other programs", err=True)
            sys.exit(EXIT_INPUT)
        except Exception as exc:  # a bug: say so plainly, keep the traceback for --debug
            if _DEBUG:
                raise
            click.echo(f"internal error: {exc.__class__.__name__}: {exc}\n"
                       "This is a bug in optimiser; run again with --debug for the traceback.", err=True)
            sys.exit(1)

    return wrapper


class _GuardedGroup(click.Group):
    """A click group that runs its commands (option parsing included) inside :func:`_guard`."""

    def invoke(self, ctx: click.Context):
        return _guard(super().invoke)(ctx)


@click.group(cls=_GuardedGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="optimiser")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of plain error messages.")
def main(debug: bool) -> None:
    """Design proximity poles and pooled technical services for French communes."""
    global _DEBUG
    _DEBUG = debug
    from .errors import show_input_warnings

    show_input_warnings(lambda line: click.echo(line, err=True))  # a repaired polygon: one plain line


@click.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Result folder (default: outputs.dir or results/<name>).")
@set_option
@click.option("--variant", metavar="ID", help="With variants or a sweep in SCENARIO: solve this one (default: base).")
@click.option("--quiet", is_flag=True, help="Print only where the results are.")
@lang_option
@click.option("--pdf", is_flag=True, help="Also print report.pdf and fiches/NNNNN.pdf (needs Chromium).")
def run(scenario: Path, out: Path | None, overrides: tuple[str, ...], variant: str | None, quiet: bool,
        lang: str | None, pdf: bool) -> None:
    """Solve SCENARIO and write its result folder."""
    from .results.folder import check_target
    from .scenario.folders import default_folder
    from .scenario.load import load_scenario

    # The scenario and the target are checked before the solver stack is imported (pandas,
    # networkx, PuLP, HiGHS: 1.2 CPU-s of the 1.9 a start costs): a typo is reported at once.
    loaded = load_scenario(scenario, overrides, variant=variant)
    if variant is None and loaded.variant is not None:
        click.echo(f"note: {scenario} has variants or a sweep; solving {loaded.variant} "
                   "(choose one with --variant ID; list them with optimiser validate; solve all with optimiser sweep)", err=True)
    target = out or default_folder(loaded)
    check_target(target.absolute())  # fail before solving, not after
    if pdf:
        from .results.pdf import INSTALL_HINT, find_chromium

        if find_chromium() is None:  # fail before solving, not after
            from .errors import InputError, Problem

            raise InputError([Problem("--pdf", "", "needs Chromium to print the reports, and none was found",
                                      show_value=False, hint=INSTALL_HINT)])
    from .robustness.robust_design import solve  # the nominal design, or the robust one when asked

    result = solve(loaded)
    lang = result.lang(lang)
    # The folder is written before anything is printed, so a closed pipe (`| head`) cannot lose it.
    folder = result.to_dir(target, draw=loaded.scenario.outputs.map, lang=lang) if result.has_design else None
    if folder is not None and pdf:
        from .results.pdf import print_result

        print_result(folder)
    if not quiet:
        click.echo(summary_text(result, lang))
    from .results.i18n import t, using

    with using(lang):
        if folder is None:
            click.echo(t("cli.no_folder", status=result.status), err=True)
            sys.exit(EXIT_NO_RESULT)
        main_files = "report.html, report.md, map.png, communes.csv, poles.csv"
        if result.typed_summary.services is not None:
            main_files += ", services.csv, equipment.csv, shares.csv, savings.png, fiches/"
        click.echo(t("cli.results", folder=folder, files=main_files + ", summary.json"))


@click.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@set_option
def validate(scenario: Path, overrides: tuple[str, ...]) -> None:
    """Check SCENARIO (schema, communes, data files, road graph) without solving it; with
    variants or a sweep, check every one of them and list them."""
    from .inputs.preparation import prepare
    from .model.candidates import candidate_pairs
    from .model.diagnose import presolve_findings
    from .scenario.compose import compose_file
    from .scenario.load import load_variant

    composed = compose_file(scenario)
    if composed.composed:
        return _validate_variants(composed, overrides)
    loaded = load_variant(composed, composed.variant(None), overrides)
    if loaded.scenario.roadmap is not None:  # the communes a roadmap names, checked before any solve
        from .roadmap import steady_state_scenario

        loaded = steady_state_scenario(loaded)
    inputs = prepare(loaded)
    _check_uncertainty(loaded, inputs)
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


def _check_uncertainty(loaded, inputs) -> None:
    """The ``uncertainty`` block against the parameters the cost model reads for this scenario
    (an unknown name, a group matching nothing, a parameter in two groups...), as ``optimiser
    robustness`` would find it: validate says so rather than the analysis, later."""
    if loaded.scenario.uncertainty is None or loaded.scenario.services is None:
        return
    from .inputs.world import uncertain_parameters

    uncertain_parameters(loaded, inputs.territory, inputs.matrix, inputs.rules.service_commun)


def _validate_variants(composed, overrides: tuple[str, ...]) -> None:
    """``optimiser validate`` for a file with variants or a sweep: check each, list them."""
    from .cache import InputCache
    from .errors import InputError
    from .model.candidates import candidate_pairs
    from .model.diagnose import presolve_findings
    from .scenario.load import load_variants, merge_variant_errors
    from .sweeps.plan import prepare_each

    loaded_all = load_variants(composed, overrides)
    cache = InputCache()
    prepared, failures = [], []
    for loaded, inputs in zip(loaded_all, prepare_each(loaded_all, cache)):
        if not isinstance(inputs, Exception):
            try:
                _check_uncertainty(loaded, inputs)
            except InputError as exc:
                inputs = exc
        if isinstance(inputs, Exception):
            error = inputs if isinstance(inputs, InputError) else InputError([], title=str(inputs))
            failures.append((loaded.variant, error))
        else:
            prepared.append(inputs)
    if failures:
        raise merge_variant_errors(str(composed.source), failures, len(loaded_all))
    t = prepared[0].territory
    click.echo(f"{composed.source}: {len(prepared)} variants, all valid — {len(t)} communes, "
               f"{int(t.communes['population'].sum()):,} inhabitants; {cache.stats.configurations} "
               f"territory/roads configuration(s)")
    width = min(max(len(v.id) for v in composed.variants), 60)
    hopeless = 0
    for variant, inputs in zip(composed.variants, prepared):
        findings = []
        if inputs.rules.mode == "poles":
            pairs = candidate_pairs(inputs.territory, inputs.matrix, inputs.rules)
            findings = presolve_findings(inputs.territory, inputs.matrix, inputs.rules, pairs)
        click.echo(f"  {variant.id:<{width}}  {variant.describe() or '(the file as written)'}")
        if findings:
            hopeless += 1
            for line in findings:
                click.echo(f"      cannot have a solution: {line}", err=True)
    if hopeless:
        click.echo(f"{hopeless} variant(s) cannot have a solution (see above)", err=True)
        sys.exit(EXIT_NO_RESULT)


@click.command()
@click.argument("result_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
def verify(result_dir: Path) -> None:
    """Re-check RESULT_DIR (or a bilan folder) from its files alone; exit 4 on any violation."""
    from .verify import verify_result

    if (result_dir / "bilan.json").is_file():
        from .bilan.check import verify_bilan

        outcome = verify_bilan(result_dir)
    else:
        outcome = verify_result(result_dir)
    for name in outcome.passed:
        click.echo(f"ok    {name}")
    for line in outcome.violations:
        click.echo(f"FAIL  {line}")
    if not outcome.ok:
        click.echo(f"{len(outcome.violations)} violation(s) in {result_dir}", err=True)
        sys.exit(EXIT_VIOLATION)
    click.echo(f"{result_dir}: all {len(outcome.passed)} checks passed")


@click.command()
@click.argument("scenario", type=click.Path(path_type=Path))
@click.option("--between", nargs=2, default=("cost", "travel"), show_default=True, metavar="A B",
              help="The two objectives of the frontier (only cost and travel today).")
@lang_option
@click.option("--points", type=click.IntRange(min=2), default=5, show_default=True,
              help="Points on the frontier, the two ends included.")
@click.option("--out", type=click.Path(path_type=Path), help="Folder for the points and pareto.csv / pareto.png.")
@set_option
def pareto(scenario: Path, between: tuple[str, str], points: int, out: Path | None, overrides: tuple[str, ...],
           lang: str | None) -> None:
    """Cost / travel trade-off of SCENARIO by the ε-constraint method: each point a full result."""
    from .errors import InputError, Problem
    from .scenario.compose import compose_file
    from .scenario.folders import safe_name
    from .scenario.load import load_variant
    from .tradeoff import frontier

    if sorted(between) != ["cost", "travel"]:
        raise InputError([Problem("--between", " ".join(between), "the frontier is between cost and travel",
                                  show_value=False, hint="use --between cost travel")])
    if lang:  # every point's folder is written in it, over the scenario's outputs.lang
        overrides = (*overrides, f"outputs.lang={lang.lower()}")
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


@click.command()
@click.argument("target", metavar="RESULT_DIR|SCENARIO", type=click.Path(path_type=Path, exists=True))
@click.option("--samples", type=int, help="Sampled worlds (default: uncertainty.samples, 1000).")
@click.option("--seed", type=int, help="Seed of the draws (default: uncertainty.seed, 0).")
@click.option("--resolve-top", type=int, help="Tornado factors re-solved at each end (default: uncertainty.resolve_top, 3).")
@click.option("--worlds", type=int, help="Worlds re-solved for decision stability, 0 to skip (default: uncertainty.worlds, 20).")
@click.option("--world-time-limit", "world_time_limit_s", type=float,
              help="Time limit of each re-solved world, seconds (default: uncertainty.world_time_limit_s, 60).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worlds re-solved at the same time (worker processes of the sweep).")
@click.option("--backend", type=click.Choice(["process", "dask"]), default="process", show_default=True,
              help="Where the worlds are solved, as for optimiser sweep.")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler (tcp://host:8786) for --backend dask.")
@click.option("--out", type=click.Path(path_type=Path), help="Robustness folder (default: <result>-robustness).")
@set_option
@lang_option
def robustness(target: Path, samples: int | None, seed: int | None, resolve_top: int | None, worlds: int | None,
               world_time_limit_s: float | None, jobs: int, backend: str, scheduler: str | None, out: Path | None,
               overrides: tuple[str, ...], lang: str | None) -> None:
    """How sure the saving of a design is, which parameters decide it, and how stable its decisions are."""
    import shutil

    from .api import input_files
    from .results.folder import check_target
    from .results.i18n import resolve_lang
    from .robustness.folder import KIND, MARKER, write_folder
    from .robustness.run import load_target, resolved_block
    from .robustness.run import robustness as analyse_robustness
    from .sweeps.runner import check_options, run_sweep

    _check_uncertainty_options(samples=samples, seed=seed, resolve_top=resolve_top, worlds=worlds,
                               world_time_limit_s=world_time_limit_s)
    check_options(jobs, backend, scheduler)
    lang = resolve_lang(lang)
    folder = out or Path(str(target).rstrip("/").removesuffix(".yaml").removesuffix(".yml") + "-robustness")
    check_target(folder.absolute(), MARKER, KIND)
    # the worlds' sweep runs here first (resumable), then moves into the folder with the rest
    staging = folder.absolute().parent / f"{folder.absolute().name}.worlds-sweep"
    loaded, inputs, design = load_target(target, overrides)
    result = analyse_robustness(loaded, inputs, design, samples, seed, resolve_top, worlds, world_time_limit_s, staging,
                                {"jobs": jobs, "backend": backend, "scheduler": scheduler}, click.echo, run_sweep)
    names = {c: inputs.territory.name_of(c) for c in inputs.territory.codes}
    config = loaded.scenario.uncertainty
    law = config.distribution if config else "triangular"
    st = result.stability
    resolved = resolved_block(loaded, samples=result.samples, seed=result.seed,
                              worlds=st.counts["worlds"] if st is not None else 0,
                              world_time_limit_s=st.time_limit_s if st is not None else None)
    written = write_folder(folder, result, names, resolved, law, input_files(loaded), staging if st is not None else None, lang)
    if st is not None:
        shutil.rmtree(staging, ignore_errors=True)  # copied into the folder as worlds/
    q = result.percentiles()
    click.echo(f"P(saving > 0) = {result.probability_saving:.4f} over {result.samples:,} worlds (seed {result.seed}); "
               f"saving P10 {q['p10']:,.0f} · P50 {q['p50']:,.0f} · P90 {q['p90']:,.0f} €/yr")
    click.echo("Top of the tornado: " + ", ".join(f.name for f in result.factors[:5]))
    if st is not None:
        c = st.counts
        click.echo(f"Decision stability: {c['worlds']} worlds re-solved ({st.time_limit_s:g} s each at most): "
                   f"{c['optimal']} proven optimal, {c['feasible']} feasible with a gap, {c['failed']} without a design")
    click.echo(f"Results: {written}  (robustness.md, robustness.html, robustness.csv, tornado.png, worlds.csv"
               + (", stability_*.csv, stability.png" if st is not None else "") + ")")


def _check_uncertainty_options(**given) -> None:
    """Refuse ``--samples``, ``--seed``, ``--resolve-top`` outside the ranges of the scenario keys
    they stand for (``uncertainty.samples``, ...): one schema, one message."""
    from pydantic import ValidationError

    from .errors import InputError, Problem
    from .scenario.schema import UncertaintyConfig

    try:
        UncertaintyConfig(**{k: v for k, v in given.items() if v is not None})
    except ValidationError as exc:
        raise InputError([Problem(None, "--" + str(e["loc"][0]).replace("_", "-"), f"{e['msg']} "
                                  f"(as uncertainty.{e['loc'][0]})", e.get("input")) for e in exc.errors()]) from None


@click.group()
def template() -> None:
    """Write blank input templates for a planner to fill in."""


@template.command("inventory")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="An .xlsx workbook, or a folder for services.csv and equipment.csv.")
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
        from .inputs.preparation import load_territory
        from .inputs.service_inputs import scenario_catalogue
        from .scenario.load import load_scenario

        loaded = load_scenario(source)
        territory = load_territory(loaded)
        catalogue = scenario_catalogue(loaded) if loaded.scenario.services is not None else default_catalogue()
    else:
        territory = load_geojson_territory(source)
        catalogue = default_catalogue()
    path = write_template(out, territory, catalogue)
    click.echo(f"Inventory template for {len(territory)} communes × {len(catalogue.services)} services: {path}")


@template.command("actuals")
@click.argument("result_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The .xlsx workbook to write.")
@click.option("--year", type=str, default=None, help="The roadmap year to evaluate (a roadmap result only).")
@lang_option
def template_actuals(result_dir: Path, out: Path, year: str | None, lang: str | None) -> None:
    """Actuals template for the plan in RESULT_DIR: one row per pole service and per commune ×
    service of each period, the planned figures alongside, blank cells for what happened."""
    from .bilan.actuals import readme_rows, template_sheets
    from .bilan.plan import read_plan
    from .bilan.words import BILAN_MESSAGES  # noqa: F401  (registers the words)
    from .errors import InputError, Problem
    from .results.folder import check_writable
    from .results.i18n import resolve_lang, t, using
    from .services.inventory import write_workbook

    if out.suffix.lower() != ".xlsx":
        raise InputError([Problem("--out", str(out), "expected an .xlsx workbook", show_value=False)])
    if out.exists():
        raise InputError([Problem("--out", str(out), "already exists; choose a new file (nothing was written)",
                                  show_value=False)])
    check_writable(out.absolute())
    plan = read_plan(result_dir, period=year)
    with using(resolve_lang(lang)):
        readme = [("", t("bilan.readme.intro"))] + readme_rows()
    path = write_workbook(out, template_sheets(plan, readme))
    click.echo(f"Actuals template for {len(plan.poles)} pole services and {len(plan.communes)} commune services "
               f"(period {plan.period}): {path}")


@click.command()
@click.argument("result_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.argument("actuals", type=click.Path(path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), help="Bilan folder (default: RESULT_DIR-bilan).")
@click.option("--no-replan", is_flag=True, help="Do not re-solve the plan with the recalibrated parameters.")
@click.option("--year", type=str, default=None, help="The roadmap year to evaluate (a roadmap result only).")
@lang_option
def bilan(result_dir: Path, actuals: Path, out: Path | None, no_replan: bool, year: str | None, lang: str | None) -> None:
    """Plan in RESULT_DIR against ACTUALS (an actuals workbook): deviations and their causes,
    indicators, recalibrated parameters, the plan re-run with them, and the decision."""
    from .bilan.folder import run_bilan

    folder = out or Path(str(result_dir).rstrip("/") + "-bilan")
    path, o = run_bilan(result_dir, actuals, folder, lang=lang, replan=not no_replan, year=year)
    k = o.bilan.key_figures
    click.echo(f"period {k['period']}: planned {k['plan_total_eur']:,.0f} → actual {k['actual_total_eur']:,.0f} €/yr; "
               f"saving realised {k['saving_realised_eur']:,.0f} of {k['planned_saving_eur']:,.0f} planned "
               f"({k['saving_realisation_rate']:.0%})")
    if o.replanned is not None:
        click.echo(f"re-planned with {len(o.estimates)} recalibrated parameter(s): saving {o.replanned['savings']:,.0f} €/yr"
                   + (" (steady state: the roadmap's remaining years are not re-run, see bilan.md)"
                      if o.replanned.get("scope") == "steady_state" else ""))
    click.echo(f"decision: {o.decision.outcome}; {len(o.bilan.missing)} missing actual(s) (missing.csv)")
    click.echo(f"Bilan: {path}  (bilan.html, bilan.md, deviations.csv, recalibration.csv, recalibrated.yaml)")


@click.command()
@click.option("--markdown", is_flag=True, help="The key reference as a Markdown table instead of JSON Schema.")
def schema(markdown: bool) -> None:
    """Print the scenario schema (JSON Schema for editors, or the Markdown key reference)."""
    from .scenario.docs import json_schema, keys_markdown

    click.echo(keys_markdown() if markdown else json_schema(), nl=not markdown)


def summary_text(result, lang: str | None = None) -> str:
    """A short table for the terminal, in ``lang`` (see :meth:`optimiser.results.result.Result.lang`)."""
    from .results.summary_text import summary_text as text

    return text(result, result.lang(lang))


#: Every command of the group, each declared once with plain click decorators.
COMMANDS = (run, validate, verify, pareto, robustness, template, bilan, schema, init, sweep, compare)
for _command in COMMANDS:
    main.add_command(_command)

if __name__ == "__main__":  # pragma: no cover
    main()
