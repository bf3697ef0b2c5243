"""Solve one variant into its folder; never raise: every failure becomes an outcome.

:func:`run_variant` is what a process pool or a Dask worker calls. Each worker process keeps one
:class:`optimiser.cache.InputCache` per cache folder, so a territory is read once per process
at most (and not at all when the parent already wrote it to the folder).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path

from ..cache import InputCache
from ..errors import DisconnectedTerritoryError, InputError, OptimiserError, describe_os_error
from ..results.folder import with_path
from .plan import VariantOutcome, VariantTask

_CACHES: dict[str | None, InputCache] = {}


def worker_cache(folder: str | None) -> InputCache:
    """This process's cache for ``folder`` (memory only when ``None``)."""
    if folder not in _CACHES:
        _CACHES[folder] = InputCache(folder)
    return _CACHES[folder]


def run_variant(task: VariantTask, cache_folder: str | None = None) -> VariantOutcome:
    """Entry point for worker processes: :func:`solve_variant` with this process's cache."""
    return solve_variant(task, worker_cache(cache_folder))


def solve_variant(task: VariantTask, cache: InputCache | None = None, inputs=None) -> VariantOutcome:
    """Prepare (through ``cache``) unless ``inputs`` (this variant's
    :class:`~optimiser.inputs.Inputs`, prepared in this process) are given, solve, and write
    the result folder atomically."""
    from ..inputs.preparation import prepare
    from ..robustness.robust_design import solve  # the nominal design, or the robust one when asked

    start = time.perf_counter()
    outcome = VariantOutcome(id=task.id, status="error", input_hash=task.input_hash)
    try:
        if inputs is not None:
            outcome.shared_inputs = "memory"
        else:
            before = (cache.stats.computed, cache.stats.disk_hits) if cache is not None else None
            inputs = prepare(task.loaded, cache=cache)
            if cache is not None:
                computed, disk = cache.stats.computed - before[0], cache.stats.disk_hits - before[1]
                outcome.shared_inputs = "computed" if computed else ("disk" if disk else "memory")
        # Ctrl-C stops a sweep (it resumes later): the variant being solved is not kept half-solved.
        result = solve(task.loaded, inputs, on_interrupt="discard")
        s = result.typed_summary
        outcome.status = s.status
        outcome.objective, outcome.gap, outcome.objective_unit = s.objective, s.gap, s.objective_unit
        if not result.has_design:
            reasons = s.diagnosis or s.messages or []
            outcome.error = "\n".join(reasons) or f"no design ({s.status})"
        else:
            provenance = dict(task.loaded.composition)
            provenance["input_hash"] = task.input_hash
            result.summary["composition"] = provenance  # written into summary.json: the resume check reads it
            folder = result.to_dir(task.folder, draw=task.loaded.scenario.outputs.map, lang=task.lang)
            write_json_atomically(folder / "variant.json", {**provenance, "status": s.status,
                                                             "scenario_file": s.scenario_file})
            outcome.folder = str(folder)
    except (InputError, DisconnectedTerritoryError) as exc:
        outcome.status, outcome.error = "invalid", str(exc)
    except OptimiserError as exc:
        outcome.status, outcome.error = "error", str(exc)
    except OSError as exc:  # the machine, not a bug: a full disk, a read-only folder
        outcome.status, outcome.error = "error", describe_os_error(exc)
    except Exception as exc:  # a bug: keep the sweep going, say what it was
        outcome.status, outcome.error = "error", f"internal error: {exc.__class__.__name__}: {exc}"
    outcome.time_s = time.perf_counter() - start
    return outcome


#: ``.sweep.json.partial-XXXXXXXX.tmp``: what :func:`write_json_atomically` writes before its
#: rename, left behind only by a writer killed outright (see :func:`remove_stale_json_partials`).
JSON_PARTIAL = re.compile(r"^\.(sweep|variant)\.json\.partial-[A-Za-z0-9_]+\.tmp$")
#: Such a file older than this is a dead writer's (a JSON file of a few kB is written in
#: milliseconds), seconds.
JSON_STALE_AFTER_S = 3600.0


def remove_stale_json_partials(folder: Path, now: float | None = None) -> list[Path]:
    """Remove from ``folder`` (a sweep folder or a variant's) the temporary files of index
    writers that died: our exact names (:data:`JSON_PARTIAL`), regular files, older than
    :data:`JSON_STALE_AFTER_S`. A file carries no marker, so the name and the age are the proof;
    a live writer's file is seconds old."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        try:
            if (JSON_PARTIAL.match(entry.name) and entry.is_file(follow_symlinks=False)
                    and now - entry.stat(follow_symlinks=False).st_mtime > JSON_STALE_AFTER_S):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def write_json_atomically(path: Path, data) -> None:
    """Write a JSON file in one rename (readers never see half of it)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.partial-", suffix=".tmp", dir=path.parent)  # see JSON_PARTIAL
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, ensure_ascii=False, default=str)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        raise with_path(exc, path)  # noqa: B904 (with_path re-raises exc or chains it as the cause)
