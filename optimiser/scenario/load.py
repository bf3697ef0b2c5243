"""Load a scenario: read the YAML, compose it (``extends``, variants, sweep — see
:mod:`optimiser.scenario.compose`), apply ``--set`` overrides (:mod:`optimiser.scenario.set_option`),
validate against the schema."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, Problem
from .compose import Composed, Variant, compose_file
from .messages import problems_from_validation
from .schema import Scenario
from .set_option import apply_overrides, parse_override, set_label  # noqa: F401  (public here too)


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
        variant: the variant id, when the file defines variants or a sweep (else ``None``).
        composition: what made it beyond the file itself — parent files, variant, overrides,
            sweep values (see :meth:`optimiser.scenario.compose.Variant.provenance`); empty for
            a plain file.
    """

    scenario: Scenario
    source: Path | None
    base_dir: Path
    raw: dict
    lines: dict[str, int] = field(default_factory=dict)
    overrides: tuple[str, ...] = ()
    variant: str | None = None
    composition: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        text = str(self.source) if self.source else "<scenario>"
        return f"{text} (variant {self.variant})" if self.variant is not None else text

    def path(self, relative: str) -> Path:
        """A path from the scenario, resolved against the scenario's folder."""
        p = Path(relative).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)


def validate_scenario(raw: dict, label: str, lines: dict[str, int] | None = None,
                      origin: dict[str, str] | None = None, variant: str | None = None) -> Scenario:
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = problems_from_validation(exc, Scenario, label, lines or {}, origin)
        title = f"Invalid scenario {label}" + (f" (variant {variant})" if variant is not None else "")
        raise InputError(problems, title=title) from None


def load_scenario(path: str | Path, overrides: list[str] | tuple[str, ...] = (),
                  variant: str | None = None) -> LoadedScenario:
    """Read, compose, override and validate a scenario file (schema checks only; commune names
    are checked against the territory by :func:`optimiser.prepare.prepare`).

    A file with variants or a sweep gives its ``base`` run unless ``variant`` names another
    (by id, or by name when it has one sweep point); :func:`load_variants` gives them all.
    """
    composed = compose_file(path)
    return load_variant(composed, composed.variant(variant), overrides)


def load_variant(composed: Composed, variant: Variant, overrides: list[str] | tuple[str, ...] = ()) -> LoadedScenario:
    """One run of a composed file, with ``--set`` overrides on top, validated."""
    path = composed.source
    raw, lines, origin = composed.resolve(variant)
    data, origin = apply_overrides(raw, overrides, origin)
    variant_id = variant.id if composed.composed else None
    scenario = validate_scenario(data, str(path), lines, origin, variant=variant_id)
    composition = {}
    if composed.composed:
        composition.update(variant.provenance())
    if len(composed.chain) > 1:
        composition["extends"] = [str(p) for p in composed.chain[1:]]
    return LoadedScenario(scenario=scenario, source=path, base_dir=path.resolve().parent, raw=data,
                          lines=lines, overrides=tuple(overrides), variant=variant_id, composition=composition)


def load_variants(path: str | Path | Composed, overrides: list[str] | tuple[str, ...] = ()) -> list[LoadedScenario]:
    """Every run of a scenario file (or of an already composed one), each validated; all problems
    of all runs are reported together (a problem shared by several runs once, with the runs it
    concerns)."""
    composed = path if isinstance(path, Composed) else compose_file(path)
    path = composed.source
    loaded, failures = [], []
    for variant in composed.variants:
        try:
            loaded.append(load_variant(composed, variant, overrides))
        except InputError as exc:
            failures.append((variant.id, exc))
    if failures:
        raise merge_variant_errors(str(path), failures, len(composed.variants))
    return loaded


def merge_variant_errors(label: str, failures: list[tuple[str, InputError]], n_variants: int) -> InputError:
    """One error for several runs: each distinct problem once, naming the runs it occurs in."""
    if n_variants == 1:
        return failures[0][1]
    where: dict[tuple, list[str]] = {}
    first: dict[tuple, Problem] = {}
    for variant_id, exc in failures:
        for p in exc.problems:
            key = (p.file, p.path, p.message, repr(p.value), p.hint, p.line)
            where.setdefault(key, []).append(variant_id)
            first.setdefault(key, p)
    problems = []
    for key, ids in where.items():
        p = first[key]
        if len(ids) == n_variants:
            runs = f"in all {n_variants} variants"
        elif len(ids) <= 3:
            runs = "in variant" + ("s " if len(ids) > 1 else " ") + ", ".join(ids)
        else:
            runs = f"in {len(ids)} variants: " + ", ".join(ids[:3]) + ", ..."
        problems.append(Problem(p.file, p.path, p.message, p.value, hint=f"{p.hint}; {runs}" if p.hint else runs,
                                show_value=p.show_value, line=p.line))
    n_bad = len(failures)
    return InputError(problems, title=f"Invalid scenario {label} ({n_bad} of {n_variants} variants invalid)")


def scenario_from_dict(raw: dict, base_dir: str | Path = ".", label: str = "<scenario>") -> LoadedScenario:
    """Validate a scenario given as a mapping (notebooks, tests)."""
    scenario = validate_scenario(raw, label)
    return LoadedScenario(scenario=scenario, source=None, base_dir=Path(base_dir).resolve(), raw=copy.deepcopy(raw))
