"""The pictures, looked at: the drift page and the graph rendered in headless Chromium, with
pixel colours read from the screenshot at the positions of the elements that should show them."""

from __future__ import annotations

import subprocess
from pathlib import Path

from browser import DOT, Box, Look, look, needs_chromium, needs_dot, rgb, svg_page
from conftest import Cli
from render_cases import edit_lab, locations

from fabric.render.drift import drift_html
from fabric.render.graphviz import ACTION_STYLES, KIND_COLOURS

CHANGED, OK, CONTAINS, WHITE = "#fff1c2", "#d8f5dd", "#e16f24", "#ffffff"
GLOBAL_KINDS = {"logical_network", "logical_switch", "port_classification", "virtual_port_profile", "custom_property"}


def _padding(box: Box) -> list[tuple[int, int]]:
    """Points in the left padding of an inline tag (background, not a letter)."""
    y = int(box.top + box.height / 2)
    return [(int(box.left) + dx, y + dy) for dx in (2, 3) for dy in (-2, 0, 2)]


def _outline(box: Box) -> list[tuple[int, int]]:
    """Points on a 2px outline drawn 1px outside the box, on its left side."""
    y = int(box.top + box.height / 2)
    return [(int(box.left) - 2, y + dy) for dy in (-2, 0, 2)]


def _one(found: Look, probe: str) -> Box:
    boxes = found.boxes[probe]
    assert len(boxes) == 1, (probe, boxes)
    assert boxes[0].rendered and boxes[0].visible, probe
    return boxes[0]


