"""The engine: open a stamp with its state and provider, plan, and apply.

This is what the CLI drives. It owns the wiring (which state directory, which provider)
but no output: results come back as values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from fabric.apply.executor import ApplyResult, OpEvent, apply_plan
from fabric.model.stamp import Fabric
from fabric.plan.change import Plan
from fabric.plan.planner import make_plan
from fabric.project import open_stamp
from fabric.providers.protocol import Provider
from fabric.providers.registry import available, open_provider
from fabric.state.sqlite import SqliteState

WORK_DIR = ".fabric"


@dataclass
class Session:
    """A stamp opened for work: its fabric, state backend and provider."""

    fabric: Fabric
    work_dir: Path
    state: SqliteState
    provider: Provider

    def close(self) -> None:
        """Close the provider and the state."""
        self.provider.close()
        self.state.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def work_dir_for(root: Path, state_dir: Path | None) -> Path:
    """`--state-dir` if given, else `STAMP/.fabric`."""
    return state_dir if state_dir is not None else root / WORK_DIR


def open_session(root: Path, state_dir: Path | None = None, lock_timeout: float = 0.0) -> Session:
    """Validate the stamp (ConfigError if invalid), then open state and provider."""
    fabric = open_stamp(root, available())
    work = work_dir_for(root, state_dir)
    provider = open_provider(root, fabric.config.provider.model_dump(), work)
    try:
        state = SqliteState(work, lock_timeout)
    except BaseException:
        provider.close()
        raise
    return Session(fabric, work, state, provider)


def plan(session: Session, *, destroy: bool = False) -> Plan:
    """Read the live inventory and state once, then plan purely."""
    inventory = session.provider.read_inventory()
    snapshot = session.state.read()
    return make_plan(
        session.fabric.config.stamp,
        session.fabric.resources,
        inventory,
        snapshot,
        session.provider.immutable_attributes,
        destroy=destroy,
        graph=session.fabric.graph,
        moves={m.from_: m.to for m in session.fabric.config.moved},
    )


def apply(
    session: Session,
    the_plan: Plan,
    *,
    parallelism: int,
    on_event: Callable[[OpEvent], None],
    should_stop: Callable[[], bool],
) -> ApplyResult:
    """Apply a plan; the caller holds the state lock (across plan and apply)."""
    return apply_plan(
        the_plan, session.provider, session.state, parallelism=parallelism, on_event=on_event, should_stop=should_stop
    )
