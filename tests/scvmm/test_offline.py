"""The SCVMM provider offline: plan and drift against a saved inventory, without a server."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import resource_count, scvmm_reference
from fabric_scvmm.provider import ScvmmProvider, _result
from fabric_scvmm.transport import Connection, TransientError, with_retries

from fabric.errors import ProviderError

FIXTURES = Path(__file__).parent / "fixtures"
STAMP = """stamp: offline
provider:
  type: scvmm
  server: vmm01.fabric.local
"""
RESOURCES = """host_group:
  Oslo:
    description: Location Oslo
    children:
      IaaS: {inherit_network_settings: false}
port_classification:
  vm-roles: {name: VM Roles, description: Tenant VMs}
"""


@pytest.fixture
def stamp(tmp_path: Path) -> Path:
    root = tmp_path / "offline"
    root.mkdir()
    (root / "fabric.yaml").write_text(STAMP)
    (root / "fabric-objects.yaml").write_text(RESOURCES)
    return root


def test_plan_against_a_saved_inventory_adopts_and_diffs(cli, stamp: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("plan", stamp, "--format", "json", "--inventory", FIXTURES / "inventory_small.json")
    assert result.code == 0, result.err
    changes = {c["address"]: c for c in json.loads(result.out)["changes"]}
    # nothing in the saved inventory carries a stamp's tag: each namesake is taken over
    assert changes["host_group.Oslo"]["action"] == "adopt"
    assert changes["host_group.Oslo/IaaS"]["action"] == "adopt"
    pc = changes["port_classification.vm-roles"]
    assert (pc["action"], pc["changed_paths"]) == ("adopt", ["description"])
    text = cli("plan", stamp, "--inventory", FIXTURES / "inventory_small.json").out
    assert "<= port_classification.vm-roles will be adopted: fabric takes over this existing object" in text


def test_drift_against_a_saved_inventory(cli, stamp: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("drift", stamp, "--format", "json", "--inventory", FIXTURES / "inventory_empty.json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["summary"]["pending"] == 3


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig", "utf-8"])
def test_an_inventory_saved_by_windows_powershell_is_read(cli, stamp: Path, tmp_path: Path, encoding: str) -> None:  # type: ignore[no-untyped-def]
    # `./Export-FabricInventory.ps1 > inventory.json` in Windows PowerShell 5.1 writes UTF-16 with a BOM
    text = (FIXTURES / "inventory_empty.json").read_text(encoding="utf-8") + "\r\n"
    saved = tmp_path / "inventory.json"
    saved.write_bytes((("\ufeff" if encoding == "utf-16-be" else "") + text).encode(encoding))
    result = cli("drift", stamp, "--format", "json", "--inventory", saved)
    assert result.code == 0, result.err
    assert json.loads(result.out)["summary"]["pending"] == 3


def test_an_inventory_that_is_not_text_is_one_error_line(cli, stamp: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    saved = tmp_path / "inventory.json"
    saved.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    result = cli("plan", stamp, "--inventory", saved)
    assert result.code == 1
    assert "cannot read the inventory: not UTF-8 or UTF-16 text" in result.err
    assert "internal error" not in result.err and "Traceback" not in result.err


def test_without_credentials_the_error_says_what_to_set(cli, stamp: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("FABRIC_SCVMM_USERNAME", raising=False)
    result = cli("plan", stamp)
    assert result.code == 1
    assert "set FABRIC_SCVMM_USERNAME and FABRIC_SCVMM_PASSWORD" in result.err


def test_lab_refuses_an_inventory_file(cli, lab: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("plan", lab, "--inventory", FIXTURES / "inventory_small.json")
    assert result.code == 1 and "--inventory is for providers of real servers" in result.err


def test_export_inventory_script(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("scvmm", "export-inventory-script")
    assert result.code == 0
    assert result.out.startswith("# fabric: read every managed VMM object")


def test_offline_provider_refuses_changes() -> None:
    provider = ScvmmProvider(None)
    with pytest.raises(ProviderError, match="no connection to VMM"):
        provider.create("cloud.x", "cloud", {"name": "x"})


def test_script_results() -> None:
    assert _result('WARNING: something\n{"ok": true, "id": "abc", "name": "x"}\n', "creating")["id"] == "abc"
    with pytest.raises(ProviderError, match=r"creating cloud\.x: The name is already in use"):
        _result(
            '{"ok": false, "error": "The name is already in use", "category": "InvalidArgument"}', "creating cloud.x"
        )
    with pytest.raises(ProviderError, match="no JSON result"):
        _result("", "reading")


def test_transient_errors_are_retried_with_backoff() -> None:
    calls, sleeps = [], []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise TransientError("connection refused")
        return "ok"

    assert with_retries(flaky, attempts=4, sleep=sleeps.append) == "ok"
    assert len(calls) == 3 and len(sleeps) == 2 and sleeps[1] > sleeps[0] * 0.9
    with pytest.raises(ProviderError, match="unreachable after 2 attempts"):
        with_retries(lambda: (_ for _ in ()).throw(TransientError("down")), attempts=2, sleep=sleeps.append)


def test_connection_settings_are_checked() -> None:
    with pytest.raises(ProviderError, match="set server"):
        Connection.from_settings({})
    with pytest.raises(ProviderError, match="auth must be"):
        Connection.from_settings({"server": "vmm", "auth": "basic"})
    assert Connection.from_settings({"server": "vmm"}).cert_validation is True


class RecordingRunner:
    """Stands in for the WinRM transport only: records scripts, answers like the templates do."""

    def __init__(self) -> None:
        self.scripts: list[str] = []

    def run(self, script: str, idempotent: bool = False) -> str:
        self.scripts.append(script)
        return '{"ok":true,"id":"11111111-2222-3333-4444-555555555555","name":"Gold"}'


def test_operations_render_run_and_read_the_result() -> None:
    runner = RecordingRunner()
    provider = ScvmmProvider(runner)
    created = provider.create("port_classification.gold", "port_classification", {"name": "Gold", "description": "x'y"})
    assert created.id == "11111111-2222-3333-4444-555555555555"
    assert "New-SCPortClassification -Name 'Gold' -Description 'x''y'" in runner.scripts[0]
    provider.update("port_classification.gold", created.id, "port_classification", {"name": "Gold2", "description": ""})
    assert f"Get-SCPortClassification -ID '{created.id}'" in runner.scripts[1]
    provider.delete("port_classification.gold", created.id, "port_classification")
    assert "Remove-SCPortClassification" in runner.scripts[2]
    assert provider.immutable_attributes("logical_switch") == {"enable_sriov", "minimum_bandwidth_mode"}


def _scvmm_reference(tmp_path: Path) -> Path:
    return scvmm_reference(tmp_path)


def _parse(path: Path):  # type: ignore[no-untyped-def]
    import tree_sitter
    import tree_sitter_powershell

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language()))
    return parser.parse(path.read_bytes())


def test_emit_script_writes_the_whole_plan_in_dependency_order(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stamp = _scvmm_reference(tmp_path)
    out = tmp_path / "change.ps1"
    result = cli("apply", stamp, "--emit-script", out, "--inventory", FIXTURES / "inventory_empty.json")
    assert result.code == 0, result.err
    operations = resource_count(stamp)  # the VMM kinds of the reference stamp (no dr.yaml), each created
    assert f"{operations} operation(s) in dependency order; nothing was applied" in result.err
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: how Windows PowerShell 5.1 reads it as UTF-8
    script = out.read_text(encoding="utf-8-sig")
    assert not _parse(out).root_node.has_error
    assert script.startswith(f"# fabric plan for stamp reference: {operations} operation(s), in dependency order.")
    created = script.index("$ids['host_group.Oslo'] = $r.id")
    used = script.index("Get-SCVMHostGroup -ID $ids['host_group.Oslo']")
    assert created < used  # a child is created after its parent, through the parent's new ID
    # VMM 2012 R2 (the default target) has no Get-SCLogicalNetworkDefinition -ID: sites are found by filtering
    assert script.index("$ids['network_site.management-oslo'] = $r.id") < script.index(
        "Get-SCLogicalNetworkDefinition -ReturnAllTypes -ErrorAction Stop | Where-Object { [string]$_.ID -eq "
        "$ids['network_site.management-oslo'] }"
    )


def test_script_from_a_saved_plan_needs_no_connection(cli, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    stamp = _scvmm_reference(tmp_path)
    planfile = tmp_path / "p.fabricplan"
    assert cli("plan", stamp, "--out", planfile, "--inventory", FIXTURES / "inventory_empty.json").code == 0
    monkeypatch.delenv("FABRIC_SCVMM_PASSWORD", raising=False)
    result = cli("script", planfile, "--out", tmp_path / "board.ps1")
    assert result.code == 0, result.err
    assert not _parse(tmp_path / "board.ps1").root_node.has_error


def test_lab_cannot_write_scripts(cli, lab: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("apply", lab, "--emit-script", tmp_path / "x.ps1")
    assert result.code == 1 and "cannot write scripts" in result.err


GOLDEN = Path(__file__).parent / "golden"


def _check_golden(name: str, script: str) -> None:
    """Compare with golden/NAME (rewrite it instead when FABRIC_REGENERATE is set)."""
    import os

    golden = GOLDEN / name
    if os.environ.get("FABRIC_REGENERATE"):
        golden.write_text(script)
    assert script == golden.read_text(), f"{name}: rendered scripts changed; regenerate with FABRIC_REGENERATE=1"
    assert not _parse(golden).root_node.has_error


def test_reference_script_matches_the_golden_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The rendered scripts of the reference stamp, reviewable in pull requests.

    Regenerate after an intended template change: FABRIC_REGENERATE=1 pytest tests/scvmm
    """
    out = tmp_path / "change.ps1"
    stamp = _scvmm_reference(tmp_path)
    assert cli("apply", stamp, "--emit-script", out, "--inventory", FIXTURES / "inventory_empty.json").code == 0
    _check_golden("reference-from-empty.ps1", out.read_text(encoding="utf-8-sig"))


