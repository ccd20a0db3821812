"""`fabric validate`: load and check a stamp without opening state or a provider."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from fabric.cli.common import HERE, StampDir, VarAssignments, VarFiles, report_warnings, reports_errors, write
from fabric.errors import ConfigError, Diagnostic, FabricError, SourceLocation
from fabric.load.stamp import load_config
from fabric.load.variables import stamp_variables
from fabric.project import open_stamp
from fabric.providers.lab.seedfile import check_seed
from fabric.providers.registry import settings_models


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
        fabric = open_stamp(stamp, settings_models(), stamp_variables(stamp, var, var_file))
        fabric = check_seed(fabric)
        report_warnings(fabric)
        where = stamp if stamp != HERE else Path.cwd().name  # `fabric validate` in the stamp directory
        warned = f", {len(fabric.warnings)} warning(s)" if fabric.warnings else ""
        write(f"{where}: valid ({len(fabric.resources)} resources{warned}).")
        return 0
    try:
        fabric = open_stamp(stamp, settings_models(), stamp_variables(stamp, var, var_file))
        fabric = check_seed(fabric)
    except ConfigError as exc:
        write(json.dumps(validation_json(_stamp_name(stamp), None, exc.diagnostics), indent=2, ensure_ascii=False))
        return 1
    except FabricError as exc:  # not a stamp at all: one problem, no position
        problem = Diagnostic(SourceLocation(str(stamp), 0, 0), str(exc))
        write(json.dumps(validation_json(str(stamp), None, [problem]), indent=2, ensure_ascii=False))
        return 1
    doc = validation_json(fabric.config.stamp, len(fabric.resources), list(fabric.warnings))
    write(json.dumps(doc, indent=2, ensure_ascii=False))
    return 0


def _stamp_name(root: Path) -> str:
    """The stamp's name from fabric.yaml if that much can be read, else the directory."""
    try:
        return load_config(root).stamp
    except FabricError:
        return str(root)


def validation_json(stamp: str, resources: int | None, diagnostics: list[Diagnostic]) -> dict[str, object]:
    """`fabric validate --format json` (format version 1): the stamp's name, valid, resource count, one
    item per problem (a problem without a position — not a stamp directory — has line and column 0)."""
    return {
        "format_version": "1",
        "stamp": stamp,
        "valid": not any(d.severity == "error" for d in diagnostics),
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
