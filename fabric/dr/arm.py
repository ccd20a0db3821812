"""`fabric dr render --format arm`: the stamp's disaster-recovery design as an Azure Resource Manager
deployment template for an existing Recovery Services vault (VMM-to-VMM Site Recovery, provider
HyperVReplica2012R2 or HyperVReplica2012).

What it renders, in dependency order: replication policies (`vaults/replicationPolicies`), cloud
pairings (`…/replicationProtectionContainers/replicationProtectionContainerMappings`, after their
policy), network mappings (`…/replicationNetworks/replicationNetworkMappings`, after the pairings
they serve: Site Recovery offers only the networks of clouds used for protection) and recovery
plans (`vaults/replicationRecoveryPlans`, after the pairings of their VMs and the mappings serving
those). A plan's groups are `rp_json`'s, so the two renderings never disagree; only the protected
items' placeholders become `resourceId` expressions.

What it leaves out: protected items. Enabling protection is a full initial replication per VM, so
it stays in the `az-ps` script with its confirmation; the template names protected items only
inside the plans. Names only the vault knows — the vault, the VMM server's fabric, the protection
container of each cloud, the replication network of each VM network, the protected item of each
VM — are template parameters, each described by the VMM object it stands for; nothing is invented.
The registered fabric and its containers and networks are discovered objects, never deployed here.

API version 2023-08-01: the four resource types and their bodies as Azure/bicep-types-az
`generated/recoveryservicessiterecovery/microsoft.recoveryservices/2023-08-01/types.md` gives them
(a plan's `friendlyName` is read-only there, so it is left out). The values are what the cmdlets
send, in Azure/azure-powershell `src/RecoveryServices/RecoveryServices.SiteRecovery/`:
`Policy/NewAzureRmRecoveryServicesAsrPolicy.cs` (allowedAuthenticationType 1 Kerberos, 2
Certificate; initialReplicationMethod OverNetwork or Offline; compression Enable or Disable;
replicaDeletion Required or NotRequired; the start time as TimeSpan.ToString writes it; no
frequency for 2012), `ProtectionContainerMapping/NewAzureRmRecoveryServicesAsrProtectionContainerMapping.cs`
(the policy's and the recovery container's IDs, an empty providerSpecificInput),
`NewAzureRmRecoveryServicesAsrNetworkMapping.cs` (recoveryFabricName the recovery network's
fabric, `VmmToVmm`) and `RecoveryPlan/NewAzureRmRecoveryServicesAsrRecoveryPlan.cs` (the fabrics'
IDs, NotApplicable, an item's virtualMachineId its replication details' vmId). Not confirmed: that
the 2023-08-01 ARM schema takes a 2012 policy (`HyperVReplica2012`, HyperVReplicaPolicyInput) as a
creation input (the SDK models and the cmdlet do; the bicep type table lists only the 2012 R2 one);
the start time's and the script timeout's (`rp_json`'s `PT600S`) string formats against a vault.

Every string the template holds as a value is either an expression fabric writes (a name's
literal part quoted inside it, `'` doubled) or a literal escaped as ARM requires: one that starts
with `[` and ends with `]` gets a second `[`, so no name or instruction can become an expression.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from fabric.dr.render import item_placeholders, rp_json
from fabric.errors import FabricError
from fabric.model.base import Resource
from fabric.model.dr import CloudPairing, NetworkMapping, ProtectedVm, RecoveryPlan, ReplicationPolicy
from fabric.model.stamp import DrConfig

API_VERSION = "2023-08-01"
SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
_VAULTS = "Microsoft.RecoveryServices/vaults"
POLICY = f"{_VAULTS}/replicationPolicies"
FABRIC = f"{_VAULTS}/replicationFabrics"
CONTAINER = f"{FABRIC}/replicationProtectionContainers"
CONTAINER_MAPPING = f"{CONTAINER}/replicationProtectionContainerMappings"
NETWORK = f"{FABRIC}/replicationNetworks"
NETWORK_MAPPING = f"{NETWORK}/replicationNetworkMappings"
PROTECTED_ITEM = f"{CONTAINER}/replicationProtectedItems"
RECOVERY_PLAN = f"{_VAULTS}/replicationRecoveryPlans"
_ITEMS = "replicationProtectedItems"
DEPLOYED = (POLICY, CONTAINER_MAPPING, NETWORK_MAPPING, RECOVERY_PLAN)  # in dependency order

_R = TypeVar("_R", bound=Resource)
_INSTANCE = {"hyperv_replica_2012r2": "HyperVReplica2012R2", "hyperv_replica_2012": "HyperVReplica2012"}
_AUTHENTICATION = {"kerberos": 1, "certificate": 2}
_METHOD = {"online": "OverNetwork", "offline": "Offline"}


class Expr(str):
    """An ARM expression fabric wrote (`[…]`): the one kind of string the escaping leaves alone."""

    __slots__ = ()


def _lit(text: str) -> str:
    """`text` as a string literal inside an expression (ARM doubles a single quote)."""
    return "'" + text.replace("'", "''") + "'"


def _param(name: str) -> str:
    return f"parameters({_lit(name)})"


def _segments(segments: Sequence[str]) -> str:
    return ", ".join(segments)


def _name(segments: Sequence[str]) -> Expr:
    """A nested resource's `name`: its segments joined by `/`."""
    placeholders = "/".join(f"{{{i}}}" for i in range(len(segments)))
    return Expr(f"[format({_lit(placeholders)}, {_segments(segments)})]")


