"""The logical_network kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCLogicalNetwork; fields: NetworkVirtualizationEnabled,
IsLogicalNetworkDefinitionIsolated, IsPVLAN.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import X_LN, Property, Raw, base, common, many

PROPERTIES: tuple[Property, ...] = (
    *common("logical_network", "LogicalNetwork"),
    *many(
        "logical_network",
        "LogicalNetwork",
        X_LN,
        ("NetworkVirtualizationEnabled", "NetworkVirtualizationEnabled"),
        ("IsLogicalNetworkDefinitionIsolated", "IsLogicalNetworkDefinitionIsolated"),
        ("IsPVLAN", "IsPVLAN"),
    ),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The logical network's attributes from its read (fields: see the module docstring)."""
    isolated, pvlan = bool(raw.get("IsLogicalNetworkDefinitionIsolated")), bool(raw.get("IsPVLAN"))
    isolation = "pvlan" if pvlan else "vlan" if isolated else "connected"
    return {
        **base(raw),
        "isolation": isolation,
        "network_virtualization": bool(raw.get("NetworkVirtualizationEnabled")),
    }
