"""The DR facts of a real fabric (`fabric.dr.export`): the read-only script against a golden file
(FABRIC_REGENERATE=1 rewrites it), parsed with the PowerShell grammar, every call bound to a
parameter set of the VMM, Hyper-V and PowerShell 5.1 cmdlet tables, values inside their quotes;
the lab's facts through the saved document and back; and every document of `facts_inputs/`
(`<case>/facts.json` with `expected.txt`, the exact error lines, or `expected.json`, what it loads as).
"""

from __future__ import annotations

import codecs
import json
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from conftest import STAMPS
from fabric_scvmm.signatures import VERSIONS, Table, _cmdlet, load

from fabric import engine
from fabric.dr import export
from fabric.dr.export import facts_document, facts_script, load_facts
from fabric.dr.facts import DrFacts, facts_from
from fabric.errors import ConfigError
from fabric.model.dr import ProtectedVm
from fabric.project import open_stamp
from fabric.providers.lab.provider import LabProvider
from fabric.providers.logged import unwrapped

sys.path.insert(0, str(Path(__file__).parent.parent / "scvmm"))  # the binding checker, as tests/scvmm imports it
from binding import checker

HERE = Path(__file__).parent
GOLDEN = HERE / "golden" / "reference-dr-facts.ps1"
CASES = HERE / "facts_inputs"
HYPERV = HERE.parent.parent / "fabric" / "dr" / "signatures" / "hyperv.json"
READ_VERBS = {"Get", "Import", "ConvertTo", "Where", "ForEach", "Select"}
HOSTILE = "x'; Remove-Item C:\\ -Recurse; '"


def _table(version: str) -> Table:
    """The VMM table of `version` (with the plug-in's PowerShell 5.1 cmdlets) and the Hyper-V one."""
    vmm = load(version)
    hyperv = json.loads(HYPERV.read_text(encoding="utf-8"))["cmdlets"]
    cmdlets = {**vmm.cmdlets, **{name.casefold(): _cmdlet(name, body) for name, body in hyperv.items()}}
    return Table(vmm.version, vmm.label, cmdlets, vmm.common, vmm.should_process, vmm.verified, vmm.vmm)


def _script(resources: Mapping[str, Any] | None = None) -> str:
    fabric = open_stamp(STAMPS / "reference")
    return facts_script(resources if resources is not None else fabric.resources, fabric.config.stamp)


def test_the_reference_script_matches_golden() -> None:
    script = _script()
    if os.environ.get("FABRIC_REGENERATE"):
        GOLDEN.write_text(script, encoding="utf-8")
    assert script == GOLDEN.read_text(encoding="utf-8"), "regenerate: FABRIC_REGENERATE=1"
    assert "Write-Host" not in script
    assert script.isascii()  # Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page
    assert "$names = @('COPENHAGEN-APP01', 'OSLO-APP01', 'SMA01', 'SPF01', 'SQLWAP01'," in script


@pytest.mark.parametrize("version", VERSIONS)
def test_every_call_binds_and_only_reads(version: str) -> None:
    script = _script()
    result = checker.check_tree(checker.parse(script), _table(version))
    assert not result.syntax, result.syntax
    problems = [p for b in result.bindings for p in b.problems]
    assert not problems, "\n".join(str(p) for p in problems[:20])
    called = {b.call.name for b in result.bindings}
    assert {
        "Get-SCVirtualMachine",
        "Get-SCVirtualNetworkAdapter",
        "Get-SCStaticIPAddressPool",
        "Get-SCIPAddress",
        "Get-VMNetworkAdapter",
        "Get-VMNetworkAdapterVlan",
        "Get-VMNetworkAdapterFailoverConfiguration",
        "Get-VMReplication",
        "ConvertTo-Json",
    } <= called
    writers = sorted(name for name in called if name.split("-")[0] not in READ_VERBS)
    assert not writers, f"the facts script must only read: {writers}"
    assert script.count("ConvertTo-Json") == 1  # one document, and nothing else printed
    statics = set(re.findall(r"\[[\w.]+\]::\w+", script))  # .NET calls: none that writes
    assert statics == {
        "[System.Collections.ArrayList]::new",
        "[System.Net.IPAddress]::Parse",
        "[Convert]::ToString",
        "[array]::Sort",
        "[array]::IndexOf",
        "[WildcardPattern]::Escape",
        "[datetime]::UtcNow",  # when the facts were read
    }
    assert "$ErrorActionPreference = 'Stop'\n" in script and "\nImport-Module virtualmachinemanager\n" in script


