"""Where a failed-over adapter lands, from the model: network mappings, the recovery VM network's
subnet, its static IP pool and the next address it would give, the VLANs a recovery host reaches."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from fabric.model.base import Resource
from fabric.model.dr import CloudPairing, NetworkMapping
from fabric.model.resources import HostGroup, IpGrant, IpPool, LogicalSwitch, NetworkSite, UplinkPortProfile, VmNetwork


def group_paths(resources: Mapping[str, Resource]) -> dict[str, str]:
    """Host group address → its path of display names (Oslo/IaaS)."""
    groups = {a: r for a, r in resources.items() if isinstance(r, HostGroup)}
    out: dict[str, str] = {}
    for address in groups:
        names, current, seen = [], address, set()
        while current in groups and current not in seen:
            seen.add(current)
            names.append(groups[current].name)
            current = groups[current].parent or ""
        out[address] = "/".join(reversed(names))
    return out


@dataclass
class Index:
    """The model looked up by what a failover asks (built once, O(n): a simulation of a 100-VM
    plan in a 10,000-resource stamp must not scan the stamp per adapter)."""

    resources: Mapping[str, Resource]
    paths: dict[str, str]
    by_name: dict[str, str]  # VM network display name, casefolded → address
    mappings: dict[str, list[tuple[str, NetworkMapping]]]  # primary VM network → mappings
    pools_on_network: dict[str, list[str]]  # VM network → pools on it
    pools_on_site: dict[str, list[str]]  # network site → pools on it
    pools_of_logical: dict[str, list[str]]  # logical network → site pools
    networks_on_site: dict[str, set[str]]  # network site → VM networks with a subnet there
    unisolated: dict[str, set[str]]  # logical network → its no-isolation VM networks
    switches: dict[str, list[LogicalSwitch]]
    declared: dict[str, list[str]] = field(default_factory=dict)  # pool → addresses its grants name
    _vlans: dict[tuple[str, str], set[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, resources: Mapping[str, Resource]) -> Index:
        """The index of a stamp's resources."""
        idx = cls(resources, group_paths(resources), {}, {}, {}, {}, {}, {}, {}, {})
        for a, r in resources.items():
            if isinstance(r, VmNetwork):
                idx.by_name.setdefault(r.name.casefold(), a)
                for sub in r.subnets:
                    if sub.network_site:
                        idx.networks_on_site.setdefault(sub.network_site, set()).add(a)
                if r.isolation == "no_isolation":
                    idx.unisolated.setdefault(r.logical_network, set()).add(a)
            elif isinstance(r, NetworkMapping):
                idx.mappings.setdefault(r.primary_vm_network, []).append((a, r))
            elif isinstance(r, IpPool):
                if r.vm_network:
                    idx.pools_on_network.setdefault(r.vm_network, []).append(a)
                if r.network_site:
                    idx.pools_on_site.setdefault(r.network_site, []).append(a)
                    site = resources.get(r.network_site)
                    if isinstance(site, NetworkSite):
                        idx.pools_of_logical.setdefault(site.logical_network, []).append(a)
            elif isinstance(r, LogicalSwitch):
                idx.switches.setdefault(r.name.casefold(), []).append(r)
            elif isinstance(r, IpGrant) and r.address:
                idx.declared.setdefault(r.ip_pool, []).append(r.address)
        return idx

    def network(self, name: str | None) -> str | None:
        """The VM network with this display name."""
        return self.by_name.get(name.casefold()) if name else None

    def mapping(self, network: str | None, pairing: str) -> str | None:
        """The mapping of `network` serving `pairing` (one naming no pairings serves all)."""
        for a, r in self.mappings.get(network or "", []):
            if not r.pairings or pairing in r.pairings:
                return a
        return None

    def target(self, mapping: str | None) -> tuple[str, VmNetwork] | None:
        """The recovery VM network of a mapping."""
        return mapping_target(self.resources, mapping)

    def vlans(self, group: str, switch: str) -> set[int]:
        """`reachable_vlans`, once per host group and switch."""
        key = (group.casefold(), switch.casefold())
        if key not in self._vlans:
            self._vlans[key] = reachable_vlans(self.resources, self.paths, group, switch, self.switches)
        return self._vlans[key]

    def served(self, pool: IpPool) -> set[str]:
        """The VM networks a pool gives addresses on (see `served`)."""
        if pool.vm_network is not None:
            return {pool.vm_network}
        site = self.resources.get(pool.network_site or "")
        out = set(self.networks_on_site.get(pool.network_site or "", set()))
        if isinstance(site, NetworkSite):
            out |= self.unisolated.get(site.logical_network, set())
        return out


