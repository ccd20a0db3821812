"""The saved plan format (`fabric plan --out FILE`), kept apart from the in-memory `Plan`.

A plan file records the changes exactly as planned, where to apply them (stamp and state
directories, provider settings) and what they were planned against (state lineage and
serial, a fingerprint of the live inventory), so a stale plan can be refused.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from fabric.errors import FabricError
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.diff import MISSING
from fabric.plan.reason import Why
from fabric.secrets import fingerprint, from_references, redact_like, referenced_names, to_references, unnamed_at

PLANFILE_FORMAT = "fabric-plan"
# 2: fingerprints of secrets (a version-1 file has none, so it is refused); 3: the footprint (what the
# plan relies on in the live fabric), and the changes' ownership, rejoin and outside-change fields;
# 4: each change's reasons as data (`why`, `fabric.plan.reason`), `reason` only their words
PLANFILE_VERSION = 4


@dataclass(frozen=True)
class PlanContext:
    """Where a saved plan applies and what it was made against."""

    stamp_dir: str
    state_dir: str
    provider: dict[str, Any]
    inventory_fingerprint: str
    created: str
    fabric_version: str
    desired: dict[str, Any] = field(default_factory=dict)
    state_backend: dict[str, Any] = field(default_factory=dict)  # fabric.yaml's state: (no DSN)
    secrets: dict[str, str] = field(default_factory=dict)  # variable → fingerprint of its value then
    footprint: dict[str, Any] = field(default_factory=dict)  # what of the live fabric it relies on


def change_record(c: Change) -> dict[str, Any]:
    """Every field of a change, JSON-ready (the plan file's form; the JSON plan shows a subset)."""
    return {
        "address": c.address,
        "kind": c.kind,
        "name": c.name,
        "action": c.action.value,
        "before": c.before,
        "after": c.after,
        "changed_paths": list(c.changed_paths),
        "live_id": c.live_id,
        "reason": c.reason,  # in words, for people reading the file; `why` is what is read back
        "why": [w.to_json() for w in c.why],
        "adopt": c.adopt,
        "depends_on": list(c.depends_on),
        "old_depends_on": list(c.old_depends_on),
        "moved_from": c.moved_from,
        "protected": c.protected,
        "rejoins": list(c.rejoins),
        "takes_over": c.takes_over,
        "owner_tag": c.owner_tag,
        "refusal": c.refusal,
        # a path fabric never applied (a keyed item or map key added outside) has no value: listed apart
        "changed_outside": {p: v for p, v in c.changed_outside.items() if v is not MISSING},
        "absent_outside": [p for p, v in c.changed_outside.items() if v is MISSING],
    }


def _change_from_dict(d: dict[str, Any]) -> Change:
    return Change(
        d["address"],
        d["kind"],
        d["name"],
        Action(d["action"]),
        d["before"],
        d["after"],
        tuple(d["changed_paths"]),
        d["live_id"],
        tuple(Why.from_json(w) for w in d.get("why") or ()),
        bool(d["adopt"]),
        tuple(d["depends_on"]),
        tuple(d["old_depends_on"]),
        d.get("moved_from"),
        bool(d.get("protected")),
        rejoins=tuple(d.get("rejoins") or ()),
        takes_over=bool(d.get("takes_over")),
        owner_tag=bool(d.get("owner_tag")),
        refusal=str(d.get("refusal") or ""),
        changed_outside={
            **dict(d.get("changed_outside") or {}),
            **dict.fromkeys(d.get("absent_outside") or (), MISSING),
        },
    )


def _masked_record(c: Change) -> dict[str, Any]:
    record = change_record(c)
    if unnamed_at(to_references(record["after"]), record["before"]):
        raise FabricError(
            f"{c.address}: cannot save this plan: it would keep a secret's old value (ignore_changes on a "
            "secret that changed) and a plan file holds only ${env:NAME} references; apply without --out"
        )
    record["before"] = redact_like(record["before"], record["after"])  # an old value of a secret
    return record


def dump_plan(plan: Plan, context: PlanContext) -> dict[str, Any]:
    """The plan file document (JSON-ready); secret values appear as their `${env:NAME}` references."""
    doc = {
        "format": PLANFILE_FORMAT,
        "format_version": PLANFILE_VERSION,
        "stamp": plan.stamp,
        "destroy": plan.destroy,
        "state": {"lineage": plan.state_lineage, "serial": plan.state_serial},
        "context": {
            "stamp_dir": context.stamp_dir,
            "state_dir": context.state_dir,
            "provider": context.provider,
            "inventory_fingerprint": context.inventory_fingerprint,
            "created": context.created,
            "fabric_version": context.fabric_version,
            "state_backend": context.state_backend,
            "footprint": context.footprint,
        },
        "desired": context.desired,
        "changes": [_masked_record(c) for c in plan.changes],
        "summary": plan.summary(),
    }
    doc = dict(to_references(doc))
    # what each secret was when planned, one-way: apply refuses the plan if one changed since
    doc["secrets"] = {name: fingerprint(os.environ.get(name, "")) for name in sorted(referenced_names(doc))}
    return doc


def load_plan(doc: Any) -> tuple[Plan, PlanContext]:
    """Read a plan file document; FabricError if it is not one this version understands."""
    if not isinstance(doc, dict) or doc.get("format") != PLANFILE_FORMAT:
        raise FabricError("not a fabric plan file")
    if doc.get("format_version") != PLANFILE_VERSION:
        raise FabricError(
            f"plan file format version {doc.get('format_version')!r} is not supported "
            f"(this fabric reads version {PLANFILE_VERSION})"
        )
    prints = doc.get("secrets")
    if not isinstance(prints, dict) or not all(isinstance(v, str) for v in prints.values()):
        raise FabricError("plan file is damaged: secrets is not a map of fingerprints")
    unprinted = sorted(referenced_names({k: v for k, v in doc.items() if k != "secrets"}) - set(prints))
    if unprinted:
        raise FabricError(f"plan file is damaged: no fingerprint for the secret in {', '.join(unprinted)}")
    doc = from_references(doc)  # secrets come from the environment again, as when planning
    try:
        ctx = doc["context"]
        plan = Plan(
            doc["stamp"],
            tuple(_change_from_dict(c) for c in doc["changes"]),
            int(doc["state"]["serial"]),
            bool(doc["destroy"]),
            state_lineage=str(doc["state"]["lineage"]),
        )
        context = PlanContext(
            ctx["stamp_dir"],
            ctx["state_dir"],
            dict(ctx["provider"]),
            ctx["inventory_fingerprint"],
            ctx["created"],
            ctx["fabric_version"],
            dict(doc.get("desired", {})),
            dict(ctx.get("state_backend", {})),
            dict(prints),
            dict(ctx.get("footprint") or {}),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise FabricError(f"plan file is damaged: {type(exc).__name__}: {exc}") from None
    return plan, context
