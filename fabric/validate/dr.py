"""The disaster-recovery rules that need only code (the V rules of `shared/docs/dr-domain.md` §4).

Each message starts with its rule ID (DR001 …) so a reader can look the rule up in the README.
Errors refuse the stamp; warnings (`ctx.warn`) are reported and refuse nothing. The rules that
need the live fabric (P rules) are the lab's (`fabric.providers.lab.dr`).
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from fabric.model.dr import (
    MAX_VMS,
    PLAN_NAME,
    Action,
    AdapterRecovery,
    CloudPairing,
    LibraryScript,
    NetworkMapping,
    ProtectedVm,
    RecoveryPlan,
    ReplicationPolicy,
)
from fabric.model.overlap import ancestors, related_groups
from fabric.model.resources import Cloud, HostGroup, IpGrant, IpPool, NetworkSite, VmNetwork

if TYPE_CHECKING:
    from fabric.validate.rules import _Ctx

Path = tuple[str | int, ...]
_SIDES = (("primary_vm_network", "primary_cloud"), ("recovery_vm_network", "recovery_cloud"))
_SCRIPT_PATH = re.compile(r"\\[^\\/:*?\"<>|\x00-\x1f]+(\\[^\\/:*?\"<>|\x00-\x1f]+)*\.ps1", re.IGNORECASE)


def _parent_of(ctx: _Ctx) -> Callable[[str], str | None]:
    def parent(group: str) -> str | None:
        node = ctx.res.get(group)
        return node.parent if isinstance(node, HostGroup) else None

    return parent


def _cloud(ctx: _Ctx, address: str) -> Cloud | None:
    found = ctx.res.get(address)
    return found if isinstance(found, Cloud) else None


def _pairings(ctx: _Ctx) -> Iterator[tuple[str, CloudPairing]]:
    yield from ctx.of(CloudPairing)


def _pairing_clouds(ctx: _Ctx) -> None:
    """DR001 both clouds DR-enabled, DR003 distinct with disjoint host groups, DR035 a cloud is
    the primary of one pairing at most."""
    primaries: dict[str, str] = {}
    for address, pairing in _pairings(ctx):
        for field in ("primary_cloud", "recovery_cloud"):
            cloud = _cloud(ctx, getattr(pairing, field))
            if cloud is not None and not cloud.disaster_recovery_supported:
                ctx.error(
                    address,
                    (field,),
                    f"DR001 {getattr(pairing, field)} has disaster_recovery_supported: false; both clouds of a "
                    "pairing need it true (Set-SCCloud -DisasterRecoverySupported)",
                )
        primary, recovery = _cloud(ctx, pairing.primary_cloud), _cloud(ctx, pairing.recovery_cloud)
        if pairing.primary_cloud == pairing.recovery_cloud:
            ctx.error(address, ("recovery_cloud",), "DR003 the recovery cloud must differ from the primary cloud")
        elif primary is not None and recovery is not None:
            both = related_groups(primary.host_groups, recovery.host_groups, _parent_of(ctx))
            if both is not None:
                ctx.error(
                    address,
                    ("recovery_cloud",),
                    "DR003 the clouds share hosts: "
                    + (f"both hold {both[0]}" if both[0] == both[1] else f"{both[0]} is inside {both[1]}")
                    + "; a VM's replica must run on other hosts than the VM",
                )
        first = primaries.setdefault(pairing.primary_cloud, address)
        if first != address:
            ctx.error(
                address,
                ("primary_cloud",),
                f"DR035 {pairing.primary_cloud} is already the primary cloud of {first}; a cloud is protected "
                "by one pairing",
            )


def _policies(ctx: _Ctx) -> None:
    """DR005 the 2012 provider copies every 300 s only; DR006 app-consistent snapshots below the
    recovery points."""
    for address, policy in ctx.of(ReplicationPolicy):
        if policy.provider == "hyperv_replica_2012" and policy.copy_frequency_seconds != 300:
            ctx.error(
                address,
                ("copy_frequency_seconds",),
                "DR005 provider hyperv_replica_2012 replicates every 300 s only (a fixed 5-minute cycle)",
            )
        points, app = policy.recovery_points, policy.app_consistent_frequency_hours
        if app and app >= max(points, 1):
            ctx.error(
                address,
                ("app_consistent_frequency_hours",),
                f"DR006 app_consistent_frequency_hours ({app}) must be below recovery_points ({points}): "
                "an application-consistent snapshot is one of the recovery points kept",
            )


def _served(ctx: _Ctx, mapping: NetworkMapping) -> list[str]:
    """The pairings a mapping serves: those it names, else every one."""
    return list(mapping.pairings) or [a for a, _ in _pairings(ctx)]


def _reaches(ctx: _Ctx, cloud: Cloud, vm_network: str) -> bool:
    vmn = ctx.res.get(vm_network)
    return not isinstance(vmn, VmNetwork) or vmn.logical_network in cloud.logical_networks


def _mappings(ctx: _Ctx) -> None:
    """DR028 the mapped networks are offered by the pairing's clouds, DR030 the recovery network
    can give addresses, DR008 a mapping onto the same network gives a new IP, DR029 subnet choice."""
    for address, mapping in ctx.of(NetworkMapping):
        for pairing_address in _served(ctx, mapping):
            pairing = ctx.res.get(pairing_address)
            if not isinstance(pairing, CloudPairing):
                continue
            for field, cloud_field in _SIDES:
                cloud = _cloud(ctx, getattr(pairing, cloud_field))
                network = getattr(mapping, field)
                if cloud is not None and not _reaches(ctx, cloud, network):
                    ctx.error(
                        address,
                        (field,),
                        f"DR028 {network}'s logical network is not in {getattr(pairing, cloud_field)}'s "
                        f"logical_networks, so ASR does not offer it for {pairing_address}",
                    )
            recovery = _cloud(ctx, pairing.recovery_cloud)
            if recovery is not None and not _has_pool(ctx, mapping.recovery_vm_network, recovery):
                ctx.error(
                    address,
                    ("recovery_vm_network",),
                    f"DR030 {mapping.recovery_vm_network} has no static IP pool at {pairing.recovery_cloud}'s host "
                    "groups (a pool on its VM subnet, or on a site of its logical network scoped there): address "
                    "allocation for replicas would fail",
                )
        if mapping.primary_vm_network == mapping.recovery_vm_network:
            ctx.warn(
                address,
                ("recovery_vm_network",),
                "DR008 mapping a VM network onto itself on one VMM server gives every replica a new address from "
                "the pool (the primary still holds the old one); use keep_ip on a stretched VLAN to keep it",
            )
        _subnet_choice(ctx, address, mapping)


def _has_pool(ctx: _Ctx, vm_network: str, cloud: Cloud) -> bool:
    vmn = ctx.res.get(vm_network)
    if not isinstance(vmn, VmNetwork):
        return True  # reported as a reference problem
    pools = [p for _, p in ctx.of(IpPool)]
    if any(p.vm_network == vm_network for p in pools):
        return True
    if vmn.isolation == "hnv":
        return False  # HNV networks always need a pool on a VM subnet
    reach = {a for g in cloud.host_groups for a in ancestors(g, _parent_of(ctx))}
    for p in pools:
        site = ctx.res.get(p.network_site or "")
        on_it = isinstance(site, NetworkSite) and site.logical_network == vmn.logical_network
        if on_it and isinstance(site, NetworkSite) and reach & set(site.host_groups):
            return True
    return False


def _subnet_choice(ctx: _Ctx, address: str, mapping: NetworkMapping) -> None:
    source, target = ctx.res.get(mapping.primary_vm_network), ctx.res.get(mapping.recovery_vm_network)
    if not isinstance(source, VmNetwork) or not isinstance(target, VmNetwork) or len(target.subnets) < 2:
        return
    names = {s.name.casefold() for s in target.subnets}
    for sub in source.subnets:
        if sub.name.casefold() not in names:
            ctx.warn(
                address,
                ("recovery_vm_network",),
                f"DR029 {mapping.recovery_vm_network} has no VM subnet named {sub.name!r}: ASR connects replicas "
                f"from it to the first VM subnet, {target.subnets[0].name!r}",
            )


def _grant_for(ctx: _Ctx, pvm: ProtectedVm, adapter: AdapterRecovery) -> tuple[str, IpGrant] | None:
    if adapter.ip_grant is not None:
        found = ctx.res.get(adapter.ip_grant)
        return (adapter.ip_grant, found) if isinstance(found, IpGrant) else None
    return _grants_by_slot(ctx).get((pvm.vm.casefold(), adapter.adapter))


def _grants_by_slot(ctx: _Ctx) -> dict[tuple[str, int], tuple[str, IpGrant]]:
    """Each (VM, adapter slot) → its ip_grant, indexed once per validation (the first declared)."""
    cached: dict[tuple[str, int], tuple[str, IpGrant]] | None = getattr(ctx, "_dr_grants", None)
    if cached is None:
        cached = {}
        for address, grant in ctx.of(IpGrant):
            cached.setdefault((grant.vm.casefold(), grant.adapter), (address, grant))
        ctx._dr_grants = cached  # type: ignore[attr-defined]
    return cached


def _protected_vms(ctx: _Ctx) -> None:
    """DR036 a VM protected once; per adapter DR007 (mapped needs a mapping), DR008 (keep_ip on a
    network mapped onto itself), DR009 (keep_ip needs a stretched site), DR010 (keep_ip needs a grant)."""
    seen: dict[str, str] = {}
    mapped: dict[str, list[tuple[str, NetworkMapping]]] = defaultdict(list)
    for m_address, mapping in ctx.of(NetworkMapping):
        mapped[mapping.primary_vm_network].append((m_address, mapping))
    orchestrators = {n.casefold() for n in ctx.fabric.config.dr.orchestrator_vms}
    for address, pvm in ctx.of(ProtectedVm):
        if pvm.vm.casefold() in orchestrators:
            ctx.error(
                address,
                ("vm",),
                f"DR024 {pvm.vm!r} is a VM of the VMM server or its SQL (dr.orchestrator_vms): protect it outside "
                "VMM's own disaster recovery (stretched cluster, AlwaysOn, Hyper-V Replica) and fail it over first",
            )
        first = seen.setdefault(pvm.vm.casefold(), address)
        if first != address:
            ctx.error(address, ("vm",), f"DR036 VM {pvm.vm!r} is already protected by {first}")
        for i, adapter in enumerate(pvm.adapters):
            candidates = mapped.get(adapter.vm_network or "", [])
            serving = [(a, m) for a, m in candidates if not m.pairings or pvm.pairing in m.pairings]
            declared = isinstance(ctx.res.get(adapter.vm_network or ""), VmNetwork)
            if adapter.mode == "mapped" and declared and not serving:
                ctx.error(
                    address,
                    ("adapters", i, "vm_network"),
                    f"DR007 no network_mapping of {adapter.vm_network} serves {pvm.pairing}: after failover the "
                    "replica would be connected to no network",
                )
            if adapter.mode == "keep_ip":
                for m_address, m in serving:
                    if m.recovery_vm_network == m.primary_vm_network:
                        ctx.error(
                            address,
                            ("adapters", i, "mode"),
                            f"DR008 {m_address} maps {adapter.vm_network} onto itself: on one VMM server the replica "
                            "gets a new address from the pool, so the IP cannot be kept",
                        )
                _keep_ip(ctx, address, pvm, i, adapter)


def _keep_ip(ctx: _Ctx, address: str, pvm: ProtectedVm, i: int, adapter: AdapterRecovery) -> None:
    path: Path = ("adapters", i)
    if adapter.ip_grant is not None and adapter.ip_grant not in ctx.res:
        return  # the reference itself is reported
    grant = _grant_for(ctx, pvm, adapter)
    if grant is None:
        ctx.error(
            address,
            (*path, "mode"),
            f"DR010 keep_ip needs a static address: no ip_grant for VM {pvm.vm!r} adapter {adapter.adapter} "
            "(declare one, or name it with ip_grant)",
        )
        return
    if grant[1].vm.casefold() != pvm.vm.casefold() or grant[1].adapter != adapter.adapter:
        ctx.error(
            address,
            (*path, "ip_grant"),
            f"DR010 {grant[0]} is the grant of VM {grant[1].vm!r} adapter {grant[1].adapter}, not of {pvm.vm!r} "
            f"adapter {adapter.adapter}: the replica would not keep its own address",
        )
        return
    pool = ctx.res.get(grant[1].ip_pool)
    pairing = ctx.res.get(pvm.pairing)
    if not isinstance(pool, IpPool) or not isinstance(pairing, CloudPairing):
        return
    recovery = _cloud(ctx, pairing.recovery_cloud)
    logical, vlan = _pool_network(ctx, pool)
    if recovery is None or logical is None:
        return
    vlan = adapter.vlan if adapter.vlan is not None else vlan
    subnet = ipaddress.ip_network(pool.subnet)
    parent = _parent_of(ctx)
    for group in recovery.host_groups:
        reach = set(ancestors(group, parent))
        if not any(_stretches(site, logical, subnet, vlan, reach) for _, site in ctx.of(NetworkSite)):
            ctx.error(
                address,
                (*path, "mode"),
                f"DR009 keep_ip needs subnet {subnet} with VLAN {vlan} at the recovery hosts: no network_site of "
                f"{logical} holding it is scoped to {group} (or above it), so the replica cannot keep "
                f"{grant[0]}'s address (stretch the site to the recovery host group)",
            )
            return
    if logical not in recovery.logical_networks:
        ctx.error(
            address,
            (*path, "mode"),
            f"DR009 keep_ip: {logical} is not in {pairing.recovery_cloud}'s logical_networks",
        )


def _pool_network(ctx: _Ctx, pool: IpPool) -> tuple[str | None, int | None]:
    """The logical network a pool's addresses are on, and the VLAN of its subnet there."""
    site = ctx.res.get(pool.network_site or "")
    if isinstance(site, NetworkSite):
        net = ipaddress.ip_network(pool.subnet)
        vlan = next((p.vlan for p in site.subnets if ipaddress.ip_network(p.subnet) == net), 0)
        return site.logical_network, vlan
    vmn = ctx.res.get(pool.vm_network or "")
    if isinstance(vmn, VmNetwork):
        sub = next((s for s in vmn.subnets if s.name == pool.vm_subnet), None)
        return vmn.logical_network, sub.vlan if sub is not None else 0
    return None, None


