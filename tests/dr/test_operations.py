"""DR operations on the lab, for real: a drill agrees with its simulation VM by VM and leaves the
lab as it was; planned failover → commit → reprotect → failback ends where it started; the guards
(typed confirmation, the simulation's errors, phases, apply during a failover) refuse and change
nothing; every step is in the operation log."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

PLANS = ["management-stamp", "apps-oslo", "apps-stockholm", "apps-copenhagen"]


@pytest.fixture
def stamp(applied: Path, tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(applied, target)
    return target


def _answers(tmp_path: Path, confirm: str, manual: str = "done") -> Path:
    """The confirmation, and the management stamp's manual step (only that plan has one)."""
    path = tmp_path / f"answers-{confirm}.yaml"
    text = f"confirm: {confirm}\n"
    if confirm == "management-stamp":
        text += f"manual:\n  sql-ag-primary-at-dr: {{outcome: {manual}, comment: AG on SQL02}}\n"
    path.write_text(text)
    return path


def _lab(cli: Cli, stamp: Path) -> dict[str, Any]:
    """Everything the lab holds that a failover could touch: VMs, replication, objects and grants."""
    vms = json.loads(cli("lab", "vms", stamp, "--format", "json").out)
    show = json.loads(cli("lab", "show", stamp, "--format", "json").out)
    return {"vms": vms, "objects": show}


def _predicted(cli: Cli, stamp: Path, plan: str, kind: str) -> dict[str, Any]:
    result = cli("dr", "simulate", stamp, plan, "--type", kind, "--format", "json")
    assert result.code in (0, 2), result.err
    doc = json.loads(result.out)
    return {
        vm["address"]: (
            vm["host"],
            [(a["slot"], a["ip"], a["vm_network"], a["switch"], a["vlan"]) for a in vm["adapters"]],
        )
        for vm in doc["vms"]
    }


def _happened(cli: Cli, stamp: Path) -> dict[str, Any]:
    status = json.loads(cli("dr", "status", stamp, "--format", "json").out)
    assert status["format_version"] == 1
    return status


def _logged(stamp: Path) -> list[Any]:
    from fabric.state.sqlite import SqliteState

    state = SqliteState(stamp / ".fabric")
    try:
        return state.operations()
    finally:
        state.close()


def _landed(entry: Any) -> dict[str, Any]:
    return {
        address: (
            o["host"],
            [(a["slot"], a.get("ip"), a.get("vm_network"), a.get("switch"), a.get("vlan")) for a in o["adapters"]],
        )
        for address, o in entry.vms.items()
    }


@pytest.mark.parametrize("plan", PLANS)
def test_a_drill_agrees_with_its_simulation_and_leaves_the_lab_as_it_was(cli: Cli, stamp: Path, plan: str) -> None:
    before = _lab(cli, stamp)
    predicted = _predicted(cli, stamp, plan, "test")
    done = cli("dr", "drill", stamp, plan, "--auto-approve")
    assert done.code == 0, done.out + done.err
    (entry, *_) = _logged(stamp)
    assert (entry.operation, entry.outcome, entry.kind) == ("drill", "completed", "test")
    assert _landed(entry) == predicted  # VM by VM: the host, each adapter's address and network
    assert _lab(cli, stamp) == before  # test VMs deleted, the drill's addresses given back


def test_a_planned_failover_agrees_with_its_simulation(cli: Cli, stamp: Path, tmp_path: Path) -> None:
    predicted = _predicted(cli, stamp, "apps-oslo", "planned")
    done = cli("dr", "failover", stamp, "apps-oslo", "--planned", "--answers", _answers(tmp_path, "apps-oslo"))
    assert done.code == 0, done.out + done.err
    assert _landed(_logged(stamp)[0]) == predicted
    (vm,) = [v for v in _lab(cli, stamp)["vms"]["vms"] if v["name"] == "OSLO-APP01" and v["role"] == "replica"]
    assert vm["adapters"][0]["ip"] == predicted["protected_vm.app-oslo"][1][0][1]  # the replica took that address


