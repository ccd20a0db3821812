"""The semantic rules: references, uniqueness, cycles, IP math, VLANs, scoping, switches."""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any, cast

from fabric.errors import SourceLocation
from fabric.graph import build_graph, cycles
from fabric.load.cascade import Cascade, FollowOn
from fabric.load.suggest import AddressIndex, NameIndex, split_address
from fabric.model import ownership
from fabric.model.builtins import BUILT_IN_MAC_RANGES
from fabric.model.ipmath import IPRange, Net, ip, mac_to_int, network, network_range, parse_range
from fabric.model.overlap import SubnetIndex, ancestors, related_groups
from fabric.model.refs import DEPENDS_ON, iter_refs, names_unique
from fabric.model.resources import (
    Cloud,
    CustomProperty,
    HostGroup,
    IpGrant,
    IpPool,
    LogicalNetwork,
    LogicalSwitch,
    MacPool,
    NetworkSite,
    Resource,
    UplinkPortProfile,
    VirtualPortProfile,
    VmNetwork,
)
from fabric.model.stamp import Fabric, Finding, SourceRef
from fabric.secrets import secret_name
from fabric.validate.dr import dr_rules
from fabric.validate.ignore_paths import problem as ignore_path_problem
from fabric.validate.unmanaged import unmanaged_entries
from fabric.validate.vm_networks import SITE_VLAN_PATH, vm_network_problems

Path = tuple[str | int, ...]


class _Ctx:
    """What every rule needs: the fabric and a way to make located findings."""

    def __init__(self, fabric: Fabric, known: set[str], cascade: Cascade) -> None:
        self.fabric = fabric
        self.res = fabric.resources
        self.known = known | set(cascade.invalid)
        self.cascade = cascade
        self.findings: list[Finding] = []
        self.by_kind: dict[type[Resource], list[tuple[str, Resource]]] = defaultdict(list)
        for address, resource in self.res.items():
            self.by_kind[type(resource)].append((address, resource))
        self._declared: list[str] | None = None
        self._addresses: AddressIndex | None = None
        self._names: NameIndex | None = None

    def error(self, address: str, path: Path, message: str, at_key: bool = False) -> None:
        src = self.fabric.sources[address]
        self.findings.append(Finding(SourceRef(src.file, (*src.path, *path)), message, at_key, address))

    def warn(self, address: str, path: Path, message: str) -> None:
        """A finding that is reported and refuses nothing."""
        src = self.fabric.sources[address]
        self.findings.append(Finding(SourceRef(src.file, (*src.path, *path)), message, False, address, "warning"))

    def follow_on(
        self, address: str, path: Path, message: str, cause: SourceLocation | None, at_key: bool = False
    ) -> None:
        """A finding that follows from the problem at `cause` (listed right after it)."""
        src = self.fabric.sources[address]
        where = SourceRef(src.file, (*src.path, *path))
        self.findings.append(FollowOn(where, message, at_key, address, cause=cause))

    def meant(self, target: str, kind: str) -> str:
        """`; did you mean …?` for a reference that resolves to nothing of `kind` ('' = any), or ''.

        The indexes are built on the first question only: a valid stamp never pays for them.
        """
        if self._declared is None:
            self._declared = [*self.res, *self.known]
        declared = self._declared
        if "." not in target:  # a custom property key written as a display name or bare key
            if self._names is None:
                self._names = NameIndex(lambda: ((a, r.name) for a, r in self.res.items()), declared)
            hint = self._names.hint(target, kind)
            return f"; {hint}" if hint else ""
        if self._addresses is None:
            self._addresses = AddressIndex(declared)
        found = self._addresses.suggest(target, kind)
        return f"; did you mean {found!r}?" if found is not None else ""

    def of(self, kind: type[Resource]) -> Iterator[tuple[str, Any]]:
        yield from self.by_kind.get(kind, ())


Rule = Callable[[_Ctx], None]


def check(fabric: Fabric, known: set[str] | None = None, cascade: Cascade | None = None) -> list[Finding]:
    """Run every rule; `known` = addresses declared but invalid (not reported as dangling).

    `cascade`: what loading dropped (from `load_stamp_details`); findings that follow from it
    are `FollowOn`s pointing at their cause.
    """
    ctx = _Ctx(fabric, known or set(), cascade or Cascade())
    for rule in RULES:
        rule(ctx)
    return ctx.findings


