"""The saving by source in the reports: status quo → reorganised alone → pooled, the parts of
``savings_by_source.csv`` as a table and a bar chart (``savings_by_source.png`` for report.md,
inline SVG for report.html), and how staff reductions are phased."""

from __future__ import annotations

from html import escape as esc
from pathlib import Path

from .figures import new_figure


def _k(value) -> str:
    return "—" if value is None or value != value else f"{value / 1000:,.1f}"


def counterfactual_line(summary: dict) -> str:
    """One line: status quo → reorganised alone → pooled (k€/yr)."""
    if summary.get("savings_pooling") is None:  # pooling disabled: the design is the status quo
        return (f"Status quo **{_k(summary['status_quo_cost'])} k€**; every member reorganised alone (its own mode and "
                f"staffing) would cost **{_k(summary['alone_cost'])} k€**, {_k(summary['savings_alone'])} k€ a year less.")
    return (f"Status quo **{_k(summary['status_quo_cost'])} k€** → every member reorganised alone (its own mode and staffing, "
            f"nobody pooling) **{_k(summary['alone_cost'])} k€** → this design **{_k(summary['total_cost'])} k€**: reorganising "
            f"alone saves {_k(summary['savings_alone'])} k€ a year, pooling {_k(summary['savings_pooling'])} k€ more.")


def attrition_line(summary: dict) -> str:
    a = summary.get("attrition") or {}
    if a.get("no_reduction_beyond_attrition"):
        return (f"Staff: nobody is replaced who leaves ({100 * a['rate_per_year']:.0f} % a year); posts are freed year by year "
                f"over {a['horizon_years']} years, and the yearly figures keep on average {100 * a['average_share_kept']:.1f} % of "
                "today's agents of a changed service (`staff_trajectory.csv`: per year and member, whole agents freed and "
                "redeployed time).")
    return ("Staff: reductions are made in year 1 — agents leave or their time is redeployed to other work; "
            "`staff_trajectory.csv` says how much is whole agents and how much redeployed time.")


def _parts(table):
    return [r for r in table.itertuples() if r.stage != "total" and abs(r.saving_eur) >= 0.5]


def markdown_section(summary: dict, table) -> list[str]:
    """The ``### Savings by source`` part of report.md."""
    out = ["### Where the saving comes from", "", counterfactual_line(summary), "",
           "![Savings by source](savings_by_source.png)", "",
           "| Stage | Source | Saving (k€/yr) | Share of the saving |", "|---|---|---:|---:|"]
    for r in table.itertuples():
        share = "—" if r.share_of_saving != r.share_of_saving or r.share_of_saving is None else f"{100 * r.share_of_saving:+.1f} %"
        name = f"**{r.source}**" if r.stage == "total" else r.source
        out.append(f"| {r.stage} | {name} | {_k(r.saving_eur)} | {share} |")
    out += ["", "The parts add up to the saving (method: README, \"Savings by source\"); every part but the tax basis is HT.",
            "", attrition_line(summary), ""]
    return out


def draw_chart(path: Path, table, title: str) -> None:
    """Horizontal bars, one per source with a non-zero part (green saves, red costs)."""
    parts = _parts(table)
    fig, ax = new_figure((7.5, 0.45 * max(3, len(parts)) + 1.2))
    labels = [f"{r.source} ({r.stage})" if r.stage != "both" else r.source for r in parts]
    values = [r.saving_eur / 1000 for r in parts]
    ax.barh(range(len(parts)), values, color=["#2a9d8f" if v >= 0 else "#e76f51" for v in values])
    ax.set_yticks(range(len(parts)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel("k€ a year (saving > 0, cost < 0)")
    ax.set_title(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def html_section(summary: dict, table) -> str:
    """The same as a section of report.html, with an inline SVG bar chart (no image file)."""
    parts = _parts(table)
    top = max([abs(r.saving_eur) for r in parts] or [1.0])
    rows, bars = [], []
    for n, r in enumerate(parts):
        width = 180 * abs(r.saving_eur) / top
        x = 200 if r.saving_eur >= 0 else 200 - width
        colour = "#2a9d8f" if r.saving_eur >= 0 else "#e76f51"
        bars.append(f'<rect x="{x:.1f}" y="{n * 18 + 2}" width="{width:.1f}" height="14" fill="{colour}">'
                    f"<title>{esc(r.source)}: {r.saving_eur / 1000:,.1f} k€</title></rect>")
    for r in table.itertuples():
        share = "" if r.share_of_saving != r.share_of_saving or r.share_of_saving is None else f"{100 * r.share_of_saving:+.1f} %"
        rows.append(f'<tr><td>{esc(r.stage)}</td><td>{esc(r.source)}</td><td data-sort="{r.saving_eur}">'
                    f"{r.saving_eur / 1000:,.1f} k€</td><td>{share}</td></tr>")
    svg = (f'<svg role="img" aria-label="Savings by source" viewBox="0 0 400 {len(parts) * 18 + 4}" width="400">'
           f'<line x1="200" x2="200" y1="0" y2="{len(parts) * 18 + 4}" stroke="#333"/>{"".join(bars)}</svg>')
    text = counterfactual_line(summary).replace("**", "")
    return ('<section aria-labelledby="h-sources"><h2 id="h-sources">Where the saving comes from</h2>'
            f"<p>{esc(text)}</p>{svg}"
            '<table id="savings-by-source"><thead><tr><th>Stage</th><th>Source</th><th>Saving</th><th>Share</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table><p>{esc(attrition_line(summary).replace("`", ""))}</p></section>')
