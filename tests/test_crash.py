"""Crash safety: `fabric apply` killed (SIGKILL) or interrupted (SIGINT) at any moment loses nothing.

After each crash the lab must hold only desired objects, each at most once; state must name
only objects that exist; the next plan must show exactly the remaining work (objects created
but not recorded are adopted by kind and name, not created twice); and one more apply must
converge to an empty plan.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from conftest import Cli, stamp_on

KILLS = 20
DESIRED = 35  # resources in stamps/reference
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
    plan = json.loads(cli("plan", stamp, "--format", "json").out)
    summary = plan["summary"]
    assert summary["create"] == DESIRED - len(objects), f"{context}: plan is not exactly the remaining work"
    assert summary["update"] == summary["replace"] == summary["delete"] == 0, context
    adopted = [c for c in plan["changes"] if c["adopt"]]
    assert len(adopted) == len(objects) - len(state), f"{context}: unrecorded objects must be adopted"
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
    plan = json.loads(cli("plan", stamp, "--format", "json").out)
    change = next(c for c in plan["changes"] if c["address"] == victim)
    assert change["action"] == "no-op" and change["adopt"], change
    _check_after_crash(cli, stamp, f"killed after {victim}")


def test_sigint_finishes_in_flight_records_them_and_exits_130(cli: Cli, tmp_path: Path, backend: str) -> None:
    stamp = stamp_on("reference", tmp_path, backend)
    code, output = _kill_during_apply(stamp, 6, 0.0, signal.SIGINT)
    assert code == 130, output
    assert "Apply interrupted" in output and "Traceback" not in output
    reported = output.count(": create ok")
    assert len(_state(cli, stamp)) == reported  # everything that finished was recorded, nothing more
    _check_after_crash(cli, stamp, "after SIGINT")
