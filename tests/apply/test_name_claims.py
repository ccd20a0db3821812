"""Names passed from one object to another in one apply: a create or a rename waits until the name
is let go of (VMM keeps names unique); a renamed key asks for a moved block; objects trading
names are refused with a hint, by design."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli
from one_apply import apply_then_change, write


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


def test_renames_that_pass_a_name_along_apply_in_one_go(cli: Cli, tmp_path: Path) -> None:
    before = "port_classification:\n  a: {name: Gold}\n  b: {name: Silver}\n"
    after = "port_classification:\n  a: {name: Silver}\n  b: {name: Bronze}\n"
    apply_then_change(cli, tmp_path / "names", before, after)


def test_two_objects_trading_names_are_refused_with_a_hint(cli: Cli, tmp_path: Path) -> None:
    before = "port_classification:\n  a: {name: Gold}\n  b: {name: Silver}\n"
    after = "port_classification:\n  a: {name: Silver}\n  b: {name: Gold}\n"
    stamp = tmp_path / "swap"
    assert cli("apply", write(stamp, before), "--auto-approve").code == 0
    result = cli("plan", write(stamp, after))
    assert result.code == 1
    assert "the plan cannot be ordered" in result.err
    assert "trade names" in result.err and "temporary name" in result.err
