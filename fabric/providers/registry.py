"""Finding providers by name: the built-in lab provider and the `fabric.providers` entry points."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any, cast

from fabric.errors import FabricError
from fabric.providers.logged import LoggedProvider, call_log_from_env
from fabric.providers.protocol import Provider, ProviderFactory

GROUP = "fabric.providers"


def _builtin(name: str) -> ProviderFactory | None:
    if name == "lab":
        from fabric.providers.lab.provider import open_lab

        return open_lab
    return None


def available() -> list[str]:
    """Names of every provider that can be used."""
    return sorted({"lab", *(ep.name for ep in entry_points(group=GROUP))})


def open_provider(stamp_dir: Path, settings: Mapping[str, Any], work_dir: Path) -> Provider:
    """Build the provider named by `settings['type']`; FabricError if unknown or failing."""
    name = str(settings.get("type", "lab"))
    factory = _builtin(name)
    if factory is None:
        matches = [ep for ep in entry_points(group=GROUP) if ep.name == name]
        if not matches:
            raise FabricError(f"unknown provider {name!r} (available: {', '.join(available())})")
        factory = cast(ProviderFactory, matches[0].load())
    provider = factory(stamp_dir, settings, work_dir)
    log = call_log_from_env()
    return LoggedProvider(provider, log) if log is not None else provider