def test_a_broken_replica_fails_the_same_way_in_the_simulation_and_the_drill(cli: Cli, stamp: Path) -> None:
    dr = stamp / "dr.yaml"
    text = dr.read_text()
    prepare = "        - {name: prepare-replica-network, builtin: prepare_replica_network}\n"
    assert prepare in text
    dr.write_text(text.replace(prepare, "").replace("    shutdown:\n      pre:\n", ""))
    assert cli("apply", stamp, "--auto-approve").code == 0
    assert cli("lab", "vm", stamp, "WAPTEN01", "--replica", "adapters.0.failover_ipv4=enabled_empty").code == 0
    predicted = _predicted(cli, stamp, "management-stamp", "test")
    assert predicted["protected_vm.wapten01"][1][0][1] == "169.254.x.x"
    refused = cli("dr", "drill", stamp, "management-stamp", "--auto-approve")
    assert refused.code == 1 and "DR012 protected_vm.wapten01" in refused.err  # the simulation's error refuses
    assert _logged(stamp) == []
    forced = cli("dr", "drill", stamp, "management-stamp", "--auto-approve", "--force")
    assert forced.code == 0
    assert _landed(_logged(stamp)[0]) == predicted  # APIPA in the lab too


def test_planned_failover_commit_reprotect_failback_ends_where_it_started(
    cli: Cli, stamp: Path, tmp_path: Path
) -> None:
    before = _lab(cli, stamp)
    answers = _answers(tmp_path, "management-stamp")
    assert cli("dr", "failover", stamp, "management-stamp", "--planned", "--answers", answers).code == 0
    plan = cli("plan", stamp, "--detailed-exitcode")
    assert plan.code == 0, "a failed-over plan is posture, never drift to undo"
    assert "failed over (planned) by recovery_plan.management-stamp: running on STO-DR0" in plan.out
    drift = cli("drift", stamp, "--detailed-exitcode")
    assert drift.code == 0
    phases = {v["vm"]: v["phase"] for v in _happened(cli, stamp)["vms"]}
    assert phases["SPF01"] == "failed_over" and phases["OSLO-APP01"] == "home"
    for step in ("commit", "reprotect"):
        args = ["--answers", str(answers)] if step == "commit" else []
        assert cli("dr", step, stamp, "management-stamp", *args).code == 0
    assert "replicating back to the primary site" in cli("plan", stamp).out
    back = cli("dr", "failback", stamp, "management-stamp", "--answers", answers)
    assert back.code == 0, back.out + back.err
    assert _lab(cli, stamp) == before
    assert {v["phase"] for v in _happened(cli, stamp)["vms"]} == {"home"}
    assert "8 of 8 protected VM(s) replicating normally" in cli("plan", stamp).out
    log = _logged(stamp)
    assert [e.operation for e in reversed(log)] == ["failover", "commit", "reprotect", "failback"]
    manual = next(s for s in log[-1].steps if s["what"] == "sql-ag-primary-at-dr")
    assert (manual["status"], manual["comment"]) == ("done", "AG on SQL02")


def test_failover_needs_the_plans_name_typed(cli: Cli, stamp: Path, tmp_path: Path) -> None:
    before = _lab(cli, stamp)
    refused = cli("dr", "failover", stamp, "apps-oslo", "--unplanned", stdin="yes\n")
    assert refused.code == 1 and "not confirmed: nothing was done" in refused.err
    wrong = cli("dr", "failover", stamp, "apps-oslo", "--unplanned", "--answers", _answers(tmp_path, "apps-bergen"))
    assert wrong.code == 1 and "not 'apps-oslo'" in wrong.err
    assert _lab(cli, stamp) == before and _logged(stamp) == []
    typed = cli("dr", "failover", stamp, "apps-oslo", "--unplanned", stdin="apps-oslo\n")
    assert typed.code == 0, typed.err
    again = cli("dr", "failover", stamp, "apps-oslo", "--unplanned", stdin="apps-oslo\n")
    assert again.code == 1 and "in a failover already" in again.err
    assert cli("dr", "reprotect", stamp, "apps-oslo").code == 1  # not committed yet
    assert cli("dr", "cleanup", stamp, "apps-oslo").code == 1  # no drill running


def test_an_operator_aborting_a_manual_step_stops_the_failover(cli: Cli, stamp: Path) -> None:
    done = cli("dr", "failover", stamp, "management-stamp", "--planned", stdin="management-stamp\nabort\n")
    assert done.code == 1 and "aborted" in done.out
    (entry,) = _logged(stamp)
    assert entry.outcome == "aborted" and entry.vms == {}
    assert {s["status"] for s in entry.steps if s["step"] == "wap-portals"} == {"not run"}
    assert {v["phase"] for v in _happened(cli, stamp)["vms"]} == {"home"}  # no VM had started yet


