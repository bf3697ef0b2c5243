"""The scenario reference in docs/ is generated from the schema and must stay in sync."""

import json

from helpers import REPO

from optimiser.scenario.docs import json_schema, keys_markdown
from optimiser.scenario.schema import Scenario


def test_scenario_keys_doc_is_up_to_date():
    current = (REPO / "docs" / "scenario-keys.md").read_text(encoding="utf-8")
    assert current == keys_markdown(), "run: .venv/bin/optimiser schema --markdown > docs/scenario-keys.md"


def test_every_key_is_documented():
    text = keys_markdown()
    for name, field in Scenario.model_fields.items():
        assert f"`{name}`" in text
        assert field.description, f"{name} has no docstring"
    assert json.loads(json_schema())["additionalProperties"] is False
