"""The host_group kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCVMHostGroup; fields: ID, Name, Description, ParentID = ParentHostGroup.ID (''
for the root "All Hosts", which is not managed), InheritNetworkSettings.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import Property, Raw, base, common

PROPERTIES: tuple[Property, ...] = (
    *common("host_group", "VMHostGroup"),
    Property("host_group", "VMHostGroup", "ParentHostGroup", "ParentID", "A; P host-group migration script"),
    Property("host_group", "VMHostGroup", "InheritNetworkSettings", "InheritNetworkSettings", "A; P"),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The host group's attributes from its read (fields: see the module docstring)."""
    return {
        **base(raw),
        "parent": raw.get("ParentID") or None,
        "inherit_network_settings": bool(raw.get("InheritNetworkSettings", True)),
    }
