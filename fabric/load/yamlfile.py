"""Safe YAML reading with duplicate-key refusal, alias-bomb limits and lazy positions.

Parsing keeps no per-node positions on the hot path: a problem is reported with a key path,
and `Locator` re-composes that one file to turn the path into `line:column`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from fabric.errors import Diagnostic, SourceLocation

Path = tuple[str | int, ...]

MAX_EXPANDED_NODES = 2_000_000
MAX_DEPTH = 64
_PLAIN_TAGS = frozenset("tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq"))
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _YamlProblem(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _StrictLoader(_Base):  # type: ignore[misc]
    """SafeLoader that refuses duplicate keys and odd tags and counts alias reuse."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.alias_reused = False
        self._depth = 0

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            if not isinstance(node, yaml.ScalarNode):
                self.alias_reused = True
            return self.constructed_objects[node]
        if node.tag not in _PLAIN_TAGS:
            if node.tag == "tag:yaml.org,2002:timestamp":
                return str(node.value)
            raise _YamlProblem(f"unsupported YAML tag {node.tag!r}", node.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
            return super().construct_object(node, deep=True)
        except ValueError as exc:
            digits = re.search(r"has (\d+) digits", str(exc))
            what = f"integer too large ({digits.group(1)} digits)" if digits else f"invalid value: {exc}"
            raise _YamlProblem(what, node.start_mark) from None
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[str, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise _YamlProblem("expected a mapping", node.start_mark)
        explicit: set[str] = set()
        for key_node, _ in node.value:  # duplicates among written keys; merged (<<) keys may be overridden
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            if key_node.value in explicit and isinstance(key_node, yaml.ScalarNode):
                raise _YamlProblem(f"duplicate key {key_node.value!r}", key_node.start_mark)
            explicit.add(key_node.value)
        self.flatten_mapping(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node)
            if isinstance(key, bool) or not isinstance(key, (str, int, float)):
                raise _YamlProblem("mapping keys must be strings", key_node.start_mark)
            result[str(key)] = self.construct_object(value_node)
        return result


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


def parse_yaml(text: str, name: str) -> tuple[Any, list[Diagnostic]]:
    """Parse one YAML document safely; return its data or diagnostics (never raises)."""
    loader = _StrictLoader(text)
    try:
        data = loader.get_single_data()
    except _YamlProblem as exc:
        return None, [Diagnostic(_location(name, exc.mark), exc.message)]
    except yaml.MarkedYAMLError as exc:
        # an unclosed flow collection is best shown where it was opened
        flow = bool(exc.context and "flow" in exc.context and exc.context_mark)
        mark = exc.context_mark if flow else (exc.problem_mark or exc.context_mark)
        what = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        return None, [Diagnostic(_location(name, mark), f"invalid YAML: {what}")]
    except yaml.YAMLError as exc:
        return None, [Diagnostic(SourceLocation(name, 1, 1), f"invalid YAML: {exc}")]
    except RecursionError:
        return None, [Diagnostic(SourceLocation(name, 1, 1), f"nesting deeper than {MAX_DEPTH} levels")]
    finally:
        loader.dispose()
    if loader.alias_reused and _expanded_size(data, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
        msg = f"YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes"
        return None, [Diagnostic(SourceLocation(name, 1, 1), msg)]
    return data, []


@dataclass
class Locator:
    """Turns (file, key path) into a source location, composing each file at most once."""

    texts: dict[str, str] = field(default_factory=dict)
    _roots: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, text: str) -> None:
        """Register the text of a file under its display name."""
        self.texts[name] = text

    def _root(self, name: str) -> Any:
        if name not in self._roots:
            try:
                self._roots[name] = yaml.compose(self.texts.get(name, ""), Loader=_Base)
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
            found = _child(node, step)
            if found is None:
                break
            key_node, node = found
            mark = key_node.start_mark if (last and at_key and key_node is not None) else node.start_mark
        return _location(name, mark)


def _child(node: Any, step: str | int) -> tuple[Any, Any] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(step):
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return None, node.value[step]
    return None


def decode_error_location(name: str, raw: bytes, exc: UnicodeDecodeError) -> SourceLocation:
    """Where an undecodable byte sits, as line:column (columns counted in characters before it)."""
    before = raw[: exc.start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
    return SourceLocation(name, line, column)
