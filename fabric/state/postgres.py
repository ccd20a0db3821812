"""State in a shared PostgreSQL database, for teams and CI pipelines on several machines.

Every stamp has its own rows in the tables of one schema. The lock is a session-level
advisory lock keyed by a hash of (schema, stamp): two stamps never wait for each other, and
PostgreSQL releases the lock by itself when the holder's session ends (a crash, a kill, a
lost network). Who holds it is kept beside it in the `locks` table, for the message.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from fabric import secrets
from fabric.errors import FabricError, StateLockedError
from fabric.snapshot import StateEntry, StateSnapshot
from fabric.state.lock import LockInfo, WaitNotice, locked_message, process_alive
from fabric.state.protocol import (
    STATE_FORMAT_VERSION,
    DrOperation,
    HistoryEvent,
    PendingOperation,
    operation_from_row,
    stored_attributes,
)
from fabric.state.sqlite import LazyJson

ACTIVE_SECONDS = 30.0  # a session that ran a query this recently is at work, not stuck

TABLES = """
CREATE TABLE IF NOT EXISTS {s}.stamps (
  stamp text PRIMARY KEY, serial bigint NOT NULL, lineage text NOT NULL, format_version int NOT NULL,
  migrated_to text);
CREATE TABLE IF NOT EXISTS {s}.resources (
  stamp text NOT NULL, address text NOT NULL, kind text NOT NULL, live_id text NOT NULL,
  attributes jsonb NOT NULL, serial bigint NOT NULL, protected boolean NOT NULL DEFAULT false,
  PRIMARY KEY (stamp, address));
CREATE TABLE IF NOT EXISTS {s}.history (
  stamp text NOT NULL, serial bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(), lock_id text NOT NULL,
  operation text NOT NULL, address text NOT NULL, event text NOT NULL, live_id text NOT NULL,
  PRIMARY KEY (stamp, serial));
CREATE TABLE IF NOT EXISTS {s}.locks (
  stamp text PRIMARY KEY, id text NOT NULL, pid int NOT NULL, host text NOT NULL, started text NOT NULL,
  operation text NOT NULL, backend_pid int NOT NULL);
CREATE TABLE IF NOT EXISTS {s}.pending (
  stamp text NOT NULL, address text NOT NULL, kind text NOT NULL, operation text NOT NULL, live_id text NOT NULL,
  attributes jsonb NOT NULL, moved_from text, protected boolean NOT NULL DEFAULT false, lock_id text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (stamp, address));
CREATE TABLE IF NOT EXISTS {s}.dr_operations (
  seq bigserial, stamp text NOT NULL, id text NOT NULL, started text NOT NULL, ended text NOT NULL,
  operation text NOT NULL, plan text NOT NULL, kind text NOT NULL, direction text NOT NULL,
  outcome text NOT NULL, operator text NOT NULL, lock_id text NOT NULL, detail jsonb NOT NULL,
  PRIMARY KEY (stamp, id));
