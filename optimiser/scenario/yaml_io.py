"""Read scenario YAML strictly: duplicate keys are errors, and every key's line is remembered."""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import InputError, Problem


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last)."""


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice (first on line {seen[key] + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def key_lines(node, prefix: str = "", out: dict | None = None) -> dict[str, int]:
    """Map dotted key paths (``poles.count.min``, ``poles.together[0]``) to 1-based line numbers."""
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            out[path] = key_node.start_mark.line + 1
            key_lines(value_node, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            path = f"{prefix}[{k}]"
            out[path] = item.start_mark.line + 1
            key_lines(item, path, out)
    return out


def read_yaml(path: Path, label: str | None = None) -> tuple[dict, dict[str, int]]:
    """Parse a YAML mapping; return it and its key → line map. Errors become :class:`InputError`."""
    label = label or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError([Problem(label, "", "scenario file not found", show_value=False)]) from None
    except (UnicodeDecodeError, IsADirectoryError) as exc:
        raise InputError([Problem(label, "", f"cannot read the file as UTF-8 text ({exc.__class__.__name__})", show_value=False)]) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or str(exc)
        raise InputError([Problem(label, "", f"not valid YAML: {reason}", show_value=False, line=line)],
                         title=f"Invalid scenario {label}") from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(label, "", f"not valid YAML: {exc}", show_value=False)]) from None
    if data is None:
        raise InputError([Problem(label, "", "the scenario file is empty", show_value=False)])
    if not isinstance(data, dict):
        raise InputError([Problem(label, "", "a scenario is a mapping of keys (name:, territory:, ...)", type(data).__name__)])
    return data, key_lines(node)
