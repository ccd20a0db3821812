"""Opening a stamp for use: load, model-validate and semantically validate it at once."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from fabric.errors import ConfigError
from fabric.graph import build_graph
from fabric.load.provider_settings import provider_findings, resource_findings
from fabric.load.stamp import STAMP_FILE, display_path, load_stamp_details, to_diagnostics
from fabric.model.stamp import Fabric, Finding, SourceRef
from fabric.validate import check

Providers = Collection[str] | Mapping[str, type[BaseModel] | None]


def open_stamp(root: Path, providers: Providers | None = None, variables: Mapping[str, Any] | None = None) -> Fabric:
    """A valid `Fabric`, or ConfigError listing every problem (syntax, model and semantic).

    `providers`: the provider names that exist; the stamp's `provider.type` must be one. Given
    as a mapping name → settings model (`fabric.providers.registry.settings_models()`), the
    `provider:` block is also checked against the model of its type, and secret-looking
    settings not written as `${env:NAME}` are refused (a model of None: only that check); a
    model with `resource_findings` (`fabric.load.provider_settings.ResourceChecks`) also
    refuses the resources the provider cannot manage with those settings.
    `variables`: values overriding `fabric.yaml`'s `variables` (the result of
    `fabric.load.variables.resolve_variables`); None = the defaults in `fabric.yaml`.
    StampPathError (a FabricError) if `root` is not a stamp directory.
    """
    loaded = load_stamp_details(root, variables)
    fabric, diagnostics = loaded.fabric, loaded.diagnostics
    if fabric is not None:
        fabric = replace(fabric, graph=build_graph(fabric.resources))
        findings = check(fabric, loaded.known, loaded.cascade)
        kind = fabric.config.provider.type
        config_file = display_path(root / STAMP_FILE)
        if providers is not None and kind not in providers:
            source = SourceRef(config_file, ("provider", "type"))
            findings.append(Finding(source, f"unknown provider {kind!r} (available: {', '.join(sorted(providers))})"))
        elif isinstance(providers, Mapping):
            model = providers[kind]
            findings += provider_findings(config_file, fabric.config.provider, model)
            findings += resource_findings(fabric, model)
        diagnostics = diagnostics + to_diagnostics(findings, loaded.locator)
    errors = [d for d in diagnostics if d.severity == "error"]
    if errors or fabric is None:
        raise ConfigError(errors)
    warnings = sorted((d for d in diagnostics if d.severity != "error"), key=lambda d: (d.location, d.message))
    return replace(fabric, warnings=tuple(warnings))
