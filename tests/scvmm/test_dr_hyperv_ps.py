"""`fabric dr render --format hyperv-ps`: the scripts for Hyper-V Replica on the applied reference
stamp against golden files (FABRIC_REGENERATE=1 rewrites them), each parsed with the PowerShell
grammar and every call bound to a parameter set of the VMM, Hyper-V and PowerShell 5.1 cmdlet
tables; the plan scripts run the simulation's steps in its order; the preparation script is the
seed's (active host, switch and VLAN, failover TCP/IP cleared, throws, writes nothing to the
console); an independently written stamp binds too."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from binding import checker
from conftest import Cli
from fabric_scvmm.signatures import Table, _cmdlet, load

GOLDEN = Path(__file__).parent.parent / "dr" / "golden" / "hyperv-ps"
DR_TABLES = Path(__file__).parent.parent.parent / "fabric" / "dr" / "signatures"
NORDIC = Path(__file__).parent.parent / "engine" / "stamps" / "nordic"


def _table() -> Table:
    vmm = load("2019")
    cmdlets = dict(vmm.cmdlets)
    for name in ("hyperv.json", "shell.json"):
        source = json.loads((DR_TABLES / name).read_text(encoding="utf-8"))
        cmdlets.update({n.casefold(): _cmdlet(n, body) for n, body in source["cmdlets"].items()})
    return Table("hyperv", "Hyper-V", cmdlets, vmm.common, vmm.should_process, {}, frozenset())


def _render(cli: Cli, stamp: Path, out: Path, *args: str) -> dict[str, str]:
    result = cli("dr", "render", stamp, "--format", "hyperv-ps", "--out", out, *args)
    assert result.code == 0, result.err
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.ps1"))}


def _bound(script: str, name: str) -> set[str]:
    result = checker.check_tree(checker.parse(script), _table())
    assert not result.syntax, (name, result.syntax)
    problems = [p for b in result.bindings for p in b.problems]
    assert not problems, name + "\n" + "\n".join(str(p) for p in problems[:20])
    return {b.call.name for b in result.bindings}


@pytest.fixture(scope="module")
def reference(applied: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from fabric.cli.app import app

    out = tmp_path_factory.mktemp("hyperv") / "out"
    assert app(["dr", "render", str(applied), "--format", "hyperv-ps", "--out", str(out)], standalone_mode=False) == 0
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in sorted(out.rglob("*.ps1"))}


def test_the_reference_scripts_match_golden(reference: dict[str, str]) -> None:
    if os.environ.get("FABRIC_REGENERATE"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, text in reference.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(text, encoding="utf-8")
    golden = {p.relative_to(GOLDEN).as_posix(): p.read_text(encoding="utf-8") for p in sorted(GOLDEN.rglob("*.ps1"))}
    assert sorted(reference) == sorted(golden), "regenerate: FABRIC_REGENERATE=1"
    for path, text in reference.items():
        assert text == golden[path], f"{path} differs: regenerate with FABRIC_REGENERATE=1"


def test_every_script_parses_and_binds(reference: dict[str, str]) -> None:
    called: set[str] = set()
    for path, text in reference.items():
        called |= _bound(text, path)
    expected = {
        "Enable-VMReplication",
        "Start-VMInitialReplication",
        "Set-VMNetworkAdapterFailoverConfiguration",
        "Start-VMFailover",
        "Set-VMReplication",
        "Complete-VMFailover",
        "Stop-VMFailover",
        "Start-VM",
        "Stop-VM",
        "Set-SCVirtualNetworkAdapter",
        "Get-ClusterGroup",
        "Connect-VMNetworkAdapter",
        "Set-VMNetworkAdapterVlan",
    }
    assert expected <= called, expected - called


def test_one_script_per_host_plan_and_type(reference: dict[str, str]) -> None:
    plans = {p.split("/")[1] for p in reference if p.startswith("plans/")}
    assert plans == {"management-stamp", "apps-oslo", "apps-copenhagen", "apps-stockholm"}
    for plan in plans:
        assert {p.rsplit("/", 1)[1] for p in reference if p.startswith(f"plans/{plan}/")} == {
            "test.ps1",
            "planned.ps1",
            "unplanned.ps1",
            "failback.ps1",
            "reprotect.ps1",  # after an unplanned failover's commit
        }
    # only the plan that uses the built-in preparation has its script, at the path rp-json names
    assert [p for p in reference if p.startswith("library/")] == [
        "library/RPScripts/fabric/Prepare-ReplicaNetwork-management-stamp.ps1"
    ]


def test_the_plan_scripts_run_the_simulations_steps_in_order(
    cli: Cli, applied: Path, reference: dict[str, str]
) -> None:
    for kind in ("test", "planned", "unplanned"):
        result = cli("dr", "simulate", applied, "management-stamp", "--type", kind, "--format", "json")
        doc = json.loads(result.out)
        labels = [
            f"{e['step']}/{e['what']}" if e["kind"] == "action" else f"{e['step']}: {e['what']}" for e in doc["events"]
        ]
        script = reference[f"plans/management-stamp/{kind}.ps1"]
        assert re.findall(r"^# --- (.+)$", script, re.M)[: len(labels)] == labels
        for event in doc["events"]:
            if event["status"] == "skipped":
                assert f"# --- {event['step']}: {event['what']}\n# skipped:" in script or event["kind"] == "action"


def test_each_failover_type_does_what_hyper_v_replica_needs(reference: dict[str, str]) -> None:
    test = reference["plans/management-stamp/test.ps1"]
    planned = reference["plans/management-stamp/planned.ps1"]
    unplanned = reference["plans/management-stamp/unplanned.ps1"]
    failback = reference["plans/management-stamp/failback.ps1"]
    members = ["SQLWAP01", "SPF01", "SMA01", "WAPADM01", "WAPTEN01"]
    for vm in members:
        assert f"Start-VMFailover -AsTest -VMName '{vm}'" in test
        assert f"Start-VM -Name '{vm} - Test'" in test  # the copy Hyper-V makes, never the replica
        assert f"Stop-VMFailover -VMName '{vm}'" in test  # cleanup unless -Keep
        assert f"Stop-VM -Name '{vm}'" in planned and f"Start-VMFailover -Prepare -VMName '{vm}'" in planned
        assert f"Set-VMReplication -Reverse -VMName '{vm}'" not in planned  # reprotect.ps1, after the commit
        assert f"Complete-VMFailover -VMName '{vm}'" in planned  # only with -Commit, as the lab's commit
        assert f"Stop-VM -Name '{vm}'" not in unplanned  # the primary site is assumed lost
        assert f"Complete-VMFailover -VMName '{vm}'" in unplanned  # only with -Commit
    for forbidden in ("Set-VMReplication", "Complete-VMFailover", "Stop-VM -Name"):
        assert forbidden not in test
    assert "$ContinueOnFailure = $true" in unplanned and "$ContinueOnFailure = $false" in planned
    # failback runs from the recovery site to the primary hosts
    assert "Stop-VM -Name 'SQLWAP01' -ComputerName 'STO-DR02'" in failback
    assert "Start-VMFailover -VMName 'SQLWAP01' -ComputerName 'OSL-MGMT01'" in failback


def test_the_preparation_is_the_seeds_script(reference: dict[str, str]) -> None:
    script = reference["library/RPScripts/fabric/Prepare-ReplicaNetwork-management-stamp.ps1"]
    assert "Write-Host" not in script and "Write-Output" not in script and "Write-Error" not in script
    assert "$ErrorActionPreference = 'Stop'" in script
    assert re.search(r"catch \{\n\s+Write-FabricLog \('FAILED: ' \+ \$_\)\n\s+throw\n\s*\}", script)
    assert "Get-ClusterGroup -Cluster $Copy.VMHost.HostCluster.Name -VMId $Copy.VMId" in script  # owner node
    assert "Where-Object { $_.MacAddress -eq $mac }" in script  # by MAC, not by index
    targets = re.findall(r"@\{ Vm = '([^']+)'; Slot = (\d+); Switch = '([^']+)'; Vlan = (\d+) \}", script)
    assert [t[0] for t in targets] == ["SQLWAP01", "SPF01", "SMA01", "WAPADM01", "WAPTEN01"]
    assert {(t[2], t[3]) for t in targets} == {("Fabric Switch", "150")}
    assert (
        "$clear = @{ ClearFailoverIPv4Settings = $true }" in script
        and "Set-VMNetworkAdapterVlan -VMNetworkAdapter $nic -Access" in script
    )


def test_rp_json_and_az_ps_name_the_rendered_preparation(cli: Cli, applied: Path) -> None:
    doc = json.loads(cli("dr", "render", applied, "--plan", "management-stamp").out)
    paths = [
        a["customDetails"].get("path")
        for g in doc["properties"]["groups"]
        for a in g["startGroupActions"] + g["endGroupActions"]
    ]
    assert "\\RPScripts\\fabric\\Prepare-ReplicaNetwork-management-stamp.ps1" in paths
    assert (
        "Prepare-ReplicaNetwork-management-stamp.ps1  (fabric's prepare_replica_network"
        in cli("dr", "render", applied, "--format", "az-ps").out
    )


def test_hostile_names_stay_inside_their_quotes(cli: Cli, applied: Path, tmp_path: Path) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    dr = stamp / "dr.yaml"
    hostile = "x'; Remove-Item C:\\\\ -Recurse; '"
    text = dr.read_text()
    assert "Fail the System Center SQL availability group" in text
    dr.write_text(text.replace("Fail the System Center SQL availability group", hostile, 1))
    scripts = _render(cli, stamp, tmp_path / "out", "--plan", "management-stamp")
    planned = scripts["plans/management-stamp/planned.ps1"]
    assert "'x''; Remove-Item C:\\ -Recurse; '' over to the DR-site" in planned
    assert "Remove-Item" not in _bound(planned, "planned")


def test_a_second_design_binds_too(cli: Cli, tmp_path: Path) -> None:
    from fabric.cli.app import app

    stamp = tmp_path / "nordic"
    shutil.copytree(NORDIC, stamp, ignore=shutil.ignore_patterns(".fabric"))
    assert app(["apply", str(stamp), "--auto-approve", "--compact"], standalone_mode=False) == 0
    scripts = _render(cli, stamp, tmp_path / "out")
    for path, text in scripts.items():
        _bound(text, path)
    replica = "\n".join(t for p, t in scripts.items() if p.startswith("replica/"))
    assert "IPv4Address = '" in replica and "IPv4SubnetMask = '255.255." in replica  # the failover_ip adapter
    enable = "\n".join(t for p, t in scripts.items() if p.startswith("enable/"))
    assert "-AuthenticationType 'Kerberos'" in enable and "-ReplicaServerPort 8083 " in enable
    assert "[TimeSpan]::Parse('23:30')" in enable and "-ReplicationFrequencySec 30 " in enable


def test_a_design_that_fails_validation_renders_nothing(cli: Cli, applied: Path, tmp_path: Path) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    dr = stamp / "dr.yaml"
    dr.write_text(re.sub(r"(?ms)^network_mapping:\n.*?(?=^\S)", "", dr.read_text()))  # every mapping gone
    result = cli("dr", "render", stamp, "--format", "hyperv-ps", "--out", tmp_path / "out")
    assert result.code == 1 and "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert all(re.match(r"^\S+dr\.yaml:\d+:\d+: error: DR007 ", line) for line in lines[:-1]), lines
    assert not (tmp_path / "out").exists()


def test_out_is_required_and_only_for_hyperv_ps(cli: Cli, applied: Path, tmp_path: Path) -> None:
    missing = cli("dr", "render", applied, "--format", "hyperv-ps")
    assert missing.code == 1 and missing.err.strip().count("\n") == 0 and "--out DIR" in missing.err
    extra = cli("dr", "render", applied, "--out", tmp_path / "x")
    assert extra.code == 1 and "--out is for --format hyperv-ps" in extra.err and not (tmp_path / "x").exists()
    blocked = tmp_path / "file"
    blocked.write_text("")
    clash = cli("dr", "render", applied, "--format", "hyperv-ps", "--out", blocked)
    assert clash.code == 1 and "not a folder" in clash.err and "Traceback" not in clash.err
    assert cli("dr", "render", applied, "--format", "hyperv-ps", "--out", "").code == 1
    inside = tmp_path / "inside"
    (inside / "plans").mkdir(parents=True)
    (inside / "plans" / "management-stamp").write_text("in the way")
    blocked_inside = cli("dr", "render", applied, "--format", "hyperv-ps", "--out", inside)
    assert blocked_inside.code == 1 and "management-stamp is in the way" in blocked_inside.err
    assert not (inside / "enable").exists()  # checked before anything is written


def test_a_new_render_removes_what_an_earlier_one_wrote_and_nothing_else(
    cli: Cli, applied: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert cli("dr", "render", applied, "--format", "hyperv-ps", "--out", out).code == 0
    (out / "notes.txt").write_text("mine")
    (out / "plans" / "mine.ps1").write_text("mine")
    # --plan renders a part: nothing of the earlier render is stale, the host scripts stay whole
    part = cli("dr", "render", applied, "--format", "hyperv-ps", "--out", out, "--plan", "apps-oslo")
    assert part.code == 0 and "removed" not in part.out
    assert (out / "plans" / "management-stamp" / "test.ps1").exists()
    enable = "\n".join(p.read_text() for p in (out / "enable").glob("*.ps1"))
    assert "OSLO-APP01" in enable and "SQLWAP01" in enable
    # a render of a design without a plan removes that plan's scripts, and nothing that is not fabric's
    stamp = tmp_path / "fewer"
    shutil.copytree(applied, stamp)
    dr = stamp / "dr.yaml"
    text = dr.read_text()
    dr.write_text(text[: text.index("  # each location's application VM")])  # the per-location plans: the file's end
    result = cli("dr", "render", stamp, "--format", "hyperv-ps", "--out", out)
    assert result.code == 0, result.err
    assert "removed plans/apps-oslo/test.ps1 (an earlier render's, not written now)" in result.out
    assert (out / "notes.txt").read_text() == "mine" and (out / "plans" / "mine.ps1").read_text() == "mine"


def test_failure_abort_and_cleanup_follow_each_failover_type(reference: dict[str, str]) -> None:
    test = reference["plans/management-stamp/test.ps1"]
    assert "try {\n# --- shutdown/prepare-replica-network" in test and "} finally {" in test
    assert test.index("} finally {") < test.index("Stop-VMFailover -VMName 'SQLWAP01'")  # cleanup after a failure too
    for script in (test, reference["plans/management-stamp/unplanned.ps1"]):
        assert "throw [System.OperationCanceledException]::new('aborted at ' + $Name)" in script
        assert (
            "if (-not $ContinueOnFailure -or $_.Exception -is [System.OperationCanceledException]) { throw }" in script
        )
    unplanned = reference["plans/management-stamp/unplanned.ps1"]
    # one VM's failure does not keep the others from failing over (each VM is a step of its own)
    assert unplanned.count("Invoke-FabricStep 'failover: prepare the disks of 5 VMs in parallel / ") == 5
    assert "-VlanId 0" not in test and test.count("Disconnect-VMNetworkAdapter") == 5  # an HNV test network
    back = reference["plans/apps-oslo/failback.ps1"]
    assert "the guest is given its primary address again" in back and "Revoke-SCIPAddress" in back
    assert (
        "Set-VMReplication -Reverse -VMName 'OSLO-APP01' -ComputerName 'STO-DR01'"
        in reference["plans/apps-oslo/reprotect.ps1"]
    )


def test_names_hyper_v_would_read_as_wildcards_and_hosts_that_share_a_file_name() -> None:
    from fabric.dr.hyperv import _file_names, _vm_name

    assert _vm_name("APP[1]*") == "([WildcardPattern]::Escape('APP[1]*'))"
    assert _vm_name("SQLWAP01") == "'SQLWAP01'"
    names = _file_names(["OSL HV02", "OSL-HV02", "osl-hv02", "STO-HV01"])
    assert names["STO-HV01"] == "STO-HV01" and len({n.casefold() for n in names.values()}) == 4


def test_a_scripts_folder_outside_the_share_is_refused(cli: Cli, applied: Path, tmp_path: Path) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    config = stamp / "fabric.yaml"
    config.write_text(config.read_text().replace("dr:\n", "dr:\n  library: {scripts_folder: '\\\\..\\\\..\\\\x'}\n", 1))
    result = cli("dr", "render", stamp, "--format", "hyperv-ps", "--out", tmp_path / "out")
    assert result.code == 1 and "fabric.yaml:" in result.err and "no '..'" in result.err
    assert not (tmp_path / "out").exists() and not (tmp_path / "x").exists()


def test_a_test_copy_that_keeps_its_address_on_a_vlan_test_network_is_put_on_it(applied: Path) -> None:
    """The reference drills into an HNV network (every copy disconnected); on a VLAN test network
    that carries the address, the copy is connected to the replica's switch and the test VLAN."""
    from dataclasses import replace

    from fabric import engine
    from fabric.dr.hyperv import plan_script
    from fabric.dr.simulate import Options
    from fabric.engine.dr import dr_facts, simulation

    with engine.open_session(applied) as session:
        facts = dr_facts(session)
        sim = simulation(session, Options("recovery_plan.management-stamp", "test"), facts=facts)
        resources, config = session.fabric.resources, session.fabric.config
    on_vlan = tuple(
        replace(vm, adapters=tuple(replace(a, vlan=250, vm_network="DR Test", ok=True) for a in vm.adapters))
        for vm in sim.vms
    )
    script = plan_script(replace(sim, vms=on_vlan), resources, facts, config.dr, config.stamp)
    assert script.count("Connect-VMNetworkAdapter -VMNetworkAdapter $nic -SwitchName 'Fabric Switch'") == 5
    assert script.count("Set-VMNetworkAdapterVlan -VMNetworkAdapter $nic -Access -VlanId 250") == 5
    assert "Disconnect-VMNetworkAdapter" not in script
    _bound(script, "test.ps1 on a VLAN test network")
    broken = tuple(
        replace(vm, adapters=tuple(replace(a, ok=False, rule="address conflict") for a in vm.adapters))
        for vm in on_vlan
    )
    assert (
        plan_script(replace(sim, vms=broken), resources, facts, config.dr, config.stamp).count(
            "# address conflict: disconnected"
        )
        == 5
    )