def inside(path: str, tops: list[str]) -> bool:
    """`path` is one of `tops` or below one of them (host group paths, case-insensitive)."""
    folded = path.casefold()
    return any(folded == t.casefold() or folded.startswith(t.casefold() + "/") for t in tops if t)


def _addresses(spec: str) -> Iterator[int]:
    """The addresses of `a`, `a-b` or a CIDR, as integers."""
    try:
        if "-" in spec:
            first, last = spec.split("-", 1)
            yield from range(int(ipaddress.ip_address(first.strip())), int(ipaddress.ip_address(last.strip())) + 1)
        elif "/" in spec:
            net = ipaddress.ip_network(spec, strict=False)
            yield from range(int(net.network_address), int(net.broadcast_address) + 1)
        else:
            yield int(ipaddress.ip_address(spec))
    except ValueError:
        return


@dataclass
class Pools:
    """The static IP pools of the model and what each has given. A pool does not give an address
    it has granted (the live grants, the grants declared with an address), one a VM holds on a VM
    network the pool serves (the lab's seeded VMs hold theirs without a grant), or one this
    simulation gave already. Each pool counts its own: VM networks apart (HNV) are address spaces
    apart."""

    index: Index
    granted: Mapping[str, frozenset[str]] = field(default_factory=dict)  # pool address → live grants
    held: list[tuple[str, str]] = field(default_factory=list)  # (VM network address, address) VMs hold

    @property
    def resources(self) -> Mapping[str, Resource]:
        """The stamp's resources."""
        return self.index.resources

    _taken: dict[str, set[int]] = field(default_factory=dict)  # what the facts and the model hold
    _given: dict[str, set[int]] = field(default_factory=dict)  # what this simulation gave

    def taken(self, pool: str) -> set[int]:
        """Every address `pool` cannot give."""
        return self._held_in(pool) | self._given.setdefault(pool, set())

    def _held_in(self, pool: str) -> set[int]:
        if pool not in self._taken:
            r = self.resources[pool]
            assert isinstance(r, IpPool)
            out = {v for a in self.granted.get(pool, frozenset()) for v in _addresses(a)}
            out |= {v for a in self.index.declared.get(pool, []) for v in _addresses(a)}
            networks = self.index.served(r)
            out |= {v for net, a in self.held if net in networks for v in _addresses(a)}
            out |= self._kept_back(pool)
            self._taken[pool] = out
        return self._taken[pool]

    def for_subnet(self, vm_network: str, subnet_name: str, prefix: str | None, site: str | None) -> str | None:
        """The pool VMM allocates from for a VM network's subnet: one on that VM subnet, else one
        on its network site with the same subnet (a logical network's pool)."""
        for a in self.index.pools_on_network.get(vm_network, []):
            r = self.resources[a]
            if isinstance(r, IpPool) and r.vm_subnet in (None, subnet_name):
                return a
        for a in self.index.pools_on_site.get(site or "", []):
            r = self.resources[a]
            if isinstance(r, IpPool) and _same_net(r.subnet, prefix or ""):
                return a
        return None

    def for_unisolated(self, vm_network: str, group: str, paths: Mapping[str, str], address: str | None) -> str | None:
        """The pool of a no-isolation VM network at a host in host group `group`: a pool on a site
        of its logical network scoped there (the one holding `address` first)."""
        net = self.resources.get(vm_network)
        if not isinstance(net, VmNetwork):
            return None
        found = []
        for a in self.index.pools_of_logical.get(net.logical_network, []):
            r = self.resources[a]
            site = self.resources.get(r.network_site or "") if isinstance(r, IpPool) else None
            if isinstance(site, NetworkSite) and inside(group, [paths.get(g, "") for g in site.host_groups]):
                found.append(a)
        found.sort(key=lambda a: not self.in_subnet(a, address))
        return found[0] if found else None

    def can_give(self, pool: str, address: str | None) -> bool:
        """The pool's range holds `address` and it is free in that pool."""
        r = self.resources[pool]
        assert isinstance(r, IpPool)
        if not address:
            return False
        try:
            value = int(ipaddress.ip_address(address))
        except ValueError:
            return False
        first, last = int(ipaddress.ip_address(r.range_start)), int(ipaddress.ip_address(r.range_end))
        return first <= value <= last and value not in self.taken(pool)

    def hold_on(self, network: str, address: str) -> None:
        """A VM now holds `address` on `network`: no pool serving that network gives it."""
        self.held.append((network, address))
        for pool, taken in self._taken.items():
            r = self.resources[pool]
            if isinstance(r, IpPool) and network in self.index.served(r):
                taken.update(_addresses(address))

    def give(self, pool: str, address: str) -> None:
        """Record that `pool` gave `address`."""
        self._given.setdefault(pool, set()).update(_addresses(address))

    def in_subnet(self, pool: str, address: str | None) -> bool:
        """`address` is inside the pool's subnet."""
        r = self.resources[pool]
        assert isinstance(r, IpPool)
        try:
            return address is not None and ipaddress.ip_address(address) in ipaddress.ip_network(r.subnet, strict=False)
        except ValueError:
            return False

    def _kept_back(self, pool: str) -> set[int]:
        r = self.resources[pool]
        assert isinstance(r, IpPool)
        out: set[int] = set()
        for spec in [*r.reserved, *r.vips]:  # as VMM keeps them back (a gateway is outside the range)
            out.update(_addresses(spec))
        return out

    def next_free(self, pool: str) -> str | None:
        """The next address the pool would give (the lowest free one), or None."""
        r = self.resources[pool]
        assert isinstance(r, IpPool)
        first, last = int(ipaddress.ip_address(r.range_start)), int(ipaddress.ip_address(r.range_end))
        taken = self.taken(pool)
        value = first
        while value <= last and value in taken:
            value += 1
        if value > last:
            return None
        self._given.setdefault(pool, set()).add(value)
        return str(ipaddress.ip_address(value))


