"""`--help` of every command, as a snapshot (tests/cli/help/*.txt) and against the mistakes help
text used to have: rich markup swallowing `[default: …]`, flags shown as `<bool>`, `{stamp}` in
usage lines, types instead of metavars. Regenerate with FABRIC_REGENERATE=1 after a deliberate change."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import Cli

SNAPSHOTS = Path(__file__).parent / "help"


def _listed(text: str) -> list[str]:
    """The command names a help text lists under `Commands:` (up to the first blank line)."""
    if "Commands:" not in text:
        return []
    block = text.split("Commands:", 1)[1].lstrip("\n").split("\n\n", 1)[0]
    return [m.group(1) for line in block.splitlines() if (m := re.match(r"^  (\S+)", line))]


def _commands(cli: Cli) -> list[tuple[str, ...]]:
    """Every command and subcommand, read from the top-level and group help."""
    found: list[tuple[str, ...]] = [()]
    for name in _listed(cli("--help").out):
        found.append((name,))
        found += [(name, sub) for sub in _listed(cli(name, "--help").out)]
    return found


def test_every_command_has_a_current_help_snapshot(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # help wraps to the terminal: fix the width
    regenerate = bool(os.environ.get("FABRIC_REGENERATE"))
    commands = _commands(cli)
    assert len(commands) > 20, commands
    seen = set()
    for command in commands:
        result = cli(*command, "--help")
        assert result.code == 0, (command, result.err)
        text = result.out
        name = "-".join(command) or "fabric"
        seen.add(f"{name}.txt")
        _check_readable(name, text)
        snapshot = SNAPSHOTS / f"{name}.txt"
        if regenerate:
            SNAPSHOTS.mkdir(exist_ok=True)
            snapshot.write_text(text)
        assert snapshot.exists(), f"no snapshot for fabric {' '.join(command)}: FABRIC_REGENERATE=1"
        assert text == snapshot.read_text(), f"help of fabric {' '.join(command)} changed: FABRIC_REGENERATE=1"
    stale = sorted({p.name for p in SNAPSHOTS.glob("*.txt")} - seen)
    assert not stale, f"snapshots of commands that no longer exist: {stale}"


def _check_readable(name: str, text: str) -> None:
    usage = text.splitlines()[0]
    assert "{" not in usage and "}" not in usage, f"{name}: {usage}"
    for bad in ("<bool>", "<str>", "<int", "<path>", "<list[", "<float"):
        assert bad not in text, f"{name}: help shows the type {bad} instead of a metavar"
    assert " ." not in text.replace("…", ""), f"{name}: a help text lost its bracketed part (rich markup)"
    flat = " ".join(text.split())  # help wraps lines
    assert "[default: STAMP/.fabric]" in flat or "--state-dir" not in text, f"{name}: --state-dir lost its default"


def test_top_level_help_lists_environment_variables_and_exit_codes(cli: Cli) -> None:
    text = cli("--help").out
    for name in ("FABRIC_LOG", "FABRIC_LOG_FILE", "FABRIC_DEBUG", "FABRIC_PG_DSN", "FABRIC_LAB_LATENCY_MS"):
        assert name in text
    assert "130 interrupted" in text


def test_version_flag_and_command(cli: Cli) -> None:
    from fabric import __version__

    assert cli("--version").out.strip() == f"fabric {__version__}"
    assert cli("version").out.strip() == __version__


def test_completion_can_be_shown_for_a_shell(cli: Cli) -> None:
    result = cli("--show-completion", "bash")
    assert result.code == 0
    assert "_FABRIC_COMPLETE" in result.out
