"""Turning a `Plan` into a graph of provider operations.

Creates and updates run after the creates/updates of what they reference. Deletes run in
reverse: an object is deleted only after everything that referenced it (before the
change) was deleted or updated away from it — VMM refuses to delete objects still in use.
A create waits for the delete of an object of the same kind and name (a replace, or a key
renamed in code), since VMM names must stay unique, and likewise for the other things VMM
keeps unique (`fabric.model.slots`: one no-isolation VM network per logical network…); a
subnet added to a site waits for the site that held it to let go (`fabric.apply.subnet_order`).

An update can be caught between both: it must leave an old object before that is deleted,
and it needs a new one that can only be created after. Such an update, when it stands in a
cycle, runs in two steps: a *detach* (the new attributes without the references to objects
not created yet) before the deletes, and the full update after the creates.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from fabric import digraph
from fabric.apply.in_use import gone_items, in_use_edges
from fabric.apply.subnet_order import changes_subnets, subnet_edges
from fabric.errors import FabricError
from fabric.graph import IMPLIED_KINDS
from fabric.model.ipmath import network
from fabric.model.ownership import tag
from fabric.model.refs import detached, identity, keeps_minimums, names_unique, referenced, without_refs
from fabric.model.resources import KINDS
from fabric.model.slots import slots
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.diff import diff_entries
from fabric.plan.reason import Reason, Why
from fabric.secrets import secret_name


class OpKind(StrEnum):
    """One provider (or state-only) step."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RECORD = "record"  # adopt an existing object into state
    FORGET = "forget"  # drop a state entry whose object is already gone
    DETACH = "detach"  # the first half of a split update: drop references to objects not there yet


@dataclass(frozen=True)
class Operation:
    """A step of the apply graph; `key` is `address#create|update|…`."""

    change: Change
    kind: OpKind

    @property
    def key(self) -> str:
        """Unique node name in the operation graph."""
        return f"{self.change.address}#{self.kind.value}"


def _ops_for(change: Change, detach: Change | None = None) -> list[Operation]:
    a = change.action
    if a is Action.UPDATE and detach is not None:
        return [Operation(detach, OpKind.DETACH), Operation(change, OpKind.UPDATE)]
    if a is Action.DELETE:
        return [Operation(change, OpKind.DELETE if change.live_id else OpKind.FORGET)]
    if a is Action.CREATE:
        return [Operation(change, OpKind.CREATE)]
    if a is Action.UPDATE:
        return [Operation(change, OpKind.UPDATE)]
    if a is Action.REPLACE:
        return [Operation(change, OpKind.DELETE), Operation(change, OpKind.CREATE)]
    if a is Action.FORGET:
        return [Operation(change, OpKind.FORGET)]
    if change.owner_tag:  # a take-over with nothing else to change: write the ownership tag
        return [Operation(change, OpKind.UPDATE)]
    return [Operation(change, OpKind.RECORD)] if change.adopt or change.moved_from or change.renames_refs else []


def provider_attributes(kind: str, attributes: Mapping[str, Any], stamp: str) -> dict[str, Any]:
    """What a create or update hands the provider: the attributes, with this stamp's ownership tag
    on the description of kinds that carry one."""
    out = dict(attributes)
    description = out.get("description")
    # a secret description stays whole: masking and $env:NAME in scripts work on whole values only
    if KINDS[kind].OWNER_TAG and isinstance(description, str) and secret_name(description) is None:
        out["description"] = tag(description, stamp)
    return out


def renames(change: Change) -> bool:
    """True if an update changes the object's name or scope (what VMM keeps unique)."""
    if change.before is None or change.after is None:
        return False
    return identity(change.kind, change.before) != identity(change.kind, change.after)


def needs_order_check(plan: Plan) -> bool:
    """True if operations may be ordered against the dependency graph: deletes, replaces, renames,
    subnets moving between sites."""
    return any(
        c.action in (Action.DELETE, Action.REPLACE)
        or (c.action is Action.UPDATE and (renames(c) or bool(gone_items(c))))
        or changes_subnets(c)
        for c in plan.changes
    )


