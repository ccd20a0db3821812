"""The reference stamp's recovery plans simulated in every failover type, against golden JSON and
markdown (FABRIC_REGENERATE=1 rewrites them): a change to what a failover would do shows in review."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import Cli

GOLDEN = Path(__file__).parent / "golden"
RUNS = [
    ("management-stamp", "test", "json"),
    ("management-stamp", "planned", "json"),
    ("management-stamp", "unplanned", "json"),
    ("management-stamp", "planned", "markdown"),
    ("apps-oslo", "planned", "json"),
    ("apps-copenhagen", "unplanned", "markdown"),
]


@pytest.mark.parametrize(("plan", "kind", "fmt"), RUNS, ids=[f"{p}-{k}-{f}" for p, k, f in RUNS])
def test_simulation_matches_golden(plan: str, kind: str, fmt: str, applied: Path, cli: Cli) -> None:
    result = cli("dr", "simulate", applied, plan, "--type", kind, "--format", fmt)
    assert result.code == 0, result.out + result.err
    golden = GOLDEN / f"{plan}-{kind}.{'md' if fmt == 'markdown' else 'json'}"
    if os.environ.get("FABRIC_REGENERATE"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")
