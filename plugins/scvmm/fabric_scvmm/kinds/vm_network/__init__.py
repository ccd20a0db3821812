"""The vm_network kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCVMNetwork, Get-SCVMSubnet; fields: LogicalNetworkID, IsolationType,
Subnets[].{Name, Subnet, VLanID, LogicalNetworkDefinitionID}.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import GENERIC, ISOLATION, X_SITE, X_VMN, Property, Raw, base, common, text

PROPERTIES: tuple[Property, ...] = (
    *common("vm_network", "VMNetwork"),
    Property("vm_network", "VMNetwork", "LogicalNetwork", "LogicalNetworkID", X_VMN),
    Property("vm_network", "VMNetwork", "IsolationType", "IsolationType", X_VMN),
    Property("vm_network", "VMSubnet", "Name", "Subnets[].Name", GENERIC),
    Property("vm_network", "VMSubnet", "SubnetVLans", "Subnets[].Subnet", "P, A, X (audit: VMSubnet.SubnetVLans)"),
    Property("vm_network", "SubnetVLan", "Subnet", "Subnets[].Subnet", X_SITE),
    Property("vm_network", "SubnetVLan", "VLanID", "Subnets[].VLanID", X_SITE),
    Property("vm_network", "VMSubnet", "LogicalNetworkDefinition", "Subnets[].LogicalNetworkDefinitionID", None),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The vm network's attributes from its read (fields: see the module docstring)."""
    subnets = [
        {
            "name": text(s, "Name"),
            "subnet": s.get("Subnet") or None,
            "vlan": int(s.get("VLanID") or 0),
            "network_site": s.get("LogicalNetworkDefinitionID") or None,
        }
        for s in raw.get("Subnets") or []
    ]
    isolation = ISOLATION.get(text(raw, "IsolationType"), text(raw, "IsolationType").lower())
    return {**base(raw), "logical_network": text(raw, "LogicalNetworkID"), "isolation": isolation, "subnets": subnets}
