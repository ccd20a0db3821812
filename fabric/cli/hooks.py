"""`fabric-validate-changed FILE…`: the pre-commit hook for stamp repositories.

pre-commit hands it the files a commit changes; it finds each stamp holding one (the nearest
directory at or above the file with a `fabric.yaml`) and runs `fabric validate` on each, once.
The commit is refused (exit 1) if any stamp is invalid, with `fabric validate`'s one line per
problem. Files in no stamp are left alone. See the README ("Checks before a commit").
"""

from __future__ import annotations

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


def main(argv: list[str] | None = None) -> None:
    """Validate every stamp a changed file belongs to; exit 1 if one is invalid."""
    from fabric.cli.app import app

    worst = 0
    for stamp in stamps_of(sys.argv[1:] if argv is None else argv):
        try:
            code = app(["validate", str(stamp)], standalone_mode=False, prog_name="fabric")
        except SystemExit as exc:  # a usage error: reported by typer already
            code = exc.code if isinstance(exc.code, int) else 1
        worst = max(worst, code if isinstance(code, int) else 0)
    sys.stdout.flush()
    sys.exit(worst)
