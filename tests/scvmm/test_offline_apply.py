"""Without a connection to VMM (a saved inventory, or script_only) apply and destroy refuse before
anything is planned or changed, and say how to write the change as a script instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, scvmm_reference

FIXTURES = Path(__file__).parent / "fixtures"


def _stamp(tmp_path: Path, script_only: bool) -> Path:
    extra = "\n  script_only: true" if script_only else ""
    return scvmm_reference(tmp_path, f"  server: vmm01.corp.example{extra}")


@pytest.mark.parametrize("script_only", [False, True])
def test_apply_without_a_connection_is_refused_before_anything(cli: Cli, tmp_path: Path, script_only: bool) -> None:
    stamp = _stamp(tmp_path, script_only)
    result = cli("apply", stamp, "--auto-approve", "--inventory", FIXTURES / "inventory_empty.json")
    assert result.code == 1
    assert "has no connection to VMM here" in result.err and "--emit-script FILE" in result.err
    assert "will be created" not in result.out and "Traceback" not in result.err


def test_destroy_without_a_connection_is_refused_before_anything(cli: Cli, tmp_path: Path) -> None:
    result = cli("destroy", _stamp(tmp_path, script_only=True), "--auto-approve")
    assert result.code == 1
    assert "has no connection to VMM here" in result.err and "fabric plan --destroy --out FILE" in result.err


def test_a_saved_plan_without_a_connection_points_to_fabric_script(cli: Cli, tmp_path: Path) -> None:
    stamp = _stamp(tmp_path, script_only=True)
    saved = tmp_path / "change.fabricplan"
    assert cli("plan", stamp, "--inventory", FIXTURES / "inventory_empty.json", "--out", saved).code == 0
    result = cli("apply", saved)
    assert result.code == 1 and f"fabric script {saved}" in result.err
    assert cli("script", saved).code == 0  # what it says to do works


def _broken_inventory(tmp_path: Path, edit: str) -> Path:
    import json

    doc = json.loads((FIXTURES / "inventory_small.json").read_text())
    if edit == "missing":
        del doc["cloud"]
    else:
        doc["port_classification"][0] = {"ID": "x"}  # an object without its fields
    path = tmp_path / "inventory.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("missing", "the inventory has no cloud list"),
        ("malformed", "inventory document is malformed: port_classification[0]: no 'Name' field"),
    ],
)
def test_a_broken_inventory_is_one_line_and_exit_1(cli: Cli, tmp_path: Path, edit: str, message: str) -> None:
    stamp = _stamp(tmp_path, script_only=True)
    result = cli("plan", stamp, "--inventory", _broken_inventory(tmp_path, edit))
    assert result.code == 1 and "Traceback" not in result.err
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.err