def _as_applied(stamp: Path):  # type: ignore[no-untyped-def]
    """The inventory and state after applying `stamp`, with IDs derived from the addresses."""
    import uuid

    from fabric.inventory import Inventory, ObservedObject
    from fabric.model.refs import map_refs
    from fabric.project import open_stamp
    from fabric.snapshot import StateEntry, StateSnapshot

    resources = open_stamp(stamp).resources
    ids = {address: str(uuid.uuid5(uuid.NAMESPACE_URL, f"fabric:{address}")) for address in resources}
    objects, entries = [], {}
    for address, resource in resources.items():
        live = map_refs(type(resource), resource.canonical, ids.__getitem__)
        objects.append(ObservedObject(ids[address], resource.KIND, resource.name, live))
        entries[address] = StateEntry(address, resource.KIND, ids[address], resource.canonical, serial=1)
    return Inventory.of(objects), StateSnapshot(1, "golden", entries)


def _script_for(stamp: Path, applied: Path, destroy: bool = False) -> str:
    """The plan script that takes the fabric as applied from `applied` to `stamp` (or to nothing)."""
    from fabric import engine
    from fabric.plan.planner import make_plan
    from fabric.project import open_stamp

    inventory, state = _as_applied(applied)
    fabric = open_stamp(stamp)
    provider = ScvmmProvider(None)
    the_plan = make_plan(
        fabric.config.stamp,
        fabric.resources,
        inventory,
        state,
        provider.immutable_attributes,
        destroy=destroy,
        graph=fabric.graph,
        built_in=provider.is_built_in,
    )
    return engine.plan_script(provider, the_plan)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


