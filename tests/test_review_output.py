"""Saved plans (staleness), --target/--exclude, markdown for pull requests, compact text."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli

from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.render.markdown import LIMIT, plan_markdown


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


def test_compact_and_markdown_formats(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    assert cli("lab", "set", lab, "cloud.iaas", "capacity.vm_count=3").code == 0
    compact = cli("plan", lab, "--compact").out.splitlines()
    assert compact[0] == "  ~ cloud.iaas  (capacity.vm_count; reverts changes made outside fabric)"
    markdown = cli("plan", lab, "--format", "markdown").out
    assert "| update | 1 |" in markdown
    assert "<details><summary>cloud (1 changed)</summary>" in markdown
    assert "`capacity.vm_count`: `3` → `20`" in markdown


def _big_plan(n: int) -> Plan:
    changes = []
    for i in range(n):
        before = {"name": f"c{i}", "description": "x" * 40}
        after = {"name": f"c{i}", "description": "y" * 40}
        changes.append(Change(f"cloud.c{i:05}", "cloud", f"c{i}", Action.UPDATE, before, after, ("description",)))
    changes.append(Change("logical_network.old", "logical_network", "Old", Action.DELETE, {"name": "Old"}, None))
    return Plan("big", tuple(changes))


def test_markdown_falls_back_to_names_and_then_cuts() -> None:
    small = plan_markdown(_big_plan(10))
    assert "`description`" in small and "left out" not in small
    medium = plan_markdown(_big_plan(800))
    assert len(medium) <= LIMIT
    assert "Attribute-level details left out" in medium
    assert "- ~ `cloud.c00799`" in medium
    assert "**Will be deleted (1):** `logical_network.old`" in medium
    huge = plan_markdown(_big_plan(5000))
    assert len(huge) <= LIMIT
    assert "list cut at 65,000 characters (5,001 changed resources in all)" in huge


def test_a_targeted_plan_says_it_is_partial(cli: Cli, lab: Path) -> None:
    text = cli("plan", lab, "--target", "ip_pool.management").out
    assert "Note: targeted: 4 of 12 resources considered. A partial plan" in text


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
