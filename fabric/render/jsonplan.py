"""The JSON plan format (`format_version` 1), kept apart from the in-memory `Plan`."""

from __future__ import annotations

from typing import Any

from fabric.plan.change import Change, Plan

FORMAT_VERSION = "1"


def change_to_json(change: Change) -> dict[str, Any]:
    """One change in the documented JSON shape."""
    return {
        "address": change.address,
        "kind": change.kind,
        "name": change.name,
        "action": change.action.value,
        "before": dict(change.before) if change.before is not None else None,
        "after": dict(change.after) if change.after is not None else None,
        "changed_paths": list(change.changed_paths),
        "reason": change.reason,
        "moved_from": change.moved_from,
    }


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The whole plan: format_version, stamp, changes (by address), summary."""
    return {
        "format_version": FORMAT_VERSION,
        "stamp": plan.stamp,
        "changes": [change_to_json(c) for c in plan.changes],
        "summary": plan.summary(),
    }
