"""A `moved` resource's new and old addresses change in one state write, on both backends."""

from __future__ import annotations

from pathlib import Path

from fabric.model.stamp import StateConfig
from fabric.snapshot import StateEntry
from fabric.state.backends import open_state


def test_a_move_is_one_state_write(tmp_path: Path, backend: str) -> None:
    config = StateConfig.model_validate({"backend": backend, "schema": f"t_move_{tmp_path.name[-8:].lower()}"})
    state = open_state(config, "s", tmp_path / "s")
    try:
        state.record(StateEntry("cloud.old", "cloud", "id-1", {"name": "c"}))
        serial = state.record(StateEntry("cloud.new", "cloud", "id-1", {"name": "c"}), forget="cloud.old")
        snap = state.read()
        assert serial == 2 and list(snap.entries) == ["cloud.new"]
    finally:
        state.close()
