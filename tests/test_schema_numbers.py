"""Every number of the schema is finite, within a plausible range, and never true/false.

The test walks the schema itself (every numeric key, including the values of free-form maps
such as ``services.staff_eur`` and the keys of models inside lists and maps), so a number added
later without a range fails here.
"""

from __future__ import annotations

import typing

import pytest
import yaml
from click.testing import CliRunner
from pydantic import BaseModel

from optimiser.cli import main
from optimiser.errors import InputError
from optimiser.scenario.load import scenario_from_dict
from optimiser.scenario.messages import model_classes
from optimiser.scenario.ranges import Range, range_of
from optimiser.scenario.schema import MAX_COUNT, Scenario

#: Required keys of the models on the way to a number (a valid scenario around each value).
REQUIRED = {
    "Scenario": {"name": "n", "territory": {"communes": "communes.geojson"}},
    "TerritoryConfig": {"communes": "communes.geojson"},
    "NetworkConfig": {"path": "roads.geojson"},
    "LinkConfig": {"between": ["A", "B"]},
    "ServiceCommunConfig": {"members": ["A"]},
    "ForceRule": {"pool": True},
    "UncertaintyGroup": {"parameters": ["loaded_cost_*"]},
    "PilotConfig": {"communes": ["A", "B"]},
    "JoinStep": {"communes": ["A"]},
    "SequenceStep": {"year": 2016},
    "VoirieTransfer": {"year": 2016},
}
#: Blocks that other keys need (service keys need a services block).
CONTEXT = {"services": {}}
#: Written as YAML text, as a planner would (PyYAML reads 1e308 as text: the schema parses it).
BAD_VALUES = {".inf": "finite", "-.inf": "finite", ".nan": "finite", "1e308": "must be", "1.0e+30": "must be",
              "-1": "must be", "true": "not true/false"}


def _field_range(field) -> Range | None:
    """The range of a field holding a number (pydantic keeps a top-level Annotated apart)."""
    found = next((m for m in field.metadata if isinstance(m, Range)), None)
    return found if found is not None else range_of(field.annotation)


def _dict_args(annotation):
    """(key annotation, value annotation) of a ``dict`` (through Optional), else ``None``."""
    if typing.get_origin(annotation) is dict:
        return typing.get_args(annotation)
    for arg in typing.get_args(annotation):
        found = _dict_args(arg)
        if found is not None:
            return found
    return None


def _is_list(annotation) -> bool:
    return typing.get_origin(annotation) is list or any(_is_list(a) for a in typing.get_args(annotation))


def numeric_keys(model: type[BaseModel] = Scenario, path: tuple = ()) -> list[tuple[tuple, Range, typing.Callable]]:
    """(key path, range, wrap) of every number of the schema; ``wrap(value)`` is the mapping of
    ``model`` with ``value`` at the path and every required key of the models on the way."""
    out = []
    required = REQUIRED.get(model.__name__, {})

    def at(name, inner):
        return lambda value: {**required, name: inner(value)}

    for name, field in model.model_fields.items():
        here = path + (name,)
        mapping = _dict_args(field.annotation)
        if mapping is not None:  # a free-form map: its first allowed key (a Literal), or any text
            key = typing.get_args(mapping[0])[0] if typing.get_origin(mapping[0]) is typing.Literal else "x"
            bounds = range_of(mapping[1])
            if bounds is not None and _is_list(mapping[1]):  # a map of lists of numbers (a yearly series)
                out.append((here + (key,), bounds, at(name, lambda v, key=key: {key: [v]})))
            elif bounds is not None:
                out.append((here + (key,), bounds, at(name, lambda v, key=key: {key: v})))
            for sub in model_classes(mapping[1]):
                out += [(p, r, at(name, lambda v, w=wrap, key=key: {key: w(v)})) for p, r, wrap in numeric_keys(sub, here + (key,))]
            continue
        bounds = _field_range(field)
        if bounds is not None and _is_list(field.annotation):  # a [low, high] pair of numbers
            out.append((here, bounds, at(name, lambda v: [v, v])))
        elif bounds is not None:
            out.append((here, bounds, at(name, lambda v: v)))
        for sub in model_classes(field.annotation):
            if _is_list(field.annotation):
                out += [(p, r, at(name, lambda v, w=wrap: [w(v)])) for p, r, wrap in numeric_keys(sub, here + (0,))]
            else:
                out += [(p, r, at(name, wrap)) for p, r, wrap in numeric_keys(sub, here)]
    return out


NUMERIC = numeric_keys()


def dotted(path: tuple) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def scenario_with(wrap, value) -> dict:
    """A valid scenario but for ``value``, placed by ``wrap``."""
    return {**CONTEXT, **wrap(value)}


def test_the_walk_finds_every_kind_of_number():
    paths = {dotted(p) for p, _, _ in NUMERIC}
    assert len(NUMERIC) >= 46
    for expected in ("poles.max_travel_min", "poles.count.min", "roads.extra_links[0].km", "services.staff_eur.adjoint_technique",
                     "services.overrides.voirie.productivity", "services.overrides.voirie.equipment_days.tractor_with_flail_arm",
                     "service_commun.epci_workload.voirie", "services.equipment.tractor_with_flail_arm.capacity_days",
                     "solver.threads", "fairness.shapley_samples", "objective.max_travel_total"):
        assert expected in paths


