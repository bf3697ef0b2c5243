"""``comparison.html``: several results side by side — a sortable table (one row per variant) and
the trade-off plots, in one self-contained page.

:func:`render_comparison_html` takes the comparison table the ``compare`` command builds and
formats the columns it knows (:data:`KNOWN_COLUMNS`: statuses in plain words, gaps as
percentages, minutes, euros); any other column (the swept values, e.g. ``poles.max_travel_min``)
is shown under its own name. Plots (PNG, JPEG or SVG files) are embedded as ``data:`` URIs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..status import STATUS_WORDS
from . import fmt, page
from .page import Column, asset, data_uri, document, esc, explain_columns

_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
_KIND = {"optimal": "good", "feasible": "warn"}


def _status_cell(record: dict) -> str:
    status = str(record.get("status"))
    words = fmt.status_short(status, record.get("gap"))
    return f'<span class="badge {_KIND.get(status, "bad")}">{esc(words)}</span>'


#: Columns the comparison knows, in display order: key → column.
KNOWN_COLUMNS = {c.key: c for c in [
    Column("variant", "Variant", explain="The variant's id (stable across runs)."),
    Column("status", "Status", cell=_status_cell,
           explain="Optimal: proven best. Feasible: obeys every rule, at most the gap from the best. "
                   "Infeasible: the rules cannot all hold."),
    Column("gap", "Gap", fmt.percent, numeric=True, explain="How far the design may be from the best possible (0 % = proven best)."),
    Column("objective", "Objective", lambda v: fmt.number(v, 1), numeric=True,
           explain="What the optimiser minimised (total travel, or total cost when costs are modelled)."),
    Column("n_poles", "Poles", fmt.integer, numeric=True, explain="Number of poles, the service commun included."),
    Column("n_alone", "Alone", fmt.integer, numeric=True, explain="Communes that stay out of every pole."),
    Column("max_travel_min", "Longest trip", fmt.minutes, numeric=True, explain="Longest road time from a commune to its pole's seat."),
    Column("mean_travel_min", "Average trip", fmt.minutes, numeric=True, explain="Average road time to the seat, per inhabitant."),
    Column("total_cost", "Total cost", fmt.money, numeric=True, explain="Cost of the design, € per year."),
    Column("savings", "Saving", fmt.signed_money, numeric=True, explain="Against every commune alone, € per year."),
    Column("services_pooled", "Services pooled", fmt.text, explain="Services pooled in at least one pole."),
    Column("runtime_s", "Solve time", lambda v: f"{fmt.number(v, 1)} s" if fmt.as_number(v) is not None else fmt.MISSING,
           numeric=True),
]}


def comparison_columns(frame: pd.DataFrame) -> list[Column]:
    """Known columns first in their order, then the others as they come."""
    columns = [KNOWN_COLUMNS[k] for k in KNOWN_COLUMNS if k in frame.columns]
    for key in frame.columns:
        if key not in KNOWN_COLUMNS:
            numeric = pd.api.types.is_numeric_dtype(frame[key]) and not pd.api.types.is_bool_dtype(frame[key])
            columns.append(Column(str(key), str(key), fmt.auto, numeric=numeric))
    return columns


def _plot(name: str, path: Path) -> str:
    path = Path(path)
    mime = _MIME.get(path.suffix.lower())
    if mime is None:
        raise ValueError(f"plot {name!r}: {path} is not a PNG, JPEG or SVG file")
    return (f'<figure><img src="{data_uri(path.read_bytes(), mime)}" alt="{esc(name)}">'
            f"<figcaption>{esc(name)}</figcaption></figure>")


def _overview(frame: pd.DataFrame) -> str:
    n = len(frame)
    text = f"{n} variant{'s' if n != 1 else ''}"
    if "status" in frame.columns:
        counts = frame["status"].astype(str).value_counts()
        parts = [f"{counts[s]} {STATUS_WORDS[s].short.split(',')[0]}" for s in STATUS_WORDS if s in counts]
        parts += [f"{counts[s]} {s}" for s in counts.index if s not in STATUS_WORDS]
        text += ": " + ", ".join(parts)
    return (f'<p class="lead">{esc(text)}.</p>'
            "<p>Only <b>optimal</b> rows are proven to be the best design under their rules; a <b>feasible</b> row "
            "may be improved by up to its gap. Rows without a design (infeasible, no design in time) have no figures.</p>")


def render_comparison_html(table: pd.DataFrame, plots: dict[str, Path] | None = None,
                           title: str = "Comparison of variants") -> str:
    """The comparison page as text: overview, sortable table, column meanings, plots."""
    frame = table.reset_index(drop=True)
    columns = comparison_columns(frame)
    body = [f"<header><h1>{esc(title)}</h1>{_overview(frame)}</header><main>",
            '<section aria-labelledby="h-table"><h2 id="h-table">Variants</h2>'
            '<p class="hint">Click a column title to sort; click again to reverse.</p>',
            page.table(columns, frame.to_dict(orient="records"), table_id="comparison"),
            explain_columns(columns), "</section>"]
    if plots:
        body.append('<section aria-labelledby="h-plots"><h2 id="h-plots">Trade-offs</h2>'
                    + "".join(_plot(name, path) for name, path in plots.items()) + "</section>")
    body.append("</main>")
    body.append('<footer><p>Made with optimiser. Each variant\'s folder holds its own report.html, '
                "its resolved scenario and the data attribution.</p></footer>")
    return document(title, "\n".join(body), scripts=[asset("sortable.js")])
