"""Drift: compare what fabric last applied (state) with the live fabric and with the code.

Five categories, kept apart: *changed* outside fabric (live differs from last applied),
*deleted* outside fabric (in state, gone live), *unmanaged* (live objects of managed kinds
that no state entry claims and that belong to this stamp), *pending* (code differs from what
was last applied: a change not yet applied, not drift), and *expected* outside fabric (such
objects that `fabric.yaml`'s `unmanaged:` rules expect — tenants' VM networks, say: reported,
not drift). Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from fnmatch import fnmatchcase
from functools import partial
from typing import Any

from fabric import secrets
from fabric.inventory import Inventory, ObservedObject
from fabric.model.overlap import ancestors
from fabric.model.refs import iter_refs, map_refs
from fabric.model.resources import KINDS, Resource, fill_computed
from fabric.model.stamp import Unmanaged, UnmanagedRule
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
    EXPECTED = "expected_outside"  # last: the least to look at (tenants' objects, hundreds of them)


DRIFT = frozenset({Category.CHANGED, Category.DELETED, Category.UNMANAGED})  # what makes has_drift true


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
    # Where the object sits in the host-group tree: the keys of the host groups it is under
    # (a live ID; the address for a host group not applied yet), for a host group its parent.
    # Empty: a global object (logical network, switch, …) or, for a host group, the top level.
    host_groups: tuple[str, ...] = ()
    live: Mapping[str, Any] | None = None  # pending items: the live object (references as addresses), if any
    host_group_path: str = ""  # host groups: the path (`Oslo/Tenants/Contoso`; live names for unmanaged ones)


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
                live=secrets.redact_value(secrets.redact_like(secrets.redact_like(i.live, i.expected), i.actual)),
            )
            for i in self.items
        )
        return replace(self, items=items)

    @property
    def has_drift(self) -> bool:
        """True if anything changed outside fabric (pending changes and expected objects are not drift)."""
        return any(i.category in DRIFT for i in self.items)

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
    paths = changed_paths(expected, live, entry.kind)
    if resource is not None:
        paths = without_ignored(paths, resource.guards.ignore_changes)
    if not paths:
        return None
    # shown masked wherever state keeps (sensitive), whatever the code or VMM holds there now
    shown = secrets.redact_like(expected, applied), secrets.redact_like(live, applied)
    return DriftItem(Category.CHANGED, address, entry.kind, name, obj.id, paths, *shown)


def _outside(inventory: Inventory, managed: set[str], stamp: str) -> list[ObservedObject]:
    """Live objects of the managed kinds that no state entry claims and that belong to this stamp:
    global objects (no references: logical networks, switches, …), and objects that reference a
    managed object directly or through other such objects (a tenant's host group below a tenant's
    host group below a managed one). Objects tagged for another stamp are that stamp's."""
    memo: dict[str, bool] = {}
    parent_of = partial(_parent, inventory)

    def rooted(obj: ObservedObject) -> bool:
        known = memo.get(obj.id)
        if known is not None:
            return known
        memo[obj.id] = False  # a reference loop ends here
        if obj.kind == "host_group":  # walked, not recursed: trees can be deep
            found = any(g in managed for g in ancestors(parent_of(obj.id) or "", parent_of))
        else:
            found = False
            for _, target, _ in iter_refs(KINDS[obj.kind].REFS, dict(obj.attributes)):
                other = inventory.get(target)
                if target in managed or (other is not None and other.kind in KINDS and rooted(other)):
                    found = True
                    break
        memo[obj.id] = found
        return found

    out = []
    for obj in inventory:
        if obj.id in managed or obj.kind not in KINDS or (obj.owner is not None and obj.owner != stamp):
            continue
        if not any(True for _ in iter_refs(KINDS[obj.kind].REFS, dict(obj.attributes))) or rooted(obj):
            out.append(obj)
    return out


def _live_path(inventory: Inventory, live_id: str) -> str:
    """A live host group's path from the top (`Oslo/Tenants/Contoso`), by the names VMM holds."""
    names = []
    for group in ancestors(live_id, partial(_parent, inventory)):
        obj = inventory.get(group)
        if obj is None:
            break
        names.append(obj.name)
    return "/".join(reversed(names))


def _parent(inventory: Inventory, live_id: str) -> str | None:
    obj = inventory.get(live_id)
    parent = obj.attributes.get("parent") if obj is not None else None
    return parent if isinstance(parent, str) else None


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
        paths = changed_paths(applied, wanted, resource.KIND)
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


