"""The pre-commit hook for stamp repositories (`fabric-validate-changed`, `.pre-commit-hooks.yaml`)
and the repository's own hooks (`.pre-commit-config.yaml`) running what `make lint` runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml
from conftest import copy_stamp

from fabric.cli.hooks import stamps_of

REPO = Path(__file__).resolve().parents[2]
HOOK = [sys.executable, "-c", "from fabric.cli.hooks import main; main()"]


def _repo(tmp_path: Path) -> tuple[Path, Path]:
    good = copy_stamp("lab", tmp_path / "stamps")
    bad = copy_stamp("lab", tmp_path / "broken")
    (bad / "fabric.yaml").write_text((bad / "fabric.yaml").read_text().replace("vlan: 50", "vlan: many"))
    (tmp_path / "notes.yaml").write_text("not: a stamp\n")
    return good, bad


def test_files_map_to_the_stamp_that_holds_them_once(tmp_path: Path) -> None:
    good, bad = _repo(tmp_path)
    files = [good / "lab.yaml", good / "fabric.yaml", tmp_path / "notes.yaml", bad / "lab.yaml"]
    assert stamps_of(map(str, files)) == [good.resolve(), bad.resolve()]


def test_a_commit_touching_only_valid_stamps_passes(tmp_path: Path) -> None:
    good, _ = _repo(tmp_path)
    changed = [str(good / "lab.yaml"), str(tmp_path / "notes.yaml")]
    result = subprocess.run([*HOOK, *changed], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "valid (" in result.stdout


def test_a_commit_touching_an_invalid_stamp_is_refused_with_its_problems(tmp_path: Path) -> None:
    good, bad = _repo(tmp_path)
    result = subprocess.run([*HOOK, str(good / "lab.yaml"), str(bad / "lab.yaml")], capture_output=True, text=True)
    assert result.returncode == 1
    assert "broken/lab/lab.yaml:" in result.stderr and "problem(s) found; nothing was changed." in result.stderr
    assert "Traceback" not in result.stderr


def test_the_published_hook_and_the_repository_hooks_are_well_formed() -> None:
    published = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in published] == ["fabric-validate"]
    assert published[0]["entry"].startswith("fabric-validate-changed --staged")
    assert "fabric-validate-changed" in (REPO / "pyproject.toml").read_text()
    local = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    entries = " ".join(h["entry"] for repo in local["repos"] for h in repo["hooks"])
    for check in ("ruff check", "ruff format --check", "lint-imports", "mypy", "schema"):
        assert check in entries
    makefile = (REPO / "Makefile").read_text()
    assert "ruff format --check" in makefile


def test_staged_mode_sees_a_deleted_file_that_breaks_its_stamp(tmp_path: Path) -> None:
    stamp = tmp_path / "my stamps" / "oslo"  # a space in the path, too
    stamp.mkdir(parents=True)
    (stamp / "fabric.yaml").write_text("stamp: oslo\n")
    (stamp / "groups.yaml").write_text("host_group:\n  Oslo: {}\n")
    (stamp / "clouds.yaml").write_text("cloud:\n  iaas:\n    host_groups: [host_group.Oslo]\n")
    git = ["git", "-C", str(tmp_path), "-c", "user.email=t@example.invalid", "-c", "user.name=t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    assert subprocess.run([*HOOK, "--staged"], capture_output=True, text=True, cwd=tmp_path).returncode == 0
    subprocess.run([*git, "commit", "-qm", "stamp"], check=True)
    subprocess.run([*git, "rm", "-q", str(stamp / "groups.yaml")], check=True)  # pre-commit would pass no file
    staged = subprocess.run([*HOOK, "--staged"], capture_output=True, text=True, cwd=tmp_path)
    assert staged.returncode == 1 and "host_group.Oslo" in staged.stderr


def test_staged_mode_outside_a_git_repository_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = subprocess.run([*HOOK, "--staged"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot list the staged files with git") and "Traceback" not in result.stderr
