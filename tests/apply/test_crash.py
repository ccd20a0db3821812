"""Crash safety: `fabric apply` killed (SIGKILL) or interrupted (SIGINT) at any moment loses nothing.

After each crash the lab must hold only desired objects, each at most once; state must name
only objects that exist; the next plan must show exactly the remaining work (objects created
but not recorded are adopted, not created twice); and one more apply must converge to an
empty plan. The lab's `FABRIC_LAB_KILL_AFTER` kills the process right between VMM's commit and
fabric's state write, for each kind of operation: create, update, both halves of a replace,
both steps of a two-step update, and the deletes of a destroy — the journal of pending
operations must let the next run record what VMM did.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Cli, Result, resource_count, stamp_on, use_postgres

from fabric import engine
from fabric.apply.operations import operation_graph
from fabric.engine import open_session, plan
from fabric.state.protocol import PendingOperation

KILLS = 20
DESIRED = resource_count()  # resources in stamps/reference
FABRIC = [sys.executable, "-m", "fabric"]


def _lab_objects(cli: Cli, stamp: Path) -> list[dict]:
    return json.loads(cli("lab", "show", stamp, "--format", "json").out)["objects"]


def _state(cli: Cli, stamp: Path) -> dict[str, str]:
    doc = json.loads(cli("show", stamp, "--format", "json").out)
    return {r["address"]: r["live_id"] for r in doc["resources"]}


def _kill_during_apply(stamp: Path, after_ok: int, delay: float, sig: int) -> tuple[int, str]:
    """Start an apply, send `sig` once `after_ok` operations reported ok (+ `delay` s); exit code, output."""
    env = {**os.environ, "FABRIC_LAB_LATENCY_MS": "80"}
    cmd = [*FABRIC, "apply", str(stamp), "--auto-approve", "--parallelism", "4"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    lines: list[str] = []
    for line in proc.stdout:
        lines.append(line)
        if sum(": create ok" in x for x in lines) >= after_ok:
            time.sleep(delay)
            proc.send_signal(sig)
            break
    lines.append(proc.stdout.read())
    return proc.wait(timeout=120), "".join(lines)


def _check_after_crash(cli: Cli, stamp: Path, context: str) -> None:
    objects = _lab_objects(cli, stamp)
    identities = Counter((o["kind"], json.dumps(o["attributes"], sort_keys=True)) for o in objects)
    assert all(n == 1 for n in identities.values()), f"{context}: duplicated objects {identities}"
    live = {o["id"] for o in objects}
    state = _state(cli, stamp)
    assert set(state.values()) <= live, f"{context}: state names objects the lab does not hold"
    planned = cli("plan", stamp, "--format", "json")
    plan = json.loads(planned.out)
    summary = plan["summary"]
    assert summary["create"] == DESIRED - len(objects), f"{context}: plan is not exactly the remaining work"
    assert summary["update"] == summary["replace"] == summary["delete"] == summary["adopt"] == 0, context
    # every object created but not recorded was journalled: settled from the journal, not guessed
    settled = planned.err.count("an interrupted create had reached VMM")
    assert settled == len(objects) - len(state), f"{context}: unrecorded objects must be settled\n{planned.err}"
    done = cli("apply", stamp, "--auto-approve")
    assert done.code == 0, f"{context}: {done.out}{done.err}"
    assert len(_lab_objects(cli, stamp)) == DESIRED, context
    final = _state(cli, stamp)
    assert len(final) == DESIRED and set(final.values()) == {o["id"] for o in _lab_objects(cli, stamp)}, context
    assert cli("plan", stamp, "--detailed-exitcode").code == 0, f"{context}: final plan is not empty"


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(cli: Cli, tmp_path: Path, backend: str) -> None:
    rng = random.Random(f"crash-{backend}")  # reproducible: same kill points on every run
    for i in range(KILLS):
        stamp = stamp_on("reference", tmp_path / f"run{i}", backend)
        after_ok, delay = rng.randrange(0, DESIRED - 5), rng.uniform(0, 0.06)
        code, output = _kill_during_apply(stamp, after_ok, delay, signal.SIGKILL)
        context = f"kill {i} (after {after_ok} ok + {delay * 1000:.0f} ms, exit {code})"
        assert code == -signal.SIGKILL, f"{context}: the apply ended before it was killed\n{output}"
        _check_after_crash(cli, stamp, context)


@pytest.mark.parametrize("victim", ["host_group.Oslo", "logical_network.management", "logical_switch.fabric"])
def test_object_created_but_not_recorded_is_adopted(cli: Cli, tmp_path: Path, backend: str, victim: str) -> None:
    stamp = stamp_on("reference", tmp_path, backend)
    env = {**os.environ, "FABRIC_LAB_KILL_AFTER": victim}
    proc = subprocess.run([*FABRIC, "apply", str(stamp), "--auto-approve"], env=env, capture_output=True, text=True)
    assert proc.returncode == -signal.SIGKILL
    assert victim not in _state(cli, stamp)
    kind = victim.partition(".")[0]
    assert any(o["kind"] == kind for o in _lab_objects(cli, stamp))
    planned = cli("plan", stamp, "--format", "json")
    change = next(c for c in json.loads(planned.out)["changes"] if c["address"] == victim)
    assert change["action"] == "no-op" and not change["adopt"], change  # the journal names it: no guessing
    assert f"{victim}: an interrupted create had reached VMM ({kind} " in planned.err, planned.err
    _check_after_crash(cli, stamp, f"killed after {victim}")


def test_sigint_finishes_in_flight_records_them_and_exits_130(cli: Cli, tmp_path: Path, backend: str) -> None:
    stamp = stamp_on("reference", tmp_path, backend)
    code, output = _kill_during_apply(stamp, 6, 0.0, signal.SIGINT)
    assert code == 130, output
    assert "Apply interrupted" in output and "Traceback" not in output
    reported = output.count(": create ok")
    assert len(_state(cli, stamp)) == reported  # everything that finished was recorded, nothing more
    _check_after_crash(cli, stamp, "after SIGINT")


# Kills between VMM's commit and fabric's state write, one kind of operation after the other

SPLIT = """host_group:
  Lab: {}
