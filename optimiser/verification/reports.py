"""Check ``report.md`` and ``report.html``: the figures an elected official reads are the
verified ones.

The reports are rendered again, in the language each was written in, from the folder's verified
files — ``summary.json``, ``poles.csv``, ``communes.csv`` (in territory order) and the service
tables — with the rules resolved from the scenario and the territory of ``inputs/``, and what
each report shows is compared with that rendering: ``report.md`` section by section, line by line;
``report.html`` by its status box, key figures, solver details, every table (the text of each
cell and the raw number numeric cells carry in ``data-sort``) and the map's tooltips. A figure
that differs, a row or line too many or missing is a violation; whitespace is not significant.
"""

from __future__ import annotations

import json
import math
from html.parser import HTMLParser

from ..results import i18n
from .memo import PAGES, content_key, derived, kept, parsed_page, rendering


def _norm(text) -> str:
    return " ".join(str(text).split())


def _lang_of_markdown(text: str) -> str:
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    with i18n.using("en"):
        english = (i18n.t("report.title", scenario="").strip(" —"), i18n.t("report.title_poles", scenario="").strip(" —"))
    return "en" if any(first.startswith("# " + title) for title in english) else "fr"


def _lang_of_html(text: str) -> str:
    head = text[:400]
    return "en" if 'lang="en"' in head else "fr"


def _rendering_inputs(view) -> tuple[dict, dict, dict, str]:
    """What both renderings read: the summary with the unit the rules imply (not what the file
    says), the communes' names, the scenario and its description."""
    summary = {**view.summary, "objective_unit": view.objective_unit}
    scenario = view.scenario or {}
    return summary, view.territory.communes["name"].to_dict(), scenario, scenario.get("description", "") or ""


def _report_sections(view, lang: str) -> list:
    """The reports' sections for the verified data in ``lang``, built once per verification and
    shown by both renderings, as the writer does (``Result.to_dir``): building them is most of a
    rendering's time. Built as the writer builds them (the territory, its names, the scenario)."""
    if lang not in view.sections:
        from .report_sections import kept_sections

        summary, names, scenario, description = _rendering_inputs(view)
        # each section kept per content of what it reads (.report_sections): a folder that differs
        # in one service table builds again only the sections that read it
        view.sections[lang] = kept_sections(view.fingerprint, lang, dict(
            summary=summary, rules=view.rules, communes=view.communes, poles=view.poles, service_tables=view.report_tables,
            names=names, description=description, territory=view.territory, scenario=scenario))
    return view.sections[lang]


def _rendering_key(view) -> str | None:
    """The content hash of everything the renderings read (.memo): the inputs' fingerprint (the
    scenario, the territory and the rules derive from it) and the verified summary, communes,
    poles and service tables. A folder whose files say the same is not rendered again (a report
    edited by hand, a tampering matrix); ``None`` (always rendered) without a fingerprint."""
    if view.rendering_key is None and view.fingerprint is not None:
        summary, _, scenario, description = _rendering_inputs(view)
        view.rendering_key = content_key(view.fingerprint, summary, scenario, description, view.communes, view.poles,
                                         view.report_tables)
    return view.rendering_key


def _outlines(view) -> dict | None:
    """The poles' outlines the map draws (:func:`optimiser.results.geo.pole_geometries`, as the
    writer passes them), once per distinct inputs and placement (.memo): the unions of polygons
    are most of the map's time. ``None`` (the renderer computes them) without a design or a
    fingerprint."""
    if view.communes is None or view.fingerprint is None:
        return None
    from ..results.geo import pole_geometries

    placement = view.communes[["insee_code", "pole", "alone"]]
    # a shallow copy each time: shapely geometries are immutable
    return kept(derived(view.fingerprint), "outlines", content_key(placement),
                lambda: pole_geometries(view.territory, view.communes), limit=PAGES)


def _rendered_markdown(view, lang: str) -> str:
    """``report.md`` as the verified files say it should read (each report is rendered only
    when checked: a rendering is most of the verifier's time)."""
    from ..results.report import render_report

    def render() -> str:
        summary, names, scenario, description = _rendering_inputs(view)
        return render_report(summary, view.rules, view.communes, view.poles, description, names, view.report_tables,
                             lang=lang, scenario=scenario, sections=_report_sections(view, lang))

    return rendering(_rendering_key(view), "report.md", lang, render)


