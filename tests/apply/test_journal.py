"""The executor journals each provider operation before calling the provider, and the write of
its result (or its failure) removes the entry."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fabric.apply.executor import apply_plan
from fabric.engine import open_session, plan
from fabric.errors import ProviderError
from fabric.inventory import ObservedObject
from fabric.providers.lab.provider import LabProvider
from fabric.state.protocol import PendingOperation
from fabric.state.sqlite import SqliteState


class WatchingLab(LabProvider):
    """The real lab, noting at each call what the journal holds, read through another connection."""

    def __init__(self, path: Path, journal: SqliteState, fail: str = "") -> None:
        super().__init__(path)
        self.journal = journal
        self.fail = fail
        self.seen: list[tuple[str, str, list[PendingOperation]]] = []
        # Worker threads share the journal's one connection, and SQLite gives statements running at
        # the same time on one connection one snapshot: a read begun before the executor journalled
        # the second call would hide it. One read at a time, each its own snapshot.
        self._reading = threading.Lock()

    def _note(self, op: str, address: str) -> None:
        with self._reading:
            self.seen.append((op, address, self.journal.pending()))
        if address == self.fail:
            raise ProviderError(f"refused {address}")

    def create(self, address: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        self._note("create", address)
        return super().create(address, kind, attributes)

    def update(self, address: str, live_id: str, kind: str, attributes: Mapping[str, Any]) -> ObservedObject:
        self._note("update", address)
        return super().update(address, live_id, kind, attributes)

    def delete(self, address: str, live_id: str, kind: str) -> None:
        self._note("delete", address)
        super().delete(address, live_id, kind)


def _watched(stamp: Path, fail: str = "") -> tuple[Any, WatchingLab, SqliteState]:
    session = open_session(stamp)
    journal = SqliteState(stamp / ".fabric")
    lab = WatchingLab(stamp / ".fabric" / "lab.db", journal, fail)
    return session, lab, journal


def _applied(session: Any, provider: WatchingLab, destroy: bool = False) -> None:
    the_plan = plan(session, destroy=destroy)
    provider.seen.clear()
    with session.state.lock("apply") as info:
        result = apply_plan(the_plan, provider, session.state, parallelism=1)
    assert result.ok and provider.seen
    changes = the_plan.by_address()
    for op, address, pending in provider.seen:
        (entry,) = pending  # one at a time: each earlier one was settled when its result was recorded
        change = changes[address]
        assert (entry.address, entry.kind, entry.operation, entry.lock_id) == (address, change.kind, op, info.id)
        assert entry.live_id == ("" if op == "create" else change.live_id)
        assert dict(entry.attributes) == ({} if op == "delete" else dict(change.after or {}))  # as state keeps it
    assert provider.journal.pending() == []


def test_each_provider_call_is_journalled_first_and_settled_with_its_result(lab: Path) -> None:
    session, provider, _ = _watched(lab)
    _applied(session, provider)
    assert [op for op, _, _ in provider.seen] == ["create"] * 12
    text = (lab / "lab.yaml").read_text(encoding="utf-8")
    (lab / "lab.yaml").write_text(text.replace("vm_count: 20", "vm_count: 21"), encoding="utf-8")
    session.close()
    session, provider, _ = _watched(lab)
    _applied(session, provider)
    assert [(op, a) for op, a, _ in provider.seen] == [("update", "cloud.iaas")]
    _applied(session, provider, destroy=True)
    assert [op for op, _, _ in provider.seen] == ["delete"] * 12
    session.close()


def test_a_failed_operation_leaves_no_journal_entry(lab: Path) -> None:
    session, provider, journal = _watched(lab, fail="logical_network.management")
    result = apply_plan(plan(session), provider, session.state, parallelism=2)
    assert list(result.failed) == ["logical_network.management"]
    seen = next(pending for _, address, pending in provider.seen if address == "logical_network.management")
    assert "logical_network.management" in {p.address for p in seen}  # journalled before the call failed
    assert journal.pending() == []  # the provider said it failed: that is its outcome, nothing to settle
    session.close()
