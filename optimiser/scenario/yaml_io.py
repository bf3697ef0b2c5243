"""Read scenario YAML strictly and within bounds.

* A key written twice in one mapping is an error (PyYAML would keep the last).
* Merge keys (``<<: *defaults``, YAML 1.1) work as the YAML spec says: the mapping's own keys
  win over merged ones, and a merged key's line is where the anchor wrote it.
* Aliases are counted before anything is built: a few hundred bytes of nested aliases ("billion
  laughs") stand for billions of values. The document is measured as if every alias were
  copied out, and refused when aliases would add more than :data:`MAX_ALIAS_EXPANSION` values;
  a recursive alias (an anchor used inside itself) is refused too.
* Values are counted as they are read: a document of more than :data:`MAX_NODES` values is
  refused at the first one beyond (PyYAML reads about 10,000 values a second: a 4 MB list of
  numbers held two million of them and took minutes before any check ran). A long text is
  counted first by libyaml's C parser (:func:`count_nodes`, ~50 times faster), so a document
  of too many values is refused in a tenth of a second instead of the 5-10 s PyYAML takes to
  reach its 100,001st value; everything else is read, and its errors worded, by PyYAML as before.
* A whole number longer than Python reads (4,300 digits) is refused at its line, like a typo.
* Files are read through :mod:`optimiser.files` (regular files only, at most
  :data:`~optimiser.files.SCENARIO_MAX_BYTES`).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import InputError, Problem
from ..files import SCENARIO_MAX_BYTES, read_text

#: Most values aliases may add to a document once copied out (a real scenario reuses a list
#: of communes a few times: hundreds; a "billion laughs" bomb: billions).
MAX_ALIAS_EXPANSION = 100_000
#: Most values (keys, scalars, lists, mappings) one document may write: a scenario naming every
#: commune of France (35,000) a couple of times, or a 10,000-run sweep, stays well below it.
MAX_NODES = 100_000
_MERGE_TAG = "tag:yaml.org,2002:merge"


class DocumentTooLargeError(ValueError):
    """A document writing more than :data:`MAX_NODES` values."""

    def __init__(self) -> None:
        super().__init__(f"it writes more than {MAX_NODES:,} values (keys, numbers, names, lists)")


#: Texts from this length on are counted by libyaml before PyYAML reads them: a shorter text is
#: read by PyYAML in a few milliseconds whatever it holds.
COUNT_FIRST_CHARS = 20_000
#: Nesting depth at which :func:`count_nodes` gives up: PyYAML's composer recurses, and a document
#: nested a few hundred levels deep is refused as "nested too deeply" (RecursionError) long before
#: its values are too many. Its verdict is left to PyYAML.
_COUNT_MAX_DEPTH = 100


def count_nodes(text: str, limit: int = MAX_NODES) -> int | None:
    """Values (scalars, lists, mappings, aliases) of ``text``'s first YAML document, as PyYAML's
    composer counts them, read by libyaml; stops once past ``limit``.

    ``None`` where libyaml is not installed, finds an error, or the document nests deeper than
    :data:`_COUNT_MAX_DEPTH`: PyYAML then reads it and says what is wrong in its own words.
    """
    try:
        from yaml.cyaml import CParser
    except ImportError:  # PyYAML built without libyaml
        return None
    parser = CParser(text)
    count = depth = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, yaml.DocumentEndEvent):
                break
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
                continue
            if isinstance(event, yaml.NodeEvent):  # scalar, alias, start of a list or mapping
                count += 1
                if count > limit:
                    break
                if isinstance(event, yaml.CollectionStartEvent):
                    depth += 1
                    if depth > _COUNT_MAX_DEPTH:
                        return None
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return count


def _refuse_too_many_values(text: str) -> None:
    """:class:`DocumentTooLargeError` if libyaml counts more than :data:`MAX_NODES` values in a
    long ``text``: the error PyYAML would raise at the 100,001st value, without reading up to it."""
    if len(text) >= COUNT_FIRST_CHARS and (count_nodes(text) or 0) > MAX_NODES:
        raise DocumentTooLargeError()


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (PyYAML keeps the last), and
    stops reading past :data:`MAX_NODES` values."""

    def __init__(self, stream):
        super().__init__(stream)
        self.nodes_read = 0

    def compose_node(self, parent, index):
        # each value is composed once (an alias returns its anchor's node: counted by expansion())
        self.nodes_read += 1
        if self.nodes_read > MAX_NODES:
            raise DocumentTooLargeError()
        return super().compose_node(parent, index)


def _construct_int(loader, node):
    """A YAML integer; one too long for Python to read (``ValueError`` past 4,300 digits) is an
    error at its line, not an internal error."""
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        raise yaml.constructor.ConstructorError(
            None, None, f"a whole number of {len(str(node.value)):,} characters is too long to read "
            "(at most 4,300 digits)", node.start_mark) from None


def _construct_mapping(loader, node, deep=False):
    seen = {}
    for key_node, _ in node.value:
        if key_node.tag == _MERGE_TAG:  # merged keys may be overridden: that is what << is for
            continue
        key = loader.construct_object(key_node, deep=deep)
        try:
            first = seen.get(key)
        except TypeError:  # a list or mapping as a key
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a name, not a list or mapping", key_node.start_mark) from None
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice (first on line {first + 1})", key_node.start_mark
            )
        seen[key] = key_node.start_mark.line
    loader.flatten_mapping(node)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class AliasBombError(ValueError):
    """A document whose aliases would expand beyond the budget, or refer to themselves."""


