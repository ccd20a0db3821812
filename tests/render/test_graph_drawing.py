"""`fabric graph`: nodes coloured by kind with a legend, clusters per location, `--plan` marks."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import STAMPS, Cli
from render_cases import edit_lab

from fabric.project import open_stamp
from fabric.render.graphviz import ACTION_STYLES, GLOBAL, KIND_COLOURS, drawing, locations, to_dot, to_mermaid


def _clusters(dot: str) -> dict[str, set[str]]:
    """cluster title → node IDs declared inside it."""
    found: dict[str, set[str]] = {}
    for block in re.finditer(r"subgraph cluster_\w+ \{\n    label=\"([^\"]*)\";(.*?)\n  \}", dot, re.S):
        found[block.group(1)] = set(re.findall(r'^    "([^"]+)" \[', block.group(2), re.M))
    return found


def _node_attributes(dot: str, node: str) -> str:
    match = re.search(rf'^\s+"{re.escape(node)}" \[([^\]]*)\];', dot, re.M)
    assert match, node
    return match.group(1)


def test_resources_are_grouped_by_location_and_global() -> None:
    graph, shown = drawing(open_stamp(STAMPS / "reference").resources)
    clusters = _clusters(to_dot(graph, shown))
    assert set(clusters) == {"Oslo", "Stockholm", "Copenhagen", GLOBAL, "Legend"}
    oslo = clusters["Oslo"]
    assert {"host_group.Oslo", "host_group.Oslo/IaaS", "cloud.iaas-oslo", "network_site.management-oslo"} <= oslo
    assert "ip_pool.management-oslo" in oslo  # a pool is where its site is
    assert "cloud.management" in oslo
    # an uplink is where its sites are: Oslo's carries the stretched site too (Oslo and Stockholm)
    assert "uplink_port_profile.uplink-oslo" in clusters[GLOBAL]
    assert "network_site.management-stretched" in clusters[GLOBAL]
    assert {"logical_switch.fabric", "logical_network.management", "port_classification.vm-roles"} <= clusters[GLOBAL]
    drawn = set().union(*(nodes for title, nodes in clusters.items() if title != "Legend"))
    assert drawn == set(graph.nodes)  # every node in exactly one location
    assert sum(len(nodes) for title, nodes in clusters.items() if title != "Legend") == len(graph.nodes)


def test_a_resource_spanning_locations_is_global() -> None:
    records = {
        "host_group.A": ("host_group", {"name": "A", "parent": None}),
        "host_group.A/x": ("host_group", {"name": "x", "parent": "host_group.A"}),
        "host_group.B": ("host_group", {"name": "B", "parent": None}),
        "network_site.both": ("network_site", {"host_groups": ["host_group.A/x", "host_group.B"]}),
        "network_site.a": ("network_site", {"host_groups": ["host_group.A/x"]}),
        "ip_pool.a": ("ip_pool", {"network_site": "network_site.a"}),
        "cloud.nowhere": ("cloud", {"host_groups": ["host_group.gone"]}),
    }
    where = locations(records)
    assert where["network_site.both"] == GLOBAL
    assert where["network_site.a"] == where["ip_pool.a"] == where["host_group.A/x"] == "A"
    assert where["cloud.nowhere"] == GLOBAL


def test_nodes_are_filled_by_kind_and_the_legend_names_every_kind_drawn() -> None:
    graph, shown = drawing(open_stamp(STAMPS / "lab").resources)
    dot = to_dot(graph, shown)
    for node in graph.nodes:
        kind = node.split(".", 1)[0]
        assert f'fillcolor="{KIND_COLOURS[kind]}"' in _node_attributes(dot, node)
    legend = _clusters(dot)["Legend"]
    assert legend == {f"legend:{k}" for k in {n.split(".", 1)[0] for n in graph.nodes}}
    assert "legend:create" not in dot  # no plan, no action legend
    assert '"uplink_port_profile.uplink" -> "logical_switch.lab";' in dot
    assert len(set(KIND_COLOURS.values())) == len(KIND_COLOURS)  # one colour per kind


def test_mermaid_has_a_subgraph_per_location_and_a_class_per_kind() -> None:
    graph, shown = drawing(open_stamp(STAMPS / "lab").resources)
    text = to_mermaid(graph, shown)
    ids = dict(re.findall(r'^    (n\d+)\["([^"]+)"\]', text, re.M))
    blocks = dict(re.findall(r'  subgraph (\w+)\["[^"]*"\]\n(.*?)\n  end', text, re.S))
    titles = dict(re.findall(r'  subgraph (\w+)\["([^"]*)"\]', text))
    members = {titles[b]: set(re.findall(r"^    (n\d+)\[", body, re.M)) for b, body in blocks.items()}
    assert {ids[n] for n in members["Lab"]} >= {"cloud.iaas", "host_group.Lab/IaaS", "ip_pool.management"}
    assert {ids[n] for n in members[GLOBAL]} >= {"logical_switch.lab", "logical_network.management"}
    assert f"classDef kind_cloud fill:{KIND_COLOURS['cloud']}" in text
    cloud_class = re.search(r"^  class ([\w,]+) kind_cloud$", text, re.M)
    assert cloud_class is not None
    assert {ids.get(i, i) for i in cloud_class.group(1).split(",")} == {"cloud.iaas", "k1"}  # node + legend


def test_graph_plan_marks_each_node_with_its_action(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    edit_lab(lab)
    result = cli("graph", lab, "--format", "dot", "--plan")
    assert result.code == 0, result.err
    dot = result.out
    expected = {
        "cloud.edge": "create",
        "cloud.iaas": "update",
        "logical_switch.lab": "replace",
        "uplink_port_profile.uplink": "delete",
    }
    for node, action in expected.items():
        style = ACTION_STYLES[action]
        attributes = _node_attributes(dot, node)
        assert f'color="{style.colour}"' in attributes and f'penwidth="{style.width}"' in attributes, node
        assert ('style="filled,dashed"' in attributes) is (action == "delete")
    assert 'label="+ cloud.edge"' in _node_attributes(dot, "cloud.edge")
    assert 'label="- uplink_port_profile.uplink"' in _node_attributes(dot, "uplink_port_profile.uplink")
    plain = _node_attributes(dot, "host_group.Lab")
    assert "penwidth" not in plain and 'label="host_group.Lab"' in plain  # no-op: plain
    assert "uplink_port_profile.uplink" in _clusters(dot)["Lab"]  # gone from code, still placed
    assert '"network_site.management" -> "uplink_port_profile.uplink" [style=dashed];' in dot
    assert {"legend:create", "legend:update", "legend:replace", "legend:delete", "legend:no-op"} <= _clusters(dot)[
        "Legend"
    ]
    mermaid = cli("graph", lab, "--plan").out
    ids = {label.split(" ", 1)[-1]: node for node, label in re.findall(r'^    (n\d+)\["([^"]+)"\]', mermaid, re.M)}
    assert f'{ids["cloud.edge"]}["+ cloud.edge"]' in mermaid
    assert f"style {ids['uplink_port_profile.uplink']} stroke:#d1242f,stroke-width:4px,stroke-dasharray:6 4" in mermaid
    assert f"style {ids['logical_switch.lab']} stroke:#c000c0" in mermaid
    assert f"style {ids['host_group.Lab']} " not in mermaid
    assert f"{ids['network_site.management']} -.-> {ids['uplink_port_profile.uplink']}" in mermaid


def test_graph_plan_uses_the_state_dir(cli: Cli, lab: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "state"
    assert cli("apply", lab, "--auto-approve", "--state-dir", elsewhere).code == 0
    fresh = cli("graph", lab, "--format", "dot", "--plan").out  # its own (empty) state: all create
    assert f'color="{ACTION_STYLES["create"].colour}"' in _node_attributes(fresh, "cloud.iaas")
    applied = cli("graph", lab, "--format", "dot", "--plan", "--state-dir", elsewhere).out
    assert "penwidth" not in _node_attributes(applied, "cloud.iaas")  # applied there: no-op
