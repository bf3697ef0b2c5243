"""The scenario models' field descriptions (:mod:`optimiser.scenario.attribute_docs`) are the
attribute docstrings pydantic's own ``use_attribute_docstrings`` reads, field by field."""

from __future__ import annotations

import pydantic
import pytest
from pydantic import BaseModel, ConfigDict
from pydantic._internal._docs_extraction import extract_docstrings_from_cls  # pydantic's own reading: the reference

from optimiser.scenario import roadmap, schema
from optimiser.scenario.attribute_docs import DocumentedModel, attribute_docstrings

MODELS = [obj for module in (schema, roadmap) for obj in vars(module).values()
          if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__]


def test_there_are_models():
    assert len(MODELS) > 30 and schema.Scenario in MODELS and roadmap.RoadmapConfig in MODELS


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_docstrings_are_pydantics(model):
    """The same {attribute: docstring} as pydantic's reading (its source-based one)."""
    assert attribute_docstrings(model) == extract_docstrings_from_cls(model, use_inspect=True)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_each_field_carries_its_docstring(model):
    """Every field has the description of the nearest class declaring it with a docstring."""
    for name, field in model.model_fields.items():
        declared = next(cls for cls in model.__mro__ if name in cls.__dict__.get("__annotations__", {}))
        assert field.description == attribute_docstrings(declared).get(name), (model.__name__, name)


class _Documented(DocumentedModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sample(_Documented):
    """A class docstring is no field's."""

    required: int
    """A required field."""
    with_default: str = "x"
    """A default."""
    with_field: list[int] = pydantic.Field([], max_length=3)
    """A Field without a description."""
    described: int = pydantic.Field(1, description="its own")
    """A docstring that loses to the Field's description."""
    undocumented: int = 0
    after_an_undocumented: int = 0

    """A blank line between does not matter: this one describes after_an_undocumented, as for pydantic."""


class _Pydantics(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    required: int
    """A required field."""
    with_default: str = "x"
    """A default."""
    with_field: list[int] = pydantic.Field([], max_length=3)
    """A Field without a description."""
    described: int = pydantic.Field(1, description="its own")
    """A docstring that loses to the Field's description."""
    undocumented: int = 0
    after_an_undocumented: int = 0

    """A blank line between does not matter: this one describes after_an_undocumented, as for pydantic."""


def test_fields_match_pydantics_own_reading():
    """Descriptions, defaults, constraints and the JSON Schema as with use_attribute_docstrings."""
    ours, theirs = _Sample.model_fields, _Pydantics.model_fields
    assert list(ours) == list(theirs)
    for name in ours:
        assert repr(ours[name]) == repr(theirs[name]), name
    schema_ours, schema_theirs = _Sample.model_json_schema(), _Pydantics.model_json_schema()
    assert schema_ours["properties"] == schema_theirs["properties"] and schema_ours["required"] == schema_theirs["required"]
    assert _Sample(required=1) == _Sample(required=1, with_default="x")
    with pytest.raises(pydantic.ValidationError):
        _Sample(required=1, with_field=[1, 2, 3, 4])
