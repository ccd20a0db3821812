"""`fabric import` (adopt one live object into state) and `fabric export` (write YAML for all of them)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fabric import engine
from fabric.cli.common import HERE, StampDir, StateDir, err, leading_stamp, out, reports_errors


@reports_errors
def import_(
    args: Annotated[
        list[str],
        typer.Argument(
            metavar="[STAMP] ADDRESS LIVE",
            help="The stamp (default: the current directory), the resource in code (cloud.iaas-oslo) and the "
            "live object's ID or name.",
            show_default=False,
        ),
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Take over an object another stamp's ownership tag names.")
    ] = False,
    state_dir: StateDir = None,
) -> int:
    """Adopt one live object into state for a resource declared in code."""
    stamp, (address, live) = leading_stamp(args, "[STAMP] ADDRESS LIVE", 2, 2)
    with engine.open_session(stamp, state_dir) as session, session.state.lock("import"):
        done = engine.import_object(session, address, live, force)
        if done.tagged:
            out.print(f"Tagged it as managed by stamp {session.fabric.config.stamp!r}.", markup=False)
    out.print(f"Imported {done.kind} {done.name!r} ({done.live_id}) as {address}.", markup=False)
    out.print(f"Run `fabric plan {stamp}` to see how the code differs from it.", markup=False)
    return 0


@reports_errors
def export(
    target: Annotated[Path, typer.Option("--out", metavar="DIR", help="Directory for the exported stamp.")],
    stamp: StampDir = HERE,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty directory.")] = False,
    state_dir: StateDir = None,
) -> int:
    """Write YAML for every live object (one file per kind) and record them in the new stamp's state."""
    with engine.open_session(stamp, state_dir) as session:
        done = engine.export_stamp(session, target, force)
    if done.left_out:
        names = ", ".join(f"{o.kind} {o.name!r}" for o in done.left_out[:10]) + (
            " …" if len(done.left_out) > 10 else ""
        )
        err.print(
            f"Left out {len(done.left_out)} objects other stamps manage (and what refers to them): {names}",
            markup=False,
        )
    out.print(f"Exported {done.count} objects to {target} (state recorded).", markup=False)
    return 0
