"""The content of a report, independent of its format.

``report.md`` and ``report.html`` (and the fiches) are written from the same list of
:class:`Section`, each a heading and a few blocks (paragraphs, lists, key figures, tables,
images), so the two reports cannot say different things. A section is built by a function of
:class:`ReportContext` (see :mod:`optimiser.results.sections`); a renderer turns blocks into
Markdown or HTML. Text in :class:`Text` and :class:`Items` may hold ``**bold**``; everything
else is plain text (the HTML renderer escapes it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:  # only an annotation here; importing the html package would be circular (it imports this module)
    from .html.page import Column


@dataclass
class Text:
    """A paragraph. ``css``: ``lead``, ``hint`` (screen only), ``note``."""

    text: str
    css: str = ""


@dataclass
class Items:
    """A bulleted list."""

    items: list[str]


@dataclass
class Heading:
    """A sub-heading inside a section."""

    text: str
    level: int = 3


@dataclass
class Figures:
    """Key figures: (label, value) pairs, shown as cards in HTML and a two-column table in Markdown."""

    items: list[tuple[str, str]]


@dataclass
class Table:
    """A table of ``records`` (dicts) shown through ``columns``; ``explain``: list the columns'
    explanations under it; ``row_attrs``: extra attributes of each HTML row."""

    columns: list[Column]
    records: list[dict]
    id: str | None = None
    explain: bool = False
    sortable: bool = True
    row_attrs: Callable[[dict], dict] | None = None


@dataclass
class Image:
    """A file of the result folder (``map.png``): Markdown links it; HTML shows ``html`` instead
    when given (the interactive map), else nothing (a report.html is one self-contained file)."""

    file: str
    alt: str
    html: str = ""


@dataclass
class Raw:
    """Format-specific content, for what has no common form (the status box, solver details)."""

    html: str = ""
    md: str = ""


@dataclass
class Section:
    """A section of the report: ``id`` (HTML anchor, stable for tests and links), ``title`` and
    its blocks. ``css``: extra class of the HTML ``<section>`` (``summary`` starts a page of its
    own when printed)."""

    id: str
    title: str
    blocks: list = field(default_factory=list)
    css: str = ""


@dataclass
class ReportContext:
    """What a section may draw on: the result's tables and summary, the rules, names by code.

    ``communes``/``poles`` are ``None`` when there is no design, and are held as drawn (a
    one-commune pole is a commune on its own: :func:`optimiser.results.single.as_drawn`);
    ``service_tables`` is ``None`` without a services block; ``territory`` is ``None`` when only
    names are known (a folder read back)."""

    summary: dict
    rules: object
    communes: pd.DataFrame | None = None
    poles: pd.DataFrame | None = None
    service_tables: object | None = None
    names: dict[str, str] = field(default_factory=dict)
    description: str = ""
    territory: object | None = None
    scenario: dict = field(default_factory=dict)

    def __post_init__(self):
        # What a report draws and words: a one-commune "pole" is a commune on its own (results.single).
        from .single import as_drawn

        self.communes, self.poles = as_drawn(self.communes, self.poles)

    def name_of(self, code) -> str:
        return self.names.get(code, str(code))

    @property
    def n_alone(self) -> int:
        """Communes on their own as the report shows them (out of every pole, or alone in one)."""
        if self.communes is None or not len(self.communes):
            return int(self.summary.get("n_alone") or 0)
        return int(self.communes["alone"].astype(bool).sum())

    @property
    def has_costs(self) -> bool:
        return self.service_tables is not None and self.summary.get("total_cost") is not None
