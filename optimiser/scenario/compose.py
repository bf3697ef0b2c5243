"""Scenario composition: ``extends``, named ``overrides``, ``variants`` and ``sweep`` blocks.

Besides the scenario keys, a scenario file may hold four composition keys::

    extends: base.yaml                 # a parent file (or a list of them), relative to this file
    overrides:                         # named sets of dotted keys
      small_poles: {poles.population.min: 3000, poles.communes.min: 2}
      highs: {solver.name: highs}
    variants:                          # named combinations of overrides and inline keys
      small: [small_poles]
      small_highs: [small_poles, highs, {solver.time_limit_s: 30}]
    sweep:
      grid: {poles.max_travel_min: [20, 25, 30], poles.count.max: [5, 6]}    # every combination
      zip: {poles.population.min: [3000, 6000], poles.communes.min: [2, 3]}  # paired, same length

Layers, lowest priority first::

    schema defaults < parents (a parent's own parents below it) < the file < the variant
                    < the sweep point < --set

Dicts merge deeply; lists and plain values replace. Within one variant, two overrides (or an
override and an inline key) that set the same key, or a key and one of its sub-keys, are an
error rather than "last one wins". The runs of a file are ``base`` (the file as written) and each
named variant, each at every sweep point.

Paths in a parent (:data:`PATH_KEYS`: ``territory.communes``, ``roads.network.path``,
``services.inventory``) stay relative to the parent's own folder: they are rewritten relative to
the top file's folder when the parent is merged. A new scenario key holding a path must be added
to :data:`PATH_KEYS`.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import os
import re
import typing
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import InputError, Problem
from ..text import did_you_mean
from .schema import Scenario
from .yaml_io import read_yaml

#: Keys that only composition reads; they never reach the schema.
COMPOSITION_KEYS = ("extends", "overrides", "variants", "sweep")
#: Scenario keys that hold file paths, relative to the file that wrote them.
PATH_KEYS = ("territory.communes", "roads.network.path", "services.inventory")
#: The id of the file as written (no variant).
BASE = "base"
#: Longest variant id kept whole (folder names stay well below the 255-byte limit).
MAX_ID_LENGTH = 120
_SWEEP_KINDS = ("grid", "zip")
_UNSAFE = re.compile(r"[^A-Za-z0-9._=+,-]+")


# --------------------------------------------------------------------------------------------
# Settings and variants


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
class Variant:
    """One run of a composed scenario: a named variant (or ``base``) at one sweep point.

    Attributes:
        id: stable, readable id, safe as a folder name (``small__poles.count=5``).
        name: ``base`` or the variant's name.
        overrides: names of the overrides the variant combines, in order.
        settings: the variant layer (its overrides' keys, then its inline keys).
        point: the sweep layer (one value per swept key).
    """

    id: str
    name: str
    overrides: tuple[str, ...] = ()
    settings: tuple[Setting, ...] = ()
    point: tuple[Setting, ...] = ()

    @property
    def values(self) -> dict[str, Any]:
        """Every key this variant sets (variant layer, then sweep point), dotted key → value."""
        out = {s.key: s.value for s in self.settings}
        out.update({s.key: s.value for s in self.point})
        return out

    def describe(self) -> str:
        """``small_poles: poles.population.min=3000; sweep: poles.count=5`` (empty for base)."""
        parts = []
        if self.settings:
            head = "+".join(self.overrides) + ": " if self.overrides else ""
            parts.append(head + ", ".join(f"{s.key}={format_value(s.value)}" for s in self.settings))
        if self.point:
            parts.append("sweep: " + ", ".join(f"{s.key}={format_value(s.value)}" for s in self.point))
        return "; ".join(parts)

    def provenance(self) -> dict:
        """What made this variant, for ``summary.json`` and ``variant.json``."""
        return {
            "id": self.id,
            "variant": self.name,
            "overrides": list(self.overrides),
            "set": {s.key: s.value for s in self.settings},
            "sweep": {s.key: s.value for s in self.point},
        }


# --------------------------------------------------------------------------------------------
# The composed file


@dataclass
class Composed:
    """A scenario file with its parents merged, its overrides, variants and sweep.

    Attributes:
        source: the top file.
        chain: every file read, the top file first.
        tree: the scenario keys after merging parents under the file (no composition keys).
        lines: dotted key → line in the top file, for keys the top file itself sets.
        origin: dotted key → label (``parent.yaml:7``) for keys that come from a parent.
        variants: every run, ``base`` first, in file order × sweep order.
        composed: whether the file uses ``overrides``, ``variants`` or ``sweep`` (several runs).
    """

    source: Path
    chain: tuple[Path, ...]
    tree: dict
    lines: dict[str, int]
    origin: dict[str, str]
    variants: list[Variant]
    composed: bool

    @property
    def top_folder(self) -> Path:
        return self.source.resolve().parent

    def variant(self, wanted: str | None) -> Variant:
        """The variant with id (or name, when it has one run) ``wanted``; ``base`` by default."""
        if wanted is None:
            return self.variants[0]
        for v in self.variants:
            if v.id == wanted:
                return v
        named = [v for v in self.variants if v.name == wanted]
        if len(named) == 1:
            return named[0]
        ids = [v.id for v in self.variants]
        hint = did_you_mean(wanted, ids)
        if hint is None:
            shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
            hint = f"variants of this file: {shown}"
        if len(named) > 1:
            hint = f"'{wanted}' has {len(named)} sweep points; give one id, e.g. {named[0].id!r}"
        raise InputError([Problem("--variant", "", f"no variant {wanted!r} in {self.source}", wanted, hint=hint)])

    def resolve(self, variant: Variant) -> tuple[dict, dict[str, int], dict[str, str]]:
        """The scenario mapping of ``variant``, its top-file lines and the origin of other keys."""
        data = copy.deepcopy(self.tree)
        origin = dict(self.origin)
        problems: list[Problem] = []
        for setting in variant.settings + variant.point:
            value = rebase_value(setting.key, setting.value, setting.folder, self.top_folder)
            try:
                set_dotted(data, setting.key, value, setting.label, origin)
            except InputError as exc:
                problems += exc.problems
        if problems:
            raise InputError(problems, title=f"Invalid scenario {self.source} (variant {variant.id})")
        # A line of the top file is only right for keys no other layer has replaced.
        lines = {path: line for path, line in self.lines.items()
                 if not any(overlaps(path, key) for key in origin)}
        ordered = dict(sorted(origin.items(), key=lambda kv: len(kv[0])))  # most specific last
        return data, lines, ordered


def compose_file(path: str | Path) -> Composed:
    """Read ``path`` and its parents; check overrides, variants and sweep; list the runs."""
    path = Path(path)
    layered = _compose(path, ())
    problems: list[Problem] = []
    variants = _variants(layered, problems)
    if problems:
        raise InputError(problems, title=f"Invalid scenario {path}")
    origin = {k: v for k, v in layered.labels.items() if v is not None}
    composed = bool(layered.overrides or layered.variant_specs or layered.sweep is not None)
    return Composed(source=path, chain=layered.chain, tree=layered.tree, lines=layered.own_lines,
                    origin=origin, variants=variants, composed=composed)


def composition_json_schema() -> dict:
    """JSON Schema of the composition keys, for editors (added to ``optimiser schema``)."""
    dotted = {"type": "object", "minProperties": 1, "description": "dotted key → value, e.g. poles.count: 5"}
    return {
        "extends": {"description": "Parent scenario file(s), relative to this file; this file's keys override theirs.",
                    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "overrides": {"description": "Named sets of dotted keys, combined by variants.", "type": "object",
                      "additionalProperties": dotted},
        "variants": {"description": "Named variants: lists of override names and/or mappings of dotted keys.",
                     "type": "object", "additionalProperties": {"anyOf": [
                         {"type": "string"}, dotted,
                         {"type": "array", "items": {"anyOf": [{"type": "string"}, dotted]}}]}},
        "sweep": {"description": "grid: every combination of the lists; zip: the lists paired element by element.",
                  "type": ["object", "null"], "additionalProperties": False, "properties": {
                      kind: {"type": "object", "additionalProperties": {"type": "array", "minItems": 1}}
                      for kind in _SWEEP_KINDS}},
    }


# --------------------------------------------------------------------------------------------
# Reading files and merging parents


@dataclass
class _Layered:
    """One file merged with its parents (internal)."""

    tree: dict
    labels: dict[str, str | None]          # leaf key → label; None: set by this file itself
    lines: dict[str, int]                  # every key of this file → line
    own_lines: dict[str, int]              # scenario keys of this file → line
    chain: tuple[Path, ...]
    overrides: dict[str, tuple[Setting, ...]] = field(default_factory=dict)
    variant_specs: dict[str, "_VariantSpec"] = field(default_factory=dict)
    sweep: "_Sweep | None" = None


@dataclass(frozen=True)
class _VariantSpec:
    """A variant as written: where, and its items (override names or inline settings)."""

    at: str
    items: tuple[tuple[str | tuple[Setting, ...], str], ...]


@dataclass(frozen=True)
class _Sweep:
    """A sweep block as written: swept key → (values, label), for grid and zip."""

    folder: Path
    grid: dict[str, tuple[list, str]]
    zip: dict[str, tuple[list, str]]


def _compose(path: Path, stack: tuple[Path, ...]) -> _Layered:
    real = path.resolve()
    raw, lines = read_yaml(path)
    label = str(path)
    problems: list[Problem] = []

    def where(key: str) -> str:
        line = lines.get(key)
        return f"{label}:{line}" if line else label

    parents = raw.pop("extends", None)
    overrides_raw = raw.pop("overrides", None)
    variants_raw = raw.pop("variants", None)
    has_sweep = "sweep" in raw
    sweep_raw = raw.pop("sweep", None)

    merged: dict = {}
    labels: dict[str, str | None] = {}
    chain: tuple[Path, ...] = (path,)
    overrides: dict[str, tuple[Setting, ...]] = {}
    variant_specs: dict = {}
    sweep = None
    folder = real.parent

    for k, parent_ref in enumerate(_parent_refs(parents, label, lines, problems)):
        key = "extends" if isinstance(parents, str) else f"extends[{k}]"
        parent_path = Path(parent_ref).expanduser()
        if not parent_path.is_absolute():
            parent_path = Path(os.path.normpath(path.parent / parent_path))
        parent_real = parent_path.resolve()
        if parent_real in stack + (real,):
            cycle = list(stack + (real,))
            cycle = cycle[cycle.index(parent_real):] + [parent_real]
            top = (stack + (real,))[0].parent
            problems.append(Problem(label, key, "extends a file that extends it back: "
                                    + " → ".join(_shown(p, top) for p in cycle), parent_ref,
                                    hint="remove one of these extends", line=lines.get(key)))
            continue
        if not parent_path.is_file():
            siblings = [p.name for p in parent_path.parent.glob("*.y*ml")] if parent_path.parent.is_dir() else []
            hint = did_you_mean(parent_path.name, siblings)
            problems.append(Problem(label, key, f"parent file not found: {parent_path}", parent_ref,
                                    hint=hint, line=lines.get(key)))
            continue
        try:
            parent = _compose(parent_path, stack + (real,))
        except InputError as exc:
            problems += exc.problems
            continue
        parent_folder = parent_real.parent
        parent_tree = rebase_value("", parent.tree, parent_folder, folder)
        parent_labels = {p: (lab if lab is not None else _at(str(parent_path), parent.lines, p))
                         for p, lab in parent.labels.items()}
        merge_tree(merged, parent_tree, labels, lambda p, labs=parent_labels: labs.get(p, str(parent_path)))
        chain += tuple(p for p in parent.chain if p not in chain)
        overrides.update(parent.overrides)
        variant_specs.update(parent.variant_specs)
        if parent.sweep is not None:
            sweep = parent.sweep
    if problems:
        raise InputError(problems, title=f"Invalid scenario {path}")

    merge_tree(merged, raw, labels, lambda p: None)
    own_lines = {p: n for p, n in lines.items() if p.split(".")[0].split("[")[0] not in COMPOSITION_KEYS}

    overrides.update(_read_overrides(overrides_raw, label, lines, folder, problems))
    variant_specs.update(_read_variants(variants_raw, label, lines, folder, problems))
    if has_sweep:
        sweep = _read_sweep(sweep_raw, label, lines, folder, problems)
    if problems:
        raise InputError(problems, title=f"Invalid scenario {path}")
    return _Layered(tree=merged, labels=labels, lines=lines, own_lines=own_lines, chain=chain,
                    overrides=overrides, variant_specs=variant_specs, sweep=sweep)


def _shown(path: Path, folder: Path) -> str:
    """``path`` as seen from the top file's ``folder`` (short, and what the user wrote)."""
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:
        return str(path)


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


def _at(label: str, lines: dict[str, int], key: str) -> str:
    line = line_for(key, lines)
    return f"{label}:{line}" if line else label


def _parent_refs(parents, label, lines, problems) -> list[str]:
    if parents is None:
        return []
    if isinstance(parents, str):
        return [parents]
    if isinstance(parents, list) and all(isinstance(p, str) for p in parents):
        return parents
    problems.append(Problem(label, "extends", "expected a parent file name or a list of them", parents,
                            line=lines.get("extends")))
    return []


# --------------------------------------------------------------------------------------------
# Merge rules


def _leaves(value: Any, prefix: str) -> list[str]:
    """Dotted paths of the leaves of ``value`` set at ``prefix`` (a non-empty dict recurses)."""
    if isinstance(value, dict) and value:
        out = []
        for k, v in value.items():
            out += _leaves(v, f"{prefix}.{k}" if prefix else str(k))
        return out
    return [prefix]


def overlaps(a: str, b: str) -> bool:
    """Whether key ``a`` and key ``b`` are the same key or one holds the other."""
    return a == b or a.startswith(b + ".") or a.startswith(b + "[") or b.startswith(a + ".") or b.startswith(a + "[")


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
            for leaf in _leaves(value, path):
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
        for leaf in _leaves(value, key):
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


# --------------------------------------------------------------------------------------------
# Checking dotted keys against the schema


def _mapping_model(annotation) -> tuple[str, Any]:
    """What a field holds: ``("model", cls)``, ``("dict", value annotation)`` or ``("value", None)``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "model", annotation
    origin = typing.get_origin(annotation)
    if origin is dict:
        args = typing.get_args(annotation)
        return "dict", (args[1] if len(args) == 2 else Any)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
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


# --------------------------------------------------------------------------------------------
# Overrides, variants, sweep


def _read_overrides(raw, label, lines, folder, problems) -> dict[str, tuple[Setting, ...]]:
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
        settings = _settings(body, at, label, lines, folder, f"override {name}", problems)
        if settings is not None:
            out[str(name)] = settings
    return out


def _settings(body: dict, at: str, label, lines, folder, what: str, problems) -> tuple[Setting, ...] | None:
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
        settings.append(Setting(key, value, f"{_at(label, lines, path)} ({what})", folder))
    for a, b in itertools.combinations(settings, 2):
        if overlaps(a.key, b.key):
            problems.append(Problem(label, at, f"sets {a.key} and {b.key}, which overlap", show_value=False,
                                    hint="keep one of them", line=lines.get(at)))
            ok = False
    return tuple(settings) if ok else None


def _read_variants(raw, label, lines, folder, problems) -> dict:
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
                parsed.append((item, _at(label, lines, item_at)))
            else:
                settings = _settings(item, item_at, label, lines, folder, f"variant {name}", problems)
                if settings is not None:
                    parsed.append((settings, _at(label, lines, item_at)))
        out[str(name)] = _VariantSpec(at=_at(label, lines, at), items=tuple(parsed))
    return out


def _read_sweep(raw, label, lines, folder, problems) -> _Sweep | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not raw:
        problems.append(Problem(label, "sweep", "expected a mapping with grid: and/or zip:, each a mapping of dotted "
                                "keys to lists of values", raw, line=lines.get("sweep")))
        return None
    out = {}
    for kind, body in raw.items():
        at = f"sweep.{kind}"
        if kind not in _SWEEP_KINDS:
            problems.append(Problem(label, at, "unknown sweep kind; grid: every combination of the lists, "
                                    "zip: the lists paired element by element", show_value=False,
                                    hint=did_you_mean(str(kind), _SWEEP_KINDS), line=lines.get(at)))
            continue
        if not isinstance(body, dict) or not body:
            problems.append(Problem(label, at, "expected a mapping of dotted keys to lists of values, "
                                    "e.g. {poles.max_travel_min: [20, 25, 30]}", body, line=lines.get(at)))
            continue
        keys = {}
        for key, values in body.items():
            path = f"{at}.{key}"
            wrong = check_key(str(key))
            if wrong is not None:
                message, hint = wrong
                problems.append(Problem(label, path, message, show_value=False, hint=hint, line=lines.get(path)))
                continue
            if not isinstance(values, list) or not values:
                problems.append(Problem(label, path, "expected a non-empty list of values to sweep", values,
                                        hint=f"write {key}: [{values!r}] to sweep one value" if values is not None and not isinstance(values, list) else None,
                                        line=lines.get(path)))
                continue
            keys[str(key)] = (values, f"{_at(label, lines, path)} (sweep.{kind})")
        out[kind] = keys
    if out.get("zip"):
        lengths = {k: len(v) for k, (v, _) in out["zip"].items()}
        if len(set(lengths.values())) > 1:
            text = ", ".join(f"{k}: {n}" for k, n in lengths.items())
            problems.append(Problem(label, "sweep.zip", f"zip pairs its lists element by element, so they must have the "
                                    f"same length (got {text})", show_value=False,
                                    hint="use grid: for every combination", line=lines.get("sweep.zip")))
    all_keys = [k for keys in out.values() for k in keys]
    for a, b in itertools.combinations(all_keys, 2):
        if overlaps(a, b):
            problems.append(Problem(label, "sweep", f"sweeps {a} and {b}, which overlap", show_value=False,
                                    hint="sweep each key once", line=lines.get("sweep")))
    return _Sweep(folder=folder, grid=out.get("grid", {}), zip=out.get("zip", {}))


def _sweep_points(sweep: _Sweep | None) -> list[tuple[Setting, ...]]:
    """Every sweep point: the grid's product × the zip's rows (keys in file order)."""
    if sweep is None:
        return [()]
    grid_axes = [[Setting(k, v, lab, sweep.folder) for v in values] for k, (values, lab) in sweep.grid.items()]
    n_zip = len(next(iter(sweep.zip.values()))[0]) if sweep.zip else 1
    zip_rows = [tuple(Setting(k, values[r], lab, sweep.folder) for k, (values, lab) in sweep.zip.items())
                for r in range(n_zip)]
    return [tuple(g) + z for g in itertools.product(*grid_axes) for z in zip_rows]


def _variants(layered: _Layered, problems: list[Problem]) -> list[Variant]:
    named: list[tuple[str, tuple[str, ...], tuple[Setting, ...]]] = [(BASE, (), ())]
    for name, spec in layered.variant_specs.items():
        used: list[str] = []
        groups: list[tuple[str, tuple[Setting, ...]]] = []
        for item, at in spec.items:
            if isinstance(item, str):
                if item not in layered.overrides:
                    hint = did_you_mean(item, list(layered.overrides))
                    if hint is None:
                        hint = ("overrides defined: " + ", ".join(layered.overrides)) if layered.overrides else \
                               "define it under overrides:"
                    problems.append(Problem(at, f"variants.{name}", f"unknown override '{item}'", show_value=False, hint=hint))
                    continue
                used.append(item)
                groups.append((f"override {item}", layered.overrides[item]))
            else:
                groups.append(("its inline keys", item))
        for clash in _clashes(groups):
            problems.append(Problem(spec.at, f"variants.{name}", clash, show_value=False,
                                    hint="a variant sets each key once; split it into two variants or drop one"))
        named.append((name, tuple(used), tuple(s for _, group in groups for s in group)))
    points = _sweep_points(layered.sweep)
    runs = [(name, used, settings, point) for name, used, settings in named for point in points]
    ids = variant_ids([(name, {s.key: s.value for s in point}) for name, _, _, point in runs])
    return [Variant(id=i, name=name, overrides=used, settings=settings, point=point)
            for i, (name, used, settings, point) in zip(ids, runs)]


def _clashes(groups: list[tuple[str, tuple[Setting, ...]]]) -> list[str]:
    """Pairs of groups (overrides, inline keys) of one variant that set the same key, or a key
    and one of its sub-keys (leaves of mapping values count)."""
    out = []
    for (what_a, a), (what_b, b) in itertools.combinations(groups, 2):
        leaves_b = [leaf for s in b for leaf in _leaves(s.value, s.key)]
        for leaf in (leaf for s in a for leaf in _leaves(s.value, s.key)):
            other = next((lb for lb in leaves_b if overlaps(leaf, lb)), None)
            if other is not None:
                key = leaf if len(leaf) <= len(other) else other
                out.append(f"{what_a} and {what_b} both set {key}")
                break
    return out


# --------------------------------------------------------------------------------------------
# Variant ids


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
    for r, s, (name, point) in zip(raws, safe, runs):
        if counts[s] > 1 or len(s) > MAX_ID_LENGTH:
            exact = json.dumps([name, sorted((k, v) for k, v in point.items())], default=str, ensure_ascii=False)
            s = s[:MAX_ID_LENGTH].rstrip("-.") + "-" + _digest(exact)
        out.append(s)
    return out
