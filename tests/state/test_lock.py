"""The SQLite file lock in-process (across processes and on both backends: tests/state/test_team.py)."""

from __future__ import annotations

import json
import os
import socket
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
