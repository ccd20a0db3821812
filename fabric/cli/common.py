"""Shared CLI pieces: consoles, option types, error reporting, colouring plan text."""

from __future__ import annotations

import os
import re
import sys
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from fabric.errors import ConfigError, FabricError

out = Console(highlight=False, soft_wrap=True, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

StampDir = Annotated[Path, typer.Argument(help="The stamp directory (holds fabric.yaml).", show_default=False)]
StateDir = Annotated[
    Path | None, typer.Option("--state-dir", help="Where state and the lab live [default: STAMP/.fabric].")
]
InventoryFile = Annotated[
    Path | None,
    typer.Option("--inventory", help="Plan against a saved inventory (from the provider's export script)."),
]
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$")
_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def parse_duration(text: str | float) -> float:
    """`30s`, `2m`, `500ms`, `1h` or plain seconds (`30`, `0.5`) → seconds."""
    if isinstance(text, float | int):
        return float(text)
    match = _DURATION.match(text)
    if not match:
        raise typer.BadParameter(f"{text!r} is not a duration (examples: 30s, 2m, 500ms, 10)")
    return float(match.group(1)) * _UNIT_SECONDS[match.group(2) or "s"]


LockTimeout = Annotated[
    float,
    typer.Option(
        "--lock-timeout",
        parser=parse_duration,
        metavar="DURATION",
        show_default=False,
        help="Wait this long for the state lock (30s, 2m, 500ms); without it, fail at once.",
    ),
]

F = TypeVar("F", bound=Callable[..., Any])
_STYLES = {"+": "green", "~": "yellow", "-/+": "magenta", "-": "red"}


def reports_errors(fn: F) -> F:
    """Turn FabricError into its message (diagnostics one per line) and exit code 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ConfigError as exc:
            for diagnostic in exc.diagnostics:
                err.print(diagnostic.render(), markup=False)
            err.print(f"{len(exc.diagnostics)} problem(s) found; nothing was changed.", markup=False)
            return 1
        except FabricError as exc:
            err.print(f"error: {exc}", markup=False)
            return 1
        except OSError as exc:
            err.print(f"error: {exc}", markup=False)
            return 1
        except Exception as exc:  # a bug in fabric, not bad input: still no traceback by default
            if os.environ.get("FABRIC_DEBUG"):
                traceback.print_exc()
            err.print(f"internal error: {type(exc).__name__}: {exc} (set FABRIC_DEBUG=1 for details)", markup=False)
            return 1

    return wrapper  # type: ignore[return-value]


def write(text: str) -> None:
    """Write text to stdout as is: fast (no rich rendering) for large plans and pipes."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def print_plan_text(text: str) -> None:
    """Print plan text; on a terminal, colour each change line by its action symbol."""
    if not is_tty():
        write(text)
        return
    styled = Text()
    for line in text.splitlines():
        stripped = line.lstrip()
        symbol = stripped.split(" ", 1)[0] if stripped else ""
        styled.append(line + "\n", style=_STYLES.get(symbol, ""))
    out.print(styled, end="")


def is_tty() -> bool:
    """True if stdout is a terminal."""
    return sys.stdout.isatty()
