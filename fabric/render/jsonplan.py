"""The JSON plan format (`format_version` 1), kept apart from the in-memory `Plan`."""

from __future__ import annotations

from typing import Any

from fabric.plan.change import Change, Plan
from fabric.plan.planfile import change_record

FORMAT_VERSION = "1"


PUBLIC = ("address", "kind", "name", "action", "adopt", "before", "after", "changed_paths", "reason", "moved_from")


def change_to_json(change: Change) -> dict[str, Any]:
    """One change in the documented JSON shape."""
    record = change_record(change)
    return {key: record[key] for key in PUBLIC}


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The whole plan: format_version, stamp, changes (by address), summary."""
    plan = plan.redacted()
    return {
        "format_version": FORMAT_VERSION,
        "stamp": plan.stamp,
        "changes": [change_to_json(c) for c in plan.changes],
        "summary": plan.summary(),
    }