def _references(ctx: _Ctx) -> None:
    for address, resource in ctx.res.items():
        if all(t in ctx.res and t != address for t in resource.references) and _kinds_match(resource):
            continue  # the common case: no need to find paths
        spec = {**type(resource).REFS, **DEPENDS_ON}
        for path, target, kind in iter_refs(spec, resource.model_dump(mode="json")):
            at_key = path[-1] == target
            if target == address:
                ctx.error(address, path, f"{address} refers to itself", at_key)
            elif kind and not target.startswith(kind + "."):
                ctx.error(address, path, f"expected a {kind} address, got {target!r}{ctx.meant(target, kind)}", at_key)
            elif target in ctx.res:
                continue
            elif target in ctx.known:
                if path != ("parent",):  # a parent comes from the tree: the child is not at fault
                    cause = ctx.cascade.invalid.get(target)
                    ctx.follow_on(address, path, f"refers to {target}, which is invalid (see above)", cause, at_key)
            else:
                _undeclared(ctx, address, path, target, kind, at_key)


def _undeclared(ctx: _Ctx, address: str, path: Path, target: str, kind: str, at_key: bool) -> None:
    meant = ctx.meant(target, kind)
    message = f"reference to undeclared {target!r}{meant}"
    lost = ctx.cascade.lost_cause(kind or split_address(target)[0])
    if lost is None or meant:  # a close match: most likely a typo, whatever else failed
        ctx.error(address, path, message, at_key)
    else:  # the resource may be among those a problem kept out
        ctx.follow_on(address, path, f"{message} (perhaps lost to the error at {lost})", lost, at_key)


def _kinds_match(resource: Resource) -> bool:
    return all(t.startswith(k + ".") for t, k in resource.typed_references)


def _scope_of(resource: Resource) -> str:
    if isinstance(resource, IpPool) and resource.vm_network:
        return f"{resource.vm_network}/{resource.vm_subnet}"
    scope = type(resource).SCOPE
    return str(getattr(resource, scope) or "") if scope else ""


def _unique_names(ctx: _Ctx) -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for address, resource in ctx.res.items():
        if not names_unique(resource.KIND, resource.canonical):
            continue  # VMM lets them share a name (tenants' HNV VM networks)
        key = (type(resource).KIND, _scope_of(resource), resource.name.casefold())
        if key in seen:
            where = f" in {key[1]}" if key[1] else ""
            msg = f"name {resource.name!r} is already used by {seen[key]}{where}"
            ctx.error(address, ("name",), msg)
        else:
            seen[key] = address


def _cycles(ctx: _Ctx) -> None:
    for cycle in cycles(ctx.fabric.graph if ctx.fabric.graph is not None else build_graph(ctx.res)):
        if len(cycle) == 1:
            continue  # a self reference, already reported by _references
        for address in cycle:
            ctx.error(address, (), "dependency cycle: " + " → ".join([*cycle, cycle[0]]), True)


def _site_subnets(ctx: _Ctx) -> None:
    for address, site in ctx.of(NetworkSite):
        if site.description:  # New-/Set-SCLogicalNetworkDefinition take no -Description
            ctx.error(address, ("description",), "a network site has no description in VMM; use a comment instead")
        ln = ctx.res.get(site.logical_network)
        isolation = ln.isolation if isinstance(ln, LogicalNetwork) else None
        seen: list[tuple[int, ipaddress.IPv4Network | ipaddress.IPv6Network]] = []
        for i, pair in enumerate(site.subnets):
            net = network(pair.subnet)
            for j, other in seen:
                if net.version == other.version and net.overlaps(other):
                    ctx.error(address, ("subnets", i, "subnet"), f"subnet {net} overlaps subnets[{j}] {other}")
            seen.append((i, net))
            if isolation == "pvlan" and (pair.secondary_vlan is None or pair.secondary_vlan == pair.vlan):
                ctx.error(address, ("subnets", i), "a private-VLAN site needs a secondary_vlan different from vlan")
            if isolation != "pvlan" and pair.secondary_vlan is not None:
                ctx.error(
                    address,
                    ("subnets", i, "secondary_vlan"),
                    "secondary_vlan is only for private-VLAN logical networks",
                )


