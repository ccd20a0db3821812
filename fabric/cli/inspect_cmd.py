"""`fabric show`, `fabric graph` and `fabric schema`: looking at state, graph and schemas."""

from __future__ import annotations

import json
from contextlib import closing
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fabric import engine
from fabric.cli.common import (
    HERE,
    StampDir,
    StateDir,
    VarAssignments,
    VarFiles,
    err,
    out,
    print_plan_text,
    reports_errors,
    write,
)
from fabric.load.schema import render_schemas
from fabric.project import open_stamp
from fabric.render.graphviz import drawing, to_dot, to_mermaid
from fabric.render.jsonplan import plan_to_json
from fabric.render.text import plan_text, state_text
from fabric.state.sqlite import STATE_FILE


class Format(StrEnum):
    """text or json."""

    text = "text"
    json = "json"


class GraphFormat(StrEnum):
    """mermaid or dot."""

    mermaid = "mermaid"
    dot = "dot"


@reports_errors
def show(
    stamp: Annotated[
        Path,
        typer.Argument(
            help="The stamp directory (default: the current one), or a plan file from fabric plan --out.",
            show_default=False,
            metavar="STAMP|PLANFILE",
        ),
    ] = HERE,
    fmt: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    state_dir: StateDir = None,
) -> int:
    """What state records: address, live ID and applied attributes (or a saved plan file's plan)."""
    if stamp.is_file() or stamp.suffix == ".fabricplan":
        the_plan, context = engine.read_plan_file(stamp)
        if fmt is Format.json:
            doc = {**plan_to_json(the_plan), "created": context.created, "stamp_dir": context.stamp_dir}
            write(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            write(f"Saved plan for stamp {the_plan.stamp!r} ({context.stamp_dir}), made {context.created}:")
            print_plan_text(plan_text(the_plan))
        return 0
    settings, _ = engine.state_settings(stamp)
    if settings.backend == "sqlite" and not (engine.work_dir_for(stamp, state_dir) / STATE_FILE).exists():
        snapshot_text = "State is empty." if fmt is Format.text else json.dumps({"serial": 0, "resources": []})
        out.print(snapshot_text, markup=False)
        return 0
    with closing(engine.open_stamp_state(stamp, state_dir)) as state:
        snapshot = state.read()
    if fmt is Format.json:
        doc = {
            "format_version": "1",
            "serial": snapshot.serial,
            "lineage": snapshot.lineage,
            "resources": [snapshot.entries[a].to_json() for a in sorted(snapshot.entries)],
        }
        write(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        out.print(state_text(snapshot), markup=False)
    return 0


@reports_errors
def graph(
    stamp: StampDir = HERE,
    fmt: Annotated[GraphFormat, typer.Option("--format", help="mermaid or dot.")] = GraphFormat.mermaid,
    with_plan: Annotated[
        bool,
        typer.Option("--plan", help="Plan against the live fabric and state; mark each node with its action."),
    ] = False,
    state_dir: StateDir = None,
    var: VarAssignments = None,
    var_file: VarFiles = None,
) -> int:
    """The dependency graph of the stamp's resources, as mermaid or Graphviz DOT: nodes coloured
    by kind and grouped by location; with `--plan`, each marked with its planned action."""
    variables = engine.stamp_variables(stamp, var, var_file)
    if with_plan:
        with engine.open_session(stamp, state_dir, variables=variables) as session:
            g, shown = drawing(session.fabric.resources, engine.plan(session))
    else:
        g, shown = drawing(open_stamp(stamp, variables=variables).resources)
    out.print(to_dot(g, shown) if fmt is GraphFormat.dot else to_mermaid(g, shown), markup=False, end="")
    return 0


@reports_errors
def schema(
    out_dir: Annotated[Path, typer.Option("--out", metavar="DIR", help="Directory to write the schemas into.")] = Path(
        "schemas"
    ),
    check: Annotated[bool, typer.Option("--check", help="Only check that the files are up to date.")] = False,
) -> int:
    """Write the JSON Schemas generated from the models (or check they are current)."""
    stale = []
    for name, text in render_schemas().items():
        path = out_dir / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if check:
            stale.append(str(path))
        else:
            out_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            out.print(f"wrote {path}", markup=False)
    if stale:
        err.print(f"out of date: {', '.join(stale)} (run: fabric schema --out {out_dir})", markup=False)
        return 1
    return 0
