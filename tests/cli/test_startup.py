"""A command imports what it uses: what `fabric version`, `validate` and a no-op `plan` load.

Timing belongs to `make bench`; this checks the cause — which heavy modules a command pulls in —
so a stray top-level import fails here rather than slowing every command a little.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import copy_stamp

# (typer itself loads pydantic, and pydantic importlib.metadata, for every command: not ours to defer)
HEAVY = ("networkx", "jinja2", "rich", "tenacity", "multiprocessing", "psycopg", "fabric.scaffold", "fabric.load.fmt")
PROBE = """
import json, sys
from fabric.cli.app import app
try:
    app(sys.argv[1:], standalone_mode=False, prog_name="fabric")
finally:
    sys.stdout.flush()
    print("\\nMODULES " + json.dumps(sorted(sys.modules)))
"""


def _modules(*args: str, cwd: Path | None = None) -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=cwd, timeout=120)
    line = next(x for x in result.stdout.splitlines() if x.startswith("MODULES "))
    return set(json.loads(line.removeprefix("MODULES ")))


def _heavy(modules: set[str]) -> list[str]:
    return [m for m in HEAVY if m in modules]


def _plain_stamp(tmp_path: Path) -> Path:
    """A stamp without templates (the lab stamp's `{{ var.location }}` loads jinja2, rightly)."""
    stamp = tmp_path / "plain"
    stamp.mkdir()
    (stamp / "fabric.yaml").write_text("stamp: plain\nprovider:\n  type: lab\n")
    (stamp / "groups.yaml").write_text("host_group:\n  Oslo:\n    children:\n      IaaS: {}\n")
    return stamp


def test_version_imports_no_engine_and_no_stamp_loading() -> None:
    modules = _modules("version")
    assert _heavy(modules) == []
    assert not {"fabric.engine", "fabric.load.stamp", "fabric.model.resources", "yaml"} & modules


def test_validate_loads_no_engine_state_provider_or_template_engine(tmp_path: Path) -> None:
    stamp = _plain_stamp(tmp_path)
    modules = _modules("validate", str(stamp))
    assert _heavy(modules) == []
    assert (
        not {"fabric.engine", "fabric.apply.executor", "fabric.state.sqlite", "fabric.providers.lab.provider"} & modules
    )


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_plan_to_a_pipe_loads_no_executor_retry_library_or_rich(tmp_path: Path, fmt: str) -> None:
    stamp = _plain_stamp(tmp_path)
    modules = _modules("plan", str(stamp), "--format", fmt)
    assert _heavy(modules) == []
    assert "fabric.apply.executor" not in modules and "fabric.engine" in modules


def test_a_stamp_with_templates_loads_jinja2_and_help_loads_every_command(tmp_path: Path) -> None:
    stamp = copy_stamp("lab", tmp_path)  # "{{ var.location }}"
    assert "jinja2" in _modules("validate", str(stamp))
    listed = _modules("--help")
    assert {"fabric.cli.apply_cmd", "fabric.cli.lab_cmd", "fabric_scvmm.cli"} <= listed


@pytest.mark.parametrize("command", [["version"], ["validate", "{stamp}"], ["plan", "{stamp}"]])
def test_the_command_never_scans_installed_packages(tmp_path: Path, command: list[str]) -> None:
    """pydantic's plug-in search (importlib.metadata over every installed package) is skipped."""
    stamp = _plain_stamp(tmp_path)
    args = [a.format(stamp=stamp) for a in command]
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "fabric", *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert imported and "importlib.metadata" not in imported
