"""The state backend contract, run against SQLite and a real PostgreSQL server alike."""

from __future__ import annotations

import os
import stat
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from fabric.errors import FabricError, StateLockedError
from fabric.model.stamp import StateConfig
from fabric.snapshot import StateEntry, StateSnapshot
from fabric.state.backends import open_state
from fabric.state.protocol import StateBackend


def _config(backend: str, schema: str) -> StateConfig:
    return StateConfig.model_validate({"backend": backend, "schema": schema})


@pytest.fixture
def schema() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def opener(backend: str, schema: str, tmp_path: Path) -> Iterator[object]:
    opened: list[StateBackend] = []

    def open_(stamp: str = "s1", timeout: float = 0.0, directory: Path | None = None) -> StateBackend:
        state = open_state(_config(backend, schema), stamp, directory or tmp_path / stamp, timeout)
        opened.append(state)
        return state

    yield open_
    for state in opened:
        state.close()


def _entry(address: str, live_id: str = "id-1", **attributes: object) -> StateEntry:
    return StateEntry(address, address.split(".")[0], live_id, attributes or {"name": address})


def test_record_forget_read_and_serial(opener) -> None:  # type: ignore[no-untyped-def]
    state = opener()
    empty = state.read()
    assert empty.serial == 0 and empty.entries == {} and empty.lineage
    assert state.record(_entry("host_group.a", description="x")) == 1
    assert state.record(_entry("host_group.b")) == 2
    assert state.record(_entry("host_group.a", live_id="id-2", description="y")) == 3
    assert state.forget("host_group.b") == 4
    snap = opener().read()  # a second connection sees what the first committed
    assert snap.serial == 4 and snap.lineage == empty.lineage
    assert list(snap.entries) == ["host_group.a"]
    assert snap.entries["host_group.a"].live_id == "id-2"
    assert dict(snap.entries["host_group.a"].attributes) == {"description": "y"}
    assert snap.entries["host_group.a"].serial == 3


def test_history_names_serial_lock_and_event(opener) -> None:  # type: ignore[no-untyped-def]
    state = opener()
    with state.lock("apply") as info:
        state.record(_entry("cloud.c", live_id="L1"))
        state.forget("cloud.c")
    events = state.history()
    assert [(e.serial, e.event, e.address, e.live_id) for e in events] == [
        (2, "forget", "cloud.c", ""),
        (1, "record", "cloud.c", "L1"),
    ]
    assert {e.lock_id for e in events} == {info.id} and {e.operation for e in events} == {"apply"}
    assert events[0].at.endswith("+00:00")


def test_second_locker_fails_at_once_naming_the_holder(opener) -> None:  # type: ignore[no-untyped-def]
    first, second = opener(), opener()
    with first.lock("apply") as info:
        with pytest.raises(StateLockedError) as caught, second.lock("apply"):
            pass
        assert f"pid {os.getpid()}" in str(caught.value) and info.id in str(caught.value)
        holder = second.lock_holder()
        assert holder is not None and holder.id == info.id and holder.operation == "apply"
    assert second.lock_holder() is None
    with second.lock("apply"):
        pass


def test_lock_timeout_waits_for_the_holder(opener) -> None:  # type: ignore[no-untyped-def]
    first, second = opener(), opener(timeout=20)
    acquired = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with first.lock("apply"):
            acquired.set()
            release.wait(20)

    thread = threading.Thread(target=hold)
    thread.start()
    acquired.wait(10)
    threading.Timer(0.5, release.set).start()
    with second.lock("apply") as info:
        assert info.operation == "apply"
    thread.join()


def test_different_stamps_never_block_each_other(opener, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    one, other = opener("one"), opener("other")
    with one.lock("apply"), other.lock("apply"):
        one.record(_entry("host_group.a"))
        other.record(_entry("host_group.a", live_id="other"))
    assert one.read().entries["host_group.a"].live_id == "id-1"
    assert other.read().entries["host_group.a"].live_id == "other"


def test_force_unlock_needs_the_right_id(opener) -> None:  # type: ignore[no-untyped-def]
    holder_state, other = opener(), opener()
    with holder_state.lock("apply") as info:
        with pytest.raises(FabricError, match="is not the current lock"):
            other.force_unlock("wrong-id")
        released = other.force_unlock(info.id)
        assert released.id == info.id
        with other.lock("apply"):  # the lock is free for others now
            pass
    with pytest.raises(FabricError, match="not locked"):
        other.force_unlock(info.id)


def test_load_keeps_lineage_and_serial_and_refuses_non_empty(opener, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    entries = {a: _entry(a) for a in ("host_group.a", "host_group.b")}
    snapshot = StateSnapshot(7, "lineage-x", entries)
    target = opener("target")
    target.load(snapshot)
    got = target.read()
    assert (got.serial, got.lineage, sorted(got.entries)) == (7, "lineage-x", ["host_group.a", "host_group.b"])
    assert target.record(_entry("host_group.c")) == 8
    with pytest.raises(FabricError, match="not empty"):
        target.load(snapshot)


@pytest.mark.parametrize("backend", ["sqlite"])
def test_sqlite_files_are_private(opener, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    state = opener()
    with state.lock("apply"):
        state.record(_entry("host_group.a"))
    directory = tmp_path / "s1"
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    for path in directory.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_lab_and_state_files_are_private_after_an_apply(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from conftest import copy_stamp

    stamp = copy_stamp("lab", tmp_path)
    assert cli("apply", stamp, "--auto-approve").code == 0
    work = stamp / ".fabric"
    assert stat.S_IMODE(work.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in work.iterdir()}
    assert modes and all(mode == 0o600 for mode in modes.values()), modes
