"""Parsing the read script's JSON (`templates/read_inventory.ps1.j2`) into an `Inventory`.

One document, one list per kind. Each entry is built from the `Get-SC*` object named
below, with IDs cast to strings and enumerations to their names; every property read, with
its source or marked unverified, is in `fabric_scvmm.properties`. A field read from an
unverified property must be present (`check_present`): a document without it was not written
by the read script, which stops, naming the property, on a VMM whose objects lack it. Fields:

- host_group (Get-SCVMHostGroup): ID, Name, Description, ParentID = ParentHostGroup.ID
  ('' for the root "All Hosts", which is not managed), InheritNetworkSettings.
- cloud (Get-SCCloud, Get-SCCloudCapacity, Get-SCCustomPropertyValue): HostGroupIDs =
  HostGroup[].ID, LogicalNetworkIDs, PortClassificationIDs (the cloud's resources),
  DisasterRecoverySupported, Capacity.{VMCount, UseVMCountMaximum, CPUCount, …},
  CustomPropertyValues = {CustomProperty.ID: Value}.
- logical_network (Get-SCLogicalNetwork): NetworkVirtualizationEnabled,
  IsLogicalNetworkDefinitionIsolated, IsPVLAN.
- network_site (Get-SCLogicalNetworkDefinition -ReturnAllTypes): LogicalNetworkID, HostGroupIDs,
  SubnetVLans[].{Subnet, VLanID, SecondaryVLanID}.
- ip_pool (Get-SCStaticIPAddressPool): LogicalNetworkDefinitionID or VMNetworkID +
  VMSubnetName, Subnet, IPAddressRangeStart/End, DefaultGateways[] (IPAddress),
  DNSServers, DNSSuffix, DNSSearchSuffixes, IPAddressReservedSet, VIPAddressSet (the
  comma-separated strings VMM returns).
- vm_network (Get-SCVMNetwork, Get-SCVMSubnet): LogicalNetworkID, IsolationType,
  Subnets[].{Name, Subnet, VLanID, LogicalNetworkDefinitionID}.
- mac_pool (Get-SCMACAddressPool): MACAddressRangeStart/End, HostGroupIDs.
- port_classification (Get-SCPortClassification): Name, Description.
- virtual_port_profile (Get-SCVirtualNetworkAdapterNativePortProfile): the Enable*/Allow*
  flags, MinimumBandwidthWeight, MinimumBandwidthAbsoluteInMbps,
  MaximumBandwidthAbsoluteInMbps (read-back names differ from the parameters).
- uplink_port_profile (Get-SCNativeUplinkPortProfile): LogicalNetworkDefinitionIDs,
  LBFOTeamMode, LBFOLoadBalancingAlgorithm, EnableNetworkVirtualization.
- logical_switch (Get-SCLogicalSwitch, Get-SCUplinkPortProfileSet,
  Get-SCVirtualNetworkAdapterPortProfileSet): UplinkMode, MinimumBandwidthMode,
  EnableSriov, UplinkPortProfileIDs, VirtualPorts[].{PortClassificationID,
  VirtualNetworkAdapterNativePortProfileID, IsDefaultPortProfileSet}.
- custom_property (Get-SCCustomProperty): Members (member type names).
- ip_grant (Get-SCIPAddress -Assigned, VirtualNetworkAdapter grants; the VM found by its
  adapters): Description (fabric writes the resource name there), PoolID =
  AllocatingAddressPool.ID, VMName, AdapterSlot (the adapter's SlotId), Address.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fabric.errors import ProviderError
from fabric.inventory import Inventory, ObservedObject
from fabric_scvmm.properties import check_present

FORMAT = "fabric-scvmm-inventory"
Raw = Mapping[str, Any]

_ISOLATION = {"NoIsolation": "no_isolation", "VLANNetwork": "vlan", "WindowsNetworkVirtualization": "hnv"}
_TEAM = {"Static": "static", "SwitchIndependent": "switch_independent", "Lacp": "lacp"}
_BALANCE = {
    "HostDefault": "host_default",
    "TransportPorts": "transport_ports",
    "IPAddresses": "ip_addresses",
    "MacAddresses": "mac_addresses",
    "HyperVPort": "hyperv_port",
    "Dynamic": "dynamic",
}
_UPLINK = {"NoTeam": "no_team", "Team": "team", "EmbeddedTeam": "embedded_team"}
_BANDWIDTH = {"Default": "default", "Weight": "weight", "Absolute": "absolute", "None": "none"}
_MEMBERS = {
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


def _text(raw: Raw, key: str) -> str:
    value = raw.get(key)
    return "" if value is None else str(value)


def _ids(raw: Raw, key: str) -> list[str]:
    value = raw.get(key) or []
    if isinstance(value, str):  # PowerShell sends a one-item array as the item itself
        value = [value]
    return sorted(str(i) for i in value if i)


def _set(text: Any) -> list[str]:
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


def _base(raw: Raw) -> dict[str, Any]:
    return {"name": _text(raw, "Name"), "description": _text(raw, "Description")}


def _host_group(raw: Raw) -> dict[str, Any]:
    return {
        **_base(raw),
        "parent": raw.get("ParentID") or None,
        "inherit_network_settings": bool(raw.get("InheritNetworkSettings", True)),
    }


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


def _cloud(raw: Raw) -> dict[str, Any]:
    return {
        **_base(raw),
        "host_groups": _ids(raw, "HostGroupIDs"),
        "logical_networks": _ids(raw, "LogicalNetworkIDs"),
        "port_classifications": _ids(raw, "PortClassificationIDs"),
        "capacity": _capacity(raw.get("Capacity") or {}),
        "custom_properties": {str(k): str(v) for k, v in (raw.get("CustomPropertyValues") or {}).items()},
        "disaster_recovery_supported": bool(raw.get("DisasterRecoverySupported")),
    }


def _logical_network(raw: Raw) -> dict[str, Any]:
    isolated, pvlan = bool(raw.get("IsLogicalNetworkDefinitionIsolated")), bool(raw.get("IsPVLAN"))
    isolation = "pvlan" if pvlan else "vlan" if isolated else "connected"
    return {
        **_base(raw),
        "isolation": isolation,
        "network_virtualization": bool(raw.get("NetworkVirtualizationEnabled")),
    }


def _network_site(raw: Raw) -> dict[str, Any]:
    subnets = [
        {
            "subnet": str(s.get("Subnet")),
            "vlan": int(s.get("VLanID") or 0),
            "secondary_vlan": None if not s.get("SecondaryVLanID") else int(s["SecondaryVLanID"]),
        }
        for s in raw.get("SubnetVLans") or []
    ]
    return {
        "name": _text(raw, "Name"),
        "description": _text(raw, "Description"),
        "logical_network": _text(raw, "LogicalNetworkID"),
        "host_groups": _ids(raw, "HostGroupIDs"),
        "subnets": subnets,
    }


def _ip_pool(raw: Raw) -> dict[str, Any]:
    site = raw.get("LogicalNetworkDefinitionID") or None
    return {
        **_base(raw),
        "network_site": site,
        "vm_network": None if site else raw.get("VMNetworkID") or None,
        "vm_subnet": None if site else raw.get("VMSubnetName") or None,
        "subnet": _text(raw, "Subnet"),
        "range_start": _text(raw, "IPAddressRangeStart"),
        "range_end": _text(raw, "IPAddressRangeEnd"),
        "gateways": [str(g) for g in raw.get("DefaultGateways") or []],
        "dns_servers": [str(d) for d in raw.get("DNSServers") or []],
        "dns_suffix": _text(raw, "DNSSuffix"),
        "dns_search_suffixes": [str(d) for d in raw.get("DNSSearchSuffixes") or []],
        "reserved": _set(raw.get("IPAddressReservedSet")),
        "vips": _set(raw.get("VIPAddressSet")),
    }


def _vm_network(raw: Raw) -> dict[str, Any]:
    subnets = [
        {
            "name": _text(s, "Name"),
            "subnet": s.get("Subnet") or None,
            "vlan": int(s.get("VLanID") or 0),
            "network_site": s.get("LogicalNetworkDefinitionID") or None,
        }
        for s in raw.get("Subnets") or []
    ]
    isolation = _ISOLATION.get(_text(raw, "IsolationType"), _text(raw, "IsolationType").lower())
    return {**_base(raw), "logical_network": _text(raw, "LogicalNetworkID"), "isolation": isolation, "subnets": subnets}


def _mac_pool(raw: Raw) -> dict[str, Any]:
    return {
        **_base(raw),
        "range_start": _text(raw, "MACAddressRangeStart").upper().replace("-", ":"),  # D15: either form
        "range_end": _text(raw, "MACAddressRangeEnd").upper().replace("-", ":"),
        "host_groups": _ids(raw, "HostGroupIDs"),
    }


def _virtual_port_profile(raw: Raw) -> dict[str, Any]:
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
        **_base(raw),
        **{k: bool(raw.get(v)) for k, v in flags.items()},
        "minimum_bandwidth_weight": int(raw.get("MinimumBandwidthWeight") or 0),
        "minimum_bandwidth_absolute_mbps": int(raw.get("MinimumBandwidthAbsoluteInMbps") or 0),
        "maximum_bandwidth_mbps": int(raw.get("MaximumBandwidthAbsoluteInMbps") or 0),
    }


def _uplink_port_profile(raw: Raw) -> dict[str, Any]:
    return {
        **_base(raw),
        "network_sites": _ids(raw, "LogicalNetworkDefinitionIDs"),
        "team_mode": _TEAM.get(_text(raw, "LBFOTeamMode"), _text(raw, "LBFOTeamMode").lower()),
        "load_balancing": _BALANCE.get(_text(raw, "LBFOLoadBalancingAlgorithm"), "host_default"),
        "network_virtualization": bool(raw.get("EnableNetworkVirtualization")),
    }


def _logical_switch(raw: Raw) -> dict[str, Any]:
    ports = [
        {
            "port_classification": _text(p, "PortClassificationID"),
            "profile": _text(p, "VirtualNetworkAdapterNativePortProfileID"),
            "default": bool(p.get("IsDefaultPortProfileSet")),
        }
        for p in raw.get("VirtualPorts") or []
    ]
    return {
        **_base(raw),
        "uplink_mode": _UPLINK.get(_text(raw, "UplinkMode"), "team"),
        "minimum_bandwidth_mode": _BANDWIDTH.get(_text(raw, "MinimumBandwidthMode"), "default"),
        "enable_sriov": bool(raw.get("EnableSriov")),
        "uplink_port_profiles": _ids(raw, "UplinkPortProfileIDs"),
        "virtual_ports": ports,
    }


def _custom_property(raw: Raw) -> dict[str, Any]:
    return {**_base(raw), "members": sorted(_MEMBERS.get(str(m), str(m).lower()) for m in raw.get("Members") or [])}


def _ip_grant(raw: Raw) -> dict[str, Any]:
    return {
        "name": _text(raw, "Description"),
        "description": "",
        "ip_pool": _text(raw, "PoolID"),
        "vm": _text(raw, "VMName"),
        "adapter": int(raw.get("AdapterSlot") or 0),
        "address": _text(raw, "Address"),
    }


PARSERS: dict[str, Callable[[Raw], dict[str, Any]]] = {
    "host_group": _host_group,
    "cloud": _cloud,
    "logical_network": _logical_network,
    "network_site": _network_site,
    "ip_pool": _ip_pool,
    "vm_network": _vm_network,
    "mac_pool": _mac_pool,
    "port_classification": lambda raw: _base(raw),
    "virtual_port_profile": _virtual_port_profile,
    "uplink_port_profile": _uplink_port_profile,
    "logical_switch": _logical_switch,
    "custom_property": _custom_property,
    "ip_grant": _ip_grant,
}


def parse_inventory(doc: Any) -> Inventory:
    """The read script's document as an `Inventory`; ProviderError if it is not one."""
    if not isinstance(doc, Mapping):
        raise ProviderError("inventory is not a JSON object")
    if doc.get("ok") is False:
        raise ProviderError(f"the inventory script failed: {doc.get('error')}")
    if doc.get("format") != FORMAT or doc.get("format_version") != 1:
        raise ProviderError(f"not a {FORMAT} document (version 1)")
    objects = []
    try:
        # All Hosts, the root, exists in every VMM and is never managed: its children have no parent
        roots = {str(r["ID"]) for r in doc.get("host_group") or [] if not r.get("ParentID")}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProviderError(f"inventory document is malformed: host_group: {_why(exc)}") from None
    missing = [kind for kind in PARSERS if kind not in doc]
    if missing:  # an empty list says "none"; no list at all would plan to create every one of them
        raise ProviderError(
            f"the inventory has no {', '.join(missing)} list: it was not written by the read script "
            "(fabric scvmm export-inventory-script) of this fabric version; write it again"
        )
    for kind, parse in PARSERS.items():
        items = doc.get(kind)
        if not isinstance(items, list):
            raise ProviderError(f"inventory document is malformed: {kind} is not a list")
        for index, raw in enumerate(items):
            try:
                if kind == "host_group" and str(raw["ID"]) in roots:
                    continue
                check_present(kind, raw)
                attributes = parse(raw)
                if kind == "host_group" and attributes["parent"] in roots:
                    attributes["parent"] = None
                objects.append(ObservedObject(str(raw["ID"]), kind, attributes["name"], attributes))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ProviderError(f"inventory document is malformed: {kind}[{index}]: {_why(exc)}") from None
    return Inventory.of(objects)


def _why(exc: Exception) -> str:
    """What is wrong with an item, in words (not Python's)."""
    if isinstance(exc, KeyError):
        return f"no {exc.args[0]!r} field"
    if isinstance(exc, (TypeError, AttributeError)):
        return "an item or field has the wrong type (expected the read script's objects)"
    return str(exc)
