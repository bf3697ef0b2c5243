"""``report.html``: one result, for elected officials — the decision, the saving and how sure it
is, who pays more and why, then the map and the details, in the sections of
:mod:`optimiser.results.sections` (the same as ``report.md``).

Cost columns that the service-sharing model adds to ``communes.csv`` (:data:`COST_COLUMNS`)
appear in the communes table and the map's tooltips as soon as they exist; any column nobody
knows is shown in the communes table under its own name. The page prints to a clean PDF
(``@media print`` in ``report.css``: A4, the summary on its own first page, no sideways tables).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd

from ...territory import Territory
from .. import i18n
from ..document import Figures, Heading, Image, Items, Raw, ReportContext, Section, Table, Text
from ..i18n import t
from ..records import row_tuples
from ..report import ATTRIBUTION
from ..sections import build_sections, rules_in_words  # noqa: F401  (rules_in_words: public here too)
from ..single import as_drawn, drawn_outlines
from . import fmt
from .page import Column, asset, document, esc, explain_columns, table
from .svgmap import commune_fills, commune_records, numbered_key, render_svg_map


def cost_columns() -> list[Column]:
    """Optional per-commune columns of the service-sharing model, in display order (€ per year)."""
    return [
        Column("services_pooled", t("col.services_pooled"), i18n.services_list),
        Column("standalone_cost", t("col.standalone"), fmt.money, numeric=True, explain=t("explain.standalone")),
        Column("share", t("col.share"), fmt.money, numeric=True, explain=t("explain.share")),
        Column("saving", t("col.saving"), fmt.signed_money, numeric=True, explain=t("explain.saving")),
    ]


#: The keys of :func:`cost_columns` (for callers that only need to know which exist).
COST_COLUMNS = ["services_pooled", "standalone_cost", "share", "saving"]

#: The attribution of ``report.md``, one source per line.
ATTRIBUTION_LINES = re.split(r"(?<=Licence Ouverte\.)\s+", ATTRIBUTION.strip())


def _bold(text: str) -> str:
    """Escaped text with ``**bold**`` as ``<b>``."""
    return re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", esc(text))


def block_html(block) -> str:
    """One block of :mod:`optimiser.results.document` as HTML."""
    if isinstance(block, Text):
        css = f' class="{esc(block.css)}"' if block.css else ""
        return f"<p{css}>{_bold(block.text)}</p>"
    if isinstance(block, Items):
        return "<ul>" + "".join(f"<li>{_bold(item)}</li>" for item in block.items) + "</ul>"
    if isinstance(block, Heading):
        return f"<h{block.level}>{esc(block.text)}</h{block.level}>"
    if isinstance(block, Figures):
        return '<dl class="figures">' + "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in block.items) + "</dl>"
    if isinstance(block, Table):
        if not block.records:
            return ""
        out = table(block.columns, block.records, table_id=block.id, sortable=block.sortable, row_attrs=block.row_attrs)
        return out + (explain_columns(block.columns) if block.explain else "")
    if isinstance(block, Image):
        return block.html
    if isinstance(block, Raw):
        return block.html
    raise TypeError(f"unknown block {type(block).__name__}")


def section_html(section: Section) -> str:
    css = f' class="{esc(section.css)}"' if section.css else ""
    return (f'<section id="s-{esc(section.id)}"{css} aria-labelledby="h-{esc(section.id)}">'
            f'<h2 id="h-{esc(section.id)}">{esc(section.title)}</h2>'
            + "".join(block_html(b) for b in section.blocks) + "</section>")


def tooltip_rows(record: dict, cost_columns: list[Column]) -> list[list[str]]:
    """The lines of a commune's tooltip: [label, value] pairs, plain text."""
    rows = [[t("col.population"), fmt.integer(record.get("population"))], [t("col.insee"), str(record["insee_code"])]]
    if "pole" not in record:
        return rows
    if record.get("alone") or not isinstance(record.get("pole"), str):
        rows.append([t("col.pole"), t("tip.on_its_own" if record.get("on_its_own") is True else "tip.pole_none")])
        return rows + [[c.label, c.format(record.get(c.key))] for c in cost_columns]
    rows.append([t("col.pole"), f"{record['pole']} — {record['pole_name']}"])
    if record.get("is_seat"):
        rows.append([t("col.seat"), t("tip.is_seat")])
    else:
        rows.append([t("col.seat"), fmt.text(record.get("seat_name"))])
        rows.append([t("col.trip"), f"{fmt.minutes(record.get('travel_min'))} ({fmt.km(record.get('travel_km'))})"])
    return rows + [[c.label, c.format(record.get(c.key))] for c in cost_columns]


