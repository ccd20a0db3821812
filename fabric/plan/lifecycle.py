"""Lifecycle rules applied by the planner: moved addresses, ignored changes, protection."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from fabric.errors import FabricError
from fabric.plan.action import Action
from fabric.plan.change import Change
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
    return StateSnapshot(state.serial, state.lineage, entries), moved_from


def _covers(ignored: str, path: str) -> bool:
    return path == ignored or path.startswith((ignored + ".", ignored + "["))


def without_ignored(paths: tuple[str, ...], ignore: list[str]) -> tuple[str, ...]:
    """Changed paths that no `ignore_changes` entry covers."""
    if not ignore:
        return paths
    return tuple(p for p in paths if not any(_covers(i, p) for i in ignore))


def keep_ignored(after: Mapping[str, Any], before: Mapping[str, Any], ignore: list[str]) -> dict[str, Any]:
    """`after` with the live (`before`) value at every ignored path, so apply leaves it alone."""
    out = copy.deepcopy(dict(after))
    for path in ignore:
        parts = path.split(".")
        source: Any = before
        target: Any = out
        try:
            for part in parts[:-1]:
                source, target = source[part], target[part]
            target[parts[-1]] = copy.deepcopy(source[parts[-1]])
        except (KeyError, TypeError):
            continue
    return out


def guard_destroy(changes: list[Change], protected: set[str]) -> None:
    """Raise PlanRefused naming every protected resource (`protected`: their addresses) the plan
    deletes or replaces."""
    hits = []
    for change in changes:
        if change.action not in (Action.DELETE, Action.REPLACE):
            continue
        if change.address in protected:
            hits.append(f"{change.address} would be {'deleted' if change.action is Action.DELETE else 'replaced'}")
    if hits:
        raise PlanRefused(
            "lifecycle.prevent_destroy forbids this plan: "
            + "; ".join(hits)
            + " (remove prevent_destroy first if this is intended)"
        )
