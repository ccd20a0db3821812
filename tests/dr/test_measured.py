"""`fabric dr simulate --measured`: the step times of the plan's last completed drill or failover
(the operation log) replace the design's estimates where the same step ran; a step whose text
changed keeps its estimate; runs that did not complete, steps a resumed run did not do, and the
other direction are not measurements; with none, a DR045 warning says the estimates are used."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli

from fabric import engine
from fabric.dr.facts import DrFacts
from fabric.dr.simulate import Measured, Options, simulate
from fabric.state.protocol import DrOperation

PLAN = "recovery_plan.management-stamp"


@pytest.fixture
def stamp(applied: Path, tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(applied, target)
    return target


def _step(step: str, what: str, seconds: int, **extra: Any) -> dict[str, Any]:
    minute, second = divmod(seconds, 60)
    return {
        "step": step,
        "what": what,
        "status": "done",
        "started": "2026-11-30T10:00:00+00:00",
        "ended": f"2026-11-30T10:{minute:02d}:{second:02d}+00:00",
        **extra,
    }


def _log(stamp: Path, *entries: DrOperation) -> None:
    with engine.open_session(stamp) as session:
        for entry in entries:
            session.state.log_operation(entry)


def _drill(
    ident: str, outcome: str, steps: list[dict[str, Any]], direction: str = "primary_to_recovery"
) -> DrOperation:
    return DrOperation(
        ident, "drill", PLAN, "test", direction, outcome, "2026-11-30T10:00:00+00:00", steps=tuple(steps)
    )


def _simulated(cli: Cli, stamp: Path, *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("dr", "simulate", stamp, "management-stamp", *args, "--format", "json")
    assert result.code in (0, 2), result.err
    return result.code, json.loads(result.out)


def _event(doc: dict[str, Any], step: str, what: str) -> dict[str, Any]:
    return next(e for e in doc["events"] if e["step"] == step and e["what"] == what)


def test_measured_times_replace_the_estimates_of_the_steps_that_ran(cli: Cli, stamp: Path) -> None:
    _, before = _simulated(cli, stamp, "--type", "test")
    _log(
        stamp,
        _drill(
            "d1",
            "completed",
            [
                _step("database", "start 1 VM", 420, vms=["SQLWAP01"]),  # slower than the 3-minute estimate
                _step("wap-portals", "smoke-test", 30),
                _step("vmm-spf", "start 2 VMs in parallel", 999, vms=["SPF01", "WAPADM01"]),  # other VMs then
                _step("wap-api", "start 1 VM", 5, vms=["WAPTEN01"]),
            ],
        ),
    )
    _, after = _simulated(cli, stamp, "--type", "test", "--measured")
    assert after["measured_from"] == "drill of 2026-11-30T10:00:00+00:00"
    boot = _event(after, "database", "start 1 VM")
    assert boot["expected"] == 420 and boot["worst"] == 420  # at least the measured time
    assert "measured 7m00s in the drill of 2026-11-30T10:00:00+00:00 (estimate 3m00s)" in boot["detail"]
    smoke = _event(after, "wap-portals", "smoke-test")
    assert smoke["expected"] == 30 and smoke["worst"] == _event(before, "wap-portals", "smoke-test")["worst"]
    changed, kept = (
        _event(after, "vmm-spf", "start 2 VMs in parallel"),
        _event(before, "vmm-spf", "start 2 VMs in parallel"),
    )
    assert (changed["expected"], changed["worst"], changed["detail"]) == (
        kept["expected"],
        kept["worst"],
        kept["detail"],
    )
    shift = (420 - 180) + (30 - 120)
    assert after["rto"]["expected"] == before["rto"]["expected"] + shift
    up = {vm["vm"]: vm["up_at"] for vm in after["vms"]}
    assert up["SQLWAP01"] == _event(after, "database", "start 1 VM")["start"] + 420  # VMs up when measured
    # without --measured the log changes nothing
    assert _simulated(cli, stamp, "--type", "test")[1] == before


def test_only_completed_runs_in_the_same_direction_count(cli: Cli, stamp: Path) -> None:
    db = {"vms": ["SQLWAP01"]}
    _log(
        stamp,
        _drill("old", "completed", [_step("database", "start 1 VM", 240, **db)]),
        _drill("failed", "failed", [_step("database", "start 1 VM", 900, **db)]),
        _drill("back", "completed", [_step("database", "start 1 VM", 60, **db)], "recovery_to_primary"),
        _drill("resumed", "completed", [_step("database", "start 1 VM", 1, resumed=True, **db)]),
        _drill("skipped", "completed", [_step("shutdown", "x", 1, comment="done by the run this one resumes")]),
    )
    _, doc = _simulated(cli, stamp, "--type", "test", "--measured")
    # the newer completed forward runs resumed stopped ones: the older complete run measures
    assert doc["measured_from"] == "drill of 2026-11-30T10:00:00+00:00"
    assert _event(doc, "database", "start 1 VM")["expected"] == 240
    _, doc = _simulated(cli, stamp, "--type", "planned", "--measured")  # a drill measures a planned failover too
    assert _event(doc, "database", "start 1 VM")["expected"] == 240
    _, doc = _simulated(cli, stamp, "--type", "planned", "--direction", "recovery_to_primary", "--measured")
    assert _event(doc, "database", "start 1 VM")["expected"] == 60


def test_odd_log_entries_measure_nothing_and_crash_nothing(cli: Cli, stamp: Path) -> None:
    naive = {**_step("database", "start 1 VM", 60, vms=["SQLWAP01"]), "started": "2026-11-30T10:00:00"}
    nameless = {k: v for k, v in _step("wap-portals", "smoke-test", 30).items() if k != "what"}
    _log(stamp, _drill("odd", "completed", [naive, nameless, "not a step", _step("wap-portals", "smoke-test", 30)]))  # type: ignore[list-item]
    code, doc = _simulated(cli, stamp, "--type", "test", "--measured")
    assert code == 0 and _event(doc, "database", "start 1 VM")["expected"] == 180
    assert _event(doc, "wap-portals", "smoke-test")["expected"] == 30


def test_no_run_to_measure_from_says_so(cli: Cli, stamp: Path) -> None:
    code, doc = _simulated(cli, stamp, "--type", "test", "--measured")
    assert code == 2 and doc["measured_from"] is None
    assert [f["rule"] for f in doc["findings"]] == ["DR045"]


def test_a_lab_drill_measures_its_own_steps(cli: Cli, stamp: Path, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("confirm: management-stamp\n")
    assert cli("dr", "drill", stamp, "management-stamp", "--auto-approve", "--answers", answers).code == 0
    _, doc = _simulated(cli, stamp, "--type", "test", "--measured")
    assert doc["measured_from"].startswith("drill of ")
    status = json.loads(cli("dr", "status", stamp, "--format", "json").out)
    assert status["format_version"] == 1
    boots = [e for e in doc["events"] if e["kind"] == "boot"]
    assert boots and all("measured" in e["detail"] for e in boots)  # the lab takes (well under) seconds


def test_an_empty_measurement_is_the_plain_simulation(applied: Path) -> None:
    with engine.open_session(applied) as session:
        resources = session.fabric.resources
        from fabric.engine.dr import dr_facts

        facts: DrFacts = dr_facts(session)
    for kind in ("test", "planned", "unplanned"):
        options = Options(PLAN, kind)  # type: ignore[arg-type]
        plain = simulate(resources, facts, options)
        assert simulate(resources, facts, options, measured=Measured("drill of then", {})) == plain
