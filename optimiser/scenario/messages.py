"""Turn pydantic validation errors into planner-readable :class:`Problem` lines."""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem
from ..text import did_you_mean
from .keys import line_for, overlaps
from .ranges import RANGE_ERROR


def dotted(loc: tuple) -> str:
    """``("poles", "together", 0)`` → ``"poles.together[0]"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def model_classes(annotation) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (through Optional, Union, list, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in typing.get_args(annotation):
        found += model_classes(arg)
    return found


def model_at(root: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the key at ``loc`` (its parent), or ``None``."""
    current: type[BaseModel] | None = root
    for part in loc[:-1]:
        if current is None:
            return None
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return None
        classes = model_classes(field.annotation)
        current = classes[0] if classes else None
    return current


#: Pydantic error types reworded for planners (the default texts speak of Python types).
_PLAIN = {
    "dict_type": "expected a mapping of keys to values (key: value lines, or {{key: value}})",
    "model_type": "expected a mapping of keys to values (key: value lines, or {{key: value}})",
    "list_type": "expected a list ([a, b] or one '- item' per line)",
    "tuple_type": "expected a list ([a, b])",
    "string_type": "expected text",
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "greater_than": "must be greater than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "allows at most {max_length} item(s)",
    "string_too_short": "must not be empty",
    "string_too_long": "is too long (at most {max_length} characters)",
}

_TYPE_TAGS = {"str", "int", "float", "bool", "none"}


def _strip_union_tags(loc: tuple) -> tuple:
    """Pydantic inserts union member tags in locations (``'list[union[str,int]]'``, ``'str'``,
    ``'function-after[...]'``); keys of a scenario never look like that, so drop them."""
    return tuple(
        p for p in loc
        if isinstance(p, int) or not ("[" in p or "(" in p or p in _TYPE_TAGS)
    )


def problems_from_validation(
    error: ValidationError,
    root: type[BaseModel],
    file: str | None,
    lines: dict[str, int],
    origin: dict[str, str] | None = None,
) -> list[Problem]:
    """One :class:`Problem` per pydantic error, with key path, line and suggestion.

    ``origin`` maps dotted paths set on the command line (``--set``) to a label, so a problem in
    a value that came from there is attributed to it rather than to the file.
    """
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for item in error.errors(include_url=False):
        loc = _strip_union_tags(tuple(item["loc"]))
        path = dotted(loc)
        kind = item["type"]
        value: Any = item.get("input")
        hint = None
        show_value = True
        if kind == "extra_forbidden":
            owner = model_at(root, loc)
            keys = list(owner.model_fields) if owner else []
            message = "unknown key"
            hint = did_you_mean(str(loc[-1]), keys)
            if hint is None and keys:
                hint = "allowed keys: " + ", ".join(keys)
            show_value = False
        elif kind == "missing":
            message = "required key is missing"
            show_value = False
        elif kind in ("literal_error", "enum"):
            expected = item.get("ctx", {}).get("expected", "")
            message = f"expected one of {expected}"
            options = [o.strip().strip("'") for o in expected.replace(" or ", ",").split(",") if o.strip()]
            if isinstance(value, str):
                hint = did_you_mean(value, options)
        elif kind == RANGE_ERROR:  # already names the range: "must be from 0 to 1,440"
            message = item["msg"]
        elif kind == "value_error":
            message = str(item.get("ctx", {}).get("error", item["msg"]))
        elif kind in _PLAIN:
            message = _PLAIN[kind].format(**item.get("ctx", {}))
        else:
            message = item["msg"][0].lower() + item["msg"][1:]
        if not loc:  # a rule across several keys: the whole scenario is not worth printing
            show_value = False
        key = (path, message)
        if key in seen:  # unions report the same mistake once per member
            continue
        seen.add(key)
        source = file
        for set_path, label in (origin or {}).items():
            # The key itself, a mapping holding it, or (a mapping given whole) a key inside it.
            if path and overlaps(path, set_path):
                source = label
        line = line_for(path, lines) if source == file else None
        problems.append(Problem(source, path, message, value, hint=hint, show_value=show_value, line=line))
    return sorted(problems, key=lambda p: (p.file != file, p.line is None, p.line or 0, p.path))
