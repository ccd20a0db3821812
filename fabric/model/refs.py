"""Walking and rewriting the references inside attribute dicts, driven by a kind's `REFS`."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fabric.model.resources import KINDS, RefPath, Resource

Path = tuple[str | int, ...]
DEPENDS_ON: dict[RefPath, str] = {("depends_on", "*"): ""}


def iter_refs(spec: dict[RefPath, str], data: dict[str, Any]) -> Iterator[tuple[Path, str, str]]:
    """Yield (path, address, expected kind) for every reference in `data` ('' = any kind)."""
    for pattern, kind in spec.items():
        for path, value in _walk(data, pattern, ()):
            if isinstance(value, str):
                yield path, value, kind


def _walk(node: Any, pattern: RefPath, path: Path) -> Iterator[tuple[Path, Any]]:
    if not pattern:
        yield path, node
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        items: Any = node.items() if isinstance(node, dict) else enumerate(node or [])
        for key, child in items:
            yield from _walk(child, rest, (*path, key))
    elif step == "<key>":
        for key in node or {}:
            yield (*path, key), key
    elif isinstance(node, dict) and node.get(step) is not None:
        yield from _walk(node[step], rest, (*path, step))


def map_refs(cls: type[Resource], data: dict[str, Any], fn: Callable[[str], str]) -> dict[str, Any]:
    """Return a copy of attribute dict `data` with every reference passed through `fn`."""
    out = dict(data)
    for pattern in cls.REFS:
        field = pattern[0]
        if field in out:
            out[field] = _rewrite(out[field], pattern[1:], fn)
    return out


def _rewrite(node: Any, pattern: RefPath, fn: Callable[[str], str]) -> Any:
    if node is None:
        return None
    if not pattern:
        return fn(node) if isinstance(node, str) else node
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        if isinstance(node, dict):
            return {k: _rewrite(v, rest, fn) for k, v in node.items()}
        return [_rewrite(v, rest, fn) for v in node]
    if step == "<key>":
        return {fn(k): v for k, v in node.items()}
    if isinstance(node, dict) and step in node:
        return {**node, step: _rewrite(node[step], rest, fn)}
    return node


def referenced(cls: type[Resource], data: dict[str, Any]) -> set[str]:
    """Every address that attribute dict `data` of kind `cls` points at."""
    return {address for _, address, _ in iter_refs(cls.REFS, data)}


def scope_value(kind: str, attributes: dict[str, Any]) -> str:
    """What scopes a display name for `kind` (VMM identity): parent, logical network, site.

    Works on attributes with references as addresses or as live IDs alike.
    """
    return KINDS[kind].scope_key(attributes)


def identity(kind: str, attributes: Mapping[str, Any]) -> tuple[str, str, str]:
    """What VMM keeps unique: kind, scope (parent, logical network, site) and name, case-insensitive."""
    return kind, scope_value(kind, dict(attributes)), str(attributes.get("name", "")).casefold()


def names_unique(kind: str, attributes: Mapping[str, Any]) -> bool:
    """False where VMM lets objects share a name in their scope: HNV VM networks, which tenants
    own (every Windows Azure Pack tenant has a "Default" network on the one PA logical network).

    Such an object is known by its ID alone: `identity` still names what adoption looks for,
    but several live objects can answer it.
    """
    return not (kind == "vm_network" and attributes.get("isolation") == "hnv")


def without_refs(
    spec: dict[RefPath, str], data: dict[str, Any], drop: set[str], clears: frozenset[RefPath] = frozenset()
) -> dict[str, Any] | None:
    """A copy of `data` without the list items or map keys that hold a reference (per `spec`) in `drop`.

    None if a reference in `drop` is a plain field (dropping it would leave the object
    without something it must have). Used to detach an object from others before they go.
    """
    cuts: set[Path] = set()
    out = copy.deepcopy(data)
    for pattern in clears:  # an optional reference the object keeps its item without: set to null
        for path, address in _walk(out, pattern, ()):
            if address in drop:
                node: Any = out
                for step in path[:-1]:
                    node = node[step]
                node[path[-1]] = None
    data = out
    for pattern in spec:
        if pattern in clears:
            continue
        for path, address in _walk(data, pattern, ()):
            if address not in drop:
                continue
            # the innermost list item or map key holding it goes (a VM out of a plan's group, not the group)
            depth = next((i for i in reversed(range(len(pattern))) if pattern[i] in ("*", "<key>")), None)
            if depth is None:
                return None
            cuts.add(path[: depth + 1])
    cuts = {c for c in cuts if not any(c[:n] in cuts for n in range(1, len(c)))}  # inside a removed item
    out = copy.deepcopy(data)
    # deepest and highest index first, so earlier cuts do not shift later ones
    for path in sorted(cuts, key=lambda p: (len(p), p[-1] if isinstance(p[-1], int) else -1), reverse=True):
        parent: Any = out
        for step in path[:-1]:
            parent = parent[step]
        del parent[path[-1]]
    return out


def keeps_minimums(kind: str, attributes: Mapping[str, Any]) -> bool:
    """False if a list drops below the length the model demands (a site with no host group):
    such an intermediate step would be a state VMM does not allow, or one that empties the object."""
    for name, field in KINDS[kind].model_fields.items():
        value = attributes.get(name)
        least = max((getattr(rule, "min_length", 0) for rule in field.metadata), default=0)
        if isinstance(value, list) and len(value) < least:
            return False
    return True


def detached(kind: str, attributes: Mapping[str, Any], drop: set[str]) -> dict[str, Any] | None:
    """`attributes` without the list items and map keys that point at `drop` — an object that left
    them for a while — or None if that is impossible: a plain reference (a site's logical network, a
    host group's parent) cannot be dropped, and no list may fall below the model's minimum."""
    first = without_refs(KINDS[kind].REFS, dict(attributes), drop, KINDS[kind].DETACH_CLEARS)
    if first is None or not keeps_minimums(kind, first):
        return None
    return first
