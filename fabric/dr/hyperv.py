"""`fabric dr render --format hyperv-ps`: the DR design carried out over Hyper-V Replica by fabric's
own runner (`dr.backend: hyperv_replica`), as reviewed PowerShell run from the VMM server:

- `enable/<host>.ps1` per primary host: replication enabled for each VM on it with its policy's
  settings (replica server, port, authentication, frequency, recovery points, app-consistent
  snapshots, compression, initial replication), skipped for a VM that replicates already;
- `replica/<host>.ps1` per replica host: each replica adapter's failover TCP/IP set as the design
  says (cleared where the guest keeps its static IP or gets a new one at failover, the address for
  `failover_ip`), and a keep_ip adapter's switch and VLAN;
- `plans/<plan>/<type>.ps1` per recovery plan and failover type (test, planned, unplanned, and
  failback = planned from the recovery site): the steps the simulation shows, in its order;
- `library/<scripts folder>/Prepare-ReplicaNetwork-<plan>.ps1` per plan that uses the built-in
  `prepare_replica_network`: the seed's pre-failover script (what `rp-json` and `az-ps` reference).

Pure: the model, the DR facts (hosts, VMs, replication) and the simulations in, files out. Every
value passes the quoting filter in the sandboxed environment of `fabric.dr.azps`.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2.sandbox import SandboxedEnvironment

from fabric.dr.azps import environment as _base_environment
from fabric.dr.facts import DrFacts
from fabric.dr.network import group_paths
from fabric.dr.render import file_name, prepare_path
from fabric.dr.simulate import AdapterOutcome, Event, Simulation, VmOutcome, clock
from fabric.errors import FabricError
from fabric.model.base import Resource
from fabric.model.dr import Action, CloudPairing, LibraryScript, ProtectedVm, RecoveryPlan, ReplicationPolicy
from fabric.model.resources import Cloud
from fabric.model.stamp import DrConfig
from fabric.render.powershell import PsCode, ps

TEST_SUFFIX = " - Test"  # the name Hyper-V gives a test failover's copy


def _vm_name(name: str) -> PsCode:
    """A VM name for Hyper-V's `-Name`/`-VMName`, which take wildcards: a name with `*?[]` is
    escaped (`[WildcardPattern]::Escape`), so it matches that VM only."""
    quoted = ps(name)
    if any(ch in name for ch in "*?[]"):
        return PsCode(f"([WildcardPattern]::Escape({quoted}))")
    return quoted


def environment() -> SandboxedEnvironment:
    """`fabric.dr.azps`'s environment, with `vmname` for Hyper-V's wildcard name parameters."""
    env = _base_environment()
    env.filters["vmname"] = _vm_name
    return env


def _file_names(names: Sequence[str]) -> dict[str, str]:
    """A file name per host: `file_name`, with a short digest of the name where two would be the
    same file (names that differ in case or in characters a file name cannot hold)."""
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(file_name(name).casefold(), []).append(name)
    out = {}
    for members in groups.values():
        for name in members:
            digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
            out[name] = file_name(name) if len(members) == 1 else f"{file_name(name)}-{digest}"
    return out


@dataclass(frozen=True)
class Script:
    """One rendered file: its path under the output folder ('/'-separated) and its text."""

    path: str
    text: str


def _protected(resources: Mapping[str, Resource]) -> list[tuple[str, ProtectedVm]]:
    return [(a, r) for a, r in resources.items() if isinstance(r, ProtectedVm)]


def _host_group_paths(resources: Mapping[str, Resource], paths: Mapping[str, str], cloud: str) -> list[str]:
    found = resources.get(cloud)
    return [paths.get(g, g) for g in found.host_groups] if isinstance(found, Cloud) else []


def _replica_server(
    resources: Mapping[str, Resource], paths: Mapping[str, str], facts: DrFacts, vm: ProtectedVm
) -> str:
    """Where the VM replicates to: its replica's host if it replicates, else the first host (by
    name) of the recovery cloud's host groups."""
    key = vm.vm.casefold()
    if key in facts.replication:
        return facts.replication[key].replica_host
    pairing = resources.get(vm.pairing)
    groups = _host_group_paths(resources, paths, pairing.recovery_cloud) if isinstance(pairing, CloudPairing) else []
    hosts = sorted(
        h.name
        for h in facts.hosts.values()
        if any(h.host_group == g or h.host_group.startswith(g + "/") for g in groups)
    )
    if not hosts:
        raise FabricError(
            f"{vm.vm}: no replica host known (no replication, no host in the recovery cloud's host groups)"
        )
    return hosts[0]


