"""The logical_switch kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCLogicalSwitch, Get-SCUplinkPortProfileSet, Get-
SCVirtualNetworkAdapterPortProfileSet; fields: UplinkMode, MinimumBandwidthMode, EnableSriov,
UplinkPortProfileIDs, VirtualPorts[].{PortClassificationID,
VirtualNetworkAdapterNativePortProfileID, IsDefaultPortProfileSet}.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import BANDWIDTH, UPLINK, X_SWITCH, Property, Raw, base, common, ids, many, text

PROPERTIES: tuple[Property, ...] = (
    *common("logical_switch", "LogicalSwitch"),
    *many(
        "logical_switch",
        "LogicalSwitch",
        X_SWITCH,
        ("UplinkMode", "UplinkMode"),
        ("MinimumBandwidthMode", "MinimumBandwidthMode"),
        ("EnableSriov", "EnableSriov"),
    ),
    Property("logical_switch", "UplinkPortProfileSet", "NativeUplinkPortProfile", "UplinkPortProfileIDs", X_SWITCH),
    *many(
        "logical_switch",
        "VirtualNetworkAdapterPortProfileSet",
        X_SWITCH,
        ("PortClassification", "VirtualPorts[].PortClassificationID"),
        ("VirtualNetworkAdapterNativePortProfile", "VirtualPorts[].VirtualNetworkAdapterNativePortProfileID"),
    ),
    Property(
        "logical_switch",
        "VirtualNetworkAdapterPortProfileSet",
        "IsDefaultPortProfileSet",
        "VirtualPorts[].IsDefaultPortProfileSet",
        None,
    ),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The logical switch's attributes from its read (fields: see the module docstring)."""
    ports = [
        {
            "port_classification": text(p, "PortClassificationID"),
            "profile": text(p, "VirtualNetworkAdapterNativePortProfileID"),
            "default": bool(p.get("IsDefaultPortProfileSet")),
        }
        for p in raw.get("VirtualPorts") or []
    ]
    return {
        **base(raw),
        "uplink_mode": UPLINK.get(text(raw, "UplinkMode"), "team"),
        "minimum_bandwidth_mode": BANDWIDTH.get(text(raw, "MinimumBandwidthMode"), "default"),
        "enable_sriov": bool(raw.get("EnableSriov")),
        "uplink_port_profiles": ids(raw, "UplinkPortProfileIDs"),
        "virtual_ports": ports,
    }