def _subnet_scopes(ctx: _Ctx) -> None:
    """VMM's rule 5: a subnet must not overlap another site's subnet in the same host group or
    in a parent or child of it (overlap within one site is reported by `_site_subnets`)."""
    index: SubnetIndex[tuple[str, int, Net]] = SubnetIndex()
    entries = []
    for address, site in ctx.of(NetworkSite):
        for i, pair in enumerate(site.subnets):
            net = network(pair.subnet)
            entries.append((address, i, net, site.host_groups))
            index.add(net, (address, i, net))
    if len(entries) < 2:
        return
    groups = {address: cast(NetworkSite, ctx.res[address]).host_groups for address, *_ in entries}
    reported: set[tuple[str, int]] = set()
    for address, i, net, host_groups in entries:
        for other, j, other_net in index.overlapping(net):
            if other == address or (address, i) in reported:
                continue
            pair = related_groups(host_groups, groups[other], _parent_of(ctx))
            if pair is not None and (address, i) > (other, j):  # report each clash once, on the later one
                where = f"both in {pair[0]}" if pair[0] == pair[1] else f"{pair[0]} is inside {pair[1]}"
                msg = f"subnet {net} overlaps {other} subnets[{j}] {other_net} ({where})"
                ctx.error(address, ("subnets", i, "subnet"), msg)
                reported.add((address, i))
                break


def _vm_networks(ctx: _Ctx) -> None:
    for address, path, message in vm_network_problems(ctx.res):
        vmn = ctx.res[address]
        if path == SITE_VLAN_PATH and isinstance(vmn, VmNetwork):  # no site holds its subnet: an invalid one may
            _maybe_site_follow_on(ctx, address, path, message, vmn.logical_network)
        else:
            ctx.error(address, path, message)


def _pool_parent_subnet(ctx: _Ctx, address: str, pool: IpPool) -> None:
    if pool.network_site:
        site = ctx.res.get(pool.network_site)
        if isinstance(site, NetworkSite) and pool.subnet not in {s.subnet for s in site.subnets}:
            ctx.error(address, ("subnet",), f"subnet {pool.subnet} is not one of {pool.network_site}'s subnets")
    elif pool.vm_network:
        vmn = ctx.res.get(pool.vm_network)
        if isinstance(vmn, VmNetwork):
            subnets = {s.name: s for s in vmn.subnets}
            if pool.vm_subnet not in subnets:
                ctx.error(address, ("vm_subnet",), f"{pool.vm_network} has no subnet named {pool.vm_subnet!r}")
            elif subnets[pool.vm_subnet].subnet != pool.subnet:
                ctx.error(address, ("subnet",), f"subnet {pool.subnet} differs from VM subnet {pool.vm_subnet!r}")


def _pool_ranges(ctx: _Ctx) -> None:
    by_parent: dict[str, list[tuple[IPRange, str]]] = defaultdict(list)
    for address, pool in ctx.of(IpPool):
        _pool_parent_subnet(ctx, address, pool)
        net = network(pool.subnet)
        subnet = network_range(net)
        try:
            full = parse_range(f"{pool.range_start}-{pool.range_end}")
        except ValueError as exc:
            ctx.error(address, ("range_end",), f"range: {exc}")
            continue
        if not full.within(subnet):
            end = "range_start" if ip(pool.range_start) not in net else "range_end"
            ctx.error(address, (end,), f"range {full} is outside subnet {net}")
        for i, gateway in enumerate(pool.gateways):
            if ip(gateway) not in net:
                ctx.error(address, ("gateways", i), f"gateway {gateway} is outside subnet {net}")
        _pool_sets(ctx, address, pool, full)
        by_parent[pool.network_site or f"{pool.vm_network}/{pool.vm_subnet}"].append((full, address))
    for pools in by_parent.values():
        pools.sort(key=lambda p: (p[0].start.version, int(p[0].start), int(p[0].end), p[1]))
        widest: tuple[IPRange, str] | None = None  # the range reaching furthest so far, per family
        for current in pools:
            if widest and widest[0].overlaps(current[0]):
                r, address = current
                ctx.error(address, ("range_start",), f"range {r} overlaps {widest[1]} ({widest[0]}) in the same site")
            if (
                widest is None
                or widest[0].start.version != current[0].start.version
                or int(current[0].end) > int(widest[0].end)
            ):
                widest = current


def _pool_sets(ctx: _Ctx, address: str, pool: IpPool, full: IPRange) -> None:
    reserved: list[IPRange] = []
    for field in ("reserved", "vips"):
        for i, text in enumerate(cast(list[str], getattr(pool, field))):
            try:
                part = parse_range(text)
            except ValueError as exc:
                ctx.error(address, (field, i), f"{field}: {exc}")
                continue
            if not part.within(full):
                ctx.error(address, (field, i), f"{field} {part} is outside the pool range {full}")
            if field == "reserved":
                reserved.append(part)
                continue
            clash = next((r for r in reserved if r.overlaps(part)), None)
            if clash is not None:
                msg = f"vips {part} overlaps reserved {clash}: an address is reserved or a VIP, not both"
                ctx.error(address, (field, i), msg)


