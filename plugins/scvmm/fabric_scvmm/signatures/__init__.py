"""The cmdlet signatures the scripts are checked against, per target VMM version (data; sources
in README.md beside this file).

`vmm-2016.json` holds every VMM cmdlet the templates call, as the VMM 2016 help prints it
(written by tests/scvmm/binding/derive_signatures.py); `versions.json` says, per version, what
differs from the version it is based on and which cmdlets were read for it; `powershell.json`
holds the Windows PowerShell 5.1 cmdlets the scripts also call and the common parameters.
`load(version)` composes them into one `Table`. The binding test (tests/scvmm/test_binding.py)
reads it; nothing at run time does.

Names are case-insensitive, as in PowerShell: look them up with `Table.cmdlet` and `Cmdlet.parameter`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from fabric_scvmm.versions import VERSIONS

HERE = Path(__file__).parent
__all__ = ["HERE", "VERSIONS", "Cmdlet", "Parameter", "ParameterSet", "Table", "load"]


@dataclass(frozen=True)
class Parameter:
    """One parameter of a cmdlet: its .NET type, aliases and, for an enumeration, the accepted values."""

    name: str
    type: str
    switch: bool = False
    aliases: tuple[str, ...] = ()
    values: tuple[str, ...] | None = None


@dataclass(frozen=True)
class ParameterSet:
    """A parameter set: which parameters it takes, which are mandatory, positions and pipeline input."""

    name: str
    mandatory: frozenset[str]
    optional: frozenset[str]
    positions: Mapping[str, int] = field(default_factory=dict)  # 0-based
    pipeline: Mapping[str, str] = field(default_factory=dict)  # parameter → ByValue / ByPropertyName

    @property
    def parameters(self) -> frozenset[str]:
        """Every parameter of the set."""
        return self.mandatory | self.optional


@dataclass(frozen=True)
class Cmdlet:
    """A cmdlet's signature on one version."""

    name: str
    source: str
    default_set: str | None
    supports_should_process: bool  # -WhatIf and -Confirm
    parameters: Mapping[str, Parameter]
    sets: Mapping[str, ParameterSet]

    def parameter(self, name: str) -> Parameter | None:
        """The parameter called `name` or with that alias (case-insensitive), if the cmdlet has one."""
        folded = name.casefold()
        for param in self.parameters.values():
            if param.name.casefold() == folded or folded in (a.casefold() for a in param.aliases):
                return param
        return None


@dataclass(frozen=True)
class Table:
    """Every cmdlet the scripts may call on one VMM version, and the common parameters."""

    version: str
    label: str  # "VMM 2012 R2"
    cmdlets: Mapping[str, Cmdlet]  # casefolded name → signature
    common: Mapping[str, Parameter]
    should_process: Mapping[str, Parameter]  # -WhatIf, -Confirm: only for cmdlets that support them
    verified: Mapping[str, str]  # cmdlet → which page was read for this version
    vmm: frozenset[str]  # casefolded names of the VMM cmdlets

    def cmdlet(self, name: str) -> Cmdlet | None:
        """The cmdlet called `name` (case-insensitive), if this version has it."""
        return self.cmdlets.get(name.casefold())


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / name).read_text(encoding="utf-8"))
    return data


def _parameter(name: str, data: Mapping[str, Any]) -> Parameter:
    values = data.get("values")
    return Parameter(
        name,
        str(data["type"]),
        bool(data.get("switch", False)),
        tuple(data.get("aliases", ())),
        tuple(values) if values is not None else None,
    )


def _cmdlet(name: str, data: Mapping[str, Any]) -> Cmdlet:
    sets = {
        set_name: ParameterSet(
            set_name,
            frozenset(body["mandatory"]),
            frozenset(body["optional"]),
            dict(body.get("positions", {})),
            dict(body.get("pipeline", {})),
        )
        for set_name, body in data["sets"].items()
    }
    parameters = {p: _parameter(p, body) for p, body in data["parameters"].items()}
    should_process = bool(data["supports_should_process"])
    return Cmdlet(name, str(data["source"]), data.get("default_set"), should_process, parameters, sets)


def _changed(cmdlet: Cmdlet, change: Mapping[str, Any]) -> Cmdlet:
    """`cmdlet` with one version's changes applied (see versions.json)."""
    removed = set(change.get("remove_parameters", ()))
    dropped = set(change.get("remove_sets", ()))
    unknown = (removed - set(cmdlet.parameters)) | (dropped - set(cmdlet.sets))
    if unknown:
        raise ValueError(f"versions.json: {cmdlet.name} has no {sorted(unknown)}")
    mandatory = sorted(removed & set().union(*(s.mandatory for n, s in cmdlet.sets.items() if n not in dropped)))
    if mandatory:  # a set without one of its mandatory parameters is another set: drop it instead
        raise ValueError(f"versions.json: {cmdlet.name}: {mandatory} is mandatory in a set that is kept")
    sets = {
        name: ParameterSet(name, s.mandatory - removed, s.optional - removed, s.positions, s.pipeline)
        for name, s in cmdlet.sets.items()
        if name not in dropped
    }
    kept: set[str] = set().union(*(s.parameters for s in sets.values()))
    parameters = {}
    for name, param in cmdlet.parameters.items():
        if name in removed or name not in kept:
            continue
        values = change.get("values", {}).get(name)
        parameters[name] = Parameter(name, param.type, param.switch, param.aliases, tuple(values)) if values else param
    default = cmdlet.default_set if cmdlet.default_set in sets else None
    source = f"{cmdlet.source}; {change['source']}"
    return Cmdlet(cmdlet.name, source, default, cmdlet.supports_should_process, parameters, sets)


def _vmm_cmdlets(version: str, versions: Mapping[str, Any]) -> dict[str, Cmdlet]:
    entry = versions[version]
    if entry["base"] is None:
        data = _read(f"vmm-{version}.json")["cmdlets"]
        return {name: _cmdlet(name, body) for name, body in data.items()}
    cmdlets = _vmm_cmdlets(entry["base"], versions)
    for name, change in entry["changes"].items():
        cmdlets[name] = _changed(cmdlets[name], change)
    return cmdlets


@cache
def load(version: str) -> Table:
    """The table for `version` (one of VERSIONS)."""
    versions = _read("versions.json")["versions"]
    if version not in versions:
        raise ValueError(f"unknown VMM version {version!r} (known: {', '.join(VERSIONS)})")
    vmm = _vmm_cmdlets(version, versions)
    shell = _read("powershell.json")
    others = {name: _cmdlet(name, body) for name, body in shell["cmdlets"].items()}
    common = {n: _parameter(n, b) for n, b in shell["common"]["parameters"].items()}
    should_process = {n: _parameter(n, b) for n, b in shell["common"]["should_process"].items()}
    cmdlets = {name.casefold(): c for name, c in {**others, **vmm}.items()}
    return Table(
        version,
        str(versions[version]["label"]),
        cmdlets,
        common,
        should_process,
        dict(versions[version]["verified"]),
        frozenset(name.casefold() for name in vmm),
    )