def _policy(resources: Mapping[str, Resource], vm: ProtectedVm) -> ReplicationPolicy:
    pairing = resources.get(vm.pairing)
    policy = resources.get(pairing.policy) if isinstance(pairing, CloudPairing) else None
    if not isinstance(policy, ReplicationPolicy):
        raise FabricError(f"{vm.vm}: its pairing {vm.pairing} has no replication policy")
    return policy


def _mask(prefix: int) -> str:
    return str(ipaddress.IPv4Network(f"0.0.0.0/{prefix}").netmask)


def _enable(resources: Mapping[str, Resource], facts: DrFacts, stamp: str) -> list[Script]:
    by_host: dict[str, list[dict[str, Any]]] = {}
    paths = group_paths(resources)  # once: a new VM's replica server is looked up by its recovery cloud
    for _, vm in _protected(resources):
        primary = facts.primaries.get(vm.vm.casefold())
        if primary is None:
            continue  # no primary copy in the facts: nothing to enable on (dr check says so)
        policy = _policy(resources, vm)
        by_host.setdefault(primary.host, []).append(
            {
                "vm": vm.vm,
                "policy": policy.name,
                "replica": _replica_server(resources, paths, facts, vm),
                "port": policy.port,  # the model fills the default (8083 Kerberos, 8084 certificate)
                "authentication": policy.authentication.capitalize(),
                "certificate": policy.authentication == "certificate",
                "frequency": policy.copy_frequency_seconds if policy.provider == "hyperv_replica_2012r2" else None,
                "points": policy.recovery_points,
                "vss": policy.app_consistent_frequency_hours,
                "compression": policy.compression,
                "start": policy.initial_replication_start,
                "export": policy.offline_export_path if policy.initial_replication == "offline" else None,
            }
        )
    template = environment().get_template("hyperv-enable.ps1.j2")
    names = _file_names(list(by_host))
    return [
        Script(
            f"enable/{names[host]}.ps1",
            template.render(stamp=stamp, host=host, vms=vms, certificate=any(v["certificate"] for v in vms)),
        )
        for host, vms in sorted(by_host.items(), key=lambda kv: kv[0].casefold())
    ]


def _failover_setting(intent: Any) -> dict[str, Any]:
    if intent.mode == "failover_ip" and intent.failover_ip is not None:
        ip = intent.failover_ip
        dns = [str(d) for d in ip.dns]
        return {
            "cleared": False,
            "address": str(ip.address),
            "mask": _mask(ip.prefix),
            "gateway": str(ip.gateway),
            "dns1": dns[0] if dns else None,
            "dns2": dns[1] if len(dns) > 1 else None,
        }
    return {"cleared": True}


def _keep_vlan(facts: DrFacts, vm: ProtectedVm, slot: int, declared: int | None) -> int:
    if declared is not None:
        return declared
    primary = facts.primaries.get(vm.vm.casefold())
    if primary is None or slot >= len(primary.adapters):
        raise FabricError(
            f"{vm.vm} adapter {slot}: keep_ip with no vlan declared and no primary adapter to read it from"
        )
    return primary.adapters[slot].vlan


