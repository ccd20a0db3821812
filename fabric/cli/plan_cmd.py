"""`fabric validate` and `fabric plan`."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from fabric import engine
from fabric.cli.common import LockTimeout, StampDir, StateDir, out, print_plan_text, reports_errors, write
from fabric.project import open_stamp
from fabric.providers.registry import available
from fabric.render.jsonplan import plan_to_json
from fabric.render.text import plan_text


class PlanFormat(StrEnum):
    """Output formats of `fabric plan`."""

    text = "text"
    json = "json"


@reports_errors
def validate(stamp: StampDir) -> int:
    """Check a stamp without touching any provider: every problem, file:line:col each."""
    fabric = open_stamp(stamp, available())
    out.print(f"{stamp}: valid ({len(fabric.resources)} resources).", markup=False)
    return 0


@reports_errors
def plan(
    stamp: StampDir,
    fmt: Annotated[PlanFormat, typer.Option("--format", help="text or json.")] = PlanFormat.text,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 0 = no changes, 1 = error, 2 = changes.")
    ] = False,
    destroy: Annotated[bool, typer.Option("--destroy", help="Plan deleting everything in state.")] = False,
    state_dir: StateDir = None,
    lock_timeout: LockTimeout = 0.0,
) -> int:
    """Show what apply would change: + create, ~ update, -/+ replace, - delete."""
    with engine.open_session(stamp, state_dir, lock_timeout) as session:
        the_plan = engine.plan(session, destroy=destroy)
    if fmt is PlanFormat.json:
        write(json.dumps(plan_to_json(the_plan), indent=2, ensure_ascii=False))
    else:
        print_plan_text(plan_text(the_plan))
    return 2 if detailed_exitcode and the_plan.has_changes else 0