def ensure_orderable(plan: Plan) -> dict[str, Why]:
    """Raise FabricError if the plan's operations cannot be ordered (a dependency cycle).

    Returns, for each update that runs in two steps, what its first step does (for the plan).
    """
    ops = operations_of(plan)
    graph = ops.graph
    try:
        cycle = digraph.find_cycle(graph)
    except digraph.NoCycle:
        return ops.first_steps()
    steps = " → ".join(f"{a.replace('#', ' (')})" for a, _ in cycle)
    renamed = [c.address for c in plan.changes if c.action.value == "create"]
    hint = (
        " If you renamed a key, say so with a moved block in fabric.yaml, e.g. "
        "moved: [{from: OLD.ADDRESS, to: NEW.ADDRESS}]."
        if renamed
        else ""
    )
    updates = [graph.nodes[a]["op"].change for a, _ in cycle if graph.nodes[a]["op"].kind is OpKind.UPDATE]
    if len(updates) == len(cycle) and all(renames(c) for c in updates):
        hint = (
            " These objects trade names, and VMM cannot hold one name twice: give one of them a "
            "temporary name, apply, then the final name."
        )
    elif len(updates) == len(cycle) and all(changes_subnets(c) for c in updates):
        hint = (
            " These network sites trade subnets, and VMM cannot hold overlapping subnets in related "
            "host groups: move one subnet to a temporary range (or drop it), apply, then the final one."
        )
    raise FabricError(f"the plan cannot be ordered: {steps} → back to the start.{hint}")


# (kind, referenced kind) where a reference is membership only: the object is valid whatever
# the referenced object's attributes, so its update need not wait for the other's update
# (each kind says so in its model: `Resource.MEMBERSHIP`)
MEMBERSHIP = frozenset((kind, member) for kind, cls in KINDS.items() for member in cls.MEMBERSHIP)


@dataclass(frozen=True)
class Operations:
    """A plan's operations and the order between them, built once per plan (`operations_of`) and
    read by everything that needs them: the plan-time order check, the executor, the script
    writers and the progress bar."""

    plan: Plan
    graph: digraph.DiGraph[str]  # nodes: operation keys (attribute `op`); an edge: "must finish first"

    @property
    def total(self) -> int:
        """How many operations apply runs (each reports one event), a two-step update's first step too."""
        return self.graph.number_of_nodes()

    def ordered(self) -> list[Operation]:
        """Every operation in one valid order (the same for the same plan)."""
        return [self.graph.nodes[k]["op"] for k in digraph.lexicographical_topological_sort(self.graph)]

    def provider_steps(self) -> list[Operation]:
        """The operations that reach the provider, in order (what a script holds)."""
        return [op for op in self.ordered() if op.kind not in (OpKind.RECORD, OpKind.FORGET)]

    def first_steps(self) -> dict[str, Why]:
        """For each update that runs in two steps, why its first step does what it does."""
        ops = (self.graph.nodes[key]["op"] for key in self.graph)
        return {op.change.address: op.change.why[0] for op in ops if op.kind is OpKind.DETACH}

    def for_plan(self, plan: Plan) -> Operations:
        """The same operations for `plan`, a plan that differs from this one only in its changes'
        reasons (the engine adds the two-step reasons after the order check)."""
        by_address = {c.address: c for c in plan.changes}
        graph: digraph.DiGraph[str] = digraph.DiGraph()
        for key in self.graph:
            op: Operation = self.graph.nodes[key]["op"]
            change = op.change if op.kind is OpKind.DETACH else by_address[op.change.address]
            graph.add_node(key, op=Operation(change, op.kind))
        for a, b in self.graph.edges:
            graph.add_edge(a, b, **self.graph.edges[a, b])
        return remember(Operations(plan, graph))


