"""The SCVMM provider offline: plan and drift against a saved inventory, without a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
    assert changes["host_group.Oslo"]["action"] == "no-op"
    assert changes["host_group.Oslo/IaaS"]["action"] == "no-op"
    pc = changes["port_classification.vm-roles"]
    assert (pc["action"], pc["changed_paths"]) == ("update", ["description"])
    assert (
        "adopting the existing live object" in cli("plan", stamp, "--inventory", FIXTURES / "inventory_small.json").out
    )


def test_drift_against_a_saved_inventory(cli, stamp: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("drift", stamp, "--format", "json", "--inventory", FIXTURES / "inventory_empty.json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["summary"]["pending"] == 3


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
    import shutil

    target = tmp_path / "reference"
    shutil.copytree(
        Path(__file__).resolve().parents[2] / "stamps" / "reference", target, ignore=shutil.ignore_patterns(".fabric")
    )
    cfg = target / "fabric.yaml"
    cfg.write_text(cfg.read_text().replace("  type: lab", "  type: scvmm\n  server: vmm01.corp.example"))
    return target


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
    assert "35 operation(s) in dependency order; nothing was applied" in result.err
    script = out.read_text()
    assert not _parse(out).root_node.has_error
    assert script.startswith("# fabric plan for stamp reference: 35 operation(s), in dependency order.")
    created = script.index("$ids['host_group.Oslo'] = $r.id")
    used = script.index("Get-SCVMHostGroup -ID $ids['host_group.Oslo']")
    assert created < used  # a child is created after its parent, through the parent's new ID
    assert script.index("$ids['network_site.management-oslo'] = $r.id") < script.index(
        "Get-SCLogicalNetworkDefinition -ID $ids['network_site.management-oslo']"
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


GOLDEN = Path(__file__).parent / "golden" / "reference-from-empty.ps1"


def test_reference_script_matches_the_golden_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The rendered scripts of the reference stamp, reviewable in pull requests.

    Regenerate after an intended template change: FABRIC_REGENERATE=1 pytest tests/scvmm
    """
    import os

    out = tmp_path / "change.ps1"
    stamp = _scvmm_reference(tmp_path)
    assert cli("apply", stamp, "--emit-script", out, "--inventory", FIXTURES / "inventory_empty.json").code == 0
    if os.environ.get("FABRIC_REGENERATE"):
        GOLDEN.write_text(out.read_text())
    assert out.read_text() == GOLDEN.read_text(), "rendered scripts changed; regenerate with FABRIC_REGENERATE=1"


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
