"""Problems that cause other problems: what loading dropped, and findings that follow from it.

When a resource cannot be loaded, every reference to it and every rule that needed it would
complain too. Loading records what it dropped (`Cascade`): addresses declared but invalid,
with where their problem is reported, and kinds that may be missing resources whose
addresses are not even known (a file that is not valid YAML, a `for_each` that failed).
Validation then words such follow-ons as such (`refers to host_group.X, which is invalid
(see above)`) and marks them `FollowOn`, so they are listed right after their cause.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fabric.errors import SourceLocation
from fabric.model.stamp import Finding

ANY_KIND = "*"


@dataclass(frozen=True)
class FollowOn(Finding):
    """A finding that follows from another problem, reported at `cause` (listed right after it)."""

    cause: SourceLocation | None = None


@dataclass(frozen=True)
class Dropped(Finding):
    """An expansion problem that kept resources out of the stamp.

    `declared`: the address the resource would have had ('' when not even that is known);
    `kinds`: then, the kinds the dropped resources may be of (empty = any kind).
    """

    declared: str = ""
    kinds: frozenset[str] = frozenset()


@dataclass
class Cascade:
    """What loading dropped, for validation to tell follow-on problems from causes."""

    invalid: dict[str, SourceLocation] = field(default_factory=dict)  # address → where its problem is
    lost: dict[str, SourceLocation] = field(default_factory=dict)  # kind (ANY_KIND) → what dropped some
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)  # invalid address → attributes as written
    _indexes: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict, repr=False)

    def add_invalid(self, address: str, where: SourceLocation) -> None:
        """Record a declared-but-invalid address; its earliest problem is the cause."""
        known = self.invalid.get(address)
        if known is None or where < known:
            self.invalid[address] = where

    def add_lost(self, kinds: frozenset[str], where: SourceLocation) -> None:
        """Record that resources of `kinds` (empty = any) were dropped by the problem at `where`."""
        for kind in kinds or {ANY_KIND}:
            known = self.lost.get(kind)
            if known is None or where < known:
                self.lost[kind] = where

    def lost_cause(self, kind: str) -> SourceLocation | None:
        """Where resources of `kind` may have been dropped without their addresses (None: nowhere)."""
        found = [w for w in (self.lost.get(kind), self.lost.get(ANY_KIND)) if w is not None]
        return min(found) if found else None

    def invalid_with(self, kind: str, attribute: str, value: str) -> tuple[str, SourceLocation] | None:
        """A declared-but-invalid resource of `kind` whose `attribute` was written as `value`, if any."""
        index = self._indexes.get((kind, attribute))
        if index is None:  # built once per (kind, attribute), on the first question
            index = self._indexes[(kind, attribute)] = {}
            prefix = kind + "."
            for address in sorted(self.bodies):
                written = self.bodies[address].get(attribute)
                if address.startswith(prefix) and isinstance(written, str):
                    index.setdefault(written, address)
        found = index.get(value)
        return (found, self.invalid[found]) if found is not None else None
