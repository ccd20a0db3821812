"""`fabric init`: scaffold a stamp from a packaged template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fabric.cli.common import out, reports_errors
from fabric.scaffold import scaffold


@reports_errors
def init(
    target: Annotated[Path, typer.Argument(help="Directory to create.", show_default=False, metavar="DIR")],
    template: Annotated[str, typer.Option("--template", metavar="NAME", help="reference, lab or wap.")] = "reference",
    var: Annotated[
        list[str] | None,
        typer.Option("--var", metavar="NAME=VALUE", help="NAME=VALUE (lists comma-separated); repeatable."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty directory.")] = False,
) -> int:
    """Create a stamp directory from a template (reference: the fabric-controller design)."""
    for path in scaffold(target, template, var or [], force=force):
        out.print(f"wrote {path}", markup=False)
    out.print(f"Next: fabric validate {target} && fabric plan {target}", markup=False)
    return 0
