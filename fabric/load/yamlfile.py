"""Safe YAML reading with duplicate-key refusal, alias-bomb limits and lazy positions.

Parsing keeps no per-node positions on the hot path: a problem is reported with a key path,
and `Locator` re-composes that one file to turn the path into `line:column`.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from fabric.errors import Diagnostic, SourceLocation

Path = tuple[str | int, ...]

MAX_EXPANDED_NODES = 2_000_000
MAX_DEPTH = 64
MAX_ITEMS = 1_000_000  # lines plus flow items per file: bounds the nodes (and memory) parsing may build
_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = _TAG + "str", _TAG + "map", _TAG + "seq", _TAG + "merge"


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TIMESTAMP = yaml.constructor.SafeConstructor.timestamp_regexp


def _null(constructor: Any, node: Any) -> None:
    if node.value not in _NULLS:  # `!!null text`: dropping the text silently would lose what was meant
        raise ValueError(f"{node.value!r} is not null")
    return None


def _timestamp(constructor: Any, node: Any) -> str:
    if not _TIMESTAMP.fullmatch(node.value):  # fabric has no dates: a timestamp keeps its text
        raise ValueError(f"{node.value!r} is not a timestamp")
    return str(node.value)


def _bool(constructor: Any, node: Any) -> bool:
    value = constructor.bool_values.get(node.value.lower())
    if value is None:
        raise ValueError(f"{node.value!r} is not a boolean")
    return bool(value)


_SCALARS: dict[str, Callable[[Any, Any], Any]] = {
    _TAG + "int": yaml.constructor.SafeConstructor.construct_yaml_int,
    _TAG + "float": yaml.constructor.SafeConstructor.construct_yaml_float,
    _TAG + "bool": _bool,
    _TAG + "null": _null,
    _TAG + "timestamp": _timestamp,
}
try:
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = None  # type: ignore[assignment,misc]
_SAFE = yaml.constructor.SafeConstructor()
_RESOLVED: dict[str, str] = {}
_IMPLICIT_FIRST = frozenset(ch for chars in yaml.resolver.Resolver.yaml_implicit_resolvers for ch in (chars or "\0"))


_IN_PROGRESS: Any = object()  # a collection being converted; an alias to it is recursive


class _YamlProblem(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


def _shown_tag(tag: str) -> str:
    """A tag as written: `!!int`, `!local`."""
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


_NODE_KINDS = {yaml.ScalarNode: "a scalar", yaml.SequenceNode: "a list", yaml.MappingNode: "a mapping"}
_READS = "fabric reads strings, numbers, booleans, null, lists and mappings"
_WANTS = {_STR: "a scalar", _SEQ: "a list", _MAP: "a mapping", **{tag: "a scalar" for tag in _SCALARS}}


def _tag_problem(node: Any) -> _YamlProblem:
    """A tag fabric does not read, or one on a node of another kind (`!!map text`, `!!seq {…}`, `!!int [1]`)."""
    wanted = _WANTS.get(node.tag)
    if wanted is None:
        message = f"unsupported YAML tag {_shown_tag(node.tag)} ({_READS})"
    else:
        message = f"YAML tag {_shown_tag(node.tag)} needs {wanted}, not {_NODE_KINDS.get(type(node), 'this node')}"
    return _YamlProblem(message, node.start_mark)


if _Parser is not None:

    class _NodeLoader(_Parser, yaml.resolver.Resolver):
        """libyaml's parser and composer; plain-scalar tag resolution memoised by value."""

        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            yaml.resolver.Resolver.__init__(self)

        def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
            if kind is yaml.ScalarNode and implicit[0]:
                if value and value[0] not in _IMPLICIT_FIRST:
                    return _STR  # no implicit type (bool, int, float, null, …) starts this way
                tag = _RESOLVED.get(value)
                if tag is None:
                    tag = yaml.resolver.Resolver.resolve(self, kind, value, implicit)  # type: ignore[no-untyped-call]
                    if len(_RESOLVED) < 100_000:
                        _RESOLVED[value] = tag
                return tag
            return yaml.resolver.Resolver.resolve(self, kind, value, implicit)  # type: ignore[no-untyped-call]

else:  # pragma: no cover - PyYAML without libyaml

    class _NodeLoader(yaml.SafeLoader):  # type: ignore[no-redef]
        """Pure-Python parser and composer."""


