"""Drift on a fabric that tenants also change (Windows Azure Pack): objects made outside fabric
that `unmanaged:` in fabric.yaml expects are reported apart and are not drift.

The tenants' objects are made with `fabric lab create`, as a tenant (through SPF) or an admin in
the console would: untagged, so they belong to no stamp, and they sit below this stamp's host
groups or on its networks.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import ROOT, Cli

from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import map_refs
from fabric.model.resources import KINDS, Resource
from fabric.model.stamp import Unmanaged
from fabric.plan.drift import Category, drift_report
from fabric.snapshot import StateEntry, StateSnapshot

FABRIC = """\
stamp: wap
provider:
  type: lab
"""
CODE = """\
host_group:
  Oslo:
    children:
      IaaS: {}
      Tenants: {}

logical_network:
  tenant-provider:
    name: Tenant Provider
    network_virtualization: true
  management:
    name: Management
    isolation: vlan

network_site:
  tenant-provider:
    name: Tenant Provider Oslo
    logical_network: logical_network.tenant-provider
    host_groups: ["host_group.Oslo/Tenants"]
    subnets:
      - subnet: 10.50.0.0/24
  management:
    name: Management Oslo
    logical_network: logical_network.management
    host_groups: ["host_group.Oslo/IaaS"]
    subnets:
      - subnet: 10.60.0.0/24
        vlan: 60

cloud:
  tenants:
    name: Tenants Oslo
    host_groups: ["host_group.Oslo/Tenants"]
    logical_networks: [logical_network.tenant-provider]
"""
UNDER_TENANTS = {
    "host_group": {"under": ["host_group.Oslo/Tenants"]},
    "vm_network": {"under": ["host_group.Oslo/Tenants"]},
    "cloud": {"under": ["host_group.Oslo/Tenants"]},
}


@pytest.fixture
def wap(tmp_path: Path) -> Path:
    """The stamp, not applied yet."""
    stamp = tmp_path / "wap"
    stamp.mkdir()
    (stamp / "fabric.yaml").write_text(FABRIC)
    (stamp / "wap.yaml").write_text(CODE)
    return stamp


def _expect(stamp: Path, rules: dict[str, object]) -> None:
    """Set fabric.yaml's `unmanaged:` section."""
    (stamp / "fabric.yaml").write_text(FABRIC + yaml.safe_dump({"unmanaged": rules}))


def _created(cli: Cli, *args: str) -> str:
    """`fabric lab create ARGS…`; the new object's live ID."""
    result = cli("lab", "create", *args)
    assert result.code == 0, result.err
    found = re.search(r"created, live ID (\S+)$", result.out.strip())
    assert found, result.out
    return found.group(1)


def _tenants(cli: Cli, stamp: Path) -> dict[str, str]:
    """Apply, then let tenants work: Contoso's host groups (two deep), VM network and cloud."""
    assert cli("apply", stamp, "--auto-approve").code == 0
    contoso = _created(cli, str(stamp), "host_group", "Contoso", "parent=host_group.Oslo/Tenants")
    dev = _created(cli, str(stamp), "host_group", "Dev", f"parent={contoso}")  # a live ID works too
    net = _created(
        cli,
        str(stamp),
        "vm_network",
        "Contoso-Net",
        "logical_network=logical_network.tenant-provider",
        "isolation=hnv",
        "subnets=[{name: web, subnet: 192.168.1.0/24}]",
    )
    cloud = _created(cli, str(stamp), "cloud", "Contoso Cloud", f"host_groups=[{dev}]")
    return {"contoso": contoso, "dev": dev, "net": net, "cloud": cloud}


def _drift(cli: Cli, stamp: Path) -> tuple[int, dict[str, object]]:
    result = cli("drift", stamp, "--format", "json", "--detailed-exitcode")
    assert result.code in (0, 2), result.err
    return result.code, json.loads(result.out)


