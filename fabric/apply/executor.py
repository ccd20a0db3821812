"""`apply_plan`: run the operation graph with N workers, recording each result in state.

A change starts when everything it depends on has finished; a failure skips only its
dependents. The main thread alone writes state, and writes each result before it reports
it or starts anything that depends on it, so a crash loses at most the operations that
were in flight (which the next plan adopts by identity).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from fabric.apply.operations import Operation, OpKind, operation_graph
from fabric.errors import FabricError
from fabric.inventory import ObservedObject
from fabric.model.refs import map_refs
from fabric.model.resources import KINDS
from fabric.plan.change import Plan
from fabric.providers.protocol import Provider
from fabric.snapshot import StateEntry
from fabric.state.protocol import StateBackend


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
    not_started: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        """True if nothing failed, was skipped or was left undone."""
        return not (self.failed or self.skipped or self.not_started or self.interrupted)


class _Run:
    def __init__(self, plan: Plan, provider: Provider, state: StateBackend) -> None:
        self.provider = provider
        self.state = state
        self.graph = operation_graph(plan)
        self.ids: dict[str, str] = {c.address: c.live_id for c in plan.changes if c.live_id}

    def execute(self, op: Operation) -> ObservedObject | None:
        """Run one operation on the provider (in a worker thread)."""
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
        if op.kind is OpKind.CREATE:
            return self.provider.create(change.address, change.kind, attrs)
        return self.provider.update(change.address, self.ids[change.address], change.kind, attrs)

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
        self.state.record(StateEntry(change.address, change.kind, live_id, dict(change.after)))


def apply_plan(
    plan: Plan,
    provider: Provider,
    state: StateBackend,
    *,
    parallelism: int = 4,
    on_event: Callable[[OpEvent], None] = lambda e: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ApplyResult:
    """Apply `plan`; see the module docstring. Never raises for a failed operation."""
    run = _Run(plan, provider, state)
    graph = run.graph
    result = ApplyResult(total=graph.number_of_nodes())
    waiting = {n: graph.in_degree(n) for n in graph}
    ready = sorted(n for n, d in waiting.items() if d == 0)
    running: dict[Future[Any], tuple[str, float]] = {}
    finished: set[str] = set()
    with ThreadPoolExecutor(max_workers=max(1, parallelism)) as pool:
        while ready or running:
            if should_stop():
                result.interrupted = True
                ready.clear()
            while ready and len(running) < parallelism:
                key = ready.pop(0)
                running[pool.submit(run.execute, graph.nodes[key]["op"])] = (key, time.monotonic())
            if not running:
                break
            done, _ = wait(list(running), timeout=0.2, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: running[f][0]):
                key, started = running.pop(future)
                op: Operation = graph.nodes[key]["op"]
                finished.add(key)
                error = future.exception()
                if error is None:
                    run.record(op, future.result())
                    event = OpEvent(op.change.address, op.kind.value, "ok", "", time.monotonic() - started)
                    result.done.append(event)
                    on_event(event)
                    for nxt in graph.successors(key):
                        waiting[nxt] -= 1
                        if waiting[nxt] == 0:
                            ready.append(nxt)
                    ready.sort()
                    continue
                result.failed[op.change.address] = str(error)
                on_event(OpEvent(op.change.address, op.kind.value, "failed", str(error), time.monotonic() - started))
                for skipped in sorted(nx.descendants(graph, key) - finished):
                    finished.add(skipped)
                    waiting[skipped] = -1
                    address = graph.nodes[skipped]["op"].change.address
                    if address not in result.skipped and address not in result.failed:
                        result.skipped.append(address)
                        on_event(
                            OpEvent(
                                address,
                                graph.nodes[skipped]["op"].kind.value,
                                "skipped",
                                f"depends on {op.change.address}",
                            )
                        )
                ready = [k for k in ready if waiting[k] >= 0]
    started_or_skipped = finished
    result.not_started = sorted({graph.nodes[k]["op"].change.address for k in graph if k not in started_or_skipped})
    return result
