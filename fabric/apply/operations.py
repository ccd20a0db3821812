"""Turning a `Plan` into a graph of provider operations.

Creates and updates run after the creates/updates of what they reference. Deletes run in
reverse: an object is deleted only after everything that referenced it (before the
change) was deleted or updated away from it — VMM refuses to delete objects still in use.
A create waits for the delete of an object of the same kind and name (a replace, or a key
renamed in code), since VMM names must stay unique.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import networkx as nx

from fabric.errors import FabricError
from fabric.model.refs import scope_value
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan


class OpKind(StrEnum):
    """One provider (or state-only) step."""

    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    RECORD = "record"  # adopt an existing object into state
    FORGET = "forget"  # drop a state entry whose object is already gone


@dataclass(frozen=True)
class Operation:
    """A step of the apply graph; `key` is `address#create|update|…`."""

    change: Change
    kind: OpKind

    @property
    def key(self) -> str:
        """Unique node name in the operation graph."""
        return f"{self.change.address}#{self.kind.value}"


def _ops_for(change: Change) -> list[Operation]:
    a = change.action
    if a is Action.DELETE:
        return [Operation(change, OpKind.DELETE if change.live_id else OpKind.FORGET)]
    if a is Action.CREATE:
        return [Operation(change, OpKind.CREATE)]
    if a is Action.UPDATE:
        return [Operation(change, OpKind.UPDATE)]
    if a is Action.REPLACE:
        return [Operation(change, OpKind.DELETE), Operation(change, OpKind.CREATE)]
    return [Operation(change, OpKind.RECORD)] if change.adopt or change.moved_from else []


def _identity(kind: str, attributes: Mapping[str, Any]) -> tuple[str, str, str]:
    """VMM's uniqueness key: kind, scope (parent, logical network, site) and name, case-insensitive."""
    return kind, scope_value(kind, dict(attributes)), str(attributes.get("name", "")).casefold()


def renames(change: Change) -> bool:
    """True if an update changes the object's name or scope (what VMM keeps unique)."""
    if change.before is None or change.after is None:
        return False
    return _identity(change.kind, change.before) != _identity(change.kind, change.after)


def needs_order_check(plan: Plan) -> bool:
    """True if operations may be ordered against the dependency graph: deletes, replaces, renames."""
    return any(
        c.action in (Action.DELETE, Action.REPLACE) or (c.action is Action.UPDATE and renames(c)) for c in plan.changes
    )


def ensure_orderable(plan: Plan) -> None:
    """Raise FabricError if the plan's operations cannot be ordered (a dependency cycle)."""
    graph = operation_graph(plan)
    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return
    steps = " → ".join(f"{a.replace('#', ' (')})" for a, _ in cycle)
    renamed = [c.address for c in plan.changes if c.action.value == "create"]
    hint = (
        " If you renamed a key, say so with a moved block in fabric.yaml, e.g. "
        "moved: [{from: OLD.ADDRESS, to: NEW.ADDRESS}]."
        if renamed
        else ""
    )
    if all(graph.nodes[a]["op"].kind is OpKind.UPDATE for a, _ in cycle):
        hint = (
            " These objects trade names, and VMM cannot hold one name twice: give one of them a "
            "temporary name, apply, then the final name."
        )
    raise FabricError(f"the plan cannot be ordered: {steps} → back to the start.{hint}")


def operation_graph(plan: Plan) -> nx.DiGraph[str]:
    """Nodes are operation keys (attribute `op`); an edge means 'must finish first'."""
    graph: nx.DiGraph[str] = nx.DiGraph()
    apply_op: dict[str, str] = {}
    delete_op: dict[str, str] = {}
    for change in plan.changes:
        for op in _ops_for(change):
            graph.add_node(op.key, op=op)
            (delete_op if op.kind in (OpKind.DELETE, OpKind.FORGET) else apply_op)[change.address] = op.key
    old_users: dict[str, list[str]] = defaultdict(list)
    freed_names: dict[tuple[str, str, str], str] = {}  # identity → the op after which nobody holds it
    for change in plan.changes:
        for target in change.old_depends_on:
            old_users[target].append(change.address)
        if change.address in delete_op and change.before is not None:
            freed_names[_identity(change.kind, change.before)] = delete_op[change.address]
        elif change.action is Action.UPDATE and change.before is not None and renames(change):
            freed_names[_identity(change.kind, change.before)] = apply_op[change.address]
    for address, key in apply_op.items():
        change = graph.nodes[key]["op"].change
        for dep in change.depends_on:
            # a change that must finish before dep's old object goes cannot also wait for the
            # new one: the old object, which exists then, is what it depended on
            before_delete = dep in delete_op and address not in delete_op and address in old_users.get(dep, ())
            if dep in apply_op and not before_delete:
                graph.add_edge(apply_op[dep], key)
        if address in delete_op:
            graph.add_edge(delete_op[address], key)
        clash = freed_names.get(_identity(change.kind, change.after or {}))
        if clash and clash != key:
            graph.add_edge(clash, key)
    for address, key in delete_op.items():
        for user in old_users.get(address, ()):
            first = delete_op.get(user) or apply_op.get(user)
            if first and first != key:
                graph.add_edge(first, key)
    return graph


def ordered_steps(plan: Plan) -> list[dict[str, Any]]:
    """The plan's provider operations in one valid order, as plain data for script writers."""
    graph = operation_graph(plan)
    steps = []
    for key in nx.lexicographical_topological_sort(graph):
        op: Operation = graph.nodes[key]["op"]
        if op.kind in (OpKind.RECORD, OpKind.FORGET):
            continue  # state-only: nothing to run on the server
        change = op.change
        attributes = dict(change.after) if op.kind is not OpKind.DELETE and change.after is not None else {}
        steps.append(
            {
                "op": op.kind.value,
                "address": change.address,
                "kind": change.kind,
                "attributes": attributes,
                "live_id": change.live_id if op.kind is not OpKind.CREATE else None,
                "changed_paths": list(change.changed_paths),
                "reason": change.reason,
            }
        )
    return steps
