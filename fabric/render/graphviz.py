"""Drawing a dependency graph as Graphviz DOT or mermaid; no graph algorithms here."""

from __future__ import annotations

import json

import networkx as nx


def to_dot(graph: nx.DiGraph[str]) -> str:
    """DOT text; nodes are addresses, edges point from a dependency to its dependent."""
    lines = ["digraph fabric {", "  rankdir=LR;", '  node [shape=box, fontname="Helvetica"];']
    lines += [f"  {json.dumps(n)};" for n in sorted(graph.nodes)]
    lines += [f"  {json.dumps(a)} -> {json.dumps(b)};" for a, b in sorted(graph.edges)]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_label(text: str) -> str:
    return text.replace('"', "#quot;")


def to_mermaid(graph: nx.DiGraph[str]) -> str:
    """Mermaid flowchart text with stable node IDs n0, n1, … in address order."""
    ids = {n: f"n{i}" for i, n in enumerate(sorted(graph.nodes))}
    lines = ["flowchart LR"]
    lines += [f'  {ids[n]}["{_mermaid_label(n)}"]' for n in sorted(graph.nodes)]
    lines += [f"  {ids[a]} --> {ids[b]}" for a, b in sorted(graph.edges)]
    return "\n".join(lines) + "\n"
