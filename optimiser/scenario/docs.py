"""Scenario reference generated from the schema, so the documentation cannot drift from the code.

``optimiser schema --markdown`` prints the key table (``docs/scenario-keys.md``);
``optimiser schema`` prints the JSON Schema, for editors that complete and check YAML.
"""

from __future__ import annotations

import json
import typing

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from .messages import model_classes
from .ranges import Range, range_of
from .schema import CommuneRef, Scenario


def _type_name(annotation) -> str:
    if annotation == CommuneRef:
        return "commune"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if annotation is type(None):
        return "null"
    if origin is typing.Annotated:
        bounds = range_of(annotation)
        inner = _type_name(args[0])
        return f"{inner} ({bounds.text()})" if bounds is not None else inner
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}"
    if origin is typing.Literal:
        return " \\| ".join(repr(a) for a in args)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(_type_name(a) for a in args)
    if origin in (list, tuple):
        inner = _type_name(args[0]) if args else "any"
        return f"list of {inner}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "mapping"
    return {str: "text", int: "whole number", float: "number", bool: "true/false"}.get(annotation, str(annotation))


def _default(field) -> str:
    if field.is_required():
        return "**required**"
    value = field.default
    if value is PydanticUndefined:
        return ""
    if isinstance(value, BaseModel):
        return "see below"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _field_type(field) -> str:
    """The type column: pydantic keeps a top-level ``Annotated``'s metadata apart."""
    kind = _type_name(field.annotation)
    bounds = next((m for m in field.metadata if isinstance(m, Range)), None)
    return f"{kind} ({bounds.text()})" if bounds is not None else kind


def _rows(model: type[BaseModel], prefix: str = ""):
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        description = " ".join((field.description or "").split())
        yield path, _field_type(field), _default(field), description
        for sub in model_classes(field.annotation):
            inside = "[]." if _holds(field.annotation, list) else ".*." if _holds(field.annotation, dict) else "."
            yield from _rows(sub, path + inside)


def _holds(annotation, container) -> bool:
    """Whether ``annotation`` is (or, through Optional, may be) a ``container`` (list, dict)."""
    if typing.get_origin(annotation) is container:
        return True
    return any(_holds(a, container) for a in typing.get_args(annotation))


def keys_markdown() -> str:
    lines = [
        "# Scenario keys",
        "",
        "Generated from the schema (`optimiser schema --markdown`); every key, its type, default and meaning.",
        "Unknown keys are errors. Communes are named by INSEE code or by name (accents, case and hyphens",
        "ignored when the match is unique).",
        "",
        "| key | type | default | meaning |",
        "|---|---|---|---|",
    ]
    for path, kind, default, description in _rows(Scenario):
        lines.append(f"| `{path}` | {kind} | {default} | {description} |")
    return "\n".join(lines) + "\n"


def json_schema() -> str:
    from .compose import composition_json_schema

    schema = Scenario.model_json_schema()
    schema["properties"].update(composition_json_schema())  # extends, overrides, variants, sweep
    return json.dumps(schema, indent=2, ensure_ascii=False)