class _Converter:
    """Nodes → plain data: refuses odd tags and duplicate keys, notes alias reuse, bounds depth."""

    def __init__(self) -> None:
        self.done: dict[int, Any] = {}
        self.alias_reused = False

    def convert(self, node: Any, depth: int = 0) -> Any:
        tag = node.tag
        if tag == _STR:
            value = node.value
            if value.__class__ is str:
                return value
            raise _tag_problem(node)  # `!!str [a]`
        if depth > MAX_DEPTH:
            raise _YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
        if tag in _SCALARS:
            if not isinstance(node, yaml.ScalarNode):
                raise _tag_problem(node)
            return self._scalar(node)
        key = id(node)
        found = self.done.get(key)
        if found is not None:
            if found is _IN_PROGRESS:  # an alias inside its own anchor: `&a [*a]`
                raise _YamlProblem("recursive YAML alias: a collection contains itself", node.start_mark)
            self.alias_reused = True
            return found
        if tag == _SEQ:
            if not isinstance(node, yaml.SequenceNode):
                raise _tag_problem(node)
            self.done[key] = _IN_PROGRESS
            out = [self.convert(child, depth + 1) for child in node.value]
            self.done[key] = out
            return out
        if tag == _MAP:
            if not isinstance(node, yaml.MappingNode):
                raise _tag_problem(node)
            self.done[key] = _IN_PROGRESS
            mapping: dict[str, Any] = {}
            self._mapping(node, mapping, depth)
            self.done[key] = mapping
            return mapping
        raise _tag_problem(node)

    def _scalar(self, node: Any) -> Any:
        try:  # the per-tag constructors only read the node, so one shared instance is safe
            return _SCALARS[node.tag](_SAFE, node)
        except ValueError as exc:
            digits = re.search(r"has (\d+) digits", str(exc))
            if digits:
                what = f"integer too large ({digits.group(1)} digits)"
            elif node.tag in (_TAG + "int", _TAG + "float"):  # `!!int abc`: only an explicit tag gets here
                kind = "an integer" if node.tag == _TAG + "int" else "a number"
                what = f"{node.value!r} is not {kind} (YAML tag {_shown_tag(node.tag)})"
            else:
                what = f"{exc} (YAML tag {_shown_tag(node.tag)})"
            raise _YamlProblem(what, node.start_mark) from None

    def _mapping(self, node: Any, out: dict[str, Any], depth: int) -> None:
        pairs = node.value
        try:
            keys = {k.value for k, _ in pairs}
        except TypeError:  # a collection as a key (`? [a, b]`): its value is a list
            bad = next(k for k, _ in pairs if not isinstance(k, yaml.ScalarNode))
            raise _YamlProblem("mapping keys must be strings", bad.start_mark) from None
        if len(keys) != len(pairs) or "<<" in keys:  # rare: duplicates or merge keys
            pairs = self._merged(node)
        convert = self.convert
        for key_node, value_node in pairs:
            if key_node.tag == _STR:
                out[key_node.value] = convert(value_node, depth + 1)
                continue
            k = convert(key_node, depth + 1)
            if isinstance(k, bool) or k is None:  # `NO:` (Norway) is false in YAML 1.1
                what = "a boolean" if isinstance(k, bool) else "null"
                msg = f"mapping key {key_node.value!r} is read as {what}; quote it to use it as a name"
                raise _YamlProblem(msg, key_node.start_mark)
            if not isinstance(k, (str, int, float)):
                raise _YamlProblem("mapping keys must be strings", key_node.start_mark)
            # a number as a key keeps its text: `010:` is the name "010", not octal 8
            out[key_node.value] = convert(value_node, depth + 1)

    def _merged(self, node: Any) -> list[Any]:
        pairs = node.value
        _duplicates(pairs, [k.value for k, _ in pairs if k.tag != _MERGE])
        if any(k.tag == _MERGE for k, _ in pairs):
            for key_node, value_node in pairs:
                if key_node.tag == _MERGE:
                    _merge_sources(value_node)
            _SAFE.flatten_mapping(node)  # merged keys first, written keys override them
        return list(node.value)


def _merge_sources(node: Any) -> None:
    """A merge (`<<:`) takes mappings, or a list of them: their tags must say so (flatten_mapping
    looks at node kinds only, and would merge `!!seq {a: 1}` as a mapping)."""
    if isinstance(node, yaml.SequenceNode) and node.tag != _SEQ:
        raise _tag_problem(node)
    for item in node.value if isinstance(node, yaml.SequenceNode) else [node]:
        if isinstance(item, yaml.MappingNode) and item.tag != _MAP:
            raise _tag_problem(item)


