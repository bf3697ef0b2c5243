"""The scenario models' field descriptions: the docstring written under each attribute, as
pydantic's ``use_attribute_docstrings`` reads it, at a fiftieth of its cost.

pydantic (on Python < 3.13) finds each class's source by walking the interpreter's frames and
asking :func:`inspect.getmodule` of each (whose first miss resolves the path of every module
loaded: pandas, numpy...), then tokenises and parses the class twice: a third of a CPU-second
for the ~40 models of :mod:`.schema` and :mod:`.roadmap`, paid by every process that reads a
scenario (each command, each test worker, each notebook kernel). Here each module is parsed once
and every class of it read from that tree; the models then carry their descriptions as
``Field(description=...)``, before pydantic collects their fields.

The rule is pydantic's: a string statement right after an annotated assignment ``name: type``
(with or without a value) of the class body describes ``name`` (:func:`inspect.cleandoc`
applied); a description given otherwise wins (``tests/test_scenario_docs.py`` holds the models'
fields, JSON Schema and key reference to the ones pydantic's own reading gives).
"""

from __future__ import annotations

import ast
import inspect
import sys
from functools import cache

from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined


def attribute_docstrings(cls: type) -> dict[str, str]:
    """Attribute name → its docstring, for the body of ``cls`` (its own attributes only)."""
    module = sys.modules.get(cls.__module__)
    filename = getattr(module, "__file__", None)
    if not filename:
        return {}
    return _module_docstrings(filename).get(cls.__qualname__, {})


@cache
def _module_docstrings(filename: str) -> dict[str, dict[str, str]]:
    """Class qualified name → :func:`_class_docstrings`, for every class of the module file."""
    with open(filename, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), filename)
    found: dict[str, dict[str, str]] = {}

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef):
                found[prefix + node.name] = _class_docstrings(node)
                visit(node.body, f"{prefix}{node.name}.")

    visit(tree.body, "")
    return found


def _class_docstrings(node: ast.ClassDef) -> dict[str, str]:
    docs: dict[str, str] = {}
    previous: ast.stmt | None = None
    for statement in node.body:
        if (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
                and isinstance(statement.value.value, str)
                and isinstance(previous, ast.AnnAssign) and isinstance(previous.target, ast.Name)):
            docs[previous.target.id] = inspect.cleandoc(statement.value.value)
        previous = statement
    return docs


def describe_fields(cls: type) -> None:
    """Give each documented attribute of ``cls``'s own body its docstring as the field's
    description (call it from ``__init_subclass__``: pydantic collects the fields after it). An
    attribute's value becomes ``Field(value, description=...)``, one without a value (a required
    field) ``Field(description=...)``; a :class:`~pydantic.fields.FieldInfo` value gets the
    description ``Field`` would have given it (its ``_attributes_set`` is what pydantic merges),
    unless it has one."""
    annotations = cls.__dict__.get("__annotations__", {})
    for name, doc in attribute_docstrings(cls).items():
        if name not in annotations:
            continue
        value = cls.__dict__.get(name, PydanticUndefined)
        if isinstance(value, FieldInfo):
            if value.description is None:  # as Field(..., description=doc) would have set it
                value.description = doc
                value._attributes_set["description"] = doc
        else:
            setattr(cls, name, Field(value, description=doc))


class DocumentedModel(BaseModel):
    """A pydantic model whose subclasses' fields are described by the docstrings under them
    (:func:`describe_fields`, run as each subclass is created, before pydantic collects its
    fields): the base of the scenario's and the roadmap's strict models."""

    def __init_subclass__(cls, **kwargs):
        describe_fields(cls)
        super().__init_subclass__(**kwargs)
