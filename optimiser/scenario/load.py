"""Load a scenario: read the YAML, apply ``--set`` overrides, validate against the schema."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import InputError, Problem
from .messages import problems_from_validation
from .schema import Scenario
from .yaml_io import read_yaml


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with where it came from.

    Attributes:
        scenario: the validated model.
        source: the scenario file (``None`` if built in memory).
        base_dir: folder that relative paths in the scenario are read from.
        raw: the mapping that was validated (after overrides), for the resolved copy.
        lines: dotted key path → line in ``source``.
        overrides: the ``--set`` expressions applied, in order.
    """

    scenario: Scenario
    source: Path | None
    base_dir: Path
    raw: dict
    lines: dict[str, int] = field(default_factory=dict)
    overrides: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(self.source) if self.source else "<scenario>"

    def path(self, relative: str) -> Path:
        """A path from the scenario, resolved against the scenario's folder."""
        p = Path(relative).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)


def parse_override(expression: str) -> tuple[list[str], object]:
    """``"poles.count.max=6"`` → ``(["poles", "count", "max"], 6)``; the value is read as YAML."""
    if "=" not in expression:
        raise InputError([Problem("--set", expression, "expected key=value, e.g. poles.count=5", expression, show_value=False)])
    key, _, text = expression.partition("=")
    parts = [p.strip() for p in key.strip().split(".")]
    if not all(parts):
        raise InputError([Problem("--set", key, "expected a dotted key such as poles.count.max", key)])
    try:
        value = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError as exc:
        raise InputError([Problem("--set", key, f"cannot read the value as YAML ({exc.__class__.__name__})", text)]) from None
    return parts, value


def apply_overrides(raw: dict, overrides: list[str] | tuple[str, ...]) -> tuple[dict, dict[str, str]]:
    """A deep copy of ``raw`` with each ``key=value`` set; also the paths each one touched."""
    data = copy.deepcopy(raw)
    origin: dict[str, str] = {}
    for expression in overrides:
        parts, value = parse_override(expression)
        node = data
        for k, part in enumerate(parts[:-1]):
            child = node.get(part)
            if not isinstance(child, dict):
                if child is not None:
                    where = ".".join(parts[: k + 1])
                    raise InputError([Problem("--set", where, "is not a mapping, so it has no sub-keys", child)])
                child = node[part] = {}
            node = child
        node[parts[-1]] = value
        origin[".".join(parts)] = f"--set {expression}"
    return data, origin


def validate_scenario(raw: dict, label: str, lines: dict[str, int] | None = None,
                      origin: dict[str, str] | None = None) -> Scenario:
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from_validation(exc, Scenario, label, lines or {}, origin)
        raise InputError(problems, title=f"Invalid scenario {label}") from None


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = ()) -> LoadedScenario:
    """Read, override and validate a scenario file (schema checks only; commune names are
    checked against the territory by :func:`optimiser.scenario.resolve.resolve`)."""
    path = Path(path)
    raw, lines = read_yaml(path)
    data, origin = apply_overrides(raw, overrides)
    scenario = validate_scenario(data, str(path), lines, origin)
    return LoadedScenario(scenario=scenario, source=path, base_dir=path.resolve().parent, raw=data,
                          lines=lines, overrides=tuple(overrides))


def scenario_from_dict(raw: dict, base_dir: str | Path = ".", label: str = "<scenario>") -> LoadedScenario:
    """Validate a scenario given as a mapping (notebooks, tests)."""
    scenario = validate_scenario(raw, label)
    return LoadedScenario(scenario=scenario, source=None, base_dir=Path(base_dir).resolve(), raw=copy.deepcopy(raw))