def test_update_script_matches_the_golden_file(tmp_path: Path) -> None:
    """Changes to the applied reference stamp: updates in place, and a replace with its reason."""
    applied = _scvmm_reference(tmp_path)
    changed = _scvmm_reference(tmp_path / "changed")
    _edit(changed / "fabric.yaml", "management_vlan_base: 100", "management_vlan_base: 200")
    _edit(changed / "clouds.yaml", "vm_count: 100", "vm_count: 150")
    _edit(changed / "switching.yaml", "minimum_bandwidth_mode: weight", "minimum_bandwidth_mode: absolute")
    _edit(changed / "switching.yaml", "Default class for Windows Azure Pack", "Gold class for Windows Azure Pack")
    script = _script_for(changed, applied)
    header = '#   update  network_site.management-oslo\n#             ~ subnets["10.100.0.0/24"].vlan: 100 → 200\n'
    assert header in script
    assert "New-SCSubnetVLan -Subnet '10.100.0.0/24' -VLanID 200 -ErrorAction Stop" in script
    assert "#   delete  logical_switch.fabric  (replace: minimum_bandwidth_mode cannot change in place" in script
    assert script.index("Remove-SCLogicalSwitch") < script.index("New-SCLogicalSwitch")
    _check_golden("reference-update.ps1", script)