# Kinds whose objects sit where the objects they reference sit: a pool where its site is, a
# VM network where the sites of its subnets are. Every other kind without host groups of its
# own (logical networks, switches, port classifications and profiles…) is global.
_PLACED_BY = frozenset(kind for kind, cls in KINDS.items() if cls.PLACES)  # a site, a pool, a VM network

Lookup = Callable[[str], tuple[str, Mapping[str, Any]] | None]


class Placement:
    """Where objects sit in the host-group tree, in one reference space (live IDs or addresses).

    `lookup(ref)` gives the (kind, attributes) of the object a reference points at, its
    references in the same space, or None if there is no such object. Answers are cached,
    so placing every object of a fabric is linear in its size.
    """

    def __init__(self, lookup: Lookup) -> None:
        self._lookup = lookup
        self._memo: dict[str, tuple[str, ...]] = {}

    def host_groups(self, kind: str, attributes: Mapping[str, Any]) -> tuple[str, ...]:
        """The host groups an object of `kind` sits under, sorted (for a host group: its parent).

        Its own host groups if it names any (clouds, sites, MAC pools), else those of the sites,
        pools and VM networks it references; empty for a global object.
        """
        cls = KINDS.get(kind)
        if cls is None:
            return ()
        if kind == "host_group":
            parent = attributes.get("parent")
            return (parent,) if isinstance(parent, str) else ()
        refs = list(iter_refs(cls.REFS, dict(attributes)))
        direct = {target for _, target, target_kind in refs if target_kind == "host_group"}
        if direct:
            return tuple(sorted(direct))
        found: set[str] = set()
        for _, target, target_kind in refs:
            if target_kind in _PLACED_BY:
                found.update(self.of(target))
        return tuple(sorted(found))

    def of(self, ref: str) -> tuple[str, ...]:
        """The host groups the object `ref` points at sits under (empty if unknown or global)."""
        known = self._memo.get(ref)
        if known is not None:
            return known
        self._memo[ref] = ()  # a reference loop ends here instead of recursing for ever
        record = self._lookup(ref)
        placed = () if record is None else self.host_groups(*record)
        self._memo[ref] = placed
        return placed


class _LivePlacement(Placement):
    """Placement of live objects (references as live IDs), where a VM network that names no site
    (HNV, no isolation) sits where the sites of its logical network are: where VMM offers it."""

    def __init__(self, inventory: Inventory) -> None:
        super().__init__(self._record)
        self._inventory = inventory
        self._sites: dict[str, list[ObservedObject]] | None = None

    def _record(self, ref: str) -> tuple[str, Mapping[str, Any]] | None:
        obj = self._inventory.get(ref)
        return (obj.kind, obj.attributes) if obj is not None else None

    def host_groups(self, kind: str, attributes: Mapping[str, Any]) -> tuple[str, ...]:
        """As `Placement.host_groups`, with the VM network rule above."""
        placed = super().host_groups(kind, attributes)
        if placed or kind != "vm_network":
            return placed
        if self._sites is None:
            self._sites = {}
            for obj in self._inventory:
                if obj.kind == "network_site":
                    self._sites.setdefault(str(obj.attributes.get("logical_network")), []).append(obj)
        found: set[str] = set()
        for site in self._sites.get(str(attributes.get("logical_network")), []):
            found.update(super().host_groups(site.kind, site.attributes))
        return tuple(sorted(found))


class _Expected:
    """`unmanaged:` rules applied to live objects: why one is expected, or None."""

    def __init__(self, rules: Mapping[str, UnmanagedRule], inventory: Inventory, state: StateSnapshot) -> None:
        self._rules = rules
        self._inventory = inventory
        self._live = {address: entry.live_id for address, entry in state.entries.items()}
        self._placement = _LivePlacement(inventory)

    def reason(self, obj: ObservedObject) -> str | None:
        """`unmanaged.KIND: …` naming the rule that expects `obj`, or None if none does."""
        rule = self._rules.get(obj.kind)
        if rule is None:
            return None
        where = f"unmanaged.{obj.kind}"
        for pattern in rule.names:
            if pattern == "*":
                return f"{where}: all"
            by_path = obj.kind == "host_group" and "/" in pattern
            subject = _live_path(self._inventory, obj.id) if by_path else obj.name
            if fnmatchcase(subject.casefold(), pattern.casefold()):
                return f"{where}: {'path' if by_path else 'name'} matches {pattern!r}"
        placed = self._placement.host_groups(obj.kind, obj.attributes) if rule.under else ()
        tops = {self._live[a]: a for a in rule.under if a in self._live}
        used: list[str] = []
        for group in placed:  # every host group it sits in must be at or below one named
            top = next((tops[g] for g in ancestors(group, partial(_parent, self._inventory)) if g in tops), None)
            if top is None:
                return None
            used.append(top)
        return f"{where}: under {', '.join(dict.fromkeys(used))}" if used else None


