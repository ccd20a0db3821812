"""ip_grant: a static IP from a pool for a VM's network adapter (Grant-SCIPAddress)."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli
from one_apply import apply_then_change

GRANTS = """
ip_grant:
  web01-nic0:
    ip_pool: ip_pool.management
    vm: web01
  db01-nic0:
    ip_pool: ip_pool.management
    vm: db01
    address: "{{ var.subnet_prefix }}.50"
"""


def _grants(cli: Cli, stamp: Path) -> dict[str, str]:
    live = json.loads(cli("lab", "show", stamp, "--format", "json").out)["objects"]
    return {o["attributes"]["vm"]: o["attributes"]["address"] for o in live if o["kind"] == "ip_grant"}


def test_grants_allocate_and_converge(cli: Cli, lab: Path) -> None:
    (lab / "grants.yaml").write_text(GRANTS)
    assert cli("apply", lab, "--auto-approve").code == 0
    assert _grants(cli, lab) == {"web01": "192.168.50.10", "db01": "192.168.50.50"}
    assert cli("plan", lab, "--detailed-exitcode").code == 0  # the chosen address is not a diff
    assert cli("drift", lab, "--detailed-exitcode").code == 0
    state = json.loads(cli("show", lab, "--format", "json").out)
    web = next(r for r in state["resources"] if r["address"] == "ip_grant.web01-nic0")
    assert web["attributes"]["address"] == "192.168.50.10"


def test_a_pool_with_grants_is_removed_after_its_grants(cli: Cli, lab: Path) -> None:
    (lab / "grants.yaml").write_text(GRANTS)
    assert cli("apply", lab, "--auto-approve").code == 0
    (lab / "grants.yaml").unlink()
    doc = lab / "lab.yaml"
    text = doc.read_text()
    start = text.index("ip_pool:")
    doc.write_text(text[:start] + text[text.index("port_classification:") :])
    result = cli("apply", lab, "--auto-approve", "--parallelism", "1")
    assert result.code == 0, result.out
    order = [line.split(":")[0] for line in result.out.splitlines() if ": delete ok" in line]
    assert order.index("ip_pool.management") > max(
        order.index("ip_grant.web01-nic0"), order.index("ip_grant.db01-nic0")
    )


def test_grant_rules(cli: Cli, lab: Path) -> None:
    (lab / "grants.yaml").write_text(
        GRANTS
        + """  again:
    ip_pool: ip_pool.management
    vm: WEB01
    address: 192.168.50.200
"""
    )
    result = cli("validate", lab)
    assert result.code == 1
    assert "address 192.168.50.200 is outside ip_pool.management's range" in result.err
    assert "WEB01 adapter 0 already has ip_grant.web01-nic0" in result.err


FIXED_FIRST = """
ip_grant:
  app01-nic0:
    ip_pool: ip_pool.management
    vm: app01
  app02-nic0:
    ip_pool: ip_pool.management
    vm: app02
  gw-nic0:
    ip_pool: ip_pool.management
    vm: gw
    address: "{{ var.subnet_prefix }}.10"
"""


def test_a_declared_address_is_taken_before_next_free_ones(cli: Cli, lab: Path) -> None:
    """One apply, in any order of workers: the grant naming .10 gets it, the others the next ones."""
    (lab / "grants.yaml").write_text(FIXED_FIRST)
    result = cli("apply", lab, "--auto-approve", "--parallelism", "8")
    assert result.code == 0, result.out + result.err
    grants = _grants(cli, lab)
    assert grants["gw"] == "192.168.50.10"
    assert sorted([grants["app01"], grants["app02"]]) == ["192.168.50.11", "192.168.50.12"]
    assert cli("plan", lab, "--detailed-exitcode").code == 0


def test_a_next_free_grant_holding_a_declared_address_gives_it_up_in_one_apply(cli: Cli, lab: Path) -> None:
    (lab / "grants.yaml").write_text(FIXED_FIRST.split("  gw-nic0:")[0])
    # one worker: app01 is granted first and gets .10 (with several, either may win the race)
    assert cli("apply", lab, "--auto-approve", "--parallelism", "1").code == 0
    assert _grants(cli, lab)["app01"] == "192.168.50.10"
    (lab / "grants.yaml").write_text(FIXED_FIRST)  # now gw declares the address app01 was given
    plan = json.loads(cli("plan", lab, "--format", "json").out)
    app01 = next(c for c in plan["changes"] if c["address"] == "ip_grant.app01-nic0")
    assert app01["action"] == "replace"
    assert app01["reason"] == "its address 192.168.50.10 is declared by ip_grant.gw-nic0: granted anew from the pool"
    result = cli("apply", lab, "--auto-approve", "--parallelism", "8")
    assert result.code == 0, result.out + result.err
    grants = _grants(cli, lab)
    assert grants["gw"] == "192.168.50.10" and grants["app01"] not in ("192.168.50.10", grants["app02"])
    assert cli("plan", lab, "--detailed-exitcode").code == 0


GRANT = """host_group:
  Lab: {}
logical_network:
  management: {}
network_site:
  site:
    logical_network: logical_network.management
    host_groups: [host_group.Lab]
    subnets: [{subnet: 10.0.0.0/24}, {subnet: 10.1.0.0/24}]
ip_pool:
  pool:
    network_site: network_site.site
    subnet: 10.0.0.0/24
    range_start: 10.0.0.10
    range_end: 10.0.0.20
ip_grant:
  web:
    ip_pool: ip_pool.pool
    vm: web01
"""


def test_a_grant_replaced_with_its_pool_gets_an_address_from_the_new_pool(cli: Cli, tmp_path: Path) -> None:
    moved = GRANT.replace("subnet: 10.0.0.0/24\n    range_start: 10.0.0.10\n    range_end: 10.0.0.20", "X")
    moved = moved.replace("X", "subnet: 10.1.0.0/24\n    range_start: 10.1.0.10\n    range_end: 10.1.0.20")
    apply_then_change(cli, tmp_path / "grant", GRANT, moved)
