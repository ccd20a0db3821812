"""Reading a lab seed file (hosts and VMs): every problem at its file:line:col, like a stamp's."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from fabric.errors import ConfigError, Diagnostic, SourceLocation
from fabric.load.stamp import display_path, pydantic_findings, read_text, to_diagnostics
from fabric.load.suggest import did_you_mean
from fabric.load.yamlfile import Locator, parse_yaml
from fabric.model.resources import HostGroup
from fabric.model.stamp import Fabric, SourceRef

if TYPE_CHECKING:
    from fabric.providers.lab.dr import Seed


def _parse(path: Path) -> tuple[Seed, Locator, str]:
    """The seed in `path` with its locator; ConfigError listing every problem."""
    from fabric.providers.lab.dr import Seed  # its models only for stamps that have a seed

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
    problems = []
    for section in ("hosts", "vms"):
        seen: dict[str, str] = {}
        for key in getattr(seed, section):
            first = seen.setdefault(key.casefold(), key)
            if first != key:  # VMM and Hyper-V compare names case-insensitively: one would replace the other
                where = locator.locate(name, (section, key), at_key=True)
                problems.append(Diagnostic(where, f"{key!r} is {first!r} again (names are case-insensitive)"))
    hosts = {h.casefold() for h in seed.hosts}
    problems += [
        Diagnostic(locator.locate(name, ("vms", vm, "host")), f"host {body.host!r} is not one of the seed's hosts")
        for vm, body in seed.vms.items()
        if body.host.casefold() not in hosts
    ]
    if problems:
        raise ConfigError(problems)
    return seed, locator, name


def read_seed(path: Path) -> Seed:
    """The seed in `path`; ConfigError listing every problem."""
    return _parse(path)[0]


def _group_paths(fabric: Fabric) -> dict[str, str]:
    """Each declared host group's path by display names (Oslo/IaaS), casefolded → as written."""
    groups = {a: r for a, r in fabric.resources.items() if isinstance(r, HostGroup)}
    out: dict[str, str] = {}
    for address in groups:
        names, current, seen = [], address, set()
        while current in groups and current not in seen:
            seen.add(current)
            names.append(groups[current].name)
            current = groups[current].parent or ""
        path = "/".join(reversed(names))
        out[path.casefold()] = path
    return out


def seed_problems(fabric: Fabric) -> list[Diagnostic]:
    """The stamp's lab seed (`provider.seed`), checked: its own problems, and hosts in host groups
    the stamp does not declare (a typo would leave a cloud without hosts)."""
    provider = fabric.config.provider
    setting = (provider.model_extra or {}).get("seed")
    if provider.type != "lab" or not isinstance(setting, str) or not setting:
        return []
    try:
        seed, locator, name = _parse(Path(fabric.root) / setting)
    except ConfigError as exc:
        return list(exc.diagnostics)
    paths = _group_paths(fabric)
    if not paths:
        return []
    out = []
    for host, body in seed.hosts.items():
        if body.host_group.casefold() not in paths:
            hint = did_you_mean(body.host_group, list(paths.values()))
            where = locator.locate(name, ("hosts", host, "host_group"))
            # a warning: the hosts may sit in host groups made outside fabric (or the stamp's one that goes)
            message = f"host group {body.host_group!r} is not declared by the stamp{hint}"
            out.append(Diagnostic(where, message, severity="warning"))
    return out


def check_seed(fabric: Fabric) -> Fabric:
    """ConfigError for the problems of the lab's seed file, if the stamp names one; else the
    fabric with the seed's warnings added to its own."""
    problems = seed_problems(fabric)
    errors = [d for d in problems if d.severity == "error"]
    if errors:
        raise ConfigError(errors)
    return replace(fabric, warnings=(*fabric.warnings, *problems)) if problems else fabric
