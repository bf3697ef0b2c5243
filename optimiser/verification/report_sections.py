"""The reports' sections for the verified data, each kept per content of what it reads.

A tampering matrix, or a folder verified again, renders the reports' sections from mostly the
same data: one service table differs, the rest does not. A section builder
(:data:`optimiser.results.sections.SECTIONS`) is a function of its report context alone — the
summary, the communes and poles, the rules, names and scenario (these three derived from the
inputs, whose fingerprint is :func:`.memo.inputs_fingerprint`), the language, and the service
tables it reads. Each builder runs with a stand-in of the service tables that records which
tables it read; its section is kept under the content hash (:func:`.memo.content_key`) of the
rest of the context, and the hashes of those tables. A later verification reuses it when those
tables hash the same: given the same data, a builder takes the same branches, reads the same
tables and builds the same section. A section is never changed once built (the renderers show
changed copies), so it may be shared.
"""

from __future__ import annotations

from collections import OrderedDict

from .memo import also_clear, content_key

#: (context key, builder) entries kept; a context key is one summary, design and language.
ENTRIES = 256
#: Distinct sets of the tables' contents kept per entry (one per edited table, say).
VERSIONS = 8

_kept: OrderedDict[tuple, list] = OrderedDict()


class _TablesRead:
    """The service tables (:class:`optimiser.results.service_tables.ServiceTables`), recording the
    name of each table read."""

    def __init__(self, tables):
        self._tables = tables
        self.read: list[str] = []

    def __getattr__(self, name):
        if not name.startswith("__"):
            self.read.append(name)  # a table missing (getattr with a default) is recorded too
        return getattr(self._tables, name)


def kept_sections(fingerprint: str | None, lang: str, context: dict, builders=None) -> list:
    """The sections of ``ReportContext(**context)`` built in ``lang`` (as
    :func:`optimiser.results.sections.build_sections`), each kept as the module docstring says;
    built afresh without a fingerprint or when the context cannot be hashed."""
    from ..results import i18n
    from ..results.document import ReportContext
    from ..results.sections import SECTIONS, build_sections

    builders = builders or SECTIONS
    tables = context.get("service_tables")
    rest = {k: v for k, v in context.items() if k not in ("service_tables", "rules", "names", "territory")}
    base = None if fingerprint is None else content_key(fingerprint, lang, rest, tables is None)
    with i18n.using(lang):
        if base is None:
            return build_sections(ReportContext(**context), builders)
        table_keys: dict[str, str | None] = {}

        def table_key(name: str) -> str | None:
            if name not in table_keys:
                table_keys[name] = content_key(getattr(tables, name, None))
            return table_keys[name]

        recorder = _TablesRead(tables) if tables is not None else None
        ctx = ReportContext(**{**context, "service_tables": recorder})
        out = []
        for builder in builders:
            entry = (base, builder)
            versions = _kept.setdefault(entry, [])
            _kept.move_to_end(entry)
            section = _found(versions, table_key)
            if section is _MISSING:
                if recorder is not None:
                    recorder.read = []
                section = builder(ctx)
                read = tuple(dict.fromkeys(recorder.read)) if recorder is not None else ()
                keys = tuple(table_key(name) for name in read)
                if None not in keys:
                    versions.insert(0, (read, keys, section))
                    del versions[VERSIONS:]
            if section is not None:
                out.append(section)
        while len(_kept) > ENTRIES:
            _kept.popitem(last=False)
        return out


_MISSING = object()


def _found(versions: list, table_key):
    """The section kept for the tables' current contents, or ``_MISSING``."""
    for read, keys, section in versions:
        if all(table_key(name) == key for name, key in zip(read, keys)):
            return section
    return _MISSING


def clear() -> None:
    """Forget every kept section."""
    _kept.clear()


also_clear(clear)
