"""Adopting live objects: `fabric import` (one object) and `fabric export` (all of them).

Pure: finds objects and builds state entries and YAML documents; the CLI writes files
and state.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from fabric.errors import FabricError
from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import iter_refs
from fabric.model.resources import KINDS
from fabric.plan.liveview import LiveView
from fabric.snapshot import StateSnapshot

_SLUG = re.compile(r"[^a-z0-9_.-]+")


def find_live(inventory: Inventory, kind: str, name_or_id: str) -> ObservedObject:
    """The live object of `kind` with this ID, or else this (case-insensitive) name."""
    obj = inventory.get(name_or_id)
    if obj is not None:
        if obj.kind != kind:
            raise FabricError(f"{name_or_id} is a {obj.kind}, not a {kind}")
        return obj
    found = [o for o in inventory if o.kind == kind and o.name.casefold() == name_or_id.casefold()]
    if not found:
        raise FabricError(f"no live {kind} named or with ID {name_or_id!r}")
    if len(found) > 1:
        ids = ", ".join(o.id for o in found)
        raise FabricError(f"{len(found)} live {kind} objects are named {name_or_id!r}; give the ID: {ids}")
    return found[0]


def import_attributes(obj: ObservedObject, inventory: Inventory, state: StateSnapshot) -> dict[str, Any]:
    """What to record as 'last applied' for an imported object: its live attributes."""
    return LiveView(inventory, {e.live_id: a for a, e in state.entries.items()}).view(obj)


def _host_group_keys(inventory: Inventory) -> dict[str, str]:
    groups = {o.id: o for o in inventory if o.kind == "host_group"}
    keys: dict[str, str] = {}

    def key(live_id: str) -> str:
        if live_id not in keys:
            obj = groups[live_id]
            parent = obj.attributes.get("parent")
            keys[live_id] = f"{key(parent)}/{obj.name}" if parent in groups else obj.name
        return keys[live_id]

    for live_id in groups:
        key(live_id)
    return keys


def export_addresses(inventory: Inventory) -> dict[str, str]:
    """Live ID → address for every object of a managed kind (host groups by path, others by name)."""
    out = {i: f"host_group.{k}" for i, k in _host_group_keys(inventory).items()}
    used: dict[str, set[str]] = defaultdict(set)
    for obj in sorted(inventory, key=lambda o: (o.kind, o.name.casefold(), o.id)):
        if obj.kind == "host_group" or obj.kind not in KINDS:
            continue
        base = _SLUG.sub("-", obj.name.casefold()).strip("-.") or obj.kind
        key, n = base, 1
        while key in used[obj.kind]:
            n += 1
            key = f"{base}-{n}"
        used[obj.kind].add(key)
        out[obj.id] = f"{obj.kind}.{key}"
    return out


def exportable(inventory: Inventory, stamp: str) -> tuple[Inventory, list[ObservedObject]]:
    """The objects `fabric export` may write for a stamp exporting from `stamp`'s VMM: all but those
    another stamp's tag names, and what references them (left out with them, so that no reference
    points at an object not exported). Returns the objects kept and those left out."""
    left_out = {o.id for o in inventory if o.owner not in (None, stamp)}
    changed = bool(left_out)
    while changed:
        changed = False
        for obj in inventory:
            if obj.id in left_out or obj.kind not in KINDS:
                continue
            if any(t in left_out for _, t, _ in iter_refs(KINDS[obj.kind].REFS, dict(obj.attributes))):
                left_out.add(obj.id)
                changed = True
    kept = Inventory({i: o for i, o in inventory.objects.items() if i not in left_out})
    return kept, sorted((inventory.objects[i] for i in left_out), key=lambda o: (o.kind, o.name))


def export_documents(inventory: Inventory) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """YAML-ready documents per kind (`{kind: {key: attributes}}`) and live ID → address."""
    addresses = export_addresses(inventory)
    view = LiveView(inventory, addresses)
    docs: dict[str, dict[str, Any]] = defaultdict(dict)
    children: dict[str, dict[str, Any]] = {}
    for obj in sorted(inventory, key=lambda o: addresses.get(o.id, "")):
        if obj.id not in addresses:
            continue
        kind, key = addresses[obj.id].split(".", 1)
        attrs = view.view(obj)
        if kind == "host_group":
            attrs.pop("parent", None)
            node: dict[str, Any] = {k: v for k, v in attrs.items() if not (k == "name" and v == key.rsplit("/", 1)[-1])}
            children[key] = node
            parent_key, _, _ = key.rpartition("/")
            target = children[parent_key].setdefault("children", {}) if parent_key else docs["host_group"]
            target[key.rsplit("/", 1)[-1]] = node
        else:
            docs[kind][key] = attrs
    return dict(docs), addresses
