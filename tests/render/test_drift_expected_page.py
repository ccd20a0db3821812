"""The drift page with objects `unmanaged:` expects (tenants' host groups and clouds), looked at in
headless Chromium: their own neutral colour, never drift's; no drift mark above them; many of
them folded into one line while drift stays in sight."""

from __future__ import annotations

from pathlib import Path

from browser import Box, look, needs_chromium

from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import map_refs
from fabric.model.resources import KINDS, Resource
from fabric.model.stamp import Unmanaged
from fabric.plan.drift import Category, drift_report
from fabric.render.drift import drift_html
from fabric.snapshot import StateEntry, StateSnapshot

EXPECTED, UNMANAGED, OK, CONTAINS = "#e6e0d4", "#dbe9ff", "#d8f5dd", "#e16f24"


def _live(
    objects: list[ObservedObject], managed: dict[str, str]
) -> tuple[dict[str, Resource], Inventory, StateSnapshot]:
    """Code declaring the `managed` address → live ID pairs as they are live, the inventory, and
    state recording them as applied (references as addresses)."""
    inventory = Inventory.of(objects)
    address_of = {live_id: address for address, live_id in managed.items()}
    code: dict[str, Resource] = {}
    entries = {}
    for address, live_id in managed.items():
        obj = inventory.objects[live_id]
        applied = map_refs(KINDS[obj.kind], dict(obj.attributes), lambda ref: address_of.get(ref, ref))
        code[address] = KINDS[obj.kind].model_validate(applied)
        entries[address] = StateEntry(address, obj.kind, live_id, code[address].canonical)
    return code, inventory, StateSnapshot(1, "lineage", entries)


def _tenant_fabric(groups: int) -> tuple[dict[str, Resource], Inventory, StateSnapshot]:
    """Oslo with Tenants and IaaS in state; `groups` tenant host groups with a cloud each below
    Tenants, and a rogue host group with a cloud below IaaS (unmanaged: drift)."""
    objects = [
        ObservedObject(
            "top",
            "host_group",
            "Oslo",
            {"name": "Oslo", "description": "", "parent": None, "inherit_network_settings": True},
        ),
        ObservedObject(
            "ten",
            "host_group",
            "Tenants",
            {"name": "Tenants", "description": "", "parent": "top", "inherit_network_settings": True},
        ),
        ObservedObject(
            "iaas",
            "host_group",
            "IaaS",
            {"name": "IaaS", "description": "", "parent": "top", "inherit_network_settings": True},
        ),
        ObservedObject(
            "rogue",
            "host_group",
            "Rogue",
            {"name": "Rogue", "description": "", "parent": "iaas", "inherit_network_settings": True},
        ),
        ObservedObject("rc", "cloud", "Rogue Cloud", {"name": "Rogue Cloud", "host_groups": ["rogue"]}),
    ]
    for n in range(groups):
        name = f"Tenant {n:03d}"
        objects.append(
            ObservedObject(
                f"t{n}",
                "host_group",
                name,
                {"name": name, "description": "", "parent": "ten", "inherit_network_settings": True},
            )
        )
        cloud = f"Cloud {n:03d}"
        objects.append(ObservedObject(f"c{n}", "cloud", cloud, {"name": cloud, "host_groups": [f"t{n}"]}))
    return _live(objects, {"host_group.Oslo": "top", "host_group.Oslo/Tenants": "ten", "host_group.Oslo/IaaS": "iaas"})


