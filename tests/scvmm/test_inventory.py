"""Parsing the read script's JSON (fixtures shaped like `Get-SC* | ConvertTo-Json` output)."""

from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path

import pytest
from fabric_scvmm.inventory import parse_inventory
from fabric_scvmm.provider import read_script

from fabric.errors import ProviderError
from fabric.model.refs import map_refs
from fabric.model.resources import VMM_KINDS as KINDS

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def test_empty_fabric_has_only_the_built_ins() -> None:
    inventory = parse_inventory(_load("inventory_empty.json"))
    assert {(o.kind, o.name) for o in inventory} == {
        ("mac_pool", "Default MAC address pool"),
        ("port_classification", "Host management"),
    }


def test_small_fabric_maps_every_field() -> None:
    inventory = parse_inventory(_load("inventory_small.json"))
    by_name = {(o.kind, o.name): o.attributes for o in inventory}
    assert ("host_group", "All Hosts") not in by_name
    assert by_name[("host_group", "Oslo")]["parent"] is None
    assert by_name[("host_group", "IaaS")]["inherit_network_settings"] is False
    cloud = by_name[("cloud", "IaaS Oslo")]
    assert cloud["description"] == ""
    assert cloud["capacity"] == {
        "vm_count": 100,
        "cpu_count": None,
        "memory_mb": 1048576,
        "storage_gb": None,
        "custom_quota_count": None,
    }
    assert cloud["custom_properties"] == {"00000000-0000-0000-0000-0000000000f1": "true"}
    assert by_name[("network_site", "Management Oslo")]["subnets"] == [
        {"subnet": "10.100.0.0/24", "vlan": 100, "secondary_vlan": None}
    ]
    pool = by_name[("ip_pool", "Management Oslo pool")]
    assert pool["reserved"] == ["10.100.0.10-10.100.0.19"] and pool["vips"] == [] and pool["vm_network"] is None
    assert by_name[("uplink_port_profile", "Uplink Oslo")]["team_mode"] == "switch_independent"
    assert by_name[("uplink_port_profile", "Uplink Oslo")]["load_balancing"] == "dynamic"
    assert by_name[("logical_switch", "Fabric Switch")]["virtual_ports"][0]["default"] is True
    assert by_name[("custom_property", "CreateHighlyAvailableVMRoles")]["members"] == ["cloud"]
    for obj in inventory:  # every parsed object has exactly the attributes its model declares
        model = KINDS[obj.kind]
        expected = set(model.model_fields) - {"depends_on", "lifecycle"}
        assert set(obj.attributes) == expected, obj.kind
        model.model_validate(map_refs(model, dict(obj.attributes), lambda live_id: f"ref.{live_id}"))


def test_large_fabric() -> None:
    doc = _load("inventory_small.json")
    template = doc["host_group"][2]
    for i in range(20_000):
        entry = copy.deepcopy(template)
        entry["ID"], entry["Name"] = str(uuid.UUID(int=i + 10_000)), f"Cluster{i:05}"
        doc["host_group"].append(entry)
    inventory = parse_inventory(doc)
    assert len(inventory) == 2 + 20_000 + 11


def test_errors_are_reported_not_raised_raw() -> None:
    with pytest.raises(ProviderError, match="the inventory script failed: Access denied"):
        parse_inventory({"ok": False, "error": "Access denied"})
    with pytest.raises(ProviderError, match="not a fabric-scvmm-inventory"):
        parse_inventory({"format": "other"})
    broken = _load("inventory_small.json")
    del broken["cloud"][0]["ID"]
    with pytest.raises(ProviderError, match="malformed"):
        parse_inventory(broken)


def test_read_script_parses_as_powershell() -> None:
    import tree_sitter
    import tree_sitter_powershell

    script = read_script("vmm01.corp.example")
    assert "Get-SCVMMServer -ComputerName 'vmm01.corp.example'" in script
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
    assert not parser.parse(script.encode()).root_node.has_error
    for cmdlet in (
        "Get-SCVMHostGroup",
        "Get-SCCloudCapacity",
        "Get-SCLogicalNetworkDefinition",
        "Get-SCStaticIPAddressPool",
        "Get-SCVirtualNetworkAdapterPortProfileSet",
        "Get-SCCustomProperty",
    ):
        assert cmdlet in script


def test_a_one_item_list_sent_as_a_plain_string_stays_one_id() -> None:
    # PowerShell unrolls a one-item array returned by a function into the item itself
    doc = _load("inventory_small.json")
    doc["cloud"][0]["HostGroupIDs"] = "00000000-0000-0000-0000-0000000000a2"
    doc["cloud"][0]["PortClassificationIDs"] = None
    cloud = next(o for o in parse_inventory(doc) if o.kind == "cloud")
    assert cloud.attributes["host_groups"] == ["00000000-0000-0000-0000-0000000000a2"]
    assert cloud.attributes["port_classifications"] == []


def test_every_kind_has_a_read_template_in_the_read_script() -> None:
    from fabric_scvmm.inventory import PARSERS
    from fabric_scvmm.kinds import KINDS_DIR

    script = read_script()
    for kind in KINDS:
        assert (KINDS_DIR / kind / "read.ps1.j2").exists()
        assert kind in PARSERS
        assert f"    $out.{kind} = @(" in script
