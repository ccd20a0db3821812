"""The ip_pool kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCStaticIPAddressPool; fields: LogicalNetworkDefinitionID or VMNetworkID +
VMSubnetName, Subnet, IPAddressRangeStart/End, DefaultGateways[] (IPAddress), DNSServers,
DNSSuffix, DNSSearchSuffixes, IPAddressReservedSet, VIPAddressSet (the comma-separated strings
VMM returns).

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import GENERIC, P_POOL_PARENT, X_POOL, Property, Raw, base, comma_set, common, many, text

PROPERTIES: tuple[Property, ...] = (
    *common("ip_pool", "StaticIPAddressPool"),
    Property("ip_pool", "StaticIPAddressPool", "LogicalNetworkDefinition", "LogicalNetworkDefinitionID", P_POOL_PARENT),
    Property("ip_pool", "StaticIPAddressPool", "VMSubnet", "VMNetworkID", P_POOL_PARENT),
    Property("ip_pool", "VMSubnet", "VMNetwork", "VMNetworkID", P_POOL_PARENT),
    Property("ip_pool", "VMSubnet", "Name", "VMSubnetName", GENERIC),
    *many(
        "ip_pool",
        "StaticIPAddressPool",
        X_POOL,
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
    Property("ip_pool", "DefaultGateway", "IPAddress", "DefaultGateways", X_POOL),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The ip pool's attributes from its read (fields: see the module docstring)."""
    site = raw.get("LogicalNetworkDefinitionID") or None
    return {
        **base(raw),
        "network_site": site,
        "vm_network": None if site else raw.get("VMNetworkID") or None,
        "vm_subnet": None if site else raw.get("VMSubnetName") or None,
        "subnet": text(raw, "Subnet"),
        "range_start": text(raw, "IPAddressRangeStart"),
        "range_end": text(raw, "IPAddressRangeEnd"),
        "gateways": [str(g) for g in raw.get("DefaultGateways") or []],
        "dns_servers": [str(d) for d in raw.get("DNSServers") or []],
        "dns_suffix": text(raw, "DNSSuffix"),
        "dns_search_suffixes": [str(d) for d in raw.get("DNSSearchSuffixes") or []],
        "reserved": comma_set(raw.get("IPAddressReservedSet")),
        "vips": comma_set(raw.get("VIPAddressSet")),
    }