def _placed(
    items: list[DriftItem], desired: Mapping[str, Resource], labels: LiveView, state: StateSnapshot
) -> list[DriftItem]:
    """`items` with `host_groups` set (tree keys: live IDs, or addresses of objects not applied)
    and, for pending items whose object is live, `live` (its attributes, references as addresses)."""
    inventory = labels.inventory
    key_of = {address: entry.live_id for address, entry in state.entries.items()}
    by_live_id = {entry.live_id: entry for entry in state.entries.values()}

    def key(address: str) -> str:
        return key_of.get(address, address)

    def keyed(kind: str, attributes: Mapping[str, Any]) -> Mapping[str, Any]:
        cls = KINDS.get(kind)
        return dict(attributes) if cls is None else map_refs(cls, dict(attributes), key)

    def lookup(ref: str) -> tuple[str, Mapping[str, Any]] | None:
        obj = inventory.get(ref)
        if obj is not None:
            return obj.kind, obj.attributes
        entry = by_live_id.get(ref)
        if entry is not None:
            resource = desired.get(entry.address)
            return entry.kind, keyed(entry.kind, resource.canonical if resource else entry.attributes)
        resource = desired.get(ref)
        return (resource.KIND, keyed(resource.KIND, resource.canonical)) if resource is not None else None

    placement = Placement(lookup)
    out = []
    for item in items:
        obj = inventory.get(item.live_id) if item.live_id else None
        entry = state.entries.get(item.address) if item.address else None
        resource = desired.get(item.address) if item.address else None
        live: Mapping[str, Any] | None = None
        if item.category is Category.PENDING:
            source = resource.canonical if resource is not None else entry.attributes if entry else {}
            attributes = keyed(item.kind, source)
            if obj is not None:  # masked wherever state keeps (sensitive), as for changes outside fabric
                live = labels.view(obj)
                live = secrets.redact_like(live, dict(entry.attributes)) if entry is not None else live
        elif obj is not None:
            attributes = obj.attributes
        else:
            attributes = keyed(item.kind, entry.attributes if entry else item.expected or {})
        out.append(replace(item, host_groups=placement.host_groups(item.kind, attributes), live=live))
    return out


def drift_report(
    stamp: str,
    desired: Mapping[str, Resource],
    inventory: Inventory,
    state: StateSnapshot,
    unmanaged: Unmanaged | None = None,
) -> DriftReport:
    """Compare state with the live inventory (drift) and with the code (pending); `unmanaged`:
    `fabric.yaml`'s rules for objects made outside fabric that are expected, not drift."""
    labels = LiveView(inventory, {e.live_id: a for a, e in state.entries.items()})
    items = [i for a, e in state.entries.items() if (i := _applied(a, e, labels, desired)) is not None]
    rules = unmanaged.rules() if unmanaged is not None else {}
    expected = _Expected(rules, inventory, state) if rules else None
    for obj in _outside(inventory, set(labels.address), stamp):
        # this stamp's tag: fabric made it (an apply died before state recorded it), no tenant did
        why = expected.reason(obj) if expected is not None and obj.owner is None else None
        items.append(
            DriftItem(
                Category.EXPECTED if why else Category.UNMANAGED,
                None,
                obj.kind,
                obj.name,
                obj.id,
                actual=labels.view(obj),
                detail=why or "no code declares it",
                host_group_path=_live_path(inventory, obj.id) if obj.kind == "host_group" else "",
            )
        )
    items += _pending(desired, state)
    items = [
        replace(i, host_group_path=i.address.removeprefix("host_group.")) if i.kind == "host_group" and i.address else i
        for i in _placed(items, desired, labels, state)
    ]
    order = list(Category)
    items.sort(key=lambda i: (order.index(i.category), i.address or "", i.kind, i.name))
    groups = {o.id: o.attributes.get("parent") for o in inventory if o.kind == "host_group"}
    label_map = {o.id: labels.address.get(o.id, o.name) for o in inventory}
    return DriftReport(stamp, tuple(items), groups, label_map)
