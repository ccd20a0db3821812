"""DR facts from a file (`--facts FILE`): the lab's facts saved with `fabric dr facts` simulate
exactly as the live lab does; a stamp on the scvmm provider validates its DR kinds, plans only the
VMM kinds (saying who carries the rest out), and simulates, checks and renders from a saved
document without a connection; a bad document is one located line per problem, exit 1."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import Cli

GOLDEN = Path(__file__).parent / "golden"
EMPTY_INVENTORY = Path(__file__).parent.parent / "scvmm" / "fixtures" / "inventory_empty.json"
TYPES = ("test", "planned", "unplanned")


@pytest.fixture(scope="module")
def saved(applied: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    import contextlib
    import io

    from fabric.cli.app import app

    path = tmp_path_factory.mktemp("facts") / "dr-facts.json"
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert app(["dr", "facts", str(applied)], standalone_mode=False) == 0
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def scvmm(applied: Path, tmp_path: Path) -> Path:
    """The reference design on the scvmm provider (no server reachable here): DR by hyperv_replica."""
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp, ignore=shutil.ignore_patterns(".fabric"))
    config = stamp / "fabric.yaml"
    text = config.read_text()
    start = text.index("provider:\n")
    end = text.index("variables:\n")
    text = text[:start] + "provider:\n  type: scvmm\n  server: vmm01.fabric.local\n" + text[end:]
    config.write_text(text.replace("dr:\n  backend: lab", "dr:\n  backend: hyperv_replica"))
    return stamp


def _live(out: str, saved: Path) -> dict[str, object]:
    """A simulation of saved facts as the live one reads: the same but for where its facts came from."""
    doc = json.loads(out)
    assert str(doc["facts_from"]).startswith(f"{saved} (exported ") and str(doc["facts_from"]).endswith(" from lab)")
    return {**doc, "facts_from": None}


def test_the_saved_document_is_the_lab_facts(cli: Cli, saved: Path) -> None:
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert (doc["format"], doc["format_version"], doc["stamp"]) == ("fabric-dr-facts", 1, "reference")
    assert {"SQLWAP01", "OSLO-APP01"} <= {vm["name"] for vm in doc["vms"]}


def test_saved_lab_facts_simulate_as_the_lab(cli: Cli, applied: Path, saved: Path) -> None:
    for kind in TYPES:
        live = cli("dr", "simulate", applied, "management-stamp", "--type", kind, "--format", "json")
        offline = cli(
            "dr", "simulate", applied, "management-stamp", "--type", kind, "--format", "json", "--facts", saved
        )
        assert (offline.code, _live(offline.out, saved)) == (live.code, json.loads(live.out))
    live_check = json.loads(cli("dr", "check", applied, "--format", "json").out)
    offline_check = json.loads(cli("dr", "check", applied, "--format", "json", "--facts", saved).out)
    assert offline_check["findings"] == live_check["findings"]


def test_a_scvmm_stamp_plans_the_vmm_kinds_and_says_who_carries_out_the_rest(cli: Cli, scvmm: Path) -> None:
    assert cli("validate", scvmm).code == 0  # the DR kinds validate on scvmm too
    result = cli("plan", scvmm, "--inventory", EMPTY_INVENTORY, "--format", "json")
    assert result.code == 0, result.err
    kinds = {c["address"].split(".", 1)[0] for c in json.loads(result.out)["changes"]}
    assert kinds and not kinds & {"protected_vm", "recovery_plan", "cloud_pairing", "network_mapping"}
    text = cli("plan", scvmm, "--inventory", EMPTY_INVENTORY)
    assert "21 disaster-recovery resource(s) are not planned by the scvmm provider: the hyperv_replica backend" in (
        text.out + text.err
    )


def test_a_scvmm_stamp_simulates_checks_and_renders_from_a_saved_document(
    cli: Cli, scvmm: Path, saved: Path, tmp_path: Path
) -> None:
    refused = cli("dr", "simulate", scvmm, "management-stamp")
    assert refused.code == 1 and "give --facts" in refused.err and refused.err.strip().count("\n") == 0
    for kind in TYPES:
        result = cli("dr", "simulate", scvmm, "management-stamp", "--type", kind, "--facts", saved, "--format", "json")
        # the lab's pools are none of this (never applied) stamp's: DR046 says so, and nothing else is found
        assert result.code == 2 and [f["rule"] for f in json.loads(result.out)["findings"]] == ["DR046"], result.err
    assert cli("dr", "check", scvmm, "--facts", saved).code == 0
    out = tmp_path / "out"
    assert cli("dr", "render", scvmm, "--format", "hyperv-ps", "--facts", saved, "--out", out).code == 0
    golden = GOLDEN / "hyperv-ps"

    def steps(text: str) -> str:  # but for the DR046 warning in the header (grants state cannot map)
        kept = [line for line in text.splitlines() if "DR046" not in line and "findings (fix them" not in line]
        return "\n".join(kept)

    for path in golden.rglob("*.ps1"):  # the same scripts as from the lab itself
        assert steps((out / path.relative_to(golden)).read_text(encoding="utf-8")) == steps(path.read_text("utf-8"))
    facts = cli("dr", "facts", scvmm)
    assert facts.code == 1 and "fabric dr facts --script" in facts.err
    refused_drill = cli("dr", "drill", scvmm, "management-stamp", "--auto-approve")
    assert refused_drill.code == 1 and refused_drill.err.strip() == (
        "error: fabric dr operations run on the lab only; this stamp's provider is scvmm: its hyperv_replica "
        "backend runs them with the scripts of fabric dr render --format hyperv-ps"
    )


def test_the_script_prints_for_any_provider(cli: Cli, scvmm: Path, applied: Path) -> None:
    script = cli("dr", "facts", scvmm, "--script")
    assert script.code == 0
    assert script.out == cli("dr", "facts", applied, "--script").out
    assert "ConvertTo-Json" in script.out and "Set-" not in script.out


def test_a_bad_document_is_located_and_changes_nothing(cli: Cli, applied: Path, tmp_path: Path) -> None:
    bad = tmp_path / "dr-facts.json"
    bad.write_text('{"format": "fabric-dr-facts", "format_version": 2,\n "stamp": "reference"}\n')
    before = cli("dr", "facts", applied).out
    result = cli("dr", "simulate", applied, "management-stamp", "--facts", bad)
    assert result.code == 1 and "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert lines[0].startswith(f"{bad}:1:49: error: format_version 2"), lines  # at the value
    assert all(line.startswith(f"{bad}:") or "problem" in line for line in lines)
    after = cli("dr", "facts", applied).out
    assert json.loads(after)["vms"] == json.loads(before)["vms"]  # the lab is as it was
    missing = cli("dr", "simulate", applied, "management-stamp", "--facts", tmp_path / "missing.json")
    first = missing.err.splitlines()[0]
    assert missing.code == 1 and "Traceback" not in missing.err
    assert first.startswith(f"{tmp_path / 'missing.json'}:1:1: error: cannot read the DR facts")


def test_facts_saved_during_a_drill_replay_as_the_lab(cli: Cli, applied: Path, tmp_path: Path) -> None:
    stamp = tmp_path / "reference"
    shutil.copytree(applied, stamp)
    assert cli("dr", "drill", stamp, "management-stamp", "--keep", "--auto-approve").code == 0
    saved = tmp_path / "during.json"
    saved.write_text(cli("dr", "facts", stamp).out, encoding="utf-8")
    live = cli("dr", "simulate", stamp, "apps-oslo", "--type", "planned", "--format", "json")
    offline = cli("dr", "simulate", stamp, "apps-oslo", "--type", "planned", "--format", "json", "--facts", saved)
    assert (offline.code, _live(offline.out, saved)) == (live.code, json.loads(live.out)), offline.err


def test_a_replication_without_its_replica_copy_is_refused(
    cli: Cli, applied: Path, saved: Path, tmp_path: Path
) -> None:
    doc = json.loads(saved.read_text(encoding="utf-8"))
    doc["vms"] = [v for v in doc["vms"] if not (v["name"] == "SPF01" and v["role"] == "replica")]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    result = cli("dr", "simulate", applied, "management-stamp", "--facts", broken)
    assert result.code == 1
    assert "VM 'SPF01' replicates to 'STO-DR01', but vms holds no replica copy of it" in result.err


def test_grants_of_pools_state_does_not_know_are_said(cli: Cli, scvmm: Path, saved: Path) -> None:
    result = cli("dr", "simulate", scvmm, "apps-oslo", "--type", "planned", "--facts", saved, "--format", "json")
    rules = [f["rule"] for f in json.loads(result.out)["findings"]]
    assert result.code == 2 and "DR046" in rules  # the lab's pools are not this stamp's state


def test_the_dr_entries_a_lab_recorded_are_not_deleted_on_vmm(cli: Cli, applied: Path, tmp_path: Path) -> None:
    """A stamp moved from the lab to VMM keeps its DR entries in state: they are the backend's, never
    planned as deletions; a DR address given to --target or -replace says whose it is."""
    stamp = tmp_path / "moved"
    shutil.copytree(applied, stamp)  # with the lab's state
    config = stamp / "fabric.yaml"
    text = config.read_text()
    start, end = text.index("provider:\n"), text.index("variables:\n")
    config.write_text(text[:start] + "provider:\n  type: scvmm\n  server: vmm01.fabric.local\n" + text[end:])
    result = cli("plan", stamp, "--inventory", EMPTY_INVENTORY, "--format", "json")
    assert result.code == 0, result.err
    kinds = {c["address"].split(".", 1)[0] for c in json.loads(result.out)["changes"]}
    assert not kinds & {"protected_vm", "recovery_plan", "cloud_pairing", "network_mapping", "replication_policy"}
    target = cli("plan", stamp, "--inventory", EMPTY_INVENTORY, "--target", "protected_vm.spf01")
    assert target.code == 1 and "protected_vm.spf01 is a disaster-recovery resource: the lab backend" in target.err
    replace = cli("plan", stamp, "--inventory", EMPTY_INVENTORY, "-replace", "protected_vm.spf01")
    assert replace.code == 1 and "is a disaster-recovery resource" in replace.err


def test_check_on_vmm_leaves_drills_to_the_backend(cli: Cli, scvmm: Path, saved: Path) -> None:
    result = cli("dr", "check", scvmm, "--facts", saved, "--format", "json")
    doc = json.loads(result.out)
    assert "DR033" not in {f["rule"] for f in doc["findings"]}
    assert any(n.startswith("DR033 drills:") for n in doc["not_checked"])
    assert any("the facts hold no last-replication time" in n for n in doc["not_checked"])


def test_facts_are_refused_where_nothing_simulates(cli: Cli, applied: Path, saved: Path) -> None:
    for fmt in ("rp-json", "az-ps", "arm"):
        result = cli("dr", "render", applied, "--format", fmt, "--facts", saved)
        assert result.code == 1 and "--facts is for runbook-md and hyperv-ps" in result.err


def test_measured_on_vmm_is_not_the_labs_times(cli: Cli, applied: Path, tmp_path: Path, saved: Path) -> None:
    """A stamp moved from the lab to VMM keeps the lab's operation log: its millisecond steps are
    no measurement of the real fabric."""
    stamp = tmp_path / "moved"
    shutil.copytree(applied, stamp)
    assert cli("dr", "drill", stamp, "management-stamp", "--auto-approve").code == 0
    config = stamp / "fabric.yaml"
    text = config.read_text()
    start, end = text.index("provider:\n"), text.index("variables:\n")
    config.write_text(text[:start] + "provider:\n  type: scvmm\n  server: vmm01.fabric.local\n" + text[end:])
    result = cli("dr", "simulate", stamp, "management-stamp", "--measured", "--facts", saved, "--format", "json")
    doc = json.loads(result.out)
    assert result.code == 2 and doc["measured_from"] is None
    assert any(f["rule"] == "DR045" and "the lab's runs only" in f["message"] for f in doc["findings"])
