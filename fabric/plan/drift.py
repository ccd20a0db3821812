"""Drift: compare what fabric last applied (state) with the live fabric and with the code.

Four categories, kept apart: *changed* outside fabric (live differs from last applied),
*deleted* outside fabric (in state, gone live), *unmanaged* (live objects of managed kinds
that no state entry claims and that touch this stamp), and *pending* (code differs from
what was last applied: a change not yet applied, not drift). Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from fabric import secrets
from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import iter_refs
from fabric.model.resources import KINDS, Resource, fill_computed
from fabric.plan.diff import changed_paths
from fabric.plan.lifecycle import without_ignored
from fabric.plan.liveview import LiveView
from fabric.secrets import restore_redacted
from fabric.snapshot import StateEntry, StateSnapshot


class Category(StrEnum):
    """The kinds of difference a drift report keeps apart."""

    CHANGED = "changed_outside"
    DELETED = "deleted_outside"
    UNMANAGED = "unmanaged"
    PENDING = "pending"


@dataclass(frozen=True)
class DriftItem:
    """One difference: which object, which category, which attribute paths."""

    category: Category
    address: str | None
    kind: str
    name: str
    live_id: str | None = None
    changed_paths: tuple[str, ...] = ()
    expected: Mapping[str, Any] | None = None  # what fabric last applied
    actual: Mapping[str, Any] | None = None  # live (changed, unmanaged) or the code (pending)
    detail: str = ""


@dataclass(frozen=True)
class DriftReport:
    """Every difference found, sorted by category then address/name."""

    stamp: str
    items: tuple[DriftItem, ...]
    host_groups: Mapping[str, str | None]  # live host-group ID → parent ID, for the tree view
    labels: Mapping[str, str]  # live ID → address (managed) or name

    def redacted(self) -> DriftReport:
        """This report for output: secret values replaced by `(sensitive)` (itself if there are none)."""
        if not secrets.active():
            return self
        items = tuple(
            replace(
                i,
                expected=secrets.redact_value(i.expected),
                actual=secrets.redact_value(secrets.redact_like(i.actual, i.expected)),
            )
            for i in self.items
        )
        return replace(self, items=items)

    @property
    def has_drift(self) -> bool:
        """True if anything changed outside fabric (pending changes are not drift)."""
        return any(i.category is not Category.PENDING for i in self.items)

    def count(self, category: Category) -> int:
        """How many items of one category."""
        return sum(1 for i in self.items if i.category is category)


def _applied(address: str, entry: StateEntry, labels: LiveView, desired: Mapping[str, Resource]) -> DriftItem | None:
    obj = labels.inventory.get(entry.live_id)
    applied = dict(entry.attributes)
    name = str(applied.get("name", address))
    if obj is None:
        return DriftItem(Category.DELETED, address, entry.kind, name, entry.live_id, (), applied, None)
    live = labels.view(obj)
    live = {k: live.get(k) for k in applied}
    resource = desired.get(address)
    # state keeps secrets as (sensitive): the live value drifted only if it differs from the code's
    expected = restore_redacted(applied, resource.canonical if resource is not None else live)
    paths = changed_paths(expected, live)
    if resource is not None:
        paths = without_ignored(paths, resource.guards.ignore_changes)
    if not paths:
        return None
    # shown masked wherever state keeps (sensitive), whatever the code or VMM holds there now
    shown = secrets.redact_like(expected, applied), secrets.redact_like(live, applied)
    return DriftItem(Category.CHANGED, address, entry.kind, name, obj.id, paths, *shown)


def _touches_stamp(obj: ObservedObject, managed: set[str]) -> bool:
    targets = [t for _, t, _ in iter_refs(KINDS[obj.kind].REFS, dict(obj.attributes))]
    return not targets or any(t in managed for t in targets)


def _pending(desired: Mapping[str, Resource], state: StateSnapshot) -> list[DriftItem]:
    out = []
    for address, resource in desired.items():
        entry = state.entries.get(address)
        if entry is None:
            out.append(
                DriftItem(
                    Category.PENDING,
                    address,
                    resource.KIND,
                    resource.name,
                    detail="not applied yet",
                    actual=resource.canonical,
                )
            )
            continue
        wanted = resource.canonical
        applied = restore_redacted(dict(entry.attributes), wanted)
        wanted = fill_computed(type(resource), wanted, applied)  # provider's choice: not pending
        paths = changed_paths(applied, wanted)
        if paths:
            out.append(
                DriftItem(
                    Category.PENDING,
                    address,
                    resource.KIND,
                    resource.name,
                    entry.live_id,
                    paths,
                    applied,
                    wanted,
                    "code changed since last apply",
                )
            )
    for address, entry in state.entries.items():
        if address not in desired:
            name = str(entry.attributes.get("name", address))
            out.append(
                DriftItem(
                    Category.PENDING,
                    address,
                    entry.kind,
                    name,
                    entry.live_id,
                    detail="removed from code; apply deletes it",
                )
            )
    return out


def drift_report(
    stamp: str, desired: Mapping[str, Resource], inventory: Inventory, state: StateSnapshot
) -> DriftReport:
    """Compare state with the live inventory (drift) and with the code (pending)."""
    labels = LiveView(inventory, {e.live_id: a for a, e in state.entries.items()})
    items = [i for a, e in state.entries.items() if (i := _applied(a, e, labels, desired)) is not None]
    managed = set(labels.address)
    for obj in inventory:
        if obj.id not in managed and obj.kind in KINDS and _touches_stamp(obj, managed):
            items.append(
                DriftItem(
                    Category.UNMANAGED,
                    None,
                    obj.kind,
                    obj.name,
                    obj.id,
                    actual=labels.view(obj),
                    detail="no code declares it",
                )
            )
    items += _pending(desired, state)
    order = list(Category)
    items.sort(key=lambda i: (order.index(i.category), i.address or "", i.kind, i.name))
    groups = {o.id: o.attributes.get("parent") for o in inventory if o.kind == "host_group"}
    label_map = {o.id: labels.address.get(o.id, o.name) for o in inventory}
    return DriftReport(stamp, tuple(items), groups, label_map)
