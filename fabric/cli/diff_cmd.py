"""`fabric diff`: compare the desired fabric of a stamp at two Git revisions (no provider)."""

from __future__ import annotations

import difflib
import io
import json
import subprocess
import tarfile
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fabric.cli.common import HERE, StampDir, VarAssignments, VarFiles, reports_errors, write
from fabric.engine import stamp_variables
from fabric.errors import FabricError
from fabric.model.stamp import Fabric
from fabric.plan.review import compare
from fabric.project import open_stamp
from fabric.render.review import review_json, review_markdown, review_text


class DiffFormat(StrEnum):
    """Output formats of `fabric diff`."""

    text = "text"
    json = "json"
    markdown = "markdown"


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise FabricError("git is not installed") from None
    if done.returncode != 0:
        raise FabricError(f"git {' '.join(args)}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def _top(stamp: Path) -> Path:
    if not stamp.is_dir():
        raise FabricError(f"no such directory: {stamp}")
    try:
        return Path(_git(stamp, "rev-parse", "--show-toplevel").strip())
    except FabricError:
        raise FabricError(f"fabric diff compares Git revisions, and {stamp} is not inside a Git repository") from None


def _revision(top: Path, ref: str, option: str) -> None:
    """FabricError unless `ref` names a commit (with the closest branch or tag names as a hint)."""
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except FabricError:
        names = _git(top, "for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/tags", "refs/remotes")
        close = difflib.get_close_matches(ref, names.split(), n=3)
        hint = f"; did you mean {' or '.join(close)}?" if close else " (a branch, tag or commit: main, HEAD~1, a1b2c3d)"
        raise FabricError(f"{option} {ref}: no such Git revision{hint}") from None


def _checkout(stamp: Path, ref: str, into: Path, option: str) -> Path:
    """Write the stamp's files as of `ref` into `into` (the YAML, and what it names beside it: the
    library scripts, the lab's seed); return that directory."""
    top = _top(stamp)
    _revision(top, ref, option)
    rel = stamp.resolve().relative_to(top.resolve()).as_posix()
    tree = f"{ref}:{rel}" if rel != "." else f"{ref}:"
    try:
        is_tree = _git(top, "cat-file", "-t", tree).strip() == "tree"
    except FabricError:
        is_tree = False
    if not is_tree:
        raise FabricError(f"{option} {ref}: the stamp directory {rel} does not exist at that revision")
    target = Path(tempfile.mkdtemp(prefix="rev-", dir=into))
    done = subprocess.run(["git", "-C", str(top), "archive", "--format=tar", tree], capture_output=True, check=False)
    if done.returncode != 0:
        raise FabricError(f"git archive {tree}: {done.stderr.decode(errors='replace').strip() or 'failed'}")
    _extract(done.stdout, target)
    return target


def _extract(tar: bytes, target: Path) -> None:
    """Write the regular files of a `git archive` into `target`: links, devices and any name that
    would land outside it are left out (what a stamp needs is its YAML and the files it names)."""
    root = target.resolve()
    with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
        for member in archive:
            path = (root / member.name).resolve()
            if not member.isfile() or not path.is_relative_to(root) or path == root:
                continue
            source = archive.extractfile(member)
            if source is None:
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(source.read())


def _open(stamp: Path, ref: str | None, tmp: Path, option: str, var: list[str], files: list[Path]) -> Fabric:
    root = stamp if ref is None else _checkout(stamp, ref, tmp, option)
    return open_stamp(root, variables=stamp_variables(root, var, files))  # as each revision declares them


@reports_errors
def diff(
    base: Annotated[
        str, typer.Option("--base", metavar="REF", help="Git revision to compare from (e.g. origin/main).")
    ],
    stamp: StampDir = HERE,
    head: Annotated[
        str | None,
        typer.Option("--head", metavar="REF", help="Git revision to compare to [default: working tree]."),
    ] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", help="text, json or markdown.")] = DiffFormat.text,
    var: VarAssignments = None,
    var_file: VarFiles = None,
) -> int:
    """What a branch changes in the desired fabric, and what each change affects (blast radius)."""
    with tempfile.TemporaryDirectory(prefix="fabric-diff-") as tmp:
        before = _open(stamp, base, Path(tmp), "--base", var or [], var_file or [])
        changes = compare(before, _open(stamp, head, Path(tmp), "--head", var or [], var_file or []))
    head_name = head or "working tree"
    if fmt is DiffFormat.json:
        write(json.dumps(review_json(changes, base, head_name), indent=2))
    elif fmt is DiffFormat.markdown:
        write(review_markdown(changes, base, head_name))
    else:
        write(review_text(changes, base, head_name))
    return 0
