"""The state backend protocol and the values it exchanges."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

from fabric.secrets import redact_value
from fabric.snapshot import StateEntry, StateSnapshot
from fabric.state.lock import LockInfo, WaitNotice

STATE_FORMAT_VERSION = 1


@dataclass(frozen=True)
class HistoryEvent:
    """One recorded change to state: which serial, when, under which lock, what happened."""

    serial: int
    at: str
    lock_id: str
    operation: str
    address: str
    event: str  # "record", "forget" or "migrate"
    live_id: str


@dataclass(frozen=True)
class PendingOperation:
    """A provider operation fabric is about to run, in the journal of pending operations.

    The executor writes it before the provider call; the transaction that records (or forgets)
    the operation's result removes it. One left behind means the run died in between: the next
    run settles it (`fabric.apply.reconcile`). At most one per address: an address's operations
    run one after the other.
    """

    address: str
    kind: str
    operation: str  # create | update | delete | detach
    live_id: str = ""  # the object's ID ('' for a create)
    # what the operation applies, stored as state stores attributes (secrets as `(sensitive)`)
    attributes: Mapping[str, Any] = field(default_factory=dict)
    moved_from: str | None = None  # a moved resource's old address, forgotten when the result is recorded
    protected: bool = False  # lifecycle.prevent_destroy, recorded with the result
    lock_id: str = ""  # the lock of the run that wrote it (set by the backend)
    at: str = ""  # when it was written (set by the backend)


@dataclass(frozen=True)
class DrOperation:
    """One disaster-recovery operation in the operation log, beside state's history: what ran
    (drill, failover, commit, reprotect, failback, cleanup) on which plan, its type and direction,
    when, by whom, under which lock, how it ended, and per step and VM what happened."""

    id: str
    operation: str
    plan: str
    kind: str  # test | planned | unplanned, or "" for commit, reprotect, cleanup
    direction: str
    outcome: str  # running | completed | stopped | aborted | failed
    started: str
    ended: str = ""
    operator: str = ""
    lock_id: str = ""
    steps: tuple[Mapping[str, Any], ...] = ()
    vms: Mapping[str, Any] = field(default_factory=dict)


def operation_from_row(row: Sequence[Any], detail: Mapping[str, Any]) -> DrOperation:
    """An operation log entry from its columns (id, operation, plan, kind, direction, outcome,
    started, ended, operator, lock_id) and its detail (steps, vms)."""
    text = [str(v) for v in row[:10]]
    return DrOperation(
        text[0],
        text[1],
        text[2],
        text[3],
        text[4],
        text[5],
        text[6],
        text[7],
        text[8],
        text[9],
        steps=tuple(detail.get("steps", [])),
        vms=dict(detail.get("vms", {})),
    )


class StateBackend(Protocol):
    """Where state lives. `record`/`forget`/`begin` must be durable when they return."""

    name: str
    on_wait: WaitNotice | None  # told once (holder, timeout) when lock() starts waiting

    def read(self) -> StateSnapshot:
        """The current state."""
        ...

    def record(self, entry: StateEntry, forget: str | None = None) -> int:
        """Insert or replace an entry (and remove `forget`, a moved entry's old address, in the
        same transaction, with any pending operation of either address); return the new serial."""
        ...

    def forget(self, address: str) -> int:
        """Remove an entry (and any pending operation of its address); return the new serial."""
        ...

    def begin(self, operation: PendingOperation) -> None:
        """Journal an operation about to run on the provider (replacing any earlier one of its
        address), with the lock this backend holds; the serial does not change."""
        ...

    def clear_pending(self, address: str) -> None:
        """Drop the pending operation of `address` without touching its entry (it failed, or
        reconciliation found nothing to write)."""
        ...

    def pending(self) -> list[PendingOperation]:
        """The journal: operations begun and never recorded, by address."""
        ...

    def held(self) -> LockInfo | None:
        """The lock this backend holds now (None if it holds none)."""
        ...

    def live_lock_id(self) -> str | None:
        """The ID of the lock a live process holds now (None if the lock is free or only a dead
        holder's note is left): pending operations written under it are in flight, not interrupted."""
        ...

    def lock(self, operation: str) -> AbstractContextManager[LockInfo]:
        """Hold the stamp's lock (waiting up to the backend's timeout), else StateLockedError."""
        ...

    def lock_holder(self) -> LockInfo | None:
        """Who holds the stamp's lock now (None if nobody)."""
        ...

    def holder_alive(self) -> str | None:
        """Why the current lock holder looks alive (None if nobody holds the lock or it looks gone)."""
        ...

    def force_unlock(self, lock_id: str) -> LockInfo:
        """Release a lock held by another process, if `lock_id` is its ID."""
        ...

    def history(self, limit: int = 50) -> list[HistoryEvent]:
        """The latest changes to state, newest first."""
        ...

    def log_operation(self, operation: DrOperation) -> None:
        """Write (or rewrite, by its ID) one entry of the DR operation log, durably."""
        ...

    def operations(self, limit: int | None = 50) -> list[DrOperation]:
        """The DR operation log, newest first (`limit` None: all of it)."""
        ...

    def load(self, snapshot: StateSnapshot) -> None:
        """Fill an empty state with `snapshot` (lineage and serial kept); FabricError if not empty."""
        ...

    def mark_migrated(self, to: str) -> None:
        """Record that this state was copied to backend `to` and must no longer be written."""
        ...

    def migrated_to(self) -> str | None:
        """The backend this state was migrated to, if it was."""
        ...

    def close(self) -> None:
        """Release resources."""
        ...


def stored_attributes(entry: StateEntry | PendingOperation) -> str:
    """An entry's (or a pending operation's) attributes as every backend stores them: sorted JSON,
    secrets redacted."""
    return json.dumps(redact_value(dict(entry.attributes)), sort_keys=True)
