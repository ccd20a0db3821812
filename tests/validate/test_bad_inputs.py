"""Data-driven bad-input corpus: every case under tests/validate/bad_inputs/ must be refused cleanly.

Each case directory is a complete stamp plus `expected.txt` (`FILE:LINE:COL: SUBSTRING` per
line, see tests/validate/bad_inputs/README.md). For each case, `fabric validate`, `fabric plan` and
`fabric apply --auto-approve` must all exit 1 without a traceback, report every expected
diagnostic at its exact position, print nothing on stderr but well-formed diagnostics and
the summary line, and leave no `.fabric` directory behind. A case whose directory is not a
stamp at all expects `error: SUBSTRING` instead: exactly one such line, and no summary.

To keep the corpus fast, `validate` and `plan` run in-process (through the typer app, output
captured by capsys) while `apply` runs as a real `python -m fabric` subprocess, started first
so that it overlaps with them: one interpreter start per case instead of three.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from corpus import PATH_ERROR, Expected, cases, read_expected

from fabric.cli.app import app

CORPUS = Path(__file__).parent / "bad_inputs"
CASES = cases(CORPUS)
DIAGNOSTIC = re.compile(r"^\S+:\d+:\d+: error: .+")
SUMMARY = re.compile(r"^(\d+) problem\(s\) found; nothing was changed\.$")
TIMEOUT = 60


@dataclass(frozen=True)
class Outcome:
    """What one command did."""

    command: str
    code: object
    stdout: str
    stderr: str


def run_in_process(command: str, case: str, capsys: pytest.CaptureFixture[str]) -> Outcome:
    """`fabric COMMAND CASE` in this process (the cwd is already the case's parent)."""
    capsys.readouterr()
    try:
        code: object = app([command, case], standalone_mode=False)
    except SystemExit as exc:  # only if the CLI exits instead of returning
        code = exc.code
    captured = capsys.readouterr()
    return Outcome(command, code, captured.out, captured.err)


def start_subprocess(args: list[str], cwd: Path) -> subprocess.Popen[str]:
    """Start `python -m fabric ARGS...` with no stdin (so a prompt cannot hang the test)."""
    return subprocess.Popen(
        [sys.executable, "-m", "fabric", *args],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def finish_subprocess(command: str, proc: subprocess.Popen[str]) -> Outcome:
    """Wait for a started command (killing it after TIMEOUT seconds)."""
    try:
        stdout, stderr = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        stderr += f"\n[test] `fabric {command}` timed out after {TIMEOUT}s"
    return Outcome(command, proc.returncode, stdout, stderr)


def problems_with(outcome: Outcome, case: str, expected: list[Expected]) -> list[str]:
    """Everything wrong with one command's outcome, as readable lines (empty = fine)."""
    what = f"`fabric {outcome.command} {case}`"
    problems: list[str] = []
    if outcome.code != 1:
        problems.append(f"{what} exited {outcome.code!r}, expected 1")
    for stream_name, stream in (("stdout", outcome.stdout), ("stderr", outcome.stderr)):
        if "Traceback" in stream:
            problems.append(f"{what} printed a traceback on {stream_name}")
    lines = [line for line in outcome.stderr.splitlines() if line.strip()]
    if expected and not expected[0].file:  # the stamp path is wrong: one `error: …` line, nothing else
        if len(lines) != 1 or not all(e.text in lines[0] for e in expected) or not PATH_ERROR.match(lines[0]):
            problems.append(f"{what}: expected one line `error: ...{expected[0].text}...`")
        return [*problems, f"--- stderr of {what}:\n{outcome.stderr.rstrip()}"] if problems else []
    diagnostics = [line for line in lines if DIAGNOSTIC.match(line)]
    summaries = [m for m in map(SUMMARY.match, lines) if m]
    for line in lines:
        if not DIAGNOSTIC.match(line) and not SUMMARY.match(line):
            problems.append(f"{what}: stderr line is not a diagnostic: {line!r}")
    if len(summaries) != 1:
        problems.append(f"{what}: expected one summary line on stderr, got {len(summaries)}")
    elif int(summaries[0][1]) != len(diagnostics):
        problems.append(f"{what}: summary counts {summaries[0][1]} problem(s) but {len(diagnostics)} were printed")
    repeated = sorted({line for line in diagnostics if diagnostics.count(line) > 1})
    problems += [f"{what}: diagnostic printed more than once: {line!r}" for line in repeated]
    at = 0  # expected lines are in the order printed: a cause before its follow-ons
    for exp in expected:
        prefix = f"{case}/{exp.file}:{exp.line}:{exp.col}:"
        hits = [i for i, line in enumerate(diagnostics) if line.startswith(prefix) and exp.text in line]
        if not hits:
            problems.append(f"{what}: missing {prefix} ...{exp.text}...")
        elif hits[-1] < at:
            problems.append(f"{what}: {prefix} ...{exp.text}... is printed before the line expected above it")
        else:
            at = min(i for i in hits if i >= at)
    if problems:
        problems.append(f"--- stderr of {what}:\n{outcome.stderr.rstrip()}")
    return problems


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_refused(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """validate, plan and apply refuse the case with exactly located diagnostics, writing nothing."""
    expected = read_expected(CORPUS, case, path_errors=True)
    stamp = tmp_path / case
    shutil.copytree(CORPUS / case, stamp, ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FABRIC_DEBUG", raising=False)

    apply = start_subprocess(["apply", case, "--auto-approve"], tmp_path)  # runs meanwhile
    outcomes = [run_in_process("validate", case, capsys), run_in_process("plan", case, capsys)]
    outcomes.append(finish_subprocess("apply", apply))

    problems = [p for outcome in outcomes for p in problems_with(outcome, case, expected)]
    if (stamp / ".fabric").exists():
        problems.append(f"a .fabric directory was written in {case}/ (state or lab touched)")
    assert not problems, "\n".join(problems)


def test_corpus_is_big_enough() -> None:
    """The corpus must not silently shrink (the issue asks for at least 60 cases; there are 141)."""
    assert len(CASES) >= 140, CASES
