"""Synthetic stamps for the benchmarks: a realistic, valid fabric of about N resources.

The shape, per *region* (a top-level host group) of up to ten *locations*:

* host groups: the region, and per location `L`, `L/IaaS`, `L/IaaS/Cluster01..02`,
  `L/Fabric Management`, `L/Edge`, `L/DR` (written as nested `children`, as users do);
* per location: a management network site (one /24) scoped to the location and a tenant
  network site (two /25s, distinct VLANs) scoped to `L/IaaS`; two IP pools on each site
  with disjoint ranges; a VM network on the tenant site; an IaaS cloud on the clusters
  and a DR cloud on `L/DR` (their logical networks reach a site through a parent group);
  a native uplink port profile carrying both sites;
* per region: three port classifications, three virtual port profiles, a MAC pool and a
  logical switch that maps the classifications to the profiles and carries every
  location's uplink;
* globally: three logical networks and two custom properties.

Every subnet in the stamp is distinct. Resources are written out explicitly (no
`for_each`), several regions per file, a few thousand resources per file. The generator
also returns the dependency depth of every resource, so the caller knows the critical
path (the longest dependency chain) without asking fabric.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

LOCATIONS_PER_REGION = 10
REGIONS_PER_FILE = 14  # 14 regions x 179 resources = about 2,500 resources per file
PER_LOCATION = 17
PER_REGION = 9
GLOBAL = 5
HEADER = "# yaml-language-server: $schema=../../schemas/resources.schema.json\n"
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass
class GeneratedStamp:
    """What was written: where, how many resources of each kind, the longest chain."""

    root: Path
    resources: int
    files: int
    by_kind: dict[str, int]
    critical_path: int
    depth: dict[str, int] = field(repr=False)


class _Builder:
    """Collects resources per kind and the dependency depth of every address."""

    def __init__(self) -> None:
        self.depth: dict[str, int] = {}
        self.by_kind: dict[str, int] = {}

    def add(self, kind: str, key: str, deps: list[str]) -> str:
        address = f"{kind}.{key}"
        if address in self.depth:
            raise ValueError(f"generator bug: {address} declared twice")
        self.depth[address] = 1 + max((self.depth[d] for d in deps), default=0)
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
        return address


def _subnet24(slot: int) -> str:
    """The slot-th /24 of 10.0.0.0/8 (slot < 65,536)."""
    if not 0 <= slot < 65_536:
        raise ValueError("too many locations for 10.0.0.0/8")
    return f"10.{slot >> 8}.{slot & 255}"


def _globals(b: _Builder) -> dict[str, Any]:
    networks = {
        "management": {"name": "Management", "description": "Host and fabric management", "isolation": "vlan"},
        "tenant": {"name": "Tenant", "description": "Tenant VM traffic", "isolation": "vlan"},
        "storage": {"name": "Storage", "description": "SMB and iSCSI", "isolation": "vlan"},
    }
    for key in networks:
        b.add("logical_network", key, [])
    props = {
        "CreateHighlyAvailableVMRoles": {"description": "Deploy VM roles as highly available", "members": ["cloud"]},
        "CostCenter": {"members": ["cloud", "vm"]},
    }
    for key in props:
        b.add("custom_property", key, [])
    return {"logical_network": networks, "custom_property": props}


def _location(b: _Builder, doc: dict[str, dict[str, Any]], region: str, index: int) -> tuple[str, dict[str, Any]]:
    """Add one location's resources to `doc`; return its host-group name and subtree."""
    loc = f"L{index:05d}"
    low = loc.lower()
    hg = f"{region}/{loc}"
    hg_addr = b.add("host_group", hg, [f"host_group.{region}"])
    iaas = b.add("host_group", f"{hg}/IaaS", [hg_addr])
    clusters = [b.add("host_group", f"{hg}/IaaS/Cluster{c:02d}", [iaas]) for c in (1, 2)]
    dr = b.add("host_group", f"{hg}/DR", [hg_addr])
    for child in ("Fabric Management", "Edge"):
        b.add("host_group", f"{hg}/{child}", [hg_addr])
    tree = {
        "description": f"Location {loc}",
        "children": {
            "IaaS": {
                "description": "Tenant workloads",
                "children": {"Cluster01": {}, "Cluster02": {"description": "Second compute cluster"}},
            },
            "Fabric Management": {"description": "The management stamp"},
            "Edge": {"description": "Network virtualization gateways"},
            "DR": {"description": "Recovery target", "inherit_network_settings": False},
        },
    }

    mgmt_net = _subnet24(2 * index)
    tenant_net = _subnet24(2 * index + 1)
    vlan = 100 + index % 1000
    mgmt_site = b.add("network_site", f"mgmt-{low}", ["logical_network.management", hg_addr])
    tenant_site = b.add("network_site", f"tenant-{low}", ["logical_network.tenant", iaas])
    doc["network_site"][f"mgmt-{low}"] = {
        "name": f"Management {loc}",
        "logical_network": "logical_network.management",
        "host_groups": [hg_addr],
        "subnets": [{"subnet": f"{mgmt_net}.0/24", "vlan": vlan}],
    }
    doc["network_site"][f"tenant-{low}"] = {
        "name": f"Tenant {loc}",
        "logical_network": "logical_network.tenant",
        "host_groups": [iaas],
        "subnets": [
            {"subnet": f"{tenant_net}.0/25", "vlan": 2000 + index % 1000},
            {"subnet": f"{tenant_net}.128/25", "vlan": 3000 + index % 1000},
        ],
    }
    pools = {
        f"mgmt-{low}-hosts": (mgmt_site, f"{mgmt_net}.0/24", f"{mgmt_net}.10", f"{mgmt_net}.99", f"{mgmt_net}.1"),
        f"mgmt-{low}-infra": (mgmt_site, f"{mgmt_net}.0/24", f"{mgmt_net}.100", f"{mgmt_net}.199", f"{mgmt_net}.1"),
        f"tenant-{low}-a": (
            tenant_site,
            f"{tenant_net}.0/25",
            f"{tenant_net}.10",
            f"{tenant_net}.120",
            f"{tenant_net}.1",
        ),
        f"tenant-{low}-b": (
            tenant_site,
            f"{tenant_net}.128/25",
            f"{tenant_net}.138",
            f"{tenant_net}.250",
            f"{tenant_net}.129",
        ),
    }
    for key, (site, subnet, start, end, gateway) in pools.items():
        b.add("ip_pool", key, [site])
        body: dict[str, Any] = {
            "name": f"{key} pool",
            "network_site": site,
            "subnet": subnet,
            "range_start": start,
            "range_end": end,
            "gateways": [gateway],
            "dns_servers": ["10.255.0.5", "10.255.0.6"],
            "dns_suffix": "fabric.example",
        }
        if key.endswith("-hosts"):
            body["reserved"] = [f"{mgmt_net}.10-{mgmt_net}.19"]
        doc["ip_pool"][key] = body

    b.add("vm_network", f"tenant-{low}", ["logical_network.tenant", tenant_site])
    doc["vm_network"][f"tenant-{low}"] = {
        "name": f"Tenant {loc}",
        "logical_network": "logical_network.tenant",
        "isolation": "vlan",
        "subnets": [
            {
                "name": "Tenant-A",
                "subnet": f"{tenant_net}.0/25",
                "vlan": 2000 + index % 1000,
                "network_site": tenant_site,
            }
        ],
    }

    region_low = region.lower()
    classes = [f"port_classification.{c}-{region_low}" for c in ("gold", "silver", "bronze")]
    b.add(
        "cloud",
        f"iaas-{low}",
        [
            "logical_network.management",
            "logical_network.tenant",
            *clusters,
            *classes,
            "custom_property.CreateHighlyAvailableVMRoles",
            "custom_property.CostCenter",
        ],
    )
    doc["cloud"][f"iaas-{low}"] = {
        "name": f"IaaS {loc}",
        "description": f"Tenant cloud for {loc}",
        "host_groups": clusters,
        "logical_networks": ["logical_network.management", "logical_network.tenant"],
        "port_classifications": classes,
        "capacity": {"vm_count": 200, "cpu_count": 800, "memory_mb": 2_097_152, "storage_gb": "unlimited"},
        "custom_properties": {
            "custom_property.CreateHighlyAvailableVMRoles": "true",
            "custom_property.CostCenter": f"CC-{index % 97:03d}",
        },
    }
    b.add("cloud", f"dr-{low}", ["logical_network.management", dr])
    doc["cloud"][f"dr-{low}"] = {
        "name": f"DR {loc}",
        "host_groups": [dr],
        "logical_networks": ["logical_network.management"],
        "capacity": {"vm_count": 50},
        "disaster_recovery_supported": True,
    }

    b.add("uplink_port_profile", f"uplink-{low}", [mgmt_site, tenant_site])
    doc["uplink_port_profile"][f"uplink-{low}"] = {
        "name": f"Uplink {loc}",
        "network_sites": [mgmt_site, tenant_site],
        "team_mode": "switch_independent",
        "load_balancing": "dynamic",
    }
    return loc, tree


