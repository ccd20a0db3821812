"""A small directed graph: the part of networkx fabric's planner and executor use.

networkx takes 40-80 ms to import (it loads every algorithm), a third of the start-up budget
of `fabric validate` and of a no-op plan. Plans need a handful of operations on graphs of up
to a few hundred thousand nodes: adjacency with edge data, topological orders, strongly
connected components, a cycle, descendants. This module has those, with networkx's method
names and the *same results in the same order* (the same traversal order follows insertion
order), so every plan, script and message reads as before. `tests/graph/test_digraph.py`
checks each function against networkx itself on random graphs; networkx stays the oracle
(a test dependency), not a run-time one.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Any, Generic, TypeVar

N = TypeVar("N", bound=Hashable)


class GraphError(Exception):
    """A request the graph cannot meet (a node that is not in it)."""


class NotAcyclic(GraphError):
    """A topological order was asked of a graph with a cycle."""


class NoCycle(GraphError):
    """`find_cycle` found none."""


class NodeView(Generic[N]):
    """`graph.nodes`: iterate the nodes in insertion order; `nodes[n]` is n's attribute dict."""

    __slots__ = ("_node",)

    def __init__(self, node: dict[N, dict[str, Any]]) -> None:
        self._node = node

    def __getitem__(self, n: N) -> dict[str, Any]:
        return self._node[n]

    def __iter__(self) -> Iterator[N]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def __contains__(self, n: object) -> bool:
        return n in self._node

    def __call__(self, data: bool = False) -> Iterator[Any]:
        """The nodes, or with `data=True` (node, attributes) pairs."""
        return iter(self._node.items()) if data else iter(self._node)


class EdgeView(Generic[N]):
    """`graph.edges`: iterate (u, v) pairs; `edges[u, v]` is the edge's attribute dict."""

    __slots__ = ("_succ",)

    def __init__(self, succ: dict[N, dict[N, dict[str, Any]]]) -> None:
        self._succ = succ

    def __getitem__(self, edge: tuple[N, N]) -> dict[str, Any]:
        u, v = edge
        return self._succ[u][v]

    def __iter__(self) -> Iterator[tuple[N, N]]:
        for u, targets in self._succ.items():
            for v in targets:
                yield u, v

    def __len__(self) -> int:
        return sum(len(targets) for targets in self._succ.values())

    def __contains__(self, edge: object) -> bool:
        if not isinstance(edge, tuple) or len(edge) != 2:
            return False
        u, v = edge
        return u in self._succ and v in self._succ[u]

    def __call__(self, n: N) -> Iterator[tuple[N, N]]:
        """The out-edges of `n`."""
        return ((n, v) for v in self._succ[n])


