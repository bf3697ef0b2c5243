"""The runs of a composed file: ``base`` and each named variant, each at every sweep point; and
the conflicts inside a variant (two of its overrides setting one key)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..text import did_you_mean
from .keys import leaves, overlaps
from .overrides import BASE, Setting, VariantSpec
from .sweep import Sweep, count_points, sweep_points
from .variant_ids import format_value, variant_ids

#: Most runs one file may describe (variants × sweep points): each is a full solve, so a grid
#: beyond this is a slip (a list too many) that would only spend hours listing and checking.
MAX_RUNS = 10_000


@dataclass(frozen=True)
class Variant:
    """One run of a composed scenario: a named variant (or ``base``) at one sweep point.

    Attributes:
        id: stable, readable id, safe as a folder name (``small__poles.count=5``).
        name: ``base`` or the variant's name.
        overrides: names of the overrides the variant combines, in order.
        settings: the variant layer (its overrides' keys, then its inline keys).
        point: the sweep layer (one value per swept key).
    """

    id: str
    name: str
    overrides: tuple[str, ...] = ()
    settings: tuple[Setting, ...] = ()
    point: tuple[Setting, ...] = ()

    @property
    def values(self) -> dict[str, Any]:
        """Every key this variant sets (variant layer, then sweep point), dotted key → value."""
        out = {s.key: s.value for s in self.settings}
        out.update({s.key: s.value for s in self.point})
        return out

    def describe(self) -> str:
        """``small_poles: poles.population.min=3000; sweep: poles.count=5`` (empty for base)."""
        parts = []
        if self.settings:
            head = "+".join(self.overrides) + ": " if self.overrides else ""
            parts.append(head + ", ".join(f"{s.key}={format_value(s.value)}" for s in self.settings))
        if self.point:
            parts.append("sweep: " + ", ".join(f"{s.key}={format_value(s.value)}" for s in self.point))
        return "; ".join(parts)

    def provenance(self) -> dict:
        """What made this variant, for ``summary.json`` and ``variant.json``."""
        return {
            "id": self.id,
            "variant": self.name,
            "overrides": list(self.overrides),
            "set": {s.key: s.value for s in self.settings},
            "sweep": {s.key: s.value for s in self.point},
        }


def list_variants(overrides: dict[str, tuple[Setting, ...]], specs: dict[str, VariantSpec], sweep: Sweep | None,
                  problems: list[Problem]) -> list[Variant]:
    """Every run, ``base`` first, in file order × sweep order (problems are appended)."""
    named: list[tuple[str, tuple[str, ...], tuple[Setting, ...]]] = [(BASE, (), ())]
    for name, spec in specs.items():
        used: list[str] = []
        groups: list[tuple[str, tuple[Setting, ...]]] = []
        for item, at in spec.items:
            if isinstance(item, str):
                if item not in overrides:
                    hint = did_you_mean(item, list(overrides))
                    if hint is None:
                        hint = ("overrides defined: " + ", ".join(overrides)) if overrides else \
                               "define it under overrides:"
                    problems.append(Problem(at, f"variants.{name}", f"unknown override '{item}'", show_value=False, hint=hint))
                    continue
                used.append(item)
                groups.append((f"override {item}", overrides[item]))
            else:
                groups.append(("its inline keys", item))
        for clash in clashes(groups):
            problems.append(Problem(spec.at, f"variants.{name}", clash, show_value=False,
                                    hint="a variant sets each key once; split it into two variants or drop one"))
        named.append((name, tuple(used), tuple(s for _, group in groups for s in group)))
    n_runs = len(named) * count_points(sweep)
    if n_runs > MAX_RUNS:
        problems.append(too_many_runs(n_runs, len(named), sweep))
        return [Variant(id=BASE, name=BASE)]
    points = sweep_points(sweep)
    runs = [(name, used, settings, point) for name, used, settings in named for point in points]
    ids = variant_ids([(name, {s.key: s.value for s in point}) for name, _, _, point in runs])
    return [Variant(id=i, name=name, overrides=used, settings=settings, point=point)
            for i, (name, used, settings, point) in zip(ids, runs)]


def too_many_runs(n_runs: int, n_named: int, sweep: Sweep | None) -> Problem:
    """The problem of a file describing more than :data:`MAX_RUNS` runs, with the factors."""
    swept = [(key, len(values), label) for kind in ((sweep.grid, sweep.zip) if sweep else ())
             for key, (values, label) in kind.items()]
    factors = ([f"{n_named} variants"] if n_named > 1 else []) + [f"{n} values of {key}" for key, n, _ in swept]
    where = swept[0][2].rsplit(" (sweep.", 1)[0] if swept else None  # "file.yaml:12"
    return Problem(where, "sweep" if swept else "variants",
                   f"describes {n_runs:,} runs ({' × '.join(factors[:8])}), more than the {MAX_RUNS:,} one file may "
                   "hold: each run is a full solve", show_value=False,
                   hint="sweep fewer values, or split the study into several files")


def clashes(groups: list[tuple[str, tuple[Setting, ...]]]) -> list[str]:
    """Pairs of groups (overrides, inline keys) of one variant that set the same key, or a key
    and one of its sub-keys (leaves of mapping values count)."""
    out = []
    for (what_a, a), (what_b, b) in itertools.combinations(groups, 2):
        leaves_b = [leaf for s in b for leaf in leaves(s.value, s.key)]
        for leaf in (leaf for s in a for leaf in leaves(s.value, s.key)):
            other = next((lb for lb in leaves_b if overlaps(leaf, lb)), None)
            if other is not None:
                key = leaf if len(leaf) <= len(other) else other
                out.append(f"{what_a} and {what_b} both set {key}")
                break
    return out
