"""Comparing the desired state of a stamp at two revisions, with each change's blast radius.

Pure: takes two loaded fabrics, touches no provider. The blast radius of a change is every
resource that depends on it (transitively), plus, for a network site, the clouds that
reach it (their logical networks include the site's and their host groups are in scope).

What apply would replace is the planner's own answer: head is planned against base as if base
were applied exactly (every object live, state recording it), so an immutable attribute and
the cascade through references that cannot let go are decided where plans decide them. An item a
resource loses (a site's subnet, a VM subnet, or one whose CIDR changes) names what sits on it in
base (`Resource.SITS_ON`: the pools on that subnet), which must go or move with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from fabric import digraph
from fabric.graph import build_graph
from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import map_refs
from fabric.model.resources import KINDS, Cloud, NetworkSite, Resource
from fabric.model.stamp import Fabric
from fabric.plan.action import Action
from fabric.plan.diff import Entry, changed_paths, diff_entries, parse_path
from fabric.plan.planner import make_plan
from fabric.snapshot import StateEntry, StateSnapshot

Seat = tuple[str, str, str]  # (container address, keyed list, item key): where an object sits
REFUSED = "lifecycle.prevent_destroy refuses it"


class Kind(StrEnum):
    """What happened to a resource between the two revisions."""

    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True)
class CodeChange:
    """One resource that differs between base and head, and what it affects.

    `diff`: the structured difference (`fabric.plan.diff`); `replaced`: why apply would replace
    it rather than update it in place ("" if it would not); `replaced_affected`: (address, why)
    for the resources of `affected` that apply would replace; `in_use`: per item it loses (a path
    of `diff`), the resources of base that sit on that item; `refused`: why apply would refuse
    deleting a removed resource ("" if it would not).
    """

    address: str
    kind: str
    change: Kind
    changed_paths: tuple[str, ...] = ()
    affected: tuple[str, ...] = ()
    diff: tuple[Entry, ...] = ()
    replaced: str = ""
    replaced_affected: tuple[tuple[str, str], ...] = ()
    in_use: tuple[tuple[str, tuple[str, ...]], ...] = ()
    refused: str = ""


def _graph(fabric: Fabric) -> digraph.DiGraph[str]:
    return fabric.graph if fabric.graph is not None else build_graph(fabric.resources)


def _reaching_clouds(site: Resource, resources: dict[str, Resource], graph: digraph.DiGraph[str]) -> set[str]:
    if not isinstance(site, NetworkSite):
        return set()
    scope = set(site.host_groups)
    for group in site.host_groups:
        scope |= digraph.descendants(graph, group) if group in graph else set()
    return {
        a
        for a, r in resources.items()
        if isinstance(r, Cloud) and site.logical_network in r.logical_networks and scope & set(r.host_groups)
    }


def _affected(address: str, fabric: Fabric) -> tuple[str, ...]:
    graph = _graph(fabric)
    hit = set(digraph.descendants(graph, address)) if address in graph else set()
    resource = fabric.resources.get(address)
    if resource is not None:
        hit |= _reaching_clouds(resource, dict(fabric.resources), graph)
    hit.discard(address)
    return tuple(sorted(hit))


def _unguarded(resource: Resource) -> Resource:
    """`resource` without `prevent_destroy`, so that planning says what apply would replace
    instead of refusing (the guard is reported beside the replace)."""
    if not resource.guards.prevent_destroy:
        return resource
    return resource.model_copy(update={"lifecycle": resource.guards.model_copy(update={"prevent_destroy": False})})


def replacements(base: Fabric, head: Fabric) -> dict[str, str]:
    """Address → the planner's reason, for each resource of head that applying head over base
    (as if base were applied exactly) would replace."""
    ids = {address: f"base:{address}" for address in base.resources}
    objects, entries = [], {}
    for address, resource in base.resources.items():
        live = map_refs(type(resource), dict(resource.canonical), lambda a: ids.get(a, a))
        objects.append(ObservedObject(ids[address], resource.KIND, resource.name, live))
        entries[address] = StateEntry(address, resource.KIND, ids[address], resource.canonical)
    desired = {a: _unguarded(r) for a, r in head.resources.items()}
    plan = make_plan(
        head.config.stamp,
        desired,
        Inventory.of(objects),
        StateSnapshot(1, "base", entries),
        lambda kind: KINDS[kind].IMMUTABLE,
        graph=head.graph,
    )
    out = {}
    for c in plan.changes:
        if c.action is Action.REPLACE:
            guard = f"; {REFUSED}" if head.resources[c.address].guards.prevent_destroy else ""
            out[c.address] = (c.reason or "replaced") + guard
    return out


def _seats(fabric: Fabric) -> dict[Seat, list[str]]:
    """What sits where in `fabric`: (container, keyed list, item key) → the resources on that item."""
    out: dict[Seat, list[str]] = defaultdict(list)
    for address, resource in fabric.resources.items():
        for container_field, own_field, list_field, _ in resource.SITS_ON:
            container, key = resource.canonical.get(container_field), resource.canonical.get(own_field)
            if isinstance(container, str) and key is not None:
                out[(container, list_field, str(key))].append(address)
    return out


def _lost_items(kind: str, diff: tuple[Entry, ...]) -> dict[str, tuple[str, str]]:
    """Path of an entry → (keyed list, item key) for each keyed item the diff removes, or re-creates
    because a field VMM cannot change in place differs (a VM subnet's CIDR)."""
    cls = KINDS[kind]
    out = {}
    for e in diff:
        steps = parse_path(e.path)
        if len(steps) < 2 or str(steps[0]) not in cls.KEYED:
            continue
        field, key = str(steps[0]), str(steps[1])
        fixed = cls.ITEM_IMMUTABLE.get(field, frozenset())
        if (len(steps) == 2 and e.op == "remove") or (len(steps) == 3 and str(steps[2]) in fixed):
            out[e.path] = (field, key)
    return out


def _in_use(change: CodeChange, seats: Mapping[Seat, list[str]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    found = []
    for path, (field, key) in _lost_items(change.kind, change.diff).items():
        users = seats.get((change.address, field, key))
        if users:
            found.append((path, tuple(sorted(users))))
    return tuple(found)


def compare(base: Fabric, head: Fabric) -> list[CodeChange]:
    """Every resource added, changed or removed from base to head, sorted by address, with what
    apply would replace."""
    out = []
    for address, resource in head.resources.items():
        old = base.resources.get(address)
        if old is None:
            out.append(CodeChange(address, resource.KIND, Kind.ADDED))
        elif (
            paths := changed_paths(old.canonical, resource.canonical, resource.KIND)
        ) or old.references != resource.references:
            diff = diff_entries(resource.KIND, old.canonical, resource.canonical)
            out.append(CodeChange(address, resource.KIND, Kind.CHANGED, paths, _affected(address, head), diff))
    for address, resource in base.resources.items():
        if address not in head.resources:
            out.append(CodeChange(address, resource.KIND, Kind.REMOVED, (), _affected(address, base)))
    if not out:
        return out
    replaced = replacements(base, head)
    seats = _seats(base)
    enriched = []
    for c in out:
        hit = tuple((a, replaced[a]) for a in c.affected if a in replaced)
        why = replaced.get(c.address, "") if c.change is Kind.CHANGED else ""
        old = base.resources.get(c.address)
        refused = REFUSED if c.change is Kind.REMOVED and old is not None and old.guards.prevent_destroy else ""
        in_use = _in_use(c, seats)
        enriched.append(
            CodeChange(c.address, c.kind, c.change, c.changed_paths, c.affected, c.diff, why, hit, in_use, refused)
        )
    return sorted(enriched, key=lambda c: c.address)
