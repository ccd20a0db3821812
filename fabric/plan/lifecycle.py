"""Lifecycle rules applied by the planner: moved addresses, ignored changes, protection."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from fabric.errors import FabricError
from fabric.model.refs import map_refs
from fabric.model.resources import KINDS
from fabric.plan.action import Action
from fabric.plan.change import Change
from fabric.plan.diff import parse_path
from fabric.snapshot import StateSnapshot


class PlanRefused(FabricError):
    """The plan would break a `lifecycle.prevent_destroy` guard."""


def apply_moves(state: StateSnapshot, moves: Mapping[str, str]) -> tuple[StateSnapshot, dict[str, str]]:
    """State as if each moved entry already had its new address; returns new → old."""
    entries = dict(state.entries)
    moved_from: dict[str, str] = {}
    for old, new in moves.items():
        if old in entries and new not in entries:
            entries[new] = replace(entries.pop(old), address=new)
            moved_from[new] = old
    # what other entries recorded of a moved resource names it by its new address too (moved now,
    # or by an earlier apply: entries written before the move keep the old address until updated)
    renamed = {old: new for old, new in moves.items() if new in entries and old not in entries}
    if renamed:
        for address, entry in entries.items():
            cls = KINDS.get(entry.kind)
            if cls is None or not cls.REFS:
                continue
            attributes = dict(entry.attributes)
            mapped = map_refs(cls, attributes, lambda a: renamed.get(a, a))
            if mapped != attributes:
                entries[address] = replace(entry, attributes=mapped)
    return StateSnapshot(state.serial, state.lineage, entries), moved_from


def _covers(ignored: str, path: str) -> bool:
    return path == ignored or path.startswith((ignored + ".", ignored + "["))


def without_ignored(paths: tuple[str, ...], ignore: list[str]) -> tuple[str, ...]:
    """Changed paths that no `ignore_changes` entry covers."""
    if not ignore:
        return paths
    return tuple(p for p in paths if not any(_covers(i, p) for i in ignore))


def keep_ignored(
    after: Mapping[str, Any], before: Mapping[str, Any], ignore: list[str], kind: str = ""
) -> dict[str, Any]:
    """`after` with the live (`before`) value at every ignored path, so apply leaves it alone. Paths
    are written as plans show them: `capacity.vm_count`, `custom_properties["custom_property.x"]`,
    and items of `kind`'s keyed lists by key, `subnets["web"].vlan`."""
    out = copy.deepcopy(dict(after))
    keyed = KINDS[kind].KEYED if kind in KINDS else {}
    for path in ignore:
        parts = parse_path(path)
        if not parts:
            continue
        key = keyed.get(str(parts[0]))
        source: Any = before
        target: Any = out
        try:
            for part in parts[:-1]:
                source, target = _step(source, part, key), _step(target, part, key)
            _put(target, parts[-1], copy.deepcopy(_step(source, parts[-1], key)), key)
        except (KeyError, IndexError, TypeError):
            continue
    return out


def _step(node: Any, part: str | int, key: str | None) -> Any:
    """`node[part]`, where a string part of a keyed list names the item by its key."""
    if isinstance(node, list) and isinstance(part, str) and key is not None:
        for item in node:
            if isinstance(item, Mapping) and str(item.get(key)) == part:
                return item
        raise KeyError(part)
    return node[part]


def _put(node: Any, part: str | int, value: Any, key: str | None) -> None:
    if isinstance(node, list) and isinstance(part, str) and key is not None:
        for i, item in enumerate(node):
            if isinstance(item, Mapping) and str(item.get(key)) == part:
                node[i] = value
                return
        raise KeyError(part)
    node[part] = value


def refuse_plan(changes: Iterable[Change]) -> None:
    """Raise PlanRefused, one line per problem, if any of these changes must not be applied: a
    delete or replace of a protected resource (`lifecycle.prevent_destroy`), or a change the planner
    refused (`Change.refusal`). Called on the plan that will be shown or applied — after targeting,
    so that an unrelated guard does not block a targeted plan."""
    hits, refusals = [], []
    for change in changes:
        if change.refusal:
            refusals.append(change.refusal)
        if change.protected and change.action in (Action.DELETE, Action.REPLACE):
            hits.append(f"{change.address} would be {'deleted' if change.action is Action.DELETE else 'replaced'}")
    lines = sorted(refusals)
    if hits:
        lines.append(
            "lifecycle.prevent_destroy forbids this plan: "
            + "; ".join(hits)
            + " (remove prevent_destroy first if this is intended)"
        )
    if lines:
        raise PlanRefused("\n".join(lines))