def _replica(resources: Mapping[str, Resource], facts: DrFacts, stamp: str) -> list[Script]:
    by_host: dict[str, list[dict[str, Any]]] = {}
    for _, vm in _protected(resources):
        replica = facts.replicas.get(vm.vm.casefold())
        if replica is None or not vm.adapters:
            continue
        adapters = []
        for intent in vm.adapters:
            keep = intent.mode == "keep_ip"
            adapters.append(
                {
                    "slot": intent.adapter,
                    "mode": intent.mode,
                    "switch": intent.switch if keep else None,
                    "vlan": _keep_vlan(facts, vm, intent.adapter, intent.vlan) if keep else None,
                    **_failover_setting(intent),
                }
            )
        by_host.setdefault(replica.host, []).append({"vm": vm.vm, "adapters": adapters})
    template = environment().get_template("hyperv-replica.ps1.j2")
    names = _file_names(list(by_host))
    return [
        Script(f"replica/{names[host]}.ps1", template.render(stamp=stamp, host=host, vms=vms))
        for host, vms in sorted(by_host.items(), key=lambda kv: kv[0].casefold())
    ]


def prepare_targets(resources: Mapping[str, Resource], facts: DrFacts, plan: RecoveryPlan) -> list[dict[str, Any]]:
    """What the built-in preparation fixes on each replica of the plan: every keep_ip adapter's
    switch (when declared) and VLAN (declared, else the primary's), failover TCP/IP cleared."""
    out = []
    for address in plan.members():
        vm = resources.get(address)
        if not isinstance(vm, ProtectedVm):
            continue
        for intent in vm.adapters:
            if intent.mode == "keep_ip":
                vlan = _keep_vlan(facts, vm, intent.adapter, intent.vlan)
                out.append({"vm": vm.vm, "slot": intent.adapter, "switch": intent.switch, "vlan": vlan})
    return out


def prepare_script(
    resources: Mapping[str, Resource], facts: DrFacts, config: DrConfig, stamp: str, address: str
) -> Script:
    """The seed's pre-failover script for the plan at `address`, at its library path."""
    plan = resources[address]
    assert isinstance(plan, RecoveryPlan)
    path = prepare_path(config, plan.name)
    text = (
        environment()
        .get_template("hyperv-prepare.ps1.j2")
        .render(
            stamp=stamp,
            plan=plan.name,
            targets=prepare_targets(resources, facts, plan),
            log=path.rpartition(chr(92))[2][: -len(".ps1")],
        )
    )
    return Script("library/" + path.strip("\\").replace("\\", "/"), text)


def _hosts(facts: DrFacts, vm: str, back: bool) -> tuple[str | None, str | None]:
    """(where the VM runs before the failover, where it starts): the primary's and the replica's
    hosts, swapped on the way back."""
    key = vm.casefold()
    primary, replica = facts.primaries.get(key), facts.replicas.get(key)
    here = primary.host if primary else None
    there = replica.host if replica else None
    return (there, here) if back else (here, there)


def _action_of(plan: RecoveryPlan, step: str, name: str) -> Action | None:
    return next((a for q, a in plan.actions() if q == f"{step}/{name}"), None)


def _action_step(
    resources: Mapping[str, Resource], config: DrConfig, plan: RecoveryPlan, event: Event
) -> dict[str, Any]:
    action = _action_of(plan, event.step, event.what)
    label = _label(event)
    if action is None:
        raise FabricError(f"{label}: not an action of {plan.name}")
    if action.manual is not None:
        return {"kind": "manual", "label": label, "instructions": action.manual.instructions}
    if action.script is not None:
        script = resources.get(action.script.library_script or "")
        path = script.path if isinstance(script, LibraryScript) else str(action.script.path)
        return {"kind": "script", "label": label, "path": path.lstrip("\\")}
    return {"kind": "script", "label": label, "path": prepare_path(config, plan.name).lstrip("\\")}