def _by_category(report: dict[str, object]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    items = report["items"]
    assert isinstance(items, list)
    for item in items:
        out.setdefault(item["category"], set()).add(item["host_group_path"] or item["name"])
    return out


def test_without_rules_tenant_objects_are_drift_with_their_paths(cli: Cli, wap: Path) -> None:
    _tenants(cli, wap)
    code, report = _drift(cli, wap)
    assert code == 2 and report["has_drift"] is True
    assert report["format_version"] == "3"
    # the second-level host group belongs to the stamp through the first, so it is reported too
    assert _by_category(report) == {
        "unmanaged": {"Oslo/Tenants/Contoso", "Oslo/Tenants/Contoso/Dev", "Contoso-Net", "Contoso Cloud"}
    }
    text = cli("drift", wap).out
    assert "host_group 'Oslo/Tenants/Contoso/Dev' (" in text
    assert "Expected outside fabric (0):\n  none" in text


def test_under_a_host_group_expects_the_tenants_objects(cli: Cli, wap: Path) -> None:
    ids = _tenants(cli, wap)
    _expect(wap, UNDER_TENANTS)
    code, report = _drift(cli, wap)
    assert code == 0, report
    assert report["has_drift"] is False
    summary = report["summary"]
    assert summary == {"changed_outside": 0, "deleted_outside": 0, "unmanaged": 0, "expected_outside": 4, "pending": 0}
    items = {i["live_id"]: i for i in report["items"]}  # type: ignore[union-attr]
    assert items[ids["dev"]]["host_group_path"] == "Oslo/Tenants/Contoso/Dev"
    assert items[ids["dev"]]["address"] is None
    assert items[ids["dev"]]["detail"] == "unmanaged.host_group: under host_group.Oslo/Tenants"
    # an HNV VM network names no site: it sits where its logical network's sites are (Oslo/Tenants)
    assert items[ids["net"]]["detail"] == "unmanaged.vm_network: under host_group.Oslo/Tenants"
    assert items[ids["cloud"]]["category"] == "expected_outside"  # on Dev, which is below Tenants
    text = cli("drift", wap).out
    assert text.startswith("Drift report for stamp 'wap': no drift.")
    assert "Expected outside fabric (4):\n" in text
    assert "  host_group 'Oslo/Tenants/Contoso' (" in text
    assert "# unmanaged.host_group: under host_group.Oslo/Tenants" in text
    assert "Unmanaged (0):\n  none" in text
    assert text.index("Pending (code not applied yet) (0):") < text.index("Expected outside fabric (4):")


def test_text_and_markdown_list_twenty_expected_objects_and_count_the_rest(cli: Cli, wap: Path) -> None:
    assert cli("apply", wap, "--auto-approve").code == 0
    _expect(wap, {"host_group": {"under": ["host_group.Oslo/Tenants"]}})
    for n in range(23):
        _created(cli, str(wap), "host_group", f"Tenant {n:02d}", "parent=host_group.Oslo/Tenants")
    _created(cli, str(wap), "host_group", "Rogue", "parent=host_group.Oslo/IaaS")
    text = cli("drift", wap).out
    assert "Unmanaged (1):\n  host_group 'Oslo/IaaS/Rogue' (" in text
    assert "Expected outside fabric (23):" in text
    assert text.count("# unmanaged.host_group: under host_group.Oslo/Tenants") == 20
    assert text.rstrip().endswith("  … and 3 more (--format json or html lists every one)")
    markdown = cli("drift", wap, "--format", "markdown").out
    assert markdown.count("(host_group) unmanaged.host_group: under") == 20
    assert "- … and 3 more (`fabric drift --format json` lists every one)" in markdown
    report = json.loads(cli("drift", wap, "--format", "json").out)
    assert report["summary"]["expected_outside"] == 23 and len(report["items"]) == 24


def test_what_is_not_under_the_host_group_is_still_drift(cli: Cli, wap: Path) -> None:
    _tenants(cli, wap)
    _expect(wap, UNDER_TENANTS)
    # an admin's VM network on the management network (sites in Oslo/IaaS) and a host group beside Tenants
    _created(cli, str(wap), "vm_network", "Rogue-Net", "logical_network=logical_network.management")
    _created(cli, str(wap), "host_group", "Sneaky", "parent=host_group.Oslo/IaaS")
    # a cloud on Tenants *and* IaaS is not only under Tenants
    _created(cli, str(wap), "cloud", "Wide", "host_groups=[host_group.Oslo/Tenants, host_group.Oslo/IaaS]")
    code, report = _drift(cli, wap)
    assert code == 2 and report["has_drift"] is True
    found = _by_category(report)
    assert found["unmanaged"] == {"Rogue-Net", "Oslo/IaaS/Sneaky", "Wide"}
    assert found["expected_outside"] == {
        "Oslo/Tenants/Contoso",
        "Oslo/Tenants/Contoso/Dev",
        "Contoso-Net",
        "Contoso Cloud",
    }


def test_name_patterns_ignore_case_and_paths_match_host_groups(cli: Cli, wap: Path) -> None:
    _tenants(cli, wap)
    _expect(
        wap,
        {
            "vm_network": {"names": ["CONTOSO-*"]},  # VMM compares names without case
            "host_group": {"names": ["oslo/tenants/*"]},  # with a /: the path (and * spans levels)
            "cloud": {"names": ["Fabrikam*"]},
        },
    )
    code, report = _drift(cli, wap)
    assert code == 2
    found = _by_category(report)
    assert found["expected_outside"] == {"Oslo/Tenants/Contoso", "Oslo/Tenants/Contoso/Dev", "Contoso-Net"}
    assert found["unmanaged"] == {"Contoso Cloud"}
    details = {i["name"]: i["detail"] for i in report["items"]}  # type: ignore[union-attr]
    assert details["Contoso-Net"] == "unmanaged.vm_network: name matches 'CONTOSO-*'"
    assert details["Dev"] == "unmanaged.host_group: path matches 'oslo/tenants/*'"
    _expect(wap, {"vm_network": {"names": ["Contoso"]}, "host_group": {"names": ["Dev"]}, "cloud": "all"})
    found = _by_category(_drift(cli, wap)[1])
    assert found["expected_outside"] == {"Oslo/Tenants/Contoso/Dev", "Contoso Cloud"}  # a name, not a path
    assert found["unmanaged"] == {"Oslo/Tenants/Contoso", "Contoso-Net"}  # no * : the whole name


def test_all_expects_every_object_of_the_kind_and_exit_codes(cli: Cli, wap: Path) -> None:
    _tenants(cli, wap)
    _expect(wap, {"host_group": "all", "vm_network": "all", "cloud": "all"})
    assert cli("drift", wap, "--detailed-exitcode").code == 0
    details = {i["name"]: i["detail"] for i in _drift(cli, wap)[1]["items"]}  # type: ignore[union-attr]
    assert details["Contoso-Net"] == "unmanaged.vm_network: all"
    # real drift next to expected objects still counts
    assert cli("lab", "set", wap, "cloud.tenants", "capacity.vm_count=3").code == 0
    assert cli("drift", wap, "--detailed-exitcode").code == 2
    assert cli("drift", wap).code == 0  # without the flag: 0 whatever the report says


def test_objects_of_another_stamp_are_not_this_stamps(cli: Cli, wap: Path) -> None:
    assert cli("apply", wap, "--auto-approve").code == 0
    _created(cli, str(wap), "logical_network", "Theirs", "description='[fabric stamp=other]'")
    _created(cli, str(wap), "logical_network", "Nobody's")
    found = _by_category(_drift(cli, wap)[1])
    assert found == {"unmanaged": {"Nobody's"}}  # the tagged one is stamp 'other''s business
    # one with this stamp's own tag was made by fabric (an apply that died): never expected
    _expect(wap, {"logical_network": "all"})
    _created(cli, str(wap), "logical_network", "Ours", "description='[fabric stamp=wap]'")
    found = _by_category(_drift(cli, wap)[1])
    assert found == {"unmanaged": {"Ours"}, "expected_outside": {"Nobody's"}}


def test_declaring_an_expected_object_adopts_it_visibly(cli: Cli, wap: Path) -> None:
    ids = _tenants(cli, wap)
    _expect(wap, UNDER_TENANTS)
    code = wap / "wap.yaml"
    code.write_text(
        code.read_text().replace("      Tenants: {}\n", "      Tenants:\n        children:\n          Contoso: {}\n")
    )
    plan = cli("plan", wap)
    assert "<= host_group.Oslo/Tenants/Contoso will be adopted" in plan.out, plan.out
    assert cli("apply", wap, "--auto-approve").code == 0
    inventory = json.loads(cli("lab", "show", wap, "--format", "json").out)["objects"]
    contoso = next(o for o in inventory if o["id"] == ids["contoso"])
    assert contoso["attributes"]["description"] == "[fabric stamp=wap]"  # adopted: now tagged
    found = _by_category(_drift(cli, wap)[1])
    assert "Oslo/Tenants/Contoso" not in found.get("expected_outside", set())  # managed now


def test_markdown_and_text_list_expected_objects_apart(cli: Cli, wap: Path) -> None:
    _tenants(cli, wap)
    _expect(wap, UNDER_TENANTS)
    markdown = cli("drift", wap, "--format", "markdown").out
    assert "| Expected outside fabric | 4 |" in markdown and "| Unmanaged | 0 |" in markdown
    assert "<details><summary>Expected outside fabric (4)</summary>" in markdown
    assert "- `Oslo/Tenants/Contoso/Dev` (host_group) unmanaged.host_group: under host_group.Oslo/Tenants" in markdown


def test_fabric_yaml_with_unmanaged_matches_the_schema(wap: Path) -> None:
    schema = json.loads((ROOT / "schemas" / "fabric.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    good = {"stamp": "wap", "unmanaged": {**UNDER_TENANTS, "logical_network": "all", "ip_pool": {"names": ["a*"]}}}
    assert not list(validator.iter_errors(good))
    assert list(validator.iter_errors({"stamp": "wap", "unmanaged": {"vm_networks": "all"}}))
    assert list(validator.iter_errors({"stamp": "wap", "unmanaged": {"cloud": "everything"}}))
    assert set(Unmanaged.model_fields) == set(KINDS)  # every kind can be expected
    described = schema["$defs"]["UnmanagedRule"]["properties"]
    assert "case-insensitively" in described["names"]["description"]
    assert "logical network's sites" in described["under"]["description"]


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


def test_the_classification_is_pure_and_every_form_applies() -> None:
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
            "c1",
            "host_group",
            "Contoso",
            {"name": "Contoso", "description": "", "parent": "ten", "inherit_network_settings": True},
        ),
        ObservedObject("pool", "mac_pool", "Tenant MACs", {"name": "Tenant MACs", "host_groups": ["c1"]}),
        ObservedObject("sw", "logical_switch", "Tenant Switch", {"name": "Tenant Switch"}),
    ]
    code, inventory, state = _live(objects, {"host_group.Oslo": "top", "host_group.Oslo/Tenants": "ten"})
    rules = Unmanaged.model_validate(
        {"host_group": {"under": ["host_group.Oslo"]}, "mac_pool": {"under": ["host_group.Oslo/Tenants"]}}
    )
    report = drift_report("wap", code, inventory, state, rules)
    got = {i.name: (i.category, i.detail) for i in report.items}
    assert got == {
        "Contoso": (Category.EXPECTED, "unmanaged.host_group: under host_group.Oslo"),
        "Tenant MACs": (Category.EXPECTED, "unmanaged.mac_pool: under host_group.Oslo/Tenants"),
        "Tenant Switch": (Category.UNMANAGED, "no code declares it"),  # global: under never matches
    }
    assert report.has_drift
    assert not drift_report("wap", code, Inventory.of(objects[:4]), state, rules).has_drift
    assert drift_report("wap", code, Inventory.of(objects[:4]), state).has_drift  # without the rules
