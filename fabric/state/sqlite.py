"""The default state backend: SQLite at `STAMP/.fabric/state.db`, one commit per change."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fabric.errors import FabricError
from fabric.snapshot import StateEntry, StateSnapshot
from fabric.state.lock import (
    LockInfo,
    WaitNotice,
    file_holder_alive,
    file_lock,
    force_unlock_file,
    process_alive,
    read_holder,
)
from fabric.state.protocol import (
    STATE_FORMAT_VERSION,
    DrOperation,
    HistoryEvent,
    PendingOperation,
    operation_from_row,
    stored_attributes,
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS resources (
  address TEXT PRIMARY KEY, kind TEXT NOT NULL, live_id TEXT NOT NULL,
  attributes TEXT NOT NULL, serial INTEGER NOT NULL, protected INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS history (
  serial INTEGER PRIMARY KEY, at TEXT NOT NULL, lock_id TEXT NOT NULL, operation TEXT NOT NULL,
  address TEXT NOT NULL, event TEXT NOT NULL, live_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending (
  address TEXT PRIMARY KEY, kind TEXT NOT NULL, operation TEXT NOT NULL, live_id TEXT NOT NULL,
  attributes TEXT NOT NULL, moved_from TEXT, protected INTEGER NOT NULL DEFAULT 0, lock_id TEXT NOT NULL,
  at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dr_operations (
  id TEXT PRIMARY KEY, started TEXT NOT NULL, ended TEXT NOT NULL, operation TEXT NOT NULL, plan TEXT NOT NULL,
  kind TEXT NOT NULL, direction TEXT NOT NULL, outcome TEXT NOT NULL, operator TEXT NOT NULL, lock_id TEXT NOT NULL,
  detail TEXT NOT NULL);
"""
STATE_FILE = "state.db"


def _operation(row: Any) -> DrOperation:
    return operation_from_row(row, json.loads(row[10]))


class LazyJson(Mapping[str, Any]):
    """A JSON object decoded on first use: a plan reads every entry but looks inside few."""

    __slots__ = ("_data", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._data: dict[str, Any] | None = None

    @property
    def raw_text(self) -> str:
        """The JSON text as stored."""
        return self._text

    def _decoded(self) -> dict[str, Any]:
        if self._data is None:
            self._data = json.loads(self._text)
        return self._data

    def __getitem__(self, key: str) -> Any:
        return self._decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._decoded())

    def __len__(self) -> int:
        return len(self._decoded())