def expansion(root: yaml.Node) -> tuple[int, int]:
    """(distinct nodes, nodes once every alias is copied out) of a composed document.

    Linear in the number of distinct nodes: each node's expanded size is computed once
    (``size(n) = 1 + Σ size(child)``) and reused wherever an alias points to it. Iterative, so a
    deep document does not exhaust Python's stack. Raises :class:`AliasBombError` on a cycle.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in _children(node))
            continue
        if key in size:
            continue
        if key in on_path:
            raise AliasBombError("an anchor is used inside itself (a recursive alias)")
        on_path.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in on_path:
                raise AliasBombError("an anchor is used inside itself (a recursive alias)")
            if id(child) not in size:
                stack.append((child, False))
    return len(size), size[id(root)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases add more than :data:`MAX_ALIAS_EXPANSION` values."""
    distinct, expanded = expansion(root)
    if expanded - distinct > MAX_ALIAS_EXPANSION:
        raise AliasBombError(f"its aliases (*name) stand for {expanded:,} values once copied out, from "
                             f"{distinct:,} written; at most {MAX_ALIAS_EXPANSION:,} may come from aliases")


def key_lines(node, prefix: str = "", out: dict | None = None) -> dict[str, int]:
    """Map dotted key paths (``poles.count.min``, ``poles.together[0]``) to 1-based line numbers.

    Run on a document whose merge keys have been flattened (as :func:`parse_yaml` does): a key
    written twice in one mapping is then a merged key overridden by the mapping's own, which
    comes later and wins, with the lines below it.
    """
    out = {} if out is None else out
    if isinstance(node, yaml.MappingNode):
        last = {str(key_node.value): (key_node, value_node) for key_node, value_node in node.value}
        for name, (key_node, value_node) in last.items():
            path = f"{prefix}.{name}" if prefix else name
            out[path] = key_node.start_mark.line + 1
            key_lines(value_node, path, out)
    elif isinstance(node, yaml.SequenceNode):
        for k, item in enumerate(node.value):
            path = f"{prefix}[{k}]"
            out[path] = item.start_mark.line + 1
            key_lines(item, path, out)
    return out


def _code(character) -> int:
    """PyYAML gives a forbidden character as a code point (text) or a byte value (bytes)."""
    return character if isinstance(character, int) else ord(character)


def parse_yaml(text: str, label: str, what: str = "the scenario file") -> tuple[object, dict[str, int]]:
    """Parse one YAML document strictly; return its value (``None`` if empty) and key lines.

    Errors (syntax, duplicate keys, alias bombs, nesting too deep) become :class:`InputError`
    naming ``label``.
    """
    loader = None
    try:
        loader = _StrictLoader(text)  # checks the characters: a NUL byte fails here
        _refuse_too_many_values(text)
        node = loader.get_single_node()
        if node is None:
            return None, {}
        check_expansion(node)
        data = loader.construct_document(node)
        return data, key_lines(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = exc.problem or exc.context or "syntax error"  # never str(exc): it quotes the file's lines
        raise InputError([Problem(label, "", f"not valid YAML: {reason}", show_value=False, line=line)],
                         title=f"Invalid scenario {label}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids (a NUL byte, ...): binary data?
        line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
        raise InputError([Problem(label, "", f"not valid YAML: character #x{_code(exc.character):04x} is not allowed in YAML "
                                  "text (is it a text file?)",
                                  show_value=False, line=line)], title=f"Invalid scenario {label}") from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(label, "", f"not valid YAML: {exc.__class__.__name__}", show_value=False)]) from None
    except AliasBombError as exc:
        raise InputError([Problem(label, "", f"refused: {exc}", show_value=False,
                                  hint=f"write the values out, or use fewer nested aliases in {what}")],
                         title=f"Invalid scenario {label}") from None
    except DocumentTooLargeError as exc:
        raise InputError([Problem(label, "", f"refused: {exc}", show_value=False,
                                  hint="a scenario names communes and settings, not data; split the study into "
                                       "several files")],
                         title=f"Invalid scenario {label}") from None
    except RecursionError:
        raise InputError([Problem(label, "", "refused: lists or mappings nested too deeply", show_value=False)],
                         title=f"Invalid scenario {label}") from None
    finally:
        if loader is not None:
            loader.dispose()


def read_yaml(path: Path, label: str | None = None) -> tuple[dict, dict[str, int]]:
    """Parse a YAML mapping; return it and its key → line map. Errors become :class:`InputError`."""
    label = label or str(path)
    text = read_text(path, label, SCENARIO_MAX_BYTES, what="scenario file")
    data, lines = parse_yaml(text, label)
    if data is None:
        raise InputError([Problem(label, "", "the scenario file is empty", show_value=False)])
    if not isinstance(data, dict):
        raise InputError([Problem(label, "", "a scenario is a mapping of keys (name:, territory:, ...)", type(data).__name__)])
    return data, lines
