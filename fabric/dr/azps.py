"""`fabric dr render --format az-ps`: one reviewed PowerShell script that creates what is missing of
the DR design in an existing Site Recovery vault, through Az.RecoveryServices — policies, cloud
pairings (protection container mappings), network mappings, protection, recovery plans — in the
graph's order, waiting on each job. A recovery plan goes whole through `-Path` (the `rp-json`
document, its placeholders replaced by the IDs the script looks up), then is read back, and the
script stops if any action lost its failover types.

Rendered in a sandboxed jinja2 environment where every value must pass the quoting filter
(`fabric.render.powershell.ps`), as the SCVMM scripts are. The script takes the vault, its
resource group and the VMM server's fabric as parameters: they name Azure objects, not the design.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from fabric.dr.render import item_placeholders, prepare_path, rp_json
from fabric.model.base import Resource
from fabric.model.dr import CloudPairing, LibraryScript, NetworkMapping, ProtectedVm, RecoveryPlan, ReplicationPolicy
from fabric.model.stamp import DrConfig
from fabric.render.powershell import PsCode, ps

TEMPLATES = Path(__file__).parent / "templates"
_PORTS = {"kerberos": 80, "certificate": 443}  # Hyper-V Replica's defaults per authentication


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return value
    raise jinja2.exceptions.SecurityError(f"value {value!r} reached the script without the |ps filter")


def _words(value: Any) -> PsCode:
    """Text for a `#` comment line: printable ASCII as it is, anything else (a line break above all,
    which would end the comment) as `?`."""
    return PsCode("".join(ch if " " <= ch <= "~" else "?" for ch in str(value)))


def environment() -> SandboxedEnvironment:
    """Sandboxed, strict undefined, every value through `ps` (or `words` in comments)."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters = {"ps": ps, "words": _words, "ps_raw": _here_string_body, "ps_member": _member}
    return env


def _here_string_body(text: str) -> PsCode:
    """JSON for a single-quoted here-string: ASCII (non-ASCII escaped), so no line starts with '@."""
    if not text.isascii() or any(line.startswith("'@") for line in text.splitlines()):
        raise jinja2.exceptions.SecurityError("here-string body would end the string or is not ASCII")
    return PsCode(text)


def _member(name: str) -> PsCode:
    """A property path of fabric's own (`ID`, `ProviderSpecificDetails.VmId`), never a value."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*", name):
        raise jinja2.exceptions.SecurityError(f"{name!r} is not a property path")
    return PsCode(name)


def _var(name: str) -> PsCode:
    """The script variable `$name` (fabric's own names: `policy0`, `item3`)."""
    if not re.fullmatch(r"[a-z]+[0-9]+", name):
        raise jinja2.exceptions.SecurityError(f"{name!r} is not a variable name")
    return PsCode("$" + name)


def _name(resources: Mapping[str, Resource], address: str) -> str:
    return str(getattr(resources.get(address), "name", address))


def context(resources: Mapping[str, Resource], config: DrConfig, stamp: str) -> dict[str, Any]:
    """What the template writes: each DR object with the display names the vault knows it by."""
    policies: list[dict[str, Any]] = []
    for address, r in resources.items():
        if isinstance(r, ReplicationPolicy):
            policies.append(
                {
                    "var": _var(f"policy{len(policies)}"),
                    "address": address,
                    "name": r.name,
                    "frequency": str(r.copy_frequency_seconds),
                    "points": r.recovery_points,
                    "app_consistent": r.app_consistent_frequency_hours,
                    "authentication": r.authentication.capitalize(),
                    "port": r.port or _PORTS[r.authentication],
                    "method": r.initial_replication.capitalize(),
                    "start": r.initial_replication_start,
                    "compression": "Enable" if r.compression else "Disable",
                    "deletion": "Required" if r.delete_replica_on_disable else "NotRequired",
                }
            )
    policy_var = {p["address"]: p["var"] for p in policies}
    clouds = sorted(
        {c for r in resources.values() if isinstance(r, CloudPairing) for c in (r.primary_cloud, r.recovery_cloud)}
    )
    containers = [
        {"var": _var(f"container{i}"), "address": c, "name": _name(resources, c)} for i, c in enumerate(clouds)
    ]
    container_var = {c["address"]: c["var"] for c in containers}
    pairings = [
        {
            "var": _var(f"pairing{i}"),
            "address": a,
            "name": r.name,
            "policy": policy_var[r.policy],
            "primary": container_var[r.primary_cloud],
            "recovery": container_var[r.recovery_cloud],
        }
        for i, (a, r) in enumerate((a, r) for a, r in resources.items() if isinstance(r, CloudPairing))
    ]
    pairing_var = {p["address"]: p for p in pairings}
    network_names = sorted(
        {
            n
            for r in resources.values()
            if isinstance(r, NetworkMapping)
            for n in (r.primary_vm_network, r.recovery_vm_network)
        }
    )
    networks = [
        {"var": _var(f"network{i}"), "address": n, "name": _name(resources, n)} for i, n in enumerate(network_names)
    ]
    network_var = {n["address"]: n["var"] for n in networks}
    mappings = [
        {
            "address": a,
            "name": r.name,
            "primary": network_var[r.primary_vm_network],
            "recovery": network_var[r.recovery_vm_network],
        }
        for a, r in resources.items()
        if isinstance(r, NetworkMapping)
    ]
    protected = [
        {
            "var": _var(f"item{i}"),
            "address": a,
            "vm": r.vm,
            "pairing": pairing_var[r.pairing]["var"],
            "container": pairing_var[r.pairing]["primary"],
        }
        for i, (a, r) in enumerate((a, r) for a, r in resources.items() if isinstance(r, ProtectedVm))
    ]
    item_of = {p["address"]: p for p in protected}
    plans: list[dict[str, Any]] = []
    for a, r in resources.items():
        if not isinstance(r, RecoveryPlan):
            continue
        doc = rp_json(resources, a, config)
        text = json.dumps(doc, indent=2, ensure_ascii=True)  # ASCII: no line can start with '@
        assert not any(line.startswith("'@") for line in text.splitlines())
        replace = []
        for v in dict.fromkeys(v for g in r.groups for v in g.vms):
            placeholder = item_placeholders(resources, v)
            replace.append({"placeholder": placeholder["id"], "var": item_of[v]["var"], "field": "ID"})
            # the VM's ID on the replication side (unverified against a vault: docs/design.md)
            vm_id = {"placeholder": placeholder["virtualMachineId"], "var": item_of[v]["var"]}
            replace.append({**vm_id, "field": "ProviderSpecificDetails.VmId"})
        plans.append(
            {"address": a, "name": r.name, "json": text, "replace": replace, "file": f"fabric-plan{len(plans)}"}
        )
    scripts = [{"path": r.path, "source": r.source} for r in resources.values() if isinstance(r, LibraryScript)]
    for r in resources.values():
        if isinstance(r, RecoveryPlan) and any(a.builtin for _, a in r.actions()):
            source = "fabric's prepare_replica_network: fabric dr render --format hyperv-ps writes it under library/"
            scripts.append({"path": prepare_path(config, r.name), "source": source})
    return {
        "stamp": stamp,
        "scripts": scripts,
        "policies": policies,
        "containers": containers,
        "pairings": pairings,
        "networks": networks,
        "mappings": mappings,
        "protected": protected,
        "plans": plans,
    }


def az_ps(resources: Mapping[str, Resource], config: DrConfig, stamp: str) -> str:
    """The script (see the module docstring)."""
    return environment().get_template("az-ps.ps1.j2").render(**context(resources, config, stamp))
