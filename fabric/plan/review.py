"""Comparing the desired state of a stamp at two revisions, with each change's blast radius.

Pure: takes two loaded fabrics, touches no provider. The blast radius of a change is every
resource that depends on it (transitively), plus, for a network site, the clouds that
reach it (their logical networks include the site's and their host groups are in scope).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import networkx as nx

from fabric.graph import build_graph
from fabric.model.resources import Cloud, NetworkSite, Resource
from fabric.model.stamp import Fabric
from fabric.plan.diff import changed_paths


class Kind(StrEnum):
    """What happened to a resource between the two revisions."""

    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True)
class CodeChange:
    """One resource that differs between base and head, and what it affects."""

    address: str
    kind: str
    change: Kind
    changed_paths: tuple[str, ...] = ()
    affected: tuple[str, ...] = ()


def _graph(fabric: Fabric) -> nx.DiGraph[str]:
    return fabric.graph if fabric.graph is not None else build_graph(fabric.resources)


def _reaching_clouds(site: Resource, resources: dict[str, Resource], graph: nx.DiGraph[str]) -> set[str]:
    if not isinstance(site, NetworkSite):
        return set()
    scope = set(site.host_groups)
    for group in site.host_groups:
        scope |= nx.descendants(graph, group) if group in graph else set()
    return {
        a
        for a, r in resources.items()
        if isinstance(r, Cloud) and site.logical_network in r.logical_networks and scope & set(r.host_groups)
    }


def _affected(address: str, fabric: Fabric) -> tuple[str, ...]:
    graph = _graph(fabric)
    hit = set(nx.descendants(graph, address)) if address in graph else set()
    resource = fabric.resources.get(address)
    if resource is not None:
        hit |= _reaching_clouds(resource, dict(fabric.resources), graph)
    hit.discard(address)
    return tuple(sorted(hit))


def compare(base: Fabric, head: Fabric) -> list[CodeChange]:
    """Every resource added, changed or removed from base to head, sorted by address."""
    out = []
    for address, resource in head.resources.items():
        old = base.resources.get(address)
        if old is None:
            out.append(CodeChange(address, resource.KIND, Kind.ADDED))
        elif (
            paths := changed_paths(old.canonical, resource.canonical, resource.KIND)
        ) or old.references != resource.references:
            out.append(CodeChange(address, resource.KIND, Kind.CHANGED, paths, _affected(address, head)))
    for address, resource in base.resources.items():
        if address not in head.resources:
            out.append(CodeChange(address, resource.KIND, Kind.REMOVED, (), _affected(address, base)))
    return sorted(out, key=lambda c: c.address)