logical_network:
  ln: {isolation: connected}
network_site:
  old:
    logical_network: logical_network.ln
    host_groups: [host_group.Lab]
uplink_port_profile:
  uplink:
    network_sites: [network_site.old]
"""
OK_LINE = re.compile(r"^(.+): (create|update|delete|detach|record|forget) ok \(")
RANK = {"delete": 0, "detach": 0, "forget": 0, "create": 1, "update": 1, "record": 1}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _updated(stamp: Path) -> None:
    _edit(stamp / "lab.yaml", "vm_count: 20", "vm_count: 30")
    _edit(stamp / "lab.yaml", "description: The lab location", "description: The lab, moved")


def _replaced(stamp: Path) -> None:  # an attribute VMM cannot change in place
    _edit(stamp / "lab.yaml", "    name: Lab Switch\n", "    name: Lab Switch\n    minimum_bandwidth_mode: default\n")


def _split(stamp: Path) -> None:  # leave a site that is deleted, join one on a network that is replaced
    after = SPLIT.replace("isolation: connected", "isolation: vlan").replace("  old:", "  new:")
    (stamp / "lab.yaml").write_text(after.replace("network_site.old", "network_site.new"), encoding="utf-8")


@dataclass(frozen=True)
class Scenario:
    """A stamp applied, then changed; one killed run per victim (the lab kills it right after its
    commit to the victim), each leaving the next kind of interrupted operation."""

    name: str
    change: Callable[[Path], None] | None
    victims: tuple[str, ...]
    destroy: bool = False
    split: bool = False  # the two-step-update stamp instead of stamps/lab


SCENARIOS = [
    Scenario("update", _updated, ("cloud.iaas",)),
    Scenario("replace, delete then create", _replaced, ("logical_switch.lab", "logical_switch.lab")),
    Scenario("two-step update, detach then update", _split, ("uplink_port_profile.uplink",) * 2, split=True),
    Scenario("destroy", None, ("ip_pool.management", "logical_network.management"), destroy=True),
]


def _scenario_stamp(scenario: Scenario, tmp_path: Path, backend: str) -> Path:
    if not scenario.split:
        return stamp_on("lab", tmp_path, backend)
    stamp = tmp_path / "split"
    stamp.mkdir()
    (stamp / "fabric.yaml").write_text("stamp: split\n", encoding="utf-8")
    (stamp / "lab.yaml").write_text(SPLIT, encoding="utf-8")
    if backend == "postgres":
        use_postgres(stamp)
    return stamp


def _operations(stamp: Path, destroy: bool) -> dict[str, tuple[str, list[str]]]:
    """Address → (planned action, its operations in the order they run), as the killed run plans."""
    session = open_session(stamp)
    try:
        the_plan = plan(session, destroy=destroy)
    finally:
        session.close()
    graph = operation_graph(the_plan)
    ops: dict[str, list[str]] = defaultdict(list)
    for key in graph:
        op = graph.nodes[key]["op"]
        ops[op.change.address].append(op.kind.value)
    changes = the_plan.by_address()
    return {a: (changes[a].action.value, sorted(kinds, key=RANK.__getitem__)) for a, kinds in ops.items()}


def _killed_run(stamp: Path, command: str, victim: str) -> str:
    env = {**os.environ, "FABRIC_LAB_KILL_AFTER": victim}
    args = [*FABRIC, command, str(stamp), "--auto-approve", "--parallelism", "1"]  # one at a time: exact
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, f"the run was not killed after {victim}\n{proc.stdout}{proc.stderr}"
    return proc.stdout


def _remaining(ops: dict[str, tuple[str, list[str]]], output: str, victim: str) -> dict[str, str]:
    """What the next plan must show: the operations reported ok and the victim's next one are done;
    a replace with its delete done is a create, a two-step update with its detach done an update."""
    done: dict[str, list[str]] = defaultdict(list)
    for line in output.splitlines():
        if match := OK_LINE.match(line):
            done[match[1]].append(match[2])
    done[victim].append(ops[victim][1][len(done[victim])])  # committed in VMM, then the kill
    remaining = {}
    for address, (action, kinds) in ops.items():
        assert kinds[: len(done[address])] == done[address], (address, kinds, done[address])
        left = kinds[len(done[address]) :]
        if left:
            remaining[address] = action if left == kinds else left[0]
    return remaining


def _work(result: Result, context: str) -> dict[str, str]:
    assert result.code == 0, f"{context}: {result.err}"
    changes = json.loads(result.out)["changes"]
    for c in changes:  # fabric's own interrupted change is never reported as someone else's
        assert not c["changed_outside"] and "outside fabric" not in c["reason"], f"{context}: {c}"
    return {c["address"]: c["action"] for c in changes if c["action"] != "no-op"}


def _check_settled(cli: Cli, stamp: Path, remaining: dict[str, str], victim: str, destroy: bool, context: str) -> None:
    objects = _lab_objects(cli, stamp)
    identities = Counter((o["kind"], json.dumps(o["attributes"], sort_keys=True)) for o in objects)
    assert all(n == 1 for n in identities.values()), f"{context}: duplicated objects {identities}"
    flags = ["--destroy"] if destroy else []
    # a plan without the lock writes nothing, but plans against the state as the journal settles it
    lockless = cli("plan", stamp, *flags, "--format", "json")
    assert _work(lockless, context) == remaining, f"{context}: not exactly the remaining work\n{lockless.err}"
    assert f"{victim}: " in lockless.err and "taken into account here" in lockless.err, f"{context}: {lockless.err}"
    report = json.loads(cli("drift", stamp, "--format", "json").out)
    assert not report["has_drift"], f"{context}: {report['summary']}"
    # with the lock the journal is settled in state: every entry's object exists, every object has its entry
    locked = cli("plan", stamp, *flags, "--lock", "--format", "json")
    assert _work(locked, context) == remaining, context
    assert f"{victim}: " in locked.err and "taken into account" not in locked.err, f"{context}: {locked.err}"
    assert set(_state(cli, stamp).values()) == {o["id"] for o in objects}, f"{context}: state and lab disagree"
    journal = engine.open_stamp_state(stamp)
    try:
        assert journal.pending() == [], f"{context}: the journal was not settled"
    finally:
        journal.close()
    assert cli("plan", stamp, *flags).err == "", f"{context}: settled twice"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_a_kill_between_vmm_and_state_leaves_exactly_the_remaining_work(
    cli: Cli, tmp_path: Path, backend: str, scenario: Scenario
) -> None:
    stamp = _scenario_stamp(scenario, tmp_path, backend)
    assert cli("apply", stamp, "--auto-approve").code == 0
    if scenario.change is not None:
        scenario.change(stamp)
    command = "destroy" if scenario.destroy else "apply"
    for victim in scenario.victims:
        ops = _operations(stamp, scenario.destroy)
        remaining = _remaining(ops, _killed_run(stamp, command, victim), victim)
        _check_settled(cli, stamp, remaining, victim, scenario.destroy, f"{scenario.name}, killed after {victim}")
    done = cli(command, stamp, "--auto-approve")
    assert done.code == 0, done.out + done.err
    flags = ["--destroy"] if scenario.destroy else []
    assert cli("plan", stamp, *flags, "--detailed-exitcode").code == 0, "one more run converges"
    if scenario.destroy:
        assert _lab_objects(cli, stamp) == [] and _state(cli, stamp) == {}
    assert cli("drift", stamp, "--detailed-exitcode").code == 0


def test_a_saved_plan_is_checked_after_the_journal_is_settled(cli: Cli, tmp_path: Path, backend: str) -> None:
    stamp = stamp_on("lab", tmp_path, backend)
    assert cli("apply", stamp, "--auto-approve").code == 0
    _edit(stamp / "lab.yaml", "vm_count: 20", "vm_count: 30")
    saved = tmp_path / "first.fabricplan"
    assert cli("plan", stamp, "--out", saved).code == 0
    # a run died after journalling the update, before it reached VMM: nothing to write, so the plan holds
    state = engine.open_stamp_state(stamp)
    try:
        entry = state.read().entries["cloud.iaas"]
        intent = {**entry.attributes, "capacity": {**entry.attributes["capacity"], "vm_count": 30}}
        state.begin(PendingOperation("cloud.iaas", "cloud", "update", entry.live_id, intent))
    finally:
        state.close()
    applied = cli("apply", saved)
    assert applied.code == 0, applied.err
    assert "cloud.iaas: an update was interrupted before it reached VMM; nothing to record" in applied.err
    # one that reached VMM is recorded before the plan is checked: the plan, made before, is stale
    _edit(stamp / "lab.yaml", "vm_count: 30", "vm_count: 40")
    assert cli("plan", stamp, "--out", saved).code == 0
    _killed_run(stamp, "apply", "cloud.iaas")
    refused = cli("apply", saved)
    assert refused.code == 1 and "saved plan is stale" in refused.err, refused.err
    assert "cloud.iaas: an update had reached VMM when it was interrupted; recorded it in state" in refused.err
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
    assert cli("drift", stamp, "--detailed-exitcode").code == 0
