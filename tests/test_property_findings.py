"""Apply bugs found by tests/test_properties.py, each the smallest stamp change that showed it.

All three are fixed; the tests keep them fixed. Trading names stays refused, by design. A
fourth, an update caught between a delete and a create, is in tests/apply/test_split_updates.py;
a fifth, the same with `depends_on`, is the last test here.
"""

from __future__ import annotations

from pathlib import Path

from conftest import Cli

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


def write(stamp: Path, text: str) -> Path:
    stamp.mkdir(exist_ok=True)
    (stamp / "fabric.yaml").write_text("stamp: finding\n", encoding="utf-8")
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    return stamp


def apply_then_change(cli: Cli, stamp: Path, first: str, second: str) -> None:
    """Apply `first`, change the stamp to `second`: one apply must reach it."""
    assert cli("apply", write(stamp, first), "--auto-approve").code == 0
    result = cli("apply", write(stamp, second), "--auto-approve")
    assert result.code == 0, result.out + result.err
    assert cli("plan", stamp, "--detailed-exitcode").code == 0


def test_a_grant_replaced_with_its_pool_gets_an_address_from_the_new_pool(cli: Cli, tmp_path: Path) -> None:
    moved = GRANT.replace("subnet: 10.0.0.0/24\n    range_start: 10.0.0.10\n    range_end: 10.0.0.20", "X")
    moved = moved.replace("X", "subnet: 10.1.0.0/24\n    range_start: 10.1.0.10\n    range_end: 10.1.0.20")
    apply_then_change(cli, tmp_path / "grant", GRANT, moved)


def test_renames_that_pass_a_name_along_apply_in_one_go(cli: Cli, tmp_path: Path) -> None:
    before = "port_classification:\n  a: {name: Gold}\n  b: {name: Silver}\n"
    after = "port_classification:\n  a: {name: Silver}\n  b: {name: Bronze}\n"
    apply_then_change(cli, tmp_path / "names", before, after)


CLOUD_ON_NETWORK = """host_group:
  Lab: {}
logical_network:
  management: {isolation: vlan}
network_site:
  site: {logical_network: logical_network.management, host_groups: [host_group.Lab]}
cloud:
  iaas:
    host_groups: [host_group.Lab]
    logical_networks: [logical_network.management]
"""


def test_a_reference_turned_into_depends_on_survives_a_replace(cli: Cli, tmp_path: Path) -> None:
    before = CLOUD_ON_NETWORK
    after = before.replace("isolation: vlan", "isolation: connected").replace(
        "logical_networks: [logical_network.management]", "depends_on: [logical_network.management]"
    )
    apply_then_change(cli, tmp_path / "depends", before, after)


def test_two_objects_trading_names_are_refused_with_a_hint(cli: Cli, tmp_path: Path) -> None:
    before = "port_classification:\n  a: {name: Gold}\n  b: {name: Silver}\n"
    after = "port_classification:\n  a: {name: Silver}\n  b: {name: Gold}\n"
    stamp = tmp_path / "swap"
    assert cli("apply", write(stamp, before), "--auto-approve").code == 0
    result = cli("plan", write(stamp, after))
    assert result.code == 1
    assert "the plan cannot be ordered" in result.err
    assert "trade names" in result.err and "temporary name" in result.err


def test_an_update_leaving_a_replaced_network_goes_first_despite_its_depends_on(cli: Cli, tmp_path: Path) -> None:
    # the cloud must leave the network before it is replaced; its depends_on names a site that
    # can only be created on the new network: depends_on gives way rather than refuse the plan
    before = CLOUD_ON_NETWORK.replace("isolation: vlan", "isolation: connected")
    after = (
        before.replace("isolation: connected", "isolation: vlan")
        .replace("  site:", "  other:")
        .replace("logical_networks: [logical_network.management]", "depends_on: [network_site.other]")
    )
    apply_then_change(cli, tmp_path / "depends", before, after)
