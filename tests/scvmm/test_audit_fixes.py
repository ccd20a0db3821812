"""The findings of the SCVMM audit (../shared/docs/scvmm-audit.md, W1–W3, V1–V4, D1–D16), each
checked on the scripts the templates render for every target version."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import tree_sitter
from fabric_scvmm.provider import read_script
from fabric_scvmm.scripts import OPERATIONS, UnsupportedOnTarget, render
from fabric_scvmm.versions import VERSIONS
from test_scripts import ALL_CASES, GRANT, MAC_POOL, _calls, _id, _nodes, _parse

SITE = _id("site")
LN = _id("ln")
VLAN_NET = {
    "name": "Tenant",
    "description": "",
    "logical_network": LN,
    "isolation": "vlan",
    "subnets": [{"name": "t", "subnet": "10.0.5.0/24", "vlan": 5, "network_site": None}],
}
HNV_NET = {
    **VLAN_NET,
    "isolation": "hnv",
    "subnets": [
        {"name": "web", "subnet": "192.168.0.0/24", "vlan": 0, "network_site": None},
        {"name": "db", "subnet": "192.168.1.0/24", "vlan": 0, "network_site": None},
    ],
}
VM_NETWORKS = [
    ("vm_network.vlan", "vm_network", VLAN_NET),
    (
        "vm_network.vlan-named",
        "vm_network",
        {**VLAN_NET, "subnets": [{**VLAN_NET["subnets"][0], "network_site": SITE}]},
    ),
    ("vm_network.hnv", "vm_network", HNV_NET),
    ("vm_network.bare", "vm_network", {**VLAN_NET, "isolation": "no_isolation", "subnets": []}),
]
POOL = next(attrs for address, kind, attrs in ALL_CASES if kind == "ip_pool")
CASES = [*ALL_CASES, *VM_NETWORKS, ("ip_pool.bare", "ip_pool", {**POOL, "reserved": [], "vips": [], "gateways": []})]


def _scripts() -> Iterator[tuple[str, str, str, str]]:
    """(version, address, operation, script) for every case, operation and version, and the read script."""
    for version in VERSIONS:
        yield version, "", "read", read_script("vmm01", version)
        for address, kind, attrs in CASES:
            for operation in OPERATIONS:
                yield version, address, operation, render(kind, operation, attrs, _id(address), address, None, version)


SCRIPTS = [(v, a, o, s, _parse(s)) for v, a, o, s in _scripts()]


def _all_calls(pattern: str) -> Iterator[tuple[str, str, str, dict[str, str]]]:
    for version, address, operation, _script, tree in SCRIPTS:
        for name, params in _calls(tree, re.compile(pattern)):
            yield version, f"{address} {operation}", name, params


def test_the_sweep_parses_and_reaches_every_kind_and_version() -> None:
    assert all(not tree.root_node.has_error for *_, tree in SCRIPTS)
    assert len(SCRIPTS) == len(VERSIONS) * (1 + len(CASES) * len(OPERATIONS))


def test_w1_mac_pools_are_found_by_filtering_never_by_id() -> None:
    calls = list(_all_calls("Get-SCMACAddressPool"))
    assert calls and all("-id" not in params for *_, params in calls)
    for operation in ("update", "delete"):
        script = render("mac_pool", operation, MAC_POOL, _id("m"))
        assert f"Get-SCMACAddressPool -ErrorAction Stop | Where-Object {{ [string]$_.ID -eq '{_id('m')}' }}" in script
        assert "if ($obj.Count -ne 1) { throw ('no single ' + 'mac_pool' + ' with ID '" in script


def test_w2_members_are_added_and_removed_in_separate_calls() -> None:
    attrs = {"name": "p", "description": "", "members": ["vm_host_group"]}
    calls = _calls(_parse(render("custom_property", "update", attrs, _id("p"))), re.compile("Set-SCCustomProperty"))
    assert [sorted(p) for _, p in calls] == [
        ["-customproperty", "-description", "-erroraction", "-name"],
        ["-addmember", "-customproperty", "-erroraction"],
        ["-customproperty", "-erroraction", "-removemember"],
    ]
    for *_, params in _all_calls("Set-SCCustomProperty"):
        assert not {"-addmember", "-removemember"} <= set(params)


def test_w3_every_vm_subnet_is_created_with_its_subnet_vlan() -> None:
    calls = list(_all_calls("New-SCVMSubnet"))
    assert len(calls) >= 2 * len(VERSIONS) * 3
    assert all("-subnetvlan" in params for *_, params in calls)
    missing = {
        **VLAN_NET,
        "isolation": "hnv",
        "subnets": [{"name": "x", "subnet": None, "vlan": 0, "network_site": None}],
    }
    with pytest.raises(UnsupportedOnTarget, match="needs -SubnetVLan"):
        render("vm_network", "create", missing)


def test_d2_vlan_vm_subnets_always_name_the_site_holding_their_pair() -> None:
    # by isolation, not by address: the reference stamp's VLAN VM networks are vm_network.tenants-*
    vlan = {address for address, kind, attrs in CASES if kind == "vm_network" and attrs["isolation"] == "vlan"}
    assert {"vm_network.vlan", "vm_network.vlan-named", "vm_network.tenants-oslo"} <= vlan
    for version, where, _name, params in _all_calls("New-SCVMSubnet"):
        assert ("-logicalnetworkdefinition" in params) == (where.split()[0] in vlan), (version, where)
    script = render("vm_network", "create", VLAN_NET, vmm_version="2016")
    assert (
        "$site1 = @(Get-SCLogicalNetworkDefinition -LogicalNetwork $logicalNetwork -ReturnAllTypes -ErrorAction Stop"
        " | Where-Object { @($_.SubnetVLans | Where-Object { [string]$_.Subnet -eq '10.0.5.0/24' -and"
        " [int]$_.VLanID -eq 5 }).Count -gt 0 })" in script
    )
    assert "if ($site1.Count -ne 1) { throw ('expected one network site holding subnet '" in script
    named = render("vm_network", "create", VM_NETWORKS[1][2], vmm_version="2016")
    assert f"$site1 = @(Get-SCLogicalNetworkDefinition -ID '{SITE}' -ReturnAllTypes -ErrorAction Stop)" in named


def test_d3_no_vm_subnets_on_a_no_isolation_vm_network() -> None:
    attrs = {**VLAN_NET, "isolation": "no_isolation"}
    with pytest.raises(UnsupportedOnTarget, match="no_isolation"):
        render("vm_network", "create", attrs)


def _assigned_from(tree: tree_sitter.Tree, pattern: re.Pattern[str]) -> list[str]:
    """Cmdlets matching `pattern` whose output is assigned to a variable."""
    out = []
    for node in _nodes(tree.root_node):
        if node.type == "assignment_expression":
            value = node.children[-1]
            first = next((n for n in _nodes(value) if n.type == "command_name"), None)
            name = first.text.decode() if first is not None and first.text else ""
            if name and pattern.fullmatch(name) and value.text and value.text.decode().startswith(name):
                out.append(name)
    return out


def test_d1_no_script_takes_what_a_set_cmdlet_returns() -> None:
    setters = re.compile(r"(Set|Move)-SC[A-Za-z]+")
    for version, address, operation, script, tree in SCRIPTS:
        assert _assigned_from(tree, setters) == [], (version, address, operation)
        assert not re.search(r"=\s*(Set|Move)-SC", script), (address, operation)
        for line in script.splitlines():
            if re.search(r"\b(Set|Move)-SC\w+ ", line) and "Set-SCCustomPropertyValue" not in line:
                assert "| Out-Null" in line, line


def test_d1_vm_subnets_are_listed_only_behind_a_null_check() -> None:
    guard = (
        "if ($null -eq $%s) { throw 'no VM network to list the VM subnets of' } else { Get-SCVMSubnet -VMNetwork $%s"
    )
    for version, address, operation, script, tree in SCRIPTS:
        for _name, params in _calls(tree, re.compile("Get-SCVMSubnet")):
            variable = params["-vmnetwork"].lstrip("$")
            assert guard % (variable, variable) in script, (version, address, operation)


def test_d4_sites_are_read_and_looked_up_with_return_all_types() -> None:
    calls = list(_all_calls("Get-SCLogicalNetworkDefinition"))
    assert calls and all("-returnalltypes" in params for *_, params in calls)
    assert "$out.network_site = @(Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop" in read_script()


def test_v3_no_site_is_fetched_by_id_on_2012r2() -> None:
    for version, where, _name, params in _all_calls("Get-SCLogicalNetworkDefinition"):
        if version == "2012r2":
            assert "-id" not in params, where


def test_d6_no_empty_reserved_or_vip_set_is_sent() -> None:
    for _version, address, operation, script, _tree in SCRIPTS:
        assert not re.search(r"(IPAddressReservedSet|VIPAddressSet)\s*=\s*''", script), (address, operation)
        assert not re.search(r"-(IPAddressReservedSet|VIPAddressSet) ''", script), (address, operation)
    bare = render("ip_pool", "update", CASES[-1][2], _id("p"))
    assert "IPAddressReservedSet =" not in bare and "$params.IPAddressReservedSet" not in bare
    assert "fabric does not send an empty set" in bare  # a set VMM holds stops the update instead


def test_d7_cloud_updates_look_each_id_up_with_its_own_kind() -> None:
    cloud = next(attrs for address, kind, attrs in ALL_CASES if kind == "cloud")
    script = render("cloud", "update", cloud, _id("c"))
    assert "$current = @($obj.LogicalNetworks)" in script and "$current = @($obj.PortClassifications)" in script
    assert "@(foreach ($lookupId in @($networkAdd)) { $found = @(Get-SCLogicalNetwork -ID $lookupId" in script
    assert "@(foreach ($lookupId in @($classAdd)) { $found = @(Get-SCPortClassification -ID $lookupId" in script
    for line in script.splitlines():
        assert not ("Get-SCLogicalNetwork -ID" in line and "Get-SCPortClassification -ID" in line), line


def test_d8_revoking_tolerates_an_adapter_that_is_gone() -> None:
    script = render("ip_grant", "delete", {}, _id("g"))
    assert (
        "try { $nic = Get-SCVirtualNetworkAdapter -ID $obj.AssignedToID -ErrorAction Stop } catch { $nic = $null }"
        in script
    )
    assert script.index("catch { $nic = $null }") < script.index("Revoke-SCIPAddress")


def test_d10_the_adapter_is_chosen_by_its_slot() -> None:
    for operation in ("create", "update"):
        script = render("ip_grant", operation, {**GRANT, "adapter": 2}, _id("g"))
        assert "Where-Object { [int]$_.SlotId -eq 2 }" in script and "Select-Object -Index" not in script
    assert "AdapterSlot = [int]$at.Adapter.SlotId" in read_script()


def test_d15_mac_addresses_are_written_with_dashes() -> None:
    for operation in ("create", "update"):
        script = render("mac_pool", operation, MAC_POOL, _id("m"))
        assert "'00-1D-D8-B7-1C-00'" in script and "'00-1D-D8-B7-1F-FF'" in script
        assert "00:1D" not in script


def test_d16_every_remove_passes_confirm_false() -> None:
    calls = list(_all_calls(r"Remove-SC[A-Za-z]+"))
    assert len({name for *_, name, _ in calls}) >= 15
    for version, where, name, params in calls:
        assert params.get("-confirm") == "$false", (version, where, name, params)


def test_every_set_cmdlet_is_given_the_object_fetched_by_id() -> None:
    """`one` throws unless exactly one object has the ID: no cmdlet is ever handed $null."""
    for version, address, operation, script, _tree in SCRIPTS:
        if operation in ("update", "delete") and address:
            assert "if ($obj.Count -ne 1) { throw ('no single '" in script, (version, address, operation)
