"""`apply_plan`: run the operation graph with N workers, recording each result in state.

A change starts when everything it depends on has finished; a failure skips only its
dependents. The main thread alone writes state, and writes each result before it reports
it or starts anything that depends on it, so a crash loses at most the operations that
were in flight. Before each provider call it journals what the call is about to do
(`StateBackend.begin`); the write of the result removes that entry in its transaction, so
the next run can tell, for an operation still journalled, whether it reached VMM
(`fabric.apply.reconcile`).
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from fabric import digraph
from fabric.apply.operations import Operation, OpKind, ensure_orderable, operations_of, provider_attributes
from fabric.apply.retry import call_with_retries
from fabric.errors import FabricError
from fabric.inventory import ObservedObject
from fabric.model.refs import map_refs
from fabric.model.resources import KINDS, fill_computed
from fabric.plan.change import Plan
from fabric.providers.protocol import Provider
from fabric.secrets import redact_like
from fabric.snapshot import StateEntry
from fabric.state.protocol import PendingOperation, StateBackend

RetryEventHook = Callable[[str, int, int, BaseException], None]  # address, failed attempt, attempts, error
PROVIDER_OPS = frozenset({OpKind.CREATE, OpKind.UPDATE, OpKind.DETACH, OpKind.DELETE})  # journalled first


def ignore_retries(address: str, attempt: int, attempts: int, error: BaseException) -> None:
    """The default retry hook: report nothing."""


@dataclass(frozen=True)
class OpEvent:
    """A finished (or skipped) operation, reported after its state write."""

    address: str
    op: str
    status: str  # ok | failed | skipped
    error: str = ""
    seconds: float = 0.0


@dataclass
class ApplyResult:
    """What happened: finished operations, failures by address, skipped addresses."""

    total: int = 0
    done: list[OpEvent] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    skipped_set: set[str] = field(default_factory=set, repr=False)
    not_started: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        """True if nothing failed, was skipped or was left undone."""
        return not (self.failed or self.skipped or self.not_started or self.interrupted)


class _Run:
    def __init__(self, plan: Plan, provider: Provider, state: StateBackend, on_retry: RetryEventHook) -> None:
        self.provider = provider
        self.state = state
        self.on_retry = on_retry
        self.operations = operations_of(plan)  # built once: the plan's order check may have made them
        self.graph = self.operations.graph
        self.stamp = plan.stamp
        self.ids: dict[str, str] = {c.address: c.live_id for c in plan.changes if c.live_id}

    def execute(self, op: Operation) -> ObservedObject | None:
        """Run one operation on the provider (in a worker thread), retrying transient errors."""

        def hook(attempt: int, attempts: int, error: BaseException) -> None:
            self.on_retry(op.change.address, attempt, attempts, error)

        return call_with_retries(lambda: self._execute(op), on_retry=hook)

    def _execute(self, op: Operation) -> ObservedObject | None:
        change = op.change
        if op.kind is OpKind.DELETE:
            self.provider.delete(change.address, str(change.live_id), change.kind)
            return None
        if op.kind in (OpKind.FORGET, OpKind.RECORD):
            return None
        assert change.after is not None
        try:
            attrs = map_refs(KINDS[change.kind], dict(change.after), lambda a: self.ids[a])
        except KeyError as exc:
            raise FabricError(f"no live ID for {exc.args[0]}") from None
        attrs = provider_attributes(change.kind, attrs, self.stamp)
        if op.kind is OpKind.CREATE:
            return self.provider.create(change.address, change.kind, attrs)
        return self.provider.update(change.address, self.ids[change.address], change.kind, attrs)

    def begin(self, op: Operation) -> None:
        """Journal a provider operation before it starts (main thread only): what it is about to
        apply, stored as `record` would store it."""
        if op.kind not in PROVIDER_OPS:
            return
        change = op.change
        if op.kind is OpKind.DELETE:
            intent = PendingOperation(change.address, change.kind, op.kind.value, str(change.live_id))
        else:
            assert change.after is not None
            live_id = "" if op.kind is OpKind.CREATE else self.ids.get(change.address, "")
            attributes = redact_like(dict(change.after), change.before)  # as `record` masks them
            intent = PendingOperation(
                change.address, change.kind, op.kind.value, live_id, attributes, change.moved_from, change.protected
            )
        self.state.begin(intent)

    def failed(self, op: Operation) -> None:
        """Drop the journal entry of an operation the provider reported as failed: the failure is
        its outcome, reported like any other (main thread only)."""
        if op.kind in PROVIDER_OPS:
            self.state.clear_pending(op.change.address)

    def record(self, op: Operation, observed: ObservedObject | None) -> None:
        """Write one finished operation to state (main thread only)."""
        change = op.change
        if op.kind in (OpKind.DELETE, OpKind.FORGET):
            self.state.forget(change.address)
            self.ids.pop(change.address, None)
            return
        live_id = observed.id if observed else self.ids[change.address]
        self.ids[change.address] = live_id
        assert change.after is not None
        applied = dict(change.after)
        if observed is not None:  # record what the provider chose for attributes left to it
            applied = fill_computed(KINDS[change.kind], applied, observed.attributes)
        applied = redact_like(applied, change.before)  # an old secret kept by ignore_changes stays masked
        entry = StateEntry(change.address, change.kind, live_id, applied, protected=change.protected)
        self.state.record(entry, forget=change.moved_from)  # one transaction: a crash cannot split a move


def _heights(graph: digraph.DiGraph[str]) -> dict[str, int]:
    """Length of the longest chain of operations from each node to the end of the graph."""
    height: dict[str, int] = {}
    for node in reversed(list(digraph.topological_sort(graph))):
        height[node] = 1 + max((height[s] for s in graph.successors(node)), default=0)
    return height


class _Scheduler:
    """Which operations may start: dependencies done, longest remaining chain first."""

    def __init__(self, graph: digraph.DiGraph[str]) -> None:
        self.graph = graph
        self.height = _heights(graph)
        self.waiting = {n: graph.in_degree(n) for n in graph}
        self.ready = [(-self.height[n], n) for n, d in self.waiting.items() if d == 0]
        heapq.heapify(self.ready)
        self.finished: set[str] = set()

    def pop(self) -> str | None:
        """The next operation to start, or None."""
        while self.ready:
            _, key = heapq.heappop(self.ready)
            if key not in self.finished:
                return key
        return None

    def succeeded(self, key: str) -> None:
        """Release the operations that waited only for `key`."""
        self.finished.add(key)
        for nxt in self.graph.successors(key):
            self.waiting[nxt] -= 1
            if self.waiting[nxt] == 0:
                heapq.heappush(self.ready, (-self.height[nxt], nxt))

    def failed(self, key: str) -> list[str]:
        """Mark `key` and everything after it finished; return the skipped operations."""
        self.finished.add(key)
        skipped = sorted(digraph.descendants(self.graph, key) - self.finished)
        self.finished.update(skipped)
        return skipped

    def unstarted(self) -> list[str]:
        """Operations never started nor skipped."""
        return [k for k in self.graph if k not in self.finished]


def apply_plan(
    plan: Plan,
    provider: Provider,
    state: StateBackend,
    *,
    parallelism: int = 4,
    on_event: Callable[[OpEvent], None] = lambda e: None,
    should_stop: Callable[[], bool] = lambda: False,
    on_retry: RetryEventHook = ignore_retries,
    on_start: Callable[[int], None] = lambda total: None,
) -> ApplyResult:
    """Apply `plan`; see the module docstring. Never raises for a failed operation; raises
    FabricError before starting if the operations cannot be ordered.

    `on_retry` is called from worker threads when a transient error is about to be retried;
    `on_start` once, with the number of operations, before the first starts.
    """
    run = _Run(plan, provider, state, on_retry)
    if not digraph.is_directed_acyclic_graph(run.graph):
        ensure_orderable(plan)  # raises FabricError naming the cycle, before anything is changed
    sched = _Scheduler(run.graph)
    result = ApplyResult(total=run.operations.total)
    on_start(result.total)
    running: dict[Future[Any], tuple[str, float]] = {}
    with ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool:
        while True:
            if should_stop():
                result.interrupted = True
            while not result.interrupted and len(running) < parallelism and (key := sched.pop()) is not None:
                op = run.graph.nodes[key]["op"]
                run.begin(op)  # durable before the provider is called
                running[pool.submit(run.execute, op)] = (key, time.monotonic())
            if not running:
                break
            done, _ = wait(list(running), timeout=0.2, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f][0]):
                key, started = running.pop(future)
                _finish(run, sched, result, key, future, time.monotonic() - started, on_event)
    result.not_started = sorted({run.graph.nodes[k]["op"].change.address for k in sched.unstarted()})
    return result


def _finish(
    run: _Run,
    sched: _Scheduler,
    result: ApplyResult,
    key: str,
    future: Future[Any],
    seconds: float,
    on_event: Callable[[OpEvent], None],
) -> None:
    """Record one finished operation (state first), report it, release or skip what follows."""
    op: Operation = run.graph.nodes[key]["op"]
    address = op.change.address
    error = future.exception()
    if error is None:
        run.record(op, future.result())
        event = OpEvent(address, op.kind.value, "ok", "", seconds)
        result.done.append(event)
        on_event(event)
        sched.succeeded(key)
        return
    run.failed(op)
    result.failed[address] = str(error)
    on_event(OpEvent(address, op.kind.value, "failed", str(error), seconds))
    for skipped in sched.failed(key):
        skipped_op: Operation = run.graph.nodes[skipped]["op"]
        other = skipped_op.change.address
        if other not in result.skipped_set and other not in result.failed:
            result.skipped_set.add(other)
            result.skipped.append(other)
            on_event(OpEvent(other, skipped_op.kind.value, "skipped", f"depends on {address}"))
