"""Every VMM object property the read script reads, with where its name is confirmed.

One row per (VMM object type, property): the fabric kind whose read uses it, the JSON field the
read script writes (`Subnets[].LogicalNetworkDefinitionID`: a field of each item of the list
`Subnets`) and the source, tagged as in the audit (docs: scvmm-audit.md, "Sources"): **X**
robwi/xSCVMM, **A** AsBuiltReport/AsBuiltReport.Microsoft.SCVMM (a report run against real
VMM servers), **P** other public scripts, **W** the WAP `CloudCapacity` entity. A row whose
source is None is **unverified**: no public code or reference page reads it.

Unverified properties are read defensively, so a wrong name cannot pass for an empty value
(which would show as drift for ever): the read script reads them through its `Need` function
(`read_need` in `templates/_macros.ps1.j2`), which stops the script with `missing()`, naming the
property, if the object has no such property; an update that relies on one checks it the same
way first (`need`); and the inventory parser refuses a document without the field
(`check_present`). The lab checklist (docs/scvmm-lab-checklist.md) and `fabric scvmm selftest`
confirm them on a real VMM. A test parses every script the templates render and checks that
each property they read is in this table (or in `SCRIPT_MEMBERS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fabric.errors import ProviderError

CHECKLIST = "docs/scvmm-lab-checklist.md"


@dataclass(frozen=True)
class Property:
    """One property the read script reads."""

    kind: str  # the fabric kind whose read uses it
    vmm_type: str  # the VMM object type, as messages name it
    name: str  # the property
    field: str  # the JSON field written from it (`Name`; `List[].Name`: in each item of `List`), or (what it selects)
    source: str | None  # where the name is confirmed; None = unverified

    @property
    def verified(self) -> bool:
        """Whether a source confirms the name."""
        return self.source is not None

    @property
    def container(self) -> str | None:
        """The list field whose items hold the field (`Subnets`), or None for a top-level field."""
        return self.field.split("[].", 1)[0] if "[]." in self.field else None

    @property
    def leaf(self) -> str:
        """The field's own name inside its object or list item."""
        return self.field.rsplit("[].", 1)[-1]

    def missing(self) -> str:
        """The error for a VMM whose objects lack this property."""
        why = "unverified, see" if not self.verified else "see"
        return (
            f"the VMM server's {self.vmm_type} objects have no property {self.name}; "
            f"fabric needs it ({why} {CHECKLIST})"
        )


_X_CLOUD = "X MSFT_xSCVMMCloud.psm1 (HostGroup at :67, LogicalNetworks, PortClassifications)"
_X_LN = "X MSFT_xSCVMMLogicalNetwork.psm1 (NetworkVirtualizationEnabled, IsLogicalNetworkDefinitionIsolated, IsPVLAN)"
_X_SITE = "X MSFT_xSCVMMLogicalNetworkDefinition.psm1; A Src/Public/Invoke-AsBuiltReport.Microsoft.SCVMM.ps1"
_X_POOL = "X MSFT_xSCVMMIPPool.psm1:260-323"
_P_POOL_PARENT = "P: `VMSubnet.VMNetwork` and `.LogicalNetworkDefinition` on pools (audit, IP pools)"
_P_GRANT = "P: `AllocatingAddressPool` (6 hits; the 'returned IP to Pool' cleanup script, audit D8)"
_A = "A Src/Public/Invoke-AsBuiltReport.Microsoft.SCVMM.ps1"
_X_VMN = f"X MSFT_xSCVMMVMNetwork.psm1; {_A}"
_A_VNIC = f"{_A} (the Network Adapter Port Profiles section reads each of them)"
_X_UPLINK = "X MSFT_xSCVMMUplinkPortProfile.psm1:44-48"
_X_SWITCH = "X MSFT_xSCVMMLogicalSwitch.psm1"
_W_CAPACITY = "W learn.microsoft.com dn818595(v=msdn.10), the WAP CloudCapacity entity"
_GENERIC = "every VMM object (X, A)"


def _common(kind: str, vmm_type: str) -> list[Property]:
    return [Property(kind, vmm_type, name, name, _GENERIC) for name in ("ID", "Name", "Description")]


def _many(kind: str, vmm_type: str, source: str, *pairs: tuple[str, str]) -> list[Property]:
    return [Property(kind, vmm_type, name, field, source) for name, field in pairs]


_CAPACITY = [
    (name, f"Capacity.{name}")
    for base in ("VMCount", "CPUCount", "MemoryMB", "StorageGB", "CustomQuotaCount")
    for name in (base, f"Use{base}Maximum")
]