def _rendered_html(view, lang: str) -> str:
    """``report.html`` as the verified files say it should read."""
    from ..results.html.report import render_result_html

    def render() -> str:
        summary, _, scenario, description = _rendering_inputs(view)
        return render_result_html(summary, view.communes, view.poles, view.territory, view.rules, description=description,
                                  labels=(scenario.get("outputs") or {}).get("labels", "auto"),
                                  service_tables=view.report_tables, lang=lang, scenario=scenario,
                                  sections=_report_sections(view, lang), outlines=_outlines(view))

    return rendering(_rendering_key(view), "report.html", lang, render)


# ----------------------------------------------------------------------------- report.md


def _sections(text: str) -> dict[str, list[str]]:
    """``## `` heading → its non-empty lines, whitespace-normalised (the title block under '')."""
    out: dict[str, list[str]] = {"": []}
    current = ""
    for line in text.splitlines():
        line = _norm(line)
        if line.startswith("## "):
            current = line[3:]
            out.setdefault(current, [])
        elif line:
            out[current].append(line)
    return out


def markdown_problems(text: str, view) -> list[str]:
    """``view``: the verified data (:class:`optimiser.verification.ReportView`)."""
    lang = _lang_of_markdown(text)
    want = _sections(_rendered_markdown(view, lang))
    shown = _sections(text)
    out = []
    status_words = ("Statut", "Status")
    for title, lines in want.items():
        where = f"report.md, section “{title}”" if title else "report.md, title"
        if title not in shown:
            out.append(f"report.md: no section “{title}”")
            continue
        got = shown[title]
        if got == lines:
            continue
        diffs = [(k, a, b) for k, (a, b) in enumerate(zip(got, lines)) if a != b]
        for k, a, b in diffs[:3]:
            what = "report.md: the status" if b.startswith(status_words) else f"{where}, line {k + 1}"
            out.append(f"{what} reads {a!r}, the verified figures give {b!r}")
        if len(got) != len(lines):
            out.append(f"{where}: {len(got)} lines, the verified figures give {len(lines)}"
                       + (f" (first missing: {lines[len(got)]!r})" if len(got) < len(lines) else ""))
    for title in shown:
        if title not in want:
            out.append(f"report.md: a section “{title}” the verified result does not have")
    return out


# --------------------------------------------------------------------------- report.html


