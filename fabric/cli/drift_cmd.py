"""`fabric drift`: what changed outside fabric, kept apart from changes not applied yet."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fabric import __version__, engine
from fabric.cli.common import InventoryFile, StampDir, StateDir, err, reports_errors, write, write_file
from fabric.render.drift import drift_html, drift_json, drift_markdown, drift_text


class DriftFormat(StrEnum):
    """Output formats of `fabric drift`."""

    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


@reports_errors
def drift(
    stamp: StampDir,
    fmt: Annotated[DriftFormat, typer.Option("--format", help="text, json, markdown or html.")] = DriftFormat.text,
    detailed_exitcode: Annotated[
        bool, typer.Option("--detailed-exitcode", help="Exit 0 = no drift, 1 = error, 2 = drift.")
    ] = False,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write the report to FILE.")] = None,
    inventory: InventoryFile = None,
    state_dir: StateDir = None,
) -> int:
    """Compare last-applied state with the live fabric (drift) and with the code (pending)."""
    with engine.open_session(stamp, state_dir, inventory=inventory) as session:
        report = engine.drift(session)
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
