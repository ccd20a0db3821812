"""What a saved plan relies on in the live fabric, so that it goes stale only when that changes.

A change board's plan must survive unrelated activity on a shared VMM (a tenant creating a VM
network), and be refused when something it depends on moved. A plan relies on:

- every live object it changes, and every object those reference (live and in code);
- the names and slots its creates and renames take (`kind, scope, name`; one no-isolation VM
  network per logical network, …): no other object may have taken them since;
- for a plan that adds subnets to network sites, every live network site (VMM's subnet rule
  spans host-group subtrees; sites are few and belong to the fabric's admins).

`footprint` records it when the plan is saved; `moved_on` tells, when it is applied, what of it
changed. Pure: plans and inventories in, facts out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import identity, iter_refs, map_refs
from fabric.model.resources import KINDS
from fabric.model.slots import slots
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan

ABSENT = "absent"
SITE = "network_site"


@dataclass(frozen=True)
class Footprint:
    """Live ID → digest of each object the plan relies on (`absent` if it was gone), and the claims
    (names and slots, as live-ID tuples) its creates take."""

    objects: dict[str, str] = field(default_factory=dict)
    claims: list[list[str]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (saved plans)."""
        return {"objects": dict(sorted(self.objects.items())), "claims": sorted(self.claims)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Footprint:
        """Inverse of `to_json`."""
        return cls(dict(data.get("objects") or {}), [list(c) for c in data.get("claims") or []])


def digest(obj: ObservedObject | None) -> str:
    """A fingerprint of one live object (its kind, name and attributes)."""
    if obj is None:
        return ABSENT
    text = json.dumps([obj.kind, obj.name, obj.attributes], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _ids(plan: Plan) -> dict[str, str]:
    return {c.address: c.live_id for c in plan.changes if c.live_id}


def _relied_on(plan: Plan, inventory: Inventory) -> set[str]:
    ids = _ids(plan)
    out: set[str] = set()
    for change in plan.changes:
        if not change.records_state:
            continue
        if change.live_id:
            out.add(change.live_id)
            obj = inventory.get(change.live_id)
            if obj is not None and obj.kind in KINDS:  # what the live object points at, managed or not
                out |= {t for _, t, _ in iter_refs(KINDS[obj.kind].REFS, dict(obj.attributes))}
        for attributes in (change.after, change.before):
            if attributes is not None and change.kind in KINDS:
                out |= {ids[t] for _, t, _ in iter_refs(KINDS[change.kind].REFS, dict(attributes)) if t in ids}
    if any(_adds_subnets(c) for c in plan.changes):
        out |= {o.id for o in inventory if o.kind == SITE}
    return out


def _adds_subnets(change: Change) -> bool:
    if change.kind != SITE or change.after is None or change.action is Action.NOOP:
        return False
    before = {str(p.get("subnet")) for p in (change.before or {}).get("subnets") or [] if isinstance(p, Mapping)}
    return any(str(p.get("subnet")) not in before for p in change.after.get("subnets") or [] if isinstance(p, Mapping))


def _claims_of(kind: str, attributes: Mapping[str, Any]) -> set[tuple[str, ...]]:
    return {identity(kind, attributes), *slots(kind, attributes)}


def _taken(plan: Plan) -> set[tuple[str, ...]]:
    """The names and slots the plan's creates, replaces and renames take, with references as live IDs
    (a claim under an object the plan itself creates cannot be taken by anyone else: left out)."""
    ids = _ids(plan)
    out: set[tuple[str, ...]] = set()
    for change in plan.changes:
        if change.after is None or change.action not in (Action.CREATE, Action.REPLACE, Action.UPDATE):
            continue
        if change.kind not in KINDS:
            continue
        unknown: list[str] = []

        def to_id(address: str, unknown: list[str] = unknown) -> str:
            if address not in ids:
                unknown.append(address)
            return ids.get(address, "")

        after = map_refs(KINDS[change.kind], dict(change.after), to_id)
        if unknown:
            continue
        claims = _claims_of(change.kind, after)
        if change.action is Action.UPDATE and change.before is not None:
            claims -= _claims_of(change.kind, map_refs(KINDS[change.kind], dict(change.before), to_id))
        out |= claims
    return out


def footprint(plan: Plan, inventory: Inventory) -> Footprint:
    """What `plan`, made against `inventory`, relies on."""
    objects = {live_id: digest(inventory.get(live_id)) for live_id in _relied_on(plan, inventory)}
    return Footprint(objects, [list(c) for c in _taken(plan)])


def moved_on(plan: Plan, recorded: Footprint, inventory: Inventory) -> list[str]:
    """What changed in the live fabric since the plan was made, of what it relies on (empty: still good)."""
    labels = {c.live_id: c.address for c in plan.changes if c.live_id}
    out = []
    for live_id, before in sorted(recorded.objects.items()):
        now = digest(inventory.get(live_id))
        if now != before:
            what = labels.get(live_id) or _describe(inventory.get(live_id)) or live_id
            out.append(f"{what} {'was deleted' if now == ABSENT else 'changed'}")
    claims = {tuple(c) for c in recorded.claims}
    if claims:
        for obj in _outside(inventory, recorded.objects):
            if obj.kind in KINDS and _claims_of(obj.kind, dict(obj.attributes)) & claims:
                out.append(f"{_describe(obj)} now takes a name or slot the plan needs")
    return out


def _outside(inventory: Inventory, known: Iterable[str]) -> list[ObservedObject]:
    seen = set(known)
    return [o for o in inventory if o.id not in seen]


def _describe(obj: ObservedObject | None) -> str:
    return f"{obj.kind} {obj.name!r} ({obj.id})" if obj is not None else ""