def _legend(poles: pd.DataFrame | None, communes: pd.DataFrame | None, colours: dict[str, str]) -> str:
    if poles is None or communes is None:
        return f'<p class="legend-note">{esc(t("txt.no_design_map"))}</p>'
    fill_of_pole = {}
    for record in row_tuples(communes):
        if isinstance(record.pole, str):
            fill_of_pole.setdefault(record.pole, colours[record.insee_code])
    items = []
    for record in row_tuples(poles):
        items.append(
            f'<li data-pole="{esc(record.pole)}" tabindex="0"><svg class="swatch" aria-hidden="true" viewBox="0 0 1 1">'
            f'<rect width="1" height="1" fill="{esc(fill_of_pole.get(record.pole, "#fff"))}"/></svg>'
            f'<span><b>{esc(record.pole)}</b> {esc(record.pole_name)} — '
            f'{esc(t("legend.pole", n=record.n_communes, population=fmt.integer(record.population)))}</span></li>')
    n_alone = int(communes["alone"].astype(bool).sum())
    if n_alone:
        items.append(f'<li><span class="swatch alone" aria-hidden="true"></span><span>{esc(t("legend.alone", n=n_alone))}</span></li>')
    items.append('<li><svg class="swatch" aria-hidden="true" viewBox="-1 -1 2 2"><path class="seat" '
                 'd="M0 -1 0.26 -0.36 0.95 -0.31 0.43 0.14 0.59 0.81 0 0.45 -0.59 0.81 -0.43 0.14 -0.95 -0.31 -0.26 -0.36Z"/>'
                 f'</svg><span>{esc(t("legend.seat"))}</span></li>')
    return f'<ul class="legend" aria-label="{esc(t("h.map"))}">' + "".join(items) + "</ul>"


def render_result_html(summary: dict, communes: pd.DataFrame | None, poles: pd.DataFrame | None,
                       territory: Territory, rules, *, description: str = "", labels: str = "auto",
                       service_tables=None, outlines: dict | None = None, lang: str | None = None,
                       scenario: dict | None = None, sections: list[Section] | None = None) -> str:
    """The whole ``report.html`` page as text (see the module docstring), in ``lang`` (default:
    the language being written, French). ``outlines``: the poles' polygons
    (:func:`optimiser.results.geo.pole_geometries`), computed when not given. ``sections``: the
    sections of these same data in this same language, already built for ``report.md``
    (:func:`optimiser.results.sections.build_sections`; never changed here); built when not given."""
    with i18n.using(lang):
        return _render(summary, communes, poles, territory, rules, description, labels, service_tables, outlines, scenario or {},
                       sections)


