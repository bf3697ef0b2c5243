"""``optimiser verify BILAN_DIR``: the bilan re-computed from its own folder.

From ``plan/`` (the plan's files as evaluated) and ``inputs/`` (the actuals), whose sha256 must
be those ``bilan.json`` recorded, every table is computed again and compared with the folder's
CSV files and key figures (to 0.01 € or 1e-6 relative); each deviation's split must add up to
it; the decision must follow from the figures by the rule; the re-planned saving must be the one
``replan/summary.json`` holds. A file missing or unreadable is an input error (exit 2); a figure
that differs is a violation (exit 4).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..results.reading import read_csv
from ..verification.record import Verification
from .actuals import read_actuals
from .decomposition import CAUSES
from .folder import MARKER, PLAN_DIR, REPLAN_DIR, evaluate
from .plan import file_hashes, read_plan
from .recalibration import table

#: The tables compared, with the columns that name a row.
TABLES = {"poles_bilan.csv": ("period", "pole", "service"), "deviations.csv": ("period", "pole", "service", "category"),
          "communes_bilan.csv": ("insee_code",), "recalibration.csv": ("parameter",)}


def _close(a, b) -> bool:
    a_missing = a is None or a == "" or (isinstance(a, float) and math.isnan(a))
    b_missing = b is None or b == "" or (isinstance(b, float) and math.isnan(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= max(0.01, 1e-6 * abs(float(b)))
    return str(a) == str(b)


def _as_number(value):
    """``pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]``: one cell as a number, NaN
    where it is not one. A float or a 64-bit integer (nearly every cell) is converted directly to
    the NumPy scalar that call gives: building a one-element Series per cell was most of the
    time ``verify`` spent on a bilan's tables."""
    if type(value) in (float, np.float64):
        return np.float64(value)
    if (type(value) is int and -2**63 <= value < 2**63) or type(value) is np.int64:
        return np.int64(value)
    return pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]


def _frame_problems(name: str, written: pd.DataFrame, computed: pd.DataFrame, keys) -> list[str]:
    problems = []
    if len(written) != len(computed):
        return [f"{name}: {len(written)} rows, re-computed {len(computed)}"]
    index = {tuple(str(r[k]) for k in keys): r for _, r in computed.iterrows()}
    for _, row in written.iterrows():
        key = tuple(str(row[k]) for k in keys)
        other = index.get(key)
        if other is None:
            problems.append(f"{name}: row {' / '.join(key)} is not re-computed")
            continue
        for column in computed.columns:
            if column not in written.columns:
                problems.append(f"{name}: column {column} missing")
                continue
            value, expected = row[column], other[column]
            if isinstance(expected, (bool,)) or column in keys:
                continue
            if isinstance(expected, (int, float)) and not isinstance(expected, bool):
                value = _as_number(value)
            if not _close(value, expected):
                problems.append(f"{name}: {' / '.join(key)} {column} = {value}, re-computed {expected}")
    return problems


