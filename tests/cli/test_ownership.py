"""Ownership across stamps on one VMM: objects fabric creates carry their stamp's tag; another
stamp never adopts (or deletes) them; an untagged object is taken over only as a visible adopt."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli, copy_stamp

from fabric.providers.lab.provider import LabProvider


def _second_stamp(tmp_path: Path, lab_db: Path, name: str = "other") -> Path:
    """A copy of stamps/lab under another stamp name, on the same lab VMM."""
    stamp = copy_stamp("lab", tmp_path / name)
    cfg = stamp / "fabric.yaml"
    text = cfg.read_text().replace('stamp: "lab"', f'stamp: "{name}"')
    cfg.write_text(text.replace("  type: lab\n", f"  type: lab\n  path: {lab_db}\n"))
    return stamp


def _live(cli: Cli, stamp: Path) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(cli("lab", "show", stamp, "--format", "json").out)["objects"]  # type: ignore[no-any-return]


def test_objects_carry_the_stamp_tag_and_another_stamp_refuses_to_adopt_them(
    cli: Cli, lab: Path, tmp_path: Path
) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    tagged = {o["name"]: o["attributes"].get("description") for o in _live(cli, lab)}
    assert tagged["IaaS Lab"] == "[fabric stamp=lab]"
    assert tagged["Lab"] == "The lab location [fabric stamp=lab]"
    assert "[fabric" not in str(tagged["Management Lab"])  # a site: no description in VMM, owned with its network
    other = _second_stamp(tmp_path, lab / ".fabric" / "lab.db")
    refused = cli("plan", other)
    assert refused.code == 1
    lines = [line for line in refused.err.splitlines() if line.startswith("error: ")]
    assert any("cloud.iaas: the live cloud 'IaaS Lab'" in line and "managed by stamp 'lab'" in line for line in lines)
    # one line per object the other stamp owns (members of those, unmatched, are not listed again)
    assert len(lines) >= 5 and len(lines) == len(set(lines))
    assert "Traceback" not in refused.err
    assert cli("apply", other, "--auto-approve").code == 1  # nothing applied
    assert cli("plan", lab, "--detailed-exitcode").code == 0
    # the plans never show the tag itself
    assert "fabric stamp=" not in cli("plan", lab, "--format", "json").out


def test_an_untagged_object_is_adopted_visibly_then_tagged(cli: Cli, lab: Path) -> None:
    lab_db = lab / ".fabric" / "lab.db"
    lab_db.parent.mkdir(parents=True)
    vmm = LabProvider(lab_db)
    try:  # made by hand in the VMM console before fabric ran
        attrs = {"name": "VM Roles", "description": "made by hand"}
        vmm.create("console", "port_classification", attrs)
    finally:
        vmm.close()
    plan = json.loads(cli("plan", lab, "--format", "json").out)
    change = next(c for c in plan["changes"] if c["address"] == "port_classification.vm-roles")
    assert change["action"] == "adopt" and change["changed_paths"] == ["description"]
    assert plan["summary"]["adopt"] == 1 and plan["summary"]["create"] == 11
    text = cli("plan", lab).out
    assert "<= port_classification.vm-roles will be adopted: fabric takes over this existing object" in text
    assert "Plan: 11 to create, 1 to adopt, 0 to update" in text
    assert "<= port_classification.vm-roles  (description)" in cli("plan", lab, "--compact").out
    markdown = cli("plan", lab, "--format", "markdown").out
    assert "| adopt | 1 |" in markdown and "| <= | `port_classification.vm-roles`" in markdown
    assert cli("apply", lab, "--auto-approve").code == 0
    vm_roles = next(o for o in _live(cli, lab) if o["kind"] == "port_classification")
    assert vm_roles["attributes"]["description"] == "[fabric stamp=lab]"
    assert cli("plan", lab, "--detailed-exitcode").code == 0


def test_an_adopt_alone_is_a_pending_change_for_detailed_exitcode(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    (lab / ".fabric" / "state.db").unlink()
    vmm = LabProvider(lab / ".fabric" / "lab.db")
    try:  # take the tag off one object, as a console edit of its description would
        pc = next(o for o in vmm.read_inventory() if o.kind == "port_classification")
        vmm.edit(pc.id, ["description"], "")
    finally:
        vmm.close()
    plan = json.loads(cli("plan", lab, "--format", "json").out)
    assert plan["summary"]["adopt"] == 1 and plan["summary"]["no_op"] == 11
    assert cli("plan", lab, "--detailed-exitcode").code == 2
    assert cli("apply", lab, "--auto-approve").code == 0
    assert cli("plan", lab, "--detailed-exitcode").code == 0


def test_adoption_that_would_replace_is_refused(cli: Cli, lab: Path) -> None:
    lab_db = lab / ".fabric" / "lab.db"
    lab_db.parent.mkdir(parents=True)
    vmm = LabProvider(lab_db)
    try:  # a tenant's network with the code's name but another isolation, which VMM cannot change
        attrs = {"name": "Management", "description": "", "isolation": "vlan", "network_virtualization": False}
        vmm.create("console", "logical_network", attrs)
    finally:
        vmm.close()
    refused = cli("plan", lab)
    assert refused.code == 1
    assert "logical_network.management: the live logical_network 'Management'" in refused.err
    assert "was not created by fabric" in refused.err and "lifecycle.replace_adopted: true" in refused.err
    assert cli("apply", lab, "--auto-approve").code == 1
    assert len(_live(cli, lab)) == 1  # nothing was created, nothing deleted


def test_import_of_another_stamps_object_needs_force(cli: Cli, lab: Path, tmp_path: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    other = _second_stamp(tmp_path, lab / ".fabric" / "lab.db")
    refused = cli("import", other, "cloud.iaas", "IaaS Lab")
    assert refused.code == 1 and "tagged as managed by stamp 'lab'" in refused.err
    assert cli("import", other, "cloud.iaas", "IaaS Lab", "--force").code == 0
