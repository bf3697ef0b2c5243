"""The sourced default parameters (``cost_parameters.yaml``), looked up by key with provenance.

Every default number the engine uses comes from this file, compiled by the project's research
(each entry: value, unit, range, source list, confidence, and a derivation when computed), or is
derived from its entries by a formula documented where it is used. A :class:`Sourced` value
keeps its key and confidence so outputs can say where a number came from.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

PARAMETER_FILE = Path(__file__).with_name("cost_parameters.yaml")


@dataclass(frozen=True)
class Sourced:
    """A number with where it came from.

    ``source`` is a parameter key of cost_parameters.yaml (``road_km_per_fte_voirie``), several
    keys joined by ``+`` for a derived value, ``"estimate"`` for an engineering guess of this
    project (explained in ``note``), or ``"scenario"`` when a planner set it.
    """

    value: float
    """The number; an array of one value per sampled world when priced under uncertainty
    (see :func:`drawn_values`)."""
    unit: str
    source: str
    confidence: str = "low"
    note: str = ""

    def with_value(self, value: float, source: str = "scenario") -> Sourced:
        return Sourced(number(value), self.unit, source, "scenario" if source == "scenario" else self.confidence, self.note)


@lru_cache(maxsize=1)
def _entries() -> dict[str, dict]:
    # libyaml's loader when PyYAML has it: the same data (a test checks), ten times faster on this
    # 120 kB file (0.5 s of every run, verify and report otherwise)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(PARAMETER_FILE.read_text(encoding="utf-8"), Loader=loader)
    entries = {entry["key"]: entry for entry in data["parameters"]}
    entries["meta.productive_days_per_fte"] = {"key": "meta.productive_days_per_fte", **data["meta"]["productive_days_per_fte"]}
    return entries


#: Values that replace the file's while a :func:`drawn_values` block runs: ``key`` or
#: ``key.field`` → a number or an array (one value per sampled world).
_DRAWN: dict[str, object] = {}
#: ``key`` / ``key.field`` of every value read while a :func:`traced` block runs.
_TRACE: list[set] = []


def number(x):
    """``x`` as a float, or as a float array when it is one (a value drawn per world)."""
    if isinstance(x, np.ndarray) and x.ndim > 0:
        return x.astype(float, copy=False)
    return float(x)


@contextlib.contextmanager
def drawn_values(values: dict[str, object]):
    """Price with ``values`` (``key`` or ``key.field`` → number or array) instead of the file's.

    Every formula reads its parameters through :func:`value`, so the catalogue, the terms, the
    estimated inventory and the costs built inside the block all follow: with arrays of N values,
    one build prices N worlds at once (numpy broadcasting). Not thread-safe (one block at a time).
    """
    saved = dict(_DRAWN)
    _DRAWN.update(values)
    try:
        yield
    finally:
        _DRAWN.clear()
        _DRAWN.update(saved)


@contextlib.contextmanager
def traced():
    """Collect the ``key`` / ``key.field`` of every parameter :func:`value` reads in the block."""
    seen: set = set()
    _TRACE.append(seen)
    try:
        yield seen
    finally:
        _TRACE.remove(seen)


def entries() -> dict[str, dict]:
    """Every entry of cost_parameters.yaml by key (``meta.productive_days_per_fte`` included)."""
    return _entries()


def entry(key: str) -> dict:
    """The raw entry of ``key`` (KeyError names the key: a typo in the catalogue is a bug)."""
    try:
        return _entries()[key]
    except KeyError:
        raise KeyError(f"cost_parameters.yaml has no parameter {key!r}") from None


def value(key: str, field: str | None = None) -> float:
    """The value of ``key`` (or of one ``field`` of a structured value); inside
    :func:`drawn_values`, the drawn one (possibly an array)."""
    name = key if field is None else f"{key}.{field}"
    for seen in _TRACE:
        seen.add(name)
    if name in _DRAWN:
        return number(_DRAWN[name])
    raw = entry(key)["value"]
    return float(raw[field] if field is not None else raw)


def sourced(key: str, field: str | None = None, unit: str | None = None, scale: float = 1.0, note: str = "") -> Sourced:
    """``value(key, field) × scale`` with its key and confidence."""
    e = entry(key)
    unit = unit or (e["unit"].get(field, "") if isinstance(e.get("unit"), dict) and field else str(e.get("unit", "")))
    return Sourced(value(key, field) * scale, unit, key + (f".{field}" if field else ""), str(e.get("confidence", "low")), note)


def derived(value_: float, unit: str, keys: list[str], note: str, confidence: str = "low") -> Sourced:
    """A value computed from several parameters (``note`` gives the arithmetic)."""
    return Sourced(number(value_), unit, " + ".join(keys), confidence, note)


def estimate(value_: float, unit: str, note: str) -> Sourced:
    """A value no source gives: this project's stated assumption."""
    return Sourced(number(value_), unit, "estimate", "low", note)
