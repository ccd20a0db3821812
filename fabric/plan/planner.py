"""`make_plan`: desired resources + live inventory + state → `Plan`. Pure and O(n).

Matching a desired address to a live object: the live ID recorded in state if that object
still exists; otherwise the live object with the same kind, scope and name (adoption, so
an object created by an apply that died before writing state is not created twice).
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from fabric import digraph
from fabric.graph import attribute_references, build_graph, topological_order
from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import detached, identity, iter_refs, map_refs, names_unique, scope_value
from fabric.model.resources import KINDS, IpGrant, Resource, fill_computed
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.diff import changed_paths, lookup, top_level
from fabric.plan.lifecycle import apply_moves, keep_ignored, refuse_plan, without_ignored
from fabric.plan.liveview import LiveView
from fabric.plan.reason import Reason, Why
from fabric.secrets import redact_like
from fabric.snapshot import StateEntry, StateSnapshot

Immutables = Callable[[str], frozenset[str]]

BuiltIn = Callable[[str, str], bool]  # (kind, name) → the provider ships this object


class _Matcher:
    """Address ↔ live ID, from state first, then by identity for what state lacks.

    Adoption by identity respects ownership (`fabric.model.ownership`): an object tagged for this
    stamp is taken back silently (an apply died before state recorded it), an untagged one is
    taken over (shown as an adoption), one tagged for another stamp is never touched.
    """

    def __init__(self, inventory: Inventory, state: StateSnapshot, stamp: str) -> None:
        self.inventory = inventory
        self.stamp = stamp
        self.ids: dict[str, str] = {}
        for address, entry in state.entries.items():
            if entry.live_id in inventory:
                self.ids[address] = entry.live_id
        claimed = set(self.ids.values())
        self._identity: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for obj in inventory:
            if obj.id not in claimed and obj.kind in KINDS:
                key = (obj.kind, scope_value(obj.kind, dict(obj.attributes)), obj.name.casefold())
                self._identity[key].append(obj.id)
        self.adopted: set[str] = set()
        self.taken_over: set[str] = set()
        self.conflicts: dict[str, str] = {}  # address → why its change must not be applied
        self.notes: dict[str, Why] = {}  # address → why nothing was adopted although names match
        self._addresses = {v: k for k, v in self.ids.items()}
        self._live = LiveView(inventory, self._addresses)  # shares _addresses, which match() extends

    def match(self, address: str, resource: Resource) -> str | None:
        """The live ID for a desired resource, adopting by identity when state has none."""
        if address in self.ids:
            return self.ids[address]
        attrs = map_refs(type(resource), resource.canonical, lambda a: self.ids.get(a, "?"))
        key = (resource.KIND, scope_value(resource.KIND, attrs), resource.name.casefold())
        candidates = self._identity.get(key) or []
        if not candidates:
            return None
        if not names_unique(resource.KIND, attrs):  # several may share the name: never guess
            mine = [c for c in candidates if self.inventory.objects[c].owner == self.stamp]
            if len(mine) != 1:
                self.notes[address] = Why(
                    Reason.SHARED_NAME, subjects=(address,), detail=(str(len(candidates)), resource.KIND, resource.name)
                )
                return None
            candidates = mine
        live_id = candidates[0]
        owner = self.inventory.objects[live_id].owner
        if owner is not None and owner != self.stamp:
            self.conflicts[address] = (
                f"{address}: the live {resource.KIND} {resource.name!r} ({live_id}) is managed by stamp "
                f"{owner!r} (its description ends in [fabric stamp={owner}]); give this resource another name, "
                f"or have stamp {owner!r} let go of it first (a removed: block there), then delete the tag in VMM "
                f"or take it over with fabric import --force"
            )
            return None
        candidates.remove(live_id)
        self.ids[address] = live_id
        self._addresses[live_id] = address
        self.adopted.add(address)
        if owner is None:
            self.taken_over.add(address)
        return live_id

    def view(self, obj: ObservedObject) -> dict[str, Any]:
        """A live object's attributes with IDs turned back into addresses, canonically sorted."""
        return self._live.view(obj)


def _old_references(kind: str, before: Mapping[str, Any]) -> tuple[str, ...]:
    """What a live object points at now (deletes must wait for it to stop pointing)."""
    return tuple(sorted(attribute_references(kind, before)))


@dataclass(frozen=True)
class _Rules:
    """What the planner is told besides code, state and inventory."""

    immutable: Immutables
    built_in: BuiltIn
    replace: frozenset[str] = frozenset()  # addresses to replace even though nothing forces it
    removed: frozenset[str] = frozenset()  # addresses to forget, leaving their objects in VMM


