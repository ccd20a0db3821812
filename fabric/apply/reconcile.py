"""Settling the operations an interrupted run left in the journal of pending operations.

The executor journals each provider operation before it calls the provider, and the state
write that records (or forgets) the result removes the journal entry in the same transaction.
An entry still there at the start of a run means the run that wrote it died between VMM's
commit and fabric's state write — or before the call reached VMM: the live object tells which.

`reconcile` is pure: state, journal and live inventory in, what to write and what to say out.
`settle` runs it at the start of every command that plans, writing the result when the command
holds the lock, and otherwise only planning as if it were written.

| operation | live object | result |
|---|---|---|
| update, detach | matches the attributes it applied | recorded with them |
| update, detach | matches what state holds | nothing to write (it never reached VMM) |
| update, detach | matches neither, or is gone | nothing to write; reported |
| delete | gone | forgotten |
| delete | still there | nothing to write; reported |
| create | an object of its kind, scope and name carrying this stamp's tag | recorded (adopted) |
| create | none | nothing to write (it never reached VMM) |
| create | one without this stamp's tag | nothing to write; reported (the plan decides) |

Every entry is cleared once it is settled, so each is reported once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import map_refs, scope_value
from fabric.model.resources import KINDS, fill_computed
from fabric.plan.diff import changed_paths
from fabric.plan.liveview import LiveView
from fabric.secrets import REDACTED, redact_like
from fabric.snapshot import StateEntry, StateSnapshot
from fabric.state.protocol import PendingOperation, StateBackend


class Outcome(StrEnum):
    """What settling one pending operation writes."""

    RECORD = "record"  # the operation reached VMM: record its result in state
    FORGET = "forget"  # a delete reached VMM: forget the entry
    CLEAR = "clear"  # nothing to write in state: only drop the journal entry


@dataclass(frozen=True)
class Settlement:
    """One pending operation settled: the write it needs and the line that tells the user."""

    address: str
    outcome: Outcome
    message: str
    entry: StateEntry | None = None  # RECORD: the entry to record
    moved_from: str | None = None  # RECORD: a moved resource's old address, forgotten in the same write


@dataclass(frozen=True)
class Reconciliation:
    """Every pending operation settled, in the order they are to be written."""

    settlements: tuple[Settlement, ...] = ()

    @property
    def messages(self) -> list[str]:
        """One line per pending operation, for the user."""
        return [s.message for s in self.settlements]

    def view(self, snapshot: StateSnapshot) -> StateSnapshot:
        """`snapshot` as it will be once the settlements are written (same serial): what a run that
        holds no lock plans against."""
        entries = dict(snapshot.entries)
        for s in self.settlements:
            if s.outcome is Outcome.RECORD and s.entry is not None:
                if s.moved_from is not None:
                    entries.pop(s.moved_from, None)
                entries[s.address] = s.entry
            elif s.outcome is Outcome.FORGET:
                entries.pop(s.address, None)
        return StateSnapshot(snapshot.serial, snapshot.lineage, entries)


_WRITTEN = {Outcome.RECORD: "recorded it in state", Outcome.FORGET: "removed it from state"}
_NOT_WRITTEN = {
    Outcome.RECORD: "taken into account here; the next apply (or plan --lock) records it in state",
    Outcome.FORGET: "taken into account here; the next apply (or plan --lock) removes it from state",
}


def reconcile(
    stamp: str,
    snapshot: StateSnapshot,
    pending: Sequence[PendingOperation],
    inventory: Inventory,
    *,
    moves: Mapping[str, str] | None = None,
    written: bool = True,
) -> Reconciliation:
    """Settle each pending operation against the live inventory (`Inventory.owned()`: plain
    descriptions, owners from tags); see the module docstring for the rules.

    `moves`: old → new address of `moved` blocks, so references to a moved resource compare
    equal; `written`: whether the result will be written (else the messages say it is not yet).
    """
    done = _Settler(stamp, snapshot, inventory, moves or {}, written)
    # creates last, each adopted object known before the next: in-flight creates never scope one
    # another (a create waits for its scope's to be recorded), but the order costs nothing
    out = [done.existing(p) for p in pending if p.operation != "create"]
    out += [done.create(p) for p in pending if p.operation == "create"]
    return Reconciliation(tuple(out))


def settle(
    state: StateBackend,
    inventory: Callable[[], Inventory],
    stamp: str,
    moves: Mapping[str, str] | None = None,
) -> tuple[StateSnapshot, list[str]]:
    """Reconcile the journal at the start of a run; the state to plan against and the messages.

    Holding the lock, the settlements are written (each in one transaction with its journal
    entry's removal) and state is read again. Without it nothing is written — a plan that takes
    no lock may run beside an apply, or with a role that may only read: it plans against the
    state as it will be written, and leaves out the operations of a run that holds the lock now
    (they are in flight, not interrupted). `inventory` is read only if the journal is not empty.
    """
    pending = state.pending()
    snapshot = state.read()
    if not pending:
        return snapshot, []
    writes = state.held() is not None
    if not writes:
        running = state.live_lock_id()
        pending = [p for p in pending if running is None or p.lock_id != running]
        if not pending:
            return snapshot, []
    result = reconcile(stamp, snapshot, pending, inventory(), moves=moves, written=writes)
    if not writes:
        return result.view(snapshot), result.messages
    for s in result.settlements:
        if s.outcome is Outcome.RECORD and s.entry is not None:
            state.record(s.entry, forget=s.moved_from)
        elif s.outcome is Outcome.FORGET:
            state.forget(s.address)
        else:
            state.clear_pending(s.address)
    return state.read(), result.messages


class _Settler:
    def __init__(
        self, stamp: str, snapshot: StateSnapshot, inventory: Inventory, moves: Mapping[str, str], written: bool
    ) -> None:
        self.stamp = stamp
        self.snapshot = snapshot
        self.inventory = inventory
        self.written = written
        self.ids = {moves.get(a, a): e.live_id for a, e in snapshot.entries.items()}  # address → live ID
        self.live = LiveView(inventory, {i: a for a, i in self.ids.items()})
        self._identities: dict[tuple[str, str, str], list[ObservedObject]] | None = None

    def _done(self, outcome: Outcome) -> str:
        return (_WRITTEN if self.written else _NOT_WRITTEN)[outcome]

    def existing(self, p: PendingOperation) -> Settlement:
        """An update, detach or delete of an object state knows by its live ID."""
        a = p.address
        obj = self.inventory.get(p.live_id)
        if p.operation == "delete":
            if obj is not None:
                message = (
                    f"{a}: a delete was interrupted and the object still exists; state keeps it, and the plan "
                    "deletes it again if it is still to go"
                )
                return Settlement(a, Outcome.CLEAR, message)
            entry = self.snapshot.entries.get(a)
            if entry is None or entry.live_id != p.live_id:
                return Settlement(a, Outcome.CLEAR, f"{a}: an interrupted delete had reached VMM; state already agrees")
            return Settlement(
                a, Outcome.FORGET, f"{a}: an interrupted delete had reached VMM; {self._done(Outcome.FORGET)}"
            )
        what = "the first step (detach) of a two-step update" if p.operation == "detach" else "an update"
        if obj is None:
            message = (
                f"{a}: {what} was interrupted and its object no longer exists (deleted outside fabric?); "
                "the plan shows what is left"
            )
            return Settlement(a, Outcome.CLEAR, message)
        view = self.live.view(obj)
        if self._matches(obj, view, p.attributes, tagged=_tag_expected(p.kind, p.attributes)):
            entry = StateEntry(a, p.kind, obj.id, _applied(p, obj), protected=p.protected)
            message = f"{a}: {what} had reached VMM when it was interrupted; {self._done(Outcome.RECORD)}"
            return Settlement(a, Outcome.RECORD, message, entry, p.moved_from)
        old = self.snapshot.entries.get(a) or (self.snapshot.entries.get(p.moved_from) if p.moved_from else None)
        if old is not None and old.live_id == obj.id and self._matches(obj, view, old.attributes, tagged=False):
            return Settlement(a, Outcome.CLEAR, f"{a}: {what} was interrupted before it reached VMM; nothing to record")
        if old is None:
            message = (
                f"{a}: {what} was interrupted and the live object does not match what it applied; nothing to "
                "record, the plan shows the difference"
            )
        else:
            message = (
                f"{a}: {what} was interrupted and the live object matches neither the old nor the new attributes; "
                "the plan shows the difference"
            )
        return Settlement(a, Outcome.CLEAR, message)

    def create(self, p: PendingOperation) -> Settlement:
        """A create: adopted if an object of its identity carries this stamp's tag."""
        a = p.address
        cls = KINDS.get(p.kind)
        name = str(p.attributes.get("name", ""))
        if cls is None or self.ids.get(a) in self.inventory:  # state names a live object for it already
            return Settlement(a, Outcome.CLEAR, f"{a}: an interrupted create is already in state; nothing to record")
        attrs = map_refs(cls, dict(p.attributes), lambda ref: self.ids.get(ref, "?"))
        found = self._candidates().get((p.kind, scope_value(p.kind, attrs), name.casefold()), [])
        tagged = _tag_expected(p.kind, p.attributes)
        ours = [o for o in found if o.owner == self.stamp or (o.owner is None and not tagged)]
        if len(ours) == 1:
            obj = ours[0]
            entry = StateEntry(a, p.kind, obj.id, _applied(p, obj), protected=p.protected)
            self.ids[a] = obj.id
            self.live.address[obj.id] = a
            found.remove(obj)
            message = (
                f"{a}: an interrupted create had reached VMM ({p.kind} {name!r}, {obj.id}); "
                f"{self._done(Outcome.RECORD)}"
            )
            return Settlement(a, Outcome.RECORD, message, entry, p.moved_from)
        if not found:
            return Settlement(
                a, Outcome.CLEAR, f"{a}: a create was interrupted before it reached VMM; nothing to record"
            )
        why = (
            f"{len(ours)} live {p.kind} objects named {name!r} could be it"
            if ours
            else f"a live {p.kind} named {name!r} exists but does not carry this stamp's tag"
        )
        return Settlement(
            a, Outcome.CLEAR, f"{a}: a create was interrupted and {why}; nothing recorded, the plan shows what to do"
        )

    def _candidates(self) -> dict[tuple[str, str, str], list[ObservedObject]]:
        """Live objects no state entry claims, by identity (kind, scope, name)."""
        if self._identities is None:
            claimed = set(self.ids.values())
            self._identities = defaultdict(list)
            for obj in _unclaimed(self.inventory, claimed):
                key = (obj.kind, scope_value(obj.kind, dict(obj.attributes)), obj.name.casefold())
                self._identities[key].append(obj)
        return self._identities

    def _matches(self, obj: ObservedObject, view: Mapping[str, Any], wanted: Mapping[str, Any], tagged: bool) -> bool:
        """True if the live object holds `wanted` (secrets stored as `(sensitive)` match any value)
        — and, where the write carried this stamp's ownership tag, carries it."""
        if tagged and obj.owner != self.stamp:
            return False
        want = fill_computed(KINDS[obj.kind], dict(wanted), view)
        seen = redact_like({k: view.get(k) for k in want}, want)
        return not changed_paths(seen, want, obj.kind)


def _unclaimed(inventory: Inventory, claimed: set[str]) -> Iterable[ObservedObject]:
    return (o for o in inventory if o.id not in claimed and o.kind in KINDS)


def _tag_expected(kind: str, attributes: Mapping[str, Any]) -> bool:
    """True if a write of `attributes` put this stamp's tag on the object (`provider_attributes`:
    kinds with a description, unless the description is a secret)."""
    description = attributes.get("description")
    return KINDS[kind].OWNER_TAG and isinstance(description, str) and description != REDACTED


def _applied(p: PendingOperation, obj: ObservedObject) -> dict[str, Any]:
    """What to record for an operation that reached VMM: what it applied, with the values it left
    to the provider as the provider chose them (as the executor records them)."""
    return fill_computed(KINDS[p.kind], dict(p.attributes), obj.attributes)