#: Amounts that are negative in real life: an attribution de compensation a commune pays the EPCI.
SIGNED = {"institutions.attribution_compensation.values.x"}


def test_every_number_has_a_finite_range():
    for path, bounds, _ in NUMERIC:
        floor = -1e13 if dotted(path) in SIGNED else 0
        assert bounds.hi < 1e13 and bounds.lo >= floor, dotted(path)


def sampled(numbers) -> list:
    """The numbers as ``pytest.param`` objects: the first of each top-level section (``poles``,
    ``services``, ...) kept in ``make test-fast``, the others (0.04 CPU-s each, 80 in all) slow."""
    seen: set = set()
    params = []
    for path, bounds, wrap in numbers:
        first = path[0] not in seen
        seen.add(path[0])
        params.append(pytest.param(path, bounds, wrap, id=dotted(path), marks=[] if first else [pytest.mark.slow]))
    return params


@pytest.mark.parametrize("path,bounds,wrap", sampled(NUMERIC))
def test_each_number_accepts_its_range_and_refuses_the_rest(tmp_path, path, bounds, wrap):
    key = dotted(path)
    # The ends of the range (or just inside an open end) are accepted.
    for inside in (bounds.lo + (1 if bounds.above and bounds.hi > 1 else 0.5 if bounds.above else 0),
                   bounds.hi - (0.5 if bounds.below else 0)):
        scenario_from_dict(scenario_with(wrap, inside))
    # Out of range, non-finite and true/false: exit 2, the key path and the range in the message.
    for text, said in BAD_VALUES.items():
        data = scenario_with(wrap, "@VALUE@")
        file = tmp_path / "s.yaml"
        file.write_text(yaml.safe_dump(data, sort_keys=False).replace("'@VALUE@'", text), encoding="utf-8")
        done = CliRunner().invoke(main, ["validate", str(file)])
        if text == "-1" and bounds.holds(-1):
            continue
        assert done.exit_code == 2, (key, text, done.output)
        assert key in done.output and bounds.text() in done.output and said in done.output, (key, text, done.output)
        assert "Traceback" not in done.output


def test_a_count_written_as_one_number_is_checked_once():
    for value in (float("inf"), float("nan"), 1e308, -1, True, 2.5):
        with pytest.raises(InputError) as info:
            scenario_from_dict({**REQUIRED["Scenario"], "poles": {"count": value}})
        problem, = info.value.problems
        assert problem.path == "poles.count" and f"from 0 to {MAX_COUNT:,}" in problem.message
    assert scenario_from_dict({**REQUIRED["Scenario"], "poles": {"count": 5}}).scenario.poles.count.max == 5


def test_set_values_are_checked_the_same_way(tmp_path):
    file = tmp_path / "s.yaml"
    file.write_text(yaml.safe_dump(REQUIRED["Scenario"]), encoding="utf-8")
    done = CliRunner().invoke(main, ["validate", str(file), "--set", "solver.threads=true", "--set", "poles.max_travel_min=.nan"])
    assert done.exit_code == 2
    assert "--set solver.threads=true" in done.output and "from 1 to 256, not true/false" in done.output
    assert "--set poles.max_travel_min=.nan" in done.output and "expected a finite number" in done.output


def test_long_text_is_refused(tmp_path):
    with pytest.raises(InputError) as info:
        scenario_from_dict({**REQUIRED["Scenario"], "description": "x" * 50_000})
    assert "at most 10000 characters" in info.value.render()


def test_json_schema_carries_the_ranges():
    schema = Scenario.model_json_schema()
    travel = schema["$defs"]["PolesConfig"]["properties"]["max_travel_min"]["anyOf"][0]
    assert travel == {"exclusiveMinimum": 0, "maximum": 1440, "type": "number"}


def test_p_median_shows_no_travel_limit(tmp_path):
    """The classic p-median applies no travel limit: the resolved scenario must not show one."""
    data = {**REQUIRED["Scenario"], "mode": "p-median", "poles": {"count": 3}}
    assert scenario_from_dict(data).scenario.poles.max_travel_min is None
    data["poles"]["max_travel_min"] = 25
    assert scenario_from_dict(data).scenario.poles.max_travel_min is None
    assert scenario_from_dict({**REQUIRED["Scenario"]}).scenario.poles.max_travel_min == 30



def test_a_commune_is_a_name_or_a_code_never_true_or_a_fraction():
    for value in (True, 2.5, float("inf"), 10**12, "", [1]):
        with pytest.raises(InputError) as info:
            scenario_from_dict({**REQUIRED["Scenario"], "poles": {"fixed_seats": [value]}})
        problem, = info.value.problems
        assert problem.path == "poles.fixed_seats[0]" and "expected a commune: its name or INSEE code" in problem.message
    loaded = scenario_from_dict({**REQUIRED["Scenario"], "poles": {"fixed_seats": ["Laval", 53130, "53130"]}})
    assert loaded.scenario.poles.fixed_seats == ["Laval", 53130, "53130"]