"""


def lock_key(schema: str, stamp: str) -> int:
    """The advisory lock key of one stamp: 64 bits of SHA-256 over schema and stamp name."""
    digest = hashlib.sha256(f"{schema}\0{stamp}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def connect(dsn_env: str) -> psycopg.Connection[Any]:
    """Connect with the DSN from the environment variable `dsn_env` (never from a file)."""
    dsn = os.environ.get(dsn_env, "")
    if not dsn:
        raise FabricError(f"state.backend is postgres but the environment variable {dsn_env} is not set")
    try:
        password = conninfo_to_dict(dsn).get("password")
    except psycopg.ProgrammingError:  # libpq's parse error quotes the DSN, password included
        raise FabricError(f"{dsn_env} is not a valid PostgreSQL connection string") from None
    if isinstance(password, str) and len(password) >= secrets.MIN_LENGTH:
        secrets.register(password, dsn_env)  # masked should any message repeat it
    try:
        # keepalives: a client that vanishes without closing its connection loses the lock in
        # about a minute instead of the two hours of the operating system's default
        return psycopg.connect(
            dsn,
            autocommit=True,
            connect_timeout=10,
            application_name="fabric",
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
        )
    except psycopg.Error as exc:
        # the message names host and database, never the password
        raise FabricError(f"cannot connect to the PostgreSQL state database ({dsn_env}): {_first_line(exc)}") from None


@contextmanager
def _reported() -> Iterator[None]:
    """A database error as a FabricError with PostgreSQL's message (no traceback, no DSN)."""
    try:
        yield
    except psycopg.Error as exc:
        raise FabricError(f"PostgreSQL state: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


class PostgresState:
    """One stamp's state in PostgreSQL schema `schema`."""

    on_wait: WaitNotice | None = None  # told once when a lock() starts waiting for another holder

    name = "postgres"

    def __init__(self, dsn_env: str, schema: str, stamp: str, lock_timeout: float = 0.0) -> None:
        self._stamp = stamp
        self._schema = schema
        self._key = lock_key(schema, stamp)
        self._lock_timeout = lock_timeout
        self._held: LockInfo | None = None
        self._mutex = threading.Lock()  # one transaction at a time on the one connection
        self._journal = False  # whether the pending-operations table exists (see _ensure_tables)
        self._oplog = False  # whether the DR operation log's table exists
        self._db = connect(dsn_env)
        try:
            self._ensure_tables()
            # an existing row is only read, so a role with SELECT alone can plan, show and drift
            if self._q("SELECT 1 FROM {s}.stamps WHERE stamp = %s", (stamp,)).fetchone() is None:
                self._q(
                    "INSERT INTO {s}.stamps VALUES (%s, 0, %s, %s) ON CONFLICT DO NOTHING",
                    (stamp, str(uuid.uuid4()), STATE_FORMAT_VERSION),
                )
        except psycopg.Error as exc:
            self._db.close()
            raise FabricError(f"PostgreSQL state: {_first_line(exc)}") from None

    def _sql(self, text: str) -> sql.Composed:
        return sql.SQL(text).format(s=sql.Identifier(self._schema))

    def _q(self, text: str, params: tuple[Any, ...] = ()) -> psycopg.Cursor[Any]:
        return self._db.execute(self._sql(text), params)

    def _ensure_tables(self) -> None:
        migrated, journal, oplog = self._db.execute(
            "SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = %s "
            "AND table_name = 'stamps' AND column_name = 'migrated_to'), "
            "to_regclass(format('%%I.pending', %s::text)) IS NOT NULL, "
            "to_regclass(format('%%I.dr_operations', %s::text)) IS NOT NULL",
            (self._schema, self._schema, self._schema),
        ).fetchone() or (False, False, False)
        self._journal = bool(journal)
        self._oplog = bool(oplog)
        if migrated and journal and oplog:  # current tables: nothing to do, and no lock taken
            return
        try:
            # creating tables concurrently can collide in the catalog; a transaction-scoped lock on
            # the schema serialises only this one-time setup, never a stamp's runs
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key(self._schema, ""),))
                self._db.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {s}").format(s=sql.Identifier(self._schema)))
                self._db.execute(self._sql(TABLES))
                # tables made by an earlier version lack what was added since
                self._db.execute(self._sql("ALTER TABLE {s}.stamps ADD COLUMN IF NOT EXISTS migrated_to text"))
                self._db.execute(self._sql("ALTER TABLE {s}.dr_operations ADD COLUMN IF NOT EXISTS seq bigserial"))
        except psycopg.errors.InsufficientPrivilege:
            if not migrated:
                raise
            # a read-only role on tables an earlier version made: it can plan, show and drift; no
            # run wrote a journal there (writing one creates the table), so there is none to settle
            return
        self._journal = True
        self._oplog = True

    def read(self) -> StateSnapshot:
        """All of this stamp's entries at the current serial."""
        with _reported(), self._mutex:
            meta = self._q("SELECT serial, lineage FROM {s}.stamps WHERE stamp = %s", (self._stamp,)).fetchone()
            rows = self._q(
                "SELECT address, kind, live_id, attributes::text, serial, protected FROM {s}.resources "
                "WHERE stamp = %s",
                (self._stamp,),
            ).fetchall()
        entries = {r[0]: StateEntry(r[0], r[1], r[2], LazyJson(r[3]), r[4], r[5]) for r in rows}
        serial, lineage = meta if meta else (0, "")
        return StateSnapshot(int(serial), str(lineage), entries)

    @contextmanager
    def _transaction(self) -> Iterator[int]:
        with _reported(), self._mutex, self._db.transaction():
            row = self._q(
                "UPDATE {s}.stamps SET serial = serial + 1 WHERE stamp = %s RETURNING serial", (self._stamp,)
            ).fetchone()
            assert row is not None
            yield int(row[0])

    def _log(self, serial: int, address: str, event: str, live_id: str) -> None:
        held = self._held
        self._q(
            "INSERT INTO {s}.history (stamp, serial, lock_id, operation, address, event, live_id) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (self._stamp, serial, held.id if held else "", held.operation if held else "", address, event, live_id),
        )

    def record(self, entry: StateEntry, forget: str | None = None) -> int:
        """Upsert one entry (dropping `forget`), bump the serial and log it, in one committed transaction."""
        attributes = stored_attributes(entry)
        with self._transaction() as serial:
            self._q(
                "INSERT INTO {s}.resources VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (stamp, address) "
                "DO UPDATE SET kind = excluded.kind, live_id = excluded.live_id, attributes = excluded.attributes, "
                "serial = excluded.serial, protected = excluded.protected",
                (self._stamp, entry.address, entry.kind, entry.live_id, attributes, serial, entry.protected),
            )
            self._log(serial, entry.address, "record", entry.live_id)
            settled = [entry.address]
            if forget is not None:
                self._q("DELETE FROM {s}.resources WHERE stamp = %s AND address = %s", (self._stamp, forget))
                settled.append(forget)
            self._settle(settled)
        return serial

    def forget(self, address: str) -> int:
        """Remove one entry and its pending operation, bump the serial and log it."""
        with self._transaction() as serial:
            self._q("DELETE FROM {s}.resources WHERE stamp = %s AND address = %s", (self._stamp, address))
            self._log(serial, address, "forget", "")
            self._settle([address])
        return serial

    def _settle(self, addresses: list[str]) -> None:
        if self._journal:
            self._q("DELETE FROM {s}.pending WHERE stamp = %s AND address = ANY(%s)", (self._stamp, addresses))

    def begin(self, operation: PendingOperation) -> None:
        """Journal an operation before the provider runs it (committed when this returns)."""
        if not self._journal:
            raise FabricError(
                "PostgreSQL state: the pending-operations table is missing; run once with a role that may create tables"
            )
        held = self._held
        with _reported(), self._mutex:
            self._q(
                "INSERT INTO {s}.pending (stamp, address, kind, operation, live_id, attributes, moved_from, protected, "
                "lock_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (stamp, address) DO UPDATE SET "
                "kind = excluded.kind, operation = excluded.operation, live_id = excluded.live_id, "
                "attributes = excluded.attributes, moved_from = excluded.moved_from, protected = excluded.protected, "
                "lock_id = excluded.lock_id, at = now()",
                (
                    self._stamp,
                    operation.address,
                    operation.kind,
                    operation.operation,
                    operation.live_id,
                    stored_attributes(operation),
                    operation.moved_from,
                    operation.protected,
                    held.id if held else "",
                ),
            )

    def clear_pending(self, address: str) -> None:
        """Drop the pending operation of `address`."""
        if not self._journal:
            return
        with _reported(), self._mutex:
            self._q("DELETE FROM {s}.pending WHERE stamp = %s AND address = %s", (self._stamp, address))

    def pending(self) -> list[PendingOperation]:
        """The journal of this stamp, by address."""
        if not self._journal:
            return []
        with _reported(), self._mutex:
            try:
                rows = self._q(
                    "SELECT address, kind, operation, live_id, attributes::text, moved_from, protected, lock_id, "
                    "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS+00:00') FROM {s}.pending "
                    "WHERE stamp = %s ORDER BY address",
                    (self._stamp,),
                ).fetchall()
            except psycopg.errors.InsufficientPrivilege:
                # a reader granted SELECT before the table existed: it plans as if no run had been
                # interrupted; the next apply (which holds the lock, with a role that may write) settles it
                return []
        return [PendingOperation(r[0], r[1], r[2], r[3], json.loads(r[4]), r[5], bool(r[6]), r[7], r[8]) for r in rows]

    def held(self) -> LockInfo | None:
        """The lock this connection's session holds."""
        return self._held

    def live_lock_id(self) -> str | None:
        """The ID of the lock a live session holds (PostgreSQL drops a dead session's lock)."""
        holder = self.lock_holder()
        return holder.id if holder else None

    def mark_migrated(self, to: str) -> None:
        """Remember that this stamp's state moved to `to`."""
        with _reported(), self._mutex:
            self._q("UPDATE {s}.stamps SET migrated_to = %s WHERE stamp = %s", (to, self._stamp))

    def migrated_to(self) -> str | None:
        """Where this stamp's state moved, if it did."""
        with _reported(), self._mutex:
            row = self._q("SELECT migrated_to FROM {s}.stamps WHERE stamp = %s", (self._stamp,)).fetchone()
        return str(row[0]) if row and row[0] else None

    def log_operation(self, operation: DrOperation) -> None:
        """Write one entry of the DR operation log (committed when this returns)."""
        if not self._oplog:
            raise FabricError(
                "PostgreSQL state: the DR operation log's table is missing; run once with a role that may create tables"
            )
        detail = json.dumps({"steps": list(operation.steps), "vms": dict(operation.vms)}, sort_keys=True)
        with _reported(), self._mutex:
            self._q(
                "INSERT INTO {s}.dr_operations (stamp, id, started, ended, operation, plan, kind, direction, outcome, "
                "operator, lock_id, detail) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (stamp, id) DO UPDATE SET ended = excluded.ended, outcome = excluded.outcome, "
                "detail = excluded.detail",
                (
                    self._stamp,
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
        """The DR operation log, newest first (`limit` None: all of it); none where a read-only role
        meets tables made before the log existed."""
        if not self._oplog:
            return []
        with _reported(), self._mutex:
            rows = self._q(
                "SELECT id, operation, plan, kind, direction, outcome, started, ended, operator, lock_id, detail "
                "FROM {s}.dr_operations WHERE stamp = %s ORDER BY seq DESC LIMIT %s",
                (self._stamp, limit),
            ).fetchall()
        out = []
        for row in rows:
            detail = row[10] if isinstance(row[10], dict) else json.loads(row[10])
            out.append(operation_from_row(row, detail))
        return out

    def history(self, limit: int = 50) -> list[HistoryEvent]:
        """The latest changes, newest first."""
        with _reported(), self._mutex:
            rows = self._q(
                "SELECT serial, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS+00:00'), lock_id, "
                "operation, address, event, live_id FROM {s}.history WHERE stamp = %s ORDER BY serial DESC LIMIT %s",
                (self._stamp, limit),
            ).fetchall()
        return [HistoryEvent(*row) for row in rows]

    def load(self, snapshot: StateSnapshot) -> None:
        """Fill this stamp's (empty) state with `snapshot`, keeping its lineage and serial."""
        with _reported(), self._mutex, self._db.transaction():
            count = self._q("SELECT count(*) FROM {s}.resources WHERE stamp = %s", (self._stamp,)).fetchone()
            if count and count[0]:
                raise FabricError("the target state is not empty; refusing to overwrite it")
            used = self._q("SELECT serial FROM {s}.stamps WHERE stamp = %s", (self._stamp,)).fetchone()
            if used and used[0]:
                raise FabricError(f"the target state has a history (serial {used[0]}); refusing to overwrite it")
            with self._db.cursor() as cursor:
                cursor.executemany(
                    self._sql("INSERT INTO {s}.resources VALUES (%s, %s, %s, %s, %s, %s, %s)"),
                    [
                        (
                            self._stamp,
                            e.address,
                            e.kind,
                            e.live_id,
                            stored_attributes(e),
                            e.serial,
                            e.protected,
                        )
                        for e in snapshot.entries.values()
                    ],
                )
            self._q(
                "UPDATE {s}.stamps SET serial = %s, lineage = %s, migrated_to = NULL WHERE stamp = %s",
                (snapshot.serial, snapshot.lineage, self._stamp),
            )
            self._log(snapshot.serial, "*", "migrate", "")

    def _try_lock(self) -> bool:
        with _reported(), self._mutex:
            row = self._db.execute("SELECT pg_try_advisory_lock(%s)", (self._key,)).fetchone()
        return bool(row and row[0])

    @contextmanager
    def lock(self, operation: str) -> Iterator[LockInfo]:
        """The stamp's advisory lock, held by this connection's session."""
        deadline = time.monotonic() + self._lock_timeout
        told = False
        while not self._try_lock():
            if time.monotonic() >= deadline:
                holder = self.lock_holder()
                raise StateLockedError(locked_message(holder, "another session"))
            if self.on_wait is not None and not told:
                told = True
                self.on_wait(self.lock_holder(), self._lock_timeout)
            time.sleep(0.1)
        info = LockInfo.mine(operation)
        try:
            with _reported(), self._mutex:
                self._q(
                    "INSERT INTO {s}.locks VALUES (%s, %s, %s, %s, %s, %s, pg_backend_pid()) ON CONFLICT (stamp) "
                    "DO UPDATE SET id = excluded.id, pid = excluded.pid, host = excluded.host, "
                    "started = excluded.started, operation = excluded.operation, backend_pid = excluded.backend_pid",
                    (self._stamp, info.id, info.pid, info.host, info.started, info.operation),
                )
            self._held = info
            yield info
        finally:
            self._held = None
            self._release(info)

    def _release(self, info: LockInfo) -> None:
        try:
            with self._mutex:
                self._q("DELETE FROM {s}.locks WHERE stamp = %s AND id = %s", (self._stamp, info.id))
                self._db.execute("SELECT pg_advisory_unlock(%s)", (self._key,))
        except psycopg.Error:
            pass  # the session is gone (force-unlocked, network lost), and with it the lock

    def _holder_row(self) -> tuple[LockInfo, int] | None:
        with _reported(), self._mutex:
            row = self._q(
                "SELECT l.id, l.pid, l.host, l.started, l.operation, l.backend_pid FROM {s}.locks l "
                "JOIN pg_locks p ON p.pid = l.backend_pid AND p.locktype = 'advisory' AND p.granted "
                "AND p.classid::bigint = %s AND p.objid::bigint = %s AND p.objsubid = 1 WHERE l.stamp = %s",
                ((self._key >> 32) & 0xFFFFFFFF, self._key & 0xFFFFFFFF, self._stamp),
            ).fetchone()
        if row is None:
            return None
        return LockInfo(row[0], row[1], row[2], row[3], row[4]), int(row[5])

    def lock_holder(self) -> LockInfo | None:
        """Who holds the stamp's lock now (a note left by a dead session does not count)."""
        found = self._holder_row()
        return found[0] if found else None

    def holder_alive(self) -> str | None:
        """Why the lock's holder looks alive: its process runs on this host, or its database session
        is running a query or ran one in the last ACTIVE_SECONDS (None if it looks stuck or gone)."""
        found = self._holder_row()
        if found is None:
            return None
        holder, backend_pid = found
        if process_alive(holder):
            return f"its process (pid {holder.pid}) is running on this host"
        with _reported(), self._mutex:
            row = self._db.execute(
                "SELECT state, EXTRACT(EPOCH FROM now() - state_change) FROM pg_stat_activity WHERE pid = %s",
                (backend_pid,),
            ).fetchone()
        if row is None:
            return None
        state, idle = row[0], float(row[1] or 0.0)
        if state == "active":
            return "its database session is running a query"
        if idle < ACTIVE_SECONDS:
            return f"its database session was active {idle:.0f} s ago"
        return None

    def force_unlock(self, lock_id: str) -> LockInfo:
        """End the database session that holds the lock `lock_id`; PostgreSQL then releases it."""
        found = self._holder_row()
        if found is None:
            raise FabricError("the state is not locked")
        holder, backend_pid = found
        if holder.id != lock_id:
            raise FabricError(f"lock id {lock_id} is not the current lock; the state is locked by {holder.describe()}")
        with _reported(), self._mutex:
            self._db.execute("SELECT pg_terminate_backend(%s)", (backend_pid,))
            self._q("DELETE FROM {s}.locks WHERE stamp = %s AND id = %s", (self._stamp, lock_id))
        return holder

    def close(self) -> None:
        """Close the connection (which also releases any lock it still holds)."""
        self._db.close()