_BUILT: dict[int, tuple[weakref.ref[Plan], Operations]] = {}  # by id(plan), while the plan lives


def operations_of(plan: Plan) -> Operations:
    """The operations of `plan`, built the first time they are asked for and kept while the plan
    object lives, so planning, applying and writing a script build them once."""
    hit = _BUILT.get(id(plan))
    if hit is not None and hit[0]() is plan:
        return hit[1]
    return remember(Operations(plan, _operation_graph(plan)))


def remember(ops: Operations) -> Operations:
    """Keep `ops` for its plan (see `operations_of`); returns it."""
    key, built = id(ops.plan), _BUILT  # the dict itself: at exit the module's globals are gone first
    built[key] = (weakref.ref(ops.plan, lambda _: built.pop(key, None)), ops)
    return ops


def operation_graph(plan: Plan) -> digraph.DiGraph[str]:
    """The graph of `operations_of(plan)`."""
    return operations_of(plan).graph


def _operation_graph(plan: Plan) -> digraph.DiGraph[str]:
    """Nodes are operation keys (attribute `op`); an edge means 'must finish first'.

    A graph with a cycle is loosened, in this order, only as far as needed: updates in the
    cycle are split in two (see the module docstring), then an update stops waiting for the
    update of an object it is only a member of, and for what its `depends_on` names (edges
    marked `soft`).
    """
    forced = _rejoin_detaches(plan)
    graph = _graph(plan, forced)
    if digraph.is_directed_acyclic_graph(graph):
        return graph
    detaches = {**_detaches(plan, graph), **forced}
    if len(detaches) > len(forced):
        graph = _graph(plan, detaches)
        if digraph.is_directed_acyclic_graph(graph):
            return graph
    for component in list(digraph.strongly_connected_components(graph)):
        if len(component) > 1:
            inside = graph.subgraph(component).edges
            graph.remove_edges_from([(a, b) for a, b in inside if graph.edges[a, b].get("soft")])
    return graph


def _rejoin_detaches(plan: Plan) -> dict[str, Change]:
    """The first steps of updates that leave a replaced member and rejoin its successor
    (`Change.rejoins`, decided by the planner): always two steps, cycle or not."""
    created = {c.address for c in plan.changes if c.action in (Action.CREATE, Action.REPLACE)}
    out = {}
    for change in plan.changes:
        if not change.rejoins or change.action is not Action.UPDATE or change.after is None:
            continue
        # before the deletes, nothing the plan creates exists yet: the first step leaves those out too
        joins = referenced(KINDS[change.kind], dict(change.after)) & created
        first = detached(change.kind, change.after, {*change.rejoins, *joins})
        if first is None:  # the planner checked this; a hand-edited plan file might not have
            raise FabricError(f"{change.address}: cannot leave {', '.join(change.rejoins)} for a while")
        before = change.before or {}
        paths = tuple(sorted(k for k in {*before, *first} if before.get(k) != first.get(k)))
        why = (Why(Reason.LEAVE, subjects=tuple(change.rejoins)),)
        out[change.address] = replace(change, after=first, changed_paths=paths, why=why)
    return out


def _detaches(plan: Plan, graph: digraph.DiGraph[str]) -> dict[str, Change]:
    """The first steps of the updates in a cycle that can be split in two (see the module docstring)."""
    in_cycle: set[str] = set()
    for component in digraph.strongly_connected_components(graph):
        if len(component) > 1:
            in_cycle |= component
    created = {c.address for c in plan.changes if c.action in (Action.CREATE, Action.REPLACE)}
    deleted = {c.address for c in plan.changes if c.action in (Action.DELETE, Action.REPLACE)}
    out = {}
    for change in plan.changes:
        if change.action is not Action.UPDATE or f"{change.address}#update" not in in_cycle:
            continue
        leaves, waits = set(change.old_depends_on) & deleted, set(change.depends_on) & created
        if not leaves or not waits or change.moved_from or change.after is None:
            continue
        first = without_refs(KINDS[change.kind].REFS, dict(change.after), waits, KINDS[change.kind].DETACH_CLEARS)
        if first is not None and first != change.after and keeps_minimums(change.kind, first):
            before = change.before or {}
            paths = tuple(sorted(k for k in {*before, *first} if before.get(k) != first.get(k)))
            joins = sorted(waits & referenced(KINDS[change.kind], dict(change.after)))
            why = (Why(Reason.DETACH, subjects=tuple(sorted(leaves)), detail=tuple(joins)),)
            out[change.address] = replace(change, after=first, changed_paths=paths, why=why)
    return out


