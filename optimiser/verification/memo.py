"""What the verifier derives from a folder's files, kept for the next folder with the same files.

A tampering matrix, a sweep's variants or ``optimiser verify`` run twice read folders that share
most of their files: the same ``scenario.resolved.yaml`` and ``inputs/``, the same tables but one.
What the verifier derives from a file — a strictly parsed table, the prices of pole services
and of every group the core check enumerates — is then the same, and is kept here for the next
verification in the same process.

Keys are **content hashes** (SHA-256 of the bytes read), never paths or modification times: a
folder whose file was edited, even in place and within the same second, gets a different key and
is derived again. Values are plain data (floats, tuples, copies of tables), never objects that
hold a folder's paths, so a message can only ever name the folder being verified.

* :func:`inputs_fingerprint` — ``scenario.resolved.yaml`` and every regular file under
  ``inputs/`` (their names and bytes): what the prices are derived from;
* :func:`derived` — the values derived from one such fingerprint (a dict per fingerprint, the
  :data:`FINGERPRINTS` most recently used kept); :func:`kept` — a result derived from them and
  from other content (:func:`content_key`);
* :func:`parsed_table` — a parsed table per (file bytes, how it is read), returned as a copy;
* :func:`parsed_yaml` — a parsed YAML file per file bytes, returned as a deep copy;
* :func:`parsed_page` — what the report checks read of a page, per page text;
* :func:`rendering` — a report rendered again from the verified data, per content hash of
  everything the rendering reads (:func:`content_key`) and its language.
"""

from __future__ import annotations

import copy
import hashlib
import os
import pickle
import stat
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path

import pandas as pd

#: Distinct inputs whose derived values are kept (a matrix or a sweep has one or a few).
FINGERPRINTS = 4
#: Parsed tables kept (a service folder has about fifteen).
TABLES = 64
#: Parsed report pages kept (the folder's and the verified rendering, in one or two languages).
PAGES = 8
#: Inputs larger than this (bytes, all files together) are not fingerprinted: nothing is kept.
FINGERPRINT_MAX_BYTES = 256 * 1024 * 1024

_derived: OrderedDict[str, dict] = OrderedDict()
_tables: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_pages: OrderedDict[str, object] = OrderedDict()
_yaml: OrderedDict[tuple, object] = OrderedDict()
_renderings: OrderedDict[tuple, str] = OrderedDict()


def _regular_files(folder: Path) -> list[Path] | None:
    """Regular files under ``folder`` (links followed), sorted; ``None`` when one is not a regular
    file (a device, a pipe: never read here) or when they are too large to hash."""
    files, total = [], 0
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(names):
            path = Path(root) / name
            try:
                info = os.stat(path)
            except OSError:
                return None
            if not stat.S_ISREG(info.st_mode):
                return None
            total += info.st_size
            if total > FINGERPRINT_MAX_BYTES:
                return None
            files.append(path)
    return files


def inputs_fingerprint(folder: Path) -> str | None:
    """SHA-256 of ``scenario.resolved.yaml`` and of the names and bytes of every file under
    ``inputs/``; ``None`` (keep nothing) when one cannot be hashed."""
    digest = hashlib.sha256()
    scenario = folder / "scenario.resolved.yaml"
    inputs = folder / "inputs"
    files = _regular_files(inputs) if inputs.is_dir() else []
    if files is None or not scenario.is_file():
        return None
    for path in [scenario, *files]:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        name = path.relative_to(folder).as_posix().encode("utf-8")
        digest.update(len(name).to_bytes(8, "little") + name + len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def derived(fingerprint: str | None) -> dict:
    """The values derived from the inputs of ``fingerprint`` (an empty dict, not kept, for ``None``)."""
    if fingerprint is None:
        return {}
    return _remembered(_derived, fingerprint, dict, FINGERPRINTS)


def parsed_table(data: bytes, how: Hashable, parse: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``parse()`` of a CSV file whose bytes are ``data``, read the way ``how`` names (the columns
    and their kinds, say): parsed once per distinct content, a copy handed out each time (a check
    may change its copy)."""
    return _remembered(_tables, (hashlib.sha256(data).hexdigest(), how), parse, TABLES).copy()


def frame_result(values: dict, name: str, frames: tuple, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """``compute()``, a table derived from the inputs of ``values`` (:func:`derived`) and the tables
    ``frames`` alone, once per distinct content of ``frames`` (their pickled bytes); a copy each time."""
    key = hashlib.sha256(pickle.dumps(frames, protocol=5)).hexdigest()
    return _remembered(values.setdefault(name, OrderedDict()), key, compute, TABLES).copy()


def kept(values: dict, name: str, key: str | None, compute: Callable[[], list | dict], limit: int = TABLES):
    """``compute()`` (a list of messages, a mapping of immutable values), derived from the inputs
    of ``values`` (:func:`derived`) and whatever ``key`` (:func:`content_key`) hashes, once per
    distinct key (the ``limit`` most recent kept; ``None``: computed every time); a shallow copy
    each time."""
    if key is None:
        return compute()
    return copy.copy(_remembered(values.setdefault(name, OrderedDict()), key, compute, limit))


def parsed_yaml(data: bytes, how: Hashable, parse: Callable[[], object]):
    """``parse()`` of a YAML file whose bytes are ``data``, read the way ``how`` names (plain data:
    mappings, lists, scalars), once per distinct content; a deep copy each time."""
    return copy.deepcopy(_remembered(_yaml, (hashlib.sha256(data).hexdigest(), how), parse, PAGES))


def parsed_page(text: str, parse: Callable[[str], object]):
    """``parse(text)`` once per distinct text (the caller only reads what it returns)."""
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return _remembered(_pages, key, lambda: parse(text), PAGES)


def content_key(*values) -> str | None:
    """SHA-256 of the pickled ``values`` (plain data and tables; ``None`` when one cannot be
    pickled: nothing is kept). Equal bytes mean equal content; equal content pickled differently
    only costs a computation."""
    try:
        return hashlib.sha256(pickle.dumps(values, protocol=5)).hexdigest()
    except Exception:  # an object pickle refuses: computed every time
        return None


def rendering(key: str | None, kind: str, lang: str, render: Callable[[], str]) -> str:
    """``render()``, a report (``kind``: ``report.md`` or ``report.html``) in ``lang`` rendered
    from data whose :func:`content_key` is ``key``, once per distinct key (``None``: not kept)."""
    if key is None:
        return render()
    return _remembered(_renderings, (key, kind, lang), render, PAGES)


def _remembered(store: OrderedDict, key: Hashable, compute: Callable[[], object], limit: int):
    """``store[key]``, computed by ``compute()`` when missing; the ``limit`` most recently used
    keys are kept (least recently used dropped first)."""
    if key in store:
        store.move_to_end(key)
    else:
        store[key] = compute()
        while len(store) > limit:
            store.popitem(last=False)
    return store[key]


#: What other modules keep under this module's content keys, forgotten by :func:`clear` too
#: (registered by them: this module imports none of its users).
_other_stores: list[Callable[[], None]] = []


def also_clear(forget: Callable[[], None]) -> None:
    """Have :func:`clear` call ``forget`` (a module keeping its own store of content-keyed values)."""
    _other_stores.append(forget)


def clear() -> None:
    """Forget everything kept (tests that time a first verification)."""
    _derived.clear()
    _tables.clear()
    _pages.clear()
    _yaml.clear()
    _renderings.clear()
    for forget in _other_stores:
        forget()
