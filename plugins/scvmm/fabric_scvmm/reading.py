"""What every kind's reading shares: the read script's JSON (`Raw`), VMM's enumeration names
as fabric's, small field readers, and `Property`, a row of the table of VMM properties the
read script reads (`fabric_scvmm.properties`), with the source tags the rows cite.

Source tags, as in the audit (docs: scvmm-audit.md, "Sources"): **X** robwi/xSCVMM, **A**
AsBuiltReport/AsBuiltReport.Microsoft.SCVMM (a report run against real VMM servers), **P**
other public scripts, **W** the WAP `CloudCapacity` entity. A row whose source is None is
**unverified**: no public code or reference page reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Raw = Mapping[str, Any]
CHECKLIST = "docs/scvmm-lab-checklist.md"

ISOLATION = {"NoIsolation": "no_isolation", "VLANNetwork": "vlan", "WindowsNetworkVirtualization": "hnv"}
TEAM = {"Static": "static", "SwitchIndependent": "switch_independent", "Lacp": "lacp"}
BALANCE = {
    "HostDefault": "host_default",
    "TransportPorts": "transport_ports",
    "IPAddresses": "ip_addresses",
    "MacAddresses": "mac_addresses",
    "HyperVPort": "hyperv_port",
    "Dynamic": "dynamic",
}
UPLINK = {"NoTeam": "no_team", "Team": "team", "EmbeddedTeam": "embedded_team"}
BANDWIDTH = {"Default": "default", "Weight": "weight", "Absolute": "absolute", "None": "none"}
MEMBERS = {
    "VM": "vm",
    "Template": "template",
    "VMHost": "vm_host",
    "HostCluster": "host_cluster",
    "VMHostGroup": "vm_host_group",
    "ServiceTemplate": "service_template",
    "ServiceInstance": "service_instance",
    "ComputerTier": "computer_tier",
    "Cloud": "cloud",
    "ProtectionUnit": "protection_unit",
}


def text(raw: Raw, key: str) -> str:
    """The field as text ('' for null)."""
    value = raw.get(key)
    return "" if value is None else str(value)


def ids(raw: Raw, key: str) -> list[str]:
    """The field as a sorted list of IDs (a one-item array arrives as the item itself)."""
    value = raw.get(key) or []
    if isinstance(value, str):  # PowerShell sends a one-item array as the item itself
        value = [value]
    return sorted(str(i) for i in value if i)


def comma_set(text: Any) -> list[str]:
    """VMM's comma-separated set (`10.0.0.1,10.0.0.5-10.0.0.9`) as a list."""
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def base(raw: Raw) -> dict[str, Any]:
    """Name and description, which every object has (KeyError without a name: not the read
    script's object, and an empty name would plan as an object to create)."""
    return {"name": str(raw["Name"]), "description": text(raw, "Description")}


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


X_CLOUD = "X MSFT_xSCVMMCloud.psm1 (HostGroup at :67, LogicalNetworks, PortClassifications)"
X_LN = "X MSFT_xSCVMMLogicalNetwork.psm1 (NetworkVirtualizationEnabled, IsLogicalNetworkDefinitionIsolated, IsPVLAN)"
X_SITE = "X MSFT_xSCVMMLogicalNetworkDefinition.psm1; A Src/Public/Invoke-AsBuiltReport.Microsoft.SCVMM.ps1"
X_POOL = "X MSFT_xSCVMMIPPool.psm1:260-323"
P_POOL_PARENT = "P: `VMSubnet.VMNetwork` and `.LogicalNetworkDefinition` on pools (audit, IP pools)"
P_GRANT = "P: `AllocatingAddressPool` (6 hits; the 'returned IP to Pool' cleanup script, audit D8)"
A = "A Src/Public/Invoke-AsBuiltReport.Microsoft.SCVMM.ps1"
X_VMN = f"X MSFT_xSCVMMVMNetwork.psm1; {A}"
A_VNIC = f"{A} (the Network Adapter Port Profiles section reads each of them)"
X_UPLINK = "X MSFT_xSCVMMUplinkPortProfile.psm1:44-48"
X_SWITCH = "X MSFT_xSCVMMLogicalSwitch.psm1"
W_CAPACITY = "W learn.microsoft.com dn818595(v=msdn.10), the WAP CloudCapacity entity"
GENERIC = "every VMM object (X, A)"


def common(kind: str, vmm_type: str) -> list[Property]:
    """ID, Name and Description of `vmm_type`, which every VMM object has."""
    return [Property(kind, vmm_type, name, name, GENERIC) for name in ("ID", "Name", "Description")]


def many(kind: str, vmm_type: str, source: str, *pairs: tuple[str, str]) -> list[Property]:
    """One row per (property, JSON field) pair, all from one source."""
    return [Property(kind, vmm_type, name, field, source) for name, field in pairs]
