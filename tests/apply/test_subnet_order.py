"""A subnet moved from one network site to another in one apply: the add waits for the remove.

VMM refuses overlapping subnets in sites whose host groups are the same or parent and child
(the lab enforces it), so without this ordering the new site could be created (or updated)
while the old one still holds the subnet.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from conftest import Cli

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


def _graph_after_move(cli: Cli, stamp: Path, base: str, moved: str) -> nx.DiGraph[str]:
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
