"""Drawing a dependency graph as Graphviz DOT or mermaid; no graph algorithms here.

Nodes are coloured by kind (a fixed palette, with a legend) and grouped by location: a
resource belongs to the top-level host group its host groups are under (a pool to its site's,
see `fabric.plan.drift.Placement`); one spanning several locations or none is in "Global".
With a plan, each node is also marked with its planned action.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fabric import digraph
from fabric.graph import attribute_references, build_graph
from fabric.model.overlap import ancestors
from fabric.model.resources import Resource
from fabric.plan.change import Plan
from fabric.plan.drift import Placement

GLOBAL = "Global"
# Fill colour per kind (a qualitative pastel palette: the action marks stay readable on top).
KIND_COLOURS: dict[str, str] = {
    "host_group": "#80b1d3",
    "cloud": "#bebada",
    "logical_network": "#8dd3c7",
    "network_site": "#b3de69",
    "ip_pool": "#ffffb3",
    "vm_network": "#fccde5",
    "mac_pool": "#ccebc5",
    "port_classification": "#fdb462",
    "virtual_port_profile": "#ffed6f",
    "uplink_port_profile": "#bc80bd",
    "logical_switch": "#d9d9d9",
    "custom_property": "#fb8072",
    "ip_grant": "#e5d8bd",
}
OTHER_KIND = "#ffffff"


@dataclass(frozen=True)
class ActionStyle:
    """How a planned action marks a node: border colour and width, dashed or not."""

    colour: str
    width: int
    dashed: bool = False


# By `Action` value; actions not listed (no-op) are drawn plain.
ACTION_STYLES: dict[str, ActionStyle] = {
    "create": ActionStyle("#1a7f37", 4),
    "update": ActionStyle("#e3b100", 4),
    "replace": ActionStyle("#c000c0", 4),
    "delete": ActionStyle("#d1242f", 4, dashed=True),
    "adopt": ActionStyle("#0969da", 4),
    "forget": ActionStyle("#6e7781", 4, dashed=True),
}
_SYMBOLS = {"create": "+", "update": "~", "replace": "-/+", "delete": "-", "adopt": "<=", "forget": "=>"}
_PLAIN = "#57606a"


@dataclass(frozen=True)
class Drawing:
    """What a drawing shows beyond the edges."""

    kinds: Mapping[str, str]  # address → kind
    locations: Mapping[str, str] = field(default_factory=dict)  # address → cluster title; none: no clusters
    actions: Mapping[str, str] = field(default_factory=dict)  # address → planned action (an `Action` value)
    removed: frozenset[str] = frozenset()  # addresses only in the plan (no longer in code)


def kind_of(address: str) -> str:
    """The kind part of an address (`cloud.iaas` → `cloud`)."""
    return address.split(".", 1)[0]


def _records(resources: Mapping[str, Resource], the_plan: Plan | None) -> dict[str, tuple[str, Mapping[str, Any]]]:
    records: dict[str, tuple[str, Mapping[str, Any]]] = {}
    if the_plan is not None:  # what was last applied of objects no longer in code
        for change in the_plan.changes:
            if change.address not in resources and change.before is not None:
                records[change.address] = (change.kind, change.before)
    for address, resource in resources.items():
        records[address] = (resource.KIND, resource.canonical)
    return records


def locations(records: Mapping[str, tuple[str, Mapping[str, Any]]]) -> dict[str, str]:
    """address → title of its location (the top-level host group's name) or `GLOBAL`.

    `records`: address → (kind, attributes with references as addresses). Linear: placements
    and top-level host groups are computed once each.
    """
    placement = Placement(records.get)
    tops: dict[str, str] = {}

    def parent_of(group: str) -> str | None:
        record = records.get(group)
        parent = record[1].get("parent") if record is not None else None
        return parent if isinstance(parent, str) and parent in records else None

    def top(group: str) -> str:
        if group not in tops:
            walked = list(ancestors(group, parent_of))
            for at in walked:
                if at in tops:
                    found = tops[at]
                    break
            else:
                found = walked[-1]
            for at in walked:
                tops.setdefault(at, found)
        return tops[group]

    out: dict[str, str] = {}
    for address, (kind, attributes) in records.items():
        if kind == "host_group":
            groups: tuple[str, ...] = (address,)
        else:
            groups = tuple(g for g in placement.host_groups(kind, attributes) if g in records)
        where = {top(g) for g in groups}
        if len(where) == 1:
            (location,) = where
            out[address] = str(records[location][1].get("name") or location)
        else:
            out[address] = GLOBAL
    return out


def drawing(resources: Mapping[str, Resource], the_plan: Plan | None = None) -> tuple[digraph.DiGraph[str], Drawing]:
    """The graph to draw (the dependency graph, plus nodes the plan deletes that code no longer
    has) and how to draw it: kinds, locations and, with a plan, each node's action."""
    graph = build_graph(resources)
    records = _records(resources, the_plan)
    actions: dict[str, str] = {}
    removed: set[str] = set()
    if the_plan is not None:
        for change in the_plan.changes:
            actions[change.address] = change.action.value
            if change.address not in resources:
                removed.add(change.address)
                graph.add_node(change.address)
        for address in sorted(removed):
            kind, before = records.get(address, (kind_of(address), {}))
            for target in sorted(attribute_references(kind, before)):
                if target in graph and target != address:
                    graph.add_edge(target, address)
    kinds = {a: records[a][0] if a in records else kind_of(a) for a in graph.nodes}
    return graph, Drawing(kinds, locations(records), actions, frozenset(removed))


def _plain(graph: digraph.DiGraph[str]) -> Drawing:
    return Drawing({n: kind_of(n) for n in graph.nodes})


def _clusters(graph: digraph.DiGraph[str], shown: Drawing) -> list[tuple[str, list[str]]]:
    """(title, addresses) per location, by title with Global last; ("", …) when there are none."""
    if not shown.locations:
        return [("", sorted(graph.nodes))]
    groups: dict[str, list[str]] = {}
    for node in sorted(graph.nodes):
        groups.setdefault(shown.locations.get(node, GLOBAL), []).append(node)
    return sorted(groups.items(), key=lambda g: (g[0] == GLOBAL, g[0]))


def _label(node: str, shown: Drawing) -> str:
    symbol = _SYMBOLS.get(shown.actions.get(node, ""))
    return f"{symbol} {node}" if symbol else node


def _q(text: str) -> str:
    """A DOT quoted string (`\\"` is DOT's only escape; other characters stay as they are)."""
    return json.dumps(text, ensure_ascii=False)


def _dot_node(node: str, shown: Drawing) -> str:
    attrs = {"fillcolor": KIND_COLOURS.get(shown.kinds.get(node, ""), OTHER_KIND)}
    style = ACTION_STYLES.get(shown.actions.get(node, ""))
    if shown.actions:
        attrs["label"] = _label(node, shown)
    if style is not None:
        attrs.update(color=style.colour, penwidth=str(style.width))
        if style.dashed:
            attrs["style"] = "filled,dashed"
    return f"{_q(node)} [{', '.join(f'{k}={_q(v)}' for k, v in attrs.items())}];"


def _legend_kinds(shown: Drawing) -> list[str]:
    """The kinds drawn, in palette order (kinds without a colour of their own last)."""
    order = {k: n for n, k in enumerate(KIND_COLOURS)}
    return sorted(set(shown.kinds.values()), key=lambda k: (order.get(k, len(order)), k))


def _legend_actions(shown: Drawing) -> list[str]:
    """Create, update, replace and delete always (with a plan), other marked actions if drawn."""
    used = set(shown.actions.values())
    return [a for a in ACTION_STYLES if a in ("create", "update", "replace", "delete") or a in used]


def to_dot(graph: digraph.DiGraph[str], shown: Drawing | None = None) -> str:
    """DOT text; nodes are addresses, edges point from a dependency to its dependent.

    Nodes are filled by kind and grouped in one `cluster_N` subgraph per location; with actions,
    bordered by planned action; a `cluster_legend` names the colours.
    """
    shown = shown or _plain(graph)
    lines = [
        "digraph fabric {",
        "  rankdir=LR;",
        '  graph [fontname="Helvetica"];',
        '  node [shape=box, style=filled, fontname="Helvetica", color="#57606a"];',
    ]
    for n, (title, nodes) in enumerate(_clusters(graph, shown)):
        if not title:
            lines += [f"  {_dot_node(node, shown)}" for node in nodes]
            continue
        lines += [f"  subgraph cluster_{n} {{", f"    label={_q(title)};", '    style=rounded; color="#8c959f";']
        lines += [f"    {_dot_node(node, shown)}" for node in nodes]
        lines.append("  }")
    lines += ["  subgraph cluster_legend {", '    label="Legend"; style=rounded; color="#8c959f";']
    for kind in _legend_kinds(shown):
        colour = KIND_COLOURS.get(kind, OTHER_KIND)
        lines.append(f"    {_q('legend:' + kind)} [label={_q(kind)}, fillcolor={_q(colour)}];")
    if shown.actions:
        for action in _legend_actions(shown):
            style = ACTION_STYLES[action]
            dashed = ', style="filled,dashed"' if style.dashed else ""
            label = f"{_SYMBOLS[action]} {action}"
            lines.append(
                f'    {_q("legend:" + action)} [label={_q(label)}, fillcolor="#ffffff", '
                f"color={_q(style.colour)}, penwidth={_q(str(style.width))}{dashed}];"
            )
        lines.append('    "legend:no-op" [label="no-op", fillcolor="#ffffff"];')
    lines.append("  }")
    for a, b in sorted(graph.edges):
        dashed = " [style=dashed]" if a in shown.removed or b in shown.removed else ""
        lines.append(f"  {_q(a)} -> {_q(b)}{dashed};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _mermaid_label(text: str) -> str:
    return text.replace('"', "#quot;")


def _mermaid_style(style: ActionStyle) -> str:
    dash = ",stroke-dasharray:6 4" if style.dashed else ""
    return f"stroke:{style.colour},stroke-width:{style.width}px{dash}"


def _mermaid_classes(ids: Mapping[str, str], kinds: list[str], shown: Drawing) -> Iterator[str]:
    """A classDef per kind drawn, and one `class` line per kind: its nodes, then its legend entry."""
    members: dict[str, list[str]] = {kind: [] for kind in kinds}
    for node, node_id in ids.items():
        members[shown.kinds.get(node, "")].append(node_id)
    for i, kind in enumerate(kinds):
        colour = KIND_COLOURS.get(kind, OTHER_KIND)
        yield f"  classDef kind_{kind or 'other'} fill:{colour},stroke:{_PLAIN},color:#1f2328"
        yield f"  class {','.join([*members[kind], f'k{i}'])} kind_{kind or 'other'}"


def to_mermaid(graph: digraph.DiGraph[str], shown: Drawing | None = None) -> str:
    """Mermaid flowchart text with stable node IDs n0, n1, … in address order, a subgraph per
    location, a class per kind, a style per planned action and a legend subgraph."""
    shown = shown or _plain(graph)
    ids = {n: f"n{i}" for i, n in enumerate(sorted(graph.nodes))}
    lines = ["flowchart LR"]
    for n, (title, nodes) in enumerate(_clusters(graph, shown)):
        indent = "    " if title else "  "
        if title:
            lines.append(f'  subgraph loc{n}["{_mermaid_label(title)}"]')
        lines += [f'{indent}{ids[node]}["{_mermaid_label(_label(node, shown))}"]' for node in nodes]
        if title:
            lines.append("  end")
    lines.append('  subgraph legend["Legend"]')
    kinds = _legend_kinds(shown)
    lines += [f'    k{i}["{_mermaid_label(kind or "other")}"]' for i, kind in enumerate(kinds)]
    if shown.actions:
        lines += [f'    a{i}["{_SYMBOLS[a]} {a}"]' for i, a in enumerate(_legend_actions(shown))]
        lines.append(f'    a{len(_legend_actions(shown))}["no-op"]')
    lines.append("  end")
    for a, b in sorted(graph.edges):
        arrow = "-.->" if a in shown.removed or b in shown.removed else "-->"
        lines.append(f"  {ids[a]} {arrow} {ids[b]}")
    lines += _mermaid_classes(ids, kinds, shown)
    if shown.actions:
        for node in sorted(graph.nodes):
            style = ACTION_STYLES.get(shown.actions.get(node, ""))
            if style is not None:
                lines.append(f"  style {ids[node]} {_mermaid_style(style)}")
        legend = _legend_actions(shown)
        lines += [f"  style a{i} fill:#ffffff,{_mermaid_style(ACTION_STYLES[a])}" for i, a in enumerate(legend)]
        lines.append(f"  style a{len(legend)} fill:#ffffff,stroke:{_PLAIN}")
    return "\n".join(lines) + "\n"
