"""``result.xlsx`` is streamed (openpyxl write-only mode) yet holds what the former cell-by-cell
writer wrote: the two workbooks, read back with openpyxl, agree on sheet names and order, every
cell's value, type, number format, font, fill and alignment, column widths, frozen panes and
autofilter — on a real run and on tables with the awkward values (NaN, None, numpy scalars, an
empty table, a table without columns, a sheet outside the usual list)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest
from shared import SERVICE_COMMUN, solved
from workbook_reference import write_reference_workbook

from optimiser.results.workbook import DICTIONARY_SHEET, write_workbook


def describe(path) -> dict:
    """Everything of a workbook a reader sees, as plain data: per sheet, the panes, filter,
    widths, size, and per cell its value, type, format and style."""
    book = openpyxl.load_workbook(path)
    sheets = {}
    for sheet in book.worksheets:
        widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items() if dim.customWidth}
        cells = [[(c.coordinate, c.value, c.data_type, c.number_format, c.font.bold, c.fill.fill_type,
                   c.fill.fgColor.rgb, c.alignment.wrap_text, c.alignment.vertical) for c in row]
                 for row in sheet.iter_rows()]
        sheets[sheet.title] = {"freeze_panes": sheet.freeze_panes, "auto_filter": sheet.auto_filter.ref,
                               "widths": widths, "size": (sheet.max_row, sheet.max_column), "cells": cells}
    return {"names": book.sheetnames, "sheets": sheets}


def sheet_data(path) -> list[str]:
    """Each sheet's ``<sheetData>`` as written."""
    with zipfile.ZipFile(path) as archive:
        names = sorted((n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                       key=lambda n: int(re.search(r"\d+", n).group()))
        return [re.search(r"<sheetData.*</sheetData>|<sheetData\s*/>", archive.read(n).decode(), re.S).group()
                for n in names]


def assert_same_sheet_data(new, old) -> None:
    """The sheets' ``<sheetData>`` agree in canonical XML (attribute order and ``<v/>`` against
    ``<v></v>`` do not count; whitespace, ``xml:space`` and every attribute do). A sheet whose
    text is the same needs no canonical form (the same text has the same one): only sheets that
    differ as written are canonicalised, which is most of the time of this comparison."""
    written, reference = sheet_data(new), sheet_data(old)
    assert len(written) == len(reference)
    for a, b in zip(written, reference):
        if a != b:
            assert ET.canonicalize(xml_data=a) == ET.canonicalize(xml_data=b)


def assert_same_workbooks(tmp_path, tables):
    """The streamed writer and the reference write the same workbook for ``tables``."""
    new, old = tmp_path / "new.xlsx", tmp_path / "old.xlsx"
    write_workbook(new, tables)
    write_reference_workbook(old, tables)
    assert_same_sheet_data(new, old)  # what Excel reads, beyond what openpyxl reads back
    streamed, reference = describe(new), describe(old)
    assert streamed["names"] == reference["names"]
    for name in reference["names"]:
        a, b = streamed["sheets"][name], reference["sheets"][name]
        for key in ("freeze_panes", "auto_filter", "widths", "size"):
            assert a[key] == b[key], (name, key)
        for row_a, row_b in zip(a["cells"], b["cells"], strict=True):
            assert row_a == row_b, name
    return streamed


def test_awkward_values_are_written_as_before(tmp_path):
    tables = {
        "poles": pd.DataFrame({"pole": ["A", "B", None], "travel_min": [np.float64(12.5), np.nan, 3.0],
                               "population": np.array([10, 20, 30], dtype=np.int64)}),
        "communes": pd.DataFrame({"insee_code": ["53130", "53062"], "name": ["Laval", "Changé" * 20],
                                  "standalone_cost": [1234567.0, None], "alone": [True, False]}),
        "services": pd.DataFrame({"pole": pd.Series([], dtype=object), "service": pd.Series([], dtype=object)}),
        "core": pd.DataFrame(index=range(3)),  # rows without columns
        "extra_table": pd.DataFrame({  # a sheet outside SHEETS, last before the dictionary; values openpyxl
            "x": [1, np.inf],            # writes itself (a formula, a date) amid text to escape and keep
            "text": ["  Saint-Berthevin & <Co> ", "=1+1"], "when": [datetime(2026, 1, 1), ""],
            "flag": [True, None]}),
        "flows": None,  # absent
    }
    described = assert_same_workbooks(tmp_path, tables)
    assert described["names"] == ["communes", "poles", "services", "core", "extra_table", DICTIONARY_SHEET]
    communes = described["sheets"]["communes"]["cells"]
    assert [row[2][1:4] for row in communes[1:]] == [(1234567, "n", "#,##0"), (None, "n", "#,##0")]  # empty, formatted


@pytest.mark.slow
def test_service_commun_workbook_is_written_as_before(tmp_path_factory, tmp_path):
    result = solved(tmp_path_factory, *SERVICE_COMMUN)
    described = assert_same_workbooks(tmp_path, result.workbook_tables())
    assert described["sheets"]["shares"]["size"][0] == len(result.service_tables.shares) + 1
