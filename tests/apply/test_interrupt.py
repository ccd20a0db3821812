"""Ctrl-C during apply: stop starting changes, record those in flight, exit 130, resume cleanly."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

from conftest import resource_count


def test_sigint_stops_apply_and_the_next_plan_shows_the_rest(reference: Path) -> None:
    env = {**os.environ, "FABRIC_LAB_LATENCY_MS": "60"}
    cmd = [sys.executable, "-m", "fabric", "apply", str(reference), "--auto-approve", "--parallelism", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if ": create ok" in line and sum(": create ok" in x for x in lines) == 5:
            proc.send_signal(signal.SIGINT)
            break
    # read through the same buffered file object: communicate() would skip lines already buffered
    out = "".join(lines) + proc.stdout.read()
    assert proc.stderr is not None
    err = proc.stderr.read()
    proc.wait(timeout=60)
    assert proc.returncode == 130, out + err
    assert "Apply interrupted" in out
    assert "Traceback" not in err
    created = out.count(": create ok")
    desired = resource_count(reference)
    assert 5 <= created < desired
    plan = subprocess.run(
        [sys.executable, "-m", "fabric", "plan", str(reference), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
    )
    summary = json.loads(plan.stdout)["summary"]
    assert summary["create"] == desired - created
    assert summary["no_op"] == created
    done = subprocess.run(
        [sys.executable, "-m", "fabric", "apply", str(reference), "--auto-approve"], capture_output=True, text=True
    )
    assert done.returncode == 0
    assert f"{desired - created} operation(s) done" in done.stdout