def _duplicates(pairs: list[Any], keys: list[Any]) -> None:
    if len(set(keys)) == len(keys):
        return
    seen: set[Any] = set()
    for key_node, _ in pairs:
        if key_node.tag == _MERGE:
            continue
        if key_node.value in seen:
            raise _YamlProblem(f"duplicate key {key_node.value!r}", key_node.start_mark)
        seen.add(key_node.value)


def _location(name: str, mark: Any) -> SourceLocation:
    if mark is None:
        return SourceLocation(name, 1, 1)
    return SourceLocation(name, mark.line + 1, mark.column + 1)


def _expanded_size(data: Any, limit: int) -> int:
    """Size of `data` with shared (aliased) subtrees counted every time they appear."""
    memo: dict[int, int] = {}

    def size(obj: Any) -> int:
        if isinstance(obj, dict):
            children: Any = obj.values()
        elif isinstance(obj, list):
            children = obj
        else:
            return 1
        key = id(obj)
        if key not in memo:
            total = 1
            for child in children:
                total += size(child)
                if total > limit:
                    break
            memo[key] = total
        return memo[key]

    return size(data)


def _items(text: str) -> int:
    """An upper bound (within a small factor) on the nodes of `text`: every node follows one of these."""
    lines = text.count("\n") + text.count("\r") - text.count("\r\n")
    return lines + text.count(",") + text.count("[") + text.count("{") + text.count("- ")


def _syntax_error(text: str, name: str, exc: yaml.MarkedYAMLError) -> Diagnostic:
    """A YAML syntax error where a reader sees it, saying so when the culprit is a tab."""
    context, problem = exc.context or "", exc.problem or ""
    # an unclosed flow collection or quoted string is best shown where it was opened
    unclosed = "flow" in context or ("quoted" in context and "end of stream" in problem)
    mark = exc.context_mark if unclosed and exc.context_mark else (exc.problem_mark or exc.context_mark)
    what = " ".join(p for p in (context, problem) if p) or "invalid YAML"
    if mark is not None and "tab" not in what:
        lines = text.split("\n", mark.line + 1)
        if mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
            what += " (a tab: YAML indents with spaces only)"
    return Diagnostic(_location(name, mark), f"invalid YAML: {what}")


_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # YAML's line breaks, as its marks count them


def offset_location(name: str, text: str, offset: int, *, in_bytes: bool) -> SourceLocation:
    """line:column of an offset into `text` (of its UTF-8 bytes if `in_bytes`: what libyaml counts)."""
    before = text.encode("utf-8")[:offset].decode("utf-8", errors="replace") if in_bytes else text[:offset]
    line, start = 1, 0
    for match in _BREAK.finditer(before):
        line, start = line + 1, match.end()
    return SourceLocation(name, line, len(before) - start + 1)


def _reader_error(text: str, name: str, exc: yaml.reader.ReaderError) -> Diagnostic:
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    where = offset_location(name, text, exc.position, in_bytes=_Parser is not None)
    allowed = "YAML takes printable characters, tab and line breaks"
    return Diagnostic(where, f"invalid YAML: character U+{character:04X} is not allowed ({allowed})")


