"""`fabric drift`: what changed outside fabric, kept apart from changes not applied yet."""

from __future__ import annotations

import json
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
    StampDir,
    StateDir,
    VarAssignments,
    VarFiles,
    err,
    reports_errors,
    write,
    write_file,
)
from fabric.render.drift import drift_html, drift_json, drift_markdown, drift_text


class DriftFormat(StrEnum):
    """Output formats of `fabric drift`."""

    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@reports_errors
def drift(
    stamp: StampDir = HERE,
    fmt: Annotated[DriftFormat, typer.Option("--format", help="text, json, markdown or html.")] = DriftFormat.text,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 0 = no drift, 1 = error, 2 = drift.")
    ] = False,
    out_file: Annotated[Path | None, typer.Option("--out", metavar="FILE", help="Write the report to FILE.")] = None,
    accept: Annotated[
        list[str] | None,
        typer.Option(
            "--accept",
            metavar="ADDRESS",
            help="The console edit is right: record this resource's live values in state as last applied "
            "(repeatable); then report.",
        ),
    ] = None,
    inventory: InventoryFile = None,
    state_dir: StateDir = None,
    lock_timeout: LockTimeout = 0.0,
    var: VarAssignments = None,
    var_file: VarFiles = None,
) -> int:
    """Compare last-applied state with the live fabric (drift) and with the code (pending)."""
    variables = engine.stamp_variables(stamp, var, var_file)
    with engine.open_session(stamp, state_dir, lock_timeout, inventory, variables) as session:
        if accept:
            accepted = engine.accept_drift(session, accept)
            for address in dict.fromkeys(accept):
                if address in accepted:
                    err.print(
                        f"Accepted the live values of {address} as last applied; where the code says otherwise, "
                        "the next plan changes them back, so update the code to keep them.",
                        markup=False,
                    )
                else:
                    err.print(f"{address}: no drift to accept (live matches what fabric last applied).", markup=False)
        notices: list[str] = []
        report = engine.drift(session, notices)
    for line in notices:  # what an interrupted run left pending, settled
        err.print(line, markup=False)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    if fmt is DriftFormat.json:
        text = json.dumps(drift_json(report, now), indent=2, ensure_ascii=False)
    elif fmt is DriftFormat.markdown:
        text = drift_markdown(report, now)
    elif fmt is DriftFormat.html:
        text = drift_html(report, now, __version__)
    else:
        text = drift_text(report)
    if out_file is None:
        write(text)
    else:
        write_file(out_file, text)
        err.print(f"wrote {out_file}", markup=False)
    return 2 if detailed_exitcode and report.has_drift else 0
