"""`--target` brings the target's dependencies, `--exclude` drops the excluded resource's dependents,
and a targeted plan says it is partial."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli


def test_target_brings_dependencies_and_exclude_drops_dependents(cli: Cli, lab: Path) -> None:
    plan = json.loads(cli("plan", lab, "--format", "json", "--target", "ip_pool.management").out)
    assert {c["address"] for c in plan["changes"]} == {
        "ip_pool.management",
        "network_site.management",
        "logical_network.management",
        "host_group.Lab",
    }
    excluded = json.loads(cli("plan", lab, "--format", "json", "--exclude", "network_site.management").out)
    addresses = {c["address"] for c in excluded["changes"]}
    assert "network_site.management" not in addresses
    assert {"ip_pool.management", "uplink_port_profile.uplink", "logical_switch.lab"}.isdisjoint(addresses)
    assert "cloud.iaas" in addresses
    assert cli("apply", lab, "--auto-approve", "--target", "ip_pool.management").code == 0
    after = json.loads(cli("plan", lab, "--format", "json").out)
    assert after["summary"]["create"] == 12 - 4
    unknown = cli("plan", lab, "--target", "cloud.nope")
    assert unknown.code == 1 and "not in code or state: cloud.nope" in unknown.err


def test_a_targeted_plan_says_it_is_partial(cli: Cli, lab: Path) -> None:
    text = cli("plan", lab, "--target", "ip_pool.management").out
    assert "Note: targeted: 4 of 12 resources considered. A partial plan" in text
