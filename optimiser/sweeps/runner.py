"""Run every variant of a scenario file into a sweep folder, resuming where it stopped.

    DIR/sweep.json          index: each variant, what set it, status, folder (see index.py)
    DIR/<variant id>/       one result folder per solved variant (as ``optimiser run`` writes it,
                            plus variant.json; summary.json["composition"] says what made it)
    DIR/.cache/             shared inputs for worker processes (see optimiser.cache)

Order of work: every variant is composed and validated against the schema (any problem stops
the sweep before anything is solved or written); variants whose folder already holds their
exact result are skipped; the others are prepared here — which checks commune names and the
road graph, and computes each distinct territory/roads configuration once — then solved by
the chosen backend (serially, with the inputs prepared here; worker processes prepare their
own from the shared cache). A variant that fails (bad input of its own, infeasible, solver error)
does not stop the others; it is listed at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..cache import CacheStats, InputCache
from ..errors import InputError, Problem
from ..results.folder import remove_stale_partials
from ..results.i18n import check_lang, current, plural, resolve_lang, run_status_name, t, using
from ..scenario.compose import compose_file
from ..scenario.folders import default_folder
from ..scenario.load import load_variants
from .backends import BACKENDS, DaskSession, run_dask, run_processes, run_serial
from .index import check_sweep_target, now_utc, write_index
from .plan import VariantOutcome, VariantTask, input_hash, prepare_each, previous_outcome
from .worker import remove_stale_json_partials

CACHE_FOLDER = ".cache"


@dataclass
class SweepReport:
    """What a sweep did.

    Attributes:
        folder: the sweep folder.
        outcomes: one per variant, in the file's order.
        wall_s: wall-clock time of the whole sweep, seconds.
        cache: what the shared-input cache computed and reused while preparing the variants.
        interrupted: the sweep was stopped (Ctrl-C) before every variant ran.
        lang: the language of its progress lines (``--lang``, else the scenario's ``outputs.lang``,
            else ``$OPTIMISER_LANG``, else French), for the lines that follow them.
    """

    folder: Path
    scenario: Path
    outcomes: list[VariantOutcome]
    wall_s: float
    backend: str
    jobs: int
    cache: CacheStats = field(default_factory=CacheStats)
    interrupted: bool = False
    lang: str = "fr"

    @property
    def failures(self) -> list[VariantOutcome]:
        return [o for o in self.outcomes if not o.solved]

    @property
    def skipped(self) -> list[VariantOutcome]:
        return [o for o in self.outcomes if o.skipped]


def check_options(jobs: int, backend: str, scheduler: str | None) -> None:
    problems = []
    if backend not in BACKENDS:
        problems.append(Problem("--backend", "", f"expected one of {', '.join(BACKENDS)}", backend))
    if jobs < 1:
        problems.append(Problem("--jobs", "", "expected a whole number of parallel jobs, at least 1", jobs))
    if scheduler and backend != "dask":
        problems.append(Problem("--scheduler", "", "a scheduler address needs --backend dask", scheduler))
    if problems:
        raise InputError(problems, title="Invalid options")


def run_sweep(scenario: str | Path, out: str | Path | None = None, *, jobs: int = 1, backend: str = "process",
              scheduler: str | None = None, overrides: tuple[str, ...] | list[str] = (),
              echo: Callable[[str], None] | None = None, lang: str | None = None) -> SweepReport:
    """Solve every variant of ``scenario`` into ``out`` (see module docstring).

    ``lang`` (``fr``/``en``): the language of every variant's folder, over its ``outputs.lang``,
    and of the progress lines; ``None``: each variant's own setting.
    Raises :class:`~optimiser.errors.InputError` for a bad scenario or option (nothing written).
    Failed variants do not raise: see :attr:`SweepReport.failures`.
    """
    lang = check_lang(lang) if lang is not None else None
    echo = echo or (lambda _line: None)
    started = time.perf_counter()
    check_options(jobs, backend, scheduler)
    scenario = Path(scenario)
    composed = compose_file(scenario)
    loaded_all = load_variants(composed, overrides)
    terminal = resolve_lang(lang, loaded_all[0].scenario.outputs.lang)  # the progress lines' language
    folder = Path(out) if out is not None else default_folder(loaded_all[0])
    folder = folder.absolute()
    check_sweep_target(folder)

    tasks = [VariantTask(id=v.id, loaded=loaded, folder=folder / v.id, input_hash=input_hash(loaded), lang=lang)
             for v, loaded in zip(composed.variants, loaded_all)]
    variants = [v.provenance() for v in composed.variants]
    header = {"scenario_file": str(scenario), "overrides": list(overrides), "backend": backend, "jobs": jobs,
              "started_utc": now_utc(), "finished": False}
    n = len(tasks)
    outcomes: dict[str, VariantOutcome] = {}

    for task in tasks:
        done = previous_outcome(task)
        if done is not None:
            outcomes[task.id] = done
    if outcomes:
        with using(terminal):
            echo(plural(len(outcomes), "sweep.resuming", total=n))

    cache = InputCache()
    pending = [task for task in tasks if task.id not in outcomes]
    # One variant left to solve gains nothing from a pool: a fresh process would import the
    # package (3-5 CPU-s) to solve what this one solves at once, as with --jobs 1.
    serial = backend != "dask" and (jobs == 1 or len(pending) <= 1)
    todo: list[VariantTask] = []
    prepared = {}  # variant id → its Inputs, kept for a serial sweep (workers prepare their own)
    for task, inputs in zip(pending, prepare_each((p.loaded for p in pending), cache)):
        if isinstance(inputs, Exception):
            outcomes[task.id] = VariantOutcome(id=task.id, status="invalid", error=str(inputs), input_hash=task.input_hash)
            echo(progress_line(len(outcomes), n, outcomes[task.id], terminal))
            continue
        todo.append(task)
        if serial:
            prepared[task.id] = inputs
    stats = cache.stats.copy()  # the parent prepared every variant to run: this is the sharing

    session = DaskSession(jobs, scheduler) if todo and backend == "dask" else None  # fails before writing
    interrupted = False
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # What a sweep killed outright left half written: variant folders and index files.
        remove_stale_partials(folder)
        for place in [folder, *(task.folder for task in tasks)]:
            remove_stale_json_partials(place)
        write_index(folder, header, variants, outcomes)
        if todo:
            if serial:
                stream = run_serial(todo, cache, prepared)
            else:
                cache.save(folder / CACHE_FOLDER)
                cache_folder = str(folder / CACHE_FOLDER)
                stream = run_dask(todo, session, cache_folder) if session else run_processes(todo, jobs, cache_folder)
            try:
                for outcome in stream:
                    outcomes[outcome.id] = outcome
                    echo(progress_line(len(outcomes), n, outcome, terminal))
                    write_index(folder, header, variants, outcomes)
            except KeyboardInterrupt:
                interrupted = True
                try:
                    stream.close()
                except BaseException:  # a second Ctrl-C while workers stop: keep what we have
                    pass
    finally:
        if session is not None:
            session.close()
    for task in tasks:
        outcomes.setdefault(task.id, VariantOutcome(id=task.id, status="not-run", input_hash=task.input_hash))
    header["finished"] = not interrupted
    write_index(folder, header, variants, outcomes)
    return SweepReport(folder=folder, scenario=scenario, outcomes=[outcomes[t.id] for t in tasks],
                       wall_s=time.perf_counter() - started, backend=backend, jobs=jobs, cache=stats,
                       interrupted=interrupted, lang=terminal)


def progress_line(k: int, n: int, outcome: VariantOutcome, lang: str | None = None) -> str:
    """``[ 3/50] base__poles.count=5  optimal  297,570.5 person-minutes  gap 0.000 %  0.41 s`` in
    English; in French ``… réalisable  297 570,5 personnes-minutes  écart 0,000 %  0,41 s``
    (``lang``; ``None``: the language being written)."""
    with using(lang):
        return _progress_line(k, n, outcome)


def _progress_line(k: int, n: int, outcome: VariantOutcome) -> str:
    from ..results.html import fmt
    from ..results.sections import objective_unit_words

    width = len(str(n))
    head = f"[{k:>{width}}/{n}] {outcome.id}  {run_status_name(outcome.status)}"
    if outcome.objective is not None:
        unit = objective_unit_words({"objective_unit": outcome.objective_unit}) if current() == "fr" else outcome.objective_unit
        head += f"  {fmt.number(outcome.objective, 1)} {unit or ''}".rstrip()
    if outcome.gap is not None and outcome.solved:
        head += "  " + t("sweep.gap", gap=f"{fmt.number(100 * outcome.gap, 3)} %")
    head += f"  {fmt.number(outcome.time_s, 2)} s"
    if outcome.error and not outcome.solved:
        head += "  — " + first_line(outcome.error, limit=160)
    return head


def first_line(text: str, limit: int | None = None) -> str:
    """The gist of an error: its first problem (or diagnosis) line, saying how many follow."""
    lines = [line.strip() for line in str(text).splitlines() if line.strip()]
    if not lines:
        return ""
    if len(lines) > 1 and lines[1].startswith("- "):  # an InputError: title, then "- problem" lines
        lines = [line[2:] for line in lines[1:]]
    head = lines[0]
    if limit is not None and len(head) > limit:
        head = head[: limit - 1] + "…"
    return head + (f" (+{len(lines) - 1} more)" if len(lines) > 1 else "")