def _switches(ctx: _Ctx) -> None:
    for address, switch in ctx.of(LogicalSwitch):
        defaults = [i for i, port in enumerate(switch.virtual_ports) if port.default]
        for i in defaults[1:]:
            ctx.error(address, ("virtual_ports", i, "default"), "more than one default virtual port")
        seen: set[str] = set()
        for i, port in enumerate(switch.virtual_ports):
            if port.port_classification in seen:
                msg = f"{port.port_classification} is mapped twice"
                ctx.error(address, ("virtual_ports", i, "port_classification"), msg)
            seen.add(port.port_classification)
        if switch.enable_sriov and switch.uplink_mode == "team":
            ctx.error(address, ("uplink_mode",), "SR-IOV switches cannot use uplink_mode team")


def _parent_of(ctx: _Ctx) -> Callable[[str], str | None]:
    def parent(group: str) -> str | None:
        node = ctx.res.get(group)
        return node.parent if isinstance(node, HostGroup) else None

    return parent


def _cloud_reachability(ctx: _Ctx) -> None:
    groups_by_network: dict[str, set[str]] = defaultdict(set)
    for _, site in ctx.of(NetworkSite):
        groups_by_network[site.logical_network].update(site.host_groups)
    children: dict[str, list[str]] = defaultdict(list)
    for address, group in ctx.of(HostGroup):
        if group.parent:
            children[group.parent].append(address)
    unresolved = {s.logical_network for _, s in ctx.of(NetworkSite) if any(g not in ctx.res for g in s.host_groups)}
    for address, cloud in ctx.of(Cloud):
        if any(g not in ctx.res for g in cloud.host_groups):
            continue  # where it reaches is unknown; the reference itself is reported
        # a site reaches the cloud if scoped to one of its groups, a parent, or a child (hosts live there)
        reach = {a for g in cloud.host_groups for a in ancestors(g, _parent_of(ctx))}
        stack = list(cloud.host_groups)
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in reach:
                    reach.add(child)
                    stack.append(child)
        for i, logical in enumerate(cloud.logical_networks):
            if logical in ctx.res and logical not in unresolved and not reach & groups_by_network[logical]:
                msg = f"{logical} has no network site scoped to the cloud's host groups (or their parents or children)"
                _maybe_site_follow_on(ctx, address, ("logical_networks", i), msg, logical)
        for prop in cloud.custom_properties:
            definition = ctx.res.get(prop)
            if isinstance(definition, CustomProperty) and "cloud" not in definition.members:
                ctx.error(address, ("custom_properties", prop), f"{prop} does not apply to clouds", True)


def _maybe_site_follow_on(ctx: _Ctx, address: str, path: Path, message: str, logical: str) -> None:
    """Report `message` about a missing site of `logical`, as a follow-on if an invalid site may be it."""
    culprit = ctx.cascade.invalid_with("network_site", "logical_network", logical)
    lost = ctx.cascade.lost_cause("network_site")
    if culprit is not None:
        ctx.follow_on(address, path, f"{message}; {culprit[0]} is on it but invalid (see above)", culprit[1])
    elif lost is not None:
        ctx.follow_on(address, path, f"{message}; perhaps one was lost to the error at {lost}", lost)
    else:
        ctx.error(address, path, message)


def _mac_pools(ctx: _Ctx) -> None:
    declared = {pool.name.casefold() for _, pool in ctx.of(MacPool)}
    # VMM's own pools hold their ranges unless the stamp declares (adopts) them: then the code's range counts
    spans: list[tuple[int, int, str, str]] = [
        (mac_to_int(start), mac_to_int(end), f"VMM's built-in {name!r}", f"{start}-{end}")
        for name, (start, end) in BUILT_IN_MAC_RANGES.items()
        if name.casefold() not in declared
    ]
    for address, pool in ctx.of(MacPool):
        start, end = pool.range_start, pool.range_end
        if start[:8] != end[:8]:
            ctx.error(address, ("range_end",), "the first three octets of start and end must match")
        if mac_to_int(end) < mac_to_int(start):
            ctx.error(address, ("range_end",), "range end is before range start")
            continue
        if int(start[:2], 16) & 1:
            ctx.error(address, ("range_start",), "the multicast bit must not be set")
        spans.append((mac_to_int(start), mac_to_int(end), address, f"{start}-{end}"))
    # sorted by first address, each range meets the one reaching furthest so far: no pairwise comparison
    widest: tuple[int, int, str, str] | None = None
    for current in sorted(spans, key=lambda s: (s[0], s[1], s[2] in ctx.res)):
        if widest is not None and current[0] <= widest[1]:
            later, other = (current, widest) if current[2] in ctx.res else (widest, current)
            msg = f"range {later[3]} overlaps {other[2]} ({other[3]}); VMM refuses overlapping MAC pools"
            ctx.error(later[2], ("range_start",), msg)
        if widest is None or current[1] > widest[1]:
            widest = current