def test_render_refuses_options_it_would_ignore(cli: Cli, applied: Path) -> None:
    for fmt in ("az-ps", "arm"):
        result = cli("dr", "render", applied, "--format", fmt, "--plan", "apps-oslo")
        assert result.code == 1 and f"--plan: {fmt} renders the whole DR design" in result.err
        assert result.out == "" and result.err.strip().count("\n") == 0
    planned = cli("dr", "simulate", applied, "management-stamp", "--type", "planned", "--test-network", "none")
    assert planned.code == 1 and "--test-network is for a test failover" in planned.err
    unknown = cli("dr", "simulate", applied, "management-stamp", "--test-network", "nosuch")
    assert unknown.code == 1 and "vm_network.dr-test" in unknown.err  # the choices are listed


def test_a_broken_manifest_removes_nothing(cli: Cli, applied: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.ps1").write_text("mine")
    for broken in ("not json", '{"a": 1}', '["../../outside.ps1", "keep.ps1"]'):
        (out / ".fabric-rendered.json").write_text(broken)
        assert cli("dr", "render", applied, "--format", "hyperv-ps", "--out", out).code == 0
        if broken.startswith("["):  # listed by a render: stale, so removed; never outside the folder
            assert not (out / "keep.ps1").exists()
        else:
            assert (out / "keep.ps1").read_text() == "mine"


def test_a_design_whose_simulation_fails_renders_with_a_warning_and_exit_2(
    cli: Cli, applied: Path, tmp_path: Path
) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    dr = stamp / "dr.yaml"
    text = dr.read_text()
    start = text.index("    shutdown:\n")
    end = text.index("builtin: prepare_replica_network}\n", start) + len("builtin: prepare_replica_network}\n")
    dr.write_text(text[:start] + text[end:])  # no preparation: the keep_ip replicas stay where they are
    assert cli("lab", "vm", stamp, "SPF01", "adapters.0.switch=Other", "--replica").code == 0
    result = cli(
        "dr", "render", stamp, "--format", "hyperv-ps", "--out", tmp_path / "out", "--plan", "management-stamp"
    )
    assert result.code == 2 and "warning: the simulation finds errors in recovery_plan.management-stamp" in result.err
    script = (tmp_path / "out" / "plans" / "management-stamp" / "planned.ps1").read_text()
    assert "#   DR011 error: protected_vm.spf01 adapter 0" in script  # the header says what fails
    runbook = cli("dr", "render", stamp, "--format", "runbook-md", "--plan", "management-stamp")
    assert runbook.code == 2 and "DR011" in runbook.out
