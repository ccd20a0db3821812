"""Finding providers by name: the built-in lab provider and the `fabric.providers` entry points.

Each provider declares its settings (what `provider:` in fabric.yaml may hold besides `type`)
as a pydantic model beside its factory: the lab in `fabric.providers.lab.settings`, a plug-in
as `SETTINGS_MODEL` in its entry point's module. `settings_models` hands them to
`fabric.project.open_stamp`, which may not import providers itself. A settings model may also
check the stamp's resources against what the provider can do with those settings (a method
`resource_findings(fabric)`, see `fabric.load.provider_settings.ResourceChecks`): that is how
`fabric validate` refuses, at its line, what a provider's target cannot do.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, cast

from pydantic import BaseModel

from fabric.errors import FabricError
from fabric.providers.logged import LoggedProvider, call_log_from_env
from fabric.providers.protocol import Provider, ProviderFactory

GROUP = "fabric.providers"
SETTINGS_ATTRIBUTE = "SETTINGS_MODEL"  # a plug-in's settings model, in the module of its factory


def entry_points(group: str) -> Any:
    """The installed plug-ins of `group` (importlib.metadata costs 15 ms: only when one is wanted)."""
    from importlib import metadata

    return metadata.entry_points(group=group)


def _builtin(name: str) -> ProviderFactory | None:
    if name == "lab":
        from fabric.providers.lab.provider import open_lab

        return open_lab
    return None


def available() -> list[str]:
    """Names of every provider that can be used."""
    return sorted({"lab", *(ep.name for ep in entry_points(group=GROUP))})


class _SettingsModels(Mapping[str, "type[BaseModel] | None"]):
    """Provider name → settings model (None: the provider declares none), each imported only
    when looked up: validating a lab stamp never loads a plug-in."""

    def __init__(self) -> None:
        self._found: list[str] | None = None  # every provider's name, once something asks for a plug-in
        self._models: dict[str, type[BaseModel] | None] = {}

    @property
    def _names(self) -> list[str]:
        if self._found is None:
            self._found = available()
        return self._found

    def __getitem__(self, name: str) -> type[BaseModel] | None:
        if name not in self:
            raise KeyError(name)
        if name not in self._models:
            self._models[name] = _settings_model(name)
        return self._models[name]

    def __contains__(self, name: object) -> bool:
        return name == "lab" or name in self._names

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _settings_model(name: str) -> type[BaseModel] | None:
    if name == "lab":
        from fabric.providers.lab.settings import LabSettings

        return LabSettings
    point = next(ep for ep in entry_points(group=GROUP) if ep.name == name)
    try:
        module = importlib.import_module(point.module)
    except Exception as exc:  # a broken plug-in is the user's to fix: one line, not a traceback
        raise FabricError(f"provider {name!r} cannot be loaded: {type(exc).__name__}: {exc}") from None
    model = getattr(module, SETTINGS_ATTRIBUTE, None)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def settings_models() -> Mapping[str, type[BaseModel] | None]:
    """Every usable provider's settings model by name, loaded lazily (see `_SettingsModels`)."""
    return _SettingsModels()


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
