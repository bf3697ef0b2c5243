"""Read a generated HTML page back with the standard library, for assertions on its structure."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"meta", "link", "br", "img", "input", "hr", "path", "rect", "line"}


@dataclass
class Element:
    tag: str
    attrs: dict
    parent: Element | None = None
    children: list = field(default_factory=list)  # Elements and strings

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None, **attrs):
        for child in self.children:
            if isinstance(child, Element):
                if (tag is None or child.tag == tag) and all(attrs_match(child.attrs, k, v) for k, v in attrs.items()):
                    yield child
                yield from child.iter(tag, **attrs)

    def find(self, tag: str | None = None, **attrs) -> Element:
        found = next(self.iter(tag, **attrs), None)
        assert found is not None, f"no <{tag} {attrs}> in the page"
        return found


def attrs_match(attrs: dict, key: str, wanted) -> bool:
    """``class_="x"`` matches one class among several; ``data_code=...`` is ``data-code``."""
    if key == "class_":
        return wanted in attrs.get("class", "").split()
    actual = attrs.get(key.replace("_", "-"))
    return actual is not None if wanted is True else actual == wanted


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, {k: (v if v is not None else "") for k, v in attrs}, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(page: str) -> Element:
    builder = _Builder()
    builder.feed(page)
    builder.close()
    return builder.root


def table_rows(root: Element, table_id: str) -> tuple[list[str], list[list[str]]]:
    """Header texts and cell texts of the table with that id."""
    table = root.find("table", id=table_id)
    headers = [th.text().strip() for th in table.find("thead").iter("th")]
    rows = [[td.text().strip() for td in tr.iter("td")] for tr in table.find("tbody").iter("tr")]
    return headers, rows


def report_data(root: Element) -> dict:
    return json.loads(root.find("script", id="report-data").text())
