"""Merge rules of composition: dicts merge deeply, anything else replaces; relative paths follow
the file that wrote them."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from .keys import leaves, overlaps

#: Scenario keys that hold file paths, relative to the file that wrote them.
PATH_KEYS = ("territory.communes", "roads.network.path", "services.inventory")


def _forget(labels: dict[str, str | None], key: str) -> None:
    for path in [p for p in labels if overlaps(p, key)]:
        del labels[path]


def merge_tree(base: dict, layer: dict, labels: dict[str, str | None], label_of, prefix: str = "") -> dict:
    """Merge ``layer`` into ``base`` in place: dicts merge deeply, anything else replaces.

    ``labels`` (leaf key → where it was set) is kept up to date with ``label_of(key)``.
    """
    for key, value in layer.items():
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value and isinstance(base.get(key), dict):
            merge_tree(base[key], value, labels, label_of, path)
        else:
            _forget(labels, path)
            base[key] = copy.deepcopy(value)
            for leaf in leaves(value, path):
                labels[leaf] = label_of(leaf)
    return base


def set_dotted(data: dict, key: str, value: Any, label: str, labels: dict[str, str]) -> None:
    """Set dotted ``key`` in ``data``; a mapping value merges into a mapping already there.

    Going through a plain value (``poles.count.min`` when ``poles.count`` is ``5``) is an error,
    as with ``--set``: it would silently drop the value (set ``poles.count`` itself instead).
    """
    parts = key.split(".")
    node = data
    for k, part in enumerate(parts[:-1]):
        child = node.get(part)
        if not isinstance(child, dict):
            if child is not None:
                where = ".".join(parts[: k + 1])
                raise InputError([Problem(label, key, f"{where} is a value ({child!r}), not a mapping, so it has no "
                                          f"sub-key '{parts[k + 1]}'", show_value=False, hint=f"set {where} itself")])
            child = node[part] = {}
        node = child
    last = parts[-1]
    if isinstance(value, dict) and value and isinstance(node.get(last), dict):
        merge_tree(node[last], value, labels, lambda _p: label, key)
    else:
        _forget(labels, key)
        node[last] = copy.deepcopy(value)
        for leaf in leaves(value, key):
            labels[leaf] = label


def rebase_value(key: str, value: Any, source: Path, target: Path) -> Any:
    """``value`` set at ``key`` by a file in folder ``source``, with its relative paths
    (:data:`PATH_KEYS`) rewritten relative to folder ``target``."""
    if source == target:
        return value
    out = value
    for path_key in PATH_KEYS:
        if path_key == key:
            return _rebase(value, source, target)
        if key and not path_key.startswith(key + "."):
            continue
        rest = path_key[len(key) + 1:].split(".") if key else path_key.split(".")
        node = out
        for part in rest[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(rest[-1]), str):
            if out is value:
                out = copy.deepcopy(value)
                node = out
                for part in rest[:-1]:
                    node = node[part]
            node[rest[-1]] = _rebase(node[rest[-1]], source, target)
    return out


def _rebase(text: Any, source: Path, target: Path) -> Any:
    if not isinstance(text, str) or text.startswith("~") or Path(text).is_absolute():
        return text
    absolute = os.path.normpath(source / text)
    try:
        return Path(os.path.relpath(absolute, target)).as_posix()
    except ValueError:  # another drive (Windows): keep it absolute
        return absolute
