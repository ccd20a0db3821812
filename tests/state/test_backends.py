"""The state backend contract, run against SQLite and a real PostgreSQL server alike."""

from __future__ import annotations

import os
import socket
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
from fabric.state.protocol import PendingOperation, StateBackend


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


# The journal of pending operations


def _intent(address: str, operation: str = "update", live_id: str = "id-1", **attributes: object) -> PendingOperation:
    return PendingOperation(address, address.split(".")[0], operation, live_id, attributes)


def test_the_journal_is_durable_and_settled_by_the_write_of_the_result(opener) -> None:  # type: ignore[no-untyped-def]
    state, other = opener(), opener()
    assert state.pending() == []
    with state.lock("apply") as info:
        state.record(_entry("cloud.c", name="old"))
        serial = state.read().serial
        state.begin(_intent("cloud.c", name="first"))
        state.begin(_intent("cloud.c", name="new"))  # one per address: the latest intent wins
        state.begin(_intent("cloud.d", "create", ""))
        seen = other.pending()  # another connection sees it at once: it is committed
        assert [(p.address, p.operation, p.live_id, dict(p.attributes)) for p in seen] == [
            ("cloud.c", "update", "id-1", {"name": "new"}),
            ("cloud.d", "create", "", {}),
        ]
        assert {p.lock_id for p in seen} == {info.id} and all(p.at for p in seen)
        assert state.read().serial == serial, "journalling is not a change of state"
        state.record(_entry("cloud.c", name="new"))  # the result, and the entry gone, in one write
        assert [p.address for p in other.pending()] == ["cloud.d"]
        state.clear_pending("cloud.d")
        state.begin(_intent("cloud.c", "delete"))
        state.forget("cloud.c")
        state.record(_entry("cloud.e"))
        state.begin(_intent("cloud.e"))
        state.begin(_intent("cloud.f"))
        state.record(_entry("cloud.f"), forget="cloud.e")  # a move settles both addresses
    assert other.pending() == [] and list(other.read().entries) == ["cloud.f"]


def test_the_journal_keeps_what_an_operation_needs_and_no_secret(opener) -> None:  # type: ignore[no-untyped-def]
    from fabric import secrets

    secret = "s3cret-description-value"
    secrets.register(secret, "DESC")
    try:
        state = opener()
        state.begin(
            PendingOperation(
                "cloud.new", "cloud", "update", "id-9", {"description": secret, "n": 1}, "cloud.old", protected=True
            )
        )
        (got,) = opener().pending()
    finally:
        secrets.reset()
    assert dict(got.attributes) == {"description": "(sensitive)", "n": 1}
    assert (got.moved_from, got.protected, got.lock_id) == ("cloud.old", True, "")


