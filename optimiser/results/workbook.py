"""``result.xlsx``: every table of a result folder on its own sheet, for planners who work in
Excel — headers frozen and bold, each with its unit (``standalone_cost (€/an)``), numbers
formatted, columns sized, and a ``dictionnaire`` sheet saying what every column means.

Column names stay those of the CSV files (programs and formulas can rely on them); the units and
the dictionary are in the language being written.
"""

from __future__ import annotations

from copy import copy
from pathlib import Path

import pandas as pd

from . import dictionary, i18n
from .xlsx_rows import stream_rows_as_text

#: Sheet name → CSV file it mirrors, in workbook order.
SHEETS = {"communes": "communes.csv", "poles": "poles.csv", "services": "services.csv", "equipment": "equipment.csv",
          "shares": "shares.csv", "members": "members.csv", "regie_vs_delegation": "regie_vs_delegation.csv",
          "status_quo": "status_quo.csv", "status_quo_check": "status_quo_check.csv",
          "savings_by_source": "savings_by_source.csv", "staff_trajectory": "staff_trajectory.csv",
          "core": "core.csv", "parameters": "parameters.csv", "flows": "flows.csv"}
DICTIONARY_SHEET = "dictionnaire"

_FORMATS = {"€/yr": "#,##0", "min": "0.0", "km": "0.0", "FTE": "0.00", "fraction": "0.0%", "days/yr": "#,##0"}


def header(file: str, column: str) -> str:
    """``column (unit)``, or the column alone when it has no unit."""
    unit = dictionary.unit(file, column)
    return f"{column} ({unit})" if unit else column


def write_workbook(path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Write the sheets of ``tables`` (sheet name → frame, in :data:`SHEETS` order) and the
    dictionary to ``path``.

    The workbook is streamed (openpyxl's write-only mode): each row goes to the file as it is
    appended, so no sheet is held as a grid of cell objects, and each style (bold header, number
    format) is built once per workbook and copied onto the cells that carry it. The content is
    the one of a regular openpyxl workbook: header row bold on a blue fill, wrapped and top-aligned;
    a column whose unit has a format (:data:`_FORMATS`) formatted on every data row, empty cells
    included; widths ``min(longest of the header and the first 200 values + 2, 60)`` characters;
    panes frozen below the header; an autofilter over the table."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    order = list(SHEETS)
    names = sorted((n for n, f in tables.items() if f is not None), key=lambda n: order.index(n) if n in order else len(order))
    frames = [(name, SHEETS.get(name, f"{name}.csv"), tables[name]) for name in names]
    dictionary_frame = pd.DataFrame(dictionary.rows(i18n.current()))
    frames.append((DICTIONARY_SHEET, None, dictionary_frame))
    styles = _Styles()
    for name, file, frame in frames:
        sheet = book.create_sheet(name[:31])
        columns = list(frame.columns)
        headers = [header(file, c) if file else c for c in columns]
        raw = [list(series) for _, series in frame.items()]  # Python scalars, column by column
        # Widths, panes and filter first: a streamed sheet writes them before its rows.
        for k, values in enumerate(raw):
            sheet.column_dimensions[get_column_letter(k + 1)].width = _width(headers[k], values[:200])
        sheet.freeze_panes = "A2"
        if columns:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(frame) + 1, 1)}"
        stream_rows_as_text(sheet)
        if headers:
            sheet.append([styles.header(sheet, text) for text in headers])
        cells = []
        for column, column_values in zip(columns, raw):
            values = [_cell(v) for v in column_values]
            number_format = _number_format(file, column)
            if number_format:  # every data cell of the column, an empty one too
                values = [styles.formatted(sheet, v, number_format) for v in values]
            cells.append(values)
        for row in zip(*cells):  # a table without columns has no cell, hence no row
            sheet.append(list(row))
    book.save(path)
    return Path(path)


class _Styles:
    """The workbook's cell styles, each registered once and then copied onto cells.

    Setting ``cell.font`` (or ``number_format``) looks the style up in the workbook's style tables
    at each assignment; copying the resulting style indices (openpyxl's ``StyleArray``) is a
    plain array copy."""

    def __init__(self):
        self._header_style = None
        self._formats: dict[str, object] = {}

    def header(self, sheet, text):
        """A header cell: bold, on a light blue fill, wrapped and top-aligned."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font, PatternFill

        if self._header_style is None:
            model = WriteOnlyCell(sheet)
            model.font, model.fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
            model.alignment = Alignment(wrap_text=True, vertical="top")
            self._header_style = model._style
        cell = WriteOnlyCell(sheet, text)
        cell._style = copy(self._header_style)
        return cell

    def formatted(self, sheet, value, number_format: str):
        """A data cell holding ``value`` with ``number_format``."""
        from openpyxl.cell import WriteOnlyCell

        style = self._formats.get(number_format)
        if style is None:
            model = WriteOnlyCell(sheet)
            model.number_format = number_format
            style = self._formats[number_format] = model._style
        cell = WriteOnlyCell(sheet, value)
        cell._style = copy(style)
        return cell


def _number_format(file: str | None, column: str) -> str | None:
    """The Excel number format of ``column`` of ``file`` (from its unit), or None."""
    found = dictionary.entry(file, column) if file else None
    return _FORMATS.get(found.unit) if found else None


def _width(header_text: str, head: list) -> float:
    """Column width in characters: the longest of the header and the values shown (``str``, so a
    missing number counts as ``nan``), plus 2, at most 60."""
    values = [len(header_text)] + [len(str(v)) for v in head if v is not None]
    return min(max(values) + 2, 60)


def _cell(value):
    """A value openpyxl writes: NaN and None empty, numpy scalars as Python ones."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value
