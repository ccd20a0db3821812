"""`fabric state …` and `fabric force-unlock`: moving state between backends, its history, its lock."""

from __future__ import annotations

import json
import sys
from contextlib import closing
from enum import StrEnum
from typing import Annotated

import typer

from fabric import engine
from fabric.cli.common import HERE, LockTimeout, StampDir, StateDir, err, leading_stamp, out, reports_errors, write
from fabric.errors import FabricError
from fabric.state.backends import describe
from fabric.state.lock import LockInfo

state_app = typer.Typer(
    help="Work with a stamp's state: migrate it between backends, read its history, forget entries.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class Backend(StrEnum):
    """State backends."""

    sqlite = "sqlite"
    postgres = "postgres"


@reports_errors
def force_unlock(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] LOCK_ID",
            help="The stamp (default: the current directory) and the lock id from the 'state is locked by …' message.",
            show_default=False,
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Release it even though its holder looks alive (running, or at work).")
    ] = False,
    state_dir: StateDir = None,
) -> int:
    """Release a lock left by a hung or dead process; refuses while its holder looks alive."""
    stamp, (lock_id,) = leading_stamp(args, "[STAMP] LOCK_ID", 1, 1)
    with closing(engine.open_stamp_state(stamp, state_dir)) as state:
        holder = state.lock_holder()
        if holder is None:
            raise FabricError("the state is not locked")
        if holder.id != lock_id:
            raise FabricError(f"lock id {lock_id} is not the current lock; the state is locked by {holder.describe()}")
        alive = state.holder_alive()
        if alive and not force:
            raise FabricError(
                f"refusing to release the lock of {holder.describe()}: {alive}. Two runs at once corrupt the "
                "fabric; wait for it (--lock-timeout), or stop it, or if you are sure it is stuck add --force"
            )
        if sys.stdin.isatty() and not _confirmed(holder, alive):
            err.print("Cancelled; the lock is still held.", markup=False)
            return 1
        holder = state.force_unlock(lock_id)
    out.print(f"Released the lock held by {holder.describe()}.", markup=False)
    return 0


def _confirmed(holder: LockInfo, alive: str | None) -> bool:
    warning = f" It looks alive: {alive}." if alive else ""
    out.print(f"Release the lock held by {holder.describe()}?{warning}", markup=False)
    out.print("If it is still applying, a second run beside it would fail or corrupt the fabric.", markup=False)
    out.print("  Only 'yes' will be accepted to approve.\n\n  Enter a value: ", end="", markup=False)
    sys.stdout.flush()
    return sys.stdin.readline().strip() == "yes"


@reports_errors
def rm(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] ADDRESS...",
            help="The stamp (default: the current directory) and the addresses to forget.",
            show_default=False,
        ),
    ],
    state_dir: StateDir = None,
    lock_timeout: LockTimeout = 0.0,
) -> int:
    """Stop managing objects: forget them in state, leave them in VMM (recorded in state history)."""
    stamp, addresses = leading_stamp(args, "[STAMP] ADDRESS...", 1)
    with closing(engine.open_stamp_state(stamp, state_dir, lock_timeout)) as state:
        forgotten = engine.forget(state, addresses)
    for address in forgotten:
        out.print(f"Removed {address} from state; its object stays in VMM.", markup=False)
    err.print(
        "If the code still declares them, the next plan takes them back (their objects carry this stamp's tag): "
        "take them out of the code too, or list them under removed: in fabric.yaml.",
        markup=False,
    )
    return 0


@reports_errors
def migrate(
    to: Annotated[Backend, typer.Option("--to", help="The backend to move the state into.")],
    stamp: StampDir = HERE,
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
    stamp: StampDir = HERE,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, help="How many changes to show.")] = 50,
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
state_app.command()(rm)