def _region(b: _Builder, doc: dict[str, dict[str, Any]], r: int, first_location: int, locations: int) -> None:
    region = f"R{r:04d}"
    low = region.lower()
    region_addr = b.add("host_group", region, [])
    weights = {"gold": 50, "silver": 30, "bronze": 10}
    for cls, weight in weights.items():
        b.add("port_classification", f"{cls}-{low}", [])
        doc["port_classification"][f"{cls}-{low}"] = {"name": f"{cls.title()} {region}"}
        b.add("virtual_port_profile", f"{cls}-{low}", [])
        doc["virtual_port_profile"][f"{cls}-{low}"] = {
            "name": f"{cls.title()} {region}",
            "enable_dhcp_guard": True,
            "enable_router_guard": True,
            "minimum_bandwidth_weight": weight,
        }
    b.add("mac_pool", f"mac-{low}", [region_addr])
    doc["mac_pool"][f"mac-{low}"] = {
        "name": f"MACs {region}",
        "range_start": f"00:1D:D8:{r >> 8:02X}:{r & 255:02X}:00",
        "range_end": f"00:1D:D8:{r >> 8:02X}:{r & 255:02X}:FF",
        "host_groups": [region_addr],
    }
    children: dict[str, Any] = {}
    uplinks = []
    for index in range(first_location, first_location + locations):
        loc, tree = _location(b, doc, region, index)
        children[loc] = tree
        uplinks.append(f"uplink_port_profile.uplink-{loc.lower()}")
    doc["host_group"][region] = {"description": f"Region {region}", "children": children}
    b.add(
        "logical_switch",
        f"switch-{low}",
        [
            *uplinks,
            *(f"port_classification.{c}-{low}" for c in weights),
            *(f"virtual_port_profile.{c}-{low}" for c in weights),
        ],
    )
    doc["logical_switch"][f"switch-{low}"] = {
        "name": f"Switch {region}",
        "uplink_mode": "team",
        "minimum_bandwidth_mode": "weight",
        "uplink_port_profiles": uplinks,
        "virtual_ports": [
            {
                "port_classification": f"port_classification.{c}-{low}",
                "profile": f"virtual_port_profile.{c}-{low}",
                "default": c == "silver",
            }
            for c in weights
        ],
    }