class SqliteState:
    """State in one SQLite file; the lock is a sibling `state.lock` file."""

    name = "sqlite"
    on_wait: WaitNotice | None = None  # told once when a lock() starts waiting for another holder

    def __init__(self, directory: Path, lock_timeout: float = 0.0) -> None:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = directory / STATE_FILE
        if not path.exists():
            path.touch(mode=0o600)
        os.chmod(path, 0o600)
        self._path = path
        self._lock_path = directory / "state.lock"
        self._lock_timeout = lock_timeout
        self._held: LockInfo | None = None
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            with self._checked():
                self._db.execute("PRAGMA journal_mode=WAL")
                # WAL + NORMAL: a commit survives the process being killed (the write is in the OS);
                # only a power loss can drop the last commits, and the next plan adopts those objects.
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(SCHEMA)  # also gives state files older than the journal its table
                columns = {row[1] for row in self._db.execute("PRAGMA table_info(resources)")}
                if "protected" not in columns:  # state written before lifecycle.prevent_destroy existed
                    self._db.execute("ALTER TABLE resources ADD COLUMN protected INTEGER NOT NULL DEFAULT 0")
                self._db.execute(
                    "INSERT OR IGNORE INTO meta VALUES ('serial', '0'), ('lineage', ?), ('format_version', ?)",
                    (str(uuid.uuid4()), str(STATE_FORMAT_VERSION)),
                )
        except BaseException:
            self._db.close()
            raise

    @contextmanager
    def _checked(self) -> Iterator[None]:
        """SQLite's "file is not a database" or "malformed" as one FabricError naming the file."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            name = str(getattr(exc, "sqlite_errorname", ""))
            if name == "SQLITE_NOTADB" or name.startswith("SQLITE_CORRUPT"):
                raise FabricError(f"the state database {self._path} is damaged or not a database: {exc}") from None
            raise

    def _meta(self, key: str) -> str:
        return str(self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0])

    def read(self) -> StateSnapshot:
        """All entries at the current serial (one read transaction: entries and serial agree)."""
        with self._checked():
            self._db.execute("BEGIN")
            try:
                rows = self._db.execute("SELECT address, kind, live_id, attributes, serial, protected FROM resources")
                entries = {r[0]: StateEntry(r[0], r[1], r[2], LazyJson(r[3]), r[4], bool(r[5])) for r in rows}
                serial, lineage = int(self._meta("serial")), self._meta("lineage")
            finally:
                self._db.execute("COMMIT")
        return StateSnapshot(serial, lineage, entries)

    def _bump(self) -> int:
        serial = int(self._meta("serial")) + 1
        self._db.execute("UPDATE meta SET value = ? WHERE key = 'serial'", (str(serial),))
        return serial

    def record(self, entry: StateEntry, forget: str | None = None) -> int:
        """Upsert one entry (dropping `forget`) and settle its pending operation, bump the serial and
        log it, in one durable transaction."""
        attributes = stored_attributes(entry)
        with self._transaction() as serial:
            self._db.execute(
                "INSERT OR REPLACE INTO resources VALUES (?, ?, ?, ?, ?, ?)",
                (entry.address, entry.kind, entry.live_id, attributes, serial, int(entry.protected)),
            )
            self._db.execute("DELETE FROM pending WHERE address = ?", (entry.address,))
            self._log(serial, entry.address, "record", entry.live_id)
            if forget is not None:
                self._db.execute("DELETE FROM resources WHERE address = ?", (forget,))
                self._db.execute("DELETE FROM pending WHERE address = ?", (forget,))
        return serial

    def forget(self, address: str) -> int:
        """Remove one entry and its pending operation, bump the serial and log it."""
        with self._transaction() as serial:
            self._db.execute("DELETE FROM resources WHERE address = ?", (address,))
            self._db.execute("DELETE FROM pending WHERE address = ?", (address,))
            self._log(serial, address, "forget", "")
        return serial

    def begin(self, operation: PendingOperation) -> None:
        """Journal an operation before the provider runs it (one statement: its own durable commit)."""
        held = self._held
        with self._checked():
            self._db.execute(
                "INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    operation.address,
                    operation.kind,
                    operation.operation,
                    operation.live_id,
                    stored_attributes(operation),
                    operation.moved_from,
                    int(operation.protected),
                    held.id if held else "",
                    _now(),
                ),
            )

    def clear_pending(self, address: str) -> None:
        """Drop the pending operation of `address`."""
        with self._checked():
            self._db.execute("DELETE FROM pending WHERE address = ?", (address,))

    def pending(self) -> list[PendingOperation]:
        """The journal, by address."""
        with self._checked():
            rows = self._db.execute(
                "SELECT address, kind, operation, live_id, attributes, moved_from, protected, lock_id, at "
                "FROM pending ORDER BY address"
            ).fetchall()
        return [PendingOperation(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], bool(r[6]), r[7], r[8]) for r in rows]

    def held(self) -> LockInfo | None:
        """The lock this process holds through this backend."""
        return self._held

    def live_lock_id(self) -> str | None:
        """The lock file's holder, unless it is a process of this host that is gone (its note stays
        behind after a kill; on another host, a live holder cannot be told from a dead one)."""
        holder = read_holder(self._lock_path)
        if holder is None or (holder.host == socket.gethostname() and not process_alive(holder)):
            return None
        return holder.id

    @contextmanager
    def _transaction(self) -> Iterator[int]:
        with self._checked():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._bump()
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _log(self, serial: int, address: str, event: str, live_id: str) -> None:
        held = self._held
        self._db.execute(
            "INSERT INTO history VALUES (?, ?, ?, ?, ?, ?, ?)",
            (serial, _now(), held.id if held else "", held.operation if held else "", address, event, live_id),
        )

    def mark_migrated(self, to: str) -> None:
        """Remember (in meta) that this state moved to `to`."""
        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('migrated_to', ?)", (to,))

    def migrated_to(self) -> str | None:
        """Where this state moved, if it did."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'migrated_to'").fetchone()
        return str(row[0]) if row else None

    def history(self, limit: int = 50) -> list[HistoryEvent]:
        """The latest changes, newest first."""
        rows = self._db.execute("SELECT * FROM history ORDER BY serial DESC LIMIT ?", (limit,))
        return [HistoryEvent(*row) for row in rows]

    def log_operation(self, operation: DrOperation) -> None:
        """Write one entry of the DR operation log (its own durable commit)."""
        detail = json.dumps({"steps": list(operation.steps), "vms": dict(operation.vms)}, sort_keys=True)
        with self._checked():
            self._db.execute(
                # an upsert, not INSERT OR REPLACE: the row keeps its rowid, which orders the log
                "INSERT INTO dr_operations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "ended = excluded.ended, outcome = excluded.outcome, detail = excluded.detail",
                (
                    operation.id,
                    operation.started,
                    operation.ended,
                    operation.operation,
                    operation.plan,
                    operation.kind,
                    operation.direction,
                    operation.outcome,
                    operation.operator,
                    operation.lock_id,
                    detail,
                ),
            )

    def operations(self, limit: int | None = 50) -> list[DrOperation]:
        """The DR operation log, newest first (`limit` None: all of it)."""
        rows = self._db.execute(
            "SELECT id, operation, plan, kind, direction, outcome, started, ended, operator, lock_id, detail "
            "FROM dr_operations ORDER BY rowid DESC LIMIT ?",
            (-1 if limit is None else limit,),
        ).fetchall()
        return [_operation(row) for row in rows]

    def load(self, snapshot: StateSnapshot) -> None:
        """Fill this (empty) state with `snapshot`, keeping its lineage and serial."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if self._db.execute("SELECT count(*) FROM resources").fetchone()[0]:
                raise FabricError("the target state is not empty; refusing to overwrite it")
            if serial := int(self._meta("serial")):
                raise FabricError(f"the target state has a history (serial {serial}); refusing to overwrite it")
            rows = [
                (
                    e.address,
                    e.kind,
                    e.live_id,
                    stored_attributes(e),
                    e.serial,
                    int(e.protected),
                )
                for e in snapshot.entries.values()
            ]
            self._db.executemany("INSERT INTO resources VALUES (?, ?, ?, ?, ?, ?)", rows)
            self._db.execute("UPDATE meta SET value = ? WHERE key = 'serial'", (str(snapshot.serial),))
            self._db.execute("UPDATE meta SET value = ? WHERE key = 'lineage'", (snapshot.lineage,))
            self._db.execute("DELETE FROM meta WHERE key = 'migrated_to'")  # it is the live copy now
            self._log(snapshot.serial, "*", "migrate", "")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def lock(self, operation: str) -> Iterator[LockInfo]:
        """The per-stamp file lock."""
        with file_lock(self._lock_path, operation, self._lock_timeout, self.on_wait) as info:
            self._held = info
            try:
                yield info
            finally:
                self._held = None

    def lock_holder(self) -> LockInfo | None:
        """Who holds the lock file now."""
        return read_holder(self._lock_path)

    def holder_alive(self) -> str | None:
        """Why the lock's holder looks alive (None if it looks gone)."""
        return file_holder_alive(self._lock_path)

    def force_unlock(self, lock_id: str) -> LockInfo:
        """Break the lock held under `lock_id`."""
        return force_unlock_file(self._lock_path, lock_id)

    def close(self) -> None:
        """Close the database."""
        self._db.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