class DiGraph(Generic[N]):
    """A directed graph with node and edge attributes (dicts), nodes kept in insertion order."""

    __slots__ = ("_node", "_pred", "_succ")

    def __init__(self) -> None:
        self._node: dict[N, dict[str, Any]] = {}
        self._succ: dict[N, dict[N, dict[str, Any]]] = {}
        self._pred: dict[N, dict[N, dict[str, Any]]] = {}

    @property
    def nodes(self) -> NodeView[N]:
        """The nodes, and their attributes by node."""
        return NodeView(self._node)

    @property
    def edges(self) -> EdgeView[N]:
        """The edges, and their attributes by (u, v)."""
        return EdgeView(self._succ)

    def add_node(self, n: N, **attributes: Any) -> None:
        """Add `n` (if new) and update its attributes."""
        if n not in self._node:
            self._node[n] = {}
            self._succ[n] = {}
            self._pred[n] = {}
        self._node[n].update(attributes)

    def add_nodes_from(self, nodes: Iterable[N]) -> None:
        """Add each node (attributes untouched)."""
        for n in nodes:
            if n not in self._node:
                self._node[n] = {}
                self._succ[n] = {}
                self._pred[n] = {}

    def add_edge(self, u: N, v: N, **attributes: Any) -> None:
        """Add the edge u → v (and its nodes), updating its attributes."""
        self.add_nodes_from((u, v))
        data = self._succ[u].get(v)
        if data is None:
            data = {}
            self._succ[u][v] = data
            self._pred[v][u] = data
        data.update(attributes)

    def add_edges_from(self, edges: Iterable[tuple[N, N]]) -> None:
        """Add each (u, v) edge."""
        for u, v in edges:
            self.add_edge(u, v)

    def remove_edges_from(self, edges: Iterable[tuple[N, N]]) -> None:
        """Remove each (u, v) edge that exists."""
        for u, v in edges:
            if u in self._succ and v in self._succ[u]:
                del self._succ[u][v]
                del self._pred[v][u]

    def has_edge(self, u: N, v: N) -> bool:
        """True if u → v is an edge."""
        return u in self._succ and v in self._succ[u]

    def successors(self, n: N) -> Iterator[N]:
        """The nodes n points at."""
        return iter(self._adjacent(self._succ, n))

    def predecessors(self, n: N) -> Iterator[N]:
        """The nodes pointing at n."""
        return iter(self._adjacent(self._pred, n))

    def in_degree(self, n: N) -> int:
        """How many edges end at n."""
        return len(self._adjacent(self._pred, n))

    def out_degree(self, n: N) -> int:
        """How many edges start at n."""
        return len(self._adjacent(self._succ, n))

    def number_of_nodes(self) -> int:
        """How many nodes."""
        return len(self._node)

    def subgraph(self, nodes: Iterable[N]) -> DiGraph[N]:
        """A new graph of `nodes` (those in this graph) and the edges among them; attribute
        dicts are shared with this graph, as networkx's subgraph views share them."""
        keep = {n: None for n in nodes if n in self._node}
        sub: DiGraph[N] = DiGraph()
        for n in self._node:  # this graph's order, as a networkx view iterates
            if n in keep:
                sub._node[n] = self._node[n]
                sub._succ[n] = {v: d for v, d in self._succ[n].items() if v in keep}
                sub._pred[n] = {u: d for u, d in self._pred[n].items() if u in keep}
        return sub

    def __contains__(self, n: object) -> bool:
        return n in self._node

    def __iter__(self) -> Iterator[N]:
        return iter(self._node)

    def __len__(self) -> int:
        return len(self._node)

    def _adjacent(self, table: dict[N, dict[N, dict[str, Any]]], n: N) -> dict[N, dict[str, Any]]:
        try:
            return table[n]
        except KeyError:
            raise GraphError(f"the node {n!r} is not in the graph") from None


def topological_generations(graph: DiGraph[N]) -> Iterator[list[N]]:
    """Nodes in layers: each layer's nodes depend only on earlier layers (NotAcyclic on a cycle)."""
    indegree = {v: len(p) for v, p in graph._pred.items() if p}
    zero = [v for v, p in graph._pred.items() if not p]
    while zero:
        generation, zero = zero, []
        for node in generation:
            for child in graph._succ[node]:
                indegree[child] -= 1
                if indegree[child] == 0:
                    zero.append(child)
                    del indegree[child]
        yield generation
    if indegree:
        raise NotAcyclic("the graph has a cycle")


def topological_sort(graph: DiGraph[N]) -> Iterator[N]:
    """Every node after the nodes it depends on, layer by layer (NotAcyclic on a cycle)."""
    for generation in topological_generations(graph):
        yield from generation


def lexicographical_topological_sort(graph: DiGraph[N], key: Callable[[N], Any] | None = None) -> Iterator[N]:
    """A topological order that, among the nodes ready at each step, takes the smallest
    (by `key`, then by insertion order) first (NotAcyclic on a cycle)."""
    order = {n: i for i, n in enumerate(graph._node)}
    rank: Callable[[N], Any] = key if key is not None else (lambda n: n)
    indegree = {v: len(p) for v, p in graph._pred.items() if p}
    ready = [(rank(v), order[v], v) for v, p in graph._pred.items() if not p]
    heapq.heapify(ready)
    while ready:
        node = heapq.heappop(ready)[2]
        for child in graph._succ[node]:
            indegree[child] -= 1
            if indegree[child] == 0:
                heapq.heappush(ready, (rank(child), order[child], child))
                del indegree[child]
        yield node
    if indegree:
        raise NotAcyclic("the graph has a cycle")


