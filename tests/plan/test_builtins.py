"""Objects VMM ships are forgotten, never deleted, when they leave the code."""

from __future__ import annotations

from fabric.apply.operations import OpKind, operation_graph
from fabric.inventory import Inventory, ObservedObject
from fabric.model.builtins import is_built_in
from fabric.plan.action import Action
from fabric.plan.planner import make_plan
from fabric.snapshot import StateEntry, StateSnapshot


def _plan(name: str) -> tuple[object, ...]:
    attributes = {"name": name, "description": ""}
    live = Inventory({"pc-1": ObservedObject("pc-1", "port_classification", name, attributes)})
    state = StateSnapshot(
        1,
        "l",
        {"port_classification.x": StateEntry("port_classification.x", "port_classification", "pc-1", attributes)},
    )
    plan = make_plan("s", {}, live, state, lambda kind: frozenset(), built_in=is_built_in)
    (change,) = plan.changes
    ops = [data["op"].kind for _, data in operation_graph(plan).nodes(data=True)]
    return change.action, change.live_id, change.reason, ops


def test_built_in_is_forgotten_not_deleted() -> None:
    action, live_id, reason, ops = _plan("host MANAGEMENT")
    assert action is Action.DELETE and live_id is None
    assert reason == "built into VMM: left in place, only removed from state"
    assert ops == [OpKind.FORGET]


def test_own_object_is_deleted() -> None:
    action, live_id, reason, ops = _plan("Gold")
    assert (action, live_id, reason, ops) == (Action.DELETE, "pc-1", "", [OpKind.DELETE])
