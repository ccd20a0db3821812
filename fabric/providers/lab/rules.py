"""VMM's rules as the lab enforces them, on attribute dicts whose references are live IDs.

Each check returns a list of human-readable refusals (empty = allowed). Sources: the
domain reference (`scvmm-domain.md`), sections 0 and 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fabric.model.ipmath import Net, ip, network, network_range, parse_range
from fabric.model.refs import iter_refs
from fabric.model.resources import KINDS

Obj = Mapping[str, Any]

Lookup = Mapping[str, tuple[str, Obj]]  # referenced live ID → (its kind, its attributes)
Check = Callable[[Obj, Lookup], list[str]]


class _Immutables(Mapping[str, frozenset[str]]):
    """Kind → the attributes VMM cannot change in place: read from each kind's model, not copied."""

    def __getitem__(self, kind: str) -> frozenset[str]:
        return KINDS[kind].IMMUTABLE

    def __iter__(self) -> Iterator[str]:
        return iter(KINDS)

    def __len__(self) -> int:
        return len(KINDS)


IMMUTABLE: Mapping[str, frozenset[str]] = _Immutables()


def reference_problems(kind: str, attrs: Obj, lookup: Mapping[str, tuple[str, Obj]]) -> list[str]:
    """Every referenced ID must exist and be of the expected kind ('parent must exist')."""
    out = []
    for path, target, expected in iter_refs(KINDS[kind].REFS, dict(attrs)):
        found = lookup.get(target)
        where = ".".join(str(p) for p in path)
        if found is None:
            out.append(f"{where}: no {expected} with ID {target}")
        elif found[0] != expected:
            out.append(f"{where}: {target} is a {found[0]}, not a {expected}")
    return out


def pool_problems(attrs: Obj, site: Obj | None, vm_network: Obj | None = None) -> list[str]:
    """A pool's range, gateways and sets must lie in its subnet, the reserved and VIP sets apart;
    the subnet must be one of its site's, or its VM subnet's."""
    out = []
    net = network(attrs["subnet"])
    if site is not None and net not in {network(s["subnet"]) for s in site.get("subnets", [])}:
        out.append(f"subnet {net} is not one of the network site's subnets")
    if vm_network is not None:
        named = {str(s.get("name")): s for s in vm_network.get("subnets") or []}
        sub = named.get(str(attrs.get("vm_subnet")))
        if sub is None:
            out.append(f"the VM network has no VM subnet named {attrs.get('vm_subnet')!r}")
        elif not sub.get("subnet") or network(sub["subnet"]) != net:
            out.append(f"subnet {net} is not the subnet of VM subnet {attrs.get('vm_subnet')!r}")
    full = parse_range(f"{attrs['range_start']}-{attrs['range_end']}")
    if not full.within(network_range(net)):
        out.append(f"IP address range {full} is outside subnet {net}")
    for gateway in attrs.get("gateways", []):
        if ip(gateway) not in net:
            out.append(f"default gateway {gateway} is outside subnet {net}")
    for text in [*attrs.get("reserved", []), *attrs.get("vips", [])]:
        if not parse_range(text).within(full):
            out.append(f"address set {text} is outside the pool range {full}")
    reserved = [parse_range(t) for t in attrs.get("reserved", [])]
    for text in attrs.get("vips", []):
        vip = parse_range(text)
        clash = next((r for r in reserved if r.overlaps(vip)), None)
        if clash is not None:
            out.append(f"VIP address set {vip} overlaps reserved address set {clash}")
    return out


