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

from .. import i18n
from ..status import STATUS_WORDS, status_words
from . import fmt, page
from .page import Column, asset, data_uri, document, esc, explain_columns

_MIME = {".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
_KIND = {"optimal": "good", "feasible": "warn"}


def _status_cell(record: dict) -> str:
    status = str(record.get("status"))
    words = fmt.status_short(status, record.get("gap"))
    return f'<span class="badge {_KIND.get(status, "bad")}">{esc(words)}</span>'


def known_columns() -> dict[str, Column]:
    """Columns the comparison knows, in display order, labelled in the language being written."""
    t = i18n.t
    runtime = lambda v: f"{fmt.number(v, 1)} s" if fmt.as_number(v) is not None else fmt.MISSING  # noqa: E731
    return {c.key: c for c in [
        Column("variant", t("cmpcol.variant"), explain=t("cmpexp.variant")),
        Column("status", t("cmpcol.status"), cell=_status_cell, explain=t("cmpexp.status")),
        Column("gap", t("cmpcol.gap"), fmt.percent, numeric=True, explain=t("cmpexp.gap")),
        Column("objective", t("cmpcol.objective"), lambda v: fmt.number(v, 1), numeric=True, explain=t("cmpexp.objective")),
        Column("n_poles", t("cmpcol.n_poles"), fmt.integer, numeric=True, explain=t("cmpexp.n_poles")),
        Column("n_alone", t("cmpcol.n_alone"), fmt.integer, numeric=True, explain=t("cmpexp.n_alone")),
        Column("max_travel_min", t("col.max_trip"), fmt.minutes, numeric=True, explain=t("explain.max_trip")),
        Column("mean_travel_min", t("col.mean_trip"), fmt.minutes, numeric=True, explain=t("explain.mean_trip")),
        Column("total_cost", t("cmpcol.total_cost"), fmt.money, numeric=True, explain=t("cmpexp.total_cost")),
        Column("savings", t("col.saving"), fmt.signed_money, numeric=True, explain=t("cmpexp.savings")),
        Column("services_pooled", t("cmpcol.services_pooled"), fmt.text, explain=t("cmpexp.services_pooled")),
        Column("runtime_s", t("cmpcol.runtime_s"), runtime, numeric=True),
    ]}


def comparison_columns(frame: pd.DataFrame) -> list[Column]:
    """Known columns first in their order, then the others as they come."""
    known = known_columns()
    columns = [known[k] for k in known if k in frame.columns]
    for key in frame.columns:
        if key not in known:
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
    text = i18n.plural(len(frame), "cmp.n_variants")
    if "status" in frame.columns:
        counts = frame["status"].astype(str).value_counts()
        parts = [f"{counts[s]} {status_words(s, 0.0).short.split(',')[0]}" for s in STATUS_WORDS if s in counts]
        parts += [f"{counts[s]} {s}" for s in counts.index if s not in STATUS_WORDS]
        text += (" : " if i18n.current() == "fr" else ": ") + ", ".join(parts)
    return f'<p class="lead">{esc(text)}.</p><p>{i18n.t("cmp.explain")}</p>'


def render_comparison_html(table: pd.DataFrame, plots: dict[str, Path] | None = None,
                           title: str | None = None, lang: str | None = None) -> str:
    """The comparison page as text: overview, sortable table, column meanings, plots; in
    ``lang`` (default: the language being written, French)."""
    with i18n.using(lang):
        return _render(table, plots, title or i18n.t("cmp.title"))


def _render(table: pd.DataFrame, plots: dict[str, Path] | None, title: str) -> str:
    frame = table.reset_index(drop=True)
    columns = comparison_columns(frame)
    body = [f"<header><h1>{esc(title)}</h1>{_overview(frame)}</header><main>",
            f'<section aria-labelledby="h-table"><h2 id="h-table">{esc(i18n.t("cmp.variants"))}</h2>'
            f'<p class="hint">{esc(i18n.t("txt.sort_hint"))}</p>',
            page.table(columns, frame.to_dict(orient="records"), table_id="comparison"),
            explain_columns(columns), "</section>"]
    if plots:
        body.append(f'<section aria-labelledby="h-plots"><h2 id="h-plots">{esc(i18n.t("cmp.tradeoffs"))}</h2>'
                    + "".join(_plot(name, path) for name, path in plots.items()) + "</section>")
    body.append("</main>")
    body.append(f'<footer><p>{esc(i18n.t("cmp.footer"))}</p></footer>')
    return document(title, "\n".join(body), scripts=[asset("sortable.js")], lang=i18n.current())
