"""`fabric diff`: compare the desired fabric of a stamp at two Git revisions (no provider)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fabric.cli.common import StampDir, reports_errors, write
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


def _checkout(stamp: Path, ref: str, into: Path) -> Path:
    """Write the stamp's YAML files as of `ref` into `into`; return that directory."""
    top = Path(_git(stamp, "rev-parse", "--show-toplevel").strip())
    rel = stamp.resolve().relative_to(top.resolve()).as_posix()
    prefix = "" if rel == "." else rel + "/"
    names = _git(top, "ls-tree", "--name-only", f"{ref}:{rel}" if prefix else f"{ref}:").split()
    target = Path(tempfile.mkdtemp(prefix="rev-", dir=into))
    for name in names:
        if name.endswith((".yaml", ".yml")):
            (target / name).write_text(_git(top, "show", f"{ref}:{prefix}{name}"), encoding="utf-8")
    return target


def _open(stamp: Path, ref: str | None, tmp: Path) -> Fabric:
    return open_stamp(stamp if ref is None else _checkout(stamp, ref, tmp))


@reports_errors
def diff(
    stamp: StampDir,
    base: Annotated[str, typer.Option("--base", help="Git revision to compare from (e.g. origin/main).")],
    head: Annotated[
        str | None, typer.Option("--head", help="Git revision to compare to [default: working tree].")
    ] = None,
    fmt: Annotated[DiffFormat, typer.Option("--format", help="text, json or markdown.")] = DiffFormat.text,
) -> int:
    """What a branch changes in the desired fabric, and what each change affects (blast radius)."""
    with tempfile.TemporaryDirectory(prefix="fabric-diff-") as tmp:
        changes = compare(_open(stamp, base, Path(tmp)), _open(stamp, head, Path(tmp)))
    head_name = head or "working tree"
    if fmt is DiffFormat.json:
        write(json.dumps(review_json(changes, base, head_name), indent=2))
    elif fmt is DiffFormat.markdown:
        write(review_markdown(changes, base, head_name))
    else:
        write(review_text(changes, base, head_name))
    return 0