def _stretches(site: NetworkSite, logical: str, subnet: Any, vlan: int | None, reach: set[str]) -> bool:
    if site.logical_network != logical or not reach & set(site.host_groups):
        return False
    for pair in site.subnets:
        net = ipaddress.ip_network(pair.subnet)
        if net.version == subnet.version and subnet.subnet_of(net) and (vlan is None or pair.vlan == vlan):
            return True
    return False


def _plan_actions(plan: RecoveryPlan) -> Iterator[tuple[Path, Action]]:
    """Every action of a plan with its path, in the order the plan runs them."""
    for step in ("shutdown", "failover"):
        for side in ("pre", "post"):
            for i, action in enumerate(getattr(getattr(plan, step), side)):
                yield (step, side, i), action
    for g, group in enumerate(plan.groups):
        for side in ("pre", "post"):
            for i, action in enumerate(getattr(group, side)):
                yield ("groups", g, side, i), action


def _plans(ctx: _Ctx) -> None:
    """DR014 limits and names, DR016 unique action names, DR024 the orchestrator outside, DR017
    external script paths, DR019 gates on unplanned failover, DR020 the test network."""
    orchestrators = {n.casefold() for n in ctx.fabric.config.dr.orchestrator_vms}
    production = {m.recovery_vm_network for _, m in ctx.of(NetworkMapping)}
    for address, plan in ctx.of(RecoveryPlan):
        if not PLAN_NAME.fullmatch(plan.name):
            written = "name" in plan.model_fields_set  # else the name is the key: point at it
            ctx.error(
                address,
                ("name",) if written else (),
                at_key=not written,
                message=f"DR014 recovery plan name '{plan.name}' does not fit ASR's pattern: 3-65 characters, a letter "
                "first, then letters, digits or hyphens, ending in a letter or digit",
            )
        _plan_members(ctx, address, plan, orchestrators)
        _plan_action_rules(ctx, address, plan)
        if plan.test_network is not None and plan.test_network in production:
            ctx.warn(
                address,
                ("test_network",),
                f"DR020 {plan.test_network} is a production recovery network: a drill there brings up a second "
                "copy of every VM with the same identity; use an isolated test network",
            )


