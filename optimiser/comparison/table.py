"""The comparison table: one row per variant, read from result folders alone.

Everything comes from files a result folder holds (``summary.json``, ``communes.csv``, through
:meth:`optimiser.results.result.Result.from_dir`) and, for a sweep folder, from its
``sweep.json`` — so folders solved on other machines compare just as well, and variants that
failed still get a row (status and reason, no figures).

Columns, in order: ``variant`` (id), ``name`` (the variant's name), one column per key a variant
or sweep point set (dotted key), ``status``, ``gap``, ``objective`` and ``objective_unit``,
``n_poles``, ``max_travel_min`` (longest trip of a pole member to its seat, minutes),
``mean_travel_min`` (population-weighted), ``n_alone``; then, when results carry them,
``total_cost``, ``status_quo_cost``, ``savings`` and ``services_pooled``; then ``runtime_s``,
``error`` and ``folder``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..results.folder import MARKER as RESULT_MARKER
from ..results.result import Result
from ..scenario.compose import format_value
from ..scenario.load import parse_override
from ..sweeps.index import INDEX, read_index

#: Summary keys of the cost model, shown when a result has them.
COST_KEYS = ("total_cost", "status_quo_cost", "savings", "services_pooled")
#: Columns of communes.csv that hold a commune's saving, first match wins.
SAVING_COLUMNS = ("saving", "saving_eur", "savings", "savings_eur")
METRICS = ("status", "gap", "objective", "objective_unit", "n_poles", "max_travel_min", "mean_travel_min", "n_alone")


@dataclass
class Entry:
    """One variant to compare: what set it, its status and (when solved) its result."""

    id: str
    name: str | None
    values: dict
    status: str
    folder: Path | None
    result: Result | None = None
    error: str | None = None
    runtime_s: float | None = None


def _result_folders(folder: Path) -> list[Path]:
    """The result folders in ``folder``, not the hidden ones: a ``.NAME.partial-*`` folder is a
    result being written (or whose writer was killed), a ``.NAME.old-*`` one is being replaced."""
    return [sub for sub in sorted(folder.iterdir()) if not sub.name.startswith(".") and (sub / RESULT_MARKER).is_file()]


def entries(folders: list[str | Path]) -> list[Entry]:
    """The variants held by ``folders`` (each a sweep folder, a result folder, or a folder of
    result folders), in the order given."""
    out: list[Entry] = []
    problems = []
    for folder in map(Path, folders):
        if (folder / INDEX).is_file():
            out += _sweep_entries(folder)
        elif (folder / RESULT_MARKER).is_file():
            out.append(_result_entry(folder))
        elif folder.is_dir() and _result_folders(folder):
            out += [_result_entry(sub) for sub in _result_folders(folder)]
        else:
            problems.append(Problem(str(folder), "", f"not a result folder (no {RESULT_MARKER}) nor a sweep folder "
                                    f"(no {INDEX})", show_value=False,
                                    hint="give folders written by optimiser run or optimiser sweep"))
    if problems:
        raise InputError(problems, title="Nothing to compare")
    return out


def _read_result(folder: Path) -> Result:
    try:
        return Result.from_dir(folder)  # bounded and checked: a damaged file is an InputError
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError([Problem(str(folder), "", f"cannot read this result folder ({exc.__class__.__name__}: {exc})",
                                  show_value=False)]) from None


def _result_entry(folder: Path) -> Entry:
    result = _read_result(folder)
    s = result.summary
    composition = s.get("composition") or {}
    values = {**(composition.get("set") or {}), **(composition.get("sweep") or {})}
    for expression in s.get("overrides") or []:  # --set key=value
        try:
            parts, value = parse_override(expression)
        except InputError:
            continue
        values[".".join(parts)] = value
    return Entry(id=composition.get("id") or folder.name, name=composition.get("variant"), values=values,
                 status=s.get("status", "unknown"), folder=folder, result=result, runtime_s=s.get("runtime_s"))


def _sweep_entries(folder: Path) -> list[Entry]:
    index = read_index(folder)
    rows = index.get("variants", []) if isinstance(index, dict) else None
    if not isinstance(rows, list) or not all(isinstance(row, dict) and isinstance(row.get("id"), str) for row in rows):
        raise InputError([Problem(str(folder / INDEX), "variants", "not a sweep index written by optimiser (expected a "
                                  "list of variants, each with an id)", show_value=False,
                                  hint="run the sweep again to rewrite it")])
    out = []
    for row in rows:
        values = {**_mapping(row.get("set")), **_mapping(row.get("sweep"))}
        path = _variant_folder(folder, row.get("folder"))
        result = _read_result(path) if path is not None and (path / RESULT_MARKER).is_file() else None
        runtime = result.summary.get("runtime_s") if result is not None else row.get("time_s")
        out.append(Entry(id=row["id"], name=row.get("variant"), values=values, status=row.get("status", "unknown"),
                         folder=path, result=result, error=row.get("error"), runtime_s=runtime))
    return out


def _mapping(value) -> dict:
    return value if isinstance(value, dict) else {}


def _variant_folder(sweep: Path, name) -> Path | None:
    """The folder a sweep index names for a variant: inside the sweep folder, else ``None``
    (an index edited to point elsewhere — ``../../etc`` — is not followed)."""
    if not isinstance(name, str) or not name:
        return None
    path = sweep / name
    try:
        path.resolve().relative_to(sweep.resolve())
    except (ValueError, OSError, RuntimeError):
        return None
    return path


def max_travel(result: Result) -> float | None:
    """Longest trip of a pole member to its seat, minutes (communes left alone excluded)."""
    communes = result.communes
    if communes is None or not len(communes):
        return None
    placed = communes[~communes["alone"].astype(bool)]
    longest = pd.to_numeric(placed["travel_min"], errors="coerce").max() if len(placed) else None
    return None if longest is None or pd.isna(longest) else float(longest)


def resolved_value(resolved: dict | None, key: str, default):
    """The value at dotted ``key`` of a resolved scenario (what the variant really ran with,
    defaults included), else ``default``."""
    node = resolved
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def _cell(value):
    if isinstance(value, (list, tuple, dict)):
        return format_value(value)
    return value


def comparison_table(items: list[Entry]) -> pd.DataFrame:
    """One row per entry (see module docstring)."""
    keys: list[str] = []
    for e in items:
        keys += [k for k in e.values if k not in keys]
    ids = [e.id for e in items]
    rows = []
    for e in items:
        label = e.id
        if ids.count(e.id) > 1 and e.folder is not None:  # same id from two sweeps: say which
            label = f"{e.folder.parent.name}/{e.id}"
        row = {"variant": label, "name": e.name}
        resolved = e.result.resolved_scenario if e.result is not None else None
        # what the variant set, as written; for keys it left alone, what it really ran with
        row.update({k: _cell(e.values[k] if k in e.values else resolved_value(resolved, k, None)) for k in keys})
        s = e.result.summary if e.result is not None else {}
        row.update({
            "status": e.status,
            "gap": s.get("gap"),
            "objective": s.get("objective"),
            "objective_unit": s.get("objective_unit"),
            "n_poles": s.get("n_poles"),
            "max_travel_min": max_travel(e.result) if e.result is not None else None,
            "mean_travel_min": s.get("mean_travel_min"),
            "n_alone": s.get("n_alone"),
        })
        for key in COST_KEYS:
            if key in s:
                row[key] = _cell(s[key])
        row["runtime_s"] = e.runtime_s
        row["error"] = e.error
        row["folder"] = str(e.folder) if e.folder is not None else None
        rows.append(row)
    columns = ["variant", "name"] + keys + list(METRICS)
    columns += [k for k in COST_KEYS if any(k in r for r in rows)] + ["runtime_s", "error", "folder"]
    table = pd.DataFrame(rows, columns=columns)
    for column in ("gap", "objective", "max_travel_min", "mean_travel_min", "runtime_s"):
        table[column] = pd.to_numeric(table[column], errors="coerce")
    for column in ("n_poles", "n_alone"):
        table[column] = pd.to_numeric(table[column], errors="coerce").astype("Int64")
    return table


def savings_table(items: list[Entry]) -> pd.DataFrame | None:
    """Saving per commune (rows) and variant (columns), when results carry one; else ``None``."""
    columns = {}
    names = {}
    for e in items:
        communes = e.result.communes if e.result is not None else None
        if communes is None:
            continue
        column = next((c for c in SAVING_COLUMNS if c in communes.columns), None)
        if column is None:
            continue
        columns[e.id] = pd.to_numeric(communes.set_index("insee_code")[column], errors="coerce")
        names.update(dict(zip(communes["insee_code"], communes["name"])))
    if not columns:
        return None
    table = pd.DataFrame(columns)
    table.index.name = "insee_code"
    table.insert(0, "name", [names.get(c) for c in table.index])
    return table
