"""Settling the journal of pending operations: the pure rules case by case, and `settle` against
a real state backend (written under the lock, only planned against without it)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fabric.apply.reconcile import Outcome, Reconciliation, reconcile, settle
from fabric.inventory import Inventory, ObservedObject
from fabric.snapshot import StateEntry, StateSnapshot
from fabric.state.protocol import PendingOperation
from fabric.state.sqlite import SqliteState

CASES = sorted(p for p in (Path(__file__).parent / "reconcile_cases").iterdir() if p.is_dir())


def _load(case: Path, name: str, default: Any = None) -> Any:
    path = case / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else default


def _inputs(case: Path) -> tuple[StateSnapshot, list[PendingOperation], Inventory]:
    raw_state = _load(case, "state.json", {})
    entries = {a: StateEntry(a, e["kind"], e["live_id"], e.get("attributes", {})) for a, e in raw_state.items()}
    pending = [
        PendingOperation(
            p["address"],
            p["kind"],
            p["operation"],
            p.get("live_id", ""),
            p.get("attributes", {}),
            p.get("moved_from"),
            p.get("protected", False),
        )
        for p in _load(case, "pending.json", [])
    ]
    observed = _load(case, "observed.json", [])
    # descriptions may carry ownership tags, read off as the engine does
    inventory = Inventory.of(ObservedObject(o["id"], o["kind"], o["name"], o["attributes"]) for o in observed).owned()
    return StateSnapshot(7, "lineage", entries), pending, inventory


def _writes(result: Reconciliation) -> list[tuple[str, Outcome, StateEntry | None, str | None]]:
    return [(s.address, s.outcome, s.entry, s.moved_from) for s in result.settlements]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path) -> None:
    snapshot, pending, inventory = _inputs(case)
    options = _load(case, "options.json", {})
    expected = _load(case, "expected.json")
    after = expected.pop("state_after")
    written = options.get("written", True)
    result = reconcile("case", snapshot, pending, inventory, moves=options.get("moves"), written=written)
    settled = {s.address: s for s in result.settlements}
    assert len(result.settlements) == len(pending) and set(settled) == set(expected)  # each settled once
    for address, fields in expected.items():
        s = settled[address]
        assert s.outcome.value == fields["outcome"], address
        assert fields["message"] in s.message, s.message
        assert s.message.startswith(f"{address}: ") and "\n" not in s.message
        assert (s.entry is not None) == (s.outcome is Outcome.RECORD), address
        if s.entry is not None:
            assert s.entry.address == address
            assert s.entry.live_id == fields.get("live_id", s.entry.live_id)
            for key, value in fields.get("attributes", {}).items():
                assert s.entry.attributes[key] == value, (address, key)
            assert s.entry.protected == fields.get("protected", False)
        assert s.moved_from == fields.get("moved_from")
    view = result.view(snapshot)
    assert {a: e.live_id for a, e in view.entries.items()} == after
    assert (view.serial, view.lineage) == (snapshot.serial, snapshot.lineage)
    # with or without the lock the same is settled; only what the messages say differs
    other = reconcile("case", snapshot, pending, inventory, moves=options.get("moves"), written=not written)
    assert _writes(other) == _writes(result)
    for mine, theirs in zip(result.settlements, other.settlements, strict=True):
        done, read_only = (mine.message, theirs.message) if written else (theirs.message, mine.message)
        if mine.outcome is Outcome.CLEAR:  # nothing to write: nothing to say about writing
            assert done == read_only
        else:
            assert done.endswith(("; recorded it in state", "; removed it from state")), done
            assert "taken into account here" in read_only and "plan --lock" in read_only, read_only


# settle() against a real backend

LN = "logical_network.mgmt"


def _ln(description: str) -> dict[str, Any]:
    return {"name": "Mgmt", "description": description, "isolation": "connected", "network_virtualization": False}


def _live(description: str) -> Inventory:
    attributes = {**_ln(description), "description": f"{description} [fabric stamp=case]"}
    return Inventory.of([ObservedObject("ln-1", "logical_network", "Mgmt", attributes)]).owned()


def _update(state: SqliteState) -> None:
    state.record(StateEntry(LN, "logical_network", "ln-1", _ln("old")))
    state.begin(PendingOperation(LN, "logical_network", "update", "ln-1", _ln("new")))


def test_settle_under_the_lock_writes_and_empties_the_journal(tmp_path: Path) -> None:
    state = SqliteState(tmp_path)
    _update(state)
    reads: list[int] = []

    def inventory() -> Inventory:
        reads.append(1)
        return _live("new")

    with state.lock("apply") as info:
        snapshot, messages = settle(state, inventory, "case")
    assert messages == [f"{LN}: an update had reached VMM when it was interrupted; recorded it in state"]
    assert dict(snapshot.entries[LN].attributes)["description"] == "new" and snapshot.serial == 2
    assert state.pending() == [] and dict(state.read().entries[LN].attributes)["description"] == "new"
    last = state.history(1)[0]
    assert (last.event, last.address, last.lock_id) == ("record", LN, info.id)
    with state.lock("apply"):
        assert settle(state, inventory, "case") == (state.read(), [])
    assert len(reads) == 1, "an empty journal needs no inventory"
    state.close()


def test_settle_without_the_lock_writes_nothing_and_plans_as_if_written(tmp_path: Path) -> None:
    state = SqliteState(tmp_path)
    _update(state)
    before = state.read()
    snapshot, messages = settle(state, lambda: _live("new"), "case")
    assert "taken into account here" in messages[0]
    assert snapshot.serial == before.serial and dict(snapshot.entries[LN].attributes)["description"] == "new"
    assert state.read() == before and [p.address for p in state.pending()] == [LN]
    state.close()


def test_settle_without_the_lock_leaves_out_a_running_apply(tmp_path: Path) -> None:
    running, planner = SqliteState(tmp_path), SqliteState(tmp_path)
    with running.lock("apply") as info:
        _update(running)  # in flight in a live process (this one) that holds the lock
        assert planner.live_lock_id() == info.id and planner.pending()[0].lock_id == info.id
        snapshot, messages = settle(planner, lambda: _live("new"), "case")
        assert messages == [] and dict(snapshot.entries[LN].attributes)["description"] == "old"
    assert planner.live_lock_id() is None  # released: what is left is from a run that is gone
    snapshot, messages = settle(planner, lambda: _live("new"), "case")
    assert len(messages) == 1 and dict(snapshot.entries[LN].attributes)["description"] == "new"
    running.close()
    planner.close()