def _render(summary, communes, poles, territory, rules, description, labels, service_tables, outlines, scenario, sections) -> str:
    outlines = drawn_outlines(outlines, poles)  # a one-commune pole is drawn as a commune on its own
    communes, poles = as_drawn(communes, poles)
    key = "report.title" if service_tables is not None else "report.title_poles"
    title = t(key, scenario=summary["scenario"])
    fills = commune_fills(territory, communes)
    records = commune_records(communes)
    svg, points = render_svg_map(territory, communes, labels=labels, title=t("txt.map_of", name=territory.name),
                                 outlines=outlines, fills=fills, records=records)

    costs = [] if communes is None else [c for c in cost_columns() if c.key in communes.columns]
    tips = {}
    for code in territory.codes:
        record = records.get(code) or {"insee_code": code, "population": territory.communes.at[code, "population"]}
        tips[code] = {"name": territory.name_of(code), "rows": tooltip_rows(record, costs), "point": points[code]}

    def pole_cell(r: dict) -> str:
        if r.get("alone") or not isinstance(r.get("pole"), str):
            return f'<span class="swatch alone" aria-hidden="true"></span>{esc(t("word.alone"))}'
        return (f'<svg class="swatch" aria-hidden="true" viewBox="0 0 1 1"><rect width="1" height="1" '
                f'fill="{esc(fills.get(r["insee_code"], "#fff"))}"/></svg>{esc(r["pole"])}')

    if sections is None:
        sections = build_sections(ReportContext(summary=summary, rules=rules, communes=communes, poles=poles,
                                                service_tables=service_tables, names=territory.communes["name"].to_dict(),
                                                description=description, territory=territory, scenario=scenario))
    map_html = (f'<div class="map-wrap" id="map-wrap">{svg}<div id="tip" class="tip" role="status" aria-live="polite" hidden></div></div>'
                f"{_legend(poles, communes, fills)}{numbered_key(territory, labels)}")
    body = [f"<header><h1>{esc(title)}</h1>", f'<p class="lead">{esc(summary["territory"]["name"])}</p>']
    if description:
        body.append(f'<p class="description">{esc(description.strip())}</p>')
    body.append("</header><main>")
    for section in sections:
        body.append(section_html(_as_on_the_page(section, map_html, pole_cell)))
    body.append("</main>")
    body.append(f'<footer><h2>{esc(t("h.data"))}</h2>' + "".join(f"<p>{esc(line)}</p>" for line in ATTRIBUTION_LINES)
                + f"<p>{esc(t('txt.made_with', version=summary.get('versions', {}).get('optimiser', '')))}</p></footer>")
    return document(title, "\n".join(body), scripts=[asset("sortable.js"), asset("map.js")], data={"communes": tips},
                    lang=i18n.current())


def _as_on_the_page(section: Section, map_html: str, pole_cell) -> Section:
    """``section`` as the page shows it: the interactive map in place of ``map.png`` (other images
    of the map section, such as ``savings.png``, stay in the folder only), the communes' pole cell
    with its colour swatch. A changed copy: ``section`` may be shared with ``report.md``."""
    if section.id == "map":
        blocks = [replace(b, html=map_html) if isinstance(b, Image) else b
                  for b in section.blocks if not (isinstance(b, Image) and b.file != "map.png")]
        return replace(section, blocks=blocks)
    if section.id == "communes":
        blocks = [replace(b, columns=[Column(c.key, c.label, c.format, c.numeric, c.explain, pole_cell if c.key == "pole" else c.cell)
                                      for c in b.columns]) if isinstance(b, Table) else b for b in section.blocks]
        return replace(section, blocks=blocks)
    return section


def write_report_html(path: Path, result, outlines: dict | None = None, lang: str | None = None,
                      sections: list[Section] | None = None) -> None:
    """Write ``report.html`` for a :class:`~optimiser.results.result.Result` that holds its inputs
    (``outlines`` and ``sections`` as for :func:`render_result_html`)."""
    territory = result.inputs.territory
    outputs = result.resolved_scenario.get("outputs", {}) or {}
    page = render_result_html(result.summary, result.communes, result.poles, territory, result.inputs.rules,
                              description=result.resolved_scenario.get("description", "") or "",
                              labels=outputs.get("labels", "auto"), service_tables=result.service_tables,
                              outlines=outlines, lang=lang, scenario=result.resolved_scenario, sections=sections)
    Path(path).write_text(page, encoding="utf-8")
