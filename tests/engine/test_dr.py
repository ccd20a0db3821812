"""Disaster recovery on the lab, end to end: the reference stamp's DR design applied, replication as
posture, the lab's runtime rules, DR002's ordering, and what a pairing's replace costs."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli, without_prevent_destroy


def _without(text: str, line: str) -> str:
    assert line in text, f"the stamp no longer has {line!r}"
    return text.replace(line, "")


def ok(cli: Cli, *args: str | Path) -> str:
    result = cli(*args)
    assert result.code == 0, result.out + result.err
    return result.out


def test_the_reference_dr_design_applies_and_replication_is_posture_not_change(cli: Cli, reference: Path) -> None:
    ok(cli, "apply", reference, "--auto-approve")
    plan = cli("plan", reference, "--detailed-exitcode")
    assert plan.code == 0, plan.out
    assert "8 of 8 protected VM(s) replicating normally" in plan.out
    vms = json.loads(ok(cli, "lab", "vms", reference, "--format", "json"))["vms"]
    replicas = {v["name"]: v["host"] for v in vms if v["role"] == "replica"}
    # the management stamp lands on Stockholm's DR hosts, each tenant VM at the next location's
    assert {replicas[n] for n in ("SQLWAP01", "SPF01", "SMA01", "WAPADM01", "WAPTEN01")} <= {"STO-DR01", "STO-DR02"}
    assert replicas["OSLO-APP01"].startswith("STO-") and replicas["COPENHAGEN-APP01"].startswith("OSL-")
    assert "VMM01" not in replicas  # the orchestrator is protected outside any plan

    ok(cli, "lab", "replication", reference, "SPF01", "--state", "Error", "--health", "Critical")
    broken = cli("plan", reference, "--detailed-exitcode")
    assert broken.code == 0, "broken replication is posture, never a change to apply"
    assert "7 of 8 protected VM(s) replicating normally" in broken.out
    assert "! protected_vm.spf01: error, health critical, replica on STO-DR0" in broken.out
    posture = json.loads(ok(cli, "plan", reference, "--format", "json"))["posture"]
    assert posture["protected_vm.spf01"]["health"] == "Critical"
    assert posture["protected_vm.wapten01"]["initial_replication_percent"] == 100


def test_initial_replication_progress_is_shown_while_it_runs(cli: Cli, reference: Path) -> None:
    seed = reference / "lab" / "seed.yaml"
    seed.write_text(seed.read_text().replace("copy_rate_gb_per_minute: 0 ", "copy_rate_gb_per_minute: 0.001 "))
    ok(cli, "apply", reference, "--auto-approve")
    plan = cli("plan", reference, "--detailed-exitcode")
    assert plan.code == 0
    assert "0 of 8 protected VM(s) replicating normally" in plan.out
    assert "! protected_vm.sqlwap01: initial replication 0 %, replica on STO-DR0" in plan.out


def test_dr_cannot_be_turned_off_on_a_paired_cloud(cli: Cli, reference: Path) -> None:
    ok(cli, "apply", reference, "--auto-approve")
    by_hand = cli("lab", "set", reference, "cloud.dr-stockholm", "disaster_recovery_supported=false")
    assert by_hand.code == 1
    assert "DR002 disaster recovery cannot be turned off while cloud pairing" in by_hand.err
    clouds = reference / "clouds.yaml"
    text = clouds.read_text()
    clouds.write_text(text.replace("disaster_recovery_supported: true", "disaster_recovery_supported: false", 1))
    refused = cli("validate", reference)
    assert refused.code == 1 and "DR001 cloud.iaas-" in refused.err


SMALL = """host_group:
  Oslo: {children: {IaaS: {}}}
  Stockholm: {children: {DR: {}}}
cloud:
  iaas: {name: IaaS, host_groups: [host_group.Oslo/IaaS], disaster_recovery_supported: true}
  dr: {name: DR, host_groups: [host_group.Stockholm/DR], disaster_recovery_supported: true}
