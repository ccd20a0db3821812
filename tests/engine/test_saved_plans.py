"""Saved plans (`plan --out`, `apply PLANFILE`): applied exactly as made, refused when state or the
live inventory moved on, not refused for activity the plan neither changes nor needs."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli


def _apply(cli: Cli, stamp: Path) -> None:
    assert cli("apply", stamp, "--auto-approve").code == 0


def test_saved_plan_applies_exactly_and_is_refused_when_stale(cli: Cli, lab: Path, tmp_path: Path) -> None:
    planfile = tmp_path / "p.fabricplan"
    made = cli("plan", lab, "--out", planfile)
    assert made.code == 0 and "Saved the plan" in made.err
    doc = json.loads(planfile.read_text())
    assert doc["format"] == "fabric-plan" and doc["format_version"] == 4
    assert set(doc["desired"]) >= {"cloud.iaas", "host_group.Lab/IaaS"}
    shown = json.loads(cli("show", planfile, "--format", "json").out)
    assert shown["summary"]["create"] == 12
    (lab / "lab.yaml").write_text((lab / "lab.yaml").read_text().replace("vm_count: 20", "vm_count: 25"))
    applied = cli("apply", planfile)
    assert applied.code == 0, applied.err
    live = json.loads(cli("lab", "show", lab, "--format", "json").out)["objects"]
    assert next(o for o in live if o["kind"] == "cloud")["attributes"]["capacity"]["vm_count"] == 20  # as planned
    again = cli("apply", planfile)
    assert again.code == 1
    assert "saved plan is stale: state changed since the plan was made (serial 0 → 12)" in again.err


def test_saved_plan_refused_after_a_lab_edit(cli: Cli, lab: Path, tmp_path: Path) -> None:
    _apply(cli, lab)
    assert cli("lab", "set", lab, "cloud.iaas", "description=one").code == 0
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", lab, "--out", planfile).code == 0
    assert cli("lab", "set", lab, "cloud.iaas", "description=two").code == 0
    refused = cli("apply", planfile)
    assert refused.code == 1
    assert "saved plan is stale: the live inventory changed since the plan was made" in refused.err
    live = json.loads(cli("lab", "show", lab, "--format", "json").out)["objects"]
    assert next(o for o in live if o["kind"] == "cloud")["attributes"]["description"] == "two"


def test_not_a_plan_file(cli: Cli, tmp_path: Path) -> None:
    bogus = tmp_path / "x.fabricplan"
    bogus.write_text("{}")
    result = cli("apply", bogus)
    assert result.code == 1 and "not a fabric plan file" in result.err


def _by_hand(lab: Path, kind: str, attributes: dict[str, object]) -> None:
    from fabric.providers.lab.provider import LabProvider

    vmm = LabProvider(lab / ".fabric" / "lab.db")
    try:
        vmm.create("console", kind, attributes)
    finally:
        vmm.close()


def test_saved_plan_survives_unrelated_activity_and_notices_what_it_relies_on(
    cli: Cli, lab: Path, tmp_path: Path
) -> None:
    _apply(cli, lab)
    doc = lab / "lab.yaml"
    doc.write_text(doc.read_text().replace("vm_count: 20", "vm_count: 30"))
    extra = lab / "extra.yaml"
    extra.write_text("port_classification:\n  gold: {}\n")
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", lab, "--out", planfile).code == 0
    # a tenant (or another admin) adds something this plan neither changes nor needs
    _by_hand(
        lab,
        "logical_network",
        {"name": "Tenant PA", "description": "", "isolation": "connected", "network_virtualization": True},
    )
    applied = cli("apply", planfile)
    assert applied.code == 0, applied.err
    # again, and this time someone takes the name the plan's create needs
    extra.write_text(extra.read_text() + "  silver: {}\n")
    assert cli("plan", lab, "--out", planfile).code == 0
    _by_hand(lab, "port_classification", {"name": "SILVER", "description": "by hand"})
    refused = cli("apply", planfile)
    assert refused.code == 1
    assert "saved plan is stale: the live inventory changed since the plan was made: port_classification" in refused.err
    assert "now takes a name or slot the plan needs" in refused.err