def vm_subnet_problems(attrs: Obj) -> list[str]:
    """A VM network's VM subnets: none on a no-isolation network; each with a subnet and a name of its
    own; an HNV network's without VLAN or site, its own address space not overlapping itself."""
    isolation = attrs.get("isolation")
    subnets = attrs.get("subnets") or []
    if isolation == "no_isolation":
        return ["a no-isolation VM network has no VM subnets"] if subnets else []
    out = []
    names: set[str] = set()
    nets: list[tuple[int, int, int, str, Net]] = []
    for sub in subnets:
        name = str(sub.get("name"))
        if name.casefold() in names:
            out.append(f"two VM subnets are named {name!r}")
        names.add(name.casefold())
        if not sub.get("subnet"):
            out.append(f"VM subnet {name!r} has no subnet (New-SCVMSubnet binds one -SubnetVLan)")
        elif isolation == "hnv":
            net = network(str(sub["subnet"]))
            span = network_range(net)
            nets.append((net.version, int(span.start), -int(span.end), name, net))
        if isolation == "hnv" and int(sub.get("vlan") or 0):
            out.append(f"HNV VM subnet {name!r} cannot have VLAN {sub.get('vlan')}")
        if isolation == "hnv" and sub.get("network_site"):
            out.append(f"HNV VM subnet {name!r} cannot be on a network site")
    widest: tuple[int, int, int, str, Net] | None = None
    for current in sorted(nets, key=lambda n: n[:3]):  # CIDRs nest or are disjoint: one sweep finds overlaps
        if widest is not None and widest[0] == current[0] and current[1] <= -widest[2]:
            out.append(f"VM subnets {widest[3]!r} ({widest[4]}) and {current[3]!r} ({current[4]}) overlap")
        if widest is None or widest[0] != current[0] or -current[2] > -widest[2]:
            widest = current
    return out


def site_problems(attrs: Obj) -> list[str]:
    """A site's subnets must not overlap; VLAN IDs in 0–4094."""
    out = []
    nets = [network(s["subnet"]) for s in attrs.get("subnets", [])]
    for i, a in enumerate(nets):
        for b in nets[i + 1 :]:
            if a.version == b.version and a.overlaps(b):
                out.append(f"subnets {a} and {b} overlap")
    for pair in attrs.get("subnets", []):
        if not 0 <= int(pair.get("vlan", 0)) <= 4094:
            out.append(f"VLAN {pair.get('vlan')} is outside 0-4094")
    return out


def switch_problems(attrs: Obj) -> list[str]:
    """At most one default virtual port; SR-IOV excludes teaming."""
    out = []
    if sum(1 for p in attrs.get("virtual_ports", []) if p.get("default")) > 1:
        out.append("more than one default virtual port profile set")
    if attrs.get("enable_sriov") and attrs.get("uplink_mode") == "team":
        out.append("SR-IOV cannot be used with uplink mode Team")
    return out


def _pool(attrs: Obj, lookup: Lookup) -> list[str]:
    site, vm_network = lookup.get(str(attrs.get("network_site"))), lookup.get(str(attrs.get("vm_network")))
    return pool_problems(attrs, site[1] if site else None, vm_network[1] if vm_network else None)


def _pairing(attrs: Obj, lookup: Lookup) -> list[str]:
    """DR001: both clouds take part in disaster recovery; DR003: two clouds."""
    out = []
    if attrs.get("primary_cloud") == attrs.get("recovery_cloud"):
        out.append("DR003 the primary and recovery clouds are the same cloud")
    for field in ("primary_cloud", "recovery_cloud"):
        cloud = lookup.get(str(attrs.get(field)))
        if cloud is not None and not cloud[1].get("disaster_recovery_supported"):
            out.append(f"DR001 cloud {cloud[1].get('name')!r} does not support disaster recovery")
    return out


# What the lab checks of each kind beyond references, names in their scope and the shared
# indexes (subnets, ranges, slots): one entry per kind that has rules of its own.
CHECKS: dict[str, Check] = {
    "ip_pool": _pool,
    "network_site": lambda attrs, lookup: site_problems(attrs),
    "vm_network": lambda attrs, lookup: vm_subnet_problems(attrs),
    "logical_switch": lambda attrs, lookup: switch_problems(attrs),
    "cloud_pairing": _pairing,
}


def kind_problems(kind: str, attrs: Obj, lookup: Lookup) -> list[str]:
    """The refusals of `kind`'s own rules (`CHECKS`)."""
    check = CHECKS.get(kind)
    return check(attrs, lookup) if check is not None else []
