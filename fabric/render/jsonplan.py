"""The JSON plan format (`format_version` 4), kept apart from the in-memory `Plan`.

2: actions `adopt` and `forget`, `changed_outside`, summary counts for both.
3: `diff`, the structured difference of each change (`fabric.plan.diff`): a set list's members
added and removed, a keyed list's items by key, every other attribute as before → after; set
lists appear in `changed_paths` (and `changed_outside`) by their own path (`network_sites`),
no longer by position.
4: `why`, each change's reasons as data beside `reason`, their words: a list of `{reason, paths,
subjects, detail, step}` (`fabric.plan.reason.Reason` names the closed set; empty fields are left
out); a `changed_outside` entry for a path fabric never applied (a keyed item or map key added
outside) is `{path, absent: true}`.
"""

from __future__ import annotations

from typing import Any

from fabric.plan.change import Change, Plan
from fabric.plan.diff import MISSING
from fabric.plan.planfile import change_record
from fabric.render.text import entries_of

FORMAT_VERSION = "4"


PUBLIC = (
    "address",
    "kind",
    "name",
    "action",
    "adopt",
    "before",
    "after",
    "changed_paths",
    "diff",
    "changed_outside",
    "reason",
    "why",
    "moved_from",
)


def change_to_json(change: Change) -> dict[str, Any]:
    """One change in the documented JSON shape (the action as plans show it: `adopt` for a take-over)."""
    record = change_record(change)
    record["action"] = change.shown.value
    record["diff"] = [e.to_json() for e in entries_of(change)]
    record["changed_outside"] = [
        {"path": p, "absent": True} if v is MISSING else {"path": p, "applied": v}
        for p, v in change.changed_outside.items()
    ]
    return {key: record[key] for key in PUBLIC}


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """The whole plan: format_version, stamp, changes (by address), summary."""
    plan = plan.redacted()
    doc = {
        "format_version": FORMAT_VERSION,
        "stamp": plan.stamp,
        "changes": [change_to_json(c) for c in plan.changes],
        "summary": plan.summary(),
    }
    posture = {c.address: dict(c.posture) for c in plan.changes if c.posture is not None}
    if posture:  # only stamps with protected VMs: an optional key, unknown to older readers
        doc["posture"] = posture
    reinitialised = plan.reinitialised()
    if reinitialised:  # replaced pairings → the protected VMs that replicate from the start again
        doc["reinitialised"] = reinitialised
    return doc
