"""`fabric schema`: the checked-in JSON Schemas are current, and `--check` notices a stale file."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, Cli

from fabric.load.schema import render_schemas


def test_schemas_are_up_to_date() -> None:
    for name, text in render_schemas().items():
        assert (ROOT / "schemas" / name).read_text() == text, f"run: fabric schema --out schemas ({name})"


def test_schema_check_detects_stale_file(cli: Cli, tmp_path: Path) -> None:
    assert cli("schema", "--out", tmp_path).code == 0
    assert cli("schema", "--out", tmp_path, "--check").code == 0
    (tmp_path / "fabric.schema.json").write_text("{}")
    result = cli("schema", "--out", tmp_path, "--check")
    assert result.code == 1
    assert "out of date" in result.err
