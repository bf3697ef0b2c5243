"""Scenario composition: ``extends``, named ``overrides``, ``variants`` and ``sweep`` blocks.

Besides the scenario keys, a scenario file may hold four composition keys::

    extends: base.yaml                 # a parent file (or a list of them), relative to this file
    overrides:                         # named sets of dotted keys
      small_poles: {poles.population.min: 3000, poles.communes.min: 2}
      highs: {solver.name: highs}
    variants:                          # named combinations of overrides and inline keys
      small: [small_poles]
      small_highs: [small_poles, highs, {solver.time_limit_s: 30}]
    sweep:
      grid: {poles.max_travel_min: [20, 25, 30], poles.count.max: [5, 6]}    # every combination
      zip: {poles.population.min: [3000, 6000], poles.communes.min: [2, 3]}  # paired, same length

Layers, lowest priority first::

    schema defaults < parents (a parent's own parents below it) < the file < the variant
                    < the sweep point < --set

Dicts merge deeply; lists and plain values replace. Within one variant, two overrides (or an
override and an inline key) that set the same key, or a key and one of its sub-keys, are an
error rather than "last one wins". The runs of a file are ``base`` (the file as written) and each
named variant, each at every sweep point.

Paths in a parent (:data:`PATH_KEYS`: ``territory.communes``, ``roads.network.path``,
``services.inventory``) stay relative to the parent's own folder: they are rewritten relative to
the top file's folder when the parent is merged. A new scenario key holding a path must be added
to :data:`PATH_KEYS`.

One module per concern, this one ties them together:

* :mod:`~optimiser.scenario.parents` reads a file and the parents it extends;
* :mod:`~optimiser.scenario.merge` merges layers (and rebases relative paths);
* :mod:`~optimiser.scenario.overrides` reads the overrides and variants blocks;
* :mod:`~optimiser.scenario.sweep` reads the sweep block and lists its points;
* :mod:`~optimiser.scenario.variants` lists the runs and finds conflicts inside a variant;
* :mod:`~optimiser.scenario.variant_ids` names the runs;
* :mod:`~optimiser.scenario.keys` knows dotted keys (overlap, line, schema check);
* :mod:`~optimiser.scenario.set_option` parses ``--set``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Problem
from ..text import did_you_mean
from .keys import check_key, leaves, line_for, located, overlaps
from .merge import PATH_KEYS, merge_tree, rebase_value, set_dotted
from .overrides import BASE, Setting
from .parents import COMPOSITION_KEYS, read_layered
from .sweep import SWEEP_KINDS
from .variant_ids import MAX_ID_LENGTH, format_value, raw_id, sanitise, variant_ids
from .variants import Variant, list_variants

#: Names other modules import from here (the composition's public face).
__all__ = ["BASE", "COMPOSITION_KEYS", "MAX_ID_LENGTH", "PATH_KEYS", "Composed", "Setting", "Variant", "check_key",
           "compose_file", "composition_json_schema", "format_value", "leaves", "line_for", "located", "merge_tree",
           "overlaps", "raw_id", "rebase_value", "sanitise", "set_dotted", "variant_ids"]


@dataclass
class Composed:
    """A scenario file with its parents merged, its overrides, variants and sweep.

    Attributes:
        source: the top file.
        chain: every file read, the top file first.
        tree: the scenario keys after merging parents under the file (no composition keys).
        lines: dotted key → line in the top file, for keys the top file itself sets.
        origin: dotted key → label (``parent.yaml:7``) for keys that come from a parent.
        variants: every run, ``base`` first, in file order × sweep order.
        composed: whether the file uses ``overrides``, ``variants`` or ``sweep`` (several runs).
    """

    source: Path
    chain: tuple[Path, ...]
    tree: dict
    lines: dict[str, int]
    origin: dict[str, str]
    variants: list[Variant]
    composed: bool

    @property
    def top_folder(self) -> Path:
        return self.source.resolve().parent

    def variant(self, wanted: str | None) -> Variant:
        """The variant with id (or name, when it has one run) ``wanted``; ``base`` by default."""
        if wanted is None:
            return self.variants[0]
        for v in self.variants:
            if v.id == wanted:
                return v
        named = [v for v in self.variants if v.name == wanted]
        if len(named) == 1:
            return named[0]
        ids = [v.id for v in self.variants]
        hint = did_you_mean(wanted, ids)
        if hint is None:
            shown = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
            hint = f"variants of this file: {shown}"
        if len(named) > 1:
            hint = f"'{wanted}' has {len(named)} sweep points; give one id, e.g. {named[0].id!r}"
        raise InputError([Problem("--variant", "", f"no variant {wanted!r} in {self.source}", wanted, hint=hint)])

    def resolve(self, variant: Variant) -> tuple[dict, dict[str, int], dict[str, str]]:
        """The scenario mapping of ``variant``, its top-file lines and the origin of other keys."""
        data = copy.deepcopy(self.tree)
        origin = dict(self.origin)
        problems: list[Problem] = []
        for setting in variant.settings + variant.point:
            value = rebase_value(setting.key, setting.value, setting.folder, self.top_folder)
            try:
                set_dotted(data, setting.key, value, setting.label, origin)
            except InputError as exc:
                problems += exc.problems
        if problems:
            raise InputError(problems, title=f"Invalid scenario {self.source} (variant {variant.id})")
        # A line of the top file is only right for keys no other layer has replaced.
        lines = {path: line for path, line in self.lines.items()
                 if not any(overlaps(path, key) for key in origin)}
        ordered = dict(sorted(origin.items(), key=lambda kv: len(kv[0])))  # most specific last
        return data, lines, ordered


def compose_file(path: str | Path) -> Composed:
    """Read ``path`` and its parents; check overrides, variants and sweep; list the runs."""
    path = Path(path)
    layered = read_layered(path)
    problems: list[Problem] = []
    variants = list_variants(layered.overrides, layered.variant_specs, layered.sweep, problems)
    if problems:
        raise InputError(problems, title=f"Invalid scenario {path}")
    origin = {k: v for k, v in layered.labels.items() if v is not None}
    composed = bool(layered.overrides or layered.variant_specs or layered.sweep is not None)
    return Composed(source=path, chain=layered.chain, tree=layered.tree, lines=layered.own_lines,
                    origin=origin, variants=variants, composed=composed)


def composition_json_schema() -> dict:
    """JSON Schema of the composition keys, for editors (added to ``optimiser schema``)."""
    dotted = {"type": "object", "minProperties": 1, "description": "dotted key → value, e.g. poles.count: 5"}
    return {
        "extends": {"description": "Parent scenario file(s), relative to this file; this file's keys override theirs.",
                    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]},
        "overrides": {"description": "Named sets of dotted keys, combined by variants.", "type": "object",
                      "additionalProperties": dotted},
        "variants": {"description": "Named variants: lists of override names and/or mappings of dotted keys.",
                     "type": "object", "additionalProperties": {"anyOf": [
                         {"type": "string"}, dotted,
                         {"type": "array", "items": {"anyOf": [{"type": "string"}, dotted]}}]}},
        "sweep": {"description": "grid: every combination of the lists; zip: the lists paired element by element.",
                  "type": ["object", "null"], "additionalProperties": False, "properties": {
                      kind: {"type": "object", "additionalProperties": {"type": "array", "minItems": 1}}
                      for kind in SWEEP_KINDS}},
    }
