"""Rows of a streamed openpyxl worksheet written as text: the cell serialisation behind the speed
of ``result.xlsx`` (see :func:`stream_rows_as_text`).

It subclasses openpyxl's worksheet writer and reaches a few of its internals (``Cell._value``,
``WriteOnlyWorksheet._writer``, ``et_xmlfile``'s ``_file``): openpyxl is pinned (3.1.5) in
pyproject.toml, and a change there is caught by ``tests/test_result_workbook.py``.
"""

from __future__ import annotations

from functools import cache
from xml.sax.saxutils import escape


def stream_rows_as_text(sheet) -> None:
    """Have the streamed (write-only) ``sheet`` serialise its plain cells as text (see
    :func:`_row_writer`). Call it after the sheet's widths, panes and filter are set and before
    its first row: openpyxl writes the sheet's head when its writer is made."""
    sheet._writer = _row_writer()(sheet)
    sheet._writer.write_top()  # what openpyxl's ``_get_writer`` does at the first append


@cache
def _row_writer():
    """openpyxl's worksheet writer, with rows of numbers, booleans, text and empty styled cells
    written as one string each instead of one XML element tree per cell.

    Without lxml, openpyxl serialises each cell through ``et_xmlfile``'s pure-Python element
    writer, about half the time of ``result.xlsx``; the XML written here is the one it writes
    (``<c r="B2" s="3" t="n"><v>%.16g</v></c>``, text as an inline string, ``xml:space`` kept).
    Any other cell (a formula, a date, rich text, a comment, a hyperlink), a row with a height,
    or another XML writer (lxml's) goes through openpyxl unchanged. ``test_result_workbook.py``
    compares both workbooks cell by cell and their sheet XML."""
    from openpyxl.cell._writer import write_cell
    from openpyxl.comments.comment_sheet import CommentRecord
    from openpyxl.compat import safe_string
    from openpyxl.worksheet._writer import WorksheetWriter

    class RowWriter(WorksheetWriter):
        def write_row(self, xf, row, row_idx):
            write = getattr(xf, "_file", None)
            if not callable(write) or self.ws.row_dimensions.get(row_idx):
                return super().write_row(xf, row, row_idx)
            # A streamed row hands out one cell object reused for each plain value: each is
            # serialised before the next is read.
            parts = [f'<row r="{row_idx}">']
            for cell in row:
                text = _cell_text(cell)
                if text is not None:
                    parts.append(text)
                    continue
                write("".join(parts))  # openpyxl writes this cell, in place
                parts = []
                if cell._comment is not None:
                    self.ws._comments.append(CommentRecord.from_cell(cell))
                if cell._value is not None or cell.has_style or cell._comment is not None:
                    write_cell(xf, self.ws, cell, cell.has_style)
            parts.append("</row>")
            write("".join(parts))

    def _cell_text(cell):
        """The XML of a plain cell, "" for a cell not written, None for openpyxl to write."""
        styled = cell.has_style
        value, kind = cell._value, cell.data_type
        if cell._comment is not None or cell.hyperlink:
            return None
        if value is None and not styled:
            return ""
        if kind not in ("n", "b", "s") or (kind == "s" and value is not None and not isinstance(value, str)):
            return None
        style = f' s="{cell.style_id}"' if styled else ""
        head = f'<c r="{cell.coordinate}"{style} t="{"inlineStr" if kind == "s" else kind}"'
        if value is None or value == "":
            return head + "/>"
        if kind == "s":
            stripped = value.strip()
            space = ' xml:space="preserve"' if stripped and stripped != value else ""
            return f"{head}><is><t{space}>{escape(value)}</t></is></c>"
        return f"{head}><v>{safe_string(value)}</v></c>"

    return RowWriter
