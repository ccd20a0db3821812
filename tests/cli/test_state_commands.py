"""Commands that change what fabric manages without touching VMM objects: `state rm`, `removed:`,
`drift --accept`; and the guards on destructive commands: prevent_destroy, force-unlock."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import Cli
from terminal import Terminal


def _state(cli: Cli, stamp: Path) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r["address"]: r for r in json.loads(cli("show", stamp, "--format", "json").out)["resources"]}


def _history(cli: Cli, stamp: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in cli("state", "history", stamp, "--json").out.splitlines()]


def test_state_rm_forgets_without_deleting_and_is_in_history(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    live_before = cli("lab", "show", lab, "--format", "json").out
    typo = cli("state", "rm", lab, "cloud.iaass")
    assert typo.code == 1 and "did you mean cloud.iaas?" in typo.err
    result = cli("state", "rm", lab, "cloud.iaas", "ip_pool.management")
    assert result.code == 0, result.err
    assert "Removed cloud.iaas from state; its object stays in VMM." in result.out
    assert "cloud.iaas" not in _state(cli, lab)
    assert cli("lab", "show", lab, "--format", "json").out == live_before
    events = _history(cli, lab)[:2]
    assert {(e["operation"], e["event"], e["address"]) for e in events} == {
        ("state rm", "forget", "cloud.iaas"),
        ("state rm", "forget", "ip_pool.management"),
    }


def test_stamp_defaults_to_the_current_directory(cli: Cli, lab: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(lab)
    assert cli("validate").code == 0
    assert cli("apply", "--auto-approve").code == 0
    assert cli("plan", "--detailed-exitcode").code == 0
    assert cli("state", "rm", "cloud.iaas").code == 0  # an address, not a directory: the stamp is here
    assert cli("show", "--format", "json").code == 0
    assert cli("drift", "--format", "json").code == 0


def test_removed_block_forgets_on_apply(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    doc = lab / "lab.yaml"
    doc.write_text(doc.read_text().replace("      Fabric Management: {}\n", ""))  # it leaves the code
    config = lab / "fabric.yaml"
    config.write_text(config.read_text() + 'removed:\n  - from: "host_group.Lab/Fabric Management"\n')
    plan = cli("plan", lab)
    assert "=> host_group.Lab/Fabric Management will no longer be managed by fabric" in plan.out, plan.out + plan.err
    assert "1 to forget" in plan.out
    assert json.loads(cli("plan", lab, "--format", "json").out)["summary"]["forget"] == 1
    applied = cli("apply", lab, "--auto-approve")
    assert applied.code == 0, applied.out + applied.err
    assert "host_group.Lab/Fabric Management" not in _state(cli, lab)
    live = json.loads(cli("lab", "show", lab, "--format", "json").out)["objects"]
    assert any(o["name"] == "Fabric Management" for o in live)  # still in VMM
    assert any(
        e["event"] == "forget" and e["address"] == "host_group.Lab/Fabric Management" for e in _history(cli, lab)
    )
    assert cli("plan", lab, "--detailed-exitcode").code == 0
    still = lab / "lab.yaml"
    still.write_text(still.read_text().replace("      IaaS: {}\n", "      IaaS: {}\n      Fabric Management: {}\n"))
    refused = cli("plan", lab)
    assert refused.code == 1 and "still declared in code" in refused.err


def test_replace_on_request(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    before = _state(cli, lab)["port_classification.vm-roles"]["live_id"]
    unknown = cli("plan", lab, "-replace", "port_classification.vm-role")
    assert unknown.code == 1 and "did you mean port_classification.vm-roles?" in unknown.err
    plan = cli("plan", lab, "-replace", "port_classification.vm-roles", "--compact").out
    assert "-/+ port_classification.vm-roles  (replacement requested with -replace)" in plan
    assert cli("apply", lab, "--auto-approve", "--replace", "port_classification.vm-roles").code == 0
    assert _state(cli, lab)["port_classification.vm-roles"]["live_id"] != before
    assert cli("plan", lab, "--detailed-exitcode").code == 0


def test_drift_accept_records_the_console_edit(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    assert cli("lab", "set", lab, "cloud.iaas", "capacity.vm_count=55").code == 0
    assert cli("drift", lab, "--detailed-exitcode").code == 2
    accepted = cli("drift", lab, "--accept", "cloud.iaas", "--detailed-exitcode")
    assert accepted.code == 0, accepted.out + accepted.err
    assert "Accepted the live values of cloud.iaas" in accepted.err
    assert _state(cli, lab)["cloud.iaas"]["attributes"]["capacity"]["vm_count"] == 55
    plan = cli("plan", lab).out  # the code still says 20: that is now a change to apply, not drift
    assert "~ capacity.vm_count: 55 → 20" in plan and "Objects changed outside fabric" not in plan
    wrong = cli("drift", lab, "--accept", "cloud.nope")
    assert wrong.code == 1 and "cloud.nope: not in state" in wrong.err


def test_prevent_destroy_added_after_apply_guards_destroy(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace(
            "logical_switch:\n  lab:\n", "logical_switch:\n  lab:\n    lifecycle: {prevent_destroy: true}\n"
        )
    )
    for args in (("destroy", lab, "--auto-approve"), ("plan", lab, "--destroy")):
        refused = cli(*args)
        assert refused.code == 1, refused.out
        assert "lifecycle.prevent_destroy forbids this plan: logical_switch.lab would be deleted" in refused.err
    assert len(_state(cli, lab)) == 12


def test_destroy_target_deletes_it_and_its_dependents_only(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    result = cli("destroy", lab, "--auto-approve", "--target", "ip_pool.management")
    assert result.code == 0, result.out + result.err
    assert "Destroy complete: 1 operation(s) done" in result.out
    assert set(_state(cli, lab)) == set(_state(cli, lab)) - {"ip_pool.management"}
    assert "ip_pool.management" not in _state(cli, lab) and len(_state(cli, lab)) == 11
    site = cli("destroy", lab, "--auto-approve", "--target", "network_site.management")
    assert site.code == 0, site.out + site.err
    left = set(_state(cli, lab))
    assert "network_site.management" not in left and "uplink_port_profile.uplink" not in left
    assert "logical_network.management" in left and "cloud.iaas" in left


def test_failures_say_apply_finished_with_errors(cli: Cli, lab: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("FABRIC_LAB_FAIL", "host_group.Lab")
    result = cli("apply", lab, "--auto-approve")
    assert result.code == 1
    assert re.search(r"Apply finished with errors: \d+ operation\(s\) done, 1 failed, \d+ skipped", result.out)
    assert "  failed:  host_group.Lab: injected failure" in result.out


_HOLD = """
import sys, time
from pathlib import Path
from fabric import engine
state = engine.open_stamp_state(Path(sys.argv[1]))
with state.lock("apply") as info:
    print(info.id, flush=True)
    time.sleep(600)
