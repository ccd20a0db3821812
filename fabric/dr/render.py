"""Recovery plans rendered for a change board, no connection needed: `rp-json` (the recovery plan
JSON Site Recovery's `New-`/`Update-AzRecoveryServicesAsrRecoveryPlan -Path` takes, with the IDs
only a vault knows as named placeholders) and `runbook-md` (the simulation as a runbook people
sign off). `read_rp_json` reads that JSON back into fabric's shape, for the round trip."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fabric.dr.simulate import Event, Simulation, VmOutcome
from fabric.model.base import Resource
from fabric.model.dr import Action, LibraryScript, ProtectedVm, RecoveryPlan
from fabric.model.stamp import DrConfig

PREPARE_SCRIPT = "Prepare-ReplicaNetwork"  # the built-in action's script: PREFIX-<plan>.ps1
_TYPES = {"test": "TestFailover", "planned": "PlannedFailover", "unplanned": "UnplannedFailover"}
_DIRECTIONS = {"primary_to_recovery": "PrimaryToRecovery", "recovery_to_primary": "RecoveryToPrimary"}
FABRIC = "<vault>/replicationFabrics/<VMM server>"


def file_name(text: str) -> str:
    """A name safe as one path segment on Windows and POSIX: letters, digits, `.`, `_` and `-`."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return cleaned or "unnamed"


def prepare_path(config: DrConfig, plan: str) -> str:
    """The library path of the built-in prepare_replica_network script of the plan named `plan`
    (one per plan: Site Recovery passes a script no arguments, so each knows its own VMs)."""
    return f"{config.library.scripts_folder.rstrip(chr(92))}\\{PREPARE_SCRIPT}-{file_name(plan)}.ps1"


def _is_prepare_path(config: DrConfig, path: str) -> bool:
    folder = config.library.scripts_folder.rstrip(chr(92)).casefold()
    head, _, tail = path.casefold().rpartition(chr(92))
    return head == folder and tail.startswith(PREPARE_SCRIPT.casefold() + "-") and tail.endswith(".ps1")


def item_placeholders(resources: Mapping[str, Resource], address: str) -> dict[str, str]:
    """A protected item as the recovery plan JSON names it, with what only a vault knows left as
    named placeholders."""
    vm = resources.get(address)
    name = vm.vm if isinstance(vm, ProtectedVm) else address
    pairing = resources.get(vm.pairing) if isinstance(vm, ProtectedVm) else None
    cloud = getattr(pairing, "primary_cloud", "?")
    container = getattr(resources.get(cloud), "name", cloud)
    return {
        "id": f"{FABRIC}/replicationProtectionContainers/<container of {container}>/replicationProtectedItems/{name}",
        "virtualMachineId": f"<vmId of {name}>",
    }


def _action(resources: Mapping[str, Resource], action: Action, config: DrConfig, plan: str) -> dict[str, Any]:
    details: dict[str, Any]
    if action.manual is not None:
        details = {"instanceType": "ManualActionDetails", "description": action.manual.instructions}
    elif action.script is not None:
        script = resources.get(action.script.library_script or "")
        path = script.path if isinstance(script, LibraryScript) else str(action.script.path)
        details = {
            "instanceType": "ScriptActionDetails",
            "path": path,
            "fabricLocation": action.script.location.capitalize(),
            "timeout": f"PT{action.script.timeout}S",
        }
    else:  # built-in: fabric's generated script, run on the recovery side
        details = {
            "instanceType": "ScriptActionDetails",
            "path": prepare_path(config, plan),
            "fabricLocation": "Recovery",
            "timeout": "PT600S",
        }
    return {
        "actionName": action.name,
        "failoverTypes": [_TYPES[t] for t in action.failover_types],
        "failoverDirections": [_DIRECTIONS[d] for d in action.directions],
        "customDetails": details,
    }


