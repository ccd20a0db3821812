"""The virtual_port_profile kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCVirtualNetworkAdapterNativePortProfile; fields: the Enable*/Allow* flags,
MinimumBandwidthWeight, MinimumBandwidthAbsoluteInMbps, MaximumBandwidthAbsoluteInMbps (read-
back names differ from the parameters).

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import A_VNIC, Property, Raw, base, common, many

PROPERTIES: tuple[Property, ...] = (
    *common("virtual_port_profile", "VirtualNetworkAdapterNativePortProfile"),
    *many(
        "virtual_port_profile",
        "VirtualNetworkAdapterNativePortProfile",
        A_VNIC,
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
)


def parse(raw: Raw) -> dict[str, Any]:
    """The virtual port profile's attributes from its read (fields: see the module docstring)."""
    flags = {
        "enable_vmq": "EnableVmq",
        "enable_ipsec_offload": "EnableIPsecOffload",
        "enable_iov": "EnableIov",
        "enable_vrss": "EnableVrss",
        "allow_mac_spoofing": "AllowMacAddressSpoofing",
        "enable_dhcp_guard": "EnableDHCPGuard",
        "enable_router_guard": "EnableRouterGuard",
        "allow_teaming": "AllowTeaming",
        "allow_ieee_priority_tagging": "AllowIeeePriorityTagging",
    }
    return {
        **base(raw),
        **{k: bool(raw.get(v)) for k, v in flags.items()},
        "minimum_bandwidth_weight": int(raw.get("MinimumBandwidthWeight") or 0),
        "minimum_bandwidth_absolute_mbps": int(raw.get("MinimumBandwidthAbsoluteInMbps") or 0),
        "maximum_bandwidth_mbps": int(raw.get("MaximumBandwidthAbsoluteInMbps") or 0),
    }
