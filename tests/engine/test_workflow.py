"""End to end on the lab provider: plan, apply, drift by hand, YAML edits, replace, delete order."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import Cli, lose_state, resource_count, stamp_on, without_prevent_destroy


@pytest.fixture
def reference(tmp_path: Path, backend: str) -> Path:
    """stamps/reference with its state on each backend in turn."""
    return stamp_on("reference", tmp_path, backend)


@pytest.fixture
def lab(tmp_path: Path, backend: str) -> Path:
    """stamps/lab with its state on each backend in turn."""
    return stamp_on("lab", tmp_path, backend)


NOTHING = {"create": 0, "adopt": 0, "update": 0, "replace": 0, "delete": 0, "forget": 0, "no_op": 0}


def plan_json(cli: Cli, stamp: Path) -> dict:
    result = cli("plan", stamp, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def actions(plan: dict) -> dict[str, str]:
    return {c["address"]: c["action"] for c in plan["changes"] if c["action"] != "no-op"}


def apply_ok(cli: Cli, stamp: Path, *extra: str) -> str:
    result = cli("apply", stamp, "--auto-approve", *extra)
    assert result.code == 0, result.out + result.err
    return result.out


def test_reference_plans_expected_counts_then_applies_and_converges(cli: Cli, reference: Path) -> None:
    plan = plan_json(cli, reference)
    assert plan["format_version"] == "4"
    assert plan["stamp"] == "reference"
    kinds: dict[str, int] = {}
    for change in plan["changes"]:
        assert change["action"] == "create"
        assert change["before"] is None
        kinds[change["kind"]] = kinds.get(change["kind"], 0) + 1
    assert kinds == {
        "host_group": 15,
        "cloud": 7,  # IaaS and DR per location, and the management stamp's
        "custom_property": 1,
        "logical_network": 3,  # management, tenants, and the drills' provider network
        "network_site": 8,  # management and tenants per location, the stretched site, the drills' site
        "ip_pool": 7,
        "vm_network": 5,  # management, a tenant network per location, the drills' test network
        "ip_grant": 5,  # the management stamp's static addresses
        "port_classification": 3,
        "virtual_port_profile": 3,
        "uplink_port_profile": 1,
        "logical_switch": 1,
        # the DR design (dr.yaml)
        "replication_policy": 1,
        "cloud_pairing": 4,
        "network_mapping": 3,
        "protected_vm": 8,
        "library_script": 1,
        "recovery_plan": 4,  # the management stamp's, and each location's applications
    }
    total = sum(kinds.values())
    assert plan["summary"] == {**NOTHING, "create": total}
    apply_ok(cli, reference, "--parallelism", "8")
    again = plan_json(cli, reference)
    assert again["summary"] == {**NOTHING, "no_op": total}
    assert cli("plan", reference, "--detailed-exitcode").code == 0


def test_detailed_exitcode_is_2_with_changes(cli: Cli, lab: Path) -> None:
    result = cli("plan", lab, "--detailed-exitcode")
    assert result.code == 2
    assert "Plan: 12 to create" in result.out


def test_lab_edit_shows_as_update_and_reapply_fixes_it(cli: Cli, reference: Path) -> None:
    apply_ok(cli, reference)
    assert cli("lab", "set", reference, "cloud.iaas-oslo", "capacity.vm_count=50").code == 0
    plan = plan_json(cli, reference)
    assert actions(plan) == {"cloud.iaas-oslo": "update"}
    change = next(c for c in plan["changes"] if c["address"] == "cloud.iaas-oslo")
    assert change["changed_paths"] == ["capacity.vm_count"]
    assert change["before"]["capacity"]["vm_count"] == 50
    assert change["after"]["capacity"]["vm_count"] == 100
    text = cli("plan", reference).out
    assert "~ capacity.vm_count: 50 → 100" in text
    apply_ok(cli, reference)
    assert actions(plan_json(cli, reference)) == {}


def test_yaml_edit_yields_exactly_the_expected_update(cli: Cli, reference: Path) -> None:
    apply_ok(cli, reference)
    clouds = reference / "clouds.yaml"
    clouds.write_text(clouds.read_text().replace("cpu_count: 400", "cpu_count: 800"))
    plan = plan_json(cli, reference)
    assert actions(plan) == {f"cloud.iaas-{loc}": "update" for loc in ("oslo", "stockholm", "copenhagen")}
    assert {tuple(c["changed_paths"]) for c in plan["changes"] if c["action"] == "update"} == {("capacity.cpu_count",)}
    apply_ok(cli, reference)
    assert actions(plan_json(cli, reference)) == {}


def test_list_element_change_names_only_that_element(cli: Cli, reference: Path) -> None:
    apply_ok(cli, reference)
    sw = reference / "switching.yaml"
    sw.write_text(
        sw.read_text().replace(
            "profile: virtual_port_profile.live-migration", "profile: virtual_port_profile.host-management"
        )
    )
    plan = plan_json(cli, reference)
    change = next(c for c in plan["changes"] if c["address"] == "logical_switch.fabric")
    assert change["action"] == "update"
    assert change["changed_paths"] == ['virtual_ports["port_classification.live-migration"].profile']


def test_immutable_change_is_a_replace(cli: Cli, reference: Path) -> None:
    apply_ok(cli, reference)
    sw = reference / "switching.yaml"
    sw.write_text(sw.read_text().replace("minimum_bandwidth_mode: weight", "minimum_bandwidth_mode: absolute"))
    plan = plan_json(cli, reference)
    assert actions(plan) == {"logical_switch.fabric": "replace"}
    text = cli("plan", reference).out
    assert "-/+ logical_switch.fabric must be replaced  # minimum_bandwidth_mode cannot change in place" in text
    old_id = _state_id(cli, reference, "logical_switch.fabric")
    apply_ok(cli, reference)
    assert _state_id(cli, reference, "logical_switch.fabric") != old_id
    assert actions(plan_json(cli, reference)) == {}


def _ids(cli: Cli, stamp: Path) -> dict[str, str]:
    return {r["address"]: r["live_id"] for r in json.loads(cli("show", stamp, "--format", "json").out)["resources"]}


def test_replace_cascades_only_through_immutable_references_and_converges(cli: Cli, reference: Path) -> None:
    apply_ok(cli, reference)
    before = _ids(cli, reference)
    net = reference / "networking.yaml"
    net.write_text(net.read_text().replace("isolation: connected", "isolation: vlan"))
    plan = plan_json(cli, reference)
    acts = actions(plan)
    assert acts["logical_network.management"] == "replace"
    # what names the network in an attribute VMM cannot change is replaced with it
    for dependent in ("network_site.management-oslo", "ip_pool.management-oslo", "vm_network.management"):
        assert acts[dependent] == "replace", dependent
    reasons = {c["address"]: c["reason"] for c in plan["changes"]}
    assert reasons["network_site.management-oslo"] == (
        "replaced because logical_network.management is replaced and network_site.logical_network cannot change"
    )
    # members leave the old object and join the new one: updated, never re-created
    assert acts["uplink_port_profile.uplink-oslo"] == "update"
    assert acts["cloud.iaas-oslo"] == "update"
    assert "leaves network_site.management-oslo before it is replaced" in reasons["uplink_port_profile.uplink-oslo"]
    assert "logical_switch.fabric" not in acts  # its uplink keeps its ID: the switch is not touched
    assert "host_group.Oslo" not in acts
    out = apply_ok(cli, reference)
    assert "uplink_port_profile.uplink-oslo: detach ok" in out
    assert actions(plan_json(cli, reference)) == {}
    after = _ids(cli, reference)
    assert after["uplink_port_profile.uplink-oslo"] == before["uplink_port_profile.uplink-oslo"]
    assert after["logical_switch.fabric"] == before["logical_switch.fabric"]
    assert after["cloud.iaas-oslo"] == before["cloud.iaas-oslo"]
    assert after["network_site.management-oslo"] != before["network_site.management-oslo"]


def test_removing_a_location_deletes_dependents_first(cli: Cli, reference: Path) -> None:
    without_prevent_destroy(reference)  # the location's cloud pairing is deleted, the ring's previous one replaced
    apply_ok(cli, reference)
    cfg = reference / "fabric.yaml"
    cfg.write_text(cfg.read_text().replace('["Oslo", "Stockholm", "Copenhagen"]', '["Oslo", "Stockholm"]'))
    plan = plan_json(cli, reference)
    acts = actions(plan)
    deleted = {a for a, act in acts.items() if act == "delete"}
    assert deleted == {
        "host_group.Copenhagen",
        "host_group.Copenhagen/DR",
        "host_group.Copenhagen/Edge",
        "host_group.Copenhagen/IaaS",
        "host_group.Copenhagen/Fabric Management",
        "cloud.iaas-copenhagen",
        "cloud.dr-copenhagen",
        "network_site.management-copenhagen",
        "ip_pool.management-copenhagen",
        "network_site.tenants-copenhagen",
        "ip_pool.tenants-copenhagen",
        "vm_network.tenants-copenhagen",
        "cloud_pairing.iaas-copenhagen",
        "network_mapping.tenants-copenhagen",
        "protected_vm.app-copenhagen",
        "recovery_plan.apps-copenhagen",
    }
    # the DR ring closes over the remaining locations: Stockholm now recovers to Oslo, not Copenhagen
    replaced = {a for a, act in acts.items() if act == "replace"}
    assert replaced == {
        "cloud_pairing.iaas-stockholm",
        "network_mapping.tenants-stockholm",
        "protected_vm.app-stockholm",
    }
    # Stockholm's recovery plan leaves its VM while that is replaced, and joins the new one
    updated = {a for a, act in acts.items() if act == "update"}
    assert updated == {"recovery_plan.apps-stockholm"}
    assert set(acts) == deleted | replaced | updated
    out = apply_ok(cli, reference, "--parallelism", "1")
    order = [m.group(1) for m in re.finditer(r"^(\S+): delete ok", out, re.M)]
    assert order.index("ip_pool.management-copenhagen") < order.index("network_site.management-copenhagen")
    assert order.index("protected_vm.app-copenhagen") < order.index("cloud_pairing.iaas-copenhagen")
    assert order.index("network_mapping.tenants-copenhagen") < order.index("vm_network.tenants-copenhagen")
    assert order.index("cloud_pairing.iaas-copenhagen") < order.index("cloud.iaas-copenhagen")
    # the old Stockholm pairing (it recovers to DR Copenhagen) goes before that cloud does
    assert order.index("cloud_pairing.iaas-stockholm") < order.index("cloud.dr-copenhagen")
    assert order.index("cloud.iaas-copenhagen") < order.index("host_group.Copenhagen/IaaS")
    assert order.index("network_site.management-copenhagen") < order.index("host_group.Copenhagen")
    assert max(order.index(f"host_group.Copenhagen/{c}") for c in ("DR", "Edge", "IaaS")) < order.index(
        "host_group.Copenhagen"
    )
    assert actions(plan_json(cli, reference)) == {}


def test_failure_stops_only_dependents(cli: Cli, reference: Path, monkeypatch) -> None:
    monkeypatch.setenv("FABRIC_LAB_FAIL", "network_site.management-oslo")
    result = cli("apply", reference, "--auto-approve")
    assert result.code == 1
    assert "failed:  network_site.management-oslo: injected failure" in result.out
    skipped = set(re.findall(r"^  skipped: (\S+)", result.out, re.M))
    # the management stamp's keep_ip VMs wait for the switch that carries their VLAN to the DR hosts,
    # and the recovery plan for them
    keep_ip = {f"protected_vm.{vm}" for vm in ("sqlwap01", "spf01", "sma01", "wapadm01", "wapten01")}
    expected = {"ip_pool.management-oslo", "uplink_port_profile.uplink-oslo", "logical_switch.fabric"}
    assert skipped == expected | keep_ip | {"recovery_plan.management-stamp"}
    assert "cloud.iaas-oslo: create ok" in result.out  # independent of the failed site
    monkeypatch.delenv("FABRIC_LAB_FAIL")
    remaining = actions(plan_json(cli, reference))
    assert remaining == {a: "create" for a in ("network_site.management-oslo", *skipped)}
    apply_ok(cli, reference)
    assert actions(plan_json(cli, reference)) == {}


def test_apply_without_auto_approve_asks(cli: Cli, lab: Path) -> None:
    declined = cli("apply", lab, stdin="no\n")
    assert declined.code == 1
    assert "Cancelled" in declined.err
    assert cli("plan", lab, "--detailed-exitcode").code == 2
    accepted = cli("apply", lab, stdin="yes\n")
    assert accepted.code == 0, accepted.err
    assert cli("plan", lab, "--detailed-exitcode").code == 0


def test_destroy_of_the_shipped_reference_stamp_is_refused_by_prevent_destroy(cli: Cli, reference: Path) -> None:
    apply_ok(cli, reference)
    refused = cli("destroy", reference, "--auto-approve")
    assert refused.code == 1
    assert "lifecycle.prevent_destroy forbids this plan" in refused.err
    pairings = ("iaas-oslo", "iaas-stockholm", "iaas-copenhagen", "management")
    for pairing in pairings:
        assert f"cloud_pairing.{pairing} would be deleted" in refused.err, refused.err
    assert refused.err.count(" would be ") == len(pairings)  # only the cloud pairings carry it
    assert "operation(s) done" not in refused.out
    assert actions(plan_json(cli, reference)) == {}  # nothing was deleted


def test_destroy_deletes_everything(cli: Cli, reference: Path) -> None:
    without_prevent_destroy(reference)
    apply_ok(cli, reference)
    result = cli("destroy", reference, "--auto-approve")
    assert result.code == 0, result.out
    assert f"{resource_count(reference)} operation(s) done" in result.out
    inventory = json.loads(cli("lab", "show", reference, "--format", "json").out)
    assert inventory["objects"] == []
    assert cli("show", reference).out.strip() == "State is empty."


def test_objects_created_without_state_are_adopted_not_duplicated(cli: Cli, lab: Path) -> None:
    apply_ok(cli, lab)
    lose_state(lab)
    plan = plan_json(cli, lab)
    assert plan["summary"]["create"] == 0
    assert "taking back the object this stamp created" in cli("plan", lab).out
    apply_ok(cli, lab)
    inventory = json.loads(cli("lab", "show", lab, "--format", "json").out)
    assert len(inventory["objects"]) == 12
    assert actions(plan_json(cli, lab)) == {}


def test_object_deleted_by_hand_is_recreated(cli: Cli, lab: Path) -> None:
    apply_ok(cli, lab)
    from fabric.providers.lab.provider import LabProvider

    provider = LabProvider(lab / ".fabric" / "lab.db")
    provider.delete("x", _state_id(cli, lab, "logical_switch.lab"), "logical_switch")
    provider.close()
    plan = plan_json(cli, lab)
    assert actions(plan) == {"logical_switch.lab": "create"}
    assert plan["changes"][[c["address"] for c in plan["changes"]].index("logical_switch.lab")]["reason"] == (
        "deleted outside fabric"
    )


def test_show_lists_state(cli: Cli, lab: Path) -> None:
    apply_ok(cli, lab)
    doc = json.loads(cli("show", lab, "--format", "json").out)
    assert doc["serial"] == 12
    assert len(doc["resources"]) == 12
    cloud = next(r for r in doc["resources"] if r["address"] == "cloud.iaas")
    assert re.fullmatch(r"[0-9a-f-]{36}", cloud["live_id"])
    assert cloud["attributes"]["name"] == "IaaS Lab"
    assert "cloud.iaas  (live id" in cli("show", lab).out


def _state_id(cli: Cli, stamp: Path, address: str) -> str:
    doc = json.loads(cli("show", stamp, "--format", "json").out)
    return next(r["live_id"] for r in doc["resources"] if r["address"] == address)
