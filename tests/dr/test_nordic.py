"""`fabric dr simulate` on tests/engine/stamps/nordic, a design written by someone else: two sites
on one VMM, every adapter mode (a failover IP, a DHCP adapter, a stretched VLAN, mapped), a manual
step with no upper bound, a drill into a production network."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

NORDIC = Path(__file__).parent.parent / "engine" / "stamps" / "nordic"


@pytest.fixture(scope="module")
def nordic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from fabric.cli.app import app

    stamp = tmp_path_factory.mktemp("nordic") / "nordic"
    shutil.copytree(NORDIC, stamp, ignore=shutil.ignore_patterns(".fabric"))
    assert app(["apply", str(stamp), "--auto-approve", "--parallelism", "1", "--compact"], standalone_mode=False) == 0
    return stamp


def _simulated(cli: Cli, stamp: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("dr", "simulate", stamp, *args, "--format", "json")
    return result.code, json.loads(result.out)


def _adapters(doc: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(vm["vm"], a["slot"]): a for vm in doc["vms"] for a in vm["adapters"]}


def test_every_adapter_mode_lands_as_its_intent_says(cli: Cli, nordic: Path) -> None:
    code, doc = _simulated(cli, nordic, "bergen-prod", "--type", "planned")
    assert code == 0, doc["findings"]
    adapters = _adapters(doc)
    assert (adapters[("BGO-APP01", 0)]["ip"], adapters[("BGO-APP01", 0)]["rule"]) == ("10.30.1.50", "failover IP")
    assert adapters[("BGO-WEB01", 1)]["rule"] == "DHCP on the recovery network"  # mode dhcp: no pool address
    assert adapters[("BGO-WEB01", 1)]["ip"] is None
    assert adapters[("BGO-DB01", 0)]["rule"] == "kept (stretched VLAN)"
    assert adapters[("BGO-WEB01", 0)]["rule"].startswith("new from ip_pool.web-trondheim")
    assert all(vm["host"].startswith("TRD-") for vm in doc["vms"])


def test_an_unbounded_manual_step_leaves_the_automatic_worst_case_bounded(cli: Cli, nordic: Path) -> None:
    _, doc = _simulated(cli, nordic, "bergen-prod", "--type", "planned")
    rto = doc["rto"]
    assert rto["worst"] is None and rto["manual_worst"] is None  # confirm-network has no max
    assert rto["automatic_worst"] > 0 and rto["expected"] > rto["manual_expected"] > 0
    paused = [e for e in doc["events"] if e["status"] == "paused"]
    assert paused and all(e["manual"] for e in paused)


def test_a_drill_into_the_production_network_is_a_finding(cli: Cli, nordic: Path) -> None:
    code, doc = _simulated(cli, nordic, "trondheim-prod", "--type", "test")
    assert code == 2
    assert [(f["rule"], f["subject"]) for f in doc["findings"]] == [("DR020", "recovery_plan.trondheim-prod")]


def test_failback_brings_every_vm_home(cli: Cli, nordic: Path) -> None:
    code, doc = _simulated(cli, nordic, "bergen-prod", "--type", "planned", "--direction", "recovery_to_primary")
    assert code == 0
    assert all(vm["host"].startswith("BGO-") for vm in doc["vms"])
    assert all(a["ip"] == a["was"] for a in _adapters(doc).values())


@pytest.mark.parametrize("plan", ["bergen-prod", "bergen-web", "trondheim-prod"])
@pytest.mark.parametrize("kind", ["test", "planned", "unplanned"])
def test_the_lab_does_what_the_simulation_predicts(
    cli: Cli, nordic: Path, tmp_path: Path, plan: str, kind: str
) -> None:
    from fabric.state.sqlite import SqliteState

    stamp = tmp_path / "nordic"
    shutil.copytree(nordic, stamp)
    _, doc = _simulated(cli, stamp, plan, "--type", kind)
    predicted = {
        v["address"]: (
            v["host"],
            [(a["slot"], a["ip"], a["vm_network"], a["switch"], a["vlan"]) for a in v["adapters"]],
        )
        for v in doc["vms"]
    }
    answers = tmp_path / "answers.yaml"
    manual = {e["step"] + "/" + e["what"]: {"outcome": "done"} for e in doc["events"] if e["manual"]}
    answers.write_text(json.dumps({"confirm": doc["name"] if kind != "test" else "yes", "manual": manual}))
    command = ["drill"] if kind == "test" else ["failover", f"--{kind}"]
    done = cli("dr", command[0], stamp, plan, *command[1:], "--answers", answers)
    assert done.code == 0, done.out + done.err
    state = SqliteState(stamp / ".fabric")
    try:
        (entry, *_) = state.operations()
    finally:
        state.close()
    landed = {
        a: (
            o["host"],
            [(x["slot"], x.get("ip"), x.get("vm_network"), x.get("switch"), x.get("vlan")) for x in o["adapters"]],
        )
        for a, o in entry.vms.items()
    }
    assert landed == predicted


def test_a_replica_whose_failover_ip_differs_from_the_design_is_a_finding(
    cli: Cli, nordic: Path, tmp_path: Path
) -> None:
    stamp = tmp_path / "nordic"
    shutil.copytree(nordic, stamp)
    changed = "adapters.0.failover_ipv4={address: 10.30.1.51, prefix: 24, gateway: 10.30.1.1}"
    assert cli("lab", "vm", stamp, "BGO-APP01", "--replica", changed).code == 0
    code, doc = _simulated(cli, stamp, "bergen-prod", "--type", "planned")
    assert code == 2
    (finding,) = [f for f in doc["findings"] if f["rule"] == "DR012"]
    assert finding["subject"] == "protected_vm.bgo-app01 adapter 0" and "10.30.1.50" in finding["message"]


def test_options_that_name_nothing_are_one_line_errors(cli: Cli, nordic: Path) -> None:
    for args, said in (
        (["bergen-prod", "--fail", "ANNOUNCE-OUTAGE", "--type", "test"], "does not run in a test failover"),
        (["bergen-prod", "--fail", "no-such-step"], "the plan has no such action"),
        (["no-such-plan"], "no recovery plan 'no-such-plan'"),
        (["bergen-prod", "--test-network", "nowhere"], "is not a vm_network of this stamp"),
    ):
        result = cli("dr", "simulate", nordic, *args)
        assert result.code == 1 and said in result.err and result.err.count("\n") == 1, (args, result.err)
