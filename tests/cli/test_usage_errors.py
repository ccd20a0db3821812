"""Usage errors exit 1 with a message and no traceback; a directory without fabric.yaml is no stamp."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Cli


@pytest.mark.parametrize(
    "args", [[], ["plan"], ["plan", "x", "--format", "xml"], ["nope"], ["apply", "x", "--parallelism", "0"]]
)
def test_usage_errors_exit_1_without_traceback(args: list[str]) -> None:
    done = subprocess.run([sys.executable, "-m", "fabric", *args], capture_output=True, text=True, timeout=60)
    assert "Traceback" not in done.stderr + done.stdout
    assert done.returncode == (0 if not args else 1)


def test_not_a_stamp(cli: Cli, tmp_path: Path) -> None:
    result = cli("plan", tmp_path)
    assert result.code == 1
    assert "fabric.yaml not found" in result.err