PROPERTIES: tuple[Property, ...] = (
    *_common("host_group", "VMHostGroup"),
    Property("host_group", "VMHostGroup", "ParentHostGroup", "ParentID", "A; P host-group migration script"),
    Property("host_group", "VMHostGroup", "InheritNetworkSettings", "InheritNetworkSettings", "A; P"),
    *_common("cloud", "Cloud"),
    Property("cloud", "Cloud", "HostGroup", "HostGroupIDs", _X_CLOUD),
    Property("cloud", "Cloud", "LogicalNetworks", "LogicalNetworkIDs", _X_CLOUD),
    Property("cloud", "Cloud", "PortClassifications", "PortClassificationIDs", _X_CLOUD),
    Property("cloud", "Cloud", "DisasterRecoverySupported", "DisasterRecoverySupported", None),  # audit D12
    *_many("cloud", "CloudCapacity", _W_CAPACITY, *_CAPACITY),
    Property("cloud", "CustomPropertyValue", "Value", "CustomPropertyValues", "X MSFT_xSCVMMCustomPropertyValue"),
    *_common("logical_network", "LogicalNetwork"),
    *_many(
        "logical_network",
        "LogicalNetwork",
        _X_LN,
        ("NetworkVirtualizationEnabled", "NetworkVirtualizationEnabled"),
        ("IsLogicalNetworkDefinitionIsolated", "IsLogicalNetworkDefinitionIsolated"),
        ("IsPVLAN", "IsPVLAN"),
    ),
    *_common("network_site", "LogicalNetworkDefinition"),
    *_many(
        "network_site",
        "LogicalNetworkDefinition",
        _X_SITE,
        ("LogicalNetwork", "LogicalNetworkID"),
        ("HostGroups", "HostGroupIDs"),
        ("SubnetVLans", "SubnetVLans"),
    ),
    *_many(
        "network_site",
        "SubnetVLan",
        _X_SITE,
        ("Subnet", "SubnetVLans[].Subnet"),
        ("VLanID", "SubnetVLans[].VLanID"),
        ("SecondaryVLanID", "SubnetVLans[].SecondaryVLanID"),
    ),
    *_common("ip_pool", "StaticIPAddressPool"),
    Property(
        "ip_pool", "StaticIPAddressPool", "LogicalNetworkDefinition", "LogicalNetworkDefinitionID", _P_POOL_PARENT
    ),
    Property("ip_pool", "StaticIPAddressPool", "VMSubnet", "VMNetworkID", _P_POOL_PARENT),
    Property("ip_pool", "VMSubnet", "VMNetwork", "VMNetworkID", _P_POOL_PARENT),
    Property("ip_pool", "VMSubnet", "Name", "VMSubnetName", _GENERIC),
    *_many(
        "ip_pool",
        "StaticIPAddressPool",
        _X_POOL,
        ("Subnet", "Subnet"),
        ("IPAddressRangeStart", "IPAddressRangeStart"),
        ("IPAddressRangeEnd", "IPAddressRangeEnd"),
        ("DefaultGateways", "DefaultGateways"),
        ("DNSServers", "DNSServers"),
        ("DNSSuffix", "DNSSuffix"),
        ("DNSSearchSuffixes", "DNSSearchSuffixes"),
        ("IPAddressReservedSet", "IPAddressReservedSet"),
        ("VIPAddressSet", "VIPAddressSet"),
    ),
    Property("ip_pool", "DefaultGateway", "IPAddress", "DefaultGateways", _X_POOL),
    *_common("vm_network", "VMNetwork"),
    Property("vm_network", "VMNetwork", "LogicalNetwork", "LogicalNetworkID", _X_VMN),
    Property("vm_network", "VMNetwork", "IsolationType", "IsolationType", _X_VMN),
    Property("vm_network", "VMSubnet", "Name", "Subnets[].Name", _GENERIC),
    Property("vm_network", "VMSubnet", "SubnetVLans", "Subnets[].Subnet", "P, A, X (audit: VMSubnet.SubnetVLans)"),
    Property("vm_network", "SubnetVLan", "Subnet", "Subnets[].Subnet", _X_SITE),
    Property("vm_network", "SubnetVLan", "VLanID", "Subnets[].VLanID", _X_SITE),
    Property("vm_network", "VMSubnet", "LogicalNetworkDefinition", "Subnets[].LogicalNetworkDefinitionID", None),  # D13
    *_common("mac_pool", "MACAddressPool"),
    *_many(
        "mac_pool",
        "MACAddressPool",
        "P: `.MACAddressRangeStart`/`.MACAddressRangeEnd` (7 hits, e.g. a VMM fabric report script)",
        ("MACAddressRangeStart", "MACAddressRangeStart"),
        ("MACAddressRangeEnd", "MACAddressRangeEnd"),
    ),
    Property("mac_pool", "MACAddressPool", "HostGroup", "HostGroupIDs", None),  # audit D11
    *_common("port_classification", "PortClassification"),
    *_common("virtual_port_profile", "VirtualNetworkAdapterNativePortProfile"),
    *_many(
        "virtual_port_profile",
        "VirtualNetworkAdapterNativePortProfile",
        _A_VNIC,
        *(
            (name, name)
            for name in (
                "EnableVmq",
                "EnableIPsecOffload",
                "EnableIov",
                "EnableVrss",
                "AllowMacAddressSpoofing",
                "EnableDHCPGuard",
                "EnableRouterGuard",
                "AllowTeaming",
                "AllowIeeePriorityTagging",
                "MinimumBandwidthWeight",
                "MinimumBandwidthAbsoluteInMbps",
                "MaximumBandwidthAbsoluteInMbps",
            )
        ),
    ),
    *_common("uplink_port_profile", "NativeUplinkPortProfile"),
    *_many(
        "uplink_port_profile",
        "NativeUplinkPortProfile",
        _X_UPLINK,
        ("LogicalNetworkDefinitions", "LogicalNetworkDefinitionIDs"),
        ("LBFOTeamMode", "LBFOTeamMode"),
        ("LBFOLoadBalancingAlgorithm", "LBFOLoadBalancingAlgorithm"),
        ("EnableNetworkVirtualization", "EnableNetworkVirtualization"),
    ),
    *_common("logical_switch", "LogicalSwitch"),
    *_many(
        "logical_switch",
        "LogicalSwitch",
        _X_SWITCH,
        ("UplinkMode", "UplinkMode"),
        ("MinimumBandwidthMode", "MinimumBandwidthMode"),
        ("EnableSriov", "EnableSriov"),
    ),
    Property("logical_switch", "UplinkPortProfileSet", "NativeUplinkPortProfile", "UplinkPortProfileIDs", _X_SWITCH),
    *_many(
        "logical_switch",
        "VirtualNetworkAdapterPortProfileSet",
        _X_SWITCH,
        ("PortClassification", "VirtualPorts[].PortClassificationID"),
        ("VirtualNetworkAdapterNativePortProfile", "VirtualPorts[].VirtualNetworkAdapterNativePortProfileID"),
    ),
    Property(
        "logical_switch",
        "VirtualNetworkAdapterPortProfileSet",
        "IsDefaultPortProfileSet",
        "VirtualPorts[].IsDefaultPortProfileSet",
        None,
    ),  # audit D14
    *_common("custom_property", "CustomProperty"),
    Property("custom_property", "CustomProperty", "Members", "Members", "X MSFT_xSCVMMCustomProperty.psm1:123-143"),
    Property("ip_grant", "AllocatedIPAddress", "ID", "ID", _GENERIC),
    *_many(
        "ip_grant",
        "AllocatedIPAddress",
        _P_GRANT,
        ("Description", "Description"),
        ("AllocatingAddressPool", "PoolID"),
        ("AssignedToType", "(VirtualNetworkAdapter grants)"),
        ("AssignedToID", "(the adapter: VMName, AdapterSlot)"),
        ("Address", "Address"),
    ),
    Property("ip_grant", "VM", "Name", "VMName", _GENERIC),
    Property("ip_grant", "VM", "VirtualNetworkAdapters", "(the adapter)", "audit: Get-SCVirtualMachine"),
    Property("ip_grant", "VirtualNetworkAdapter", "ID", "(the adapter)", _GENERIC),
    Property(
        "ip_grant",
        "VirtualNetworkAdapter",
        "SlotId",
        "AdapterSlot",
        "P: `$VM.VirtualNetworkAdapters[($NIC.SlotID)]`, `Where-Object { $_.SlotId -eq 0 }` (audit D10)",
    ),
)