class _Page(HTMLParser):
    """What the checks read of report.html: tables by id (header labels, rows of (text,
    data-sort)), the key figures, the status word, the solver details, the embedded data."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, dict] = {}
        self.figures: dict[str, str] = {}
        self.details: dict[str, str] = {}
        self.status_word: str | None = None
        self.data: str | None = None
        self._stack: list[tuple[str, dict]] = []
        self._text: list[str] | None = None
        self._table: dict | None = None
        self._row: list | None = None
        self._sort = None
        self._dt: str | None = None
        self._in_details = False
        self._th_row: str | None = None
        self._in_figures = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "meta", "link", "img", "input", "rect", "path"):
            return
        self._stack.append((tag, a))
        classes = (a.get("class") or "").split()
        if tag == "table" and a.get("id"):
            self._table = self.tables.setdefault(a["id"], {"header": [], "rows": []})
        elif tag == "table" and "details" in classes:
            self._in_details = True
        elif tag == "dl":
            self._in_figures = "figures" in classes
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") or (tag in ("dt", "dd") and self._in_figures) or (tag == "p" and "status-word" in classes):
            self._text, self._sort = [], a.get("data-sort")
        elif tag == "script" and a.get("id") == "report-data":
            self._text = []

    def updatepos(self, i, j):
        """Where the parser is, without counting lines and columns (only :meth:`getpos` reads them,
        for messages this reader never gives): a sixth of the parsing time."""
        return j

    def handle_startendtag(self, tag, attrs):
        pass  # <rect .../>, <path .../>: no text, nothing to read

    def handle_endtag(self, tag):
        a = {}
        if any(t == tag for t, _ in self._stack):
            while self._stack:
                open_tag, a = self._stack.pop()
                if open_tag == tag:
                    break
        text = _norm("".join(self._text)) if self._text is not None else None
        classes = (a.get("class") or "").split()
        if tag == "table":
            self._table, self._in_details = None, False
        elif tag == "th" and self._table is not None and self._row is not None and text is not None:
            self._table["header"].append(text)
        elif tag == "td" and self._row is not None and text is not None:
            self._row.append((text, self._sort))
        elif tag == "tr" and self._table is not None and self._row is not None:
            if self._row:
                self._table["rows"].append(self._row)
            self._row = None
        elif tag == "th" and self._in_details:
            self._th_row = text
        elif tag == "td" and self._in_details and self._th_row is not None:
            self.details[self._th_row] = text
        elif tag == "dl":
            self._in_figures = False
        elif tag == "dt" and self._in_figures:
            self._dt = text
        elif tag == "dd" and self._in_figures and self._dt is not None:
            self.figures[self._dt] = text
            self._dt = None
        elif tag == "p" and "status-word" in classes and self.status_word is None:
            self.status_word = text
        elif tag == "script" and self._text is not None and self.data is None and not any(t == "script" for t, _ in self._stack):
            self.data = "".join(self._text) or None
        if tag in ("td", "th", "dt", "dd", "p", "script"):
            self._text = None

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)



def _read(text: str) -> _Page:
    """What the checks read of a page, parsed once per distinct text (:func:`.memo.parsed_page`): the
    folder's report.html and the verified rendering are mostly the same from one folder to the next.
    The checks only read a page, never change it."""
    return parsed_page(text, _parse)


def _parse(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def _table_problems(table_id: str, shown: dict | None, want: dict) -> list[str]:
    """Rows of a page table (keyed by their first cell) against the verified rendering."""
    where = f"report.html, table {table_id}"
    if shown is None:
        return [f"{where}: missing"]
    out = []
    if shown["header"] != want["header"]:
        out.append(f"{where}: columns {shown['header']}, the verified report has {want['header']}")
        return out
    header = want["header"]
    expected = {}
    for row in want["rows"]:
        expected.setdefault(row[0][0] if row else "", []).append(row)
    seen: dict[str, int] = {}
    for row in shown["rows"]:
        key = row[0][0] if row else ""
        candidates = expected.get(key)
        if not candidates:
            out.append(f"{where}: row {key!r} is not in the verified data")
            continue
        k = seen.get(key, 0)
        seen[key] = k + 1
        target = candidates[min(k, len(candidates) - 1)]
        for label, (text, raw), (want_text, want_raw) in zip(header, row, target):
            if text != want_text:
                out.append(f"{where}, row {key}, {label}: {text!r}, the verified value is {want_text!r}")
            elif want_raw is not None and (raw is None or not math.isclose(float(raw), float(want_raw), rel_tol=1e-9, abs_tol=1e-9)):
                out.append(f"{where}, row {key}, {label}: sorts as {raw}, the verified value is {want_raw}")
        if len(row) != len(target):
            out.append(f"{where}, row {key}: {len(row)} cells, the verified report has {len(target)}")
    missing = [k for k, rows in expected.items() if seen.get(k, 0) < len(rows)]
    if missing:
        out.append(f"{where}: no row for {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
    return out


def html_problems(text: str, view) -> list[str]:
    lang = _lang_of_html(text)
    page, want = _read(text), _read(_rendered_html(view, lang))
    out = []
    if page.status_word != want.status_word:
        out.append(f"report.html: the status box reads {page.status_word!r}, the verified status is {want.status_word!r}")
    for label, value in want.details.items():
        if page.details.get(label) != value:
            out.append(f"report.html: {label} reads {page.details.get(label)!r}, the verified value is {value!r}")
    for label, value in want.figures.items():
        if page.figures.get(label) != value:
            out.append(f"report.html: “{label}” reads {page.figures.get(label)!r}, the verified value is {value!r}")
    for table_id, table in want.tables.items():
        out += _table_problems(table_id, page.tables.get(table_id), table)
    for table_id in page.tables:
        if table_id not in want.tables:
            out.append(f"report.html: a table {table_id} the verified result does not have")
    out += _tooltip_problems(page, want, view)
    return out


def _tooltip_problems(page: _Page, want: _Page, view) -> list[str]:
    """The map's tooltips (what a commune shows under the pointer) against the verified rendering."""
    if page.data is None:
        return ["report.html: no map data (script report-data)"]
    try:
        tips = json.loads(page.data)["communes"]
    except (ValueError, KeyError, TypeError):
        return ["report.html: the map data (script report-data) is not readable"]
    expected = json.loads(want.data)["communes"]
    out = []
    for code, tip in expected.items():
        shown = tips.get(code) or {}
        rows, want_rows = dict(map(tuple, shown.get("rows", []))), dict(map(tuple, tip["rows"]))
        wrong = [f"{k} {rows.get(k)!r} (expected {v!r})" for k, v in want_rows.items() if rows.get(k) != v]
        if wrong:
            out.append(f"report.html, map tooltip of {tip['name']}: {', '.join(wrong)}")
    return out
