"""Attribute-level diff: equality first, deepdiff only for the dicts that differ."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _format(path: list[Any]) -> str:
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += ("." if out else "") + str(step)
    return out


def changed_paths(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """Sorted dotted paths (`capacity.vm_count`, `subnets[0].vlan`) that differ; () if equal."""
    if before == after:
        return ()
    from deepdiff import DeepDiff  # imported on first difference: a no-op plan never pays for it

    diff = DeepDiff(dict(before), dict(after), verbose_level=2, view="tree")
    paths = {_format(item.path(output_format="list")) for items in diff.values() for item in items}
    return tuple(sorted(paths))


def top_level(paths: tuple[str, ...]) -> set[str]:
    """The top-level attribute names a set of changed paths touches."""
    return {p.split(".")[0].split("[")[0] for p in paths}
