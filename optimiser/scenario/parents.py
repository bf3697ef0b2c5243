"""Reading a scenario file and the parents it ``extends``, merged into one layered tree.

Each file is read strictly (:func:`~optimiser.scenario.yaml_io.read_yaml`); its parents are read
first, each with its own parents below it, then merged in order (a later parent over an earlier
one) and the file's own keys over them all. A parent's relative paths are rewritten relative to
the child's folder (:func:`~optimiser.scenario.merge.rebase_value`); a parent's overrides,
variants and sweep are inherited (the child's win, name by name; ``sweep: null`` drops the
parent's sweep). A file that extends itself, directly or not, is an error naming the chain.

A parent must be a scenario: its name ends in ``.yaml`` or ``.yml`` (otherwise it is not even
read) and it holds a mapping of scenario keys. Anything else is refused without echoing its
content, so ``extends: /etc/passwd`` cannot print a system file in an error message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, Problem
from ..text import did_you_mean
from .keys import located
from .merge import merge_tree, rebase_value
from .overrides import Setting, VariantSpec, read_overrides, read_variants
from .schema import Scenario
from .sweep import Sweep, read_sweep
from .yaml_io import read_yaml

#: Keys that only composition reads; they never reach the schema.
COMPOSITION_KEYS = ("extends", "overrides", "variants", "sweep")
#: What a parent's file name must end with: a parent is a scenario, never any readable file.
SCENARIO_SUFFIXES = (".yaml", ".yml")


@dataclass
class Layered:
    """One file merged with its parents.

    Attributes:
        tree: the scenario keys (no composition keys), parents merged under the file's own.
        labels: leaf key → where a parent set it (``parent.yaml:7``); ``None``: set by this file.
        lines: every key of this file → its line.
        own_lines: the scenario keys of this file → their line.
        chain: every file read, this one first.
        overrides, variant_specs, sweep: the composition blocks, inherited and this file's own.
    """

    tree: dict
    labels: dict[str, str | None]
    lines: dict[str, int]
    own_lines: dict[str, int]
    chain: tuple[Path, ...]
    overrides: dict[str, tuple[Setting, ...]] = field(default_factory=dict)
    variant_specs: dict[str, VariantSpec] = field(default_factory=dict)
    sweep: Sweep | None = None


def read_layered(path: Path, stack: tuple[Path, ...] = ()) -> Layered:
    """``path`` merged with its parents; ``stack``: the files that extend it (cycle check)."""
    raw, lines = read_yaml(path)  # first: a missing file or a link loop is refused there, in words
    real = path.resolve()
    label = str(path)
    if stack:
        _check_parent_content(raw, label)
    problems: list[Problem] = []

    parents = raw.pop("extends", None)
    overrides_raw = raw.pop("overrides", None)
    variants_raw = raw.pop("variants", None)
    has_sweep = "sweep" in raw
    sweep_raw = raw.pop("sweep", None)

    merged: dict = {}
    labels: dict[str, str | None] = {}
    chain: tuple[Path, ...] = (path,)
    overrides: dict[str, tuple[Setting, ...]] = {}
    variant_specs: dict = {}
    sweep = None
    folder = real.parent

    for k, parent_ref in enumerate(_parent_refs(parents, label, lines, problems)):
        key = "extends" if isinstance(parents, str) else f"extends[{k}]"
        parent_path = Path(parent_ref).expanduser()
        if not parent_path.is_absolute():
            parent_path = Path(os.path.normpath(path.parent / parent_path))
        try:
            parent_real = parent_path.resolve()
        except (RuntimeError, OSError):  # a symbolic link to itself (RuntimeError before Python 3.13)
            problems.append(Problem(label, key, "the parent is a symbolic link that loops back on itself", parent_ref,
                                    line=lines.get(key)))
            continue
        if parent_real in stack + (real,):
            cycle = list(stack + (real,))
            cycle = cycle[cycle.index(parent_real):] + [parent_real]
            top = (stack + (real,))[0].parent
            problems.append(Problem(label, key, "extends a file that extends it back: "
                                    + " → ".join(_shown(p, top) for p in cycle), parent_ref,
                                    hint="remove one of these extends", line=lines.get(key)))
            continue
        if not _is_scenario_name(parent_path) or not _is_scenario_name(parent_real):
            # Never read: its lines would come back in error messages (a password file, say).
            problems.append(Problem(label, key, "a parent must be a scenario file (.yaml or .yml); this one was not read",
                                    parent_ref, line=lines.get(key)))
            continue
        if not parent_path.exists():
            siblings = [p.name for p in parent_path.parent.glob("*.y*ml")] if parent_path.parent.is_dir() else []
            hint = did_you_mean(parent_path.name, siblings)
            problems.append(Problem(label, key, f"parent file not found: {parent_path}", parent_ref,
                                    hint=hint, line=lines.get(key)))
            continue
        try:
            parent = read_layered(parent_path, stack + (real,))
        except InputError as exc:
            problems += exc.problems
            continue
        parent_folder = parent_real.parent
        parent_tree = rebase_value("", parent.tree, parent_folder, folder)
        parent_labels = {p: (lab if lab is not None else located(str(parent_path), parent.lines, p))
                         for p, lab in parent.labels.items()}
        merge_tree(merged, parent_tree, labels,
                   lambda p, labs=parent_labels, where=str(parent_path): labs.get(p, where))
        chain += tuple(p for p in parent.chain if p not in chain)
        overrides.update(parent.overrides)
        variant_specs.update(parent.variant_specs)
        if parent.sweep is not None:
            sweep = parent.sweep
    if problems:
        raise InputError(problems, title=f"Invalid scenario {path}")

    merge_tree(merged, raw, labels, lambda p: None)
    own_lines = {p: n for p, n in lines.items() if p.split(".")[0].split("[")[0] not in COMPOSITION_KEYS}

    overrides.update(read_overrides(overrides_raw, label, lines, folder, problems))
    variant_specs.update(read_variants(variants_raw, label, lines, folder, problems))
    if has_sweep:
        sweep = read_sweep(sweep_raw, label, lines, folder, problems)
    if problems:
        raise InputError(problems, title=f"Invalid scenario {path}")
    return Layered(tree=merged, labels=labels, lines=lines, own_lines=own_lines, chain=chain,
                   overrides=overrides, variant_specs=variant_specs, sweep=sweep)


def _is_scenario_name(path: Path) -> bool:
    return path.suffix.lower() in SCENARIO_SUFFIXES


def _check_parent_content(raw: dict, label: str) -> None:
    """Refuse a parent that is YAML but not a scenario (a CI file, a credentials file): every
    top-level key must be a scenario or composition key. Its keys are not echoed, except one
    that is clearly a typo of a scenario key."""
    allowed = list(Scenario.model_fields) + list(COMPOSITION_KEYS)
    foreign = [str(k) for k in raw if str(k) not in allowed]
    if not foreign:
        return
    typos = [(k, did_you_mean(k, allowed)) for k in foreign]
    typos = [(k, hint) for k, hint in typos if hint is not None]
    if len(typos) == len(foreign):
        problems = [Problem(label, key, "unknown key", show_value=False, hint=hint) for key, hint in typos]
        raise InputError(problems, title=f"Invalid scenario {label}")
    n = len(foreign)
    raise InputError([Problem(label, "", f"is not a scenario file ({n} of its top-level keys {'are' if n > 1 else 'is'} "
                              "not scenario keys), so it cannot be a parent", show_value=False,
                              hint="extends names scenario files (name:, territory:, poles:, ...)")])


def _shown(path: Path, folder: Path) -> str:
    """``path`` as seen from the top file's ``folder`` (short, and what the user wrote)."""
    try:
        return Path(os.path.relpath(path, folder)).as_posix()
    except ValueError:
        return str(path)


def _parent_refs(parents, label, lines, problems) -> list[str]:
    if parents is None:
        return []
    if isinstance(parents, str):
        return _parent_refs([parents], label, lines, problems)
    if isinstance(parents, list) and all(isinstance(p, str) for p in parents):
        if any("\x00" in p for p in parents):
            problems.append(Problem(label, "extends", "a path cannot contain a NUL character (\\0)", parents,
                                    line=lines.get("extends")))
            return []
        return parents
    problems.append(Problem(label, "extends", "expected a parent file name or a list of them", parents,
                            line=lines.get("extends")))
    return []
