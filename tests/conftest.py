"""Shared fixtures: run the real CLI in-process, copy stamps into a temp directory."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from fabric.cli.app import app

ROOT = Path(__file__).resolve().parent.parent
STAMPS = ROOT / "stamps"


@dataclass
class Result:
    code: int
    out: str
    err: str


Cli = Callable[..., Result]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run `fabric ARGS…` in-process; `stdin=` feeds the confirmation prompt."""

    def run(*args: str, stdin: str = "") -> Result:
        import io

        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = app([str(a) for a in args], standalone_mode=False)
        except SystemExit as exc:  # typer may exit for --help and the like
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(int(code or 0), captured.out, captured.err)

    return run


def copy_stamp(name: str, dest: Path) -> Path:
    """Copy stamps/NAME (without any .fabric work dir) to dest/NAME."""
    target = dest / name
    shutil.copytree(STAMPS / name, target, ignore=shutil.ignore_patterns(".fabric"))
    return target


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    """A private copy of stamps/reference."""
    return copy_stamp("reference", tmp_path)


@pytest.fixture
def lab(tmp_path: Path) -> Path:
    """A private copy of stamps/lab."""
    return copy_stamp("lab", tmp_path)
