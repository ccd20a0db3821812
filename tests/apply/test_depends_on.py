"""`depends_on` orders, but never cascades a replacement, and gives way to an update that must leave
a replaced network first. (An update caught between a delete and a create without `depends_on`
is in tests/apply/test_split_updates.py.)"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli
from one_apply import apply_then_change


def _apply(cli: Cli, stamp: Path) -> None:
    result = cli("apply", stamp, "--auto-approve")
    assert result.code == 0, result.out + result.err


def test_depends_on_orders_but_does_not_cascade_replacement(cli: Cli, lab: Path) -> None:
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace(
            "  vm-roles:\n    name: VM Roles\n",
            "  vm-roles:\n    name: VM Roles\n    depends_on: [logical_network.management]\n",
            1,
        )
    )
    _apply(cli, lab)
    doc.write_text(
        doc.read_text().replace(
            "  management:\n    name: Management\n", "  management:\n    name: Management\n    isolation: vlan\n", 1
        )
    )
    plan = json.loads(cli("plan", lab, "--format", "json").out)
    actions = {c["address"]: c["action"] for c in plan["changes"]}
    assert actions["logical_network.management"] == "replace"
    assert actions["port_classification.vm-roles"] == "no-op"


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
