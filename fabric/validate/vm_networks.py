"""VMM's VM network rules (domain reference, sections 1.5 and 1.6), pure.

No-isolation: one per logical network, with no VM subnets. VLAN: exactly one VM subnet, a
subnet/VLAN pair of a network site of the same logical network (the site named on
private-VLAN networks), one VM network per such pair. HNV: only on a logical network with
network virtualization; its VM subnets are its own address space (a subnet each, no VLAN, no
site, none overlapping another). Every VM subnet has a subnet (New-SCVMSubnet binds a
SubnetVLan) and a name of its own in its VM network. Pools go on a VM subnet only for HNV VM
networks.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from fabric.model.ipmath import network, network_range
from fabric.model.resources import IpPool, LogicalNetwork, Resource, VmNetwork
from fabric.model.slots import SiteVlan, Slot, describe, site_vlans, slots

Problem = tuple[str, tuple[str | int, ...], str]  # address, path inside it, message
SITE_VLAN_PATH = ("subnets", 0, "subnet")  # where "no site holds this subnet/VLAN" is reported


def vm_network_problems(resources: Mapping[str, Resource]) -> Iterator[Problem]:
    """Every breach of the rules above, located."""
    held = site_vlans(resources)
    taken: dict[Slot, str] = {}
    for address, vmn in resources.items():  # in file order: the later one is reported
        if isinstance(vmn, VmNetwork):
            yield from _subnets(address, vmn)
            yield from _one(address, vmn, resources.get(vmn.logical_network), held)
            for slot in sorted(slots(vmn.KIND, _site_named(vmn, held))):
                if slot in taken:
                    yield address, ("isolation",), f"{taken[slot]} is already {describe(slot)}"
                else:
                    taken[slot] = address
    for address, pool in resources.items():
        if isinstance(pool, IpPool) and pool.vm_network:
            parent = resources.get(pool.vm_network)
            if isinstance(parent, VmNetwork) and parent.isolation != "hnv":
                msg = f"a pool goes on a VM subnet only for hnv VM networks ({pool.vm_network} is {parent.isolation})"
                yield address, ("vm_network",), msg


def _one(address: str, vmn: VmNetwork, ln: Resource | None, held: Mapping[SiteVlan, list[str]]) -> Iterator[Problem]:
    if not isinstance(ln, LogicalNetwork):
        return  # a dangling reference, reported elsewhere
    if vmn.isolation == "hnv" and not ln.network_virtualization:
        yield address, ("isolation",), f"an hnv VM network needs network_virtualization on {vmn.logical_network}"
    if vmn.isolation != "vlan":
        return
    if ln.isolation not in ("vlan", "pvlan"):
        yield address, ("isolation",), f"a vlan VM network needs a VLAN-based logical network ({ln.isolation})"
    if len(vmn.subnets) != 1:
        yield address, ("subnets",), f"a vlan VM network has exactly one subnet, not {len(vmn.subnets)}"
        return
    pair = vmn.subnets[0]
    if pair.subnet is None:
        return  # reported by _subnets
    sites = set(held.get((vmn.logical_network, str(network(pair.subnet)), pair.vlan), ()))
    if pair.network_site is not None:
        sites = sites & {pair.network_site}
    if not sites:
        where = pair.network_site or f"any network site of {vmn.logical_network}"
        msg = f"subnet {pair.subnet} with VLAN {pair.vlan} is no subnet/VLAN of {where}"
        yield address, SITE_VLAN_PATH, msg
    if ln.isolation == "pvlan" and pair.network_site is None:
        yield address, ("subnets", 0), "on a private-VLAN logical network the subnet names its network_site"


def _subnets(address: str, vmn: VmNetwork) -> Iterator[Problem]:
    """The VM subnets' own shape, whatever the logical network."""
    if vmn.isolation == "no_isolation":
        if vmn.subnets:
            msg = "a no_isolation VM network has no VM subnets (it uses its logical network's sites); remove subnets"
            yield address, ("subnets",), msg
        return
    names: dict[str, int] = {}
    for i, sub in enumerate(vmn.subnets):
        first = names.setdefault(sub.name.casefold(), i)
        if first != i:
            msg = f"VM subnet name {sub.name!r} is already used by subnets[{first}] ({vmn.subnets[first].name!r})"
            yield address, ("subnets", i, "name"), msg
        if sub.subnet is None:
            if vmn.isolation == "vlan":
                yield address, ("subnets", i), "a vlan VM network's subnet needs `subnet` (one of a network site's)"
            else:
                yield address, ("subnets", i), "an hnv VM subnet needs `subnet` (its own address space)"
        if vmn.isolation != "hnv":
            continue
        if sub.vlan:
            msg = "an hnv VM subnet takes no vlan: HNV carries its traffic encapsulated on the provider network"
            yield address, ("subnets", i, "vlan"), msg
        if sub.network_site is not None:
            msg = "an hnv VM subnet takes no network_site: HNV spans the sites of its logical network"
            yield address, ("subnets", i, "network_site"), msg
    if vmn.isolation == "hnv":
        yield from _overlaps(address, vmn)


def _overlaps(address: str, vmn: VmNetwork) -> Iterator[Problem]:
    """VM subnets of one HNV VM network that overlap: sorted by first address, each is compared with
    the one reaching furthest so far (CIDRs nest or are disjoint), never pairwise."""
    spans = []
    for i, sub in enumerate(vmn.subnets):
        if sub.subnet is not None:
            span = network_range(network(sub.subnet))
            spans.append((span.start.version, int(span.start), -int(span.end), i, sub.subnet))
    widest: tuple[int, int, int, int, str] | None = None
    for current in sorted(spans):
        if widest is not None and widest[0] == current[0] and current[1] <= -widest[2]:
            # reported on the one written later, naming the other
            (*_, j, other), (*_, i, net) = sorted((widest, current), key=lambda s: s[3])
            name = vmn.subnets[j].name
            msg = f"subnet {net} overlaps VM subnet {name!r} ({other}) of the same hnv VM network"
            yield address, ("subnets", i, "subnet"), msg
        if widest is None or widest[0] != current[0] or -current[2] > -widest[2]:
            widest = current


def _site_named(vmn: VmNetwork, held: Mapping[SiteVlan, list[str]]) -> dict[str, object]:
    """The VM network's attributes with each VLAN subnet's site filled in where only one site
    holds the pair, so a network naming the site and one that does not claim the same VLAN."""
    attributes = dict(vmn.canonical)
    subnets = []
    for sub in attributes.get("subnets") or []:
        if vmn.isolation == "vlan" and sub.get("subnet") and not sub.get("network_site"):
            sites = held.get((vmn.logical_network, str(network(sub["subnet"])), int(sub.get("vlan", 0))), [])
            sub = {**sub, "network_site": sites[0]} if len(sites) == 1 else sub
        subnets.append(sub)
    return {**attributes, "subnets": subnets}
