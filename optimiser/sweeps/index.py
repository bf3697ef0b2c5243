"""``sweep.json``: the index of a sweep folder — each variant, what set it, its status and folder.

It marks a folder as a sweep folder (so a sweep never writes into a folder of other files), and
it is what ``optimiser compare SWEEP_DIR`` reads first, failures included.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict
from pathlib import Path

from ..errors import InputError, Problem
from ..files import MB, read_text
from ..results.folder import MARKER as RESULT_MARKER
from ..results.folder import check_writable, holds_marker
from .plan import VariantOutcome
from .worker import write_json_atomically

#: The file that marks a folder as a sweep folder.
INDEX = "sweep.json"
#: Largest sweep index read (one entry per variant is a few hundred bytes; runs are capped at 10,000).
INDEX_MAX_BYTES = 64 * MB


def now_utc() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat()


def check_sweep_target(folder: Path) -> None:
    """Refuse a folder that exists and is neither empty nor a sweep folder, or that cannot be
    written (before anything is solved)."""
    if not folder.exists():
        check_writable(folder)
        return
    if not folder.is_dir():
        raise InputError([Problem("--out", str(folder), "exists and is a file, not a sweep folder", show_value=False)])
    if holds_marker(folder, INDEX) or not any(folder.iterdir()):
        check_writable(folder / INDEX)  # the index and the variants' folders are written inside it
        return
    if (folder / INDEX).exists():  # a planner's own sweep.json, or one damaged: never overwritten
        raise InputError([Problem("--out", str(folder), f"holds a {INDEX} that optimiser did not write (or that is "
                                  "damaged); choose another folder (nothing was written)", show_value=False)])
    if holds_marker(folder, RESULT_MARKER):
        raise InputError([Problem("--out", str(folder), "is the result folder of a single run, not a sweep folder; "
                                  "choose another folder (nothing was written)", show_value=False)])
    raise InputError([Problem("--out", str(folder), f"exists, is not empty and has no {INDEX}; choose another "
                              "folder (nothing was written)", show_value=False)])


def write_index(folder: Path, header: dict, variants: list[dict], outcomes: dict[str, VariantOutcome]) -> None:
    """Write ``sweep.json``: the header, then one entry per variant in the file's order."""
    rows = []
    counts: dict[str, int] = {}
    for v in variants:
        outcome = outcomes.get(v["id"])
        row = dict(v)
        if outcome is None:
            row.update(status="pending", folder=None)
        else:
            data = asdict(outcome)
            data.pop("id")
            if data["folder"]:
                data["folder"] = _relative(Path(data["folder"]), folder)
            row.update(data)
        counts[row["status"]] = counts.get(row["status"], 0) + 1
        rows.append(row)
    write_json_atomically(folder / INDEX, {**header, "updated_utc": now_utc(), "n_variants": len(rows),
                                           "counts": counts, "variants": rows})


def read_index(folder: Path) -> dict:
    path = Path(folder) / INDEX
    text = read_text(path, str(path), INDEX_MAX_BYTES, what="sweep index")  # bounded: an index is a few MB at most
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise InputError([Problem(str(path), "", f"not a valid sweep index ({str(exc)[:200] or 'nested too deeply'})",
                                  show_value=False)]) from None
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), "", "not a sweep index written by optimiser (expected a JSON object)",
                                  type(data).__name__)])
    return data


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path)