replication_policy:
  five: {name: Five}
cloud_pairing:
  iaas: {name: IaaS to DR, primary_cloud: cloud.iaas, recovery_cloud: cloud.dr, policy: replication_policy.five}
protected_vm:
  web: {vm: WEB01, pairing: cloud_pairing.iaas}
"""
SEED = """hosts:
  OSL-HV01: {host_group: Oslo/IaaS}
  STO-DR01: {host_group: Stockholm/DR}
vms:
  WEB01: {host: OSL-HV01, adapters: [{ip: 10.0.0.5}]}
"""


def _small(tmp_path: Path) -> Path:
    """A stamp of one pairing and one protected VM, with its lab seed."""
    stamp = tmp_path / "small"
    (stamp / "lab").mkdir(parents=True)
    (stamp / "fabric.yaml").write_text("stamp: small\nprovider: {type: lab, seed: lab/seed.yaml}\n")
    (stamp / "lab" / "seed.yaml").write_text(SEED)
    (stamp / "r.yaml").write_text(SMALL)
    return stamp


def test_turning_dr_off_while_deleting_the_pairing_orders_the_delete_first(cli: Cli, tmp_path: Path) -> None:
    stamp = _small(tmp_path)
    ok(cli, "apply", stamp, "--auto-approve")
    assert [v["role"] for v in json.loads(ok(cli, "lab", "vms", stamp, "--format", "json"))["vms"]] == [
        "primary",
        "replica",
    ]
    without = SMALL.split("cloud_pairing:")[0].replace(
        "dr: {name: DR, host_groups: [host_group.Stockholm/DR], disaster_recovery_supported: true}",
        "dr: {name: DR, host_groups: [host_group.Stockholm/DR], disaster_recovery_supported: false}",
    )
    (stamp / "r.yaml").write_text(without)
    plan = ok(cli, "plan", stamp)
    assert "- cloud_pairing.iaas will be deleted" in plan and "~ cloud.dr will be updated in place" in plan
    ok(cli, "apply", stamp, "--auto-approve")  # the lab refuses the flag while paired: the delete ran first
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
    assert [v["role"] for v in json.loads(ok(cli, "lab", "vms", stamp, "--format", "json"))["vms"]] == ["primary"]


def test_the_lab_refuses_to_protect_a_vm_with_shared_disks(cli: Cli, reference: Path) -> None:
    seed = reference / "lab" / "seed.yaml"
    text = seed.read_text()
    seed.write_text(text.replace("  SPF01:\n    host:", "  SPF01:\n    shared_disks: true\n    host:"))
    result = cli("apply", reference, "--auto-approve")
    assert result.code == 1
    assert "DR025 it uses shared disks" in result.out + result.err
    shown = json.loads(ok(cli, "show", reference, "--format", "json"))["resources"]
    assert "protected_vm.spf01" not in {r["address"] for r in shown}


def test_replacing_a_pairing_says_how_many_vms_replicate_again(cli: Cli, reference: Path) -> None:
    without_prevent_destroy(reference)
    ok(cli, "apply", reference, "--auto-approve")
    dr = reference / "dr.yaml"
    text = dr.read_text().replace(
        "replication_policy:\n",
        "replication_policy:\n  hvr-15min: {name: Hyper-V Replica 15 min, copy_frequency_seconds: 900}\n",
        1,
    )
    management = text.index('  management:\n    name: "Fabric Management')
    head, tail = text[:management], text[management:]
    dr.write_text(head + tail.replace("policy: replication_policy.hvr-5min", "policy: replication_policy.hvr-15min", 1))
    plan = ok(cli, "plan", reference)
    assert "-/+ cloud_pairing.management must be replaced  # policy cannot change in place" in plan
    assert "Replacing cloud_pairing.management disables protection of 5 protected VM(s)" in plan
    assert "~ recovery_plan.management-stamp will be updated in place" in plan
    for fmt in ("--compact", "--format=markdown"):  # the review formats say it too
        assert "Replacing cloud_pairing.management disables protection of 5" in ok(cli, "plan", reference, fmt)
    doc = json.loads(ok(cli, "plan", reference, "--format", "json"))
    assert len(doc["reinitialised"]["cloud_pairing.management"]) == 5


def test_a_moved_pairing_leaves_no_old_address_in_state(cli: Cli, tmp_path: Path) -> None:
    """After a `moved:` rename is applied, what other records name of it is the new address: the
    moved block can go and neither plan nor drift sees a difference."""
    stamp = _small(tmp_path)
    ok(cli, "apply", stamp, "--auto-approve")
    (stamp / "r.yaml").write_text(
        SMALL.replace("  iaas: {name: IaaS to", "  to-dr: {name: IaaS to").replace(
            "pairing: cloud_pairing.iaas", "pairing: cloud_pairing.to-dr"
        )
    )
    moved = "moved:\n  - {from: cloud_pairing.iaas, to: cloud_pairing.to-dr}\n"
    (stamp / "fabric.yaml").write_text((stamp / "fabric.yaml").read_text() + moved)
    ok(cli, "apply", stamp, "--auto-approve")
    (stamp / "fabric.yaml").write_text((stamp / "fabric.yaml").read_text().replace(moved, ""))
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
    assert cli("drift", stamp, "--detailed-exitcode").code == 0
    shown = json.loads(ok(cli, "show", stamp, "--format", "json"))["resources"]
    pvm = next(r for r in shown if r["address"] == "protected_vm.web")
    assert pvm["attributes"]["pairing"] == "cloud_pairing.to-dr"


NORDIC = Path(__file__).parent / "stamps" / "nordic"


def test_a_second_dr_design_applies_converges_exports_and_destroys(cli: Cli, tmp_path: Path) -> None:
    """tests/engine/stamps/nordic, written by an independent tester: two sites on one VMM, six
    clouds, four pairings, HNV and VLAN networks, every adapter mode, three recovery plans (two
    sharing VMs), library and external scripts. Applied, re-planned, perturbed, exported, destroyed."""
    import shutil

    stamp = tmp_path / "nordic"
    shutil.copytree(NORDIC, stamp)
    ok(cli, "validate", stamp)
    ok(cli, "apply", stamp, "--auto-approve")
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
    # a boot group's VMs start in parallel: their order in VMM is no change
    plan_doc = json.loads(ok(cli, "show", stamp, "--format", "json"))["resources"]
    plans = [r for r in plan_doc if r["address"].startswith("recovery_plan.")]
    target = next(p for p in plans if any(len(g["vms"]) > 1 for g in p["attributes"]["groups"]))
    g = next(i for i, grp in enumerate(target["attributes"]["groups"]) if len(grp["vms"]) > 1)
    reordered = json.dumps(list(reversed(target["attributes"]["groups"][g]["vms"])))
    ok(cli, "lab", "set", stamp, target["address"], f"groups[{g}].vms={reordered}")
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
    exported = tmp_path / "exported"
    ok(cli, "export", stamp, "--out", exported)
    assert cli("plan", exported, "--detailed-exitcode").code == 0
    without_prevent_destroy(stamp)
    ok(cli, "destroy", stamp, "--auto-approve")
    assert json.loads(ok(cli, "lab", "show", stamp, "--format", "json"))["objects"] == []


def test_keep_ip_needs_its_vlan_on_an_uplink_of_the_recovery_hosts(cli: Cli, reference: Path) -> None:
    """The seed's failure: the stretched site exists, but no uplink carries it to the DR hosts' switch."""
    switching = reference / "switching.yaml"
    text = switching.read_text()
    switching.write_text(_without(text, "      - network_site.management-stretched\n"))
    result = cli("apply", reference, "--auto-approve")
    assert result.code == 1
    assert "DR011 VLAN 150 reaches no host of the recovery cloud" in result.out + result.err
    assert "logical switch Fabric Switch" in result.out + result.err


def test_the_lab_protects_a_vm_once_and_rechecks_an_update(cli: Cli, reference: Path) -> None:
    ok(cli, "apply", reference, "--auto-approve")
    twice = cli("lab", "create", reference, "protected_vm", "dup", "vm=OSLO-APP01", "pairing=cloud_pairing.iaas-oslo")
    assert twice.code == 1 and "it is replicating already" in twice.err
    dr = reference / "dr.yaml"
    dr.write_text(dr.read_text().replace("switch: Fabric Switch", "switch: No Such Switch"))
    changed = cli("apply", reference, "--auto-approve")
    assert changed.code == 1
    assert "DR011 its replica's host STO-DR0" in changed.out + changed.err


def test_keep_ip_without_a_vlan_needs_the_vms_own_vlan_at_the_recovery_hosts(cli: Cli, reference: Path) -> None:
    dr = reference / "dr.yaml"
    dr.write_text(dr.read_text().replace("        vlan: 150\n", ""))
    switching = reference / "switching.yaml"
    switching.write_text(_without(switching.read_text(), "      - network_site.management-stretched\n"))
    result = cli("apply", reference, "--auto-approve")
    assert result.code == 1 and "DR011 VLAN 150 reaches no host" in result.out + result.err


def test_the_labs_protection_lookup_sees_its_own_and_other_connections_writes(tmp_path: Path) -> None:
    """What protecting a VM consults is read once per apply: a write through this provider, or a
    commit through another connection to the same lab, is seen by the next protection."""
    from fabric.providers.lab.provider import LabProvider

    one, other = LabProvider(tmp_path / "lab.db"), LabProvider(tmp_path / "lab.db")
    try:
        with one._tx(None) as db:
            assert one._dr_lookup(db) == {}
        made = one.create("host_group.a", "host_group", {"name": "A", "description": "", "parent": None})
        with one._tx(None) as db:
            assert set(one._dr_lookup(db)) == {made.id}
        theirs = other.create("host_group.b", "host_group", {"name": "B", "description": "", "parent": None})
        with one._tx(None) as db:
            assert set(one._dr_lookup(db)) == {made.id, theirs.id}
    finally:
        one.close()
        other.close()


def test_lab_dr_commands_refuse_bad_input_in_one_line(cli: Cli, tmp_path: Path) -> None:
    """A broken seed file at its line and column; an unknown VM, fact or value; exit 1, no traceback."""
    stamp = _small(tmp_path)
    bad = tmp_path / "bad-seed.yaml"
    bad.write_text("hosts:\n  H1: {host_group: Oslo/IaaS, switchs: [S]}\n")
    seeded = cli("lab", "seed", stamp, bad)
    assert seeded.code == 1 and "bad-seed.yaml:2:31: error: unknown key 'switchs'" in seeded.err
    ok(cli, "apply", stamp, "--auto-approve")
    for args, message in (
        (("lab", "vm", stamp, "NOPE01", "host=OSL-HV01"), "the lab has no primary VM named 'NOPE01'"),
        (("lab", "vm", stamp, "WEB01", "adapters.5.vlan=3"), "VM 'WEB01' has no fact adapters.5.vlan"),
        (("lab", "vm", stamp, "WEB01", "adapters.0.vlan=99999"), "adapters.0.vlan: Input should be less than"),
        (("lab", "vm", stamp, "WEB01", "host=NOWHERE"), "the lab has no host 'NOWHERE'"),
        (("lab", "replication", stamp, "NOPE01"), "VM 'NOPE01' is not replicating in the lab"),
    ):
        result = cli(*args)
        assert result.code == 1, args
        assert message in result.err and "Traceback" not in result.err, (args, result.err)
    assert cli("plan", stamp, "--detailed-exitcode").code == 0  # nothing changed
