"""Opening a stamp for use: load, model-validate and semantically validate it at once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from pathlib import Path

from fabric.errors import ConfigError
from fabric.graph import build_graph
from fabric.load.stamp import STAMP_FILE, display_path, load_stamp, to_diagnostics
from fabric.model.stamp import Fabric, Finding, SourceRef
from fabric.validate import check


def open_stamp(root: Path, providers: Collection[str] | None = None) -> Fabric:
    """A valid `Fabric`, or ConfigError listing every problem (syntax, model and semantic).

    `providers`: the provider names that exist; the stamp's `provider.type` must be one.
    """
    fabric, locator, diagnostics, known = load_stamp(root)
    if fabric is not None:
        fabric = replace(fabric, graph=build_graph(fabric.resources))
        findings = check(fabric, known)
        kind = fabric.config.provider.type
        if providers is not None and kind not in providers:
            source = SourceRef(display_path(root / STAMP_FILE), ("provider", "type"))
            findings.append(Finding(source, f"unknown provider {kind!r} (available: {', '.join(sorted(providers))})"))
        diagnostics = diagnostics + to_diagnostics(findings, locator)
    if diagnostics or fabric is None:
        raise ConfigError(diagnostics)
    return fabric