def _existing(
    address: str, resource: Resource, obj: ObservedObject, m: _Matcher, rules: _Rules, deps: tuple[str, ...]
) -> Change:
    after = resource.canonical
    full = m.view(obj)
    before = {k: full.get(k) for k in after}
    if resource.COMPUTED:  # not set in code: whatever the provider chose is right
        after = fill_computed(type(resource), after, before)
    ignore = resource.guards.ignore_changes
    paths = without_ignored(changed_paths(before, after, resource.KIND), ignore)
    if ignore and paths:
        after = keep_ignored(after, before, ignore, resource.KIND)
    action = Action.NOOP
    why: tuple[Why, ...] = ()
    if paths:
        forced = sorted(top_level(paths) & rules.immutable(resource.KIND))
        action = Action.REPLACE if forced else Action.UPDATE
        why = (Why(Reason.CANNOT_UPDATE, paths=tuple(forced)),) if forced else ()
    if address in rules.replace and action is not Action.REPLACE:
        action, why = Action.REPLACE, (Why(Reason.REQUESTED),)
    takes_over = address in m.taken_over
    if obj.owner not in (None, m.stamp) and address not in m.adopted and action is not Action.NOOP:
        m.conflicts[address] = (
            f"{address}: the live {resource.KIND} {resource.name!r} ({obj.id}) is now tagged as managed by stamp "
            f"{obj.owner!r}; two stamps must not manage one object (take it back with fabric import --force, or "
            "fabric state rm it here)"
        )
    if action is Action.REPLACE:
        after = _fresh_after(resource, before)
    old = _old_references(resource.KIND, before) if action is not Action.NOOP else ()
    return Change(
        address,
        resource.KIND,
        resource.name,
        action,
        before,
        after,
        paths,
        obj.id,
        why,
        address in m.adopted,
        deps,
        old,
        protected=resource.guards.prevent_destroy,
        takes_over=takes_over,
        posture=obj.posture,
        owner_tag=takes_over and resource.OWNER_TAG and not rules.built_in(resource.KIND, resource.name),
    )


def _outside(change: Change, entry: StateEntry | None) -> Change:
    """Note the attributes changed outside fabric since it last applied them (and, if code did not
    change, that the update only reverts them)."""
    if entry is None or change.action is Action.NOOP or change.before is None or change.after is None:
        return change
    if not entry.attributes:  # nothing recorded to compare with
        return change
    applied = dict(entry.attributes)
    before = redact_like(change.before, applied)
    last = {k: applied.get(k) for k in before}
    outside = changed_paths(last, before, change.kind)
    if not outside:
        return change
    reverts = (
        change.action is Action.UPDATE and bool(change.changed_paths) and set(change.changed_paths) <= set(outside)
    )
    reverts = reverts and all(applied.get(k) == change.after.get(k) for k in top_level(change.changed_paths))
    change = change.because(Why(Reason.REVERTS_OUTSIDE)) if reverts else change
    return replace(change, changed_outside={p: lookup(last, p, change.kind) for p in outside})


def _mask_old_secrets(change: Change, state: StateSnapshot) -> Change:
    """A live value where state keeps `(sensitive)` is a secret too (perhaps one rotated since, or
    no longer in code): the plan shows it masked."""
    entry = state.entries.get(change.address)
    if entry is None or change.before is None or not entry.holds_redacted():
        return change
    return replace(change, before=redact_like(change.before, dict(entry.attributes)))


def _fresh_after(resource: Resource, before: Mapping[str, Any]) -> dict[str, Any]:
    """What a replacement is created with: the code's values, and whatever the provider chose
    before (a granted address, say) left for it to choose anew."""
    ignore = resource.guards.ignore_changes
    return keep_ignored(resource.canonical, before, ignore, resource.KIND) if ignore else dict(resource.canonical)


def _cascade(
    changes: dict[str, Change], graph: digraph.DiGraph[str], desired: Mapping[str, Resource], immutable: Immutables
) -> None:
    """A replaced resource gets a new ID; what references it follows, as VMM forces.

    Through an immutable reference (a site's logical network, a pool's site) the dependent is
    replaced too. Through a membership it can leave and rejoin (an uplink's sites, a switch's
    uplinks, a cloud's logical networks) it is updated in two steps instead: it leaves the old
    object before that is deleted and joins the new one once created (`Change.rejoins`). A plain
    reference that must always name something (a host group's parent), or a list that would fall
    below its minimum, leaves no such way: replaced. `depends_on` holds no ID and never cascades.
    """
    queue = deque(a for a, c in changes.items() if c.action is Action.REPLACE)
    created = {a for a, c in changes.items() if c.action is Action.CREATE}
    while queue:
        address = queue.popleft()
        for dependent in graph.successors(address):
            change = changes[dependent]
            fields = _fields_holding(desired[dependent], address)
            if not fields or change.action not in (Action.NOOP, Action.UPDATE) or change.after is None:
                continue
            fixed = sorted(fields & immutable(change.kind))
            leave = {*change.rejoins, address}
            # the first step comes before any create: what the dependent joins that is new is left out too
            joining = desired[dependent].references & created
            first = None if fixed else detached(change.kind, change.after, leave | joining)
            if first is not None:
                changes[dependent] = replace(
                    change.because(Why(Reason.REJOINS, subjects=(address,))),
                    action=Action.UPDATE,
                    rejoins=tuple(sorted(leave)),
                    old_depends_on=_old_references(change.kind, change.before or {}),
                )
                continue
            field = fixed[0] if fixed else sorted(fields)[0]
            why = Why(Reason.CASCADE if fixed else Reason.CANNOT_LEAVE, (f"{change.kind}.{field}",), (address,))
            changes[dependent] = replace(
                change,
                action=Action.REPLACE,
                after=_fresh_after(desired[dependent], change.before or {}),
                why=(why,),
                old_depends_on=_old_references(change.kind, change.before or {}),
                rejoins=(),
            )
            queue.append(dependent)


