"""VM network rules beyond the bad-input corpus: what is allowed, and site VLANs per site."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from conftest import Cli

from fabric.providers.lab.provider import LabProvider

SITES = """host_group:
  A: {}
  B: {}
logical_network:
  tenant: {isolation: vlan}
network_site:
  a: {logical_network: logical_network.tenant, host_groups: [host_group.A], subnets: [{subnet: 10.0.0.0/24, vlan: 10}]}
  b: {logical_network: logical_network.tenant, host_groups: [host_group.B], subnets: [{subnet: 10.0.0.0/24, vlan: 10}]}
vm_network:
"""


def _validate(cli: Cli, tmp_path: Path, text: str) -> str:
    stamp = tmp_path / "vmn"
    stamp.mkdir(exist_ok=True)
    (stamp / "fabric.yaml").write_text("stamp: vmn\n", encoding="utf-8")
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    result = cli("validate", stamp)
    return "" if result.code == 0 else result.err


def _vmn(key: str, site: str | None) -> str:
    named = f", network_site: network_site.{site}" if site else ""
    subnet = f"{{name: s, subnet: 10.0.0.0/24, vlan: 10{named}}}"
    body = f"logical_network: logical_network.tenant, isolation: vlan, subnets: [{subnet}]"
    return f"  {key}: {{{body}}}\n"


def test_the_same_pair_on_two_unrelated_sites_carries_one_vm_network_each(cli: Cli, tmp_path: Path) -> None:
    assert _validate(cli, tmp_path, SITES + _vmn("va", "a") + _vmn("vb", "b")) == ""


def test_one_site_vlan_carries_one_vm_network_named_or_not(cli: Cli, tmp_path: Path) -> None:
    one_site = SITES.replace("  b: {", "  # b: {")
    err = _validate(cli, tmp_path, one_site + _vmn("va", "a") + _vmn("vb", None))
    assert "vm_network.va is already the VLAN VM network for subnet 10.0.0.0/24 VLAN 10 of network_site.a" in err


def test_a_vlan_vm_network_needs_a_vlan_based_logical_network(cli: Cli, tmp_path: Path) -> None:
    err = _validate(cli, tmp_path, SITES.replace("isolation: vlan}", "isolation: connected}") + _vmn("va", "a"))
    assert "a vlan VM network needs a VLAN-based logical network (connected)" in err


def test_a_lab_holding_two_claims_from_before_the_rule_still_opens(tmp_path: Path) -> None:
    vmm = LabProvider(tmp_path / "lab.db")
    ln = vmm.create("ln", "logical_network", {"name": "L", "description": "", "isolation": "connected"}).id
    for name in ("One", "Two"):  # what an earlier version let through
        attrs = {"name": name, "description": "", "logical_network": ln, "isolation": "no_isolation", "subnets": []}
        with sqlite3.connect(tmp_path / "lab.db") as db:
            db.execute(
                "INSERT INTO objects VALUES (?, 'vm_network', ?, ?, ?)",
                (f"id-{name}", name, ln, json.dumps(attrs)),
            )
    vmm.close()
    with sqlite3.connect(tmp_path / "lab.db") as db:
        db.execute("DROP TABLE slots")
    vmm = LabProvider(tmp_path / "lab.db")  # indexes again without failing on the duplicate
    assert len(vmm.read_inventory().objects) == 3
    vmm.delete("vmn", "id-One", "vm_network")
    vmm.close()


TENANTS = """logical_network:
  provider-address: {network_virtualization: true}
vm_network:
  tenant-a:
    name: Default
    logical_network: logical_network.provider-address
    isolation: hnv
    subnets: [{name: web, subnet: 192.168.0.0/24}]
  tenant-b:
    name: default
    logical_network: logical_network.provider-address
    isolation: hnv
    subnets: [{name: web, subnet: 192.168.0.0/24}]
"""


def test_every_tenant_has_its_own_default_hnv_vm_network(cli: Cli, tmp_path: Path) -> None:
    assert _validate(cli, tmp_path, TENANTS) == ""
    stamp = tmp_path / "vmn"
    assert cli("apply", stamp, "--auto-approve").code == 0
    vmm = LabProvider(stamp / ".fabric" / "lab.db")
    assert sorted(o.name for o in vmm.read_inventory() if o.kind == "vm_network") == ["Default", "default"]
    vmm.close()
    assert cli("plan", stamp, "--detailed-exitcode").code == 0


def test_other_vm_networks_keep_their_names_unique(cli: Cli, tmp_path: Path) -> None:
    two_vlans = SITES.replace("vlan: 10}]}\n  b:", "vlan: 10}, {subnet: 10.0.1.0/24, vlan: 11}]}\n  b:")
    second = (
        _vmn("vb", "a")
        .replace("10.0.0.0/24, vlan: 10", "10.0.1.0/24, vlan: 11")
        .replace("{logical", "{name: va, logical")
    )
    err = _validate(cli, tmp_path, two_vlans + _vmn("va", "a") + second)
    assert "name 'va' is already used by vm_network.va in logical_network.tenant" in err


def test_the_console_cannot_take_a_pools_subnet_from_its_site(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    result = cli("lab", "set", lab, "network_site.management", "subnets=[]")
    assert result.code == 1
    assert result.err.splitlines() == [
        "error: VMM refused network_site 'Management Lab': subnet 192.168.50.0/24 is still used by ip_pool "
        "'Management pool'"
    ]
    assert cli("plan", lab, "--detailed-exitcode").code == 0  # nothing changed


def test_a_vlan_vm_network_naming_no_site_goes_before_the_site_holding_its_pair(cli: Cli, tmp_path: Path) -> None:
    one_site = SITES.replace("  b: {", "  # b: {")
    assert _validate(cli, tmp_path, one_site + _vmn("va", None)) == ""
    stamp = tmp_path / "vmn"
    assert cli("apply", stamp, "--auto-approve").code == 0
    # VMM refuses to delete the site while the VM network uses its subnet/VLAN: destroy orders them
    result = cli("destroy", stamp, "--auto-approve")
    assert result.code == 0, result.out + result.err