def test_a_drill_kept_running_waits_for_cleanup(cli: Cli, stamp: Path) -> None:
    before = _lab(cli, stamp)
    assert cli("dr", "drill", stamp, "apps-copenhagen", "--auto-approve", "--keep").code == 0
    test_vms = [v for v in _lab(cli, stamp)["vms"]["vms"] if v["role"] == "test"]
    assert [v["name"] for v in test_vms] == ["COPENHAGEN-APP01"]
    assert cli("dr", "drill", stamp, "apps-copenhagen", "--auto-approve").code == 1  # one at a time
    assert cli("dr", "cleanup", stamp, "apps-copenhagen").code == 0
    assert _lab(cli, stamp) == before
    status = cli("dr", "status", stamp)
    assert "recovery_plan.apps-copenhagen: last operation cleanup completed" in status.out


def test_apply_refuses_dr_changes_while_a_plan_is_failed_over(cli: Cli, stamp: Path, tmp_path: Path) -> None:
    assert (
        cli("dr", "failover", stamp, "apps-oslo", "--planned", "--answers", _answers(tmp_path, "apps-oslo")).code == 0
    )
    dr = stamp / "dr.yaml"
    dr.write_text(dr.read_text().replace("    boot_seconds: 3m\n", "    boot_seconds: 4m\n"))
    refused = cli("apply", stamp, "--auto-approve")
    assert refused.code == 1 and "apply --during-failover" in refused.err
    assert cli("plan", stamp, "--detailed-exitcode").code == 2  # still pending
    assert cli("apply", stamp, "--auto-approve", "--during-failover").code == 0


