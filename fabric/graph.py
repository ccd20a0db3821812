"""The dependency graph of a fabric: an edge from every referenced resource to its referrer.

Built once from maps keyed by address (no all-pairs work). Knows nothing about plans;
drawing lives in `fabric.render.graphviz`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from fabric import digraph
from fabric.model.refs import DEPENDS_ON, iter_refs
from fabric.model.resources import KINDS, Resource


def attribute_references(kind: str, attributes: Mapping[str, Any]) -> set[str]:
    """Addresses a recorded attribute dict of `kind` points at (for state, not code)."""
    cls = KINDS.get(kind)
    if cls is None:
        return set()
    return {a for _, a, _ in iter_refs({**cls.REFS, **DEPENDS_ON}, dict(attributes))}


def build_graph(resources: Mapping[str, Resource]) -> digraph.DiGraph[str]:
    """DAG candidate: node per address, edge dependency → dependent (dangling refs skipped)."""
    graph: digraph.DiGraph[str] = digraph.DiGraph()
    graph.add_nodes_from(resources)
    for address, resource in resources.items():
        for target in resource.references:
            if target in resources:
                graph.add_edge(target, address)
    graph.add_edges_from(implied_dependencies(resources))
    return graph


# (dependent kind, dependency kind) of the dependencies `implied_dependencies` adds
IMPLIED_KINDS = frozenset((kind, dep) for kind, cls in KINDS.items() for dep in cls.IMPLIED)


def implied_dependencies(resources: Mapping[str, Resource]) -> Iterator[tuple[str, str]]:
    """(dependency, dependent) pairs no attribute names, from each kind that has some
    (`Resource.implied`: a VLAN VM network that names no site needs the site holding its pair)."""
    for cls in KINDS.values():
        if cls.IMPLIED:
            yield from cls.implied(resources)


def cycles(graph: digraph.DiGraph[str]) -> list[list[str]]:
    """Each cycle as a list of addresses (strongly connected components of size > 1, self-loops)."""
    found = [sorted(c) for c in digraph.strongly_connected_components(graph) if len(c) > 1]
    found += [[n] for n in digraph.nodes_with_selfloops(graph)]
    return sorted(found)


def topological_order(graph: digraph.DiGraph[str], nodes: Iterable[str] | None = None) -> list[str]:
    """Dependencies first; deterministic for a given graph (it follows insertion order)."""
    sub = graph if nodes is None else graph.subgraph(nodes)
    return list(digraph.topological_sort(sub))
