"""State values: `StateEntry` and `StateSnapshot`, what the planner reads. No I/O here.

Storage and locking live in `fabric.state`; this module sits low so the planner can use
the values without depending on any backend.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class StateEntry:
    """One managed object: address, kind, live ID and the attributes fabric applied."""

    address: str
    kind: str
    live_id: str
    attributes: Mapping[str, Any]
    serial: int = 0
    protected: bool = False  # lifecycle.prevent_destroy when last applied

    def holds_redacted(self) -> bool:
        """True if a secret was stored as `(sensitive)` in these attributes (cheap on stored state)."""
        raw = getattr(self.attributes, "raw_text", None)
        text = raw if isinstance(raw, str) else json.dumps(dict(self.attributes))
        return '"(sensitive)"' in text

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "address": self.address,
            "kind": self.kind,
            "live_id": self.live_id,
            "serial": self.serial,
            "protected": self.protected,
            "attributes": dict(self.attributes),
        }


@dataclass(frozen=True)
class StateSnapshot:
    """All entries at one serial (the serial grows with every recorded change)."""

    serial: int = 0
    lineage: str = ""
    entries: Mapping[str, StateEntry] = field(default_factory=dict)
