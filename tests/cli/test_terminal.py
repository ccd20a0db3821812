"""fabric at a real pseudo-terminal: the progress bar, the prompts, Ctrl-C, destroy — checked on
the screen a person sees (tests/terminal.py renders it with a terminal emulator)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import copy_stamp, resource_count
from terminal import Terminal

FABRIC = [sys.executable, "-m", "fabric"]
SECRET = "pty-Secret-value-0042"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FABRIC_")}
    return {**env, "LAB_DESCRIPTION": SECRET, **extra}


def _with_secret(stamp: Path) -> Path:
    doc = stamp / "lab.yaml"
    doc.write_text(doc.read_text().replace(': "true"', ': "${env:LAB_DESCRIPTION}"'))  # a custom property value
    return stamp


def _json(*args: str | Path, env: dict[str, str]) -> dict:  # type: ignore[type-arg]
    done = subprocess.run([*FABRIC, *map(str, args)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode in (0, 2), done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_apply_shows_the_bar_asks_for_yes_and_finishes(tmp_path: Path) -> None:
    stamp = _with_secret(copy_stamp("lab", tmp_path))
    term = Terminal([*FABRIC, "apply", str(stamp)], env=_env(FABRIC_LAB_LATENCY_MS="30"))
    term.wait_for_text("Enter a value:", timeout=60)
    assert "Do you want to apply these changes?" in term.text()
    term.send("yes\r")
    term.wait_for(lambda: re.search(r"Applying .*\d+/12", term.plain()) is not None, timeout=60)
    code = term.finish(timeout=120)
    screen = term.text()
    assert code == 0, screen
    assert "Apply complete: 12 operation(s) done, 0 failed, 0 skipped, 0 not started." in screen
    assert re.search(r"Applying\s+━+\s+12/12", screen), screen  # the finished bar stays on screen
    assert term.plain().count("Plan: 12 to create") == 1  # the plan is shown once
    assert SECRET not in term.raw.decode("utf-8", "replace")
    assert "(sensitive)" in term.plain()
    assert "Traceback" not in term.plain()
    # the plan's change lines are coloured by action on a terminal (green for a create)
    assert b"\x1b[32m  + cloud.iaas will be created" in term.raw
    again = _json("plan", stamp, "--format", "json", env=_env())
    assert again["summary"]["no_op"] == 12


def test_ctrl_c_mid_apply_stops_cleanly_and_state_stays_consistent(tmp_path: Path) -> None:
    stamp = copy_stamp("reference", tmp_path)
    desired = resource_count(stamp)
    env = _env(FABRIC_LAB_LATENCY_MS="120")
    term = Terminal([*FABRIC, "apply", str(stamp), "--auto-approve", "--parallelism", "2"], env=env)
    progress = re.compile(rf"Applying .*\b([4-9]|\d\d)/{desired}\b")
    term.wait_for(lambda: progress.search(term.plain()) is not None, timeout=90)
    term.send("\x03")  # Ctrl-C typed at the terminal: SIGINT to the foreground process group
    code = term.finish(timeout=120)
    plain = term.plain()
    assert code == 130, term.text()
    assert plain.count("Apply interrupted:") == 1, plain  # the summary, once
    assert plain.count("Interrupt received") == 1
    assert "Traceback" not in plain and "KeyboardInterrupt" not in plain
    done = int(re.search(r"Apply interrupted: (\d+) operation\(s\) done", plain).group(1))  # type: ignore[union-attr]
    assert 4 <= done < desired
    # state records exactly what finished, and every state entry's object exists in the lab
    state = _json("show", stamp, "--format", "json", env=env)
    live = {o["id"] for o in _json("lab", "show", stamp, "--format", "json", env=env)["objects"]}
    assert len(state["resources"]) == done
    assert all(r["live_id"] in live for r in state["resources"])
    plan = _json("plan", stamp, "--format", "json", env=env)
    assert plan["summary"]["create"] == desired - done and plan["summary"]["no_op"] == done


def test_destroy_at_a_terminal_says_what_goes_and_that_there_is_no_undo(tmp_path: Path) -> None:
    stamp = copy_stamp("lab", tmp_path)
    subprocess.run([*FABRIC, "apply", str(stamp), "--auto-approve"], check=True, capture_output=True, env=_env())
    term = Terminal([*FABRIC, "destroy", str(stamp)], env=_env())
    term.wait_for_text("Enter a value:", timeout=60)
    screen = term.text()
    assert "fabric will delete 12 object(s) from the VMM server" in screen
    assert "There is no undo" in screen
    assert "Do you really want to destroy every object fabric manages for stamp 'lab'?" in screen
    term.send("yes\r")
    code = term.finish(timeout=120)
    assert code == 0, term.text()
    assert "Destroy complete: 12 operation(s) done" in term.text()
    assert _json("lab", "show", stamp, "--format", "json", env=_env())["objects"] == []


def test_anything_but_yes_cancels_and_ctrl_c_at_the_prompt_changes_nothing(tmp_path: Path) -> None:
    stamp = copy_stamp("lab", tmp_path)
    term = Terminal([*FABRIC, "apply", str(stamp)], env=_env())
    term.wait_for_text("Enter a value:", timeout=60)
    term.send("y\r")
    assert term.finish() == 1
    assert "Cancelled; nothing was changed." in term.text()
    term = Terminal([*FABRIC, "apply", str(stamp)], env=_env())
    term.wait_for_text("Enter a value:", timeout=60)
    term.send("\x03")
    assert term.finish() == 130
    assert "Interrupted." in term.text() and "Traceback" not in term.plain()
    assert _json("lab", "show", stamp, "--format", "json", env=_env())["objects"] == []
    # the lock was released on the way out: a new apply runs
    again = subprocess.run([*FABRIC, "apply", str(stamp), "--auto-approve"], capture_output=True, env=_env())
    assert again.returncode == 0


def _loaded(pid: int, extension: str) -> bool:
    """True once the command runs (it has exec'd: a forked copy of this process maps what pytest
    loaded) and has loaded this compiled extension module."""
    try:
        running = b"fabric" in Path(f"/proc/{pid}/cmdline").read_bytes()
        return running and extension in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


# compiled modules fabric loads one after another while it starts (libyaml, pydantic, sqlite):
# Ctrl-C right after each lands at a different point of the imports
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see the imports")
@pytest.mark.parametrize("extension", ["_yaml", "_pydantic_core", "_sqlite3"])
def test_ctrl_c_while_modules_are_importing_is_one_line_and_130(tmp_path: Path, extension: str) -> None:
    stamp = copy_stamp("lab", tmp_path)
    for _ in range(3):
        term = Terminal([*FABRIC, "plan", str(stamp)], env=_env())
        deadline = time.monotonic() + 30
        while not _loaded(term.pid, extension) and time.monotonic() < deadline:
            time.sleep(0.001)
        term.send("\x03")
        code = term.finish()
        plain = term.plain().strip()
        assert code == 130, plain
        assert "Traceback" not in plain and "KeyboardInterrupt" not in plain
        assert "Interrupted" in plain.splitlines()[-1], plain  # one line says why it ended
        assert len([line for line in plain.splitlines() if "Interrupted" in line]) == 1


def test_a_failover_at_a_terminal_asks_for_the_name_waits_at_the_manual_step_and_stops_on_ctrl_c(
    tmp_path: Path,
) -> None:
    stamp = copy_stamp("reference", tmp_path)
    done = subprocess.run(
        [*FABRIC, "apply", str(stamp), "--auto-approve"], capture_output=True, env=_env(), timeout=300
    )
    assert done.returncode == 0, done.stderr
    term = Terminal([*FABRIC, "dr", "failover", str(stamp), "management-stamp", "--planned"], env=_env())
    term.wait_for_text("Type the plan's name (management-stamp)", timeout=60)
    term.send("management-stamp\r")
    term.wait_for_text("Type done when it is done, or abort:", timeout=60)
    assert "Fail the System Center SQL availability group over" in term.plain()
    term.send("ok\r")  # neither done nor abort: asked again, never taken as an abort
    term.wait_for_text("'ok' is neither done nor abort.", timeout=30)
    term.send("done AG moved to SQL02\r")
    code = term.finish(timeout=120)
    assert code == 0, term.text()
    assert "failover of recovery_plan.management-stamp: completed" in term.plain()
    assert "manual step done — AG moved to SQL02" in term.plain()  # the comment as typed
    assert "Traceback" not in term.plain()
    back = Terminal([*FABRIC, "dr", "drill", str(stamp), "apps-oslo"], env=_env())
    back.wait_for_text("Type yes", timeout=60)
    back.send("\x03")  # Ctrl-C at the prompt: nothing started
    assert back.finish(timeout=60) == 130
    assert "Interrupted." in back.text() and "Traceback" not in back.plain()
