"""A subnet moved from one network site to another in one apply: the add waits for the remove.

VMM refuses overlapping subnets in sites whose host groups are the same or parent and child
(the lab enforces it), so without this ordering the new site could be created (or updated)
while the old one still holds the subnet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli

from fabric import digraph
from fabric.apply.operations import operation_graph
from fabric.engine import open_session, plan

BASE = """host_group:
  Oslo:
    children:
      IaaS: {}
logical_network:
  mgmt: {}
  tenant: {}
network_site:
  b:
    logical_network: logical_network.mgmt
    host_groups: [host_group.Oslo]
    subnets: [{subnet: 10.0.0.0/24}]
  a:
    logical_network: logical_network.tenant
    host_groups: [host_group.Oslo/IaaS]
    subnets: [{subnet: 10.1.0.0/24}]
"""


def write(stamp: Path, text: str) -> Path:
    stamp.mkdir(exist_ok=True)
    (stamp / "fabric.yaml").write_text("stamp: subnets\n", encoding="utf-8")
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    return stamp


MOVES = {
    # b is deleted; a, in a child host group, takes b's subnet (a wider one)
    "delete": BASE.replace(
        """  b:
    logical_network: logical_network.mgmt
    host_groups: [host_group.Oslo]
    subnets: [{subnet: 10.0.0.0/24}]
""",
        "",
    ).replace("10.1.0.0/24", "10.0.0.0/16"),
    # b drops the subnet for another; a takes it
    "update": BASE.replace("10.0.0.0/24", "10.2.0.0/24").replace("10.1.0.0/24", "10.0.0.0/24"),
    # b is replaced onto another logical network with another subnet; a new site takes the old one
    "replace": BASE.replace("logical_network: logical_network.mgmt", "logical_network: logical_network.tenant").replace(
        "10.0.0.0/24", "10.3.0.0/24"
    )
    + """  c:
    logical_network: logical_network.mgmt
    host_groups: [host_group.Oslo/IaaS]
    subnets: [{subnet: 10.0.0.0/24}]
""",
}


@pytest.mark.parametrize("how", sorted(MOVES))
def test_a_subnet_moved_between_sites_applies_in_one_go(cli: Cli, tmp_path: Path, how: str) -> None:
    stamp = write(tmp_path / how, BASE)
    assert cli("apply", stamp, "--auto-approve").code == 0
    write(stamp, MOVES[how])
    result = cli("apply", stamp, "--auto-approve", "--parallelism", "1")
    assert result.code == 0, result.out + result.err
    assert cli("plan", stamp, "--detailed-exitcode").code == 0


def _graph_after_move(cli: Cli, stamp: Path, base: str, moved: str) -> digraph.DiGraph[str]:
    assert cli("apply", write(stamp, base), "--auto-approve").code == 0
    write(stamp, moved)
    session = open_session(stamp)
    try:
        return operation_graph(plan(session))
    finally:
        session.close()


def _unrelated(text: str) -> str:
    """The stamp with site a's host group moved out from under Oslo, to Bergen."""
    text = text.replace("    children:\n      IaaS: {}\n", "").replace("host_group.Oslo/IaaS", "host_group.Bergen")
    return text.replace("host_group:\n  Oslo:\n", "host_group:\n  Bergen: {}\n  Oslo:\n")


def test_the_add_waits_for_the_remove_only_in_related_host_groups(cli: Cli, tmp_path: Path) -> None:
    graph = _graph_after_move(cli, tmp_path / "related", BASE, MOVES["update"])
    assert graph.has_edge("network_site.b#update", "network_site.a#update")
    graph = _graph_after_move(cli, tmp_path / "unrelated", _unrelated(BASE), _unrelated(MOVES["update"]))
    assert not graph.has_edge("network_site.b#update", "network_site.a#update")


def test_sites_trading_subnets_are_refused_with_a_hint(cli: Cli, tmp_path: Path) -> None:
    stamp = write(tmp_path / "swap", BASE)
    assert cli("apply", stamp, "--auto-approve").code == 0
    swapped = BASE.replace("10.0.0.0/24", "X").replace("10.1.0.0/24", "10.0.0.0/24").replace("X", "10.1.0.0/24")
    result = cli("plan", write(stamp, swapped))
    assert result.code == 1
    assert "the plan cannot be ordered" in result.err and "These network sites trade subnets" in result.err


def _sites(a: tuple[str, str], b: tuple[str, str] | None, uplink: str = "") -> str:
    """Host groups G1, G2; site a on ln1 and site b on ln2 as (host group, subnet)."""
    text = "host_group:\n  G1: {}\n  G2: {}\nlogical_network:\n  ln1: {}\n  ln2: {}\nnetwork_site:\n"
    for key, network, site in (("a", "ln1", a), ("b", "ln2", b)):
        if site:
            text += f"  {key}:\n    logical_network: logical_network.{network}\n"
            text += f"    host_groups: [host_group.{site[0]}]\n    subnets: [{{subnet: {site[1]}}}]\n"
    return text + uplink


UPLINK_AB = "uplink_port_profile:\n  u:\n    network_sites: [network_site.a, network_site.b]\n"
UPLINK_A = "uplink_port_profile:\n  u:\n    network_sites: [network_site.a]\n"
CLAIMS = {
    # a moves into b's host group, where b gives the subnet up
    "host group moves": (
        _sites(("G1", "10.0.0.0/24"), ("G2", "10.0.0.0/24")),
        _sites(("G2", "10.0.0.0/24"), ("G2", "10.9.0.0/24")),
    ),
    # b leaves the host group where a widens its subnet over b's
    "host group left": (
        _sites(("G1", "10.9.0.0/24"), ("G1", "10.0.0.0/24")),
        _sites(("G1", "10.0.0.0/16"), ("G2", "10.0.0.0/24")),
    ),
    # b is retired and a takes its subnet, while an uplink leaves b: the uplink need not wait
    # for a's update (it is only a member of a), or the three would wait for each other
    "retired with an uplink": (
        _sites(("G1", "10.1.0.0/24"), ("G1", "10.0.0.0/24"), UPLINK_AB),
        _sites(("G1", "10.0.0.0/24"), None, UPLINK_A),
    ),
}


@pytest.mark.parametrize("case", sorted(CLAIMS))
def test_subnets_claimed_through_host_groups_are_ordered_too(cli: Cli, tmp_path: Path, case: str) -> None:
    before, after = CLAIMS[case]
    stamp = write(tmp_path / "claims", before)
    assert cli("apply", stamp, "--auto-approve").code == 0
    result = cli("apply", write(stamp, after), "--auto-approve", "--parallelism", "1")
    assert result.code == 0, result.out + result.err
    assert cli("plan", stamp, "--detailed-exitcode").code == 0


def test_a_no_isolation_vm_network_replaced_by_another_waits_for_the_old_one(cli: Cli, tmp_path: Path) -> None:
    # VMM holds one no-isolation VM network per logical network: the new one (whose key sorts
    # first, so one worker would start it first) waits for the old one's delete
    text = "logical_network:\n  ln: {}\nvm_network:\n  KEY: {name: NAME, logical_network: logical_network.ln}\n"
    stamp = write(tmp_path / "slots", text.replace("KEY", "z").replace("NAME", "Old"))
    assert cli("apply", stamp, "--auto-approve").code == 0
    result = cli(
        "apply", write(stamp, text.replace("KEY", "a").replace("NAME", "New")), "--parallelism", "1", "--auto-approve"
    )
    assert result.code == 0, result.out + result.err
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
