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
