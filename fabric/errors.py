"""Errors and diagnostics shared by every layer.

The core reports user errors as `Diagnostic` values; only the CLI turns them into text and
an exit code. `FabricError` carries diagnostics across layers that cannot return them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A 1-based line and column in a source file."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in user input, pointing at its source."""

    location: SourceLocation
    message: str
    address: str | None = None
    severity: str = "error"
    cause: SourceLocation | None = None  # a follow-on of the problem reported there: listed right after it

    def render(self) -> str:
        """Return the one-line form `file:line:col: error: what (address)`."""
        suffix = f" ({self.address})" if self.address else ""
        text = self.message.replace("\n", " ")
        return f"{self.location}: {self.severity}: {text}{suffix}"


class FabricError(Exception):
    """Base class for errors the CLI reports without a traceback."""


class ConfigError(FabricError):
    """User input is invalid; carries every diagnostic found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(diagnostics, key=_order)
        super().__init__("\n".join(d.render() for d in self.diagnostics))


def _order(d: Diagnostic) -> tuple[SourceLocation, bool, SourceLocation, str]:
    """By location, except that a follow-on comes right after the problem it follows from."""
    return (d.cause or d.location, d.cause is not None, d.location, d.message)


class StampPathError(FabricError):
    """The stamp argument is not a stamp directory (missing, a file, no fabric.yaml): one line, no position."""


class ProviderError(FabricError):
    """A provider refused or failed an operation."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class StateLockedError(FabricError):
    """The state is locked by another process."""


class StaleInputError(FabricError):
    """An input (state, plan) changed since it was read."""