def verify_bilan(folder: str | Path) -> Verification:
    """Re-check the bilan folder ``folder`` (see module docstring)."""
    folder = Path(folder)
    v = Verification()
    marker = _read_marker(folder / MARKER)
    inputs = marker.get("inputs") or {}
    recorded = (inputs.get("plan") or {}).get("sha256") or {}
    actual = file_hashes(folder / PLAN_DIR, list(recorded))
    v.check("plan files as evaluated", [f"plan/{n}: sha256 {actual.get(n, 'missing')[:12]} differs from bilan.json {h[:12]}"
                                        for n, h in recorded.items() if actual.get(n) != h])
    actuals_file = folder / "inputs" / str((inputs.get("actuals") or {}).get("file", ""))
    import hashlib

    digest = hashlib.sha256(actuals_file.read_bytes()).hexdigest() if actuals_file.is_file() else "missing"
    v.check("actuals as read", [] if digest == (inputs.get("actuals") or {}).get("sha256")
            else [f"{actuals_file.name}: sha256 {digest[:12]} differs from bilan.json"])
    plan = read_plan(folder / PLAN_DIR, period=marker.get("period"))
    actuals = read_actuals(actuals_file, plan, label=str(actuals_file))
    replanned = marker.get("replanned")
    if replanned is not None and replanned.get("savings") is None:
        replanned = dict(replanned, savings=math.nan)
    bilan, estimates, levels, decision = evaluate(plan, actuals, replanned)
    computed = {"poles_bilan.csv": bilan.poles, "deviations.csv": bilan.categories, "communes_bilan.csv": bilan.communes,
                "recalibration.csv": table(estimates)}
    for name, keys in TABLES.items():
        written = read_csv(folder / name, dtype={k: str for k in keys})
        v.check(f"{name} re-computed", _frame_problems(name, written, computed[name], keys))
    deviations = _as_computed(read_csv(folder / "deviations.csv"), computed["deviations.csv"], "deviations.csv")
    v.check("each deviation's split adds up", deviations if isinstance(deviations, list) else [
        f"deviations.csv rank {r['rank']}: parts sum to {sum(r[f'{c}_eur'] for c in CAUSES):,.2f}, deviation {r['deviation_eur']:,.2f}"
        for _, r in deviations.iterrows() if abs(sum(r[f"{c}_eur"] for c in CAUSES) - r["deviation_eur"]) > 0.01])
    v.check("recalibrated.yaml follows from the recalibration", _recalibrated_problems(folder, plan, estimates))
    poles = _as_computed(read_csv(folder / "poles_bilan.csv"), computed["poles_bilan.csv"], "poles_bilan.csv")
    v.check("indicators follow from the table", poles if isinstance(poles, list) else _indicator_problems(poles))
    key = marker.get("key_figures") or {}
    v.check("key figures", [f"bilan.json key_figures.{k} = {key.get(k)}, re-computed {x}"
                            for k, x in bilan.key_figures.items() if not _close(key.get(k), None if isinstance(x, float)
                                                                                and math.isnan(x) else x)])
    v.check("decision follows the rule", [] if (marker.get("decision") or {}).get("outcome") == decision.outcome
            else [f"bilan.json says {(marker.get('decision') or {}).get('outcome')}, the rule gives {decision.outcome}"])
    if replanned is not None and (folder / REPLAN_DIR / "summary.json").is_file():
        summary = _read_json_object(folder / REPLAN_DIR / "summary.json", "not a summary written by optimiser")
        v.check("re-planned saving", [] if _close(summary.get("savings"), replanned.get("savings"))
                else [f"replan/summary.json savings {summary.get('savings')} differs from bilan.json {replanned.get('savings')}"])
    return v


def _recalibrated_problems(folder: Path, plan, estimates) -> list[str]:
    """``recalibrated.yaml`` against the one the bilan writes from the same estimates (compared
    as parsed YAML, key by key; read through the scenario layer's bounded reader)."""
    import yaml

    from ..scenario.yaml_io import read_yaml
    from .folder import recalibrated_text

    written, _ = read_yaml(folder / "recalibrated.yaml", str(folder / "recalibrated.yaml"))
    expected = yaml.safe_load(recalibrated_text(plan, estimates))
    return [f"recalibrated.yaml: {path} = {a!r}, the recalibration gives {b!r}"
            for path, a, b in _differences(written, expected, "")][:10]


