"""The drift report's host-group tree (every kind placed where it sits, drift marked on the way
up, unchanged subtrees folded) and the drift JSON (format 3; native `live` and `code` values since format 2)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from render_cases import Fabric, lab, locations

from fabric.plan.drift import Category, DriftItem, DriftReport, Placement
from fabric.project import open_stamp
from fabric.render.drift import FOLD_AT, drift_html, drift_json, drift_markdown, drift_text, tree_rows


def _where(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    """object address → the chain of open branches (host-group addresses, or 'Global') above it."""
    chain: list[str] = []
    placed: dict[str, list[str]] = {}
    for row in rows:
        if row["row"] == "open":
            chain.append(row["address"])
        elif row["row"] == "global":
            chain.append("Global")
        elif row["row"] == "close":
            chain.pop()
        elif row["row"] == "object":
            placed.setdefault(row["address"], []).append(" > ".join(chain))
    assert not chain, "every branch the rows open is closed"
    return placed


def _drifted_lab() -> Fabric:
    """stamps/lab applied, then every kind of object edited by hand, one object added, one deleted."""
    fabric = lab()
    fabric.edit("cloud.iaas", description="by hand")
    fabric.edit("network_site.management", description="by hand")
    fabric.edit("ip_pool.management", dns_servers=["10.0.0.53"])
    fabric.edit("logical_network.management", description="by hand")
    fabric.edit("logical_switch.lab", description="by hand")
    fabric.edit("uplink_port_profile.uplink", description="by hand")
    fabric.delete("port_classification.vm-roles")
    fabric.add("feed0000-0000-0000-0000-00000000beef", "cloud", "Shadow", host_groups=[fabric.ids["host_group.Lab"]])
    return fabric


def test_every_kind_sits_under_its_host_groups_and_globals_under_global() -> None:
    rows = tree_rows(_drifted_lab().report())
    where = _where(rows)
    lab_, iaas = "host_group.Lab", "host_group.Lab/IaaS"
    assert where["cloud.iaas"] == [f"{lab_} > {iaas}"]  # a cloud under its host groups
    assert where["network_site.management"] == [lab_]  # a site under its host groups
    assert where["ip_pool.management"] == [lab_]  # a pool under its site's host groups
    assert where["uplink_port_profile.uplink"] == [lab_]  # an uplink under its sites' host groups
    assert where["Shadow"] == [lab_]  # unmanaged: shown by name
    assert where["logical_network.management"] == ["Global"]
    assert where["logical_switch.lab"] == ["Global"]
    assert where["port_classification.vm-roles"] == ["Global"]
    objects = {r["address"]: r for r in rows if r["row"] == "object"}
    assert objects["Shadow"]["live_id"] == "feed0000-0000-0000-0000-00000000beef"
    assert objects["port_classification.vm-roles"]["category"] == "deleted_outside"
    assert objects["ip_pool.management"]["what"] == "dns_servers[0]"


def test_ancestors_of_drift_are_marked_and_open() -> None:
    fabric = lab()
    fabric.edit("cloud.iaas", description="by hand")
    rows = tree_rows(fabric.report())
    branches = {r["address"]: r for r in rows if r["row"] in ("open", "leaf")}
    for address in ("host_group.Lab", "host_group.Lab/IaaS"):
        assert branches[address]["row"] == "open"
        assert branches[address]["category"] == "none"  # not drifted itself
        assert branches[address]["contains"] == "changed_outside"
        assert branches[address]["contains_drift"] == "changed"
    assert branches["host_group.Lab/Fabric Management"]["row"] == "leaf"
    assert branches["host_group.Lab/Fabric Management"]["contains"] == ""
    page = drift_html(fabric.report(), "2026-01-01T00:00:00+00:00", "test")
    lab_node = re.search(r'<li class="node drift-none contains-drift" data-address="host_group.Lab" [^>]*>', page)
    assert lab_node is not None and 'data-contains="changed_outside"' in lab_node.group()
    assert '<details open><summary><span class="tag ok">Lab</span>' in page
    assert 'data-address="cloud.iaas" data-category="changed_outside" data-kind="cloud"' in page


def test_a_thousand_host_groups_stay_one_small_page(tmp_path: Path) -> None:
    fabric = locations(tmp_path, 250)  # 1,250 host groups, 250 clouds, sites and pools
    assert sum(1 for r in fabric.resources.values() if r.KIND == "host_group") == 1250
    fabric.edit("cloud.iaas-l137", description="by hand")
    report = fabric.report()
    rows = tree_rows(report)
    assert _where(rows) == {"cloud.iaas-l137": ["host_group.L137 > host_group.L137/IaaS"]}
    folds = [r for r in rows if r["row"] == "fold"]
    assert [(f["count"], f["below"]) for f in folds] == [("249", "996")]
    assert "L000, L001" in folds[0]["names"] and "L137" not in folds[0]["names"].split(", ")
    leaves = [r["address"] for r in rows if r["row"] == "leaf"]  # L137's other children, one line each
    assert leaves == [f"host_group.L137/{n}" for n in ("DR", "Edge", "Fabric Management")]
    page = drift_html(report, "2026-01-01T00:00:00+00:00", "test")
    assert len(page) < 15_000, len(page)  # not one line per host group
    assert '<li class="fold" data-category="none" data-count="249"><details><summary' in page  # closed
    assert page.count("<details open>") == 2  # L137 and L137/IaaS, nothing else
    assert page == drift_html(report, "2026-01-01T00:00:00+00:00", "test")  # deterministic


def test_few_unchanged_siblings_are_one_line_each_not_folded() -> None:
    fabric = Fabric(open_stamp(Path(__file__).resolve().parents[2] / "stamps" / "reference").resources)
    fabric.edit("cloud.iaas-oslo", description="by hand")
    rows = tree_rows(fabric.report())
    assert not [r for r in rows if r["row"] == "fold"]
    leaves = {r["address"]: r["below"] for r in rows if r["row"] == "leaf"}
    assert leaves["host_group.Stockholm"] == "4" and leaves["host_group.Copenhagen"] == "4"
    assert FOLD_AT >= 2


def test_host_groups_gone_or_not_applied_yet_hold_their_objects() -> None:
    fabric = lab()
    fabric.delete("host_group.Lab/Fabric Management")
    code = open_stamp(Path(__file__).resolve().parents[2] / "stamps" / "lab").resources
    fabric.state = type(fabric.state)(  # IaaS and its cloud were never applied
        1, "lineage", {a: e for a, e in fabric.state.entries.items() if a not in ("host_group.Lab/IaaS", "cloud.iaas")}
    )
    fabric.delete("host_group.Lab/IaaS")
    fabric.delete("cloud.iaas")
    rows = tree_rows(fabric.report(code))
    nodes = {r["address"]: r for r in rows if r["row"] in ("open", "leaf")}
    assert nodes["host_group.Lab/Fabric Management"]["category"] == "deleted_outside"
    assert nodes["host_group.Lab/IaaS"]["category"] == "pending"
    assert nodes["host_group.Lab/IaaS"]["note"] == "pending: not applied yet"
    assert _where(rows)["cloud.iaas"] == ["host_group.Lab > host_group.Lab/IaaS"]
    assert nodes["host_group.Lab"]["contains_drift"] == "deleted"


def test_host_groups_whose_parents_loop_are_still_shown() -> None:
    a, b = "aaaaaaaa-0000-0000-0000-000000000001", "bbbbbbbb-0000-0000-0000-000000000002"
    items = (
        DriftItem(Category.UNMANAGED, None, "host_group", "A", a, host_groups=(b,)),
        DriftItem(Category.UNMANAGED, None, "host_group", "B", b, host_groups=(a,)),
    )
    report = DriftReport("loop", items, {a: b, b: a}, {a: "A", b: "B"})
    rows = tree_rows(report)
    assert [(r["row"], r.get("address")) for r in rows] == [("open", "A"), ("leaf", "B"), ("close", None)]


def test_placement_follows_sites_pools_and_vm_networks() -> None:
    records = {
        "hg.1": ("host_group", {"parent": None}),
        "site.1": ("network_site", {"logical_network": "ln.1", "host_groups": ["hg.1"]}),
        "vmn.1": ("vm_network", {"logical_network": "ln.1", "subnets": [{"name": "s", "network_site": "site.1"}]}),
        "pool.1": ("ip_pool", {"vm_network": "vmn.1"}),
        "grant.1": ("ip_grant", {"ip_pool": "pool.1"}),
        "ln.1": ("logical_network", {}),
    }
    placement = Placement(records.get)
    assert placement.of("grant.1") == ("hg.1",)
    assert placement.of("ln.1") == ()
    assert placement.of("missing") == ()
    looping = Placement({"pool.x": ("ip_pool", {"network_site": "pool.x"})}.get)
    assert looping.of("pool.x") == ()


def test_json_carries_native_live_and_code_values() -> None:
    fabric = lab()
    pool = dict(fabric.inventory.objects[fabric.ids["ip_pool.management"]].attributes)
    fabric.edit("ip_pool.management", dns_servers=None, gateways=["192.168.50.1", "192.168.50.254"])
    cloud = fabric.inventory.objects[fabric.ids["cloud.iaas"]].attributes
    fabric.edit("cloud.iaas", capacity={**cloud["capacity"], "vm_count": None, "memory_mb": 1024})
    doc = json.loads(json.dumps(drift_json(fabric.report(), "2026-01-01T00:00:00+00:00")))
    assert doc["format_version"] == "3"  # 3: the expected_outside category and host_group_path
    changes = {(i["address"], c["path"]): c for i in doc["items"] for c in i["changes"]}
    assert set(changes) == {
        ("ip_pool.management", "dns_servers"),
        ("ip_pool.management", "gateways"),  # a set: named by its own path
        ("cloud.iaas", "capacity.vm_count"),
        ("cloud.iaas", "capacity.memory_mb"),
    }
    assert changes[("ip_pool.management", "dns_servers")] == {
        "path": "dns_servers",
        "live": None,
        "code": pool["dns_servers"],  # a list stays a list
    }
    assert isinstance(pool["dns_servers"], list) and pool["dns_servers"]
    assert changes[("ip_pool.management", "gateways")] == {
        "path": "gateways",
        "live": ["192.168.50.1", "192.168.50.254"],
        "code": ["192.168.50.1"],
    }
    pool_item = next(i for i in doc["items"] if i["address"] == "ip_pool.management")
    assert {"path": "gateways", "op": "remove", "value": "192.168.50.254"} in pool_item["diff"]
    assert changes[("cloud.iaas", "capacity.vm_count")] == {"path": "capacity.vm_count", "live": None, "code": 20}
    assert changes[("cloud.iaas", "capacity.memory_mb")] == {
        "path": "capacity.memory_mb",
        "live": 1024,
        "code": 65536,
    }


def test_every_arrow_reads_live_to_code_and_says_so() -> None:
    fabric = lab()
    fabric.edit("cloud.iaas", description="by hand")
    code = dict(fabric.resources)
    cloud = code["cloud.iaas"]
    code["cloud.iaas"] = type(cloud).model_validate({**cloud.model_dump(), "name": "IaaS renamed"})
    report = fabric.report(code)
    text = drift_text(report)
    assert text.count("Values read live → code") == 1
    assert '~ description: "by hand" → ""' in text  # changed outside: live → last applied
    assert '~ name: "IaaS Lab" → "IaaS renamed"' in text  # pending: live → code
    markdown = drift_markdown(report, "now")
    assert markdown.count("Values read live → code") == 1 and '`"by hand"` → `""`' in markdown
    page = drift_html(report, "now", "test")
    assert page.count("Values read live → code") == 1
    assert "<code>&#34;by hand&#34;</code> → <code>&#34;&#34;</code>" in page
    quiet = lab()
    assert "Values read" not in drift_text(quiet.report())  # no arrows, nothing to explain
