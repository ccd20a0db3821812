"""Cases for the render tests: drift reports built without a provider (the code, a live
inventory that matches it as if applied, state recording it, then edits made "outside
fabric"), and a lab stamp edited so that a plan holds every action."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from conftest import STAMPS

from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import map_refs
from fabric.model.resources import Resource
from fabric.plan.drift import DriftReport, drift_report
from fabric.project import open_stamp
from fabric.scaffold import scaffold
from fabric.snapshot import StateEntry, StateSnapshot


class Fabric:
    """Code, live objects and state of one stamp; `edit` changes a live object by hand."""

    def __init__(self, resources: Mapping[str, Resource]) -> None:
        self.resources = dict(resources)
        self.ids = {a: f"00000000-0000-0000-0000-{n:012d}" for n, a in enumerate(sorted(resources))}
        objects = {}
        entries = {}
        for address, resource in resources.items():
            live = map_refs(type(resource), dict(resource.canonical), lambda a: self.ids.get(a, a))
            objects[self.ids[address]] = ObservedObject(self.ids[address], resource.KIND, resource.name, live)
            entries[address] = StateEntry(address, resource.KIND, self.ids[address], dict(resource.canonical))
        self.inventory = Inventory(objects)
        self.state = StateSnapshot(1, "lineage", entries)

    def edit(self, address: str, **attributes: Any) -> None:
        """Change live attributes of the object at `address` (references as live IDs)."""
        obj = self.inventory.objects[self.ids[address]]
        self.inventory.objects[obj.id] = replace(obj, attributes={**obj.attributes, **attributes})

    def delete(self, address: str) -> None:
        """Delete the live object at `address` in VMM."""
        del self.inventory.objects[self.ids[address]]

    def add(self, live_id: str, kind: str, name: str, **attributes: Any) -> None:
        """Create an object in VMM that no code declares."""
        self.inventory.objects[live_id] = ObservedObject(live_id, kind, name, attributes)

    def report(self, desired: Mapping[str, Resource] | None = None) -> DriftReport:
        """The drift report against the code (or `desired`)."""
        code = self.resources if desired is None else desired
        return drift_report("test", code, self.inventory, self.state)


def lab() -> Fabric:
    """stamps/lab as if applied."""
    return Fabric(open_stamp(STAMPS / "lab").resources)


def locations(tmp: Path, count: int) -> Fabric:
    """The reference template for `count` locations (5 host groups, a cloud, a site, a pool each)."""
    names = [f"L{n:03d}" for n in range(count)]
    scaffold(tmp / "big", "reference", [f"locations={','.join(names)}"])
    return Fabric(open_stamp(tmp / "big").resources)


def edit_lab(lab: Path) -> None:
    """stamps/lab edited so that its plan (after an apply) holds every action: create a cloud,
    update one, replace the switch, delete the uplink (gone from code)."""
    doc = lab / "lab.yaml"
    text = doc.read_text()
    text = text.replace(
        'uplink_port_profile:\n  uplink:\n    name: "Uplink {{ var.location }}"\n'
        "    network_sites: [network_site.management]\n",
        "",
    )
    uplinks = "    uplink_port_profiles: [uplink_port_profile.uplink]\n"
    text = text.replace(uplinks, "    minimum_bandwidth_mode: absolute\n")
    edge = '  edge:\n    name: Edge\n    host_groups: ["host_group.{{ var.location }}/IaaS"]\n\n'
    text = text.replace("logical_network:\n", edge + "logical_network:\n")
    text = text.replace("vm_count: 20", "vm_count: 25")
    doc.write_text(text)
