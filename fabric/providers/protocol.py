"""The provider protocol: read the inventory, create, update, delete, declare immutables.

Attributes passed in and out are the canonical attribute dicts of `fabric.model`, with
references as live IDs. Plug-ins import only this module, `fabric.inventory` and
`fabric.model`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from fabric.inventory import Inventory, ObservedObject


@runtime_checkable
class Provider(Protocol):
    """What the engine needs from a provider. Methods may be called from worker threads."""

    name: str

    def read_inventory(self) -> Inventory:
        """Every live object of the managed kinds, in one round trip."""
        ...

    def immutable_attributes(self, kind: str) -> frozenset[str]:
        """Top-level attributes of `kind` that cannot change in place (→ replace)."""
        ...

    def is_built_in(self, kind: str, name: str) -> bool:
        """True if the server ships this object: fabric may adopt it but never deletes it."""
        ...

    def create(self, address: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """Create an object; return it as observed (with its new ID)."""
        ...

    def update(self, address: str, live_id: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        """Bring an object to `attributes` (the whole desired dict); return it as observed."""
        ...

    def delete(self, address: str, live_id: str, kind: str) -> None:
        """Delete an object."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class ProviderFactory(Protocol):
    """Builds a provider for a stamp from its `provider:` settings."""

    def __call__(self, stamp_dir: Path, settings: Mapping[str, Any], work_dir: Path) -> Provider:
        """`work_dir` is the stamp's `.fabric` directory (or `--state-dir`)."""
        ...


@runtime_checkable
class ScriptWriter(Protocol):
    """A provider that can write a whole plan as one script for a person to review and run."""

    def plan_script(self, stamp: str, steps: Sequence[Mapping[str, Any]], live_ids: Mapping[str, str]) -> str:
        """One script for `steps` (in order): each {op, address, kind, attributes, live_id,
        changed_paths, changes, reason} (the last three for the script's header; `changes` is the
        structured diff of `fabric.plan.diff.Entry.to_json`).

        `attributes` hold references as addresses; `live_ids` maps the addresses that exist
        already to their IDs (the others are created earlier in the same script).
        """
        ...
