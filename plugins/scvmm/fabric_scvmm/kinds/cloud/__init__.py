"""The cloud kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCCloud, Get-SCCloudCapacity, Get-SCCustomPropertyValue; fields: HostGroupIDs =
HostGroup[].ID, LogicalNetworkIDs, PortClassificationIDs (the cloud's resources),
DisasterRecoverySupported, Capacity.{VMCount, UseVMCountMaximum, CPUCount, …},
CustomPropertyValues = {CustomProperty.ID: Value}.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import W_CAPACITY, X_CLOUD, Property, Raw, base, common, ids, many

_CAPACITY = [
    (name, f"Capacity.{name}")
    for base in ("VMCount", "CPUCount", "MemoryMB", "StorageGB", "CustomQuotaCount")
    for name in (base, f"Use{base}Maximum")
]

PROPERTIES: tuple[Property, ...] = (
    *common("cloud", "Cloud"),
    Property("cloud", "Cloud", "HostGroup", "HostGroupIDs", X_CLOUD),
    Property("cloud", "Cloud", "LogicalNetworks", "LogicalNetworkIDs", X_CLOUD),
    Property("cloud", "Cloud", "PortClassifications", "PortClassificationIDs", X_CLOUD),
    Property("cloud", "Cloud", "DisasterRecoverySupported", "DisasterRecoverySupported", None),
    *many("cloud", "CloudCapacity", W_CAPACITY, *_CAPACITY),
    Property("cloud", "CustomPropertyValue", "Value", "CustomPropertyValues", "X MSFT_xSCVMMCustomPropertyValue"),
)


def _capacity(raw: Raw) -> dict[str, Any]:
    fields = {
        "vm_count": "VMCount",
        "cpu_count": "CPUCount",
        "memory_mb": "MemoryMB",
        "storage_gb": "StorageGB",
        "custom_quota_count": "CustomQuotaCount",
    }
    return {
        key: None if raw.get(f"Use{name}Maximum", True) else int(raw.get(name) or 0) for key, name in fields.items()
    }


def parse(raw: Raw) -> dict[str, Any]:
    """The cloud's attributes from its read (fields: see the module docstring)."""
    return {
        **base(raw),
        "host_groups": ids(raw, "HostGroupIDs"),
        "logical_networks": ids(raw, "LogicalNetworkIDs"),
        "port_classifications": ids(raw, "PortClassificationIDs"),
        "capacity": _capacity(raw.get("Capacity") or {}),
        "custom_properties": {str(k): str(v) for k, v in (raw.get("CustomPropertyValues") or {}).items()},
        "disaster_recovery_supported": bool(raw.get("DisasterRecoverySupported")),
    }