def _soft(change: Change, dep: Operation) -> bool:
    """True if `change` may stop waiting for `dep` to break a cycle: it references an object
    (being updated) only as a member, or it is an update that waits only by `depends_on`."""
    if change.action is not Action.UPDATE and dep.kind is not OpKind.UPDATE:
        return False  # the common case, decided without walking the references
    if dep.change.address not in referenced(KINDS[change.kind], dict(change.after or {})):
        # not an attribute: `depends_on`, or a dependency the graph implies (which must hold)
        return change.action is Action.UPDATE and (change.kind, dep.change.kind) not in IMPLIED_KINDS
    return dep.kind is OpKind.UPDATE and (change.kind, dep.change.kind) in MEMBERSHIP


Claim = tuple[str, ...]


def _claims(kind: str, attributes: Mapping[str, Any]) -> set[Claim]:
    """What an object holds that no other may: its name in its scope, its slots, and a granted
    address (a grant that declares one waits for the grant that holds it to let go)."""
    out = set(slots(kind, attributes))
    if names_unique(kind, attributes):  # HNV VM networks may share a name: no claim on it
        out.add(identity(kind, attributes))
    if kind == GRANT and attributes.get("address"):
        out.add(("granted address", str(attributes.get("ip_pool")), str(attributes["address"])))
    return out


GRANT = "ip_grant"


def grant_edges(plan: Plan, applies: Mapping[str, str]) -> list[tuple[str, str]]:
    """Addresses declared in code are taken before next-free ones are chosen: on each pool, a grant
    that leaves its address to the pool waits for the grants that name theirs."""
    fixed: dict[str, list[str]] = defaultdict(list)
    free: dict[str, list[str]] = defaultdict(list)
    for change in plan.changes:
        if change.kind != GRANT or change.after is None or change.address not in applies:
            continue
        if change.action not in (Action.CREATE, Action.REPLACE):
            continue
        pool = str(change.after.get("ip_pool"))
        (fixed if change.after.get("address") else free)[pool].append(applies[change.address])
    return [(f, n) for pool, waiting in free.items() for n in waiting for f in fixed.get(pool, ())]


def implied_old_users(plan: Plan) -> Iterator[tuple[str, str]]:
    """(site, VLAN VM network) where the live VM network names no site but uses a subnet/VLAN pair the
    live site holds: VMM refuses the site's delete while it does, as for a reference."""
    held: dict[tuple[str, str, int], list[str]] = defaultdict(list)
    for change in plan.changes:
        if change.kind == "network_site" and change.before:
            for pair in change.before.get("subnets") or []:
                try:
                    net = str(network(str(pair["subnet"])))
                    logical = str(change.before.get("logical_network"))
                    held[(logical, net, int(pair.get("vlan") or 0))].append(change.address)
                except (KeyError, TypeError, ValueError):
                    continue  # a masked subnet: takes no part in ordering
    if not held:
        return
    for change in plan.changes:
        before = change.before or {}
        if change.kind != "vm_network" or before.get("isolation") != "vlan":
            continue
        for sub in before.get("subnets") or []:
            if sub.get("network_site"):
                continue  # an attribute reference: ordered as such
            try:
                key = (str(before.get("logical_network")), str(network(str(sub["subnet"]))), int(sub.get("vlan") or 0))
            except (KeyError, TypeError, ValueError):
                continue
            yield from ((site, change.address) for site in held.get(key, ()))


