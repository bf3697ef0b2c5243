"""Variant ids: stable, readable, folder-safe names for the runs of a composed scenario
(``small__poles.count=5``)."""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from typing import Any

#: Longest variant id kept whole (folder names stay well below the 255-byte limit).
MAX_ID_LENGTH = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._=+,-]+")


def format_value(value: Any) -> str:
    """A value as it appears in an id: ``20``, ``0.5``, ``true``, ``Laval``, ``[Laval,Changé]``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(format_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{format_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def raw_id(name: str, point: dict[str, Any]) -> str:
    """The unsanitised id: the variant name, then ``key=value`` for each swept key, sorted."""
    return "__".join([name] + [f"{k}={format_value(v)}" for k, v in sorted(point.items())])


def sanitise(text: str) -> str:
    """Letters without accents, digits and ``._=+,-``; anything else becomes ``-``."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _UNSAFE.sub("-", bare).strip("-.") or "variant"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:6]


def variant_ids(runs: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Stable, readable, unique folder-safe ids; a short hash only where needed.

    An id depends only on its own variant name and sweep values (never on the order of the file
    or on other runs), except that ids that would collide after sanitising, or that are too long,
    get ``-`` and six hex digits of a hash of their exact name and values.
    """
    raws = [raw_id(name, point) for name, point in runs]
    safe = [sanitise(r) for r in raws]
    counts: dict[str, int] = {}
    for s in safe:
        counts[s] = counts.get(s, 0) + 1
    out = []
    for s, (name, point) in zip(safe, runs):
        if counts[s] > 1 or len(s) > MAX_ID_LENGTH:
            exact = json.dumps([name, sorted((k, v) for k, v in point.items())], default=str, ensure_ascii=False)
            s = s[:MAX_ID_LENGTH].rstrip("-.") + "-" + _digest(exact)
        out.append(s)
    return out
