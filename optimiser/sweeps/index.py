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
from ..results.folder import MARKER as RESULT_MARKER
from ..results.folder import check_writable
from .plan import VariantOutcome
from .worker import write_json_atomically

#: The file that marks a folder as a sweep folder.
INDEX = "sweep.json"


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()


def check_sweep_target(folder: Path) -> None:
    """Refuse a folder that exists and is neither empty nor a sweep folder, or that cannot be
    written (before anything is solved)."""
    if not folder.exists():
        check_writable(folder)
        return
    if not folder.is_dir():
        raise InputError([Problem("--out", str(folder), "exists and is a file, not a sweep folder", show_value=False)])
    if (folder / INDEX).exists() or not any(folder.iterdir()):
        check_writable(folder / INDEX)  # the index and the variants' folders are written inside it
        return
    if (folder / RESULT_MARKER).exists():
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
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InputError([Problem(str(path), "", f"not a valid sweep index ({exc})", show_value=False)]) from None


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return str(path)
