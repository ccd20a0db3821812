"""Output into a pipe whose reader stops early (`fabric … | head -1`) ends quietly with exit 0,
as `plan | head` does: a reader that has seen enough is not an error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli

MANY = "host_group:\n" + "".join(f"  G{i:04}:\n    description: {'x' * 200}\n" for i in range(600))


@pytest.mark.parametrize("command", [["lab", "show"], ["state", "history"], ["show"]])
def test_a_reader_that_stops_early_is_not_an_error(cli: Cli, tmp_path: Path, command: list[str]) -> None:
    stamp = tmp_path / "many"
    stamp.mkdir()
    (stamp / "fabric.yaml").write_text("stamp: many\n")
    (stamp / "groups.yaml").write_text(MANY)
    assert cli("apply", stamp, "--auto-approve").code == 0
    args = [sys.executable, "-m", "fabric", *command, str(stamp)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like head -1
    code = proc.wait(timeout=120)
    err = proc.stderr.read().decode()
    assert code == 0, err
    assert "Broken pipe" not in err and "Traceback" not in err
