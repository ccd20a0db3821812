"""One operation graph per plan: built once, read by the order check, the executor, scripts and the
progress bar; its edges come from named rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli
from test_split_updates import AFTER, BEFORE, UPLINK, write

from fabric import engine
from fabric.apply import operations
from fabric.apply.executor import OpEvent, apply_plan

RULES = {name for name, _ in (*operations.PER_OPERATION_RULES, *operations.PLAN_RULES)}


@pytest.fixture
def moved(cli: Cli, tmp_path: Path) -> Path:
    """A stamp whose next plan holds a two-step update (see test_split_updates)."""
    stamp = write(tmp_path / "split", BEFORE)
    assert cli("apply", stamp, "--auto-approve").code == 0
    return write(stamp, AFTER)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    builds: list[int] = []
    real = operations._operation_graph

    def counted(plan: object) -> object:
        builds.append(1)
        return real(plan)  # type: ignore[arg-type]

    monkeypatch.setattr(operations, "_operation_graph", counted)
    return builds


def test_plan_check_apply_and_script_count_build_the_graph_once(moved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    builds = _counting(monkeypatch)
    with engine.open_session(moved) as session, session.state.lock("test"):
        the_plan = engine.plan(session)  # has deletes: the order check builds the graph here
        assert len(builds) == 1
        steps = engine.provider_steps(the_plan)
        events: list[OpEvent] = []
        totals: list[int] = []
        result = engine.apply(
            session.provider,
            session.state,
            the_plan,
            parallelism=2,
            on_event=events.append,
            should_stop=lambda: False,
            on_start=totals.append,
        )
    assert len(builds) == 1, "the graph made for the order check is the one apply and the count use"
    assert result.ok
    # the progress bar's total is every operation, the first step of the two-step update too
    assert totals == [len(events)] and f"{UPLINK}" in [e.address for e in events if e.op == "detach"]
    assert steps == len([e for e in events if e.op in ("create", "update", "detach", "delete")])


def test_a_plan_without_an_order_check_builds_its_graph_when_applied(cli: Cli, tmp_path: Path) -> None:
    stamp = write(tmp_path / "fresh", BEFORE)
    builds: list[int] = []
    with pytest.MonkeyPatch.context() as mp:
        builds = _counting(mp)
        with engine.open_session(stamp) as session, session.state.lock("test"):
            the_plan = engine.plan(session)
            assert builds == []  # creates only: nothing to check at plan time
            apply_plan(the_plan, session.provider, session.state)
            engine.provider_steps(the_plan)
    assert len(builds) == 1


def test_every_edge_names_the_rule_that_made_it(moved: Path) -> None:
    with engine.open_session(moved) as session:
        graph = operations.operation_graph(engine.plan(session))
    used = {graph.edges[a, b]["rule"] for a, b in graph.edges}
    assert used <= RULES and {"references", "replaces", "leaves"} <= used
    soft = [graph.edges[a, b] for a, b in graph.edges if graph.edges[a, b].get("soft")]
    assert all(edge["rule"] == "references" for edge in soft)  # only a reference can be loosened


def test_a_reasons_only_copy_keeps_the_graph_and_takes_the_new_changes(moved: Path) -> None:
    with engine.open_session(moved) as session:
        the_plan = engine.plan(session)
    ops = operations.operations_of(the_plan)
    assert ops.first_steps()[UPLINK].reason.value == "detach"
    update = next(c for c in the_plan.changes if c.address == UPLINK)
    assert "in two steps, first: detach from network_site.old" in update.reason
    step = next(op for op in ops.ordered() if op.change.address == UPLINK and op.kind.value == "update")
    assert step.change is update  # the graph holds the plan's own (reasoned) change
