"""Habits admins bring from Terraform: validate --format json, FABRIC_LOG, proportional output."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from conftest import Cli

ROOT = Path(__file__).resolve().parents[2]


def _bench_generator() -> ModuleType:
    """bench/stampgen.py (the benchmark's stamp generator), loaded under its own name: tests/stampgen.py
    is another module of the same file name."""
    spec = importlib.util.spec_from_file_location("bench_stampgen", ROOT / "bench" / "stampgen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_stampgen"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


SECRET = "log-Secret-value-0042"


def test_validate_json_for_a_valid_and_an_invalid_stamp(cli: Cli, lab: Path) -> None:
    ok = cli("validate", lab, "--format", "json")
    assert ok.code == 0
    doc = json.loads(ok.out)
    assert doc == {"format_version": "1", "stamp": "lab", "valid": True, "resources": 12, "problems": []}
    doc_file = lab / "lab.yaml"
    doc_file.write_text(doc_file.read_text().replace("vm_count: 20", "vm_count: lots"))
    bad = cli("validate", lab, "--format", "json")
    assert bad.code == 1 and bad.err == ""
    doc = json.loads(bad.out)
    assert doc["valid"] is False and doc["resources"] is None
    (problem,) = doc["problems"]
    assert problem["file"].endswith("lab.yaml") and problem["line"] == 20 and problem["address"] == "cloud.iaas"
    assert "vm_count" in problem["message"]


def test_fabric_log_records_provider_calls_and_timings_without_secrets(
    cli: Cli, lab: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = lab / "lab.yaml"
    doc.write_text(doc.read_text().replace(': "true"', ': "${env:LOG_SECRET}"'))  # a custom property value
    log = tmp_path / "fabric.log"
    monkeypatch.setenv("LOG_SECRET", SECRET)
    monkeypatch.setenv("FABRIC_LOG", "debug")
    monkeypatch.setenv("FABRIC_LOG_FILE", str(log))
    assert cli("apply", lab, "--auto-approve").code == 0
    text = log.read_text()
    lines = text.splitlines()
    assert any("provider lab read_inventory: 0 objects in " in line for line in lines)
    assert any(" provider lab create cloud.iaas (cloud): ok, id " in line for line in lines)
    assert sum(" create " in line for line in lines) == 12
    assert SECRET not in text
    assert oct(log.stat().st_mode & 0o777) == "0o600"
    monkeypatch.delenv("FABRIC_LOG_FILE")
    stderr = cli("plan", lab).err  # without a file, the log goes to stderr
    assert "provider lab read_inventory: 12 objects" in stderr


def test_output_without_a_terminal_is_proportional(tmp_path: Path) -> None:
    stamp = tmp_path / "big"
    _bench_generator().generate(stamp, 1000)
    done = subprocess.run(
        [sys.executable, "-m", "fabric", "apply", str(stamp), "--auto-approve", "--compact", "--parallelism", "8"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    resources = json.loads(
        subprocess.run(
            [sys.executable, "-m", "fabric", "validate", str(stamp), "--format", "json"], capture_output=True, text=True
        ).stdout
    )["resources"]
    lines = done.stdout.splitlines()
    # the compact plan once (a line per resource), a line per operation, the summary
    assert len(lines) <= 2 * resources + 5, len(lines)
    assert done.stdout.count(" to create, ") == 1


def test_var_and_var_file_on_every_command_that_loads_code(cli: Cli, lab: Path, tmp_path: Path) -> None:
    values = tmp_path / "bergen.yaml"
    values.write_text("location: Bergen\nvlan: 51\n")
    assert "valid (12 resources)" in cli("validate", lab, "-var", "location=Bergen").out
    plan = json.loads(cli("plan", lab, "--format", "json", "-var-file", values).out)
    assert "host_group.Bergen" in {c["address"] for c in plan["changes"]}
    # later sources win: the -var beats the file
    plan = json.loads(cli("plan", lab, "--format", "json", "--var-file", values, "--var", "location=Trondheim").out)
    assert "host_group.Trondheim" in {c["address"] for c in plan["changes"]}
    assert cli("apply", lab, "--auto-approve", "-var", "location=Bergen").code == 0
    assert cli("plan", lab, "--detailed-exitcode", "-var", "location=Bergen").code == 0
    assert cli("plan", lab, "--detailed-exitcode").code == 2  # fabric.yaml says Lab
    assert cli("drift", lab, "--detailed-exitcode", "-var", "location=Bergen").code == 0
    assert cli("destroy", lab, "--auto-approve", "-var", "location=Bergen").code == 0
    typo = cli("plan", lab, "-var", "lcation=Bergen")
    assert typo.code == 1 and "did you mean 'location'?" in typo.err and "Traceback" not in typo.err
    wrong = cli("validate", lab, "-var", "vlan=on")
    assert wrong.code == 1 and wrong.err.startswith("-var:1:6: error: -var vlan=on:")
    values.write_text("location: Bergen\nvlan: fifty\n")
    bad_file = cli("plan", lab, "-var-file", values)
    assert bad_file.code == 1 and f"{values}:2:7: error: vlan:" in bad_file.err


def test_validate_json_for_a_path_that_is_not_a_stamp(cli: Cli, tmp_path: Path) -> None:
    result = cli("validate", tmp_path / "nope", "--format", "json")
    assert result.code == 1
    doc = json.loads(result.out)
    assert doc["valid"] is False and doc["problems"][0]["message"].startswith("no such directory")
