"""The state backend protocol and the values it exchanges."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol

STATE_FORMAT_VERSION = 1


@dataclass(frozen=True)
class StateEntry:
    """One managed object: address, kind, live ID and the attributes fabric applied."""

    address: str
    kind: str
    live_id: str
    attributes: Mapping[str, Any]
    serial: int = 0

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"address": self.address, "kind": self.kind, "live_id": self.live_id,
                "serial": self.serial, "attributes": dict(self.attributes)}


@dataclass(frozen=True)
class StateSnapshot:
    """All entries at one serial (the serial grows with every recorded change)."""

    serial: int = 0
    lineage: str = ""
    entries: Mapping[str, StateEntry] = field(default_factory=dict)


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
