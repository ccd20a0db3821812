"""The ip_grant kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCIPAddress -Assigned, VirtualNetworkAdapter grants; the VM found by its adapters;
fields: Description (fabric writes the resource name there), PoolID = AllocatingAddressPool.ID,
VMName, AdapterSlot (the adapter's SlotId), Address.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import GENERIC, P_GRANT, Property, Raw, many, text

PROPERTIES: tuple[Property, ...] = (
    Property("ip_grant", "AllocatedIPAddress", "ID", "ID", GENERIC),
    *many(
        "ip_grant",
        "AllocatedIPAddress",
        P_GRANT,
        ("Description", "Description"),
        ("AllocatingAddressPool", "PoolID"),
        ("AssignedToType", "(VirtualNetworkAdapter grants)"),
        ("AssignedToID", "(the adapter: VMName, AdapterSlot)"),
        ("Address", "Address"),
    ),
    Property("ip_grant", "VM", "Name", "VMName", GENERIC),
    Property("ip_grant", "VM", "VirtualNetworkAdapters", "(the adapter)", "audit: Get-SCVirtualMachine"),
    Property(
        "ip_grant",
        "VM",
        "IsRecoveryVM",
        "(a protected VM's replica, skipped)",
        "P: `Get-SCVirtualMachine 'TS Gateway' | Where-Object{$_.IsRecoveryVM}`; SPF's VirtualMachine has IsRecoveryVM",
    ),
    Property("ip_grant", "VirtualNetworkAdapter", "ID", "(the adapter)", GENERIC),
    Property(
        "ip_grant",
        "VirtualNetworkAdapter",
        "SlotId",
        "AdapterSlot",
        "P: `$VM.VirtualNetworkAdapters[($NIC.SlotID)]`, `Where-Object { $_.SlotId -eq 0 }` (audit D10)",
    ),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The ip grant's attributes from its read (fields: see the module docstring)."""
    return {
        "name": text(raw, "Description"),
        "description": "",
        "ip_pool": text(raw, "PoolID"),
        "vm": text(raw, "VMName"),
        "adapter": int(raw.get("AdapterSlot") or 0),
        "address": text(raw, "Address"),
    }
