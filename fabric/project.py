"""Opening a stamp for use: load, model-validate and semantically validate it at once."""

from __future__ import annotations

from pathlib import Path

from fabric.errors import ConfigError
from fabric.load.stamp import load_stamp, to_diagnostics
from fabric.model.stamp import Fabric
from fabric.validate import check


def open_stamp(root: Path) -> Fabric:
    """A valid `Fabric`, or ConfigError listing every problem (syntax, model and semantic)."""
    fabric, locator, diagnostics, known = load_stamp(root)
    if fabric is not None:
        diagnostics = diagnostics + to_diagnostics(check(fabric, known), locator)
    if diagnostics or fabric is None:
        raise ConfigError(diagnostics)
    return fabric