def test_a_bad_answers_file_is_one_line(cli: Cli, stamp: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("confirm: x\nmanual: {step: maybe}\n")
    result = cli("dr", "failover", stamp, "apps-oslo", "--planned", "--answers", bad)
    assert result.code == 1 and result.err.count("\n") == 1 and "outcome done or abort" in result.err
    assert cli("dr", "failover", stamp, "apps-oslo").code == 1  # neither --planned nor --unplanned
    missing = cli("dr", "drill", stamp, "apps-oslo", "--answers", tmp_path / "nowhere.yaml")
    assert missing.code == 1 and missing.err.count("\n") == 1 and "nowhere.yaml" in missing.err
    not_yaml = tmp_path / "broken.yaml"
    not_yaml.write_text("confirm: [unclosed\n")
    broken = cli("dr", "drill", stamp, "apps-oslo", "--answers", not_yaml)
    assert broken.code == 1 and broken.err.count("\n") == 1 and "broken.yaml" in broken.err


def test_destroy_is_refused_while_a_plan_is_failed_over(cli: Cli, stamp: Path, tmp_path: Path) -> None:
    assert (
        cli("dr", "failover", stamp, "apps-oslo", "--planned", "--answers", _answers(tmp_path, "apps-oslo")).code == 0
    )
    before = _lab(cli, stamp)
    refused = cli("destroy", stamp, "--auto-approve", "--target", "recovery_plan.apps-oslo")
    assert refused.code == 1 and "failed over" in refused.err
    assert _lab(cli, stamp) == before


def test_a_failover_that_stopped_part_way_resumes_and_its_moved_vms_can_be_committed(
    cli: Cli, stamp: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = _answers(tmp_path, "management-stamp")
    monkeypatch.setenv("FABRIC_LAB_FAIL", "action:wap-portals/smoke-test")
    stopped = cli("dr", "failover", stamp, "management-stamp", "--planned", "--answers", answers)
    assert stopped.code == 1 and "stopped" in stopped.out
    phases = {v["vm"]: v["phase"] for v in _happened(cli, stamp)["vms"]}
    assert phases["WAPTEN01"] == "failed_over"  # the smoke test runs after the last group starts
    monkeypatch.setenv("FABRIC_LAB_FAIL", "action:wap-api/nothing")
    typo = cli("dr", "failover", stamp, "management-stamp", "--planned", "--answers", answers)
    assert typo.code == 1 and "FABRIC_LAB_FAIL: no action 'wap-api/nothing'" in typo.err  # it would fail nothing
    monkeypatch.delenv("FABRIC_LAB_FAIL")
    again = cli("dr", "failover", stamp, "management-stamp", "--planned", "--answers", answers)
    assert again.code == 0, again.out + again.err  # resumed: nothing left to start, the smoke test runs
    resumed = _logged(stamp)[0]
    manual = next(x for x in resumed.steps if x["what"] == "sql-ag-primary-at-dr")
    assert manual["comment"] == "done by the run this one resumes"  # not asked again
    assert next(x for x in resumed.steps if x["what"] == "smoke-test")["status"] == "done"
    assert cli("dr", "commit", stamp, "management-stamp", "--answers", answers).code == 0


def test_a_drill_stopped_part_way_can_be_cleaned_up(cli: Cli, stamp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _lab(cli, stamp)
    dr = stamp / "dr.yaml"
    text = dr.read_text()
    gate = "      - name: wap-api\n        vms: [protected_vm.wapadm01]\n"
    assert gate in text
    dr.write_text(
        text.replace(
            gate,
            gate
            + "        pre:\n          - {name: gate, failover_types: [test], "
            + "script: {path: '\\RPScripts\\x.ps1', external: true}}\n",
        )
    )
    assert cli("apply", stamp, "--auto-approve").code == 0
    before = _lab(cli, stamp)
    monkeypatch.setenv("FABRIC_LAB_FAIL", "action:wap-api/gate")
    stopped = cli("dr", "drill", stamp, "management-stamp", "--auto-approve", "--keep")
    assert stopped.code == 1
    tests = [v["name"] for v in _lab(cli, stamp)["vms"]["vms"] if v["role"] == "test"]
    assert sorted(tests) == ["SMA01", "SPF01", "SQLWAP01"]  # the groups before the gate
    assert cli("dr", "cleanup", stamp, "management-stamp").code == 0
    assert _lab(cli, stamp) == before


def test_a_plan_cannot_finish_what_another_plan_moved(cli: Cli, stamp: Path, tmp_path: Path) -> None:
    dr = stamp / "dr.yaml"
    dr.write_text(
        dr.read_text() + "  spf-only:\n    name: spf-only\n    groups: [{name: one, vms: [protected_vm.spf01]}]\n"
    )
    assert cli("apply", stamp, "--auto-approve").code == 0
    assert (
        cli(
            "dr",
            "failover",
            stamp,
            "management-stamp",
            "--planned",
            "--answers",
            _answers(tmp_path, "management-stamp"),
        ).code
        == 0
    )
    refused = cli("dr", "commit", stamp, "spf-only", "--answers", _answers(tmp_path, "spf-only"))
    assert refused.code == 1 and "by recovery_plan.management-stamp" in refused.err


def test_protected_vms_missing_from_state_are_refused(cli: Cli, stamp: Path, tmp_path: Path) -> None:
    (stamp / ".fabric" / "state.db").unlink()
    refused = cli("dr", "failover", stamp, "apps-oslo", "--planned", "--answers", _answers(tmp_path, "apps-oslo"))
    assert refused.code == 1 and "not in state" in refused.err


def test_an_entry_left_running_by_a_killed_run_is_settled_by_the_next(cli: Cli, stamp: Path) -> None:
    from fabric.state.protocol import DrOperation
    from fabric.state.sqlite import SqliteState

    state = SqliteState(stamp / ".fabric")
    try:
        state.log_operation(
            DrOperation(
                "dead",
                "failover",
                "recovery_plan.apps-oslo",
                "planned",
                "primary_to_recovery",
                "running",
                "2026-01-01T00:00:00",
                lock_id="gone",
            )
        )
    finally:
        state.close()
    assert cli("dr", "drill", stamp, "apps-oslo", "--auto-approve").code == 0
    outcomes = {e.id: e.outcome for e in _logged(stamp)}
    assert outcomes["dead"] == "interrupted"


def test_answers_files_are_checked_before_anything_starts(cli: Cli, stamp: Path, tmp_path: Path) -> None:
    before = _lab(cli, stamp)
    typo = tmp_path / "typo.yaml"
    typo.write_text("confirm: management-stamp\nmanual:\n  sql-ag-primary-at-drr: done\n")
    refused = cli("dr", "failover", stamp, "management-stamp", "--planned", "--answers", typo)
    assert refused.code == 1 and "no manual step 'sql-ag-primary-at-drr'" in refused.err
    huge = tmp_path / "huge.yaml"
    huge.write_text("manual:\n" + "".join(f"  s{i}: done\n" for i in range(120_000)))
    assert "larger than" in cli("dr", "drill", stamp, "apps-oslo", "--answers", huge).err
    plain_yes = tmp_path / "yes.yaml"
    plain_yes.write_text("confirm: yes\n")  # YAML reads it as true: still the drill's yes
    assert cli("dr", "drill", stamp, "apps-oslo", "--answers", plain_yes).code == 0
    assert _lab(cli, stamp) == before