def test_held_and_live_lock_id(opener) -> None:  # type: ignore[no-untyped-def]
    state, other = opener(), opener()
    assert state.held() is None and other.live_lock_id() is None
    with state.lock("apply") as info:
        assert state.held() == info and other.held() is None
        assert other.live_lock_id() == info.id
    assert state.held() is None and other.live_lock_id() is None


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_dead_holders_note_is_not_a_live_lock(opener, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import json as json_

    state = opener()
    (tmp_path / "s1" / "state.lock").write_text(
        json_.dumps(
            {"id": "dead", "pid": 2**22 + 1, "host": socket.gethostname(), "started": "t", "operation": "apply"}
        )
    )
    assert state.lock_holder() is not None and state.live_lock_id() is None


@pytest.mark.parametrize("backend", ["sqlite"])
def test_an_old_state_file_gains_the_journal(opener, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    directory = tmp_path / "s1"
    directory.mkdir()
    old = sqlite3.connect(directory / "state.db")  # as written before lifecycle and the journal existed
    old.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE resources (address TEXT PRIMARY KEY, kind TEXT NOT NULL, live_id TEXT NOT NULL,
          attributes TEXT NOT NULL, serial INTEGER NOT NULL);
        CREATE TABLE history (serial INTEGER PRIMARY KEY, at TEXT NOT NULL, lock_id TEXT NOT NULL,
          operation TEXT NOT NULL, address TEXT NOT NULL, event TEXT NOT NULL, live_id TEXT NOT NULL);
        INSERT INTO meta VALUES ('serial', '1'), ('lineage', 'old'), ('format_version', '1');
        INSERT INTO resources VALUES ('cloud.c', 'cloud', 'id-1', '{"name": "c"}', 1);
        """
    )
    old.commit()
    old.close()
    state = opener()
    assert state.pending() == [] and list(state.read().entries) == ["cloud.c"]
    state.begin(_intent("cloud.c"))
    assert state.record(_entry("cloud.c")) == 2 and state.pending() == []


@pytest.mark.parametrize("backend", ["sqlite"])
@pytest.mark.parametrize("content", [b"not a database at all, " * 100, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_damaged_state_file_names_itself(opener, tmp_path: Path, content: bytes) -> None:  # type: ignore[no-untyped-def]
    directory = tmp_path / "s1"
    directory.mkdir()
    (directory / "state.db").write_bytes(content)
    with pytest.raises(FabricError) as caught:
        opener().read()
    message = str(caught.value)
    assert message.startswith(f"the state database {directory / 'state.db'} is damaged or not a database: ")
    assert "\n" not in message


@pytest.mark.parametrize("backend", ["postgres"])
def test_tables_without_the_journal_gain_it_and_a_reader_does_without(  # type: ignore[no-untyped-def]
    opener, schema: str, pg_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import psycopg

    from fabric.state.postgres import TABLES

    earlier = TABLES[: TABLES.index("CREATE TABLE IF NOT EXISTS {s}.pending")].replace("{s}", schema)
    reader = f"r_{schema}"
    with psycopg.connect(pg_dsn, autocommit=True) as db:  # as an earlier version left them
        db.execute(f"CREATE SCHEMA {schema}")
        db.execute(earlier)
        db.execute(f"INSERT INTO {schema}.stamps VALUES ('s1', 0, 'l', 1, NULL)")
        db.execute(f"CREATE ROLE {reader} LOGIN")
        db.execute(f"GRANT USAGE ON SCHEMA {schema} TO {reader}")
        db.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {reader}")
    monkeypatch.setenv("FABRIC_PG_DSN", pg_dsn.replace("fabric@", f"{reader}@"))
    read_only = opener()  # may not create the table: plans without it (nobody wrote a journal there)
    assert read_only.pending() == [] and read_only.read().serial == 0
    monkeypatch.setenv("FABRIC_PG_DSN", pg_dsn)
    owner = opener()
    owner.begin(_intent("cloud.c"))
    assert [p.address for p in owner.pending()] == ["cloud.c"]
    # granted SELECT before the table existed: still plans (as if nothing was interrupted)
    monkeypatch.setenv("FABRIC_PG_DSN", pg_dsn.replace("fabric@", f"{reader}@"))
    late = opener()
    assert late.pending() == [] and late.read().serial == 0


def test_the_dr_operation_log_keeps_each_entry_and_rewrites_it_by_id(opener) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from fabric.state.protocol import DrOperation

    state = opener()
    first = DrOperation(
        "op-1", "drill", "recovery_plan.p", "test", "primary_to_recovery", "running", "2026-01-01T00:00:00"
    )
    state.log_operation(first)
    step = {"step": "g1", "what": "start 2 VMs", "status": "done", "started": "a", "ended": "b", "comment": "ünïcode"}
    done = replace(
        first, outcome="completed", ended="2026-01-01T00:05:00", steps=(step,), vms={"protected_vm.a": {"host": "H"}}
    )
    state.log_operation(done)  # the same ID: rewritten, not added
    later = DrOperation(
        "op-2", "failover", "recovery_plan.p", "planned", "primary_to_recovery", "aborted", "2026-01-02T00:00:00"
    )
    state.log_operation(later)
    other = opener("s2")  # another stamp's log is its own
    assert other.operations() == []
    log = opener().operations()  # a second connection sees both, newest first
    assert [e.id for e in log] == ["op-2", "op-1"]
    assert log[1] == done
    assert opener().operations(limit=1) == [later]
