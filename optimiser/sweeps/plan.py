"""What a sweep will do: one task per variant, its folder, and whether it is already done.

A variant is *done* when its folder holds a result whose ``summary.json`` records the same
input hash: a hash of the resolved scenario (every default filled in, files named as in the
result's ``inputs/``) and of the content of its input files. Changing any key of the variant,
or the territory file, changes the hash and the variant runs again; moving the files does not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..cache import InputCache, content_hash
from ..errors import DisconnectedTerritoryError, InputError
from ..files import GEOJSON_MAX_BYTES
from ..scenario.load import LoadedScenario

#: Statuses of a variant that has a design (the others are failures).
SOLVED = ("optimal", "feasible")


@dataclass(frozen=True)
class VariantTask:
    """One variant to solve: the validated scenario, where its result goes, its input hash, and
    the language to write it in when the command line chose one."""

    id: str
    loaded: LoadedScenario
    folder: Path
    input_hash: str
    lang: str | None = None  # the folder's language (--lang), over the variant's outputs.lang


@dataclass
class VariantOutcome:
    """What became of one variant.

    Attributes:
        id: the variant id.
        status: ``optimal`` / ``feasible`` (a design), ``infeasible`` / ``time_limit`` /
            ``error`` (the solver's word), ``invalid`` (bad input in this variant) or
            ``not-run`` (the sweep stopped before it).
        folder: the result folder, when there is a design.
        objective, gap, objective_unit: from the solve.
        time_s: wall time of the variant (prepare, solve, write), seconds.
        error: why there is no design, in plain words.
        skipped: the folder already held this exact result (resume).
        input_hash: see module docstring.
        shared_inputs: where the worker got the territory, road graph and travel matrix:
            ``computed``, ``memory`` or ``disk`` (the sweep's cache folder).
    """

    id: str
    status: str
    folder: str | None = None
    objective: float | None = None
    gap: float | None = None
    objective_unit: str | None = None
    time_s: float = 0.0
    error: str | None = None
    skipped: bool = False
    input_hash: str | None = None
    shared_inputs: str | None = None

    @property
    def solved(self) -> bool:
        return self.status in SOLVED


def prepare_each(loaded: Iterable[LoadedScenario], cache: InputCache) -> Iterator:
    """Each variant prepared through ``cache`` (commune names, road graph, shared inputs computed
    once per configuration), one by one: its :class:`~optimiser.prepare.Inputs`, or the
    :class:`InputError` / :class:`DisconnectedTerritoryError` that says why it cannot run."""
    from ..inputs.preparation import prepare

    for one in loaded:
        try:
            yield prepare(one, cache=cache)
        except (InputError, DisconnectedTerritoryError) as exc:
            yield exc


def hashed_files(loaded: LoadedScenario) -> dict[str, Path]:
    """The result's input files (:func:`optimiser.api.input_files`: an inventory folder as the
    CSV files read from it, never the rest of the folder)."""
    from ..api import input_files

    return input_files(loaded)


def input_hash(loaded: LoadedScenario) -> str:
    """Hash of the resolved scenario and of its input files' content (see module docstring)."""
    from ..api import resolved_scenario

    files = hashed_files(loaded)
    payload = {
        "scenario": resolved_scenario(loaded),
        "files": {name: (content_hash(path) if _hashable(path) else None) for name, path in files.items()},
    }
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _hashable(path: Path) -> bool:
    """Whether ``path`` is a file the loaders would read (a regular file within the largest read
    limit); any other is not hashed, and the loader says why it is refused."""
    try:
        return path.is_file() and path.stat().st_size <= GEOJSON_MAX_BYTES
    except OSError:
        return False


def previous_outcome(task: VariantTask) -> VariantOutcome | None:
    """The outcome recorded in the variant's folder, if it is this exact variant's result."""
    from ..results.reading import load_summary

    try:
        summary = load_summary(task.folder / "summary.json")  # bounded and typed; a damaged one means "run again"
    except InputError:
        return None
    recorded = (summary.composition or {}).get("input_hash")
    if recorded != task.input_hash or summary.status not in SOLVED or not (task.folder / "communes.csv").is_file():
        return None
    return VariantOutcome(id=task.id, status=summary.status, folder=str(task.folder), objective=summary.objective,
                          gap=summary.gap, objective_unit=summary.objective_unit,
                          time_s=float(summary.runtime_s or 0.0), skipped=True, input_hash=task.input_hash)