def _release_declared_addresses(changes: dict[str, Change], desired: Mapping[str, Resource]) -> None:
    """A grant left to the pool's next free address that holds an address another grant declares
    gives it up: it is granted anew (a replace), after the declared one has taken its address."""
    declared = {
        (r.ip_pool, r.address): a for a, r in desired.items() if isinstance(r, IpGrant) and r.address is not None
    }
    if not declared:
        return
    for address, change in changes.items():
        resource = desired[address]
        if not isinstance(resource, IpGrant) or resource.address is not None or change.before is None:
            continue
        if change.action not in (Action.NOOP, Action.UPDATE):
            continue
        held = (str(change.before.get("ip_pool")), str(change.before.get("address")))
        other = declared.get(held)
        if other is not None and other != address:
            changes[address] = replace(
                change,
                action=Action.REPLACE,
                after=_fresh_after(resource, {}),
                why=(Why(Reason.ADDRESS_DECLARED, subjects=(other,), detail=(held[1],)),),
                old_depends_on=_old_references(change.kind, change.before),
            )


def _fields_holding(resource: Resource, address: str) -> set[str]:
    """The top-level attributes of `resource` whose references include `address`."""
    return {str(path[0]) for path, target, _ in iter_refs(type(resource).REFS, resource.canonical) if target == address}


def _deletes(
    desired: Mapping[str, Resource], state: StateSnapshot, m: _Matcher, rules: _Rules, protected: set[str]
) -> list[Change]:
    out = []
    for address, entry in state.entries.items():
        if address in desired:
            continue
        obj = m.inventory.get(entry.live_id)
        before = m.view(obj) if obj else dict(entry.attributes)
        old = attribute_references(entry.kind, before) | attribute_references(entry.kind, entry.attributes)
        why: tuple[Why, ...] = () if obj else (Why(Reason.GONE_OUTSIDE),)
        name = str(before.get("name", address))
        action = Action.DELETE
        if address in rules.removed:
            action, why = Action.FORGET, (Why(Reason.REMOVED),)
        elif obj is not None and rules.built_in(entry.kind, name):
            obj, why = None, (Why(Reason.BUILT_IN),)
        elif obj is not None and obj.owner not in (None, m.stamp):
            m.conflicts[address] = (
                f"{address}: will not delete the live {entry.kind} {name!r} ({obj.id}): it is tagged as managed by "
                f"stamp {obj.owner!r}. If this stamp should let go of it, list it in removed: instead"
            )
        out.append(
            Change(
                address,
                entry.kind,
                name,
                action,
                before,
                None,
                (),
                obj.id if obj else None,
                why,
                False,
                (),
                tuple(sorted(old)),
                protected=address in protected,
            )
        )
    return out


def _refuse_destructive_take_overs(
    changes: Mapping[str, Change], desired: Mapping[str, Resource], m: _Matcher, rules: _Rules
) -> None:
    """Adoption never destroys: a take-over that would be replaced (its own immutable difference, or
    a cascade) is a conflict unless -replace or `lifecycle.replace_adopted` asks for it."""
    for address, c in changes.items():
        allowed = address in rules.replace or desired[address].guards.replace_adopted
        if c.takes_over and c.action is Action.REPLACE and not allowed:
            forced = next((w for w in c.why if w.reason is Reason.CANNOT_UPDATE), None)
            if forced is not None:
                why = f"differs where VMM cannot change it ({', '.join(forced.paths)})"
            else:
                why = f"would be {c.reason}"
            m.conflicts[address] = (
                f"{address}: the live {c.kind} {c.name!r} ({c.live_id}) was not created by fabric and {why}; "
                "adopting it would delete it and create a new one. Make the code match it (fabric import "
                f"{address} {c.live_id} records it as it is), give the resource another name, or allow the "
                "replacement with lifecycle.replace_adopted: true"
            )