@needs_chromium
def test_the_page_shows_expected_objects_in_their_own_neutral_colour(tmp_path: Path) -> None:
    code, inventory, state = _tenant_fabric(groups=2)
    page = tmp_path / "drift.html"
    rules = Unmanaged.model_validate(
        {"host_group": {"under": ["host_group.Oslo/Tenants"]}, "cloud": {"under": ["host_group.Oslo/Tenants"]}}
    )
    page.write_text(drift_html(drift_report("wap", code, inventory, state, rules), "2026-01-01T00:00:00+00:00", "t"))
    html = page.read_text()
    assert "<script" not in html
    node = 'li[data-address="{}"] > details > summary > '
    found = look(
        page,
        {
            "tenant": node.format("Tenant 000") + ".tag",
            "tenant_cloud": 'li.object[data-address="Cloud 000"] > .tag',
            "tenants": node.format("host_group.Oslo/Tenants") + ".tag",
            "tenants_mark": node.format("host_group.Oslo/Tenants") + ".mark",
            "rogue": node.format("Rogue") + ".tag",
            "rogue_cloud": 'li.object[data-address="Rogue Cloud"] > .tag',
            "iaas_mark": node.format("host_group.Oslo/IaaS") + ".mark",
            "badge": '.badges span[data-category="expected_outside"]',
            "legend": ".legend .tag.expected_outside",
        },
        tmp_path,
    )
    expected, drift_blue, ok, orange = EXPECTED, UNMANAGED, OK, CONTAINS
    tenant, cloud = found.boxes["tenant"][0], found.boxes["tenant_cloud"][0]
    assert tenant.visible and cloud.visible and tenant.left < cloud.left  # the cloud under its host group
    assert found.shows(_padding(tenant), expected), "an expected host group has the neutral colour"
    assert found.shows(_padding(cloud), expected), "so has an expected cloud"
    assert not found.shows(_padding(tenant), drift_blue, tolerance=12), "not the unmanaged colour"
    tenants = found.boxes["tenants"][0]
    assert found.shows(_padding(tenants), ok) and not found.shows(_outline(tenants), orange)
    assert not found.boxes["tenants_mark"], "no 'contains drift' mark above expected objects only"
    assert found.shows(_padding(found.boxes["rogue"][0]), drift_blue), "the rogue host group is unmanaged: drift"
    assert found.shows(_padding(found.boxes["rogue_cloud"][0]), drift_blue)
    assert "contains drift: unmanaged" in found.boxes["iaas_mark"][0].text
    badge = found.boxes["badge"][0]
    assert "Expected outside fabric: 4" in badge.text and found.shows(_padding(badge), expected)
    assert found.shows(_padding(found.boxes["legend"][0]), expected)
    assert "4 objects made outside fabric are expected" in found.dom


@needs_chromium
def test_many_expected_host_groups_fold_into_one_line(tmp_path: Path) -> None:
    code, inventory, state = _tenant_fabric(groups=300)
    under = {"under": ["host_group.Oslo/Tenants"]}
    rules = Unmanaged.model_validate({"host_group": under, "cloud": under})
    page = tmp_path / "many.html"
    report = drift_report("wap", code, inventory, state, rules)
    assert report.count(Category.EXPECTED) == 600 and report.count(Category.UNMANAGED) == 2
    page.write_text(drift_html(report, "2026-01-01T00:00:00+00:00", "t"))
    found = look(
        page,
        {
            "fold": 'li.fold[data-category="expected_outside"] > details',
            "line": 'li.fold[data-category="expected_outside"] > details > summary',
            "tag": 'li.fold[data-category="expected_outside"] > details > summary > .tag',
            "rogue": 'li[data-address="Rogue"]',
            "tree_end": "h2#changed_outside",
            "table": "details.expected-table",
            "pending": "h2#pending",
        },
        tmp_path,
    )
    (fold,), (line,), (tag,) = found.boxes["fold"], found.boxes["line"], found.boxes["tag"]
    assert not fold.open and "300 host groups expected outside fabric" in line.text
    assert found.shows(_padding(tag), EXPECTED)
    assert found.boxes["rogue"][0].visible, "drift stays in sight"
    assert found.boxes["tree_end"][0].top < 900, "300 tenants and their clouds take one line"
    (table,) = found.boxes["table"]
    assert not table.open and "600 objects no code declares" in table.text
    assert found.height < 1800, "and their table one closed line too"


def _padding(box: Box) -> list[tuple[int, int]]:
    """Points in the left padding of an inline tag (background, not a letter)."""
    y = int(box.top + box.height / 2)
    return [(int(box.left) + dx, y + dy) for dx in (2, 3) for dy in (-2, 0, 2)]


def _outline(box: Box) -> list[tuple[int, int]]:
    """Points on a 2px outline drawn 1px outside the box, on its left side."""
    y = int(box.top + box.height / 2)
    return [(int(box.left) - 2, y + dy) for dy in (-2, 0, 2)]
