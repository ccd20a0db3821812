"""Ordering for objects that sit on an item of another: a pool on a site's subnet or on a VM subnet.

VMM refuses to drop a subnet (or remove a VM subnet, or change its CIDR) while a static IP pool
still uses it. So when a plan removes such an item together with the pool on it — a subnet
moving from one site to another with its pool, a VM subnet whose CIDR changes — the update of
the container waits for the pool's delete. (The pool's create already waits for the container's
update: it references the container.) What sits where is a fact of the sitting kind
(`Resource.SITS_ON`); what an item's identity is, of the container (`KEYED`, `ITEM_IMMUTABLE`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fabric.model.resources import KINDS
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan

Seat = tuple[str, str, str]  # (container address, keyed list, item key)


def seats(kind: str, attributes: Mapping[str, Any] | None) -> set[Seat]:
    """The items of other objects an object of `kind` sits on."""
    out: set[Seat] = set()
    for container_field, own_field, list_field, _ in KINDS[kind].SITS_ON:
        container, key = (attributes or {}).get(container_field), (attributes or {}).get(own_field)
        if isinstance(container, str) and key is not None:
            out.add((container, list_field, str(key)))
    return out


def gone_items(change: Change) -> set[Seat]:
    """The keyed items an update removes, or re-creates because a field of theirs cannot change in place."""
    if change.action is not Action.UPDATE or change.before is None or change.after is None:
        return set()
    cls = KINDS[change.kind]
    out: set[Seat] = set()
    for list_field, key in cls.KEYED.items():
        fixed = cls.ITEM_IMMUTABLE.get(list_field, frozenset())
        now = {str(i.get(key)): i for i in change.after.get(list_field) or [] if isinstance(i, Mapping)}
        for item in change.before.get(list_field) or []:
            if not isinstance(item, Mapping):
                continue
            name = str(item.get(key))
            kept = now.get(name)
            if kept is None or any(kept.get(f) != item.get(f) for f in fixed):
                out.add((change.address, list_field, name))
    return out


def in_use_edges(plan: Plan, deletes: Mapping[str, str], applies: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """(delete of an object sitting on an item, update of the container that drops the item)."""
    dropped: dict[Seat, str] = {}
    for change in plan.changes:
        if change.address in applies:
            for seat in gone_items(change):
                dropped[seat] = applies[change.address]
    if not dropped:
        return
    for change in plan.changes:
        if change.address in deletes and KINDS[change.kind].SITS_ON:
            for seat in seats(change.kind, change.before):
                if seat in dropped:
                    yield deletes[change.address], dropped[seat]
