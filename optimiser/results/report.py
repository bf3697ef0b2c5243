"""``report.md``: what was decided, what it saves and how sure it is, then the details — the
same sections as ``report.html`` (:mod:`optimiser.results.sections`), as Markdown."""

from __future__ import annotations

import pandas as pd

from . import i18n
from .document import Figures, Heading, Image, Items, Raw, ReportContext, Section, Table, Text
from .sections import build_sections

ATTRIBUTION = (
    "Découpage administratif : Etalab, @etalab/decoupage-administratif 6.0.0 (INSEE COG, DGCL, INSEE populations légales), "
    "Licence Ouverte. Contours communaux : IGN – Admin Express COG édition 2018, via france-geojson (Grégoire David), Licence Ouverte."
)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def block_markdown(block) -> list[str]:
    """One block as Markdown lines (see :mod:`optimiser.results.document`)."""
    if isinstance(block, Text):
        return [block.text, ""]
    if isinstance(block, Items):
        return [f"- {item}" for item in block.items] + [""]
    if isinstance(block, Heading):
        return ["#" * block.level + " " + block.text, ""]
    if isinstance(block, Figures):
        return ["| | |", "|---|---|"] + [f"| {_cell(k)} | {_cell(v)} |" for k, v in block.items] + [""]
    if isinstance(block, Table):
        if not block.records:
            return []
        head = "| " + " | ".join(_cell(c.label) for c in block.columns) + " |"
        rule = "|" + "|".join("---:" if c.numeric else "---" for c in block.columns) + "|"
        rows = ["| " + " | ".join(_cell(c.format(r.get(c.key))) for c in block.columns) + " |" for r in block.records]
        out = [head, rule, *rows, ""]
        if block.explain:
            out += [f"- *{c.label}*: {c.explain}" for c in block.columns if c.explain] + [""]
        return out
    if isinstance(block, Image):
        return [f"![{block.alt}]({block.file})", ""]
    if isinstance(block, Raw):
        return [block.md, ""] if block.md else []
    raise TypeError(f"unknown block {type(block).__name__}")


def sections_markdown(sections: list[Section]) -> list[str]:
    out = []
    for section in sections:
        out += [f"## {section.title}", ""]
        for block in section.blocks:
            out += block_markdown(block)
    return out


def render_report(summary: dict, rules, communes: pd.DataFrame | None, poles: pd.DataFrame | None,
                  description: str = "", names: dict[str, str] | None = None, service_tables=None,
                  lang: str | None = None, scenario: dict | None = None, sections: list[Section] | None = None) -> str:
    """``report.md`` as text, in ``lang`` (default: the language being written, French).

    ``sections``: the sections of these same data in this same language, already built for
    ``report.html`` (:func:`optimiser.results.sections.build_sections`; building them is most of
    a rendering's time); built here when not given."""
    with i18n.using(lang):
        if sections is None:
            sections = build_sections(ReportContext(summary=summary, rules=rules, communes=communes, poles=poles,
                                                    service_tables=service_tables, names=names or {},
                                                    description=description, scenario=scenario or {}))
        key = "report.title" if service_tables is not None else "report.title_poles"
        out = [f"# {i18n.t(key, scenario=summary['scenario'])}", "", f"**{summary['territory']['name']}**", ""]
        if description:
            out += [description.strip(), ""]
        out += sections_markdown(sections)
        out += [f"## {i18n.t('h.data')}", "", ATTRIBUTION, ""]
        return "\n".join(out)
