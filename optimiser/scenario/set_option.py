"""``--set key=value``: a scenario key given on the command line, the top layer of a scenario.

The value is read as YAML by the same strict, bounded reader as files (an alias bomb fits in a
command line too); a mapping merges into a mapping, as in a file. A value is at most as long as a
scenario file may be (:data:`~optimiser.files.SCENARIO_MAX_BYTES`): a shell passes at most 128 kB
in one argument, but the Python API (``sweep(overrides=...)``) has no such bound, and PyYAML reads
about a megabyte of text a second.
"""

from __future__ import annotations

import copy

from ..errors import InputError, Problem
from ..files import SCENARIO_MAX_BYTES, size_text
from .merge import set_dotted
from .yaml_io import parse_yaml


def set_label(expression: str, limit: int = 60) -> str:
    """``--set key=value`` as errors name it, a long value cut short."""
    text = expression if len(expression) <= limit else expression[: limit - 3] + "..."
    return f"--set {text}"


def parse_override(expression: str) -> tuple[list[str], object]:
    """``"poles.count.max=6"`` → ``(["poles", "count", "max"], 6)``; the value is read as YAML."""
    if "=" not in expression:
        raise InputError([Problem("--set", expression, "expected key=value, e.g. poles.count=5", expression, show_value=False)])
    key, _, text = expression.partition("=")
    parts = [p.strip() for p in key.strip().split(".")]
    if not all(parts):
        raise InputError([Problem("--set", key, "expected a dotted key such as poles.count.max", key)])
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > SCENARIO_MAX_BYTES:
        raise InputError([Problem(set_label(expression), key.strip(), f"the value is {size_text(size)}; at most "
                                  f"{size_text(SCENARIO_MAX_BYTES)} is read, as for a scenario file", show_value=False)])
    value, _ = parse_yaml(text, set_label(expression), what="the value") if text.strip() else (None, {})
    return parts, value


def apply_overrides(raw: dict, overrides: list[str] | tuple[str, ...],
                    origin: dict[str, str] | None = None) -> tuple[dict, dict[str, str]]:
    """A deep copy of ``raw`` with each ``key=value`` set (mappings merge, as in a file), and
    ``origin`` (leaf key → where it was set) updated to name the ``--set`` that set each key."""
    data = copy.deepcopy(raw)
    labels = dict(origin or {})
    for expression in overrides:
        parts, value = parse_override(expression)
        set_dotted(data, ".".join(parts), value, set_label(expression), labels)
    return data, labels
