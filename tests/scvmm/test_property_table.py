"""`fabric_scvmm.properties`: every VMM property a script reads is in one table, with its source or
marked unverified, and unverified ones are read so that a wrong name is an error naming it."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest
import tree_sitter
from fabric_scvmm.inventory import PARSERS, parse_inventory
from fabric_scvmm.properties import CHECKLIST, PROPERTIES, SCRIPT_MEMBERS, lookup, unverified
from fabric_scvmm.provider import read_script
from fabric_scvmm.scripts import OPERATIONS, UnquotedValue, environment, render, render_named, target
from fabric_scvmm.selftest import selftest_script
from fabric_scvmm.versions import VERSIONS
from test_audit_fixes import CASES
from test_scripts import _id, _nodes, _parse

from fabric.errors import ProviderError

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
# the four names no reference page or public script confirms (audit D11-D14)
UNVERIFIED = {
    ("mac_pool", "MACAddressPool", "HostGroup"),
    ("cloud", "Cloud", "DisasterRecoverySupported"),
    ("vm_network", "VMSubnet", "LogicalNetworkDefinition"),
    ("logical_switch", "VirtualNetworkAdapterPortProfileSet", "IsDefaultPortProfileSet"),
}


def _read_members(tree: tree_sitter.Tree) -> set[str]:
    """Every property name the script reads (`$x.Name`, `(…).Name`), not those it assigns."""
    out = set()
    for node in _nodes(tree.root_node):
        if node.type != "member_access":
            continue
        parent, assigned = node.parent, False
        while parent is not None and not assigned:
            assigned = parent.type == "left_assignment_expression"
            parent = parent.parent
        member = next((c for c in node.children if c.type == "member_name"), None)
        if not assigned and member is not None and member.children and member.children[0].type == "simple_name":
            out.add(member.text.decode() if member.text else "")
    return out


def _all_scripts() -> list[str]:
    scripts = [read_script("vmm01", v) for v in VERSIONS]
    for version in VERSIONS:
        for address, kind, attrs in CASES:
            for operation in OPERATIONS:
                scripts.append(render(kind, operation, attrs, _id(address), address, None, version))
    return scripts


def test_every_property_a_script_reads_is_in_the_table() -> None:
    names = {p.name for p in PROPERTIES}
    read: set[str] = set()
    for script in _all_scripts():
        read |= _read_members(_parse(script))
    assert len(read) > 60
    assert read - names - SCRIPT_MEMBERS == set(), "add these to fabric_scvmm.properties (with their source)"
    assert SCRIPT_MEMBERS & names == set()  # a VMM property is never excused as the script's own
    assert not (SCRIPT_MEMBERS - read), "SCRIPT_MEMBERS lists names no script reads any more"


# what a kind's scripts may read besides its own rows: every script's result line reads `$obj.Address`
# (a grant's address, $null for the rest), and the cloud's read and updates ask which custom properties
# apply to clouds
_BORROWED = {"cloud": {"custom_property"}}
_RESULT_LINE = {"Address"}


def _kind_scripts(kind: str) -> list[str]:
    scripts = [render_named("read_inventory.ps1.j2", kinds=[kind], **target(v, "vmm01")) for v in VERSIONS]
    for version in VERSIONS:
        for address, case_kind, attrs in CASES:
            if case_kind == kind:
                for operation in OPERATIONS:
                    scripts.append(render(kind, operation, attrs, _id(address), address, None, version))
    return scripts


def _unlisted_for_kind(kind: str, scripts: list[str]) -> set[str]:
    kinds = {kind, *_BORROWED.get(kind, ())}
    names = {p.name for p in PROPERTIES if p.kind in kinds}
    read: set[str] = set()
    for script in scripts:
        read |= _read_members(_parse(script))
    return read - names - SCRIPT_MEMBERS - _RESULT_LINE


@pytest.mark.parametrize("kind", list(PARSERS))
def test_each_kind_reads_only_properties_listed_for_that_kind(kind: str) -> None:
    # a name listed for another kind is no source for this one: `$cloud.HostGroups` (a site's property
    # name) would read as nothing, and the cloud's host groups as [] for ever
    assert _unlisted_for_kind(kind, _kind_scripts(kind)) == set()


def test_the_per_kind_check_sees_another_kinds_property_name() -> None:
    script = "$out.cloud = @(Get-SCCloud -ErrorAction Stop | ForEach-Object { @($_.HostGroups); $_.HostGroup })"
    assert _unlisted_for_kind("cloud", [script]) == {"HostGroups"}
    assert "HostGroups" in {p.name for p in PROPERTIES}  # the name-only check would have let it through


def test_the_check_sees_a_property_missing_from_the_table() -> None:
    tree = _parse("$out.x = @(Get-SCCloud -ErrorAction Stop | ForEach-Object { $_.NoSuchProperty; $_.HostGroup })")
    assert _read_members(tree) - {p.name for p in PROPERTIES} == {"NoSuchProperty"}


def test_each_row_names_its_source_or_is_one_of_the_four_unverified() -> None:
    assert {(p.kind, p.vmm_type, p.name) for p in unverified()} == UNVERIFIED
    for p in PROPERTIES:
        assert p.source is None or re.match(r"(X|A|P|W|every VMM object|audit)\b", p.source), p
    assert len({(p.kind, p.vmm_type, p.name) for p in PROPERTIES}) == len(PROPERTIES)


def test_unverified_properties_are_read_through_need() -> None:
    script = read_script()
    for p in unverified():
        assert f"(Need $_ '{p.name}' " in script or f"(Need $cloud '{p.name}' " in script, p.name
        assert p.missing() in script.replace("''", "'")
    need = "function Need($object, [string]$name, [string]$message) { if ($null -eq $object.PSObject.Properties[$name])"
    assert need in script
    for p in unverified():  # in the part of the read script for its kind, only through Need
        part = script.split(f"$out.{p.kind} = ", 1)[1].split("$out.", 1)[0]
        assert not re.search(rf"\.{p.name}\b", part), f"{p.name} is read without Need"


def test_an_update_relying_on_an_unverified_property_checks_it_first() -> None:
    attrs = next(a for _, kind, a in CASES if kind == "mac_pool")
    script = render("mac_pool", "update", attrs, _id("m"))
    check = "if ($null -eq $obj.PSObject.Properties['HostGroup']) { throw 'the VMM server''s MACAddressPool objects"
    assert check in script and script.index(check) < script.index("$current = @($obj.HostGroup)")


def test_a_template_naming_a_property_not_in_the_table_fails_to_render() -> None:
    template = environment().from_string(
        '{% import "_macros.ps1.j2" as m with context %}{{ m.need(psvar("obj"), "cloud", "Cloud", "Nope") }}'
    )
    with pytest.raises(UnquotedValue, match=r"Cloud\.Nope \(cloud\) is not in fabric_scvmm.properties"):
        template.render(features={})


def test_the_message_names_the_property_and_the_checklist() -> None:
    message = lookup("mac_pool", "MACAddressPool", "HostGroup").missing()
    assert message == (
        "the VMM server's MACAddressPool objects have no property HostGroup; fabric needs it "
        f"(unverified, see {CHECKLIST})"
    )
    assert (ROOT / CHECKLIST).exists()


@pytest.mark.parametrize(
    ("kind", "field", "property_name"),
    [
        ("cloud", "DisasterRecoverySupported", "DisasterRecoverySupported"),
        ("logical_switch", "VirtualPorts[].IsDefaultPortProfileSet", "IsDefaultPortProfileSet"),
        ("mac_pool", "HostGroupIDs", "HostGroup"),
        ("vm_network", "Subnets[].LogicalNetworkDefinitionID", "LogicalNetworkDefinition"),
    ],
)
def test_a_document_without_an_unverified_field_is_refused_naming_it(kind: str, field: str, property_name: str) -> None:
    doc = json.loads((FIXTURES / "inventory_small.json").read_text())
    doc["mac_pool"] = [
        {
            "ID": _id("m"),
            "Name": "p",
            "Description": "",
            "MACAddressRangeStart": "00-1D-D8-B7-1C-00",
            "MACAddressRangeEnd": "00-1D-D8-B7-1F-FF",
            "HostGroupIDs": [],
        }
    ]
    doc["vm_network"][0]["Subnets"] = [
        {"Name": "s", "Subnet": "10.0.0.0/24", "VLanID": 0, "LogicalNetworkDefinitionID": ""}
    ]
    parsed = {o.kind: o for o in parse_inventory(doc)}
    assert parsed["mac_pool"].attributes["range_start"] == "00:1D:D8:B7:1C:00"  # D15: dashes read as colons
    broken = copy.deepcopy(doc)
    container, _, leaf = field.rpartition("[].")
    item = broken[kind][0]
    target = item[container][0] if container else item
    del target[leaf]
    with pytest.raises(ProviderError, match=rf"objects have no property {property_name}; fabric needs it"):
        parse_inventory(broken)


def test_the_selftest_checks_each_unverified_property() -> None:
    script = selftest_script()
    for p in unverified():
        assert f"PSObject.Properties['{p.name}']" in script, p.name