# Members the scripts read that are no VMM object's: PowerShell's own (an array's Count, an error
# record's Exception.Message and CategoryInfo.Category, PSObject.Properties) and those of the
# read script's own [pscustomobject]s (the grant index's VM and Adapter).
SCRIPT_MEMBERS = frozenset(
    {"Count", "Exception", "Message", "CategoryInfo", "Category", "PSObject", "Properties", "VM", "Adapter"}
)

_BY_NAME: dict[tuple[str, str, str], Property] = {(p.kind, p.vmm_type, p.name): p for p in PROPERTIES}


def lookup(kind: str, vmm_type: str, name: str) -> Property:
    """The row for `name` on `vmm_type` as `kind` reads it; KeyError if the table has none."""
    return _BY_NAME[(kind, vmm_type, name)]


def unverified(kind: str | None = None) -> list[Property]:
    """The unverified rows (of `kind`, or all)."""
    return [p for p in PROPERTIES if not p.verified and kind in (None, p.kind)]


def check_present(kind: str, raw: Mapping[str, Any]) -> None:
    """ProviderError naming the first unverified property the read script found missing on this object."""
    for p in unverified(kind):
        container = p.container
        items = (raw.get(container) or []) if container is not None else [raw]
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, Mapping) and p.leaf not in item:
                raise ProviderError(p.missing())
