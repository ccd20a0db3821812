"""`fabric dr simulate`, data-driven: each folder of simulations/ takes the reference stamp applied
on a fresh lab, edits its code (`edit`: file → [old, new] pairs), perturbs the lab (`lab`: the
arguments of `fabric lab vm`, `replication`: those of `fabric lab replication`, `grant`: those of
`fabric lab grant`), simulates (`args`) and checks the exit code, the findings (`RULE subject`
each), chosen adapters' addresses and rules (`adapters`: VM/slot → [address, words of the rule]),
VM statuses (`vms`), whether the RTO is reached (`reached`) and the RPO (`rpo_seconds`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Cli

HERE = Path(__file__).parent
CASES = sorted(p for p in (HERE / "simulations").iterdir() if (p / "case.yaml").is_file())


def _prepared(case: Path, applied: Path, tmp_path: Path, cli: Cli) -> tuple[Path, dict[str, Any]]:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    for name, pairs in (spec.get("edit") or {}).items():
        path = stamp / name
        text = path.read_text(encoding="utf-8")
        for old, new in pairs:
            assert old in text, f"{case.name}: {name} has no {old!r}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    for command, key in (("vm", "lab"), ("replication", "replication"), ("grant", "grant")):
        for args in spec.get(key) or []:
            done = cli("lab", command, stamp, *args)
            assert done.code == 0, done.err
    return stamp, spec


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_simulation(case: Path, applied: Path, tmp_path: Path, cli: Cli) -> None:
    stamp, spec = _prepared(case, applied, tmp_path, cli)
    result = cli("dr", "simulate", stamp, *spec["args"], "--format", "json")
    assert result.code == spec["exit"], result.out + result.err
    doc = json.loads(result.out)
    assert doc["format_version"] == 1
    assert sorted(f"{f['rule']} {f['subject']}" for f in doc["findings"]) == sorted(spec.get("findings") or [])
    outcomes = {(vm["vm"], a["slot"]): a for vm in doc["vms"] for a in vm["adapters"]}
    for key, (address, rule) in (spec.get("adapters") or {}).items():
        name, slot = key.rsplit("/", 1)
        got = outcomes[(name, int(slot))]
        assert (got["ip"], rule in got["rule"]) == (address, True), got
    for key in ("reached", "rpo_seconds"):
        if key in spec:
            assert (doc["rto"]["reached"] if key == "reached" else doc[key]) == spec[key], key
    statuses = {vm["vm"]: vm["status"] for vm in doc["vms"]}
    for name, status in (spec.get("vms") or {}).items():
        assert statuses[name] == status
    text = cli("dr", "simulate", stamp, *spec["args"])  # the text says the same
    assert text.code == spec["exit"]
    for finding in doc["findings"]:
        assert f"{finding['rule']} {finding['subject']}: {finding['message']}" in text.out