def _profiles(ctx: _Ctx) -> None:
    for address, profile in ctx.of(VirtualPortProfile):
        if profile.minimum_bandwidth_weight and profile.minimum_bandwidth_absolute_mbps:
            msg = "set minimum_bandwidth_weight or minimum_bandwidth_absolute_mbps, not both"
            ctx.error(address, ("minimum_bandwidth_absolute_mbps",), msg)
    for address, uplink in ctx.of(UplinkPortProfile):
        if not uplink.network_virtualization:
            continue
        logicals = [getattr(ctx.res.get(s), "logical_network", "") for s in uplink.network_sites]
        networks = [ctx.res.get(n) for n in logicals]
        if not any(isinstance(n, LogicalNetwork) and n.network_virtualization for n in networks):
            msg = "network_virtualization needs a site whose logical network allows it"
            invalid = sorted(a for a in [*uplink.network_sites, *logicals] if a in ctx.known)
            if invalid:  # the one that allows it may be the invalid one
                cause = ctx.cascade.invalid.get(invalid[0])
                msg = f"{msg}; {invalid[0]} is invalid (see above)"
                ctx.follow_on(address, ("network_virtualization",), msg, cause)
            else:
                ctx.error(address, ("network_virtualization",), msg)


def _ip_grants(ctx: _Ctx) -> None:
    taken: dict[tuple[str, str], str] = {}
    adapters: dict[tuple[str, int], str] = {}
    by_pool: dict[str, list[str]] = defaultdict(list)
    for address, grant in ctx.of(IpGrant):
        if grant.description:
            ctx.error(address, ("description",), "an ip_grant has no description of its own: VMM keeps its name there")
        nic = (grant.vm.casefold(), grant.adapter)
        if nic in adapters:
            ctx.error(address, ("adapter",), f"{grant.vm} adapter {grant.adapter} already has {adapters[nic]}")
        adapters.setdefault(nic, address)
        pool = ctx.res.get(grant.ip_pool)
        if not isinstance(pool, IpPool):
            continue
        by_pool[grant.ip_pool].append(address)
        if grant.address is None:
            continue
        problem = _grant_address_problem(grant.address, grant.ip_pool, pool)
        if problem is not None:
            ctx.error(address, ("address",), problem)
        key = (grant.ip_pool, grant.address)
        if key in taken:
            ctx.error(address, ("address",), f"address {grant.address} is also granted by {taken[key]}")
        taken.setdefault(key, address)
    for pool_address, grants in by_pool.items():
        free = _free_addresses(cast(IpPool, ctx.res[pool_address]))
        if free is None or len(grants) <= free:
            continue
        msg = f"{pool_address} has {free} free address(es) (range minus reserved and VIPs) for {len(grants)} grants"
        for address in grants[free:]:
            ctx.error(address, ("ip_pool",), msg)


def _pool_range(pool: IpPool) -> IPRange | None:
    """The pool's range, or None if it is not one (reported on the pool)."""
    try:
        return parse_range(f"{pool.range_start}-{pool.range_end}")
    except ValueError:
        return None


def _grant_address_problem(text: str, pool_address: str, pool: IpPool) -> str | None:
    """Why a grant cannot have this address of its pool, or None (Grant-SCIPAddress -IPAddress)."""
    full = _pool_range(pool)
    if full is None:
        return None
    where = parse_range(text)
    if not where.within(full):
        return f"address {text} is outside {pool_address}'s range {full}"
    for field, what in (("reserved", "is reserved in"), ("vips", "is a VIP of")):
        for written in cast(list[str], getattr(pool, field)):
            try:
                held = parse_range(written)
            except ValueError:
                continue  # reported on the pool
            if where.within(held):
                return f"address {text} {what} {pool_address} ({field} {held})"
    return None


