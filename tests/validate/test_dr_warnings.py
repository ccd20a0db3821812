"""Data-driven warning corpus: every case under tests/validate/warnings/ is valid, with warnings.

Each case directory is a complete stamp plus `expected.txt`, in the format of the bad-input
corpus (tests/validate/bad_inputs/README.md) but listing warnings: `FILE:LINE:COL: SUBSTRING`
per line, `#` lines and blank lines being comments. `fabric validate` must exit 0, print on
stderr exactly the listed warnings as `FILE:LINE:COL: warning: MESSAGE` lines, in that order and
nothing else, and say on stdout that the stamp is valid with that many warnings. A warning
refuses nothing: `fabric plan` of the same stamp exits 0 too, printing the same warnings.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import Cli, Result
from corpus import Expected, cases, read_expected

CORPUS = Path(__file__).parent / "warnings"
CASES = cases(CORPUS)
WARNING = re.compile(r"^(?P<where>\S+:\d+:\d+): warning: (?P<message>.+)$")


def stamp_copy(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Copy the case to tmp_path/CASE and work from tmp_path (messages then name `CASE/FILE`)."""
    shutil.copytree(CORPUS / case, tmp_path / case, ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FABRIC_DEBUG", raising=False)


def warning_problems(what: str, result: Result, case: str, expected: list[Expected]) -> list[str]:
    """What is wrong with a command's stderr: exactly the expected warnings, in order (empty = fine)."""
    problems: list[str] = []
    if "Traceback" in result.out or "Traceback" in result.err:
        problems.append(f"{what} printed a traceback")
    lines = [line for line in result.err.splitlines() if line.strip()]
    problems += [f"{what}: stderr line is not a warning: {line!r}" for line in lines if not WARNING.match(line)]
    warnings = [line for line in lines if WARNING.match(line)]
    if len(warnings) != len(expected):
        problems.append(f"{what}: {len(warnings)} warning(s) printed, {len(expected)} expected")
    for exp, line in zip(expected, warnings, strict=False):
        prefix = f"{case}/{exp.file}:{exp.line}:{exp.col}: warning: "
        if not line.startswith(prefix) or exp.text not in line:
            problems.append(f"{what}: expected {prefix}...{exp.text}..., got {line!r}")
    if problems:
        problems.append(f"--- stderr of {what}:\n{result.err.rstrip()}")
    return problems


@pytest.mark.parametrize("case", CASES)
def test_warnings_are_reported(case: str, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """validate accepts the case, printing exactly its warnings and counting them on stdout."""
    expected = read_expected(CORPUS, case)
    stamp_copy(case, tmp_path, monkeypatch)
    result = cli("validate", case)
    what = f"`fabric validate {case}`"
    problems = warning_problems(what, result, case, expected)
    if result.code != 0:
        problems.insert(0, f"{what} exited {result.code}, expected 0")
    summary = f"{case}: valid ("
    if summary not in result.out or f", {len(expected)} warning(s))." not in result.out:
        problems.append(f"{what}: stdout does not say valid with {len(expected)} warning(s): {result.out!r}")
    assert not problems, "\n".join(problems)
    assert not (tmp_path / case / ".fabric").exists(), "validate wrote a .fabric directory"


@pytest.mark.parametrize("case", CASES)
def test_warnings_do_not_stop_plan(case: str, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """plan of the same stamp succeeds, printing the same warnings on stderr and its plan on stdout."""
    expected = read_expected(CORPUS, case)
    stamp_copy(case, tmp_path, monkeypatch)
    state = tmp_path / "state"
    result = cli("plan", case, "--state-dir", str(state))
    what = f"`fabric plan {case} --state-dir {state}`"
    problems = warning_problems(what, result, case, expected)
    if result.code != 0:
        problems.insert(0, f"{what} exited {result.code}, expected 0")
    if not re.search(r"^Plan: \d+ to create", result.out, re.MULTILINE):
        problems.append(f"{what}: stdout holds no plan summary: {result.out[-500:]!r}")
    assert not problems, "\n".join(problems)
    assert not (tmp_path / case / ".fabric").exists(), "plan with --state-dir wrote a .fabric directory in the stamp"


def test_every_dr_warning_has_a_case() -> None:
    """The corpus covers each DR warning rule the validator has (DR008, DR019, DR020, DR029)."""
    rules = {case.split("-", 1)[0] for case in CASES}
    assert {"dr008", "dr019", "dr020", "dr029"} <= rules, CASES
