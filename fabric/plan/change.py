"""`Change` and `Plan`: the in-memory plan. Its file/JSON form lives in `fabric.render.jsonplan`.

`before`/`after` by action: CREATE before=None; DELETE after=None; UPDATE and REPLACE both
set; NOOP both set and equal. Both hold canonical attributes with references as addresses.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from fabric import secrets
from fabric.plan.action import Action
from fabric.plan.reason import Why


@dataclass(frozen=True)
class Change:
    """One resource's planned change."""

    address: str
    kind: str
    name: str
    action: Action
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
    changed_paths: tuple[str, ...] = ()
    live_id: str | None = None
    why: tuple[Why, ...] = ()  # the reasons, as data (`fabric.plan.reason`); in words: `reason`
    adopt: bool = False
    depends_on: tuple[str, ...] = ()
    old_depends_on: tuple[str, ...] = ()
    moved_from: str | None = None
    protected: bool = False
    rejoins: tuple[str, ...] = ()  # replaced members this update leaves before their delete, rejoins after
    takes_over: bool = False  # adopts a live object no stamp created (shown as Action.ADOPT)
    owner_tag: bool = False  # apply writes this stamp's ownership tag onto the object
    refusal: str = ""  # why this change must not be applied (another stamp's object, an adoption that destroys)
    # path → value fabric last applied, where the live object differs from it (changed outside fabric)
    changed_outside: Mapping[str, Any] = field(default_factory=dict)
    # what the live object reports that is neither desired nor drift (a protected VM's replication)
    posture: Mapping[str, Any] | None = None
    # state's record of it names a `moved:` resource by its old address: apply records it anew
    renames_refs: bool = False

    @property
    def reason(self) -> str:
        """The reasons in words, as plans print them (made by `fabric.render.reasons`)."""
        if not self.why:
            return ""
        from fabric.render.reasons import reason_text  # words are made in render/, from the data

        return reason_text(self.why)

    def because(self, *why: Why) -> Change:
        """This change with more reasons."""
        return replace(self, why=(*self.why, *why))

    @property
    def shown(self) -> Action:
        """The action as plans show and count it: a take-over is ADOPT (applied as the no-op or
        update it also is, plus the ownership tag); everything else is its own action."""
        if self.takes_over and self.action in (Action.NOOP, Action.UPDATE):
            return Action.ADOPT
        return self.action

    @property
    def records_state(self) -> bool:
        """True if applying this change touches the provider or state."""
        return self.action is not Action.NOOP or self.adopt or self.moved_from is not None or self.owner_tag


@dataclass(frozen=True)
class Plan:
    """Every change for a stamp, sorted by address, and what it was made against."""

    stamp: str
    changes: tuple[Change, ...]
    state_serial: int = 0
    destroy: bool = False
    state_lineage: str = ""
    notes: tuple[str, ...] = field(default=())

    def redacted(self) -> Plan:
        """This plan for output: secret values replaced by `(sensitive)` (itself if there are none)."""
        if not secrets.active():
            return self
        changes = tuple(
            replace(
                c,
                before=secrets.redact_value(secrets.redact_like(c.before, c.after)),
                # where the live value is a secret, so is what is kept of it (ignore_changes)
                after=secrets.redact_value(secrets.redact_like(c.after, c.before)),
            )
            for c in self.changes
        )
        return replace(self, changes=changes)

    def reinitialised(self) -> dict[str, list[str]]:
        """Each cloud pairing this plan replaces → the protected VMs replaced with it: their
        protection is disabled, and each starts a full initial replication again."""
        out: dict[str, list[str]] = {}
        for pairing in self.changes:
            if pairing.kind == "cloud_pairing" and pairing.action is Action.REPLACE:
                out[pairing.address] = [
                    c.address
                    for c in self.changes
                    if c.kind == "protected_vm"
                    and c.action is Action.REPLACE
                    and any(pairing.address in w.subjects for w in c.why)
                ]
        return out

    def summary(self) -> dict[str, int]:
        """Counts per action, keys as in the JSON plan."""
        counts = Counter(c.shown for c in self.changes)
        return {
            "create": counts[Action.CREATE],
            "adopt": counts[Action.ADOPT],
            "update": counts[Action.UPDATE],
            "replace": counts[Action.REPLACE],
            "delete": counts[Action.DELETE],
            "forget": counts[Action.FORGET],
            "no_op": counts[Action.NOOP],
        }

    @property
    def has_changes(self) -> bool:
        """True if applying would change the provider or state."""
        return any(c.records_state for c in self.changes)

    def by_address(self) -> dict[str, Change]:
        """Changes keyed by address."""
        return {c.address: c for c in self.changes}