def _plan_members(ctx: _Ctx, address: str, plan: RecoveryPlan, orchestrators: set[str]) -> None:
    placed: dict[str, str] = {}
    names: set[str] = set()
    count = 0
    for g, group in enumerate(plan.groups):
        if group.name.casefold() in names:
            ctx.error(address, ("groups", g, "name"), f"DR014 two groups are named {group.name!r}")
        names.add(group.name.casefold())
        for v, vm in enumerate(group.vms):
            count += 1
            where = ("groups", g, "vms", v)
            if vm in placed:
                message = f"DR014 {vm} is already in group {placed[vm]!r}: a VM is in one group of a plan"
                ctx.error(address, where, message)
                continue
            placed[vm] = group.name
            pvm = ctx.res.get(vm)
            if isinstance(pvm, ProtectedVm) and pvm.vm.casefold() in orchestrators:
                ctx.error(
                    address,
                    where,
                    f"DR024 {vm} protects {pvm.vm!r}, a VM of the VMM server or its SQL (dr.orchestrator_vms): the "
                    "plan VMM runs cannot fail over VMM itself; protect it outside (stretched cluster, AlwaysOn, "
                    "Hyper-V Replica) and fail it over first",
                )
    if count > MAX_VMS:
        ctx.error(address, ("groups",), f"DR014 the plan holds {count} VMs; ASR allows at most {MAX_VMS}")