def _empty_doc() -> dict[str, dict[str, Any]]:
    kinds = (
        "host_group",
        "port_classification",
        "virtual_port_profile",
        "mac_pool",
        "network_site",
        "ip_pool",
        "vm_network",
        "cloud",
        "uplink_port_profile",
        "logical_switch",
    )
    return {k: {} for k in kinds}


def _write(path: Path, doc: dict[str, Any]) -> None:
    text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, default_flow_style=False, allow_unicode=True, width=120)
    path.write_text(HEADER + text, encoding="utf-8")


def locations_for(target: int) -> int:
    """How many locations make a stamp of about `target` resources."""
    per_location = PER_LOCATION + PER_REGION / LOCATIONS_PER_REGION
    return max(1, math.ceil((target - GLOBAL) / per_location))


def generate(root: Path, target: int) -> GeneratedStamp:
    """Write a stamp of about `target` resources into `root` (created; must be empty)."""
    root.mkdir(parents=True, exist_ok=False)
    b = _Builder()
    (root / "fabric.yaml").write_text(
        "# yaml-language-server: $schema=../../schemas/fabric.schema.json\n"
        f'stamp: "bench-{target}"\n'
        f"description: Synthetic benchmark stamp of about {target} resources.\n"
        "provider:\n  type: lab\n",
        encoding="utf-8",
    )
    _write(root / "global.yaml", _globals(b))
    files = 2
    total_locations = locations_for(target)
    regions = math.ceil(total_locations / LOCATIONS_PER_REGION)
    per_file = min(REGIONS_PER_FILE, max(1, math.ceil(regions / 4)))  # small stamps still get several files
    doc = _empty_doc()
    first_region = 0
    for r in range(regions):
        first = r * LOCATIONS_PER_REGION
        _region(b, doc, r, first, min(LOCATIONS_PER_REGION, total_locations - first))
        if (r + 1) % per_file == 0 or r == regions - 1:
            _write(root / f"regions-{first_region:04d}-{r:04d}.yaml", doc)
            files += 1
            doc = _empty_doc()
            first_region = r + 1
    return GeneratedStamp(
        root=root,
        resources=len(b.depth),
        files=files,
        by_kind=dict(sorted(b.by_kind.items())),
        critical_path=max(b.depth.values()),
        depth=b.depth,
    )
