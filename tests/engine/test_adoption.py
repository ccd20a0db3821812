"""fabric import (adopt one object) and fabric export (YAML + state for everything), round trip."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli, resource_count

NOTHING = {"create": 0, "adopt": 0, "update": 0, "replace": 0, "delete": 0, "forget": 0, "no_op": 0}


def _plan(cli: Cli, stamp: Path) -> dict:
    result = cli("plan", stamp, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_export_then_plan_is_empty_on_the_reference_stamp(cli: Cli, reference: Path, tmp_path: Path) -> None:
    assert cli("apply", reference, "--auto-approve").code == 0
    desired = resource_count(reference)
    target = tmp_path / "existing"
    result = cli("export", reference, "--out", target)
    assert result.code == 0, result.err
    assert f"Exported {desired} objects" in result.out
    files = sorted(p.name for p in target.glob("*.yaml"))
    assert files == sorted(
        [
            "fabric.yaml",
            "cloud.yaml",
            "custom_property.yaml",
            "host_group.yaml",
            "ip_grant.yaml",
            "ip_pool.yaml",
            "logical_network.yaml",
            "logical_switch.yaml",
            "network_site.yaml",
            "port_classification.yaml",
            "uplink_port_profile.yaml",
            "virtual_port_profile.yaml",
            "vm_network.yaml",
            # the DR design
            "cloud_pairing.yaml",
            "library_script.yaml",
            "network_mapping.yaml",
            "protected_vm.yaml",
            "recovery_plan.yaml",
            "replication_policy.yaml",
        ]
    )
    assert cli("validate", target).code == 0
    plan = _plan(cli, target)
    assert plan["summary"] == {**NOTHING, "no_op": desired}
    cloud = (target / "cloud.yaml").read_text()
    assert "host_group.Oslo/IaaS" in cloud and "custom_property.createhighlyavailablevmroles" in cloud
    refused = cli("export", reference, "--out", target)
    assert refused.code == 1 and "not empty" in refused.err


def test_import_adopts_one_object_and_plan_shows_only_real_differences(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    (lab / ".fabric" / "state.db").unlink()
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace(
            "port_classification:\n  vm-roles:\n    name: VM Roles\n",
            "port_classification:\n  vm-roles:\n    name: VM Roles\n    description: Tenant VMs\n",
        )
    )
    result = cli("import", lab, "port_classification.vm-roles", "VM Roles")
    assert result.code == 0, result.err
    assert "Imported port_classification 'VM Roles'" in result.out
    state = json.loads(cli("show", lab, "--format", "json").out)
    assert [r["address"] for r in state["resources"]] == ["port_classification.vm-roles"]
    change = next(c for c in _plan(cli, lab)["changes"] if c["address"] == "port_classification.vm-roles")
    assert (change["action"], change["changed_paths"]) == ("update", ["description"])
    again = cli("import", lab, "port_classification.vm-roles", "VM Roles")
    assert again.code == 1 and "already in state" in again.err


def test_import_errors(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    assert "not declared" in cli("import", lab, "cloud.nope", "IaaS Lab").err
    taken = cli("import", lab, "cloud.iaas", "IaaS Lab")
    assert taken.code == 1 and "already in state" in taken.err
    (lab / ".fabric" / "state.db").unlink()
    assert "no live cloud named or with ID 'Nope'" in cli("import", lab, "cloud.iaas", "Nope").err
    assert cli("import", lab, "logical_network.management", "Management").code == 0
    twice = cli("import", lab, "cloud.iaas", "Management")
    assert "no live cloud named" in twice.err


def test_export_leaves_out_what_other_stamps_manage_and_writes_canonical_yaml(
    cli: Cli, lab: Path, tmp_path: Path
) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    from fabric.providers.lab.provider import LabProvider

    vmm = LabProvider(lab / ".fabric" / "lab.db")
    try:  # another stamp's network, and a VM network on it
        net = vmm.create(
            "x",
            "logical_network",
            {
                "name": "Theirs",
                "description": "[fabric stamp=other]",
                "isolation": "connected",
                "network_virtualization": False,
            },
        )
        vmm.create(
            "y",
            "vm_network",
            {
                "name": "On theirs",
                "description": "",
                "logical_network": net.id,
                "isolation": "no_isolation",
                "subnets": [],
            },
        )
    finally:
        vmm.close()
    target = tmp_path / "existing"
    result = cli("export", lab, "--out", target)
    assert result.code == 0, result.err
    assert "Left out 2 objects other stamps manage" in result.err
    assert "Theirs" not in (target / "logical_network.yaml").read_text()
    assert cli("fmt", target, "--check").code == 0
    assert cli("plan", target, "--detailed-exitcode").code == 0