def test_destroy_script_matches_the_golden_file(tmp_path: Path) -> None:
    """Destroying the applied reference stamp: every object but the built-ins removed, users first."""
    stamp = _scvmm_reference(tmp_path)
    script = _script_for(stamp, stamp, destroy=True)
    # every resource, less the 4 built-ins (Host management, Live migration workload: class and profile)
    operations = resource_count(stamp) - 4
    assert script.startswith(f"# fabric plan for stamp reference: {operations} operation(s), in dependency order.")
    assert "New-SC" not in script
    # nothing is set but the adapters of the VMs whose static addresses are revoked (back to dynamic)
    grants = script.count("#   delete  ip_grant.")
    assert grants == 5  # the management stamp's five VMs (ip_grant.sqlwap01, …)
    assert re.findall(r"Set-SC\w+", script) == ["Set-SCVirtualNetworkAdapter"] * grants
    assert script.index("Revoke-SCIPAddress") < script.index("Remove-SCStaticIPAddressPool")
    assert script.index("Remove-SCStaticIPAddressPool") < script.index("Remove-SCLogicalNetworkDefinition")
    assert script.index("Remove-SCLogicalSwitch") < script.index("Remove-SCNativeUplinkPortProfile")
    assert script.index("Remove-SCCloud") < script.index("Remove-SCVMHostGroup")
    _check_golden("reference-destroy.ps1", script)


def _pc_step(op: str, key: str = "gold", **extra: object) -> dict[str, object]:
    attributes = {"name": key.title(), "description": "d"} if op != "delete" else {}
    live_id = "11111111-2222-3333-4444-555555555555" if op != "create" else None
    step = {"op": op, "address": f"port_classification.{key}", "kind": "port_classification"}
    return {**step, "attributes": attributes, "live_id": live_id, **extra}


def test_plan_header_lists_changed_paths_and_replace_reasons() -> None:
    from fabric_scvmm.provider import plan_header

    reason = "name cannot change in place"
    header = plan_header(
        "s",
        [
            _pc_step("update", changed_paths=["description", "name"]),
            _pc_step("delete", "silver", reason=reason, changed_paths=["name"]),
            _pc_step("create", "silver", reason=reason, changed_paths=["name"]),
            _pc_step("update", "bronze"),
            _pc_step("delete", "lead"),
        ],
    )
    assert header[2] == "# (a replaced object is deleted, then created again: it gets a new ID)"
    assert header[3:] == [
        "#   update  port_classification.gold  (changes: description, name)",
        "#   delete  port_classification.silver  (replace: name cannot change in place)",
        "#   create  port_classification.silver  (replace: name cannot change in place; changes: name)",
        "#   update  port_classification.bronze",
        "#   delete  port_classification.lead",
    ]