"""


def test_force_unlock_of_a_dead_holder_asks_on_a_terminal(lab: Path) -> None:
    held = subprocess.Popen([sys.executable, "-c", _HOLD, str(lab)], stdout=subprocess.PIPE, text=True)
    assert held.stdout is not None
    lock_id = held.stdout.readline().strip()
    held.send_signal(signal.SIGKILL)  # it dies holding the lock: only its note is left
    held.wait(30)
    term = Terminal([sys.executable, "-m", "fabric", "force-unlock", str(lab), lock_id])
    term.wait_for_text("Enter a value:")
    assert f"Release the lock held by pid {held.pid}" in term.text()
    term.send("no\r")
    assert term.finish() == 1 and "Cancelled; the lock is still held." in term.text()
    term = Terminal([sys.executable, "-m", "fabric", "force-unlock", str(lab), lock_id])
    term.wait_for_text("Enter a value:")
    term.send("yes\r")
    assert term.finish() == 0, term.text()
    assert f"Released the lock held by pid {held.pid}" in term.text()


def test_the_lock_message_says_what_to_do(cli: Cli, lab: Path) -> None:
    held = subprocess.Popen([sys.executable, "-c", _HOLD, str(lab)], stdout=subprocess.PIPE, text=True)
    try:
        assert held.stdout is not None
        lock_id = held.stdout.readline().strip()
        refused = cli("apply", lab, "--auto-approve")
        assert refused.code == 1
        assert "Wait for it with --lock-timeout" in refused.err
        assert f"fabric force-unlock [STAMP] {lock_id}" in refused.err
        started = time.monotonic()
        waited = cli("plan", lab, "--lock", "--lock-timeout", "300ms")
        assert waited.code == 1 and time.monotonic() - started >= 0.3
        assert f"The state is locked by pid {held.pid}" in waited.err and "waiting up to 0.3 s" in waited.err
    finally:
        held.kill()
        held.wait(30)
