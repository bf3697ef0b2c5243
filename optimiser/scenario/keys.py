"""Dotted key paths (``poles.count.min``, ``poles.together[0]``): how they nest, where they were
written, and whether the schema knows them."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from ..text import did_you_mean
from .schema import Scenario


def overlaps(a: str, b: str) -> bool:
    """Whether key ``a`` and key ``b`` are the same key or one holds the other."""
    return a == b or a.startswith(b + ".") or a.startswith(b + "[") or b.startswith(a + ".") or b.startswith(a + "[")


def leaves(value: Any, prefix: str) -> list[str]:
    """Dotted paths of the leaves of ``value`` set at ``prefix`` (a non-empty dict recurses)."""
    if isinstance(value, dict) and value:
        out = []
        for k, v in value.items():
            out += leaves(v, f"{prefix}.{k}" if prefix else str(k))
        return out
    return [prefix]


def line_for(path: str, lines: dict[str, int]) -> int | None:
    """The line of dotted key ``path``, else of the nearest mapping or list holding it."""
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        if cut <= 0:
            return None
        path = path[:cut]
    return None


def located(label: str, lines: dict[str, int], key: str) -> str:
    """``file.yaml:12`` for ``key`` of file ``label`` (just ``label`` when the line is unknown)."""
    line = line_for(key, lines)
    return f"{label}:{line}" if line else label


def _mapping_model(annotation) -> tuple[str, Any]:
    """What a field holds: ``("model", cls)``, ``("dict", value annotation)`` or ``("value", None)``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    origin = typing.get_origin(annotation)
    if origin is dict:
        args = typing.get_args(annotation)
        return "dict", (args[1] if len(args) == 2 else Any)
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            kind, inner = _mapping_model(arg)
            if kind != "value":
                return kind, inner
    return "value", None


def check_key(key: str) -> tuple[str, str | None] | None:
    """``None`` if dotted ``key`` names a scenario key, else (message, hint)."""
    parts = key.split(".")
    if not all(parts):
        return "expected a dotted key such as poles.count.max", None
    kind, current = "model", Scenario
    for k, part in enumerate(parts):
        where = ".".join(parts[:k])
        if kind == "value":
            return f"{where} holds a value, not a mapping, so it has no sub-key '{part}'", None
        if kind == "dict":
            kind, current = _mapping_model(current)
            continue
        fields = current.model_fields
        if part not in fields:
            where_text = f"under {where}" if where else "at the top level"
            hint = did_you_mean(part, list(fields))
            if hint is None:
                hint = "allowed keys: " + ", ".join(fields)
            return f"unknown key '{part}' {where_text}", hint
        kind, current = _mapping_model(fields[part].annotation)
    return None
