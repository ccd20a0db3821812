"""Terraform on the same shape of work as fabric, and the interactive commands' start-up.

Terraform: a configuration of N `terraform_data` resources (the built-in provider, so nothing is
downloaded) in parent → child chains as long as the fabric stamp's critical path; each child's
`input` is its parent's `output`, so Terraform orders them as fabric orders a host group's
children. The same phases run as for fabric (validate, plan from empty, apply with
`-parallelism=8`, no-op plan), each as its own process, local state, no refresh of anything
remote (terraform_data has no remote side). Skipped cleanly when no `terraform` is on PATH.

Interactive: `fabric version` and `fabric validate stamps/lab` (the repository's lab stamp),
five runs each, median reported.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PHASES = ("validate", "plan", "apply", "noop")


@dataclass
class TerraformRun:
    """Terraform's figures at one size: phase → wall seconds of each run."""

    size: int
    resources: int
    chain: int
    walls: dict[str, list[float]] = field(default_factory=dict)
    stopped: dict[str, str] = field(default_factory=dict)  # phase → why it was stopped (over the budget)
    budget: float = 0.0  # seconds a command may run

    def wall(self, phase: str) -> float | None:
        """Median wall time of a phase (None if it did not run)."""
        runs = self.walls.get(phase)
        return statistics.median(runs) if runs else None


def terraform_binary() -> str | None:
    """The terraform on PATH, if any."""
    return shutil.which("terraform")


def terraform_version(binary: str) -> str:
    """`terraform version`'s first line ('?' if it fails)."""
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=60, env=_env(Path("/tmp")))
    except (OSError, subprocess.SubprocessError):
        return "?"
    return out.stdout.splitlines()[0] if out.stdout else "?"


def write_configuration(directory: Path, resources: int, chain: int) -> None:
    """main.tf with `resources` terraform_data resources in chains of `chain`."""
    directory.mkdir(parents=True, exist_ok=True)
    blocks = []
    for i in range(resources):
        value = f'"root-{i}"' if i % chain == 0 else f"terraform_data.r{i - 1}.output"
        blocks.append(f'resource "terraform_data" "r{i}" {{\n  input = {value}\n}}\n')
    (directory / "main.tf").write_text("".join(blocks), encoding="utf-8")


def _env(work: Path) -> dict[str, str]:
    config = work / "terraformrc"
    if not config.exists():
        config.write_text("", encoding="utf-8")  # an empty CLI configuration: no warning, no plug-in cache
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1", TF_CLI_CONFIG_FILE=str(config), TF_INPUT="0")
    return env


class OverBudget(Exception):
    """A Terraform command ran past the budget and was stopped."""


def _timed(cmd: list[str], cwd: Path, env: dict[str, str], expect: set[int], budget: float) -> float:
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=budget
        )
    except subprocess.TimeoutExpired:
        raise OverBudget(f"{' '.join(cmd[1:3])} ran over {budget:.0f} s and was stopped") from None
    wall = time.perf_counter() - start
    if proc.returncode not in expect:
        raise SystemExit(f"bench: {' '.join(cmd)} in {cwd} exited {proc.returncode}:\n{proc.stderr[-2000:]}")
    return wall


_COMMANDS = {
    "validate": (["validate"], {0}),
    "plan": (["plan", "-input=false", "-detailed-exitcode"], {2}),
    "apply": (["apply", "-input=false", "-auto-approve", "-parallelism=8"], {0}),
    "noop": (["plan", "-input=false", "-detailed-exitcode"], {0}),  # each directory applied once by then
}


def run_terraform(
    binary: str, work: Path, resources: int, chain: int, repeat: int, log: Callable[[str], None], budget: float
) -> TerraformRun:
    """Every phase `repeat` times; each apply from its own empty state, the no-op plan after it.
    A command running past `budget` seconds is stopped: its phase is recorded as over budget
    (`TerraformRun.stopped`), and the phases that need its result are not run."""
    result = TerraformRun(0, resources, chain, budget=budget)
    env = _env(work)
    dirs = []
    for i in range(repeat):
        d = work / f"terraform-{i}"
        write_configuration(d, resources, chain)
        _timed([binary, "init", "-input=false"], d, env, {0}, budget)  # not timed: sets up the local backend
        dirs.append(d)
    for phase in PHASES:
        if result.stopped and phase == "noop":
            break  # no applied state to plan against
        args, expect = _COMMANDS[phase]
        try:
            runs = [_timed([binary, *args], d, env, expect, budget) for d in dirs]
        except OverBudget as exc:
            result.stopped[phase] = str(exc)
            log(f"{resources:>7} terraform {phase:<10} stopped: {exc}")
            continue
        result.walls[phase] = runs
        log(f"{resources:>7} terraform {phase:<10} {statistics.median(runs):8.2f} s  (median of {len(runs)})")
    return result


def interactive(fabric: Callable[..., list[str]], env: dict[str, str], repo: Path, runs: int = 5) -> dict[str, float]:
    """Median wall seconds of `fabric version` and `fabric validate stamps/lab`."""
    out: dict[str, float] = {}
    commands = {"version": fabric("version"), "validate stamps/lab": fabric("validate", repo / "stamps" / "lab")}
    for name, cmd in commands.items():
        subprocess.run(cmd, env=env, capture_output=True, check=True)  # warm the bytecode cache
        walls = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, env=env, capture_output=True, check=True)
            walls.append(time.perf_counter() - start)
        out[name] = statistics.median(walls)
    return out
