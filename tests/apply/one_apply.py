"""Shared by tests/apply: a one-file stamp, applied, then changed; one more apply must reach the change.

The tests using it pin shapes tests/engine/test_properties.py once found wrong (one stamp applied
over another).
"""

from __future__ import annotations

from pathlib import Path

from conftest import Cli


def write(stamp: Path, text: str) -> Path:
    stamp.mkdir(exist_ok=True)
    (stamp / "fabric.yaml").write_text("stamp: finding\n", encoding="utf-8")
    (stamp / "lab.yaml").write_text(text, encoding="utf-8")
    return stamp


def apply_then_change(cli: Cli, stamp: Path, first: str, second: str) -> None:
    """Apply `first`, change the stamp to `second`: one apply must reach it."""
    assert cli("apply", write(stamp, first), "--auto-approve").code == 0
    result = cli("apply", write(stamp, second), "--auto-approve")
    assert result.code == 0, result.out + result.err
    assert cli("plan", stamp, "--detailed-exitcode").code == 0
