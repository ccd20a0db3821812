"""`fabric show`, `fabric graph` and `fabric schema`: looking at state, graph and schemas."""

from __future__ import annotations

import json
from contextlib import closing
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fabric import engine
from fabric.cli.common import StampDir, StateDir, err, out, print_plan_text, reports_errors, write
from fabric.cli.plan_cmd import read_plan_file
from fabric.graph import build_graph
from fabric.load.schema import render_schemas
from fabric.project import open_stamp
from fabric.render.graphviz import to_dot, to_mermaid
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
    stamp: StampDir, fmt: Annotated[Format, typer.Option("--format")] = Format.text, state_dir: StateDir = None
) -> int:
    """What state records: address, live ID and applied attributes (or a saved plan file's plan)."""
    if stamp.is_file():
        the_plan, context = read_plan_file(stamp)
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
def graph(stamp: StampDir, fmt: Annotated[GraphFormat, typer.Option("--format")] = GraphFormat.mermaid) -> int:
    """The dependency graph of the stamp's resources, as mermaid or Graphviz DOT."""
    fabric = open_stamp(stamp)
    g = build_graph(fabric.resources)
    out.print(to_dot(g) if fmt is GraphFormat.dot else to_mermaid(g), markup=False, end="")
    return 0


@reports_errors
def schema(
    out_dir: Annotated[Path, typer.Option("--out", help="Directory to write the schemas into.")] = Path("schemas"),
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