def _test_copy_why(adapter: AdapterOutcome, switch: str | None) -> str | None:
    """Why a test copy's adapter is disconnected (None: it joins the test network). A test copy is
    Hyper-V's alone (not in VMM): it can be put on an access VLAN and keeps the guest's own address;
    anything else would put it beside production, so it is cut off."""
    if adapter.vm_network is None:
        return "no test network: disconnected"
    if not adapter.vlan:
        return "the test network has no VLAN (HNV): Hyper-V alone cannot join it, disconnected"
    if not adapter.ok:
        return f"{adapter.rule}: disconnected"
    if adapter.ip != adapter.was:
        return f"the test copy would need {adapter.ip}, which Hyper-V alone cannot give it: disconnected"
    if switch is None:
        return "the replica's adapter is on no switch: disconnected"
    return None


def _adapter_step(adapter: AdapterOutcome, test: bool, back: bool, switch: str | None = None) -> dict[str, Any]:
    """How the runner connects one adapter before the VM starts (what the simulation predicts)."""
    base = {"slot": adapter.slot, "rule": adapter.rule, "ip": adapter.ip}
    if test:
        why = _test_copy_why(adapter, switch)
        if why is not None:
            return {**base, "how": "disconnect", "why": why}
        return {**base, "how": "test", "vlan": adapter.vlan, "switch": switch}
    if back:
        # the primary copy kept its network; a guest that took a recovery address gets its own back
        return {**base, "how": "restore" if adapter.mode == "mapped" and adapter.ip else "keep"}
    if adapter.mode == "keep_ip":
        return {**base, "how": "keep"}  # the preparation (or the replica script) set it
    if adapter.vm_network is None:
        return {**base, "how": "vmm_none"}
    static = adapter.mode == "mapped" and adapter.ip is not None and "DHCP" not in adapter.rule
    return {**base, "how": "vmm", "network": adapter.vm_network, "vlan": adapter.vlan, "static": static}


def _boot_step(
    sim: Simulation, resources: Mapping[str, Resource], facts: DrFacts, event: Event, outcomes: Mapping[str, VmOutcome]
) -> dict[str, Any]:
    test, back = sim.type == "test", sim.direction == "recovery_to_primary"
    vms: list[dict[str, Any]] = []
    for name in event.vms:
        outcome = outcomes.get(name.casefold())
        _, there = _hosts(facts, name, back)
        host = (outcome.host if outcome and outcome.host else None) or there
        if outcome is None or outcome.status != "up" or host is None:
            vms.append({"vm": name, "skip": outcome.status if outcome else "not in the simulation"})
            continue
        model = resources.get(outcome.address)
        boot = model.boot_seconds if isinstance(model, ProtectedVm) else 120
        replica = facts.replicas.get(name.casefold())
        switches = [a.switch for a in replica.adapters] if replica else []
        adapters = [
            _adapter_step(a, test, back, switches[a.slot] if a.slot < len(switches) else None) for a in outcome.adapters
        ]
        vms.append(
            {
                "vm": name,
                "copy_name": name + TEST_SUFFIX if test else name,
                "host": host,
                "replica": not back,
                "wait": max(2 * boot, 60),  # twice the estimate before the step is called failed
                "adapters": adapters,
                "vmm": any(a["how"] in ("vmm", "vmm_none", "restore") for a in adapters),
            }
        )
    return {"kind": "boot", "label": _label(event), "vms": vms}


def _moves(
    sim: Simulation, facts: DrFacts, plan: RecoveryPlan, resources: Mapping[str, Resource]
) -> list[dict[str, str]]:
    back = sim.direction == "recovery_to_primary"
    out = []
    for address in plan.members():
        vm = resources.get(address)
        if isinstance(vm, ProtectedVm):
            here, there = _hosts(facts, vm.vm, back)
            if here and there:
                out.append({"vm": vm.vm, "from": here, "to": there})
    return out


def _label(event: Event) -> str:
    """A step as the simulation's timeline names it: STEP/ACTION, or STEP: what happens."""
    return f"{event.step}/{event.what}" if event.kind == "action" else f"{event.step}: {event.what}"


