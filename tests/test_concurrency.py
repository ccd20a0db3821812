"""The state lock: a second apply on the same stamp fails at once and names the holder."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from conftest import Cli

from fabric.state.lock import file_lock


def test_apply_refused_while_lock_held(cli: Cli, lab: Path) -> None:
    with file_lock(lab / ".fabric" / "state.lock", "apply"):
        started = time.monotonic()
        result = cli("apply", lab, "--auto-approve")
        assert time.monotonic() - started < 5
    assert result.code == 1
    assert f"state is locked by pid {os.getpid()} on {socket.gethostname()} since " in result.err
    assert "(apply, lock id " in result.err
    assert json.loads(cli("lab", "show", lab, "--format", "json").out)["objects"] == []
    assert cli("show", lab).out.strip() == "State is empty."


def test_second_apply_process_fails_at_once(lab: Path) -> None:
    env = {**os.environ, "FABRIC_LAB_LATENCY_MS": "150"}
    cmd = [sys.executable, "-m", "fabric", "apply", str(lab), "--auto-approve", "--parallelism", "1"]
    first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lock = lab / ".fabric" / "state.lock"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (lock.exists() and lock.read_text()):
            time.sleep(0.05)
        holder = json.loads(lock.read_text())
        assert holder["pid"] == first.pid
        started = time.monotonic()
        second = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
        assert time.monotonic() - started < 10
        assert second.returncode == 1
        assert f"state is locked by pid {first.pid} on {socket.gethostname()}" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        out, err = first.communicate(timeout=120)
    assert first.returncode == 0, out + err
    assert "12 operation(s) done" in out


def test_lock_timeout_waits_for_release(cli: Cli, lab: Path) -> None:
    import threading

    lock_path = lab / ".fabric" / "state.lock"
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with file_lock(lock_path, "test"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    threading.Timer(0.5, release.set).start()
    result = cli("apply", lab, "--auto-approve", "--lock-timeout", "10")
    thread.join()
    assert result.code == 0, result.err