def parse_yaml(text: str, name: str) -> tuple[Any, list[Diagnostic]]:
    """Parse one YAML document safely; return its data or diagnostics (never raises)."""
    if len(text) > MAX_ITEMS and _items(text) > MAX_ITEMS:  # composing every node would need gigabytes
        msg = f"more than {MAX_ITEMS:,} lines and list or mapping items in one file; split it into several files"
        return None, [Diagnostic(SourceLocation(name, 1, 1), msg)]
    loader = _NodeLoader(text)
    converter = _Converter()
    collecting = gc.isenabled()
    gc.disable()  # millions of young, acyclic objects: the cyclic GC would rescan them over and over
    try:
        node = loader.get_single_node()
        data = None if node is None else converter.convert(node)
    except _YamlProblem as exc:
        return None, [Diagnostic(_location(name, exc.mark), exc.message)]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(text, name, exc)]
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: the reader gives an offset, not a mark
        return None, [_reader_error(text, name, exc)]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(SourceLocation(name, 1, 1), f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [Diagnostic(SourceLocation(name, 1, 1), f"nesting deeper than {MAX_DEPTH} levels")]
    finally:
        loader.dispose()
        if collecting:
            gc.enable()
    if converter.alias_reused and _expanded_size(data, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
        msg = f"YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes"
        return None, [Diagnostic(SourceLocation(name, 1, 1), msg)]
    return data, []


@dataclass
class Locator:
    """Turns (file, key path) into a source location, composing each file at most once."""

    texts: dict[str, str] = field(default_factory=dict)
    _roots: dict[str, Any] = field(default_factory=dict)
    _keys: dict[int, dict[str, tuple[Any, Any]]] = field(default_factory=dict)  # mapping node → key → nodes

    def add(self, name: str, text: str) -> None:
        """Register the text of a file under its display name."""
        self.texts[name] = text

    def _root(self, name: str) -> Any:
        if name not in self._roots:
            text = self.texts.get(name, "")
            try:
                if "&" in text and "*" in text:  # anchors and aliases: keep where each alias was written
                    self._roots[name] = yaml.compose(text, Loader=_AliasLoader)  # type: ignore[arg-type]
                else:
                    self._roots[name] = yaml.compose(text, Loader=_NodeLoader)  # type: ignore[arg-type]
            except (yaml.YAMLError, RecursionError):
                self._roots[name] = None
        return self._roots[name]

    def locate(self, name: str, path: Path, *, at_key: bool = False) -> SourceLocation:
        """Best location for `path` in file `name`: the deepest node the path reaches, or the
        alias the path goes through (`b: *body`: a problem in b's copy of the body is b's)."""
        node = self._root(name)
        if node is None:
            return SourceLocation(name, 1, 1)
        mark = node.start_mark
        for i, step in enumerate(path):
            last = i == len(path) - 1
            found = self._child(node, step)
            if found is None:
                break
            key_node, node = found
            if isinstance(node, _Alias):
                return _location(name, key_node.start_mark if (last and at_key and key_node is not None) else node.mark)
            mark = key_node.start_mark if (last and at_key and key_node is not None) else node.start_mark
        return _location(name, mark)

    def scalar_text(self, name: str, path: Path) -> str | None:
        """The text of the scalar at `path` in file `name` as written (`010`, not 8); None if none is there."""
        node = self._root(name)
        for step in path:
            found = self._child(node, step) if node is not None else None
            if found is None:
                return None
            node = found[1].target if isinstance(found[1], _Alias) else found[1]
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def _child(self, node: Any, step: str | int) -> tuple[Any, Any] | None:
        if isinstance(node, _Alias):
            node = node.target
        if isinstance(node, yaml.MappingNode):  # indexed once: a mapping with many errors stays linear
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                merges = []
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        if key_node.tag == _MERGE:
                            merges.append((key_node, value_node))
                        keys.setdefault(key_node.value, (key_node, value_node))
                for key, merged in self._merged_keys(merges).items():
                    keys.setdefault(key, merged)  # written keys override merged ones
            return keys.get(str(step))
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            return None, node.value[step]
        return None

    def _merged_keys(self, merges: list[tuple[Any, Any]]) -> dict[str, tuple[Any, Any]]:
        """Keys a mapping takes from its `<<:` merges, each located at its `<<:` (the copy is this
        mapping's, not the merged mapping's)."""
        out: dict[str, tuple[Any, Any]] = {}
        for merge_key, merge in merges:
            sources = merge.target if isinstance(merge, _Alias) else merge
            for source in sources.value if isinstance(sources, yaml.SequenceNode) else [sources]:
                mapping = source.target if isinstance(source, _Alias) else source
                if not isinstance(mapping, yaml.MappingNode):
                    continue
                for key_node, value_node in mapping.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value not in out:
                        out[key_node.value] = (merge_key, _Alias(value_node, merge_key.start_mark))
        return out


@dataclass(frozen=True)
class _Alias:
    """Where an alias (`*body`) was written, and the node it stands for."""

    target: Any
    mark: Any


class _AliasComposer(yaml.composer.Composer):
    """Composes nodes in Python, so that each alias keeps its own position (for `Locator` only)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):  # type: ignore[attr-defined]
            mark = self.peek_event().start_mark  # type: ignore[attr-defined]
            return _Alias(super().compose_node(parent, index), mark)
        return super().compose_node(parent, index)


if _Parser is not None:

    class _AliasLoader(_AliasComposer, _Parser, yaml.resolver.Resolver):
        """libyaml's events, composed by `_AliasComposer`."""

        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

else:  # pragma: no cover - PyYAML without libyaml

    class _AliasLoader(_AliasComposer, yaml.SafeLoader):  # type: ignore[no-redef]
        """Pure-Python events, composed by `_AliasComposer`."""


def decode_error_location(name: str, raw: bytes, exc: UnicodeDecodeError) -> SourceLocation:
    """Where an undecodable byte sits, as line:column (columns counted in characters before it)."""
    before = raw[: exc.start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    return SourceLocation(name, line, column)
