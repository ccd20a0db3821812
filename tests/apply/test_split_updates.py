"""Updates split in two: leave an object about to be deleted first, join its successor after.

An uplink moves from a site on a network that is replaced to a site on the new network. The
uplink must leave the old site before the site (and then the network) can go, and it can only
join the new site once the new network and site exist: one update cannot do both.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli

from fabric.apply.operations import OpKind, operation_graph, ordered_steps
from fabric.engine import open_session, plan
from fabric.model.refs import without_refs
from fabric.model.resources import KINDS

BEFORE = """host_group:
  Lab: {}
logical_network:
  ln: {isolation: connected}
network_site:
  old:
    logical_network: logical_network.ln
    host_groups: [host_group.Lab]
uplink_port_profile:
  uplink:
    network_sites: [network_site.old]
"""
AFTER = (
    BEFORE.replace("isolation: connected", "isolation: vlan")
    .replace("  old:", "  new:")
    .replace("network_site.old", "network_site.new")
)
UPLINK = "uplink_port_profile.uplink"


def write(stamp: Path, text: str) -> Path:
    stamp.mkdir(exist_ok=True)
    (stamp / "fabric.yaml").write_text("stamp: split\n", encoding="utf-8")
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    return stamp


@pytest.fixture
def moved(cli: Cli, tmp_path: Path) -> Path:
    """The stamp applied as BEFORE, its code now AFTER."""
    stamp = write(tmp_path / "split", BEFORE)
    assert cli("apply", stamp, "--auto-approve").code == 0
    return write(stamp, AFTER)


def test_the_update_in_the_cycle_is_split_and_ordered_around_the_deletes_and_creates(moved: Path) -> None:
    session = open_session(moved)
    the_plan = plan(session)
    session.close()
    graph = operation_graph(the_plan)
    detach = graph.nodes[f"{UPLINK}#detach"]["op"]
    assert detach.kind is OpKind.DETACH
    assert detach.change.after["network_sites"] == []
    order = [s["address"] + " " + s["op"] for s in ordered_steps(the_plan)]
    assert order.index(f"{UPLINK} update") < order.index("network_site.old delete")
    assert order.index("network_site.old delete") < order.index("logical_network.ln delete")
    updates = [s for s in ordered_steps(the_plan) if s["address"] == UPLINK]
    assert [s["attributes"]["network_sites"] for s in updates] == [[], ["network_site.new"]]
    assert "detach from network_site.old" in updates[0]["reason"]
    last_update = len(order) - 1 - order[::-1].index(f"{UPLINK} update")
    assert order.index("network_site.new create") < last_update


def test_updates_are_not_split_when_one_step_can_be_ordered(cli: Cli, tmp_path: Path) -> None:
    stamp = write(tmp_path / "plain", BEFORE)
    assert cli("apply", stamp, "--auto-approve").code == 0
    # a new site on the same network: no cycle, so one update after the create
    write(stamp, BEFORE.replace("  old:", "  new:").replace("network_site.old", "network_site.new"))
    session = open_session(stamp)
    graph = operation_graph(plan(session))
    session.close()
    assert f"{UPLINK}#update" in graph and f"{UPLINK}#detach" not in graph


@pytest.mark.parametrize("rename", [False, True])
def test_apply_runs_both_steps_and_converges(cli: Cli, moved: Path, rename: bool) -> None:
    if rename:  # the first step renames too (how the property test found this)
        renamed = "name: Renamed\n    network_sites: [network_site.new]"
        write(moved, AFTER.replace("network_sites: [network_site.new]", renamed))
    result = cli("apply", moved, "--auto-approve")
    assert result.code == 0, result.out + result.err
    assert f"{UPLINK}: detach ok" in result.out and f"{UPLINK}: update ok" in result.out
    assert cli("plan", moved, "--detailed-exitcode").code == 0


def test_a_failure_after_the_first_step_leaves_it_recorded_and_the_rest_planned(cli: Cli, moved: Path) -> None:
    env = {**os.environ, "FABRIC_LAB_FAIL": "network_site.new"}
    proc = subprocess.run(
        [sys.executable, "-m", "fabric", "apply", str(moved), "--auto-approve"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{UPLINK}: detach ok" in proc.stdout
    state = json.loads(cli("show", moved, "--format", "json").out)["resources"]
    uplink = next(r for r in state if r["address"] == UPLINK)
    assert uplink["attributes"]["network_sites"] == []  # the first step, recorded
    remaining = json.loads(cli("plan", moved, "--format", "json").out)["changes"]
    pending = {c["address"]: c["action"] for c in remaining if c["action"] != "no-op"}
    assert pending == {UPLINK: "update", "network_site.new": "create"}
    assert cli("apply", moved, "--auto-approve").code == 0
    assert cli("plan", moved, "--detailed-exitcode").code == 0


def test_a_kill_right_after_the_first_step_loses_nothing(cli: Cli, moved: Path) -> None:
    env = {**os.environ, "FABRIC_LAB_KILL_AFTER": UPLINK}
    proc = subprocess.run(
        [sys.executable, "-m", "fabric", "apply", str(moved), "--auto-approve"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == -signal.SIGKILL
    result = cli("apply", moved, "--auto-approve")
    assert result.code == 0, result.out + result.err
    assert cli("plan", moved, "--detailed-exitcode").code == 0


def test_without_refs_removes_list_items_and_map_keys_and_refuses_plain_fields() -> None:
    switch = {
        "uplink_port_profiles": ["uplink_port_profile.a", "uplink_port_profile.b"],
        "virtual_ports": [
            {"port_classification": "port_classification.x", "profile": "virtual_port_profile.x"},
            {"port_classification": "port_classification.y", "profile": "virtual_port_profile.y"},
        ],
    }
    spec = KINDS["logical_switch"].REFS
    out = without_refs(spec, switch, {"uplink_port_profile.a", "virtual_port_profile.x", "port_classification.x"})
    assert out == {
        "uplink_port_profiles": ["uplink_port_profile.b"],
        "virtual_ports": [{"port_classification": "port_classification.y", "profile": "virtual_port_profile.y"}],
    }
    assert switch["uplink_port_profiles"] == ["uplink_port_profile.a", "uplink_port_profile.b"]  # a copy
    cloud = {"custom_properties": {"custom_property.a": "1", "custom_property.b": "2"}}
    assert without_refs(KINDS["cloud"].REFS, cloud, {"custom_property.a"}) == {
        "custom_properties": {"custom_property.b": "2"}
    }
    pool = {"network_site": "network_site.old", "subnet": "10.0.0.0/24"}
    assert without_refs(KINDS["ip_pool"].REFS, pool, {"network_site.old"}) is None
    assert without_refs(KINDS["ip_pool"].REFS, pool, {"network_site.other"}) == pool


def test_the_script_for_a_split_update_sets_the_profile_twice_around_the_deletes(moved: Path) -> None:
    from fabric_scvmm.provider import write_plan_script

    session = open_session(moved)
    the_plan = plan(session)
    session.close()
    live_ids = {c.address: c.live_id for c in the_plan.changes if c.live_id}
    script = write_plan_script("split", ordered_steps(the_plan), live_ids)
    assert f"#   update  {UPLINK}  (detach from network_site.old before it is deleted" in script
    first = script.index("Set-SCNativeUplinkPortProfile")
    second = script.index("Set-SCNativeUplinkPortProfile", first + 1)
    assert first < script.index("Remove-SCLogicalNetworkDefinition") < script.index("Remove-SCLogicalNetwork ")
    assert script.index("New-SCLogicalNetworkDefinition") < second


def test_the_plan_says_which_update_runs_in_two_steps(cli: Cli, moved: Path) -> None:
    text = cli("plan", moved).out
    first = "detach from network_site.old before it is deleted; network_site.new joined once created"
    assert f"~ {UPLINK} will be updated in place  # in two steps, first: {first}" in text


def test_no_first_step_leaves_a_list_shorter_than_the_model_allows(cli: Cli, tmp_path: Path) -> None:
    # a host group key renamed (same display name) under a site and a cloud: a first step would
    # leave both with no host group at all, which VMM does not allow; the plan asks for `moved`
    before = """host_group:
  A: {name: X}
logical_network:
  ln: {}
network_site:
  s: {logical_network: logical_network.ln, host_groups: [host_group.A]}
cloud:
  c: {host_groups: [host_group.A]}
"""
    stamp = write(tmp_path / "minimum", before)
    assert cli("apply", stamp, "--auto-approve").code == 0
    result = cli("plan", write(stamp, before.replace("A: {name: X}", "B: {name: X}").replace(".A]", ".B]")))
    assert result.code == 1 and "the plan cannot be ordered" in result.err and "moved" in result.err
