"""`fabric-validate-changed [--staged | FILE…]`: the pre-commit hook for stamp repositories.

It finds each stamp holding a changed file (the nearest directory at or above the file with a
`fabric.yaml`) and runs `fabric validate` on each, once. The commit is refused (exit 1) if any
stamp is invalid, with `fabric validate`'s one line per problem. Files in no stamp are left
alone. `--staged` asks git for the files the commit changes, deleted and renamed ones included
(pre-commit passes only the files that still exist, and a deleted file can break its stamp).
See the README ("Checks before a commit").
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from fabric.load.stamp import STAMP_FILE


def stamps_of(files: Iterable[str]) -> list[Path]:
    """The stamp directories holding `files`, each once, in order."""
    found: dict[Path, None] = {}
    for name in files:
        path = Path(name).resolve()
        for candidate in (path if path.is_dir() else path.parent, *path.parents):
            if (candidate / STAMP_FILE).is_file():
                found[candidate] = None
                break
    return list(found)


def staged_files() -> list[str]:
    """The paths the staged commit adds, changes or deletes (both sides of a rename)."""
    listed = subprocess.run(
        ["git", "diff", "--cached", "--name-only", "--no-renames", "-z"], capture_output=True, check=True
    ).stdout
    return [name for name in listed.decode("utf-8", "surrogateescape").split("\0") if name]


def main(argv: list[str] | None = None) -> None:
    """Validate every stamp a changed file belongs to; exit 1 if one is invalid."""
    from fabric.cli.app import app

    args = sys.argv[1:] if argv is None else argv
    if args == ["--staged"]:
        try:
            args = staged_files()
        except (OSError, subprocess.CalledProcessError) as exc:
            sys.stderr.write(f"error: cannot list the staged files with git: {exc}\n")
            sys.exit(1)
    worst = 0
    for stamp in stamps_of(args):
        try:
            code = app(["validate", str(stamp)], standalone_mode=False, prog_name="fabric")
        except SystemExit as exc:  # a usage error: reported by typer already
            code = exc.code if isinstance(exc.code, int) else 1
        worst = max(worst, code if isinstance(code, int) else 0)
    sys.stdout.flush()
    sys.exit(worst)