def test_a_hostile_vm_name_stays_inside_its_quotes() -> None:
    fabric = open_stamp(STAMPS / "reference")
    resources = dict(fabric.resources)
    address, vm = next((a, r) for a, r in resources.items() if isinstance(r, ProtectedVm))
    resources[address] = vm.model_copy(update={"vm": HOSTILE})
    resources["protected_vm.newline"] = vm.model_copy(update={"vm": "y\nRemove-Item D:\\ #"})
    script = facts_script(resources, fabric.config.stamp)
    assert "'x''; Remove-Item C:\\ -Recurse; '''" in script
    assert "('y' + [char]0x000A + 'Remove-Item D:\\ #')" in script
    assert "#   y?Remove-Item D:\\ #" in script  # in the header comment, the line break is a ?
    result = checker.check_tree(checker.parse(script), _table("2019"))
    assert not result.syntax
    assert "Remove-Item" not in {b.call.name for b in result.bindings}  # a string, never a command


def _grants(raw: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for pool, address in raw["grants"]:
        out.setdefault(pool, []).append(address)
    return out


def _facts(raw: Mapping[str, Any]) -> DrFacts:
    return facts_from(raw["hosts"], raw["vms"], raw["replication"], _grants(raw))


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8", "utf-8-sig"])
def test_the_labs_facts_load_back_as_they_were(applied: Path, tmp_path: Path, encoding: str) -> None:
    with engine.open_session(applied) as session:
        provider = unwrapped(session.provider)
        assert isinstance(provider, LabProvider)
        raw = provider.dr_facts()
    assert raw["vms"] and raw["grants"] and raw["replication"]
    document = facts_document(raw, "reference")
    assert document["format"] == "fabric-dr-facts" and document["format_version"] == 1
    text = json.dumps(document, separators=(",", ":")) + "\r\n"
    path = tmp_path / "facts.json"
    if encoding == "utf-16":  # what `> facts.json` writes in Windows PowerShell 5.1
        path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    else:
        path.write_bytes(text.encode(encoding))
    loaded = load_facts(path, stamp="reference")
    assert loaded.pop("source") == "lab" and loaded.pop("exported_at") == document["exported_at"]  # provenance
    assert loaded == {**raw, "grants": [list(g) for g in raw["grants"]]}
    assert _facts(loaded) == _facts(raw)
    with pytest.raises(ConfigError, match=r"facts\.json:1:\d+: error: the DR facts of stamp 'reference', not of 'lab'"):
        load_facts(path, stamp="lab")


def test_a_drills_copies_load_back_too(tmp_path: Path) -> None:
    # during a drill the lab lists each test copy (role test), on no network: no switch, no VLAN
    adapter = {"switch": None, "vlan": None, "vm_network": None, "ip": None, "failover_ipv4": "enabled_empty"}
    raw = {
        "hosts": [{"name": "STO-DR01", "host_group": "Stockholm/DR", "switches": ["Fabric Switch"]}],
        "vms": [{"id": "test-1", "name": "SPF01", "role": "test", "host": "STO-DR01", "adapters": [adapter]}],
        "replication": {},
        "grants": [],
    }
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts_document(raw, "reference")), encoding="utf-8")
    loaded = load_facts(path)
    assert {k: v for k, v in loaded.items() if k not in ("exported_at", "source")} == raw
    assert _facts(raw) == DrFacts(hosts=_facts(raw).hosts)  # the simulation reads no test copy


def _case_names() -> list[str]:
    return sorted(p.name for p in CASES.iterdir() if p.is_dir())


def test_the_cases_cover_what_they_must() -> None:
    names = _case_names()
    bad = [n for n in names if (CASES / n / "expected.txt").exists()]
    good = [n for n in names if (CASES / n / "expected.json").exists()]
    assert len(bad) >= 10 and len(good) >= 2 and len(bad) + len(good) == len(names)


