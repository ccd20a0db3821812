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


def _null(constructor: Any, node: Any) -> None:
    return None


def _timestamp(constructor: Any, node: Any) -> str:
    return str(node.value)


_SCALARS: dict[str, Callable[[Any, Any], Any]] = {
    _TAG + "int": yaml.constructor.SafeConstructor.construct_yaml_int,
    _TAG + "float": yaml.constructor.SafeConstructor.construct_yaml_float,
    _TAG + "bool": yaml.constructor.SafeConstructor.construct_yaml_bool,
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
            return node.value
        if depth > MAX_DEPTH:
            raise _YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
        if tag in _SCALARS:
            return self._scalar(node)
        key = id(node)
        found = self.done.get(key)
        if found is not None:
            if found is _IN_PROGRESS:  # an alias inside its own anchor: `&a [*a]`
                raise _YamlProblem("recursive YAML alias: a collection contains itself", node.start_mark)
            self.alias_reused = True
            return found
        if tag == _SEQ:
            self.done[key] = _IN_PROGRESS
            out = [self.convert(child, depth + 1) for child in node.value]
            self.done[key] = out
            return out
        if tag == _MAP:
            self.done[key] = _IN_PROGRESS
            mapping: dict[str, Any] = {}
            self._mapping(node, mapping, depth)
            self.done[key] = mapping
            return mapping
        raise _YamlProblem(f"unsupported YAML tag {tag!r}", node.start_mark)

    def _scalar(self, node: Any) -> Any:
        try:  # the per-tag constructors only read the node, so one shared instance is safe
            return _SCALARS[node.tag](_SAFE, node)
        except ValueError as exc:
            digits = re.search(r"has (\d+) digits", str(exc))
            what = f"integer too large ({digits.group(1)} digits)" if digits else f"invalid value: {exc}"
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
            _SAFE.flatten_mapping(node)  # merged keys first, written keys override them
        return list(node.value)


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
            try:
                self._roots[name] = yaml.compose(self.texts.get(name, ""), Loader=_NodeLoader)  # type: ignore[arg-type]
            except (yaml.YAMLError, RecursionError):
                self._roots[name] = None
        return self._roots[name]

    def locate(self, name: str, path: Path, *, at_key: bool = False) -> SourceLocation:
        """Best location for `path` in file `name`: the deepest node the path reaches."""
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
            mark = key_node.start_mark if (last and at_key and key_node is not None) else node.start_mark
        return _location(name, mark)

    def scalar_text(self, name: str, path: Path) -> str | None:
        """The text of the scalar at `path` in file `name` as written (`010`, not 8); None if none is there."""
        node = self._root(name)
        for step in path:
            found = self._child(node, step) if node is not None else None
            if found is None:
                return None
            node = found[1]
        return node.value if isinstance(node, yaml.ScalarNode) else None

    def _child(self, node: Any, step: str | int) -> tuple[Any, Any] | None:
        if isinstance(node, yaml.MappingNode):  # indexed once: a mapping with many errors stays linear
            keys = self._keys.get(id(node))
            if keys is None:
                keys = self._keys[id(node)] = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        keys.setdefault(key_node.value, (key_node, value_node))
            return keys.get(str(step))
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            return None, node.value[step]
        return None


def decode_error_location(name: str, raw: bytes, exc: UnicodeDecodeError) -> SourceLocation:
    """Where an undecodable byte sits, as line:column (columns counted in characters before it)."""
    before = raw[: exc.start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    return SourceLocation(name, line, column)
