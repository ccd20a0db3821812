"""Reading a lab seed file (hosts and VMs): every problem at its file:line:col, like a stamp's."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from fabric.errors import ConfigError, Diagnostic, SourceLocation
from fabric.load.stamp import display_path, pydantic_findings, read_text, to_diagnostics
from fabric.load.yamlfile import Locator, parse_yaml
from fabric.model.stamp import SourceRef
from fabric.providers.lab.dr import Seed


def read_seed(path: Path) -> Seed:
    """The seed in `path`; ConfigError listing every problem."""
    name = display_path(path)
    locator = Locator()
    text, problems = read_text(path, name, locator)
    if text is None:
        raise ConfigError(problems)
    data, problems = parse_yaml(text, name)
    if problems:
        raise ConfigError(problems)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([Diagnostic(SourceLocation(name, 1, 1), "a lab seed is a mapping with hosts and vms")])
    try:
        seed = Seed.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(to_diagnostics(pydantic_findings(exc, SourceRef(name, ()), None, Seed), locator)) from None
    hosts = {h.casefold() for h in seed.hosts}
    missing = [
        Diagnostic(locator.locate(name, ("vms", vm, "host")), f"host {body.host!r} is not one of the seed's hosts")
        for vm, body in seed.vms.items()
        if body.host.casefold() not in hosts
    ]
    if missing:
        raise ConfigError(missing)
    return seed