def _differences(a, b, path: str):
    """(key path, written, expected) where two parsed YAML values differ (numbers to 1e-9)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(b) + [k for k in a if k not in b]:
            yield from _differences(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for k, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{path}[{k}]")
    elif isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
            yield path, a, b
    elif a != b or type(a) is not type(b):
        yield path or "(the whole file)", a, b


#: The parts of ``bilan.json`` read back, and their JSON type (a hand edit may change any of them).
_MARKER_PARTS = {"inputs": dict, "key_figures": dict, "decision": dict, "replanned": dict}
#: Largest bilan.json or replan summary read (each is a few kB).
_MARKER_MAX_BYTES = 16_000_000


def _read_json_object(path: Path, why: str) -> dict:
    """The JSON object in ``path`` (bounded read: a folder, a device or a named pipe is refused by
    name); anything else is an input error saying ``why``."""
    from ..files import read_text
    from ..results.reading import loads_unique

    text = read_text(path, str(path), _MARKER_MAX_BYTES, what="JSON file")
    try:
        data = loads_unique(text)  # a key named twice is a ValueError too: edited, not as written
    except (ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        raise InputError([Problem(str(path), "", f"{why} (unreadable JSON object)", show_value=False)])
    return data


def _read_marker(path: Path) -> dict:
    """``bilan.json``, its kind and the types of the parts :func:`verify_bilan` reads checked."""
    marker = _read_json_object(path, "not a bilan written by optimiser")
    parts = [(key, marker.get(key)) for key in _MARKER_PARTS]
    inputs = marker.get("inputs") if isinstance(marker.get("inputs"), dict) else {}
    parts += [(f"inputs.{key}", inputs.get(key)) for key in ("plan", "actuals")]
    plan = inputs.get("plan") if isinstance(inputs.get("plan"), dict) else {}
    parts.append(("inputs.plan.sha256", plan.get("sha256")))
    wrong = [f"{key} is {type(value).__name__}, not an object" for key, value in parts
             if value is not None and not isinstance(value, dict)]
    if marker.get("kind") != "bilan" or wrong:
        raise InputError([Problem(str(path), "", "not a bilan written by optimiser"
                                  + (f" ({'; '.join(wrong)})" if wrong else " (its kind is not bilan)"),
                                  show_value=False, hint="write the bilan again with optimiser bilan")])
    return marker


def _as_computed(written: pd.DataFrame, computed: pd.DataFrame, name: str) -> pd.DataFrame | list[str]:
    """``written`` with the columns numeric that are numeric in ``computed`` (a cell that is not a
    number becomes NaN: the re-computation check names it); the missing columns instead, so a
    check reading them reports them rather than failing."""
    missing = [c for c in computed.columns if c not in written.columns]
    if missing:
        return [f"{name}: column {c} missing" for c in missing]
    written = written.copy()
    for column in computed.columns:
        if pd.api.types.is_numeric_dtype(computed[column]) and not pd.api.types.is_bool_dtype(computed[column]):
            written[column] = pd.to_numeric(written[column], errors="coerce")
    return written


def _indicator_problems(poles: pd.DataFrame) -> list[str]:
    """Each pole service's actual indicators from its own row of ``poles_bilan.csv``, by their
    definitions alone: cost per unit = total ÷ workload (the plan's when none was reported), per
    inhabitant = total ÷ population, productivity = workload ÷ FTE, total = the categories' sum."""
    from .plan import CATEGORIES

    problems = []
    for _, r in poles.iterrows():
        where = f"poles_bilan.csv {r['pole']} / {r['service']}"
        workload = r["actual_workload"] if pd.notna(r["actual_workload"]) else r["plan_workload"]
        total = sum(r[f"actual_{c}"] if pd.notna(r[f"actual_{c}"]) else r[f"plan_{c}"] for c in CATEGORIES)
        expected = {"actual_total_eur": total, "deviation_eur": total - r["plan_total_eur"],
                    "actual_cost_per_unit": total / workload if workload else math.nan,
                    "actual_cost_per_inhabitant": total / r["population"] if r["population"] else math.nan,
                    "actual_productivity": workload / r["actual_fte"] if pd.notna(r["actual_fte"]) and r["actual_fte"] else math.nan}
        problems += [f"{where}: {k} = {r[k]}, its definition gives {x}" for k, x in expected.items() if not _close(r[k], x)]
    return problems
