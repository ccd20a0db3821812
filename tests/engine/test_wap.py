"""A multi-tenant (Windows Azure Pack style) fabric, stamps/wap: changes a reviewer approves must do
exactly what the plan says, replace only what VMM forces, and converge in one apply."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cli, copy_stamp


@pytest.fixture
def wap(tmp_path: Path, cli: Cli) -> Path:
    stamp = copy_stamp("wap", tmp_path)
    result = cli("apply", stamp, "--auto-approve", "--parallelism", "8")
    assert result.code == 0, result.out + result.err
    return stamp


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _plan(cli: Cli, stamp: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    result = cli("plan", stamp, "--format", "json")
    assert result.code == 0, result.err
    return {c["address"]: c for c in json.loads(result.out)["changes"] if c["action"] != "no-op"}


def _ids(cli: Cli, stamp: Path) -> dict[str, str]:
    state = json.loads(cli("show", stamp, "--format", "json").out)
    return {r["address"]: r["live_id"] for r in state["resources"]}


def _converges(cli: Cli, stamp: Path) -> str:
    result = cli("apply", stamp, "--auto-approve", "--parallelism", "8")
    assert result.code == 0, result.out + result.err
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
    assert cli("drift", stamp, "--detailed-exitcode").code == 0
    return result.out


TENANT_SUBNETS = """    subnets:
      - name: web
        subnet: 192.168.0.0/24
      - name: db
        subnet: 192.168.1.0/24
"""


def test_vm_subnets_are_added_in_place_and_their_order_never_matters(cli: Cli, wap: Path) -> None:
    networks = wap / "networks.yaml"
    before = _ids(cli, wap)
    _edit(networks, TENANT_SUBNETS, TENANT_SUBNETS + "      - name: app\n        subnet: 192.168.2.0/24\n")
    changes = _plan(cli, wap)
    for tenant in ("contoso", "fabrikam", "northwind"):
        change = changes.pop(f"vm_network.{tenant}")
        assert (change["action"], change["changed_paths"]) == ("update", ['subnets["app"]'])
    assert changes == {}, "nothing else changes: no pool, no grant, no replace"
    text = cli("plan", wap).out
    assert "~ vm_network.contoso will be updated in place" in text and "must be replaced" not in text
    _converges(cli, wap)
    assert _ids(cli, wap) == before  # every object kept its ID
    reordered = TENANT_SUBNETS.replace(
        "      - name: web\n        subnet: 192.168.0.0/24\n      - name: db\n        subnet: 192.168.1.0/24\n",
        "      - name: db\n        subnet: 192.168.1.0/24\n      - name: web\n        subnet: 192.168.0.0/24\n",
    )
    _edit(networks, TENANT_SUBNETS, reordered)
    assert cli("plan", wap, "--detailed-exitcode").code == 0


def test_a_vm_subnet_whose_cidr_changes_replaces_only_its_pool(cli: Cli, wap: Path) -> None:
    networks = wap / "networks.yaml"
    text = networks.read_text()
    networks.write_text(text.replace("192.168.0.", "192.168.10."))  # the web subnet and its pools
    changes = _plan(cli, wap)
    for tenant in ("contoso", "fabrikam", "northwind"):
        vm_network = changes.pop(f"vm_network.{tenant}")
        assert vm_network["action"] == "update" and vm_network["changed_paths"] == ['subnets["web"].subnet']
        pool = changes.pop(f"ip_pool.ca-{tenant}-web")
        assert pool["action"] == "replace"
    assert changes == {}
    _converges(cli, wap)


def test_replacing_a_logical_network_updates_its_members_and_leaves_the_switch_alone(cli: Cli, wap: Path) -> None:
    before = _ids(cli, wap)
    _edit(wap / "networks.yaml", "  edge:\n    name: Edge\n", "  edge:\n    name: Edge\n    isolation: vlan\n")
    changes = _plan(cli, wap)
    assert {a: c["action"] for a, c in changes.items()} == {
        "logical_network.edge": "replace",
        "network_site.edge": "replace",
        "ip_pool.edge": "replace",
        "uplink_port_profile.edge": "update",
    }
    assert changes["network_site.edge"]["reason"] == (
        "replaced because logical_network.edge is replaced and network_site.logical_network cannot change"
    )
    assert changes["ip_pool.edge"]["reason"] == (
        "replaced because network_site.edge is replaced and ip_pool.network_site cannot change"
    )
    text = cli("plan", wap).out
    assert (
        "~ uplink_port_profile.edge will be updated in place  # leaves network_site.edge before it is replaced" in text
    )
    out = _converges(cli, wap)
    assert "uplink_port_profile.edge: detach ok" in out
    after = _ids(cli, wap)
    for kept in ("uplink_port_profile.edge", "logical_switch.hosting", "uplink_port_profile.compute"):
        assert after[kept] == before[kept], kept
    assert after["network_site.edge"] != before["network_site.edge"]


def test_moving_a_subnet_with_its_pool_and_grants_converges(cli: Cli, wap: Path) -> None:
    networks = wap / "networks.yaml"
    site = '    host_groups: ["host_group.{{ var.location }}"]\n    subnets:\n      - subnet: 10.100.0.0/24\n'
    moved = (
        '    host_groups: ["host_group.{{ var.location }}"]\n    subnets:\n      - subnet: 10.101.0.0/24\n'
        "        vlan: 101\n"
        "  management-new:\n"
        '    name: "Management {{ var.location }} (new)"\n'
        "    logical_network: logical_network.management\n" + site
    )
    _edit(networks, site + "        vlan: 100\n", moved + "        vlan: 100\n")
    _edit(networks, "    network_site: network_site.management\n", "    network_site: network_site.management-new\n")
    changes = _plan(cli, wap)
    assert changes["ip_pool.management"]["action"] == "replace"
    assert changes["network_site.management"]["action"] == "update"
    assert changes["network_site.management-new"]["action"] == "create"
    for grant in ("vmm01", "spf01", "wap01"):  # a grant cannot move: re-granted from the new pool
        assert changes[f"ip_grant.{grant}"]["action"] == "replace"
    out = _converges(cli, wap)
    order = [line.split(":")[0] for line in out.splitlines() if line.endswith(")") and " ok (" in line]
    assert order.index("ip_pool.management") < order.index("network_site.management")  # the pool's delete first
    live = json.loads(cli("lab", "show", wap, "--format", "json").out)["objects"]
    vmm01 = next(o for o in live if o["kind"] == "ip_grant" and o["attributes"]["vm"] == "VMM01")
    assert vmm01["attributes"]["address"] == "10.100.0.10"  # the declared address, on the new pool


def test_tenants_activity_does_not_make_drift_noise_in_state(cli: Cli, wap: Path) -> None:
    """What fabric created is recognised as its own: nothing in this stamp is reported unmanaged."""
    report = json.loads(cli("drift", wap, "--format", "json").out)
    assert report["has_drift"] is False
    assert report["summary"]["unmanaged"] == 0