def _same_net(a: str, b: str) -> bool:
    try:
        return ipaddress.ip_network(a, strict=False) == ipaddress.ip_network(b, strict=False)
    except ValueError:
        return False


def recovery_subnet(net: VmNetwork, source_subnet: str | None) -> tuple[str, str | None, str | None] | None:
    """(name, prefix, site) of the recovery VM network's subnet ASR picks: the one named like the
    source's, else the first (DR029)."""
    if not net.subnets:
        return None
    chosen = next((s for s in net.subnets if source_subnet and s.name == source_subnet), net.subnets[0])
    return chosen.name, chosen.subnet, chosen.network_site


def source_subnet_name(net: VmNetwork | None, address: str | None) -> str | None:
    """The name of the VM subnet of `net` holding `address`."""
    if net is None or not address:
        return None
    try:
        value = ipaddress.ip_address(address)
    except ValueError:
        return None
    for s in net.subnets:
        try:
            if s.subnet is not None and value in ipaddress.ip_network(s.subnet, strict=False):
                return s.name
        except ValueError:
            continue
    return None


def test_vlan(net: VmNetwork, address: str | None) -> int | None:
    """The VLAN a test VM gets on test network `net`: the subnet holding `address`, else the first."""
    held = source_subnet_name(net, address)
    chosen = next((s for s in net.subnets if s.name == held), net.subnets[0] if net.subnets else None)
    return chosen.vlan if chosen is not None else None


def holds(net: VmNetwork, address: str | None) -> bool:
    """A subnet of `net` contains `address`."""
    return source_subnet_name(net, address) is not None


def reachable_vlans(
    resources: Mapping[str, Resource],
    paths: Mapping[str, str],
    group: str,
    switch: str,
    switches: Mapping[str, list[LogicalSwitch]] | None = None,
) -> set[int]:
    """The VLANs a host in host group `group` reaches through virtual switch `switch`: the
    subnets' VLANs of the network sites on the uplinks of the logical switch of that name,
    scoped to the host's group or above it (a switch no logical switch names reaches none)."""
    out: set[int] = set()
    candidates = switches.get(switch.casefold(), []) if switches is not None else resources.values()
    for r in candidates:
        if not isinstance(r, LogicalSwitch) or r.name.casefold() != switch.casefold():
            continue
        for uplink_address in r.uplink_port_profiles:
            uplink = resources.get(uplink_address)
            if not isinstance(uplink, UplinkPortProfile):
                continue
            for site_address in uplink.network_sites:
                site = resources.get(site_address)
                if isinstance(site, NetworkSite) and inside(group, [paths.get(g, "") for g in site.host_groups]):
                    out |= {s.vlan for s in site.subnets}
    return out


def mapping_target(resources: Mapping[str, Resource], mapping: str | None) -> tuple[str, VmNetwork] | None:
    """The recovery VM network (address, model) of the mapping at `mapping`."""
    found = resources.get(mapping or "")
    if not isinstance(found, NetworkMapping):
        return None
    target = resources.get(found.recovery_vm_network)
    return (found.recovery_vm_network, target) if isinstance(target, VmNetwork) else None


def pairing_of(resources: Mapping[str, Resource], address: str) -> CloudPairing | None:
    """The pairing at `address`, if it is one."""
    r = resources.get(address)
    return r if isinstance(r, CloudPairing) else None
