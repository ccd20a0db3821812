"""`fabric dr check`: the nightly job's command — validation's warnings, replication posture,
changes not applied and every plan simulated in each failover type, one line per finding."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import Cli, copy_stamp


def _check(cli: Cli, stamp: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("dr", "check", stamp, "--detailed-exitcode", "--format", "json", *args)
    assert result.code in (0, 2), result.err
    return result.code, json.loads(result.out)


def _found(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["rule"], f["subject"]) for f in doc["findings"]}


def test_the_applied_reference_stamp_checks_clean_once_every_plan_is_drilled(
    cli: Cli, applied: Path, tmp_path: Path
) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    code, doc = _check(cli, stamp)
    assert code == 2 and doc["format_version"] == 1 and (doc["protected"], doc["replicating"]) == (8, 8)
    assert {(f["rule"], f["message"]) for f in doc["findings"]} == {("DR033", "never drilled (fabric dr drill)")}
    assert len(doc["plans"]) == 4 and len(doc["findings"]) == 4
    for plan in doc["plans"]:
        assert cli("dr", "drill", stamp, plan, "--auto-approve").code == 0
    code, doc = _check(cli, stamp)
    assert (code, doc["findings"]) == (0, [])
    text = cli("dr", "check", stamp)
    assert text.code == 0 and "No findings." in text.out and "8 of 8 protected VM(s)" in text.out
    assert any(n.startswith("DR032 replication lag") for n in doc["not_checked"])  # said, not skipped


def test_an_old_drill_a_drill_left_running_and_a_failover_are_found(cli: Cli, applied: Path, tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from fabric.engine import open_session
    from fabric.engine.dr import check

    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    assert cli("dr", "drill", stamp, "apps-oslo", "--auto-approve").code == 0
    with open_session(stamp) as session:
        later = check(session, "apps-oslo", now=datetime.now(UTC) + timedelta(days=91))
    assert [(f.rule, f.message) for f in later.findings] == [("DR033", "last drilled 91 days ago (at most 90)")]
    assert cli("dr", "drill", stamp, "apps-stockholm", "--auto-approve", "--keep").code == 0
    kept = _check(cli, stamp, "--plan", "apps-stockholm")[1]
    assert ("DR033", "recovery_plan.apps-stockholm") in _found(kept)
    assert any("left running" in f["message"] for f in kept["findings"])
    answers = tmp_path / "answers.yaml"
    answers.write_text("confirm: apps-oslo\n")
    assert cli("dr", "failover", stamp, "apps-oslo", "--planned", "--answers", answers).code == 0
    moved = _check(cli, stamp, "--plan", "apps-oslo")[1]
    assert ("DR023", "protected_vm.app-oslo") in _found(moved) and moved["replicating"] == 0


def test_broken_replication_and_a_broken_replica_are_found(cli: Cli, applied: Path, tmp_path: Path) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    assert cli("lab", "replication", stamp, "SMA01", "--state", "Error", "--health", "Critical").code == 0
    assert cli("lab", "vm", stamp, "WAPTEN01", "--replica", "adapters.0.failover_ipv4=enabled_empty").code == 0
    code, doc = _check(cli, stamp)
    assert code == 2
    assert ("DR032", "protected_vm.sma01") in _found(doc)
    assert not any(f["rule"] == "DR012" for f in doc["findings"])  # prepare-replica-network clears it first
    dr = stamp / "dr.yaml"
    dr.write_text(
        dr.read_text()
        .replace("        - {name: prepare-replica-network, builtin: prepare_replica_network}\n", "")
        .replace("    shutdown:\n      pre:\n", "")
    )
    code, doc = _check(cli, stamp)
    apipa = next(f for f in doc["findings"] if f["rule"] == "DR012")
    assert (apipa["subject"], apipa["severity"], apipa["types"]) == (
        "protected_vm.wapten01 adapter 0",
        "error",
        ["test", "planned", "unplanned"],
    )
    assert ("DR039", "reference") in _found(doc)  # the plan's change is not applied
    one = _check(cli, stamp, "--plan", "apps-oslo")[1]
    assert one["plans"] == ["recovery_plan.apps-oslo"] and one["protected"] == 1
    assert not any(f["rule"] in ("DR012", "DR032") for f in one["findings"])  # other plans' VMs


def test_a_stamp_not_applied_has_nothing_replicating(cli: Cli, tmp_path: Path) -> None:
    stamp = copy_stamp("reference", tmp_path)
    code, doc = _check(cli, stamp)
    assert code == 2 and doc["replicating"] == 0
    assert sum(f["rule"] == "DR038" for f in doc["findings"]) == 8
    plain = cli("dr", "check", stamp)
    assert plain.code == 0, "without --detailed-exitcode findings do not fail the command"
