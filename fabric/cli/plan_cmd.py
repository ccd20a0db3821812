"""`fabric validate` and `fabric plan`."""

from __future__ import annotations

import json
from contextlib import nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fabric import engine
from fabric.cli.common import (
    HERE,
    InventoryFile,
    LockTimeout,
    Replace,
    StampDir,
    StateDir,
    VarAssignments,
    VarFiles,
    announce_waits,
    err,
    print_plan_text,
    report_warnings,
    reports_errors,
    write,
)
from fabric.plan.change import Plan
from fabric.render.jsonplan import plan_to_json
from fabric.render.markdown import plan_markdown
from fabric.render.text import plan_compact, plan_text


class PlanFormat(StrEnum):
    """Output formats of `fabric plan`."""

    text = "text"
    json = "json"
    markdown = "markdown"


Targets = Annotated[
    list[str] | None,
    typer.Option("--target", metavar="ADDRESS", help="Plan only this address and what it needs; repeatable."),
]
Excludes = Annotated[
    list[str] | None,
    typer.Option("--exclude", metavar="ADDRESS", help="Leave out this address and its dependents; repeatable."),
]


def emit_plan(the_plan: Plan, fmt: PlanFormat, compact: bool = False) -> None:
    """Print a plan in the chosen format."""
    if fmt is PlanFormat.json:
        write(json.dumps(plan_to_json(the_plan), indent=2, ensure_ascii=False))
    elif fmt is PlanFormat.markdown:
        write(plan_markdown(the_plan))
    elif compact:
        print_plan_text(plan_compact(the_plan))
    else:
        print_plan_text(plan_text(the_plan))


@reports_errors
def plan(
    stamp: StampDir = HERE,
    fmt: Annotated[PlanFormat, typer.Option("--format", help="text, json or markdown.")] = PlanFormat.text,
    compact: Annotated[bool, typer.Option("--compact", help="Text: one line per changed resource.")] = False,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 0 = no changes, 1 = error, 2 = changes.")
    ] = False,
    destroy: Annotated[bool, typer.Option("--destroy", help="Plan deleting everything in state.")] = False,
    out_file: Annotated[
        Path | None, typer.Option("--out", metavar="FILE", help="Also save the plan for `fabric apply FILE`.")
    ] = None,
    target: Targets = None,
    exclude: Excludes = None,
    replace: Replace = None,
    inventory: InventoryFile = None,
    state_dir: StateDir = None,
    lock: Annotated[
        bool, typer.Option("--lock", help="Hold the state lock while planning (plan takes none by default).")
    ] = False,
    lock_timeout: LockTimeout = 0.0,
    var: VarAssignments = None,
    var_file: VarFiles = None,
) -> int:
    """Show what apply would change: + create, <= adopt, ~ update, -/+ replace, - delete, => forget."""
    variables = engine.stamp_variables(stamp, var, var_file)
    notices: list[str] = []
    with (
        engine.open_session(stamp, state_dir, lock_timeout, inventory, variables) as session,
        announce_waits(session.state).lock("plan") if lock else nullcontext(),
    ):
        report_warnings(session.fabric)
        the_plan, basis = engine.plan_with_fingerprint(
            session, destroy=destroy, fingerprint=out_file is not None, replace=replace or (), notices=notices
        )
        the_plan = engine.target_plan(session, the_plan, target, exclude)
        if out_file is not None:
            engine.save_plan(out_file, session, the_plan, basis)
    for line in notices:  # what an interrupted run left pending, settled
        err.print(line, markup=False)
    emit_plan(the_plan, fmt, compact)
    if out_file is not None:
        err.print(f"Saved the plan to {out_file}; apply exactly this plan with: fabric apply {out_file}", markup=False)
    return 2 if detailed_exitcode and the_plan.has_changes else 0
