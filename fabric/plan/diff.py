"""Attribute-level diff: equality first, deepdiff only for the dicts that differ."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

_TOKEN = re.compile(r'\.?([^.\[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def format_path(path: list[Any]) -> str:
    """`['capacity', 'vm_count']` → `capacity.vm_count`; list indexes as `[0]`; keys with dots as `["a.b"]`."""
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        elif re.fullmatch(r"[^.\[\]\"]+", str(step)):
            out += ("." if out else "") + str(step)
        else:
            out += f"[{json.dumps(str(step))}]"
    return out


def parse_path(text: str) -> list[str | int]:
    """The inverse of `format_path`."""
    parts: list[str | int] = []
    for match in _TOKEN.finditer(text):
        name, index, quoted = match.groups()
        parts.append(name if name is not None else int(index) if index is not None else json.loads(quoted))
    return parts


MISSING: Any = object()  # what `lookup` returns where a path leads nowhere


def lookup(data: Any, path: str) -> Any:
    """Value at a path like `subnets[0].vlan` or `custom_properties["custom_property.x"]` (or MISSING)."""
    node = data
    for part in parse_path(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return node


def changed_paths(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """Sorted dotted paths (`capacity.vm_count`, `subnets[0].vlan`) that differ; () if equal."""
    if before == after:
        return ()
    from deepdiff import DeepDiff  # imported on first difference: a no-op plan never pays for it

    diff = DeepDiff(dict(before), dict(after), verbose_level=2, view="tree")
    paths = {format_path(item.path(output_format="list")) for items in diff.values() for item in items}
    return tuple(sorted(paths))


def top_level(paths: tuple[str, ...]) -> set[str]:
    """The top-level attribute names a set of changed paths touches."""
    return {str(parse_path(p)[0]) for p in paths if p}