def test_a_line_break_in_a_reason_cannot_end_the_header_comment(tmp_path: Path) -> None:
    from fabric_scvmm.provider import write_plan_script

    reason = "x\nStop-Computer -Force\r\u2028\u0085Remove-SCCloud"
    out = tmp_path / "plan.ps1"
    out.write_text(write_plan_script("s", [_pc_step("update", reason=reason, changed_paths=["a\nb"])], {}))
    tree = _parse(out)
    assert not tree.root_node.has_error
    names, nodes = set(), [tree.root_node]
    while nodes:
        node = nodes.pop()
        nodes.extend(node.children)
        if node.type == "command_name" and node.text:
            names.add(node.text.decode())
    assert not {"Stop-Computer", "Remove-SCCloud", "b"} & names
    assert "#   update  port_classification.gold  (x Stop-Computer -Force" in out.read_text()


def test_credentials_from_the_environment_or_a_prompt(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from fabric_scvmm import transport

    connection = Connection.from_settings({"server": "vmm01"})
    monkeypatch.setenv("FABRIC_SCVMM_USERNAME", "CORP\\fabric")
    monkeypatch.setenv("FABRIC_SCVMM_PASSWORD", "s3cret")
    assert transport.credentials(connection) == ("CORP\\fabric", "s3cret")
    monkeypatch.delenv("FABRIC_SCVMM_PASSWORD")
    monkeypatch.setattr(transport.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(transport.getpass, "getpass", lambda prompt: "typed")
    assert transport.credentials(connection) == ("CORP\\fabric", "typed")


def test_credentials_in_fabric_yaml_are_refused(cli, stamp: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = stamp / "fabric.yaml"
    cfg.write_text(cfg.read_text() + "  password: hunter2\n")
    result = cli("plan", stamp, "--inventory", FIXTURES / "inventory_small.json")
    assert result.code == 1 and "unknown setting(s) password" in result.err
    assert "hunter2" not in result.err + result.out


def test_only_reads_are_retried_after_the_request_was_sent() -> None:
    from fabric_scvmm import transport

    class ReadTimeout(Exception):
        pass

    class ConnectTimeout(Exception):
        pass

    runner = transport.PsrpRunner.__new__(transport.PsrpRunner)
    runner.connection = Connection.from_settings({"server": "vmm"})

    class Client:
        def __init__(self, error: Exception) -> None:
            self.error = error

        def execute_ps(self, script: str) -> tuple[str, object, bool]:
            raise self.error

    runner._client = Client(ReadTimeout("read timed out"))  # type: ignore[attr-defined]
    with pytest.raises(transport.TransientError):
        runner._once("read", idempotent=True)
    with pytest.raises(ProviderError, match="ReadTimeout"):
        runner._once("New-SCCloud …", idempotent=False)  # may have run: never retried
    runner._client = Client(ConnectTimeout("no route"))  # type: ignore[attr-defined]
    with pytest.raises(transport.TransientError):
        runner._once("New-SCCloud …", idempotent=False)  # never reached the server


def test_unknown_provider_settings_are_refused_before_they_reach_a_plan_file(cli, stamp: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = stamp / "fabric.yaml"
    cfg.write_text(cfg.read_text() + "  Password: hunter2\n")
    result = cli("plan", stamp, "--inventory", FIXTURES / "inventory_small.json", "--out", stamp / "p.fabricplan")
    assert result.code == 1 and "unknown setting(s) Password" in result.err
    assert not (stamp / "p.fabricplan").exists()


def test_destroy_leaves_vmm_built_ins_in_place(tmp_path: Path) -> None:
    """The adopted built-in 'Host management' classification is forgotten, never removed."""
    applied = _scvmm_reference(tmp_path)
    script = _script_for(applied, applied, destroy=True)
    assert "Remove-SCPortClassification" in script  # the stamp's own classifications go
    assert "Host management" not in script
    assert "port_classification.host-management" not in script
