"""`--target` and `--exclude`: cut a plan down to part of the fabric, consistently.

A target brings the changes it needs first (its dependencies) and, when it is deleted or
replaced, the deletions and replacements of what depends on it (VMM refuses to delete an
object still in use). An exclusion removes a resource and everything that depends on it.
"""

from __future__ import annotations

import difflib
from collections import deque
from collections.abc import Iterable
from dataclasses import replace

from fabric import digraph
from fabric.errors import FabricError
from fabric.model.refs import referenced
from fabric.model.resources import KINDS
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan


def _closure(start: Iterable[str], step: dict[str, set[str]]) -> set[str]:
    seen = set(start)
    queue = deque(seen)
    while queue:
        for nxt in step.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def _edges(plan: Plan, graph: digraph.DiGraph[str]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """needs[a]: what a needs done first (nothing, for a delete: deleting X never needs what X
    points at gone); users[a]: what depends on a (desired or before)."""
    deleted = {c.address for c in plan.changes if c.action is Action.DELETE}
    needs: dict[str, set[str]] = {a: set(graph.predecessors(a)) for a in graph if a not in deleted}
    by_address = plan.by_address()
    users: dict[str, set[str]] = {
        a: {u for u in graph.successors(a) if not _order_only(by_address, a, u)} for a in graph
    }
    for change in plan.changes:
        for target in change.old_depends_on:
            users.setdefault(target, set()).add(change.address)
    return needs, users


def select(plan: Plan, graph: digraph.DiGraph[str], targets: list[str], excludes: list[str]) -> Plan:
    """The part of `plan` for `targets` (all if none) minus `excludes`; FabricError on unknown addresses."""
    by_address = plan.by_address()
    unknown = [a for a in (*targets, *excludes) if a not in by_address]
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(by_address), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise FabricError(f"not in code or state: {', '.join(unknown)}{hint}")
    needs, users = _edges(plan, graph)
    keep = set(by_address)
    if targets:
        keep = _closure(targets, needs)
        destructive = [a for a in keep if by_address[a].action in (Action.DELETE, Action.REPLACE)]
        # what must let go of a replaced or deleted object comes along, and what that needs in turn
        keep = _closure(keep | _closure(destructive, users), needs)
    if excludes:
        dropped = _closure(excludes, users)
        _refuse_stranded(by_address, keep - dropped, dropped, users)
        keep -= dropped
    # unchanged objects stay in the plan, doing nothing: the kept changes may need their live IDs
    kept = tuple(c for c in plan.changes if c.address in keep or _inert(c))
    note = f"targeted: {len(keep & set(by_address))} of {len(plan.changes)} resources considered"
    return replace(plan, changes=kept, notes=(*plan.notes, note))


def _order_only(by_address: dict[str, Change], dependency: str, dependent: str) -> bool:
    """True for an edge that only orders creates (`Resource.ORDER_ONLY`, no reference behind it):
    deleting the dependency does not need the dependent gone."""
    user, used = by_address.get(dependent), by_address.get(dependency)
    if user is None or used is None or user.kind not in KINDS or used.kind not in KINDS[user.kind].ORDER_ONLY:
        return False
    return not any(dependency in referenced(KINDS[user.kind], dict(side or {})) for side in (user.before, user.after))


def _inert(change: Change) -> bool:
    """A change that runs nothing and records nothing (an unchanged object already in state)."""
    return change.action is Action.NOOP and not (
        change.adopt or change.moved_from or change.owner_tag or change.takes_over
    )


def _refuse_stranded(
    by_address: dict[str, Change], kept: set[str], dropped: set[str], users: dict[str, set[str]]
) -> None:
    """FabricError if an excluded change is one a kept delete or replace waits for: VMM would refuse
    the delete while the excluded object still uses what goes."""
    for address in sorted(kept):
        if by_address[address].action not in (Action.DELETE, Action.REPLACE):
            continue
        stranded = sorted(u for u in users.get(address, ()) if u in dropped and not _inert(by_address[u]))
        if stranded:
            raise FabricError(
                f"--exclude leaves {', '.join(stranded)} using {address}, which this plan "
                f"{'replaces' if by_address[address].action is Action.REPLACE else 'deletes'}: VMM would "
                "refuse; exclude both, or neither"
            )
