"""The state backend protocol and the values it exchanges."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Protocol

from fabric.snapshot import StateEntry, StateSnapshot

STATE_FORMAT_VERSION = 1


class StateBackend(Protocol):
    """Where state lives. `record`/`forget` must be durable when they return."""

    def read(self) -> StateSnapshot:
        """The current state."""
        ...

    def record(self, entry: StateEntry) -> int:
        """Insert or replace an entry; return the new serial."""
        ...

    def forget(self, address: str) -> int:
        """Remove an entry; return the new serial."""
        ...

    def lock(self, operation: str) -> AbstractContextManager[None]:
        """Hold the stamp's lock; raise StateLockedError at once if another process holds it."""
        ...

    def close(self) -> None:
        """Release resources."""
        ...
