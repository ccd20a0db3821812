"""`fabric state …` and `fabric force-unlock`: moving state between backends, its history, its lock."""

from __future__ import annotations

import json
from contextlib import closing
from enum import StrEnum
from typing import Annotated

import typer

from fabric import engine
from fabric.cli.common import LockTimeout, StampDir, StateDir, err, out, reports_errors, write
from fabric.state.backends import describe

state_app = typer.Typer(help="Work with a stamp's state: migrate it between backends, read its history.")


class Backend(StrEnum):
    """State backends."""

    sqlite = "sqlite"
    postgres = "postgres"


@reports_errors
def force_unlock(
    stamp: StampDir,
    lock_id: Annotated[str, typer.Argument(help="The lock id from the 'state is locked by …' message.")],
    state_dir: StateDir = None,
) -> int:
    """Release a lock left by a hung process. Make sure it is not still applying first."""
    with closing(engine.open_stamp_state(stamp, state_dir)) as state:
        holder = state.force_unlock(lock_id)
    out.print(f"Released the lock held by {holder.describe()}.", markup=False)
    return 0


@reports_errors
def migrate(
    stamp: StampDir,
    to: Annotated[Backend, typer.Option("--to", help="The backend to move the state into.")],
    state_dir: StateDir = None,
    lock_timeout: LockTimeout = 0.0,
) -> int:
    """Copy the stamp's state from the other backend into an empty one, holding both locks."""
    snapshot = engine.migrate_state(stamp, to.value, state_dir, lock_timeout)
    settings, _ = engine.state_settings(stamp, to.value)
    where = describe(settings, engine.work_dir_for(stamp, state_dir))
    out.print(
        f"Copied {len(snapshot.entries)} entries (serial {snapshot.serial}, lineage {snapshot.lineage}) into {where}.",
        markup=False,
    )
    current, _ = engine.state_settings(stamp)
    if current.backend != to.value:
        err.print(
            f"fabric.yaml still says state.backend: {current.backend}; set it to {to.value} to use the new state. "
            "The old state is left as it was.",
            markup=False,
        )
    return 0


@reports_errors
def history(
    stamp: StampDir,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many changes to show.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    state_dir: StateDir = None,
) -> int:
    """The latest changes to the stamp's state, newest first: serial, time, lock, address, event."""
    with closing(engine.open_stamp_state(stamp, state_dir)) as state:
        events = state.history(limit)
    for e in events:
        if as_json:
            write(json.dumps(e.__dict__, ensure_ascii=False))
        else:
            live = f" {e.live_id}" if e.live_id else ""
            lock = e.lock_id or "-"
            write(f"{e.serial:>6}  {e.at}  {e.operation or '-':<13} {e.event:<7} {e.address}{live}  lock {lock}")
    return 0


state_app.command()(migrate)
state_app.command()(history)
