"""Reading a result folder back, within bounds and checked.

A folder handed to ``optimiser compare`` (or :meth:`optimiser.results.result.Result.from_dir`)
may come from anywhere — another machine, a colleague's edited copy, a truncated download — so
each file is read with a size limit, parsed safely (``scenario.resolved.yaml`` through the
scenario layer's bounded YAML reader: a small file of nested aliases is refused rather than
expanded into gigabytes) and checked for the shape its readers rely on. A damaged file is an
:class:`~optimiser.errors.InputError` naming it (exit 2), never an internal error.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd

from ..errors import InputError, Problem
from ..files import MB, read_bytes, read_text
from .summary import Summary, SummaryError

#: Largest result file read back: a France-wide ``communes.csv`` is about 5 MB.
RESULT_FILE_MAX_BYTES = 256 * MB
#: Columns of ``communes.csv`` that the readers of a result folder use.
COMMUNE_COLUMNS = ("insee_code", "name", "alone", "travel_min")


class DuplicateKey(ValueError):
    """A JSON object that names one key twice (``json.loads`` would keep the last value
    silently: an edited ``"status"`` could hide behind the original one)."""

    def __init__(self, key: str):
        super().__init__(f"the key {key!r} appears twice in one object")
        self.key = key


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    data = {}
    for key, value in pairs:
        if key in data:
            raise DuplicateKey(key)
        data[key] = value
    return data


def loads_unique(text: str):
    """``json.loads`` that refuses an object naming a key twice (:class:`DuplicateKey`)."""
    return json.loads(text, object_pairs_hook=_unique_keys)


def _unreadable(path: Path, why: str) -> InputError:
    return InputError([Problem(str(path), "", why, show_value=False,
                               hint="this result folder is damaged: run the scenario again")],
                      title=f"Cannot read the result folder {path.parent}")


def read_summary(path: Path) -> dict:
    """``summary.json``: a JSON object with at least a ``status``."""
    text = read_text(path, str(path), RESULT_FILE_MAX_BYTES, what="summary file")
    try:
        data = loads_unique(text)
    except json.JSONDecodeError as exc:
        raise _unreadable(path, f"not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except DuplicateKey as exc:
        raise _unreadable(path, f"not a summary written by optimiser: {exc}") from None
    except RecursionError:
        raise _unreadable(path, "not a summary: lists nested too deeply") from None
    except ValueError:  # a whole number past Python's 4,300 digits
        raise _unreadable(path, "not a summary: a number with more than 4,300 digits") from None
    if not isinstance(data, dict) or not isinstance(data.get("status"), str):
        raise _unreadable(path, "not a summary written by optimiser (expected a JSON object with a status)")
    return data


def load_summary(path: Path) -> Summary:
    """``summary.json`` as a typed :class:`~optimiser.results.summary.Summary`: :func:`read_summary`,
    then every known key's type checked (a missing or mistyped key an ``InputError`` naming it)."""
    data = read_summary(path)
    try:
        return Summary.from_dict(data)
    except SummaryError as exc:
        raise _unreadable(path, str(exc)) from None


def read_resolved(path: Path) -> dict:
    """``scenario.resolved.yaml`` as a plain mapping (bounded: see the module docstring)."""
    from ..scenario.yaml_io import parse_yaml

    text = read_text(path, str(path), RESULT_FILE_MAX_BYTES, what="resolved scenario")
    data, _ = parse_yaml(text, str(path))
    if not isinstance(data, dict):
        raise _unreadable(path, "not a resolved scenario (expected a mapping of keys)")
    return data


def read_csv(path: Path, dtype: dict | None = None, required: tuple[str, ...] = (), **options) -> pd.DataFrame:
    """A CSV table of a result folder, with at least the ``required`` columns."""
    import io

    data = read_bytes(path, str(path), RESULT_FILE_MAX_BYTES, what="CSV file")
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=dtype, **options)
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame()
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error, ValueError) as exc:
        raise _unreadable(path, f"not a readable CSV table ({exc.__class__.__name__}: {str(exc)[:200]})") from None
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise _unreadable(path, f"missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    return frame


def read_tables_or_refuse(folder: Path, read):
    """``read(folder)`` (the service tables), with a damaged table an :class:`InputError`."""
    try:
        return read(folder)
    except InputError:
        raise
    except (pd.errors.ParserError, UnicodeDecodeError, csv.Error, ValueError, OSError, TypeError) as exc:
        raise InputError([Problem(str(folder), "", f"a service table cannot be read ({exc.__class__.__name__}: "
                                  f"{str(exc)[:200]})", show_value=False,
                                  hint="this result folder is damaged: run the scenario again")]) from None
