"""A kind is one place: a kind declared only as a model class (no other file touched) is loaded,
validated, planned, applied to the lab, replaced when an immutable attribute changes, and
converges — the proof that the planner, apply ordering, validation and the lab read a kind's
facts from its model (docs/design.md, "Adding a kind")."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from fabric import engine
from fabric.apply.executor import OpEvent
from fabric.model import resources
from fabric.model.resources import Ref, RefPath, Resource


class Widget(Resource):
    """A toy kind: a thing in a host group, whose host group VMM would not let change."""

    KIND: ClassVar[str] = "widget"
    REFS: ClassVar[dict[RefPath, str]] = {("host_group",): "host_group"}
    SCOPE: ClassVar[str | None] = "host_group"
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset({"host_group"})
    PLURAL: ClassVar[str] = "Widgets"

    host_group: Ref
    size: int = 1


@pytest.fixture
def widget_kind(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(resources.KINDS, "widget", Widget)


def _run(stamp: Path, code: str) -> list[tuple[str, str, str]]:
    (stamp / "a.yaml").write_text(code)
    with engine.open_session(stamp) as session, session.state.lock("test"):
        the_plan = engine.plan(session)
        events: list[OpEvent] = []
        result = engine.apply(
            session.provider, session.state, the_plan, parallelism=2, on_event=events.append, should_stop=lambda: False
        )
        assert result.ok, result.failed
        assert [c for c in engine.plan(session).changes if c.action.value != "no-op"] == []
    return [(c.address, c.action.value, c.reason) for c in the_plan.changes]


def test_a_kind_declared_only_in_the_model_is_planned_applied_and_replaced(widget_kind: None, tmp_path: Path) -> None:
    stamp = tmp_path / "w"
    stamp.mkdir()
    (stamp / "fabric.yaml").write_text("stamp: w\n")
    first = _run(stamp, "host_group:\n  Oslo: {}\nwidget:\n  w1:\n    host_group: host_group.Oslo\n    size: 2\n")
    assert first == [("host_group.Oslo", "create", ""), ("widget.w1", "create", "")]
    moved = "host_group:\n  Oslo: {}\n  Bergen: {}\nwidget:\n  w1:\n    host_group: host_group.Bergen\n"
    second = _run(stamp, moved)
    assert ("widget.w1", "replace", "host_group cannot change in place") in second


def test_a_new_kinds_bad_input_is_reported_at_its_line(widget_kind: None, tmp_path: Path) -> None:
    stamp = tmp_path / "w"
    stamp.mkdir()
    (stamp / "fabric.yaml").write_text("stamp: w\n")
    (stamp / "a.yaml").write_text("widget:\n  w1:\n    host_group: host_group.Nowhere\n    size: big\n")
    from fabric.errors import ConfigError
    from fabric.project import open_stamp

    with pytest.raises(ConfigError) as problems:
        open_stamp(stamp)
    lines = [d.render() for d in problems.value.diagnostics]
    assert any("a.yaml:4:" in line and "size" in line for line in lines), lines
    (stamp / "a.yaml").write_text("widget:\n  w1:\n    host_group: host_group.Nowhere\n")
    with pytest.raises(ConfigError) as problems:
        open_stamp(stamp)
    lines = [d.render() for d in problems.value.diagnostics]
    assert any("a.yaml:3:" in line and "host_group.Nowhere" in line for line in lines), lines