@pytest.mark.parametrize("case", _case_names())
def test_case(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = CASES / case
    monkeypatch.chdir(folder)  # messages name the file relative to the working directory
    expected = folder / "expected.txt"
    if expected.exists():
        with pytest.raises(ConfigError) as caught:
            load_facts(Path("facts.json"))
        lines = [d.render() for d in caught.value.diagnostics]
        assert lines == expected.read_text(encoding="utf-8").splitlines()
    else:
        loaded = load_facts(Path("facts.json"))
        assert loaded == json.loads((folder / "expected.json").read_text(encoding="utf-8"))
        _facts(loaded)  # and the simulation's facts take it


def test_a_huge_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as f:
        f.truncate(export.MAX_BYTES + 1)  # sparse: no disk used, and reading it would take a while
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_facts(Path("huge.json"))
    assert [d.render() for d in caught.value.diagnostics] == [
        "huge.json:1:1: error: file larger than 32 MiB: not a DR facts document"
    ]


def test_what_cannot_be_read_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "latin1.json").write_bytes(b'{"format": "fabric-dr-facts",\n "stamp": "K\xf8benhavn"}')
    (tmp_path / "folder.json").mkdir()

    def lines(name: str) -> list[str]:
        with pytest.raises(ConfigError) as caught:
            load_facts(Path(name))
        return [d.render() for d in caught.value.diagnostics]

    assert lines("latin1.json") == ["latin1.json:2:13: error: not UTF-8 text"]
    assert lines("folder.json") == ["folder.json:1:1: error: not a regular file"]
    assert lines("missing.json")[0].startswith("missing.json:1:1: error: cannot read the DR facts: ")


def test_validation_stops_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vms = [{"name": f"VM{i}", "role": "primary", "host": "H", "adapters": [{"vlan": "1"}]} for i in range(5)]
    document = {"format": "fabric-dr-facts", "format_version": 1, "stamp": "s", "hosts": [], "vms": vms}
    (tmp_path / "facts.json").write_text(json.dumps(document, indent=1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(export, "MAX_PROBLEMS", 3)
    with pytest.raises(ConfigError) as caught:
        load_facts(Path("facts.json"))
    messages = [d.message for d in caught.value.diagnostics]
    assert len(messages) == 4 and messages[-1] == "and more problems: the first 3 are listed"


def test_a_document_of_millions_of_items_is_refused_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Bounded memory and time: separators are counted before anything is parsed, and items are
    validated one by one, stopping after the problems listed."""
    monkeypatch.chdir(tmp_path)
    head = '{"format": "fabric-dr-facts", "format_version": 1, "stamp": "s", "vms": ['
    Path("many.json").write_text(head + ",".join(["{}"] * (export.MAX_VALUES + 1)) + "]}", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_facts(Path("many.json"))
    assert [d.render() for d in caught.value.diagnostics] == [
        f"many.json:1:1: error: more than {export.MAX_VALUES:,} values: not the DR facts of one stamp"
    ]
    bad = [{"name": f"VM{i}", "role": "primary", "host": "H", "adapters": [{"vlan": "1"}]} for i in range(100_000)]
    Path("bad.json").write_text(json.dumps({**json.loads(head + "]}"), "vms": bad}), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_facts(Path("bad.json"))
    assert len(caught.value.diagnostics) == export.MAX_PROBLEMS + 1  # not 100,000 errors built and sorted


def test_a_huge_value_is_not_echoed_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    document = {"format": "fabric-dr-facts", "format_version": 1, "stamp": "s" * 1_000_000}
    Path("long.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_facts(Path("long.json"), stamp="reference")
    assert all(len(d.message) <= export.MAX_MESSAGE for d in caught.value.diagnostics)


def test_a_mapping_that_is_no_document_is_refused_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the scvmm plug-in's inventory is JSON too: one line says what the file is, not forty what it lacks
    inventory = {"format": "fabric-scvmm-inventory", "format_version": 1, "cloud": []}
    (tmp_path / "inventory.json").write_text(json.dumps(inventory), encoding="utf-8")
    (tmp_path / "bare.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_facts(Path("inventory.json"))
    assert len(caught.value.diagnostics) == 1
    with pytest.raises(ConfigError, match=r"bare\.json:1:1: error: not a fabric DR facts document: it has no format"):
        load_facts(Path("bare.json"))