def rp_json(resources: Mapping[str, Resource], address: str, config: DrConfig) -> dict[str, Any]:
    """The recovery plan at `address` as Site Recovery's JSON: Shutdown, Failover, then the Boot
    groups in order, each with its start and end actions."""
    plan = resources[address]
    assert isinstance(plan, RecoveryPlan)

    def group(kind: str, vms: Sequence[str], pre: Sequence[Action], post: Sequence[Action]) -> dict[str, Any]:
        return {
            "groupType": kind,
            "replicationProtectedItems": [item_placeholders(resources, v) for v in vms],
            "startGroupActions": [_action(resources, a, config, plan.name) for a in pre],
            "endGroupActions": [_action(resources, a, config, plan.name) for a in post],
        }

    groups = [
        group("Shutdown", [], plan.shutdown.pre, plan.shutdown.post),
        group("Failover", [], plan.failover.pre, plan.failover.post),
        *(group("Boot", g.vms, g.pre, g.post) for g in plan.groups),
    ]
    return {
        "name": plan.name,
        "properties": {
            "friendlyName": plan.name,
            "primaryFabricId": FABRIC,
            "recoveryFabricId": FABRIC,  # one VMM server: both sides are the same fabric
            "failoverDeploymentModel": "NotApplicable",
            "groups": groups,
        },
    }


def _seconds(text: Any) -> int | None:
    if isinstance(text, str) and text.startswith("PT") and text.endswith("S") and text[2:-1].isdigit():
        return int(text[2:-1])
    return None


def read_rp_json(doc: Mapping[str, Any], resources: Mapping[str, Resource], config: DrConfig) -> dict[str, Any]:
    """A recovery plan JSON (as `rp_json` writes it, or as a vault returns it) in fabric's shape
    (groups with their type, as `normalise_plan` reads them): items back to protected VM
    addresses by VM name, scripts back to library scripts by path, fabric's preparation script back
    to the built-in. What Site Recovery does not hold (estimates, gates) is left out."""
    by_vm = {r.vm.casefold(): a for a, r in resources.items() if isinstance(r, ProtectedVm)}
    by_path = {r.path.casefold(): a for a, r in resources.items() if isinstance(r, LibraryScript)}

    def action(raw: Mapping[str, Any]) -> dict[str, Any]:
        details = raw.get("customDetails") or {}
        out: dict[str, Any] = {
            "name": raw.get("actionName"),
            "failover_types": list(raw.get("failoverTypes") or []),
            "directions": list(raw.get("failoverDirections") or []),
        }
        if details.get("instanceType") == "ManualActionDetails":
            out["manual"] = {"instructions": details.get("description")}
        elif _is_prepare_path(config, str(details.get("path", ""))):
            out["builtin"] = "prepare_replica_network"
        else:
            path = str(details.get("path", ""))
            script: dict[str, Any] = {"location": str(details.get("fabricLocation", "")).lower()}
            if path.casefold() in by_path:
                script["library_script"] = by_path[path.casefold()]
            else:
                script.update({"path": path, "external": True})
            script["timeout"] = _seconds(details.get("timeout"))
            out["script"] = script
        return out

    groups = []
    for raw in (doc.get("properties") or {}).get("groups") or []:
        vms = [str(i.get("id", "")).rsplit("/", 1)[-1] for i in raw.get("replicationProtectedItems") or []]
        groups.append(
            {
                "group_type": raw.get("groupType"),
                "vms": [by_vm.get(v.casefold(), v) for v in vms],
                "pre": [action(a) for a in raw.get("startGroupActions") or []],
                "post": [action(a) for a in raw.get("endGroupActions") or []],
            }
        )
    return {"name": doc.get("name"), "groups": groups}


def asr_view(normalised: Mapping[str, Any]) -> dict[str, Any]:
    """What Site Recovery holds of a normalised recovery plan: the groups in order (not their
    names: a vault numbers them) and their VMs, actions with their types, directions, kind, path,
    location, timeout and instructions."""

    def action(a: Mapping[str, Any]) -> dict[str, Any]:
        manual, script = a.get("manual") or {}, a.get("script") or {}
        return {
            "name": a.get("name"),
            "failover_types": sorted(a.get("failover_types") or []),
            "directions": sorted(a.get("directions") or []),
            "builtin": a.get("builtin"),
            "instructions": manual.get("instructions"),
            "script": {k: script.get(k) for k in ("library_script", "path", "location", "timeout")} if script else None,
        }

    def step(s: Mapping[str, Any]) -> dict[str, Any]:
        return {"pre": [action(a) for a in s.get("pre") or []], "post": [action(a) for a in s.get("post") or []]}

    return {
        "shutdown": step(normalised.get("shutdown") or {}),
        "failover": step(normalised.get("failover") or {}),
        "groups": [{"vms": sorted(g.get("vms") or []), **step(g)} for g in normalised.get("groups") or []],
    }