def _id(kind: str, segments: Sequence[str]) -> str:
    return f"resourceId({_lit(kind)}, {_segments(segments)})"


def escape(value: Any) -> Any:
    """Every literal string in `value` (nested dicts and lists) as ARM reads it back unchanged:
    one that starts with `[` and ends with `]` gets a second `[`; fabric's expressions stay."""
    if isinstance(value, Expr):
        return str(value)
    if isinstance(value, str):
        return "[" + value if value.startswith("[") and value.endswith("]") else value
    if isinstance(value, dict):
        return {k: escape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [escape(v) for v in value]
    return value


class _Parameters:
    """Template parameters named after fabric addresses (`container_iaas_oslo` for `cloud.iaas-oslo`):
    ARM identifiers, unique ignoring case (ARM compares parameter names that way), a suffix `_2`, `_3`
    on the second address that sanitises alike."""

    def __init__(self) -> None:
        self._fixed: dict[str, dict[str, Any]] = {}
        self._named: dict[str, dict[str, Any]] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._taken: set[str] = set()  # every name declared, casefolded (ARM compares them so)

    def declared(self) -> dict[str, dict[str, Any]]:
        """The parameters section: the vault and fabrics first, then by kind (containers, networks,
        protected items) and name."""
        order = ("container", "network", "item")
        named = sorted(self._named, key=lambda n: (order.index(n.split("_", 1)[0]), n.casefold()))
        return {**self._fixed, **{n: self._named[n] for n in named}}

    def fixed(self, name: str, description: str, default: str | None = None) -> str:
        body: dict[str, Any] = {"type": "string"}
        if default is not None:
            body["defaultValue"] = Expr(default)
        self._fixed[name] = {**body, "metadata": {"description": description}}
        self._taken.add(name.casefold())
        return _param(name)

    def named(self, prefix: str, address: str, description: str) -> str:
        """`parameters('prefix_key')` for `address`, declared on first use."""
        if (prefix, address) not in self._by_key:
            stem = f"{prefix}_{re.sub(r'[^A-Za-z0-9]+', '_', address.split('.', 1)[-1]).strip('_')}"[:60]
            name, n = stem, 1
            while name.casefold() in self._taken:
                n += 1
                name = f"{stem}_{n}"
            self._taken.add(name.casefold())
            self._by_key[(prefix, address)] = name
            self._named[name] = {"type": "string", "metadata": {"description": description}}
        return _param(self._by_key[(prefix, address)])


def _display(resources: Mapping[str, Resource], address: str) -> str:
    return str(getattr(resources.get(address), "name", address))


def _get(resources: Mapping[str, Resource], address: str, kind: type[_R]) -> _R:
    found = resources[address]
    assert isinstance(found, kind)
    return found


def _policy(address: str, policy: ReplicationPolicy, vault: str) -> dict[str, Any]:
    assert policy.port is not None  # the model fills the portal's default (8083 Kerberos, 8084 certificate)
    # in the order New-AzRecoveryServicesAsrPolicy takes them (fabric/dr/azps.py), for review side by side
    details: dict[str, Any] = {"instanceType": _INSTANCE[policy.provider]}
    if policy.provider == "hyperv_replica_2012r2":  # 2012 replicates every 5 minutes: no such field
        details["replicationFrequencyInSeconds"] = policy.copy_frequency_seconds
    details["recoveryPoints"] = policy.recovery_points
    details["applicationConsistentSnapshotFrequencyInHours"] = policy.app_consistent_frequency_hours
    details["allowedAuthenticationType"] = _AUTHENTICATION[policy.authentication]
    details["replicationPort"] = policy.port
    details["initialReplicationMethod"] = _METHOD[policy.initial_replication]
    if policy.initial_replication_start is not None:
        details["onlineReplicationStartTime"] = f"{policy.initial_replication_start}:00"  # TimeSpan's hh:mm:ss
    if policy.initial_replication == "offline":
        details["offlineReplicationExportPath"] = policy.offline_export_path
        details["offlineReplicationImportPath"] = policy.offline_import_path
    details["compression"] = "Enable" if policy.compression else "Disable"
    details["replicaDeletion"] = "Required" if policy.delete_replica_on_disable else "NotRequired"
    return {
        "type": POLICY,
        "apiVersion": API_VERSION,
        "name": _name([vault, _lit(policy.name)]),
        "comments": f"fabric: {address}",
        "properties": {"providerSpecificInput": details},
    }


class _Builder:
    """The template's parts for one stamp, each resource's ID kept for the `dependsOn` of the next."""

    def __init__(self, resources: Mapping[str, Resource]) -> None:
        self.resources = resources
        self.params = _Parameters()
        self.vault = self.params.fixed(
            "vaultName", "The existing Recovery Services vault the DR design goes into (its resource name)."
        )
        self.fabric = self.params.fixed(
            "fabricName",
            "The vault's name (Name, not FriendlyName) of the replication fabric of the VMM server holding the "
            "primary clouds: Get-AzRecoveryServicesAsrFabric -FriendlyName <VMM server>.",
        )
        self.recovery_fabric = self.params.fixed(
            "recoveryFabricName",
            "The replication fabric of the VMM server holding the recovery clouds; on one VMM server the same fabric.",
            default=f"[{_param('fabricName')}]",
        )
        self.ids: dict[str, str] = {}

    def _container(self, cloud: str) -> str:
        name = _display(self.resources, cloud)
        return self.params.named(
            "container",
            cloud,
            f"The protection container (its Name in the vault) of VMM cloud '{name}' ({cloud}): "
            f"Get-AzRecoveryServicesAsrProtectionContainer -FriendlyName '{name}'.",
        )

    def _network(self, network: str) -> str:
        name = _display(self.resources, network)
        return self.params.named(
            "network",
            network,
            f"The replication network (its Name in the vault) of VM network '{name}' ({network}): "
            f"Get-AzRecoveryServicesAsrNetwork -FriendlyName '{name}'.",
        )

    def _item(self, address: str, vm: ProtectedVm) -> str:
        return self.params.named(
            "item",
            address,
            f"The protected item (its Name in the vault) of VM '{vm.vm}' ({address}), protection enabled outside "
            f"this template (fabric's az-ps names it '{vm.vm}').",
        )

    def policy(self, address: str, policy: ReplicationPolicy) -> dict[str, Any]:
        self.ids[address] = _id(POLICY, [self.vault, _lit(policy.name)])
        return _policy(address, policy, self.vault)

    def pairing(self, address: str, pairing: CloudPairing) -> dict[str, Any]:
        segments = [self.vault, self.fabric, self._container(pairing.primary_cloud), _lit(pairing.name)]
        self.ids[address] = _id(CONTAINER_MAPPING, segments)
        recovery = [self.vault, self.recovery_fabric, self._container(pairing.recovery_cloud)]
        return {
            "type": CONTAINER_MAPPING,
            "apiVersion": API_VERSION,
            "name": _name(segments),
            "comments": f"fabric: {address}",
            "dependsOn": [Expr(f"[{self.ids[pairing.policy]}]")],
            "properties": {
                "policyId": Expr(f"[{self.ids[pairing.policy]}]"),
                "targetProtectionContainerId": Expr(f"[{_id(CONTAINER, recovery)}]"),
                "providerSpecificInput": {},  # what New-AzRecoveryServicesAsrProtectionContainerMapping sends
            },
        }

    def mapping(self, address: str, mapping: NetworkMapping, pairings: Sequence[str]) -> dict[str, Any]:
        segments = [self.vault, self.fabric, self._network(mapping.primary_vm_network), _lit(mapping.name)]
        self.ids[address] = _id(NETWORK_MAPPING, segments)
        recovery = [self.vault, self.recovery_fabric, self._network(mapping.recovery_vm_network)]
        return {
            "type": NETWORK_MAPPING,
            "apiVersion": API_VERSION,
            "name": _name(segments),
            "comments": f"fabric: {address}",
            "dependsOn": [Expr(f"[{self.ids[p]}]") for p in pairings],
            "properties": {
                "recoveryFabricName": Expr(f"[{self.recovery_fabric}]"),
                "recoveryNetworkId": Expr(f"[{_id(NETWORK, recovery)}]"),
                "fabricSpecificDetails": {"instanceType": "VmmToVmm"},
            },
        }

    def _items(self, address: str) -> dict[str, Any]:
        vm = _get(self.resources, address, ProtectedVm)
        pairing = _get(self.resources, vm.pairing, CloudPairing)
        item = _id(
            PROTECTED_ITEM,
            [self.vault, self.fabric, self._container(pairing.primary_cloud), self._item(address, vm)],
        )
        return {
            "id": Expr(f"[{item}]"),
            # the VM's ID in its replication details, read from the vault at deployment (as the cmdlet does)
            "virtualMachineId": Expr(f"[reference({item}, {_lit(API_VERSION)}).providerSpecificDetails.vmId]"),
        }

    def plan(self, address: str, config: DrConfig, after: Sequence[str]) -> dict[str, Any]:
        plan = _get(self.resources, address, RecoveryPlan)
        doc = rp_json(self.resources, address, config)
        by_placeholder = {item_placeholders(self.resources, v)["id"]: v for v in plan.members()}
        groups = [
            {**g, "replicationProtectedItems": [self._items(by_placeholder[i["id"]]) for i in g[_ITEMS]]}
            for g in doc["properties"]["groups"]
        ]
        return {
            "type": RECOVERY_PLAN,
            "apiVersion": API_VERSION,
            "name": _name([self.vault, _lit(plan.name)]),
            "comments": f"fabric: {address}",
            "dependsOn": [Expr(f"[{self.ids[a]}]") for a in after],
            "properties": {
                "primaryFabricId": Expr(f"[{_id(FABRIC, [self.vault, self.fabric])}]"),
                "recoveryFabricId": Expr(f"[{_id(FABRIC, [self.vault, self.recovery_fabric])}]"),
                "failoverDeploymentModel": doc["properties"]["failoverDeploymentModel"],
                "groups": groups,
            },
        }


def _of(resources: Mapping[str, Resource], kind: type[Resource]) -> list[str]:
    return sorted(a for a, r in resources.items() if isinstance(r, kind))


def _served(mapping: NetworkMapping, pairings: Iterable[str]) -> list[str]:
    """The pairings a network mapping serves ([] = every one)."""
    return [p for p in pairings if not mapping.pairings or p in mapping.pairings]


def arm_template(resources: Mapping[str, Resource], config: DrConfig, stamp: str) -> dict[str, Any]:
    """The DR design of `resources` as an ARM deployment template (see the module docstring).
    FabricError if the stamp declares none of the DR kinds rendered here."""
    policies, pairings = _of(resources, ReplicationPolicy), _of(resources, CloudPairing)
    mappings, plans = _of(resources, NetworkMapping), _of(resources, RecoveryPlan)
    if not (policies or pairings or mappings or plans):
        raise FabricError("the stamp declares no DR design to render")
    for address in [*policies, *pairings, *mappings, *plans]:
        name = str(getattr(resources[address], "name", ""))
        if "/" in name:  # a `/` would split the ARM resource name into other segments
            raise FabricError(f"{address}: an ARM resource name cannot hold '/' ({name!r})")
    build = _Builder(resources)
    out = [build.policy(a, _get(resources, a, ReplicationPolicy)) for a in policies]
    out += [build.pairing(a, _get(resources, a, CloudPairing)) for a in pairings]
    served = {a: _served(_get(resources, a, NetworkMapping), pairings) for a in mappings}
    out += [build.mapping(a, _get(resources, a, NetworkMapping), served[a]) for a in mappings]
    serving = {m: set(p) for m, p in served.items()}  # once: every plan asks of every mapping
    for address in plans:
        plan = _get(resources, address, RecoveryPlan)
        used = sorted({_get(resources, v, ProtectedVm).pairing for v in plan.members()})
        after = [*used, *(m for m in mappings if not serving[m].isdisjoint(used))]
        out.append(build.plan(address, config, after))
    template = {
        "$schema": SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {
            "description": f"The disaster-recovery design of stamp {stamp} for an existing Site Recovery vault "
            "(VMM to VMM): replication policies, cloud pairings, network mappings and recovery plans. "
            "Protection is not enabled here: the protected items the plans name must exist.",
            "generator": "fabric dr render --format arm",
        },
        "parameters": build.params.declared(),
        "resources": out,
    }
    result: dict[str, Any] = escape(template)
    return result


def arm_json(resources: Mapping[str, Resource], config: DrConfig, stamp: str) -> str:
    """`arm_template` as JSON text (indented, non-ASCII kept, a trailing newline)."""
    return json.dumps(arm_template(resources, config, stamp), indent=2, ensure_ascii=False) + "\n"