def _hint_renamed_keys(changes: list[Change]) -> list[Change]:
    """A create that takes the name of an object deleted in the same plan was likely a key
    renamed in code: its reason says how to keep the object instead."""
    deleted = {
        identity(c.kind, c.before): c.address
        for c in changes
        if c.action is Action.DELETE and c.live_id and c.before is not None
    }
    if not deleted:
        return changes
    out = []
    for c in changes:
        old = deleted.get(identity(c.kind, c.after)) if c.action is Action.CREATE and c.after else None
        if old and not c.why:
            c = c.because(Why(Reason.RENAMED_KEY, subjects=(old, c.address)))
        out.append(c)
    return out


def make_plan(  # noqa: PLR0913 - one pure function; its options are keyword-only
    stamp: str,
    desired: Mapping[str, Resource],
    inventory: Inventory,
    state: StateSnapshot,
    immutable: Immutables,
    *,
    destroy: bool = False,
    graph: digraph.DiGraph[str] | None = None,
    moves: Mapping[str, str] | None = None,
    built_in: BuiltIn = lambda kind, name: False,
    replace_addresses: frozenset[str] = frozenset(),
    removed: frozenset[str] = frozenset(),
    refuse: bool = True,
) -> Plan:
    """The plan that brings the live fabric (and state) to `desired` (or to nothing if destroy).

    `graph`: the dependency graph of `desired` if the caller has it already; `moves`: old →
    new address for resources renamed in code; `built_in(kind, name)`: the provider ships
    that object, so removing it from code only forgets it; `replace_addresses`: replace these
    although nothing forces it (-replace); `removed`: addresses to forget without deleting.
    Raises PlanRefused if the plan would delete or replace a resource with
    `lifecycle.prevent_destroy`, or touch an object another stamp manages, or destroy an
    object it would adopt — unless `refuse` is False: then such changes carry their refusal
    (`Change.refusal`, `Change.protected`) and `lifecycle.refuse_plan` is the caller's to call,
    once the plan is cut to its targets.
    """
    # the code's lifecycle guards hold for every plan made from code, destroy included, whatever
    # state recorded; state's flag covers only what code no longer declares
    protected = {a for a, e in state.entries.items() if e.protected and a not in desired}
    protected |= {a for a, r in desired.items() if r.guards.prevent_destroy}
    if destroy:
        desired, graph = {}, None
    if graph is None:
        graph = build_graph(desired)
    recorded = state.entries
    state, moved_from = apply_moves(state, moves or {})
    # entries whose records name a moved resource by its old address: rewritten in state on apply
    renamed_refs = {a for a, e in state.entries.items() if a in recorded and recorded[a] is not e}  # rewritten
    rules = _Rules(immutable, built_in, replace_addresses, removed)
    m = _Matcher(inventory, state, stamp)
    unmatched = [a for a in desired if a not in m.ids]
    for address in topological_order(graph, unmatched) if unmatched else ():
        m.match(address, desired[address])  # a scope (parent, network) is matched before its members
    changes: dict[str, Change] = {}
    for address, resource in desired.items():
        deps = tuple(sorted(graph.predecessors(address)))
        live_id = m.ids.get(address)
        obj = inventory.get(live_id) if live_id else None
        if obj is None:
            note = m.notes.get(address)
            why = (Why(Reason.DELETED_OUTSIDE),) if address in state.entries else (note,) if note else ()
            changes[address] = Change(
                address,
                resource.KIND,
                resource.name,
                Action.CREATE,
                None,
                resource.canonical,
                (),
                None,
                why,
                False,
                deps,
                protected=resource.guards.prevent_destroy,
            )
        else:
            changes[address] = _existing(address, resource, obj, m, rules, deps)
    _release_declared_addresses(changes, desired)
    _cascade(changes, graph, desired, immutable)
    _refuse_destructive_take_overs(changes, desired, m, rules)
    for new, old in moved_from.items():
        if new in changes:
            changes[new] = replace(changes[new], moved_from=old)
    for address in renamed_refs & set(changes):
        if changes[address].action is Action.NOOP:
            changes[address] = replace(changes[address], renames_refs=True)
    deletes = _deletes(desired, state, m, rules, protected)
    all_changes = [_mask_old_secrets(c, state) for c in [*changes.values(), *deletes]]
    all_changes = [_outside(c, state.entries.get(c.address)) for c in _hint_renamed_keys(all_changes)]
    all_changes = [replace(c, refusal=m.conflicts[c.address]) if c.address in m.conflicts else c for c in all_changes]
    if refuse:
        refuse_plan(all_changes)
    ordered = tuple(sorted(all_changes, key=lambda c: c.address))
    return Plan(stamp, ordered, state.serial, destroy, state_lineage=state.lineage)
