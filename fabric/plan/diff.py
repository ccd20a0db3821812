"""Attribute-level diff: equality first, deepdiff only for the dicts that differ."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from fabric.model.resources import KINDS

_TOKEN = re.compile(r'\.?([^.\[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def format_path(path: list[Any], keyed: bool = False) -> str:
    """`['capacity', 'vm_count']` → `capacity.vm_count`; list indexes as `[0]`; keys with dots as
    `["a.b"]`; with `keyed`, the second step is an item's key and always shown as `["key"]`."""
    out = ""
    for i, step in enumerate(path):
        if isinstance(step, int):
            out += f"[{step}]"
        elif not (keyed and i == 1) and re.fullmatch(r"[^.\[\]\"]+", str(step)):
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


def keyed(kind: str, data: Any) -> Any:
    """`data` with each of the kind's keyed lists (`Resource.KEYED`) as a mapping key → item, so that
    paths name an item by its key (`subnets["web"].subnet`) and order never matters."""
    cls = KINDS.get(kind)
    if cls is None or not cls.KEYED or not isinstance(data, Mapping):
        return data
    out = dict(data)
    for field, key in cls.KEYED.items():
        items = out.get(field)
        if isinstance(items, list) and all(isinstance(i, Mapping) and key in i for i in items):
            out[field] = {str(i[key]): i for i in items}
    return out


def lookup(data: Any, path: str, kind: str = "") -> Any:
    """Value at a path like `capacity.vm_count`, `subnets["web"].vlan` (a keyed item of `kind`) or
    `custom_properties["custom_property.x"]` (or MISSING)."""
    node = keyed(kind, data) if kind else data
    for part in parse_path(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return node


def changed_paths(before: Mapping[str, Any], after: Mapping[str, Any], kind: str = "") -> tuple[str, ...]:
    """Sorted dotted paths (`capacity.vm_count`, `subnets["web"].vlan`) that differ; () if equal.
    Items of `kind`'s keyed lists are compared by key, others by position."""
    if before == after:
        return ()
    from deepdiff import DeepDiff  # imported on first difference: a no-op plan never pays for it

    if kind:
        before, after = keyed(kind, before), keyed(kind, after)
    diff = DeepDiff(dict(before), dict(after), verbose_level=2, view="tree")
    fields = KINDS[kind].KEYED if kind in KINDS else {}
    found = (item.path(output_format="list") for items in diff.values() for item in items)
    paths = {format_path(path, keyed=bool(path) and path[0] in fields) for path in found}
    return tuple(sorted(paths))


def top_level(paths: tuple[str, ...]) -> set[str]:
    """The top-level attribute names a set of changed paths touches."""
    return {str(parse_path(p)[0]) for p in paths if p}
