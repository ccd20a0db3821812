"""Regressions found in review: renames, usage errors, dotted keys, emoji, depends_on, lab values."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli


def _apply(cli: Cli, stamp: Path) -> None:
    result = cli("apply", stamp, "--auto-approve")
    assert result.code == 0, result.out + result.err


def test_renaming_a_location_moves_the_host_groups_cleanly(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    cfg = lab / "fabric.yaml"
    cfg.write_text(cfg.read_text().replace('location: "Lab"', 'location: "Lab2"'))
    _apply(cli, lab)
    assert cli("plan", lab, "--detailed-exitcode").code == 0
    names = {o["name"] for o in json.loads(cli("lab", "show", lab, "--format", "json").out)["objects"]}
    assert "Lab2" in names and "Lab" not in names


def test_renamed_key_with_the_same_name_asks_for_a_moved_block(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    doc = lab / "lab.yaml"
    text = doc.read_text().replace("port_classification:\n  vm-roles:", "port_classification:\n  vmroles:")
    doc.write_text(text.replace("port_classification.vm-roles", "port_classification.vmroles"))
    result = cli("plan", lab)
    assert result.code == 0, result.err  # orderable: the switch leaves the old class first
    hint = "takes the name of port_classification.vm-roles, deleted first; if you renamed the key, moved: "
    assert hint + "[{from: port_classification.vm-roles, to: port_classification.vmroles}] keeps it" in result.out
    cfg = lab / "fabric.yaml"
    cfg.write_text(
        cfg.read_text() + "moved:\n  - {from: port_classification.vm-roles, to: port_classification.vmroles}\n"
    )
    _apply(cli, lab)
    assert cli("plan", lab, "--detailed-exitcode").code == 0


@pytest.mark.parametrize(
    "args", [[], ["plan"], ["plan", "x", "--format", "xml"], ["nope"], ["apply", "x", "--parallelism", "0"]]
)
def test_usage_errors_exit_1_without_traceback(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "fabric", *args], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == (0 if not args else 1)


def test_custom_property_changes_are_shown_with_their_key(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace('CreateHighlyAvailableVMRoles: "true"', 'CreateHighlyAvailableVMRoles: "false"')
    )
    text = cli("plan", lab).out
    assert '~ custom_properties["custom_property.CreateHighlyAvailableVMRoles"]: "true" → "false"' in text
    _apply(cli, lab)
    assert cli("plan", lab, "--detailed-exitcode").code == 0


def test_json_outputs_keep_text_verbatim(cli: Cli, lab: Path) -> None:
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace(
            "    name: VM Roles\n", "    name: VM Roles\n    description: 'see :warning: [red]x[/red]'\n", 1
        )
    )
    _apply(cli, lab)
    state = json.loads(cli("show", lab, "--format", "json").out)
    descriptions = {r["attributes"].get("description") for r in state["resources"]}
    assert "see :warning: [red]x[/red]" in descriptions
    live = json.loads(cli("lab", "show", lab, "--format", "json").out)["objects"]
    assert "see :warning: [red]x[/red] [fabric stamp=lab]" in {o["attributes"].get("description") for o in live}


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


def test_bad_values_in_lab_set_are_refused_cleanly(cli: Cli, lab: Path) -> None:
    _apply(cli, lab)
    for assignment in ("range_start=garbage", "gateways=[notanip]", "name=null"):
        result = cli("lab", "set", lab, "ip_pool.management", assignment)
        assert result.code == 1
        assert result.err.startswith("error: VMM refused"), result.err
    immutable = cli("lab", "set", lab, "ip_pool.management", "subnet=10.9.9.0/24")
    assert "subnet cannot be changed once created" in immutable.err