Edge = tuple[str, str, dict[str, Any]]  # (op that must finish first, op that waits, edge data)


@dataclass
class _Index:
    """The operations of a plan by address, and what the edge rules share."""

    plan: Plan
    graph: digraph.DiGraph[str]
    apply_op: dict[str, str] = field(default_factory=dict)
    delete_op: dict[str, str] = field(default_factory=dict)
    detach_op: dict[str, str] = field(default_factory=dict)
    old_users: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    freed: dict[Claim, str] = field(default_factory=dict)  # a name or slot → the op after which nobody holds it

    def change(self, key: str) -> Change:
        """The change of operation `key`."""
        op: Operation = self.graph.nodes[key]["op"]
        return op.change


def _references(ix: _Index, address: str, key: str) -> Iterator[Edge]:
    """A create or update waits for the create or update of what it references."""
    change = ix.change(key)
    for dep in change.depends_on:
        # a change that must finish before dep's old object goes cannot also wait for the
        # new one: the old object, which exists then, is what it depended on (unless a
        # detach step leaves the old object first)
        before_delete = (
            dep in ix.delete_op
            and address not in ix.delete_op
            and address not in ix.detach_op
            and address in ix.old_users.get(dep, ())
        )
        if dep in ix.apply_op and not before_delete:
            yield ix.apply_op[dep], key, {"soft": _soft(change, ix.graph.nodes[ix.apply_op[dep]]["op"])}


def _replaces(ix: _Index, address: str, key: str) -> Iterator[Edge]:
    """A replace creates after its delete; a two-step update's second step follows its first."""
    for earlier in (ix.delete_op.get(address), ix.detach_op.get(address)):
        if earlier:
            yield earlier, key, {}


def _claims_taken(ix: _Index, address: str, key: str) -> Iterator[Edge]:
    """What a change takes (a name, a slot, a granted address) must have been let go of first."""
    if not ix.freed:
        return
    change = ix.change(key)
    claimer = ix.detach_op.get(address, key)
    kept = _claims(change.kind, change.before or {}) if change.action is Action.UPDATE else set()
    for claim in _claims(change.kind, change.after or {}) - kept:
        holder = ix.freed.get(claim)
        if holder and holder != claimer:
            yield holder, claimer, {}


def _subnets(ix: _Index) -> Iterator[Edge]:
    """A subnet moving between sites is claimed after the site that held it lets go."""
    return ((a, b, {}) for a, b in subnet_edges(ix.plan, ix.delete_op, ix.apply_op, ix.detach_op))


def _in_use(ix: _Index) -> Iterator[Edge]:
    """What sits on an item (a pool on a subnet) is deleted before the item is dropped."""
    return ((a, b, {}) for a, b in in_use_edges(ix.plan, ix.delete_op, ix.apply_op))


def _grants(ix: _Index) -> Iterator[Edge]:
    """Declared addresses are granted before next-free ones on the same pool."""
    return ((a, b, {}) for a, b in grant_edges(ix.plan, ix.apply_op))


def _leaves(ix: _Index) -> Iterator[Edge]:
    """An object is deleted after everything that referred to it let go (VMM refuses otherwise)."""
    for address, key in ix.delete_op.items():
        for user in ix.old_users.get(address, ()):
            leaves = ix.delete_op.get(user) or ix.detach_op.get(user) or ix.apply_op.get(user)
            if leaves and leaves != key:
                yield leaves, key, {}


def _users_gone(ix: _Index) -> Iterator[Edge]:
    """An update of an object runs after the deletes of the objects that used it: they may need
    what the update takes away (an HNV VM network its logical network's network virtualization),
    and VMM refuses the update while they exist."""
    for user in ix.plan.changes:
        gone = ix.delete_op.get(user.address)
        if gone is None or not user.live_id:
            continue
        for target in user.old_depends_on:
            update = ix.apply_op.get(target)
            if update is not None and ix.change(update).action is Action.UPDATE:
                yield gone, update, {}