def is_directed_acyclic_graph(graph: DiGraph[N]) -> bool:
    """True if the graph has no cycle (a self-loop is one)."""
    try:
        for _ in topological_generations(graph):
            pass
    except NotAcyclic:
        return False
    return True


def strongly_connected_components(graph: DiGraph[N]) -> Iterator[set[N]]:
    """Each strongly connected component as a set, in the order an iterative Tarjan search from
    the nodes in insertion order completes them (networkx's order)."""
    succ = graph._succ
    preorder: dict[N, int] = {}
    lowlink: dict[N, int] = {}
    found: set[N] = set()
    stack: list[N] = []
    neighbours = {v: iter(succ[v]) for v in succ}
    counter = 0
    for source in succ:
        if source in found:
            continue
        queue = [source]
        while queue:
            v = queue[-1]
            if v not in preorder:
                counter += 1
                preorder[v] = counter
            done = True
            for w in neighbours[v]:
                if w not in preorder:
                    queue.append(w)
                    done = False
                    break
            if not done:
                continue
            low = preorder[v]
            for w in succ[v]:
                if w not in found:
                    low = min(low, lowlink[w] if preorder[w] > preorder[v] else preorder[w])
            lowlink[v] = low
            queue.pop()
            if low == preorder[v]:
                component = {v}
                while stack and preorder[stack[-1]] > preorder[v]:
                    component.add(stack.pop())
                found |= component
                yield component
            else:
                stack.append(v)


def nodes_with_selfloops(graph: DiGraph[N]) -> Iterator[N]:
    """Nodes with an edge to themselves, in insertion order."""
    return (n for n, targets in graph._succ.items() if n in targets)


def descendants(graph: DiGraph[N], source: N) -> set[N]:
    """Every node reachable from `source`, without `source` itself."""
    seen = {source}
    frontier = list(graph._adjacent(graph._succ, source))
    seen.update(frontier)
    while frontier:
        nxt = []
        for n in frontier:
            for v in graph._succ[n]:
                if v not in seen:
                    seen.add(v)
                    nxt.append(v)
        frontier = nxt
    seen.discard(source)  # also on a cycle through it, as networkx does
    return seen


def _edge_dfs(graph: DiGraph[N], start: N) -> Iterator[tuple[N, N]]:
    """Edges in depth-first order from `start`, each once (networkx's edge_dfs)."""
    visited_edges: set[tuple[N, N]] = set()
    visited_nodes: set[N] = set()
    out: dict[N, Iterator[N]] = {}
    stack = [start]
    while stack:
        current = stack[-1]
        if current not in visited_nodes:
            out[current] = iter(graph._succ[current])
            visited_nodes.add(current)
        head = next(out[current], None)
        if head is None:
            stack.pop()
            continue
        if (current, head) not in visited_edges:
            visited_edges.add((current, head))
            stack.append(head)
            yield current, head


def find_cycle(graph: DiGraph[N]) -> list[tuple[N, N]]:
    """One cycle as its edges, the one networkx's find_cycle reports (NoCycle if none)."""
    explored: set[N] = set()
    for start in graph._succ:
        if start in explored:
            continue
        cycle = _cycle_from(graph, start, explored)
        if cycle:
            return cycle
    raise NoCycle("no cycle found")


def _cycle_from(graph: DiGraph[N], start: N, explored: set[N]) -> list[tuple[N, N]]:
    edges: list[tuple[N, N]] = []
    seen = {start}
    active = {start}
    previous_head: N | None = None
    for tail, head in _edge_dfs(graph, start):
        if head in explored:
            continue
        if previous_head is not None and tail != previous_head:
            while True:  # back up to the edge this one leaves from
                if not edges:
                    active = {tail}
                    break
                active.discard(edges.pop()[1])
                if edges and edges[-1][1] == tail:
                    break
        edges.append((tail, head))
        if head in active:
            index = next(i for i, (t, _) in enumerate(edges) if t == head)
            return edges[index:]
        seen.add(head)
        active.add(head)
        previous_head = head
    explored |= seen
    return []
