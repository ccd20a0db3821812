"""`fabric validate` and `fabric plan`."""

from __future__ import annotations

import json
import os
from contextlib import nullcontext
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fabric import __version__, engine
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
    out,
    print_plan_text,
    reports_errors,
    write,
)
from fabric.errors import ConfigError, Diagnostic, FabricError, SourceLocation
from fabric.plan.change import Plan
from fabric.plan.lifecycle import refuse_plan
from fabric.plan.planfile import PlanContext, dump_plan, load_plan
from fabric.plan.targeting import select
from fabric.project import open_stamp
from fabric.providers.registry import settings_models
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


def targeted(session: engine.Session, the_plan: Plan, targets: list[str] | None, excludes: list[str] | None) -> Plan:
    """Apply --target/--exclude to a plan (all of it if neither is given), then refuse it if what is
    left must not be applied (prevent_destroy, another stamp's objects, an adoption that destroys)."""
    if targets or excludes:
        assert session.fabric.graph is not None
        the_plan = select(the_plan, session.fabric.graph, targets or [], excludes or [])
    refuse_plan(the_plan.changes)
    return the_plan


def save_plan(path: Path, session: engine.Session, the_plan: Plan, basis: engine.Basis) -> None:
    """Write a plan file that `fabric apply FILE` will carry out exactly."""
    context = PlanContext(
        stamp_dir=str(Path(session.fabric.root).resolve()),
        state_dir=str(session.work_dir.resolve()),
        provider=session.fabric.config.provider.model_dump(),
        inventory_fingerprint=basis.fingerprint,
        footprint=basis.footprint.to_json(),
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        fabric_version=__version__,
        desired={a: {"kind": r.KIND, "attributes": r.canonical} for a, r in session.fabric.resources.items()},
        state_backend=session.fabric.config.state.model_dump(by_alias=True),
    )
    path.write_text(json.dumps(dump_plan(the_plan, context), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.chmod(path, 0o600)


def read_plan_file(path: Path) -> tuple[Plan, PlanContext]:
    """Load a saved plan file (FabricError if unreadable or not a plan)."""
    if not path.exists():
        raise FabricError(f"no such plan file: {path} (fabric plan --out {path} saves one)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FabricError(f"{path}: cannot read plan file: {exc}") from None
    return load_plan(doc)


class ValidateFormat(StrEnum):
    """Output formats of `fabric validate`."""

    text = "text"
    json = "json"


@reports_errors
def validate(
    stamp: StampDir = HERE,
    fmt: Annotated[
        ValidateFormat, typer.Option("--format", help="text (problems on stderr) or json (one document on stdout).")
    ] = ValidateFormat.text,
    var: VarAssignments = None,
    var_file: VarFiles = None,
) -> int:
    """Check a stamp without touching any provider: every problem, file:line:col each."""
    if fmt is ValidateFormat.text:
        fabric = open_stamp(stamp, settings_models(), engine.stamp_variables(stamp, var, var_file))
        where = stamp if stamp != HERE else Path.cwd().name  # `fabric validate` in the stamp directory
        out.print(f"{where}: valid ({len(fabric.resources)} resources).", markup=False)
        return 0
    try:
        fabric = open_stamp(stamp, settings_models(), engine.stamp_variables(stamp, var, var_file))
    except ConfigError as exc:
        write(json.dumps(validation_json(_stamp_name(stamp), None, exc.diagnostics), indent=2, ensure_ascii=False))
        return 1
    except FabricError as exc:  # not a stamp at all: one problem, no position
        problem = Diagnostic(SourceLocation(str(stamp), 0, 0), str(exc))
        write(json.dumps(validation_json(str(stamp), None, [problem]), indent=2, ensure_ascii=False))
        return 1
    doc = validation_json(fabric.config.stamp, len(fabric.resources), [])
    write(json.dumps(doc, indent=2, ensure_ascii=False))
    return 0


def _stamp_name(root: Path) -> str:
    """The stamp's name from fabric.yaml if that much can be read, else the directory."""
    try:
        return engine.load_config(root).stamp
    except FabricError:
        return str(root)


def validation_json(stamp: str, resources: int | None, diagnostics: list[Diagnostic]) -> dict[str, object]:
    """`fabric validate --format json` (format version 1): the stamp's name, valid, resource count, one
    item per problem (a problem without a position — not a stamp directory — has line and column 0)."""
    return {
        "format_version": "1",
        "stamp": stamp,
        "valid": not diagnostics,
        "resources": resources,
        "problems": [
            {
                "file": d.location.file,
                "line": d.location.line,
                "column": d.location.column,
                "severity": d.severity,
                "message": d.message,
                "address": d.address,
            }
            for d in diagnostics
        ],
    }


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
        the_plan, basis = engine.plan_with_fingerprint(
            session, destroy=destroy, fingerprint=out_file is not None, replace=replace or (), notices=notices
        )
        the_plan = targeted(session, the_plan, target, exclude)
        if out_file is not None:
            save_plan(out_file, session, the_plan, basis)
    for line in notices:  # what an interrupted run left pending, settled
        err.print(line, markup=False)
    emit_plan(the_plan, fmt, compact)
    if out_file is not None:
        err.print(f"Saved the plan to {out_file}; apply exactly this plan with: fabric apply {out_file}", markup=False)
    return 2 if detailed_exitcode and the_plan.has_changes else 0
