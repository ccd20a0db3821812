"""Reading a data-driven corpus of stamps with `expected.txt` (tests/validate/bad_inputs, warnings):
one `FILE:LINE:COL: SUBSTRING` per line (`error: SUBSTRING` for a stamp path that is wrong, where
allowed), blank lines and `#` lines being comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

EXPECTED = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): (?P<text>.+)$")
PATH_ERROR = re.compile(r"^error: (?P<text>.+)$")  # the stamp path itself is wrong: no position


@dataclass(frozen=True)
class Expected:
    """One line of expected.txt (`file` empty: a path error, `error: SUBSTRING`)."""

    file: str
    line: int
    col: int
    text: str


def cases(corpus: Path) -> list[str]:
    """The case folders of a corpus (each with an expected.txt), by name."""
    return sorted(p.name for p in corpus.iterdir() if p.is_dir() and (p / "expected.txt").is_file())


def read_expected(corpus: Path, case: str, *, path_errors: bool = False) -> list[Expected]:
    """Parse a case's expected.txt; `path_errors`: `error: SUBSTRING` lines are allowed (alone)."""
    out: list[Expected] = []
    text = (corpus / case / "expected.txt").read_text(encoding="utf-8")
    form = "FILE:LINE:COL: SUBSTRING" + (" or error: SUBSTRING" if path_errors else "")
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        path_error = PATH_ERROR.match(raw) if path_errors else None
        if path_error:
            out.append(Expected("", 0, 0, path_error["text"]))
            continue
        match = EXPECTED.match(raw)
        assert match, f"{case}/expected.txt:{number}: not {form}: {raw!r}"
        out.append(Expected(match["file"], int(match["line"]), int(match["col"]), match["text"]))
    assert out, f"{case}/expected.txt lists nothing"
    assert all(e.file for e in out) or not any(e.file for e in out), f"{case}: path errors come alone"
    return out
