"""`fabric dr render --format az-ps`: the Site Recovery script for the reference stamp, against a
golden file (FABRIC_REGENERATE=1 rewrites it), parsed with the PowerShell grammar, every call bound
to a parameter set of the cmdlet tables read from the Az.RecoveryServices and PowerShell 5.1
references, every value quoted."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from binding import checker
from conftest import STAMPS, Cli
from fabric_scvmm.signatures import Table, _cmdlet, _parameter

GOLDEN = Path(__file__).parent.parent / "dr" / "golden" / "reference-az.ps1"
DR_TABLES = Path(__file__).parent.parent.parent / "fabric" / "dr" / "signatures"
SHELL = Path(__file__).parent.parent.parent / "plugins" / "scvmm" / "fabric_scvmm" / "signatures" / "powershell.json"


def _table() -> Table:
    shell = json.loads(SHELL.read_text(encoding="utf-8"))
    cmdlets = {}
    for source in (
        shell,
        *(json.loads((DR_TABLES / f).read_text()) for f in ("az-recoveryservices.json", "shell.json")),
    ):
        cmdlets.update({name.casefold(): _cmdlet(name, body) for name, body in source["cmdlets"].items()})
    common = {n: _parameter(n, b) for n, b in shell["common"]["parameters"].items()}
    should = {n: _parameter(n, b) for n, b in shell["common"]["should_process"].items()}
    return Table("az", "Az.RecoveryServices", cmdlets, common, should, {}, frozenset())


def _render(cli: Cli, stamp: Path) -> str:
    result = cli("dr", "render", stamp, "--format", "az-ps")
    assert result.code == 0, result.err
    return result.out


def test_the_reference_script_matches_golden_parses_and_binds(cli: Cli) -> None:
    script = _render(cli, STAMPS / "reference")
    if os.environ.get("FABRIC_REGENERATE"):
        GOLDEN.write_text(script, encoding="utf-8")
    assert script == GOLDEN.read_text(encoding="utf-8"), "regenerate: FABRIC_REGENERATE=1"
    result = checker.check_tree(checker.parse(script), _table())
    assert not result.syntax, result.syntax
    problems = [p for b in result.bindings for p in b.problems]
    assert not problems, "\n".join(str(p) for p in problems[:20])
    called = {b.call.name for b in result.bindings}
    assert {"New-AzRecoveryServicesAsrPolicy", "New-AzRecoveryServicesAsrReplicationProtectedItem"} <= called
    assert script.count("lost its failover types") == 4  # every plan read back and checked


def test_hostile_names_stay_inside_their_quotes(cli: Cli, tmp_path: Path) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(STAMPS / "reference", stamp, ignore=shutil.ignore_patterns(".fabric"))
    dr = stamp / "dr.yaml"
    hostile = "x'; Remove-Item C:\\\\ -Recurse; '"
    dr.write_text(dr.read_text().replace("    name: Hyper-V Replica 5 min\n", f'    name: "{hostile}"\n'))
    script = _render(cli, stamp)
    assert "'x''; Remove-Item C:\\ -Recurse; '''" in script
    result = checker.check_tree(checker.parse(script), _table())
    assert not result.syntax
    assert "Remove-Item" not in {b.call.name for b in result.bindings}  # a string, never a command


def test_a_second_design_binds_too(cli: Cli) -> None:
    """The independently written nordic stamp: several policies (Kerberos, a start time, 30 s
    copies), pairings, mappings and plans."""
    script = _render(cli, Path(__file__).parent.parent / "engine" / "stamps" / "nordic")
    result = checker.check_tree(checker.parse(script), _table())
    assert not result.syntax
    problems = [p for b in result.bindings for p in b.problems]
    assert not problems, "\n".join(str(p) for p in problems[:20])
    assert "-ReplicationStartTime ([TimeSpan]::Parse('23:30'))" in script
    assert "-Authentication 'Kerberos'" in script
