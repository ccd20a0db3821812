"""The target VMM version (`provider: {type: scvmm, vmm_version: …}`): validation refuses what the
target cannot do at its line, templates render only what it has, and the plug-in's commands and
plan scripts take the version from the stamp."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fabric_scvmm.scripts import UnsupportedOnTarget, render
from fabric_scvmm.settings import ScvmmSettings, check_settings
from fabric_scvmm.versions import DEFAULT_VERSION, FEATURES, VERSIONS, features
from test_scripts import SC_CMDLET, _calls, _id, _parse

from fabric.errors import ProviderError

FIXTURES = Path(__file__).parent / "fixtures"
EMPTY = FIXTURES / "inventory_empty.json"
SWITCH = """logical_network:
  ln: {isolation: vlan}
host_group:
  Oslo: {}
network_site:
  a: {logical_network: logical_network.ln, host_groups: [host_group.Oslo], subnets: [{subnet: 10.0.0.0/24, vlan: 5}]}
port_classification:
  gold: {}
virtual_port_profile:
  gold:
    enable_vrss: true
logical_switch:
  fabric:
    uplink_mode: embedded_team
    virtual_ports: [{port_classification: port_classification.gold, profile: virtual_port_profile.gold}]
"""
VNIC = {
    "name": "Gold",
    "description": "",
    "enable_vmq": True,
    "enable_ipsec_offload": True,
    "enable_iov": False,
    "enable_vrss": False,
    "allow_mac_spoofing": False,
    "enable_dhcp_guard": False,
    "enable_router_guard": False,
    "allow_teaming": False,
    "allow_ieee_priority_tagging": False,
    "minimum_bandwidth_weight": 0,
    "minimum_bandwidth_absolute_mbps": 0,
    "maximum_bandwidth_mbps": 0,
}
SWITCH_ATTRS = {
    "name": "Fabric",
    "description": "",
    "uplink_mode": "embedded_team",
    "minimum_bandwidth_mode": "weight",
    "enable_sriov": False,
    "uplink_port_profiles": [],
    "virtual_ports": [],
}


def _stamp(tmp_path: Path, version: str | None, resources: str = SWITCH) -> Path:
    root = tmp_path / f"s{version}"
    root.mkdir()
    line = "" if version is None else f"  vmm_version: {version}\n"
    (root / "fabric.yaml").write_text(f"stamp: s\nprovider:\n  type: scvmm\n{line}  script_only: true\n")
    (root / "fabric-objects.yaml").write_text(resources)
    return root


def test_the_default_is_the_oldest_version_and_every_feature_is_newer() -> None:
    assert DEFAULT_VERSION == VERSIONS[0] == "2012r2"
    assert ScvmmSettings().vmm_version == "2012r2"
    assert not any(features("2012r2").values()) and all(features("2016").values())
    assert {f.name for f in FEATURES} == {"vrss", "embedded_team", "site_by_id"}


@pytest.mark.parametrize(("written", "version"), [(2016, "2016"), ("2012 R2", "2012r2"), ("2012R2", "2012r2")])
def test_versions_as_people_write_them(written: object, version: str) -> None:
    assert check_settings({"vmm_version": written}).vmm_version == version


def test_an_unknown_version_is_refused_at_its_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stamp = _stamp(tmp_path, "2008")
    result = cli("validate", stamp)
    assert result.code == 1
    assert re.search(r"fabric\.yaml:4:16: error: provider scvmm: vmm_version: Input should be '2012r2'", result.err)


def test_validate_refuses_what_2012r2_cannot_do_at_its_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for version in (None, "2012r2"):  # the default, and said
        result = cli("validate", _stamp(tmp_path, version))
        assert result.code == 1
        lines = [line for line in result.err.splitlines() if "error:" in line]
        assert len(lines) == 2, result.err
        assert re.search(r"fabric-objects\.yaml:11:18: error: enable_vrss \(-EnableVrss\) needs VMM 2016", lines[0])
        assert "(virtual_port_profile.gold)" in lines[0] and "targets VMM 2012 R2" in lines[0]
        assert re.search(r"fabric-objects\.yaml:14:18: error: uplink_mode embedded_team .* needs VMM 2016", lines[1])
    as_json = json.loads(cli("validate", _stamp(tmp_path, "'2012 R2'"), "--format", "json").out)
    assert [(p["line"], p["column"], p["address"]) for p in as_json["problems"]] == [
        (11, 18, "virtual_port_profile.gold"),
        (14, 18, "logical_switch.fabric"),
    ]


@pytest.mark.parametrize("version", ["2016", "2019", "2022", "2025"])
def test_newer_versions_take_both(cli, tmp_path: Path, version: str) -> None:  # type: ignore[no-untyped-def]
    result = cli("validate", _stamp(tmp_path, version))
    assert result.code == 0, result.err


def test_a_network_site_without_subnets_is_refused_for_vmm(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    resources = SWITCH.replace("subnets: [{subnet: 10.0.0.0/24, vlan: 5}]", "subnets: []")
    result = cli("validate", _stamp(tmp_path, "2016", resources))
    assert result.code == 1
    assert "fabric-objects.yaml:6:" in result.err and "a network site needs at least one subnet" in result.err
    assert "docs/scvmm-lab-checklist.md" in result.err


TWO_SITES = """logical_network:
  ln: {isolation: vlan}
host_group:
  Oslo: {}
  Bergen: {}
network_site:
  a: {logical_network: logical_network.ln, host_groups: [host_group.Oslo], subnets: [{subnet: 10.0.0.0/24, vlan: 5}]}
  b: {logical_network: logical_network.ln, host_groups: [host_group.Bergen], subnets: [{subnet: 10.0.0.0/24, vlan: 5}]}