def rp_json_text(resources: Mapping[str, Resource], addresses: Sequence[str], config: DrConfig) -> str:
    """One plan's JSON, or a list of them."""
    docs = [rp_json(resources, a, config) for a in addresses]
    return json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False) + "\n"


_RUNNER = {
    "asr": "Site Recovery",
    "hyperv_replica": "fabric's runner (hyperv-ps)",
    "lab": "Site Recovery",
}  # the lab plays it


def _who(event: Event, backend: str) -> str:
    runner = _RUNNER.get(backend, backend)
    if event.manual:
        return "operator"
    if event.kind == "action":
        return f"{runner} (script)" if "script" in event.detail else "fabric (built-in)"
    return runner


def _check(event: Event, vms: Sequence[VmOutcome]) -> str:
    if event.kind == "boot":
        lines = []
        for vm in vms:
            addresses = ", ".join(f"nic{a.slot} {a.ip or 'no address'} ({a.rule})" for a in vm.adapters)
            lines.append(_cell(f"{vm.vm} on {vm.host}: {addresses or vm.status}"))
        return "<br>".join(lines)  # one line per VM in the cell: each escaped, the breaks not
    if event.manual:
        return "the operator confirms it is done"
    if event.kind == "action":
        return "the script ends without error (no Write-Host, nothing on STDERR)"
    if event.kind == "shutdown":
        return "every VM it shuts down is off"
    return "the job step succeeds"


def _fallback(event: Event, kind: str) -> str:
    if event.manual:
        return "the operator decides: done to go on, abort to stop the plan here"
    if kind == "unplanned":
        return "record it and go on (an unplanned failover does not stop); fix after"
    if event.kind == "boot":
        return "stop; the VMs that did not start stay at their last state: fail back or clean up"
    return "stop the plan here; nothing later runs (test: clean up; planned: fail back)"


def _cell(text: str) -> str:
    """Text for a markdown table cell: one line, pipes escaped, no raw HTML."""
    return text.replace("|", "\\|").replace("\r", " ").replace("\n", " ").replace("<", "&lt;")


def runbook_md(
    simulations: Sequence[Simulation], resources: Mapping[str, Resource], config: DrConfig, clock: Any
) -> str:
    """The simulations of one plan as a runbook: a table per failover type (step, who, what,
    expected duration, what to check, fallback), manual instructions verbatim, and step 0: the
    orchestrator fails over first (DR024)."""
    first = simulations[0]
    lines = [f"# Runbook: {first.name} (`{first.plan}`)", ""]
    if config.orchestrator_vms:
        lines += [
            "**Step 0, before any plan:** fail over the VMM server and its SQL "
            f"({', '.join(config.orchestrator_vms)}) outside Site Recovery (stretched cluster, AlwaysOn), "
            "and check VMM answers at the recovery site (DR024).",
            "",
        ]
    for sim in simulations:
        title = "Failback" if sim.direction == "recovery_to_primary" else f"{sim.type.capitalize()} failover"
        lines += [
            f"## {title} ({sim.type}, {sim.direction.replace('_', ' ')})",
            "",
            "| # | step | who | what | expected | what to check | fallback |",
            "|---:|---|---|---|---:|---|---|",
        ]
        by_group: dict[str, list[VmOutcome]] = {}
        for vm in sim.vms:
            by_group.setdefault(vm.group, []).append(vm)
        n = 0
        for event in sim.events:
            if event.status == "skipped":
                continue
            n += 1
            what = event.what + (f": {event.detail}" if event.detail else "")
            expected = clock(event.expected) + (
                "" if event.worst == event.expected else f" (worst {clock(event.worst)})"
            )
            cells = [
                str(n),
                _cell(event.step),
                _who(event, config.backend),
                _cell(what),
                expected,
                _check(event, by_group.get(event.step, [])),
                _fallback(event, sim.type),
            ]
            lines.append("| " + " | ".join(cells) + " |")
        rto = sim.rto
        lines += [
            "",
            f"Expected {clock(rto.expected)}, worst case {clock(rto.worst)} "
            f"(manual steps {clock(rto.manual_expected)} of it).",
        ]
        if sim.findings:
            lines += ["", "Open findings of the simulation:", ""]
            lines += [f"- {f.severity} {f.rule} {_cell(f.subject)}: {_cell(f.message)}" for f in sim.findings]
        lines.append("")
    lines += ["Signed off: ____________________  date: __________", ""]
    return "\n".join(lines)
