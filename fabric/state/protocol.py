"""The state backend protocol and the values it exchanges."""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Protocol

from fabric.secrets import redact_value
from fabric.snapshot import StateEntry, StateSnapshot
from fabric.state.lock import LockInfo

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


class StateBackend(Protocol):
    """Where state lives. `record`/`forget` must be durable when they return."""

    name: str

    def read(self) -> StateSnapshot:
        """The current state."""
        ...

    def record(self, entry: StateEntry, forget: str | None = None) -> int:
        """Insert or replace an entry (and remove `forget`, a moved entry's old address, in the
        same transaction); return the new serial."""
        ...

    def forget(self, address: str) -> int:
        """Remove an entry; return the new serial."""
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


def stored_attributes(entry: StateEntry) -> str:
    """An entry's attributes as every backend stores them: sorted JSON, secrets redacted."""
    return json.dumps(redact_value(dict(entry.attributes)), sort_keys=True)
