"""The page shell shared by every HTML report: escaping, inline assets, a strict security policy,
and sortable tables.

A report is one file that works offline and forever: CSS and JavaScript are inlined, images are
``data:`` URIs, and the page carries a Content-Security-Policy that forbids loading anything from
anywhere (``default-src 'none'``) and runs only the scripts and styles whose SHA-256 it lists. So
the browser itself guarantees the report makes no network access, and a script injected through
a commune name could not run even if escaping failed.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources

from . import fmt


def esc(value) -> str:
    """Text for HTML content and double- or single-quoted attributes (``&<>"'`` escaped)."""
    return html.escape(str(value), quote=True)


def json_for_script(data) -> str:
    """JSON to embed in ``<script type="application/json">``: ``<``, ``>`` and ``&`` are written
    as ``\\u003c``... so no text can close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def asset(name: str) -> str:
    """An inline asset of this package (``assets/<name>``)."""
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def document(title: str, body: str, *, styles: Iterable[str] = (), scripts: Iterable[str] = (), data: dict | None = None,
             generator: str = "optimiser", lang: str = "fr") -> str:
    """A complete HTML page. ``data`` (JSON-able) goes into ``<script type="application/json"
    id="report-data">`` for the scripts to read; it is data, never executed."""
    styles = [asset("report.css"), *styles]
    scripts = list(scripts)
    policy = "; ".join([
        "default-src 'none'",
        "img-src data:",
        "style-src " + " ".join(_sha256(s) for s in styles),
        "script-src " + (" ".join(_sha256(s) for s in scripts) if scripts else "'none'"),
        "base-uri 'none'",
        "form-action 'none'",
    ])
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy)}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="{esc(generator)}">',
        '<link rel="icon" href="data:,">',  # no favicon request
        f"<title>{esc(title)}</title>",
        *(f"<style>{s}</style>" for s in styles),
        "</head>",
        "<body>",
    ]
    tail = []
    if data is not None:
        tail.append(f'<script type="application/json" id="report-data">{json_for_script(data)}</script>')
    tail += [f"<script>{s}</script>" for s in scripts]
    tail += ["</body>", "</html>", ""]
    return "\n".join(head) + "\n" + body + "\n" + "\n".join(tail)


@dataclass(frozen=True)
class Column:
    """A table column: ``key`` of the record, header ``label``, ``format`` value → text,
    ``numeric`` (sorts by number, right-aligned), ``explain`` (header tooltip and legend)."""

    key: str
    label: str
    format: Callable[[object], str] = fmt.text
    numeric: bool = False
    explain: str = ""
    cell: Callable[[dict], str] | None = None  # custom cell HTML (already escaped)


def table(columns: list[Column], records: list[dict], *, caption: str = "", sortable: bool = True,
          row_attrs: Callable[[dict], dict] | None = None, table_id: str | None = None) -> str:
    """An HTML table; with ``sortable`` each header is a button that sorts the rows (missing values
    always last). Numeric cells carry their raw value in ``data-sort`` so sorting is by number,
    not by the formatted text."""
    ident = f' id="{esc(table_id)}"' if table_id else ""
    out = [f'<div class="table-wrap"><table{ident} class="{"sortable" if sortable else "plain"}">']
    if caption:
        out.append(f"<caption>{esc(caption)}</caption>")
    out.append("<thead><tr>")
    for column in columns:
        attrs = ' scope="col"' + (' data-type="number" class="num"' if column.numeric else "")
        label = esc(column.label)
        title = f' title="{esc(column.explain)}"' if column.explain else ""
        inner = f'<button type="button"{title}>{label}</button>' if sortable else f"<span{title}>{label}</span>"
        out.append(f"<th{attrs}>{inner}</th>")
    out.append("</tr></thead><tbody>")
    for record in records:
        attrs = "".join(f' {esc(k)}="{esc(v)}"' for k, v in (row_attrs(record) if row_attrs else {}).items())
        out.append(f"<tr{attrs}>")
        for column in columns:
            value = record.get(column.key)
            sort = ""
            if column.numeric and (x := fmt.as_number(value)) is not None:
                sort = f' data-sort="{x!r}"'
            content = column.cell(record) if column.cell else esc(column.format(value))
            numeric = ' class="num"' if column.numeric else ""
            out.append(f"<td{numeric}{sort}>{content}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def explain_columns(columns: list[Column]) -> str:
    """A definition list of the columns that carry an explanation."""
    items = [f"<dt>{esc(c.label)}</dt><dd>{esc(c.explain)}</dd>" for c in columns if c.explain]
    return f'<dl class="columns">{"".join(items)}</dl>' if items else ""


def data_uri(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