def _plan_action_rules(ctx: _Ctx, address: str, plan: RecoveryPlan) -> None:
    names: dict[str, Path] = {}
    actions = list(_plan_actions(plan))
    for n, (path, action) in enumerate(actions):
        if action.name.casefold() in names:
            message = f"DR016 two actions are named {action.name!r} (names are unique in a plan)"
            ctx.error(address, (*path, "name"), message)
        names.setdefault(action.name.casefold(), path)
        script = action.script
        if script is not None and script.path is not None:
            problem = script_path_problem(script.path)
            if problem:
                ctx.error(address, (*path, "script", "path"), f"DR017 {problem}")
        gate = action.builtin is not None or (script is not None and script.gate)
        if (
            gate
            and "unplanned" in action.failover_types
            and not any(_manual_for_unplanned(later) for _, later in actions[n + 1 :])
        ):
            ctx.warn(
                address,
                (*path, "name"),
                f"DR019 {action.name!r} is a gate, and a failing script does not stop an unplanned failover: add a "
                "manual action for unplanned after it, or take unplanned out of its failover_types",
            )


def _manual_for_unplanned(action: Action) -> bool:
    return action.manual is not None and "unplanned" in action.failover_types


def script_path_problem(path: str) -> str | None:
    """Why `path` is not a library-relative script path (`\\RPScripts\\X.ps1`), or None."""
    if ".." in path.split("\\"):
        return f"script path '{path}' must not contain '..'"
    if not _SCRIPT_PATH.fullmatch(path):
        return (
            f"script path '{path}' must be relative to the library root: start with \\, use \\ between folders, "
            "end in .ps1 (\\RPScripts\\fabric\\Test-Portal.ps1)"
        )
    return None


def _library_scripts(ctx: _Ctx) -> None:
    """DR017 library paths; one script per path."""
    paths: dict[str, str] = {}
    for address, script in ctx.of(LibraryScript):
        problem = script_path_problem(script.path)
        if problem:
            ctx.error(address, ("path",), f"DR017 {problem}")
        first = paths.setdefault(script.path.casefold(), address)
        if first != address:
            ctx.error(address, ("path",), f"DR017 {first} already places a script at '{script.path}'")


def dr_rules(ctx: _Ctx) -> None:
    """Every rule of this module."""
    if not any(r.DOMAIN == "dr" for r in ctx.res.values()):
        return
    for rule in (_pairing_clouds, _policies, _mappings, _protected_vms, _plans, _library_scripts):
        rule(ctx)
