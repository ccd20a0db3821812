"""The executor: dependency order, parallelism bound, failure isolation, interruption."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from fabric.apply.executor import OpEvent, apply_plan
from fabric.engine import open_session, plan
from fabric.errors import FabricError
from fabric.inventory import Inventory, ObservedObject
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.planner import make_plan
from fabric.project import open_stamp
from fabric.providers.lab.provider import LabProvider
from fabric.providers.lab.seedfile import read_seed
from fabric.snapshot import StateSnapshot
from fabric.state.sqlite import SqliteState


class RecordingLab(LabProvider):
    """The real lab, plus a record of when each operation ran and how many overlapped."""

    def __init__(self, path: Path, delay: float) -> None:
        super().__init__(path)
        self.delay = delay
        self.events: list[tuple[str, float, float]] = []
        self.active = 0
        self.peak = 0
        self._count = threading.Lock()

    def create(self, address: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        with self._count:
            self.active += 1
            self.peak = max(self.peak, self.active)
        start = time.monotonic()
        time.sleep(self.delay)
        try:
            return super().create(address, kind, attributes)
        finally:
            with self._count:
                self.active -= 1
            self.events.append((address, start, time.monotonic()))


def test_dependencies_first_and_parallelism_bounded(reference: Path, tmp_path: Path) -> None:
    fabric = open_stamp(reference)
    provider = RecordingLab(tmp_path / "lab.db", delay=0.01)
    provider.seed(read_seed(reference / "lab" / "seed.yaml"))  # the hosts and VMs the DR kinds protect
    state = SqliteState(tmp_path / "state")
    the_plan = make_plan("reference", fabric.resources, Inventory(), StateSnapshot(), provider.immutable_attributes)
    result = apply_plan(the_plan, provider, state, parallelism=3)
    assert result.ok and len(result.done) == len(fabric.resources)
    assert 2 <= provider.peak <= 3
    finished = {a: end for a, _, end in provider.events}
    started = {a: start for a, start, _ in provider.events}
    for change in the_plan.changes:
        for dep in change.depends_on:
            assert finished[dep] <= started[change.address], (dep, change.address)
    assert len(state.read().entries) == len(fabric.resources)


def test_each_result_is_in_state_before_it_is_reported(lab: Path, tmp_path: Path) -> None:
    session = open_session(lab)
    state = session.state
    seen: list[int] = []

    def on_event(event: OpEvent) -> None:
        assert event.address in state.read().entries
        seen.append(1)

    apply_plan(plan(session), session.provider, state, parallelism=4, on_event=on_event)
    session.close()
    assert len(seen) == 12


def test_stop_request_finishes_in_flight_and_leaves_exact_remaining_work(lab: Path) -> None:
    session = open_session(lab)
    done: list[str] = []

    def on_event(event: OpEvent) -> None:
        done.append(event.address)

    first = apply_plan(
        plan(session),
        session.provider,
        session.state,
        parallelism=2,
        on_event=on_event,
        should_stop=lambda: len(done) >= 4,
    )
    assert first.interrupted
    assert len(first.done) >= 4
    assert len(first.done) + len(first.not_started) == 12
    assert set(session.state.read().entries) == set(done)
    remaining = plan(session)
    assert {c.address for c in remaining.changes if c.action.value == "create"} == set(first.not_started)
    second = apply_plan(remaining, session.provider, session.state, parallelism=2)
    assert second.ok
    assert not plan(session).has_changes
    session.close()


def test_a_plan_whose_operations_cannot_be_ordered_is_refused_before_anything_runs(tmp_path: Path) -> None:
    attrs = {"name": "X", "description": ""}
    # two creates that each wait for the other (a plan made by hand: the planner never makes one)
    a = Change(
        "port_classification.a",
        "port_classification",
        "A",
        Action.CREATE,
        None,
        attrs,
        depends_on=("port_classification.b",),
    )
    b = Change(
        "port_classification.b",
        "port_classification",
        "B",
        Action.CREATE,
        None,
        attrs,
        depends_on=("port_classification.a",),
    )
    provider = LabProvider(tmp_path / "lab.db")
    with pytest.raises(FabricError, match="cannot be ordered"):
        apply_plan(Plan("s", (a, b)), provider, SqliteState(tmp_path / "state"))
    assert not provider.read_inventory().objects