# The edge rules, by name (an edge's `rule` says which added it first). Those per operation run
# for each create/update in plan order, in this order; then those over the whole plan.
PER_OPERATION_RULES: tuple[tuple[str, Callable[[_Index, str, str], Iterator[Edge]]], ...] = (
    ("references", _references),
    ("replaces", _replaces),
    ("claims", _claims_taken),
)
PLAN_RULES: tuple[tuple[str, Callable[[_Index], Iterator[Edge]]], ...] = (
    ("subnets", _subnets),
    ("in-use", _in_use),
    ("grants", _grants),
    ("leaves", _leaves),
    ("users-gone", _users_gone),
)


def _add(graph: digraph.DiGraph[str], rule: str, edges: Iterable[Edge]) -> None:
    for a, b, data in edges:
        if not graph.has_edge(a, b):
            data = {**data, "rule": rule}
        graph.add_edge(a, b, **data)


def _index(plan: Plan, detaches: Mapping[str, Change]) -> _Index:
    ix = _Index(plan, digraph.DiGraph())
    for change in plan.changes:
        for op in _ops_for(change, detaches.get(change.address)):
            ix.graph.add_node(op.key, op=op)
            if op.kind is OpKind.DETACH:
                ix.detach_op[change.address] = op.key
            else:
                (ix.delete_op if op.kind in (OpKind.DELETE, OpKind.FORGET) else ix.apply_op)[change.address] = op.key
    for change in plan.changes:
        for target in change.old_depends_on:
            ix.old_users[target].append(change.address)
        if change.address in ix.delete_op and change.before is not None:
            ix.freed.update(dict.fromkeys(_claims(change.kind, change.before), ix.delete_op[change.address]))
        elif change.action is Action.UPDATE and change.before is not None and change.after is not None:
            # a split update renames in its first step
            first = ix.detach_op.get(change.address) or ix.apply_op[change.address]
            gone = _claims(change.kind, change.before) - _claims(change.kind, change.after)
            ix.freed.update(dict.fromkeys(gone, first))
    for site, user in implied_old_users(plan):
        ix.old_users[site].append(user)
    return ix


def _graph(plan: Plan, detaches: Mapping[str, Change]) -> digraph.DiGraph[str]:
    """The operation graph: a node per operation, the edges of every rule."""
    ix = _index(plan, detaches)
    for address, key in ix.apply_op.items():
        for rule, edges in PER_OPERATION_RULES:
            _add(ix.graph, rule, edges(ix, address, key))
    for rule, plan_edges in PLAN_RULES:
        _add(ix.graph, rule, plan_edges(ix))
    return ix.graph


def ordered_steps(plan: Plan) -> list[dict[str, Any]]:
    """The plan's provider operations in one valid order, as plain data for script writers
    (descriptions carry the stamp's ownership tag, as apply writes them)."""
    return [
        {**step, "attributes": provider_attributes(step["kind"], step["attributes"], plan.stamp)}
        if step["attributes"]
        else step
        for step in _ordered_steps(plan)
    ]


def _ordered_steps(plan: Plan) -> list[dict[str, Any]]:
    steps = []
    for op in operations_of(plan).provider_steps():  # state-only operations run nothing on the server
        change = op.change
        attributes = dict(change.after) if op.kind is not OpKind.DELETE and change.after is not None else {}
        steps.append(
            {
                "op": OpKind.UPDATE.value if op.kind is OpKind.DETACH else op.kind.value,
                "address": change.address,
                "kind": change.kind,
                "attributes": attributes,
                "live_id": change.live_id if op.kind is not OpKind.CREATE else None,
                "changed_paths": list(change.changed_paths),
                "changes": []
                if op.kind is OpKind.DELETE
                else [
                    e.to_json() for e in diff_entries(change.kind, change.before, change.after, change.changed_paths)
                ],
                "reason": change.reason,
            }
        )
    return steps
