"""How help reads: plain text (no rich markup, which swallowed `[default: …]`), arguments as
`NAME` (required) or `[NAME]` (optional) like most command-line tools, options with a metavar.

typer marks a required argument `{name}` in usage lines and adds its type (`<path>`) to every
argument and option; fabric's commands give each option a metavar instead, and this module
adjusts the two typer methods that draw arguments. `tests/cli/test_help.py` keeps a snapshot of
every command's help, so a typer release that changes them fails the suite rather than users.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument


def _usage_display_name(self: TyperArgument) -> str:
    name = self.display_name_raw
    if not self.required and not name.startswith("["):
        name = f"[{name}]"
    if self.nargs != 1 and not name.endswith("...") and " " not in name:
        name += "..."
    return name


def _no_type(self: TyperArgument, ctx: Any) -> str | None:
    return None


def install() -> None:
    """Draw arguments fabric's way (idempotent)."""
    TyperArgument._usage_display_name = _usage_display_name  # type: ignore[method-assign]
    TyperArgument.display_type_rich = _no_type  # type: ignore[method-assign, assignment]
