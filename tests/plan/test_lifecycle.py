"""moved blocks, lifecycle.prevent_destroy and lifecycle.ignore_changes, end to end on the lab."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli


def _plan(cli: Cli, stamp: Path) -> dict:
    result = cli("plan", stamp, "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)


def _apply(cli: Cli, stamp: Path) -> None:
    result = cli("apply", stamp, "--auto-approve")
    assert result.code == 0, result.out + result.err


def _live_ids(cli: Cli, stamp: Path) -> set[str]:
    return {o["id"] for o in json.loads(cli("lab", "show", stamp, "--format", "json").out)["objects"]}


def test_moved_renames_in_place_without_delete(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    before = _live_ids(cli, lab)
    doc = lab / "lab.yaml"
    doc.write_text(doc.read_text().replace("cloud:\n  iaas:\n", "cloud:\n  iaas-lab:\n"))
    cfg = lab / "fabric.yaml"
    cfg.write_text(cfg.read_text() + "moved:\n  - from: cloud.iaas\n    to: cloud.iaas-lab\n")
    plan = _plan(cli, lab)
    assert plan["summary"]["delete"] == 0 and plan["summary"]["create"] == 0
    moved = [c for c in plan["changes"] if c["moved_from"]]
    assert [(c["address"], c["moved_from"], c["action"]) for c in moved] == [("cloud.iaas-lab", "cloud.iaas", "no-op")]
    assert "cloud.iaas-lab has moved from cloud.iaas" in cli("plan", lab).out
    _apply(cli, lab)
    assert _live_ids(cli, lab) == before
    state = json.loads(cli("show", lab, "--format", "json").out)
    assert "cloud.iaas-lab" in {r["address"] for r in state["resources"]}
    assert "cloud.iaas" not in {r["address"] for r in state["resources"]}
    assert cli("plan", lab, "--detailed-exitcode").code == 0


def test_moved_with_a_display_name_change_is_an_update(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace('  iaas:\n    name: "IaaS {{ var.location }}"', "  tenant:\n    name: Tenant")
    )
    cfg = lab / "fabric.yaml"
    cfg.write_text(cfg.read_text() + "moved:\n  - {from: cloud.iaas, to: cloud.tenant}\n")
    plan = _plan(cli, lab)
    change = next(c for c in plan["changes"] if c["address"] == "cloud.tenant")
    assert (change["action"], change["moved_from"], change["changed_paths"]) == ("update", "cloud.iaas", ["name"])
    assert plan["summary"]["delete"] == 0


def test_prevent_destroy_refuses_delete_and_replace(cli: Cli, lab: Path) -> None:
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace(
            "  lab:\n    name: Lab Switch\n", "  lab:\n    name: Lab Switch\n    lifecycle: {prevent_destroy: true}\n"
        )
    )
    _apply(cli, lab)
    doc.write_text(
        doc.read_text().replace(
            "name: Lab Switch\n", "name: Lab Switch\n    enable_sriov: true\n    uplink_mode: no_team\n"
        )
    )
    refused = cli("plan", lab)
    assert refused.code == 1
    assert "lifecycle.prevent_destroy forbids this plan: logical_switch.lab would be replaced" in refused.err
    assert cli("destroy", lab, "--auto-approve").code == 1
    assert "logical_switch.lab would be deleted" in cli("destroy", lab, "--auto-approve").err
    assert len(_live_ids(cli, lab)) == 12


def test_ignore_changes_silences_drift_and_apply_keeps_the_live_value(cli: Cli, lab: Path) -> None:
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace(
            "    capacity:\n      vm_count: 20\n",
            "    lifecycle:\n      ignore_changes: [capacity.vm_count]\n    capacity:\n      vm_count: 20\n",
        )
    )
    _apply(cli, lab)
    assert cli("lab", "set", lab, "cloud.iaas", "capacity.vm_count=99", "description=edited").code == 0
    plan = _plan(cli, lab)
    change = next(c for c in plan["changes"] if c["address"] == "cloud.iaas")
    assert change["changed_paths"] == ["description"]
    _apply(cli, lab)
    live = json.loads(cli("lab", "show", lab, "--format", "json").out)["objects"]
    cloud = next(o for o in live if o["kind"] == "cloud")
    assert cloud["attributes"]["capacity"]["vm_count"] == 99
    assert cloud["attributes"]["description"] == "[fabric stamp=lab]"  # the ownership tag, nothing else


def test_lifecycle_and_moved_are_validated(cli: Cli, lab: Path) -> None:
    cfg = lab / "fabric.yaml"
    cfg.write_text(cfg.read_text() + "moved:\n  - {from: cloud.iaas, to: cloud.nowhere}\n")
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace("    capacity:\n", "    lifecycle: {ignore_changes: [colour]}\n    capacity:\n")
    )
    result = cli("validate", lab)
    assert result.code == 1
    assert "fabric.yaml:" in result.err and "cloud.iaas, which is still declared" in result.err
    assert "ignore_changes: cloud has no attribute 'colour'" in result.err