vm_network:
  tenant:
    logical_network: logical_network.ln
    isolation: vlan
    subnets: [{name: t, subnet: 10.0.0.0/24, vlan: 5}]
"""


def test_a_vlan_vm_subnet_held_by_two_sites_must_name_one(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """D2: New-SCVMSubnet takes the one site of a VLAN VM subnet; the script finds it by its pair."""
    root = _stamp(tmp_path, "2016", TWO_SITES)
    result = cli("validate", root)
    assert result.code == 1
    assert re.search(
        r"fabric-objects\.yaml:13:15: error: subnet 10\.0\.0\.0/24 with VLAN 5 is held by "
        r"network_site\.a, network_site\.b: name the network_site",
        result.err,
    ), result.err
    named = "{name: t, subnet: 10.0.0.0/24, vlan: 5, network_site: network_site.b}"
    (root / "fabric-objects.yaml").write_text(TWO_SITES.replace("{name: t, subnet: 10.0.0.0/24, vlan: 5}", named))
    assert cli("validate", root).code == 0


def test_templates_send_vrss_only_where_the_target_has_it() -> None:
    for version in VERSIONS:
        for operation in ("create", "update"):
            script = render("virtual_port_profile", operation, VNIC, live_id=_id("v"), vmm_version=version)
            ((_, params),) = _calls(_parse(script), re.compile("(New|Set)-SCVirtualNetworkAdapterNativePortProfile"))
            assert ("-enablevrss" in params) == (version != "2012r2"), (version, operation)
    with pytest.raises(UnsupportedOnTarget, match="enable_vrss needs VMM 2016"):
        render("virtual_port_profile", "create", {**VNIC, "enable_vrss": True}, vmm_version="2012r2")
    assert "-EnableVrss $true" in render(
        "virtual_port_profile", "create", {**VNIC, "enable_vrss": True}, vmm_version="2016"
    )


def test_templates_refuse_embedded_teaming_before_2016() -> None:
    for operation in ("create", "update"):
        with pytest.raises(UnsupportedOnTarget, match="embedded_team needs VMM 2016"):
            render("logical_switch", operation, SWITCH_ATTRS, live_id=_id("s"), vmm_version="2012r2")
        script = render("logical_switch", operation, SWITCH_ATTRS, live_id=_id("s"), vmm_version="2016")
        assert "-SwitchUplinkMode 'EmbeddedTeam'" in script
    assert issubclass(UnsupportedOnTarget, ProviderError)  # reported as one line, like a refused change


def test_sites_are_found_by_id_only_where_the_set_exists() -> None:
    """V3: no Get-SCLogicalNetworkDefinition -ID in the 2012 R2 help: 2012 R2 scripts filter the list."""
    for version in VERSIONS:
        script = render("network_site", "delete", {}, live_id=_id("s"), vmm_version=version)
        ((_, params),) = [c for c in _calls(_parse(script), SC_CMDLET) if c[0] == "Get-SCLogicalNetworkDefinition"]
        assert "-returnalltypes" in params  # D4
        assert ("-id" in params) == (version != "2012r2"), version
        if version == "2012r2":
            assert "Where-Object { [string]$_.ID -eq '" in script


def test_emit_script_takes_the_version_from_the_stamp(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    scripts = {}
    for version in ("2012r2", "2016"):
        resources = SWITCH if version == "2016" else SWITCH.replace("enable_vrss: true", "enable_vrss: false")
        resources = resources.replace("embedded_team", "team")
        out = tmp_path / f"{version}.ps1"
        result = cli("apply", _stamp(tmp_path, version, resources), "--emit-script", out, "--inventory", EMPTY)
        assert result.code == 0, result.err
        scripts[version] = out.read_text()
    assert "-EnableVrss" not in scripts["2012r2"] and "-EnableVrss $true" in scripts["2016"]
    assert "# Written for VMM 2012 R2 (provider vmm_version: 2012r2)." in scripts["2012r2"]
    assert "# Written for VMM 2016 (provider vmm_version: 2016)." in scripts["2016"]


def test_a_saved_plan_keeps_its_version(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stamp = _stamp(tmp_path, "2016", SWITCH.replace("embedded_team", "team"))
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", stamp, "--out", planfile, "--inventory", EMPTY).code == 0
    result = cli("script", planfile)
    assert result.code == 0, result.err
    assert "-EnableVrss $true" in result.out and "(provider vmm_version: 2016)" in result.out


def test_script_only_without_an_inventory_says_what_to_do(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("plan", _stamp(tmp_path, "2016"))
    assert result.code == 1
    assert "no connection to VMM (script_only)" in result.err and "--inventory FILE" in result.err


def test_export_inventory_script_takes_the_stamp_or_the_option(cli, tmp_path: Path, lab: Path) -> None:  # type: ignore[no-untyped-def]
    stamp = _stamp(tmp_path, "2016")
    assert "# For VMM 2016 (provider vmm_version 2016)." in cli("scvmm", "export-inventory-script", stamp).out
    assert "# For VMM 2012 R2" in cli("scvmm", "export-inventory-script").out  # no stamp: the default
    out = cli("scvmm", "export-inventory-script", stamp, "--vmm-version", "2019", "--vmm-server", "vmm01").out
    assert "# For VMM 2019" in out and "Get-SCVMMServer -ComputerName 'vmm01'" in out
    refused = cli("scvmm", "export-inventory-script", lab)
    assert refused.code == 1 and "the stamp's provider is lab, not scvmm" in refused.err
    bad = cli("scvmm", "export-inventory-script", "--vmm-version", "2008")
    assert bad.code == 1 and "vmm_version" in bad.err
