"""The network_site kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCLogicalNetworkDefinition -ReturnAllTypes; fields: LogicalNetworkID,
HostGroupIDs, SubnetVLans[].{Subnet, VLanID, SecondaryVLanID}.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import X_SITE, Property, Raw, common, ids, many, text

PROPERTIES: tuple[Property, ...] = (
    *common("network_site", "LogicalNetworkDefinition"),
    *many(
        "network_site",
        "LogicalNetworkDefinition",
        X_SITE,
        ("LogicalNetwork", "LogicalNetworkID"),
        ("HostGroups", "HostGroupIDs"),
        ("SubnetVLans", "SubnetVLans"),
    ),
    *many(
        "network_site",
        "SubnetVLan",
        X_SITE,
        ("Subnet", "SubnetVLans[].Subnet"),
        ("VLanID", "SubnetVLans[].VLanID"),
        ("SecondaryVLanID", "SubnetVLans[].SecondaryVLanID"),
    ),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The network site's attributes from its read (fields: see the module docstring)."""
    subnets = [
        {
            "subnet": str(s.get("Subnet")),
            "vlan": int(s.get("VLanID") or 0),
            "secondary_vlan": None if not s.get("SecondaryVLanID") else int(s["SecondaryVLanID"]),
        }
        for s in raw.get("SubnetVLans") or []
    ]
    return {
        "name": text(raw, "Name"),
        "description": text(raw, "Description"),
        "logical_network": text(raw, "LogicalNetworkID"),
        "host_groups": ids(raw, "HostGroupIDs"),
        "subnets": subnets,
    }
