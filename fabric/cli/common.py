"""Shared CLI pieces: consoles, option types, error reporting, colouring plan text."""

from __future__ import annotations

import io
import os
import re
import signal
import sqlite3
import sys
import threading
import traceback
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO, TypeVar, cast

import typer

from fabric.cli.entry import EXIT_INTERRUPTED as EXIT_INTERRUPTED
from fabric.errors import ConfigError, FabricError
from fabric.secrets import redact_text

if TYPE_CHECKING:
    from rich.console import Console


class _Redacting(io.TextIOBase):
    """A text stream that masks secret values on their way to stdout or stderr (looked up per write,
    so test harnesses that swap sys.stdout still see the output)."""

    def __init__(self, stream: Callable[[], TextIO]) -> None:
        self._stream = stream

    def _target(self) -> TextIO:
        # While a progress bar is live, rich swaps sys.stdout/sys.stderr for proxies that print
        # through a console, and the consoles write here: writing to the proxy again would loop
        # for ever. Write to the file behind the proxy instead.
        stream = self._stream()
        while isinstance(getattr(type(stream), "rich_proxied_file", None), property):
            stream = stream.rich_proxied_file  # type: ignore[attr-defined]
        return stream

    def write(self, text: str) -> int:
        self._target().write(redact_text(text))
        return len(text)

    def flush(self) -> None:
        self._target().flush()

    def isatty(self) -> bool:
        return self._target().isatty()

    def fileno(self) -> int:
        return self._target().fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return getattr(self._target(), "encoding", None) or "utf-8"


