"""The ``overrides`` and ``variants`` blocks as written: named sets of dotted keys, and named
lists of override names and inline keys. Each key is checked against the schema; two keys of one
mapping that overlap (a key and one of its sub-keys) are an error."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Problem
from .keys import check_key, located, overlaps

#: The id of the file as written (no variant).
BASE = "base"


@dataclass(frozen=True)
class Setting:
    """One dotted key given a value by an override, a variant's inline mapping or a sweep.

    Attributes:
        key: dotted key path, e.g. ``poles.population.min``.
        value: the value (any YAML value; a mapping merges into a mapping).
        label: where it was written, for error messages (``file.yaml:12 (override small)``).
        folder: folder its relative paths are read from (the file that wrote it).
    """

    key: str
    value: Any
    label: str
    folder: Path


@dataclass(frozen=True)
class VariantSpec:
    """A variant as written: where, and its items (override names or inline settings), each
    with where it was written."""

    at: str
    items: tuple[tuple[str | tuple[Setting, ...], str], ...]


def read_overrides(raw, label, lines, folder, problems) -> dict[str, tuple[Setting, ...]]:
    """Override name → its settings (an override with a problem is left out)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(label, "overrides", "expected a mapping of override names to mappings of dotted keys, "
                                "e.g. overrides: {small_poles: {poles.population.min: 3000}}", raw, line=lines.get("overrides")))
        return {}
    out = {}
    for name, body in raw.items():
        at = f"overrides.{name}"
        if not isinstance(body, dict) or not body:
            problems.append(Problem(label, at, "an override is a non-empty mapping of dotted keys to values, "
                                    "e.g. {poles.count: 5}", body, line=lines.get(at)))
            continue
        settings = read_settings(body, at, label, lines, folder, f"override {name}", problems)
        if settings is not None:
            out[str(name)] = settings
    return out


def read_settings(body: dict, at: str, label, lines, folder, what: str, problems) -> tuple[Setting, ...] | None:
    """The dotted keys of one mapping, each checked against the schema; overlaps are errors."""
    settings = []
    ok = True
    for key, value in body.items():
        path = f"{at}.{key}"
        key = str(key)
        wrong = check_key(key)
        if wrong is not None:
            message, hint = wrong
            problems.append(Problem(label, path, message, show_value=False, hint=hint, line=lines.get(path)))
            ok = False
            continue
        settings.append(Setting(key, value, f"{located(label, lines, path)} ({what})", folder))
    for a, b in itertools.combinations(settings, 2):
        if overlaps(a.key, b.key):
            problems.append(Problem(label, at, f"sets {a.key} and {b.key}, which overlap", show_value=False,
                                    hint="keep one of them", line=lines.get(at)))
            ok = False
    return tuple(settings) if ok else None


def read_variants(raw, label, lines, folder, problems) -> dict[str, VariantSpec]:
    """name → ((item, label), ...) where an item is an override name or inline settings."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.append(Problem(label, "variants", "expected a mapping of variant names to lists of override names "
                                "(or inline mappings of dotted keys), e.g. variants: {small: [small_poles]}", raw,
                                line=lines.get("variants")))
        return {}
    out = {}
    for name, body in raw.items():
        at = f"variants.{name}"
        if str(name) == BASE:
            problems.append(Problem(label, at, f"'{BASE}' is the scenario as written and cannot be redefined", show_value=False,
                                    hint="choose another name", line=lines.get(at)))
            continue
        items = body if isinstance(body, list) else [body]
        if not items or not all(isinstance(i, (str, dict)) for i in items):
            problems.append(Problem(label, at, "a variant lists override names and/or mappings of dotted keys, "
                                    "e.g. [small_poles, {solver.name: highs}]", body, line=lines.get(at)))
            continue
        parsed = []
        for k, item in enumerate(items):
            item_at = f"{at}[{k}]" if isinstance(body, list) else at
            if isinstance(item, str):
                parsed.append((item, located(label, lines, item_at)))
            else:
                settings = read_settings(item, item_at, label, lines, folder, f"variant {name}", problems)
                if settings is not None:
                    parsed.append((settings, located(label, lines, item_at)))
        out[str(name)] = VariantSpec(at=located(label, lines, at), items=tuple(parsed))
    return out