def _free_addresses(pool: IpPool) -> int | None:
    """How many addresses the pool can grant: its range minus the reserved and VIP sets (None: no range)."""
    full = _pool_range(pool)
    if full is None:
        return None
    held: list[tuple[int, int]] = []
    for written in [*pool.reserved, *pool.vips]:
        try:
            part = parse_range(written)
        except ValueError:
            continue
        if part.overlaps(full):  # only what lies inside the range takes from it
            held.append((max(int(part.start), int(full.start)), min(int(part.end), int(full.end))))
    taken, reach = 0, int(full.start) - 1
    for low, high in sorted(held):  # the union of the sets, so an address in both counts once
        low = max(low, reach + 1)
        if high >= low:
            taken += high - low + 1
            reach = high
    return int(full.end) - int(full.start) + 1 - taken


def _moved(ctx: _Ctx) -> None:
    sources: dict[str, int] = {}
    targets: dict[str, int] = {}
    for i, move in enumerate(ctx.fabric.config.moved):
        where = SourceRef(ctx.fabric.config_file, ("moved", i))
        problem = None
        first_to, first_from = targets.setdefault(move.to, i), sources.setdefault(move.from_, i)
        if first_to != i:  # both old objects would be taken for one address, and one of them lost
            other = ctx.fabric.config.moved[first_to].from_
            problem = f"moved to {move.to} again (moved[{first_to}] moves {other} there); one address holds one object"
            where = SourceRef(ctx.fabric.config_file, ("moved", i, "to"))
        elif first_from != i:
            other = ctx.fabric.config.moved[first_from].to
            problem = f"moved from {move.from_} again (moved[{first_from}] moves it to {other})"
            where = SourceRef(ctx.fabric.config_file, ("moved", i, "from"))
        elif move.from_ in ctx.res:
            problem = f"moved from {move.from_}, which is still declared"
        elif move.to not in ctx.res and move.to not in ctx.known:
            problem = f"moved to {move.to}, which is not declared"
        elif move.from_.split(".")[0] != move.to.split(".")[0]:
            problem = f"cannot move {move.from_} to another kind ({move.to})"
        if problem:
            ctx.findings.append(Finding(where, problem))


def _ignore_changes(ctx: _Ctx) -> None:
    for address, resource in ctx.res.items():
        ignored = resource.guards.ignore_changes
        if not ignored:
            continue
        keys = {
            field: [str(getattr(item, key)) for item in getattr(resource, field)]
            for field, key in type(resource).KEYED.items()
        }
        for i, path in enumerate(ignored):
            problem = ignore_path_problem(type(resource), path, keys)
            if problem is not None:
                ctx.error(address, ("lifecycle", "ignore_changes", i), problem)


def _removed(ctx: _Ctx) -> None:
    for i, gone in enumerate(ctx.fabric.config.removed):
        if gone.from_ in ctx.res or gone.from_ in ctx.known:
            where = SourceRef(ctx.fabric.config_file, ("removed", i, "from"))
            problem = f"removed: {gone.from_} is still declared in code; take it out of the code, or out of removed:"
            ctx.findings.append(Finding(where, problem))


def _descriptions(ctx: _Ctx) -> None:
    """Descriptions must leave room for fabric's ownership tag within what VMM keeps."""
    room = ownership.room(ctx.fabric.config.stamp)
    for address, resource in ctx.res.items():
        if resource.OWNER_TAG and len(resource.description) > room:
            ctx.error(
                address,
                ("description",),
                f"description is {len(resource.description)} characters; at most {room} fit beside fabric's "
                f"ownership tag in VMM's {ownership.DESCRIPTION_MAX}",
            )
        elif ownership.MARKER in resource.description:
            ctx.error(address, ("description",), f"a description may not contain {ownership.MARKER!r} (fabric's tag)")
        elif secret_name(resource.description) is not None:
            ctx.error(
                address,
                ("description",),
                "a description cannot be a secret: VMM shows it to everyone who reads the object, and it carries "
                "fabric's ownership tag; keep secrets in custom property values",
            )


RULES: tuple[Rule, ...] = (
    _references,
    _unique_names,
    _cycles,
    _site_subnets,
    _subnet_scopes,
    _vm_networks,
    _pool_ranges,
    _switches,
    _cloud_reachability,
    _mac_pools,
    _profiles,
    _moved,
    _ignore_changes,
    _ip_grants,
    _removed,
    _descriptions,
    unmanaged_entries,
    dr_rules,
)
