"""The reports' and the verifier's fast row readers give what pandas gives: ``row_dicts`` is
``to_dict(orient="records")`` and ``row_tuples`` is ``itertuples`` (values, their types, key
order, field names), on every column kind the result tables hold and a few they may."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from optimiser.results.records import row_dicts, row_tuples


def same(a, b) -> bool:
    """Equal with the same type (NaN equals NaN, NaT equals NaT)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    if a is pd.NaT or a is pd.NA:
        return b is a
    return a == b


def frames() -> dict[str, pd.DataFrame]:
    text = pd.Series(["53130", None, "01001"], dtype="str")
    return {
        "mixed": pd.DataFrame({"code": text, "n": [1, 2, 3], "x": [1.5, np.nan, -0.0], "ok": [True, False, True],
                               "obj": [np.float64(2.5), None, "a"], "nullable": pd.array([1, None, 3], dtype="Int64"),
                               "when": pd.to_datetime(["2020-01-01", None, "2021-06-30"]),
                               "kind": pd.Categorical(["a", "b", "a"]), "flag": [np.bool_(True), np.int64(4), np.nan]}),
        "odd names": pd.DataFrame({"class": [1], "1st": ["x"], "with space": [2.0], "_hidden": [None]}),
        "indexed": pd.DataFrame({"v": [0.1, 0.2]}, index=pd.Index(["b", "a"], name="code")),
        "empty": pd.DataFrame({"a": pd.Series(dtype=float), "b": pd.Series(dtype=object)}),
        "no columns": pd.DataFrame(index=[0, 1]),
    }


@pytest.mark.parametrize("name", list(frames()))
def test_row_dicts_are_to_dict_records(name):
    frame = frames()[name]
    want, got = frame.to_dict(orient="records"), row_dicts(frame)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert list(a) == list(b)
        assert all(same(a[k], b[k]) for k in b), (a, b)


@pytest.mark.parametrize("index", [True, False])
@pytest.mark.parametrize("name", list(frames()))
def test_row_tuples_are_itertuples(name, index):
    frame = frames()[name]
    want, got = list(frame.itertuples(index=index)), list(row_tuples(frame, index=index))
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert a._fields == b._fields
        assert all(same(x, y) for x, y in zip(a, b)), (a, b)
    plain, want_plain = list(row_tuples(frame, index=index, name=None)), list(frame.itertuples(index=index, name=None))
    assert len(plain) == len(want_plain)
    assert all(same(x, y) for a, b in zip(plain, want_plain) for x, y in zip(a, b, strict=True))


def test_duplicate_columns_are_left_to_pandas():
    frame = pd.DataFrame([[1, 2]], columns=["a", "a"])
    with pytest.warns(UserWarning):
        assert row_dicts(frame) == [{"a": 2}]
    assert list(row_tuples(frame)) == list(frame.itertuples())
