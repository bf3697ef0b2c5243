"""The ``result.xlsx`` writer as it was before it streamed (openpyxl's regular mode, a grid of
cells styled one by one): the reference the streamed writer's workbooks are compared with, cell
by cell, in ``test_result_workbook.py``. Kept verbatim so the reference can be regenerated from
any result; do not "improve" it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from optimiser.results import dictionary, i18n
from optimiser.results.workbook import _FORMATS, DICTIONARY_SHEET, SHEETS, header


def write_reference_workbook(path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Write the sheets of ``tables`` (sheet name → frame, in :data:`SHEETS` order) and the
    dictionary to ``path``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6F0")
    order = list(SHEETS)
    names = sorted((n for n, f in tables.items() if f is not None), key=lambda n: order.index(n) if n in order else len(order))
    frames = [(name, SHEETS.get(name, f"{name}.csv"), tables[name]) for name in names]
    dictionary_frame = pd.DataFrame(dictionary.rows(i18n.current()))
    frames.append((DICTIONARY_SHEET, None, dictionary_frame))
    for name, file, frame in frames:
        sheet = book.create_sheet(name[:31])
        headers = [header(file, c) if file else c for c in frame.columns]
        sheet.append(headers)
        for row in frame.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        for k, column in enumerate(frame.columns, 1):
            cell = sheet.cell(row=1, column=k)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            found = dictionary.entry(file, column) if file else None
            number_format = _FORMATS.get(found.unit) if found else None
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=k, max_col=k):
                    cell.number_format = number_format
            values = [len(headers[k - 1])] + [len(str(v)) for v in frame[column].head(200) if v is not None]
            sheet.column_dimensions[get_column_letter(k)].width = min(max(values) + 2, 60)
        sheet.freeze_panes = "A2"
        if len(frame.columns):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{max(len(frame) + 1, 1)}"
    book.save(path)
    return Path(path)


def _cell(value):
    """A value openpyxl writes: NaN and None empty, numpy scalars as Python ones."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    return value