def _steps(
    sim: Simulation,
    resources: Mapping[str, Resource],
    facts: DrFacts,
    config: DrConfig,
    moves: list[dict[str, str]],
) -> list[dict[str, Any]]:
    plan = resources[sim.plan]
    assert isinstance(plan, RecoveryPlan)
    outcomes = {o.vm.casefold(): o for o in sim.vms}
    steps: list[dict[str, Any]] = []
    for event in sim.events:
        label = _label(event)
        if event.status in ("skipped", "not run"):
            steps.append({"kind": "skipped", "label": label, "detail": event.detail or event.status})
        elif event.kind == "action":
            steps.append(_action_step(resources, config, plan, event))
        elif event.kind == "shutdown":
            steps.append({"kind": "shutdown", "label": label, "moves": moves})
        elif event.kind == "failover" and event.what.startswith("copy the last changes"):
            steps.append({"kind": "sync", "label": label, "moves": moves})
        elif event.kind == "failover":
            steps.append({"kind": "failover", "label": label, "moves": moves})
        else:
            steps.append(_boot_step(sim, resources, facts, event, outcomes))
    return steps


def plan_script(
    sim: Simulation,
    resources: Mapping[str, Resource],
    facts: DrFacts,
    config: DrConfig,
    stamp: str,
    moves: list[dict[str, str]] | None = None,
) -> str:
    """The plan-execution script of one simulation: each timeline step as PowerShell (`moves`:
    `_moves` of it, when the caller has them)."""
    plan = resources[sim.plan]
    assert isinstance(plan, RecoveryPlan)
    moves = _moves(sim, facts, plan, resources) if moves is None else moves
    timeline = [{"clock": clock(e.start), "label": _label(e), "status": e.status} for e in sim.events]
    return (
        environment()
        .get_template("hyperv-plan.ps1.j2")
        .render(
            stamp=stamp,
            plan=plan.name,
            address=sim.plan,
            type=sim.type,
            back=sim.direction == "recovery_to_primary",
            library_root=config.library.root,
            timeline=timeline,
            findings=[f"{f.rule} {f.severity}: {f.subject}: {f.message}" for f in sim.findings],
            steps=_steps(sim, resources, facts, config, moves),
            moves=moves,
        )
    )


def script_name(sim: Simulation) -> str:
    """`test`, `planned`, `unplanned`, or `failback` (planned from the recovery site)."""
    return "failback" if sim.direction == "recovery_to_primary" else sim.type


def hyperv_ps(
    resources: Mapping[str, Resource],
    facts: DrFacts,
    sims: Sequence[Simulation],
    config: DrConfig,
    stamp: str,
) -> list[Script]:
    """Every file of the rendering (see the module docstring), in a stable order: the enable and
    replica scripts of every protected VM, the scripts of the simulated plans."""
    out = _enable(resources, facts, stamp) + _replica(resources, facts, stamp)
    plans = dict.fromkeys(s.plan for s in sims)
    for address in plans:
        plan = resources[address]
        assert isinstance(plan, RecoveryPlan)
        if any(a.builtin for _, a in plan.actions()):
            out.append(prepare_script(resources, facts, config, stamp, address))
    reprotect = environment().get_template("hyperv-reprotect.ps1.j2")
    for sim in sims:
        plan = resources[sim.plan]
        assert isinstance(plan, RecoveryPlan)
        folder = f"plans/{file_name(plan.name)}"
        moves = _moves(sim, facts, plan, resources)
        text = plan_script(sim, resources, facts, config, stamp, moves)
        out.append(Script(f"{folder}/{script_name(sim)}.ps1", text))
        if sim.type == "planned" and sim.direction == "primary_to_recovery":  # after either, once committed
            out.append(Script(f"{folder}/reprotect.ps1", reprotect.render(stamp=stamp, plan=plan.name, moves=moves)))
    return out
