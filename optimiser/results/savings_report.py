"""Report sections of issue 10: where the saving comes from (status quo → reorganised alone →
pooled, the parts of ``savings_by_source.csv`` as a table and a bar chart — ``savings_by_source.png``
for report.md, inline SVG in report.html — and how staff reductions are phased), and the status
quo against the sourced aggregates (``status_quo_check.csv``). Both are registered in
:data:`optimiser.results.sections.SECTIONS`; their words are in :mod:`optimiser.results.i18n`."""

from __future__ import annotations

from html import escape as esc
from pathlib import Path

import pandas as pd

from . import status_quo_words as words
from .document import Image, Items, ReportContext, Section, Table, Text
from .html import fmt
from .i18n import MESSAGES, t
from .records import row_dicts, row_tuples


def _k(value) -> str:
    return fmt.number(value / 1000, 1)


def source_words(source: str) -> str:
    """A source of ``savings_by_source.csv`` in the report's language (the CSV keeps the code)."""
    key = f"source.{source}"
    return t(key) if key in MESSAGES else source


def counterfactual_line(summary: dict) -> str:
    """One line: status quo → reorganised alone → pooled (k€/yr)."""
    k = {"before": _k(summary["status_quo_cost"]), "alone": _k(summary["alone_cost"]), "after": _k(summary["total_cost"]),
         "saved_alone": _k(summary["savings_alone"])}
    if summary.get("savings_pooling") is None:  # pooling disabled: the design is the status quo
        return t("txt.sources_alone_only", **k)
    return t("txt.sources_counterfactual", saved_pooling=_k(summary["savings_pooling"]), **k)


def attrition_line(summary: dict) -> str:
    a = summary.get("attrition") or {}
    if a.get("no_reduction_beyond_attrition"):
        return t("txt.attrition_rule", rate=fmt.number(100 * a["rate_per_year"], 0), years=a["horizon_years"],
                 kept=fmt.number(100 * a["average_share_kept"], 1))
    return t("txt.attrition_none")


def _parts(table: pd.DataFrame) -> list:
    return [r for r in row_tuples(table) if r.stage != "total" and abs(r.saving_eur) >= 0.5]


def _svg(table: pd.DataFrame) -> str:
    """Horizontal bars (green saves, red costs), one per non-zero part."""
    parts = _parts(table)
    top = max([abs(r.saving_eur) for r in parts] or [1.0])
    bars = []
    for n, r in enumerate(parts):
        width = 180 * abs(r.saving_eur) / top
        x = 200 if r.saving_eur >= 0 else 200 - width
        colour = "#2a9d8f" if r.saving_eur >= 0 else "#e76f51"
        bars.append(f'<rect x="{x:.1f}" y="{n * 18 + 2}" width="{width:.1f}" height="14" fill="{colour}">'
                    f"<title>{esc(source_words(r.source))}: {esc(_k(r.saving_eur))} k€</title></rect>")
    height = len(parts) * 18 + 4
    return (f'<svg role="img" aria-label="{esc(t("h.sources"))}" viewBox="0 0 400 {height}" width="400">'
            f'<line x1="200" x2="200" y1="0" y2="{height}" stroke="#333"/>{"".join(bars)}</svg>')


def draw_chart(path: Path, table: pd.DataFrame, title: str) -> None:
    """``savings_by_source.png``: the same bars, for report.md."""
    from .figures import new_figure  # matplotlib only when a chart is drawn: rendering the reports (verify) needs none

    parts = _parts(table)
    fig, ax = new_figure((7.5, 0.45 * max(3, len(parts)) + 1.2))
    labels = [source_words(r.source) if r.stage == "both" else f"{source_words(r.source)} ({t('stage.' + r.stage)})" for r in parts]
    values = [r.saving_eur / 1000 for r in parts]
    ax.barh(range(len(parts)), values, color=["#2a9d8f" if v >= 0 else "#e76f51" for v in values])
    ax.set_yticks(range(len(parts)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel(t("chart.sources_axis"))
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def sources_section(ctx: ReportContext) -> Section | None:
    """Where the saving comes from (after the services)."""
    tables, s = ctx.service_tables, ctx.summary
    if not ctx.has_costs or "alone_cost" not in s or not len(getattr(tables, "savings_by_source", ())):
        return None
    from .html.page import Column

    table = tables.savings_by_source
    records = [{"stage": t(f"stage.{r.stage}"), "source": source_words(r.source), "saving_eur": r.saving_eur,
                "share": r.share_of_saving} for r in row_tuples(table)]
    columns = [Column("stage", t("col.stage")), Column("source", t("col.source")),
               Column("saving_eur", t("col.saving_k"), lambda v: f"{_k(v)} k€", numeric=True),
               Column("share", t("col.share_of_saving"), fmt.percent, numeric=True)]
    return Section("sources", t("h.sources"), [
        Text(counterfactual_line(s)),
        Image("savings_by_source.png", t("h.sources"), html=_svg(table)),
        Table(columns, records, id="savings-by-source", sortable=False),
        Text(t("txt.sources_method")), Text(attrition_line(s))])


def status_quo_check_section(ctx: ReportContext) -> Section | None:
    """Is the status quo believable? Each commune and the territory against the sourced aggregates,
    worded in the report's language (:mod:`.status_quo_words`; the CSV keeps its codes)."""
    check = getattr(ctx.service_tables, "status_quo_check", None)
    if check is None or not len(check):
        return None
    from .html.page import Column

    def span(r) -> str:
        return "—" if pd.isna(r["low"]) or pd.isna(r["high"]) else f"{fmt.number(r['low'], 1)}–{fmt.number(r['high'], 1)}"

    records = [{**r, "scope_words": words.scope_words(str(r["scope"]), r["name"]), "indicator_words": words.indicator_words(r["indicator"]),
                "range": span(r), "status_words": words.status_words(r["status"])}
               for r in row_dicts(check)]
    columns = [Column("scope_words", t("col.scope")), Column("population", t("col.population"), fmt.integer, numeric=True),
               Column("indicator_words", t("col.indicator")), Column("value", t("col.value"), lambda v: fmt.number(v, 2), numeric=True),
               Column("central", t("col.central"), lambda v: fmt.number(v, 2), numeric=True), Column("range", t("col.range")),
               Column("status_words", t("col.status"))]
    blocks = [Text(t("txt.status_quo_check"))]
    headline = words.headline_words(ctx.service_tables)
    if headline:
        blocks.append(Text(headline))
    blocks.append(Table(columns, records, id="status-quo-check"))
    warnings = words.warning_words(ctx.service_tables, ctx.names)
    if warnings:
        blocks += [Text(t("txt.status_quo_warnings")), Items(warnings)]
    return Section("status-quo-check", t("h.status_quo_check"), blocks)
