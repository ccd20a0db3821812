"""Ordering that VMM's subnet rule adds: a subnet is free only once its old site lets go of it.

VMM refuses a subnet that overlaps another site's subnet in the same host group or a parent
or child of it (domain reference, rule 5). So when a plan moves a subnet from one site to
another, the operation that adds it must wait for the one that removes it (a delete, or an
update that drops it).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from fabric.model.ipmath import Net, network
from fabric.model.overlap import SubnetIndex, related_groups
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan

SITE = "network_site"


def _nets(attributes: Mapping[str, Any] | None) -> set[Net]:
    out = set()
    for pair in (attributes or {}).get("subnets") or []:
        try:
            out.add(network(str(pair["subnet"])))
        except (ValueError, KeyError, TypeError):
            continue  # not a subnet (a value masked in state, say): nothing to order by
    return out


def _groups(attributes: Mapping[str, Any] | None) -> list[str]:
    return [str(g) for g in (attributes or {}).get("host_groups") or []]


def _parents(plan: Plan) -> dict[str, str]:
    """Host group address → parent address, as the plan leaves it (or as it was, for a delete)."""
    out = {}
    for change in plan.changes:
        attributes = change.after or change.before or {}
        if change.kind == "host_group" and attributes.get("parent"):
            out[change.address] = str(attributes["parent"])
    return out


def subnet_edges(
    plan: Plan, deletes: Mapping[str, str], applies: Mapping[str, str], detaches: Mapping[str, str]
) -> Iterator[tuple[str, str]]:
    """(op that frees a subnet, op that claims an overlapping one where VMM would refuse both).

    A site claims each of its subnets in each of its host groups: a claim is freed by deleting
    the site, dropping the subnet or dropping the host group, and made by the opposite.
    """
    sites = [c for c in plan.changes if c.kind == SITE]
    freed: SubnetIndex[tuple[str, set[str]]] = SubnetIndex()
    for change in sites:
        for net, groups, key in _freed(change, deletes, applies, detaches):
            freed.add(net, (key, groups))
    if not freed:
        return
    parents = _parents(plan)
    for change in sites:
        if change.after is None or change.address not in applies:
            continue
        target = detaches.get(change.address) or applies[change.address]
        kept = change.before if change.action is Action.UPDATE else None
        for net, groups in _new_claims(kept, change.after):
            for key, other_groups in freed.overlapping(net):
                if key != target and related_groups(groups, other_groups, parents.get):
                    yield key, target


def _new_claims(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> Iterator[tuple[Net, set[str]]]:
    """The (subnet, host groups) a site holds in `after` and did not in `before`."""
    old_nets, old_groups = _nets(before), set(_groups(before))
    groups = set(_groups(after))
    for net in _nets(after):
        new = groups if net not in old_nets else groups - old_groups
        if new:
            yield net, new


def _freed(
    change: Change, deletes: Mapping[str, str], applies: Mapping[str, str], detaches: Mapping[str, str]
) -> Iterator[tuple[Net, set[str], str]]:
    """The (subnet, host groups) a site change lets go of, with the operation that frees them."""
    before, after = change.before, change.after
    if before is None:
        return
    if change.address in deletes:
        groups = set(_groups(before))
        yield from ((net, groups, deletes[change.address]) for net in _nets(before))
    elif change.action is Action.UPDATE and after is not None and change.address in applies:
        key = detaches.get(change.address) or applies[change.address]
        for net, gone in _new_claims(after, before):
            yield net, gone, key


def changes_subnets(change: Change) -> bool:
    """True if an update of a network site changes which subnets it holds in which host groups."""
    before, after = change.before, change.after
    if change.kind != SITE or change.action is not Action.UPDATE or after is None:
        return False
    return any(_new_claims(before, after)) or any(_new_claims(after, before))