class _LazyConsole:
    """A rich Console made on first use: rich costs 10 ms to import, and a command whose output is
    plain (a plan to a pipe, `validate`) never needs it."""

    def __init__(self, stream: Callable[[], TextIO]) -> None:
        self._stream = stream
        self._console: Console | None = None

    def console(self) -> Console:
        """The Console itself (for rich objects that want a real one, such as a progress bar)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(
                file=cast(TextIO, _Redacting(self._stream)), highlight=False, soft_wrap=True, emoji=False
            )
            # rich ends the process with exit 1 when the reader of a pipe stops; fabric's commands
            # treat that as `write` does: the error reaches `reports_errors`, which ends quietly with 0
            self._console.on_broken_pipe = _reader_gone  # type: ignore[method-assign]
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console(), name)


def _reader_gone() -> None:
    raise BrokenPipeError


def real_console(console: Console) -> Console:
    """`out` or `err` as the rich Console it stands for."""
    return console.console() if isinstance(console, _LazyConsole) else console


out = cast("Console", _LazyConsole(lambda: sys.stdout))
err = cast("Console", _LazyConsole(lambda: sys.stderr))

StampDir = Annotated[
    Path,
    typer.Argument(
        help="The stamp directory (holds fabric.yaml); the current directory if not given.",
        show_default=False,
        metavar="STAMP",
    ),
]
HERE = Path(".")


def leading_stamp(args: list[str], usage: str, least: int, most: int | None = None) -> tuple[Path, list[str]]:
    """Split `[STAMP] REST…`: the first argument is the stamp if it names a directory and enough
    arguments follow it; else the stamp is the current directory. `least`/`most`: how many REST
    arguments there must be (a FabricError naming `usage` otherwise)."""
    stamp, rest = HERE, list(args)
    if len(rest) > least and Path(rest[0]).is_dir():
        stamp, rest = Path(rest[0]), rest[1:]
    if len(rest) < least or (most is not None and len(rest) > most):
        raise FabricError(f"expected {usage}, got {len(args)} argument(s): {' '.join(args) or '(none)'}")
    return stamp, rest


StateDir = Annotated[
    Path | None,
    typer.Option("--state-dir", metavar="DIR", help="Where state and the lab live [default: STAMP/.fabric]."),
]
InventoryFile = Annotated[
    Path | None,
    typer.Option(
        "--inventory", metavar="FILE", help="Plan against a saved inventory (from the provider's export script)."
    ),
]
Replace = Annotated[
    list[str] | None,
    typer.Option(
        "--replace",
        "-replace",
        metavar="ADDRESS",
        help="Replace this resource although nothing forces it (delete, then create); repeatable.",
    ),
]
VarAssignments = Annotated[
    list[str] | None,
    typer.Option(
        "--var",
        "-var",
        metavar="NAME=VALUE",
        help="Set a variable declared in fabric.yaml (typed as its default; lists comma-separated); repeatable.",
    ),
]
VarFiles = Annotated[
    list[Path] | None,
    typer.Option(
        "--var-file", "-var-file", metavar="FILE", help="Variables from a YAML file (NAME: value); repeatable."
    ),
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
            _interrupt_with_exception()
            return fn(*args, **kwargs)
        except BrokenPipeError:  # the reader stopped reading (`| head`): not an error, nothing more to say
            _quiet_stdout()
            return 0
        except KeyboardInterrupt:  # Ctrl-C: whatever was open has been closed on the way here
            err.print("\nInterrupted.", markup=False)
            return EXIT_INTERRUPTED
        except ConfigError as exc:
            for diagnostic in exc.diagnostics:
                err.print(printable(diagnostic.render()), markup=False)
            err.print(f"{len(exc.diagnostics)} problem(s) found; nothing was changed.", markup=False)
            return 1
        except FabricError as exc:  # one line per problem
            for line in str(exc).splitlines() or [type(exc).__name__]:
                err.print(f"error: {printable(line)}", markup=False)
            return 1
        except OSError as exc:
            err.print(f"error: {exc}", markup=False)
            return 1
        except sqlite3.Error as exc:  # disk full, database locked by a foreign tool, a damaged file
            err.print(f"error: local database: {exc}", markup=False)
            return 1
        except Exception as exc:  # a bug in fabric, not bad input: still no traceback by default
            if os.environ.get("FABRIC_DEBUG"):
                err.print(traceback.format_exc(), markup=False, end="")  # through the masking stream
            err.print(f"internal error: {type(exc).__name__}: {exc} (set FABRIC_DEBUG=1 for details)", markup=False)
            return 1

    return wrapper  # type: ignore[return-value]


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so that what is still buffered for a closed pipe goes nowhere
    (instead of failing again when the process exits)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # not a real file (a test's captured stream): nothing to redirect
        pass


def _interrupt_with_exception() -> None:
    # Until a command's own code runs, Ctrl-C ends the process with one line (`fabric.cli.entry`);
    # from here on it raises KeyboardInterrupt, so that open files, transactions and locks are
    # released on the way out (apply and destroy trap it to finish changes in flight).
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def printable(text: str) -> str:
    """`text` with control characters shown escaped (`\x1b`): a message that repeats user input
    (an address typed with an escape sequence) cannot drive the terminal or split a line."""
    return _CONTROL.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"


def announce_waits(state: Any) -> Any:
    """Make `state` say, once, that it waits for another holder of its lock (Terraform's
    "Acquiring state lock…"); returns it."""

    def waiting(holder: Any, timeout: float) -> None:
        who = holder.describe() if holder is not None else "another process"
        err.print(f"The state is locked by {who}; waiting up to {timeout:g} s for it…", markup=False)

    state.on_wait = waiting
    return state


def report_warnings(fabric: Any) -> None:
    """Print validation's warnings (`Fabric.warnings`) on stderr, one line each: they refuse nothing."""
    for warning in fabric.warnings:
        sys.stderr.write(redact_text(warning.render() + "\n"))
    sys.stderr.flush()


def write(text: str) -> None:
    """Write text to stdout as is (secrets masked): fast (no rich rendering) for large plans and pipes."""
    sys.stdout.write(redact_text(text if text.endswith("\n") else text + "\n"))
    sys.stdout.flush()


def write_file(path: Path, text: str, *, bom: bool = False) -> None:
    """Write an output file (a report, a script), secrets masked, readable by its owner only.
    `bom`: start with a UTF-8 byte order mark, which Windows PowerShell 5.1 needs to read a
    script as UTF-8 rather than in the ANSI code page."""
    masked = redact_text(text if text.endswith("\n") else text + "\n")
    path.write_text(masked, encoding="utf-8-sig" if bom else "utf-8")
    os.chmod(path, 0o600)


def print_plan_text(text: str) -> None:
    """Print plan text; on a terminal, colour each change line by its action symbol."""
    if not is_tty():
        write(text)
        return
    from rich.text import Text

    styled = Text()
    for line in text.splitlines():
        stripped = line.lstrip()
        symbol = stripped.split(" ", 1)[0] if stripped else ""
        styled.append(line + "\n", style=_STYLES.get(symbol, ""))
    out.print(styled, end="")


def is_tty() -> bool:
    """True if stdout is a terminal."""
    return sys.stdout.isatty()
