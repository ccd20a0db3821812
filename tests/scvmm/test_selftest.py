"""`fabric scvmm selftest`: a self-contained, bounded script that settles the unverified points on a
lab VMM (create, read back, compare, delete) and prints a pass/fail table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fabric_scvmm.selftest import CHECKS, MAC_END, MAC_START, SUBNET, VLAN, selftest_script
from fabric_scvmm.versions import VERSIONS
from test_scripts import SC_CMDLET, _calls, _nodes, _parse

ROOT = Path(__file__).resolve().parents[2]
CHECKLIST = ROOT / "docs" / "scvmm-lab-checklist.md"
# made in memory, not on the server: nothing to remove
VALUES = {"New-SCSubnetVLan"}


@pytest.mark.parametrize("version", VERSIONS)
def test_it_renders_and_parses_for_every_version(version: str) -> None:
    script = selftest_script(version, "vmm01.lab")
    tree = _parse(script)
    assert not tree.root_node.has_error
    assert script.startswith("# fabric scvmm selftest for VMM ")
    assert "Get-SCVMMServer -ComputerName 'vmm01.lab' -ErrorAction Stop" in script
    assert f"$Subnet = '{SUBNET}'" in script and f"$Vlan = {VLAN}" in script
    assert all(params.get("-erroraction") == "Stop" for _, params in _calls(tree, SC_CMDLET))
    assert "-EnableVrss" not in script  # a check binds on the oldest version too


# the ranges of VMM's "Default MAC address pool" and "Default VMware MAC address pool" (learn.microsoft.com,
# "Set up MAC address pools in the VMM fabric"; also fabric.model.builtins)
DEFAULT_MAC_POOLS = [("00:1D:D8:B7:1C:00", "00:1D:D8:F4:1F:FF"), ("00:50:56:00:00:00", "00:50:56:3F:FF:FF")]


def _mac(text: str) -> int:
    return int(text.replace("-", "").replace(":", ""), 16)


def test_the_scratch_mac_pool_overlaps_no_default_pool() -> None:
    # VMM refuses a MAC pool overlapping another, and every VMM has its default pools: a range inside
    # one would make the D11 and D15 checks fail on every lab VMM
    script = selftest_script()
    assert f"$MacStart = '{MAC_START}'" in script and f"$MacEnd = '{MAC_END}'" in script
    assert "-MACAddressRangeStart $MacStart -MACAddressRangeEnd $MacEnd" in script
    start, end = _mac(MAC_START), _mac(MAC_END)
    assert MAC_START[:8] == MAC_END[:8] and start < end and not int(MAC_START[:2], 16) & 1  # one OUI, unicast
    for low, high in DEFAULT_MAC_POOLS:
        assert end < _mac(low) or start > _mac(high), (low, high)


def test_it_contains_each_check_and_lists_it() -> None:
    script = selftest_script()
    ids = [c.id for c in CHECKS]
    assert len(set(ids)) == len(ids) >= 11
    assert f"$expected = @(@({', '.join(repr(i) for i in ids)}))" in script
    for check in CHECKS:
        assert f"Check = '{check.id}'; Result = " in script, check.id
    for unverified in ("HostGroup", "DisasterRecoverySupported", "LogicalNetworkDefinition", "IsDefaultPortProfileSet"):
        assert f"$back.PSObject.Properties['{unverified}']" in script  # read back and compared
    assert "Write-Host ('{0,-6} {1,-6} {2} ({3})' -f $row.Check, $row.Result, $row.What, $row.Detail)" in script
    assert "ConvertTo-Json -Depth 4 -Compress" in script.splitlines()[-2]


def test_the_checklist_has_a_line_for_each_check() -> None:
    text = CHECKLIST.read_text()
    for check in CHECKS:
        assert re.search(rf"^\| {check.id} \| .+ \| `.+` \| .+ \|$", text, re.MULTILINE), check.id
    for point in ("D9", "V1", "V2", "V3", "W1", "W2"):  # the points only a person can check, or by Get-Command
        assert f"| {point} |" in text
    assert "fabric scvmm selftest" in text


def test_it_is_free_of_secrets() -> None:
    script = selftest_script("2016", "vmm01.lab").lower()
    for word in ("password", "credential", "securestring", "$env:", "token", "-username"):
        assert word not in script, word


def test_it_is_bounded_and_removes_everything_it_creates() -> None:
    script = selftest_script()
    tree = _parse(script)
    loops = [n.type for n in _nodes(tree.root_node) if n.type in ("while_statement", "do_statement")]
    assert loops == [] and "Start-Sleep" not in script
    made = [name for name, _ in _calls(tree, re.compile(r"New-SC\w+")) if name not in VALUES]
    removed = [name for name, _ in _calls(tree, re.compile(r"Remove-SC\w+"))]
    assert len(made) == 13 and sorted(n.replace("New-", "Remove-") for n in made) == sorted(removed)
    lines = [line.strip() for line in script.splitlines()]
    for i, line in enumerate(lines):  # each object is queued for removal right after it is made
        if re.search(r"= New-SC(?!SubnetVLan)", line):
            variable = line.split("=", 1)[0].strip()
            assert lines[i + 1].startswith("$undo += { Remove-SC") and f" {variable} -Confirm:$false" in lines[i + 1]
    undo = [line.strip() for line in script.splitlines() if line.strip().startswith("$undo += {")]
    assert len(undo) == len(made)
    cleanup = script.index("finally {")
    assert script.index("for ($i = $undo.Count - 1; $i -ge 0; $i--)") > cleanup  # newest first, also after a failure
    assert script.count("try {") >= 8  # one failing check does not stop the others


def test_the_command_writes_the_script(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "selftest.ps1"
    result = cli("scvmm", "selftest", "--vmm-version", "2016", "--out", out)
    assert result.code == 0, result.err
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # a BOM: Windows PowerShell 5.1 reads it as UTF-8
    assert out.read_text(encoding="utf-8-sig") == selftest_script("2016") and f"wrote {out}" in result.err
    printed = cli("scvmm", "selftest", "--vmm-server", "vmm01")
    assert printed.out == selftest_script("2012r2", "vmm01")
    stamp = tmp_path / "s"
    stamp.mkdir()
    (stamp / "fabric.yaml").write_text("stamp: s\nprovider:\n  type: scvmm\n  vmm_version: 2019\n  vmm_server: vmm02\n")
    assert cli("scvmm", "selftest", stamp).out == selftest_script("2019", "vmm02")
    bad = cli("scvmm", "selftest", "--vmm-version", "2020")
    assert bad.code == 1 and "vmm_version" in bad.err
