"""A table's rows as dicts or namedtuples, as ``DataFrame.to_dict(orient="records")`` and
``DataFrame.itertuples`` give them, only faster.

The reports read every table row by row (``report.md`` and ``report.html`` are each rendered
when a result is written, and again by ``optimiser verify``). pandas builds those rows by
indexing each column through ``iloc`` (a validated indexer per column, per call), which was half
of a report's rendering time. Here each column is read once, by position, and iterated as pandas
iterates a column; object and extension columns get pandas' own boxing to native Python values
(``numpy.float64`` → ``float``, ``pd.NA`` → ``None``). The values, their types and the key order
are the same as ``to_dict(orient="records")``'s (tests/test_records.py); :func:`row_tuples` is
``itertuples`` without the per-column ``iloc``.
"""

from __future__ import annotations

import collections
import itertools

import numpy as np
import pandas as pd
from pandas.api.extensions import ExtensionDtype
from pandas.api.types import is_bool, is_float, is_integer

_OBJECT = np.dtype(object)
#: Values already native: returned as they are (the common case, checked first).
_NATIVE = (str, float, int, bool, type(None))


def _native(value):
    """``value`` as ``to_dict`` boxes a cell of an object or extension column."""
    if type(value) in _NATIVE:
        return value
    if is_float(value):
        return float(value)
    if is_integer(value):
        return int(value)
    if is_bool(value):
        return bool(value)
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value)
    if isinstance(value, np.timedelta64):
        return pd.Timedelta(value)
    if value is pd.NA:
        return None
    return value


def _column(series: pd.Series) -> list:
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        return series.to_numpy().tolist()  # plain numbers: Python scalars, as iterating the column gives them
    values = list(series)
    if dtype == _OBJECT or isinstance(dtype, ExtensionDtype):
        return [_native(v) for v in values]
    return values


def row_dicts(frame: pd.DataFrame | None) -> list[dict]:
    """``frame.to_dict(orient="records")`` (``[]`` for ``None``)."""
    if frame is None:
        return []
    if not len(frame) or not len(frame.columns) or not frame.columns.is_unique:  # pandas' own (it warns of duplicates)
        return frame.to_dict(orient="records")
    names = frame.columns.tolist()
    columns = [_column(series) for _, series in frame.items()]
    return [dict(zip(names, row)) for row in zip(*columns)]


#: namedtuple classes of :func:`row_tuples`, by (name, fields): building one is costly.
_TUPLE_CLASSES: dict[tuple, type] = {}


def row_tuples(frame: pd.DataFrame, index: bool = True, name: str | None = "Pandas"):
    """``frame.itertuples(index, name)``: the same namedtuples (``Index`` first, fields renamed as
    pandas renames them), with each column read once by :meth:`DataFrame.items` rather than
    through a validated ``iloc`` per column, and the namedtuple class built once per set of columns."""
    if not frame.columns.is_unique:
        return frame.itertuples(index=index, name=name)
    fields = list(frame.columns)
    arrays: list = [frame.index] if index else []
    if index:
        fields.insert(0, "Index")
    arrays.extend(series for _, series in frame.items())
    rows = zip(*arrays, strict=True) if arrays else itertools.repeat((), len(frame))
    if name is None:
        return rows
    key = (name, tuple(fields))
    if key not in _TUPLE_CLASSES:
        _TUPLE_CLASSES[key] = collections.namedtuple(name, fields, rename=True)
    return map(_TUPLE_CLASSES[key]._make, rows)
