"""The ``sweep`` block: ``grid`` (every combination of the lists) and ``zip`` (the lists paired
element by element), and the sweep points they give."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem
from ..text import did_you_mean
from .keys import check_key, located, overlaps
from .overrides import Setting

SWEEP_KINDS = ("grid", "zip")


@dataclass(frozen=True)
class Sweep:
    """A sweep block as written: swept key → (values, label), for grid and zip."""

    folder: Path
    grid: dict[str, tuple[list, str]]
    zip: dict[str, tuple[list, str]]


def read_sweep(raw, label, lines, folder, problems) -> Sweep | None:
    """The sweep block of one file (``None`` for ``sweep: null``, which drops a parent's)."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(label, "sweep", "expected a mapping with grid: and/or zip:, each a mapping of dotted "
                                "keys to lists of values", raw, line=lines.get("sweep")))
        return None
    out = {}
    for kind, body in raw.items():
        at = f"sweep.{kind}"
        if kind not in SWEEP_KINDS:
            problems.append(Problem(label, at, "unknown sweep kind; grid: every combination of the lists, "
                                    "zip: the lists paired element by element", show_value=False,
                                    hint=did_you_mean(str(kind), SWEEP_KINDS), line=lines.get(at)))
            continue
        if not isinstance(body, dict) or not body:
            problems.append(Problem(label, at, "expected a mapping of dotted keys to lists of values, "
                                    "e.g. {poles.max_travel_min: [20, 25, 30]}", body, line=lines.get(at)))
            continue
        keys = {}
        for key, values in body.items():
            path = f"{at}.{key}"
            wrong = check_key(str(key))
            if wrong is not None:
                message, hint = wrong
                problems.append(Problem(label, path, message, show_value=False, hint=hint, line=lines.get(path)))
                continue
            if not isinstance(values, list) or not values:
                problems.append(Problem(label, path, "expected a non-empty list of values to sweep", values,
                                        hint=f"write {key}: [{values!r}] to sweep one value" if values is not None and not isinstance(values, list) else None,
                                        line=lines.get(path)))
                continue
            keys[str(key)] = (values, f"{located(label, lines, path)} (sweep.{kind})")
        out[kind] = keys
    if out.get("zip"):
        lengths = {k: len(v) for k, (v, _) in out["zip"].items()}
        if len(set(lengths.values())) > 1:
            text = ", ".join(f"{k}: {n}" for k, n in lengths.items())
            problems.append(Problem(label, "sweep.zip", f"zip pairs its lists element by element, so they must have the "
                                    f"same length (got {text})", show_value=False,
                                    hint="use grid: for every combination", line=lines.get("sweep.zip")))
    all_keys = [k for keys in out.values() for k in keys]
    for a, b in itertools.combinations(all_keys, 2):
        if overlaps(a, b):
            problems.append(Problem(label, "sweep", f"sweeps {a} and {b}, which overlap", show_value=False,
                                    hint="sweep each key once", line=lines.get("sweep")))
    return Sweep(folder=folder, grid=out.get("grid", {}), zip=out.get("zip", {}))


def count_points(sweep: Sweep | None) -> int:
    """How many sweep points :func:`sweep_points` would give, without listing them."""
    if sweep is None:
        return 1
    n = 1
    for values, _ in sweep.grid.values():
        n *= len(values)
    return n * (len(next(iter(sweep.zip.values()))[0]) if sweep.zip else 1)


def sweep_points(sweep: Sweep | None) -> list[tuple[Setting, ...]]:
    """Every sweep point: the grid's product × the zip's rows (keys in file order)."""
    if sweep is None:
        return [()]
    grid_axes = [[Setting(k, v, lab, sweep.folder) for v in values] for k, (values, lab) in sweep.grid.items()]
    n_zip = len(next(iter(sweep.zip.values()))[0]) if sweep.zip else 1
    zip_rows = [tuple(Setting(k, values[r], lab, sweep.folder) for k, (values, lab) in sweep.zip.items())
                for r in range(n_zip)]
    return [tuple(g) + z for g in itertools.product(*grid_axes) for z in zip_rows]