@needs_chromium
def test_a_drifted_cloud_and_its_location_are_coloured(cli: Cli, lab: Path, tmp_path: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    assert cli("lab", "set", lab, "cloud.iaas", "capacity.vm_count=7").code == 0
    assert cli("lab", "set", lab, "logical_network.management", "description=by hand").code == 0
    page = tmp_path / "drift.html"
    assert cli("drift", lab, "--format", "html", "--out", page).code == 0
    assert "<script" not in page.read_text()
    node = 'li[data-address="{}"] > details > summary > '
    found = look(
        page,
        {
            "cloud": 'li.object[data-address="cloud.iaas"] > .tag',
            "network": 'li.object[data-address="logical_network.management"] > .tag',
            "lab": node.format("host_group.Lab") + ".tag",
            "lab_mark": node.format("host_group.Lab") + ".mark",
            "iaas": node.format("host_group.Lab/IaaS") + ".tag",
            "quiet": 'li[data-address="host_group.Lab/Fabric Management"] > .tag',
            "global_mark": "li.global > details > summary > .mark",
            "legend_mark": ".legend .mark",
        },
        tmp_path,
    )
    cloud, network = _one(found, "cloud"), _one(found, "network")
    assert found.shows(_padding(cloud), CHANGED), "the drifted cloud is coloured as changed"
    assert found.shows(_padding(network), CHANGED), "the drifted logical network is coloured, under Global"
    lab_, iaas, quiet = _one(found, "lab"), _one(found, "iaas"), _one(found, "quiet")
    assert lab_.top < iaas.top < cloud.top and lab_.left < iaas.left < cloud.left  # nested: location → IaaS → cloud
    for ancestor in (lab_, iaas):
        assert found.shows(_padding(ancestor), OK), "not drifted itself"
        assert found.shows(_outline(ancestor), CONTAINS), "but marked: drift inside"
    assert found.shows(_padding(quiet), OK)
    assert not found.shows(_outline(quiet), CONTAINS), "an unchanged host group has no mark"
    assert found.shows(_outline(quiet), WHITE, tolerance=4)
    mark = _one(found, "lab_mark")
    assert found.shows(_padding(mark), CONTAINS) and "contains drift: changed" in mark.text
    assert found.shows(_padding(_one(found, "global_mark")), CONTAINS)
    assert found.shows(_padding(_one(found, "legend_mark")), CONTAINS), "the legend shows the mark"


@needs_chromium
def test_unchanged_host_groups_are_folded_at_scale(tmp_path: Path) -> None:
    fabric = locations(tmp_path, 250)
    fabric.edit("cloud.iaas-l137", description="by hand")
    page = tmp_path / "big.html"
    page.write_text(drift_html(fabric.report(), "2026-01-01T00:00:00+00:00", "test"), encoding="utf-8")
    found = look(
        page,
        {
            "fold": "li.fold > details",
            "names": "li.fold .names",
            "fold_line": "li.fold > details > summary",
            "cloud": 'li.object[data-address="cloud.iaas-l137"] > .tag',
            "open": "details[open]",
            "next": "h2#changed_outside",
        },
        tmp_path,
    )
    fold = _one(found, "fold")
    assert not fold.open and "249 unchanged host groups (996 more inside them)" in _one(found, "fold_line").text
    (names,) = found.boxes["names"]
    assert not names.visible, "the 249 folded names are not shown until the fold is opened"
    line, after = _one(found, "fold_line"), _one(found, "next")
    assert names.height > 100 and after.top - (line.top + line.height) < 60, "the fold takes one line"
    assert len(found.boxes["open"]) == 2  # L137 and L137/IaaS
    assert found.shows(_padding(_one(found, "cloud")), CHANGED)
    assert found.height < 1400, "1,250 host groups, one screen"


def _svg(dot_text: str, tmp: Path) -> Path:
    assert DOT is not None, "graphviz is not installed (.ci/run installs it)"
    svg = subprocess.run([DOT, "-Tsvg"], input=dot_text, capture_output=True, text=True, timeout=60, check=True).stdout
    return svg_page(svg, tmp / "graph.html")


def _fill(box: Box) -> list[tuple[int, int]]:
    """Points inside a node's box, clear of its border and of its label."""
    return [(int(box.left) + 8, int(box.top) + 7), (int(box.left + box.width) - 8, int(box.top + box.height) - 7)]


def _border(box: Box) -> list[tuple[int, int]]:
    """Points along a node's top border (edges meet the sides), close enough to meet a dashed line."""
    y = round(box.top)
    return [(int(box.left) + x, y) for x in range(8, int(box.width) - 8, 2)]


@needs_chromium
@needs_dot
def test_graph_nodes_are_coloured_by_kind_grouped_and_marked_by_action(cli: Cli, lab: Path, tmp_path: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    edit_lab(lab)
    result = cli("graph", lab, "--format", "dot", "--plan")
    assert result.code == 0, result.err
    found = look(_svg(result.out, tmp_path), {"nodes": "g.node", "clusters": "g.cluster"}, tmp_path)
    nodes = {b.title: b for b in found.boxes["nodes"]}
    clusters = {b.text.replace(b.title, "", 1).strip(): b for b in found.boxes["clusters"]}
    assert {"Lab", "Global", "Legend"} <= set(clusters)
    drawn = [n for n in nodes if not n.startswith("legend:")]
    assert len(drawn) == 13  # 12 in code, 1 more the plan deletes
    points = {n: _fill(nodes[n]) for n in nodes}
    colours = iter(found.pixels([p for n in nodes for p in points[n]]))
    seen = {n: [next(colours) for _ in points[n]] for n in nodes}
    for node in drawn:
        kind = node.split(".", 1)[0]
        assert all(_near(c, KIND_COLOURS[kind]) for c in seen[node]), (node, seen[node])
        where = "Global" if kind in GLOBAL_KINDS else "Lab"
        assert nodes[node].inside(clusters[where]), (node, where)
    for kind, colour in KIND_COLOURS.items():
        if f"legend:{kind}" in nodes:
            assert all(_near(c, colour) for c in seen[f"legend:{kind}"]), kind
            assert nodes[f"legend:{kind}"].inside(clusters["Legend"])
    marked = {
        "cloud.edge": "create",
        "cloud.iaas": "update",
        "logical_switch.lab": "replace",
        "uplink_port_profile.uplink": "delete",
        "legend:create": "create",
        "legend:delete": "delete",
    }
    for node, action in marked.items():
        assert found.shows(_border(nodes[node]), ACTION_STYLES[action].colour), (node, action)
    plain = _border(nodes["host_group.Lab"])
    for action in ("create", "update", "replace", "delete"):
        assert not found.shows(plain, ACTION_STYLES[action].colour, tolerance=30), "a no-op node is plain"
    dashes = found.pixels(_border(nodes["uplink_port_profile.uplink"]))
    red = [_near(c, ACTION_STYLES["delete"].colour) for c in dashes]
    assert 0.2 < sum(red) / len(red) < 0.8, "the deleted node's border is dashed"
    solid = found.pixels(_border(nodes["cloud.edge"]))
    green = [_near(c, ACTION_STYLES["create"].colour) for c in solid]
    assert sum(green) / len(green) > 0.95, "a created node's border is solid"


def _near(colour: tuple[int, ...], want: str, tolerance: int = 10) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, rgb(want), strict=True))
