"""Hypothesis strategies for valid stamps (and lab objects that exist before fabric runs).

`stamps()` draws a `GeneratedStamp`: `fabric.yaml` settings plus resource files, valid by
construction for every rule in `fabric.validate` and every rule the lab enforces. It covers
nested host groups (display names with quotes, unicode, `#`, `:`), logical networks of every
isolation, network sites with IPv4 and IPv6 subnets (prefixes from /0 to /32 and /128,
written in non-canonical forms), static IP pools on sites and on VM subnets (disjoint ranges,
gateways, reserved and VIP sets), VM networks, MAC pools, port classifications repeated with
`for_each`, virtual and uplink port profiles, logical switches, custom properties, clouds
over host groups with quotas and custom property values, IP grants and extra `depends_on`
edges (always towards resources drawn earlier, so never a cycle).

`GeneratedStamp.preexisting` lists objects to put in the lab before the first plan: some
share a desired object's kind, scope and name (fabric must adopt them, not create a
duplicate), the others are unrelated (fabric must leave them alone, also on destroy).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from fabric.model.builtins import BUILT_IN_MAC_RANGES
from fabric.model.ipmath import mac_to_int
from fabric.model.resources import KINDS

Draw = Callable[[st.SearchStrategy[Any]], Any]
Net = ipaddress.IPv4Network | ipaddress.IPv6Network
Body = dict[str, Any]

# Display names: letters of several scripts (ß and İ change length when case-folded), quotes,
# YAML indicators. No `{` (a name with `{{` is a template) and no `/` `\` (host-group paths).
_NAME_ALPHABET = "abcXYZ019 -_.'\"&()#:!@,+*|>?%øÅæßİЖж中é"
NAMES = st.text(_NAME_ALPHABET, min_size=1, max_size=14).map(str.strip).filter(bool)
TEXT = st.text(_NAME_ALPHABET + "\n{}", max_size=30).filter(lambda s: "{{" not in s and "{%" not in s)
KEY_SUFFIXES = st.sampled_from(["", "-ø", "_Ж", ".中", "-x.y_z"])  # keys are word characters of any script
MEMBERS: tuple[str, ...] = ("vm", "template", "vm_host", "host_cluster", "vm_host_group", "service_template")
MEMBERS += ("service_instance", "computer_tier", "cloud", "protection_unit")


@dataclass(frozen=True)
class LabObject:
    """An object to create in the lab before fabric runs (global kinds only: no references)."""

    kind: str
    body: Body
    adopted_by: str | None  # the address that must adopt it, or None if unrelated to the code


@dataclass
class GeneratedStamp:
    """A stamp as data: settings, kind → key → body per file, and pre-existing lab objects."""

    variables: dict[str, Any]
    files: dict[str, dict[str, dict[str, Body]]]
    addresses: list[str]
    preexisting: list[LabObject] = field(default_factory=list)
    # the lab's Hyper-V hosts and VMs the DR kinds need (a `fabric.providers.lab.dr.Seed` as data)
    seed: dict[str, Any] = field(default_factory=dict)

    def write(self, root: Path) -> Path:
        """Write the stamp into `root` (created) and return it."""
        root.mkdir(parents=True, exist_ok=True)
        config = {"stamp": "prop", "provider": {"type": "lab"}, "variables": self.variables}
        _dump(root / "fabric.yaml", config)
        for name, kinds in self.files.items():
            _dump(root / name, kinds)
        return root


def _dump(path: Path, data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(text, encoding="utf-8")


class _Names:
    """Draws display names unique (case-folded, as VMM compares them) within each scope."""

    def __init__(self, draw: Draw, prefix: str) -> None:
        self.draw = draw
        self.prefix = prefix
        self.used: dict[tuple[str, str], set[str]] = {}

    def take(self, kind: str, scope: str = "") -> str:
        """A new name for `kind` in `scope`."""
        used = self.used.setdefault((kind, scope), set())
        name = drawn = self.prefix + str(self.draw(NAMES))
        suffix = 1
        while name.casefold() in used:  # a suffix, not a filter: hypothesis gives up on heavy filters
            name, suffix = f"{drawn} {suffix}", suffix + 1
        used.add(name.casefold())
        return name

    def free(self, kind: str, name: str, scope: str = "") -> bool:
        """True if no drawn name of `kind` in `scope` equals `name` case-insensitively."""
        return name.casefold() not in self.used.get((kind, scope), set())


class _Builder:
    """Accumulates resources in dependency order; `later` resources may depend on earlier ones."""

    def __init__(self, draw: Draw, *, extra_edges: bool, vmm_picks: bool, name_prefix: str) -> None:
        self.draw = draw
        self.extra_edges = extra_edges
        self.vmm_picks = vmm_picks
        self.names = _Names(draw, name_prefix)
        self.kinds: dict[str, dict[str, Body]] = {}
        self.order: list[str] = []  # addresses in the order drawn (references point backwards)
        self.bodies: dict[str, Body] = {}
        self.variables: dict[str, Any] = {}
        self.preexisting: list[LabObject] = []

    def add(self, kind: str, key: str, body: Body, *, declare: bool = True) -> str:
        address = f"{kind}.{key}"
        if declare:
            self.kinds.setdefault(kind, {})[key] = body
        self.order.append(address)
        self.bodies[address] = body
        return address

    def subset(self, items: list[str], *, min_size: int = 0, max_size: int = 3) -> list[str]:
        if not items:
            return []
        return list(self.draw(st.lists(st.sampled_from(items), min_size=min_size, max_size=max_size, unique=True)))

    def depends_on(self, body: Body, before: list[str]) -> None:
        extra = self.subset(before, max_size=2) if self.extra_edges else []
        if extra:
            body["depends_on"] = extra


# --- host groups ------------------------------------------------------------------------------


def _host_groups(b: _Builder) -> dict[str, str]:
    """The host-group tree (nested `children`); returns address → its parent's address ('' = root)."""
    parents: dict[str, str] = {}
    tree: dict[str, Body] = {}

    def level(into: dict[str, Body], prefix: str, depth: int) -> None:
        count = b.draw(st.integers(1 if depth == 0 else 0, 3 if depth == 0 else 2 if depth < 2 else 1))
        scope = f"host_group.{prefix}" if prefix else ""
        for _ in range(count):
            key = b.names.take("host_group", scope)
            body: Body = {}
            if b.draw(st.booleans()):
                body["description"] = b.draw(TEXT)
            if b.draw(st.integers(0, 4)) == 0:
                body["inherit_network_settings"] = False
            if b.draw(st.integers(0, 5)) == 0:  # a display name other than the key: still unique among siblings
                body["name"] = b.names.take("host_group", scope)
            path = f"{prefix}/{key}" if prefix else key
            address = b.add("host_group", path, body, declare=False)
            parents[address] = scope
            b.depends_on(body, [a for a in b.order[:-1] if a.startswith("host_group.")])
            into[key] = body
            if depth < 2:
                children: dict[str, Body] = {}
                level(children, path, depth + 1)
                if children:
                    body["children"] = children

    level(tree, "", 0)
    b.kinds["host_group"] = tree
    return parents


# --- networking --------------------------------------------------------------------------------


def _v4_subnet(b: _Builder, block: int) -> ipaddress.IPv4Network:
    """A subnet of its own /16 (10.BLOCK.0.0), so subnets drawn for different blocks never overlap."""
    prefix = b.draw(st.sampled_from([16, 20, 24, 24, 24, 28, 30, 31, 32]))
    return ipaddress.IPv4Network((f"10.{block}.0.0", prefix))


def _v6_subnet(b: _Builder, block: int) -> ipaddress.IPv6Network:
    prefix = b.draw(st.sampled_from([48, 64, 64, 120, 127, 128]))
    return ipaddress.IPv6Network((f"fd00:{block:x}::", prefix))


def _spell_net(b: _Builder, net: Net) -> str:
    """How the YAML writes a subnet: canonical, or (IPv6) upper-case or fully expanded."""
    if net.version == 6:
        return str(b.draw(st.sampled_from([str(net), str(net).upper(), net.exploded])))
    return str(net)


def _spell_ip(b: _Builder, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if address.version == 6:
        return str(b.draw(st.sampled_from([str(address), str(address).upper(), address.exploded])))
    return str(address)


@dataclass
class _Subnet:
    net: Net
    spelled: str
    vlan: int = 0


@dataclass
class _Site:
    address: str
    logical_network: str
    host_groups: list[str]
    subnets: list[_Subnet]


def _logical_networks(b: _Builder) -> dict[str, Body]:
    out: dict[str, Body] = {}
    for i in range(b.draw(st.integers(0, 3))):
        name = b.names.take("logical_network")
        body: Body = {"name": name, "isolation": b.draw(st.sampled_from(["connected", "vlan", "pvlan"]))}
        if b.draw(st.booleans()):
            body["network_virtualization"] = True
        if b.draw(st.booleans()):
            body["description"] = b.draw(TEXT)
        out[b.add("logical_network", f"ln-{i}", body)] = body
    return out


def _sites(b: _Builder, networks: dict[str, Body], groups: list[str]) -> list[_Site]:
    sites: list[_Site] = []
    block = 0
    drawn: list[Net] = []  # no two sites' subnets may overlap where their host groups are related
    for ln, ln_body in networks.items():
        for j in range(b.draw(st.integers(0, 2))):
            pairs: list[Body] = []
            subnets: list[_Subnet] = []
            for version in b.draw(st.lists(st.sampled_from([4, 6]), max_size=3)):
                block += 1
                if version == 4 and block == 1 and b.draw(st.integers(0, 3)) == 0:
                    net: Net = ipaddress.IPv4Network("0.0.0.0/0")
                else:
                    net = _v4_subnet(b, block) if version == 4 else _v6_subnet(b, block)
                if any(other.version == net.version and other.overlaps(net) for other in drawn):
                    continue  # 0.0.0.0/0 holds every other IPv4 subnet
                drawn.append(net)
                vlan = b.draw(st.integers(0, 4094))
                pair: Body = {"subnet": _spell_net(b, net), "vlan": vlan}
                if ln_body["isolation"] == "pvlan":
                    pair["secondary_vlan"] = (vlan + b.draw(st.integers(1, 4094))) % 4095  # never vlan itself
                subnets.append(_Subnet(net, pair["subnet"], vlan))
                pairs.append(pair)
            body: Body = {
                "name": b.names.take("network_site", ln),
                "logical_network": ln,
                "host_groups": b.subset(groups, min_size=1),
                "subnets": pairs,
            }
            address = b.add("network_site", f"{ln.split('.')[1]}-site-{j}", body)
            sites.append(_Site(address, ln, body["host_groups"], subnets))
    return sites


def _disjoint_ranges(b: _Builder, net: Net, count: int) -> list[tuple[int, int]]:
    """`count` (or fewer) disjoint inclusive offset ranges inside `net`."""
    size = min(net.num_addresses, 1 << 20)
    if size == 1:
        return [(0, 0)]
    count = min(count, size // 2)
    points = sorted(b.draw(st.lists(st.integers(0, size - 1), min_size=2 * count, max_size=2 * count, unique=True)))
    return [(points[i], points[i + 1]) for i in range(0, len(points), 2)]


def _pool_body(b: _Builder, subnet: _Subnet, span: tuple[int, int]) -> Body:
    net = subnet.net
    first = net.network_address
    start, end = first + span[0], first + span[1]
    body: Body = {"subnet": subnet.spelled, "range_start": _spell_ip(b, start), "range_end": _spell_ip(b, end)}
    size = min(net.num_addresses, 1 << 20)
    gateways = b.draw(st.lists(st.integers(0, size - 1), max_size=2, unique=True))
    if gateways:
        body["gateways"] = [_spell_ip(b, first + g) for g in gateways]
    if b.draw(st.booleans()):
        body["dns_servers"] = [_spell_ip(b, a) for a in b.draw(st.lists(st.ip_addresses(), max_size=2, unique=True))]
    if b.draw(st.booleans()):
        body["dns_suffix"] = b.draw(st.sampled_from(["fabric.local", "corp.example", ""]))
        body["dns_search_suffixes"] = b.draw(st.lists(st.sampled_from(["a.example", "b.example"]), unique=True))
    if span[1] > span[0]:  # keep range_start free, so a grant can always get it
        lo = b.draw(st.integers(span[0] + 1, span[1]))
        hi = b.draw(st.integers(lo, min(span[1], lo + 15)))
        body["reserved"] = [str(first + lo) if lo == hi else f"{first + lo}-{first + hi}"]
        if hi < span[1] and b.draw(st.booleans()):  # right after the reserved set: an address is one or the other
            body["vips"] = [str(first + hi + 1)]
    return body


def _site_pools(b: _Builder, sites: list[_Site]) -> list[tuple[str, Body]]:
    pools: list[tuple[str, Body]] = []
    for site in sites:
        for s, subnet in enumerate(site.subnets):
            for p, span in enumerate(_disjoint_ranges(b, subnet.net, b.draw(st.integers(0, 2)))):
                body = _pool_body(b, subnet, span)
                body = {"name": b.names.take("ip_pool", site.address), "network_site": site.address, **body}
                key = f"{site.address.split('.')[1]}-{s}-{p}"
                pools.append((b.add("ip_pool", key, body), body))
    return pools


def _vm_networks(b: _Builder, networks: dict[str, Body], sites: list[_Site]) -> list[tuple[str, Body]]:
    """VM networks as VMM allows them: one no-isolation network per logical network, VLAN
    networks on a site's subnet/VLAN pair (one each), HNV networks (with pools on their VM
    subnets) only on logical networks with network virtualization."""
    pools: list[tuple[str, Body]] = []
    block = 200
    taken: set[tuple[str, ...]] = set()
    for i in range(b.draw(st.integers(0, 2)) if networks else 0):
        ln = b.draw(st.sampled_from(sorted(networks)))
        pairs = [(site, sub) for site in sites if site.logical_network == ln for sub in site.subnets]
        choices = ["no_isolation"] if ("none", ln) not in taken else []
        choices += ["vlan"] if pairs and networks[ln]["isolation"] in ("vlan", "pvlan") else []
        choices += ["hnv"] if networks[ln].get("network_virtualization") else []
        if not choices:
            continue
        isolation = b.draw(st.sampled_from(choices))
        body: Body = {"name": b.names.take("vm_network", ln), "logical_network": ln, "isolation": isolation}
        address = f"vm_network.vmn-{i}"
        pending: list[tuple[str, Body]] = []
        if isolation == "no_isolation":
            taken.add(("none", ln))
            body["subnets"] = []
        elif isolation == "vlan":
            site, sub = b.draw(st.sampled_from(pairs))
            slot = ("vlan", ln, str(sub.net), str(sub.vlan))  # one per pair, site named or not
            if slot in taken:
                continue
            taken.add(slot)
            named = networks[ln]["isolation"] == "pvlan" or b.draw(st.booleans())
            entry = {"name": "subnet 0", "subnet": sub.spelled, "vlan": sub.vlan}
            body["subnets"] = [{**entry, "network_site": site.address if named else None}]
        else:
            body["subnets"], pending = _hnv_subnets(b, address, block)
            block += 2
        b.add("vm_network", f"vmn-{i}", body)
        pools += [(b.add("ip_pool", key, pool), pool) for key, pool in pending]
    return pools


def _hnv_subnets(b: _Builder, address: str, block: int) -> tuple[list[Body], list[tuple[str, Body]]]:
    """An HNV VM network's subnets (its own address space) and pools (key, body) on some of them."""
    subnets: list[Body] = []
    pools: list[tuple[str, Body]] = []
    for k in range(b.draw(st.integers(0, 2))):
        net = _v4_subnet(b, block + k) if b.draw(st.booleans()) else _v6_subnet(b, block + k)
        # an HNV VM subnet is its own address space: a subnet, no VLAN, no site (VMM refuses the rest)
        entry: Body = {"name": f"subnet {k}", "subnet": _spell_net(b, net)}
        if b.draw(st.booleans()):
            entry |= {"vlan": 0, "network_site": None}  # the defaults, written out
        subnets.append(entry)
        if b.draw(st.booleans()):
            span = _disjoint_ranges(b, net, 1)[0]
            pool = {"name": b.names.take("ip_pool", f"{address}/subnet {k}"), "vm_network": address}
            pool |= {"vm_subnet": f"subnet {k}", **_pool_body(b, _Subnet(net, entry["subnet"]), span)}
            pools.append((f"{address.split('.')[1]}-{k}", pool))
    return subnets, pools


# --- everything else ---------------------------------------------------------------------------


def _mac_pools(b: _Builder, groups: list[str]) -> None:
    """MAC pools as VMM allows them: ranges overlapping neither each other nor VMM's own pools."""
    taken = [(mac_to_int(start), mac_to_int(end)) for start, end in BUILT_IN_MAC_RANGES.values()]
    for i in range(b.draw(st.integers(0, 2))):
        octets = [b.draw(st.integers(0, 127)) * 2, b.draw(st.integers(0, 255)), b.draw(st.integers(0, 255))]
        low = b.draw(st.integers(0, (1 << 24) - 1))
        high = b.draw(st.integers(low, (1 << 24) - 1))
        oui = (octets[0] << 40) | (octets[1] << 32) | (octets[2] << 24)
        if any(oui | low <= end and start <= oui | high for start, end in taken):
            continue  # a skip, not a filter: hypothesis gives up on heavy filters
        taken.append((oui | low, oui | high))
        sep, upper = b.draw(st.sampled_from([":", "-"])), b.draw(st.booleans())

        def mac(tail: int, octets: list[int] = octets, sep: str = sep, upper: bool = upper) -> str:
            parts = [*octets, tail >> 16, (tail >> 8) & 255, tail & 255]
            text = sep.join(f"{p:02x}" for p in parts)
            return text.upper() if upper else text

        body: Body = {"name": b.names.take("mac_pool"), "range_start": mac(low), "range_end": mac(high)}
        body["host_groups"] = b.subset(groups, min_size=1)
        b.add("mac_pool", f"mac-{i}", body)


def _port_classifications(b: _Builder) -> list[str]:
    """Port classifications, drawn either as plain resources or repeated with `for_each`."""
    count = b.draw(st.integers(0, 3))
    names = [b.names.take("port_classification") for _ in range(count)]
    if count and b.draw(st.booleans()):
        b.variables["classes"] = names
        b.kinds["port_classification"] = {
            "pc-{{ each.index }}": {
                "for_each": "{{ var.classes }}",
                "name": "{{ each.value }}",
                "description": "class {{ each.index }} of {{ var.classes | length }}",
            }
        }
        return [b.add("port_classification", f"pc-{i}", {"name": n}, declare=False) for i, n in enumerate(names)]
    return [b.add("port_classification", f"pc-{i}", {"name": n}) for i, n in enumerate(names)]


def _virtual_port_profiles(b: _Builder) -> list[str]:
    out = []
    for i in range(b.draw(st.integers(0, 3))):
        body: Body = {"name": b.names.take("virtual_port_profile")}
        for flag in ("enable_vmq", "enable_iov", "allow_mac_spoofing", "enable_dhcp_guard", "allow_teaming"):
            if b.draw(st.booleans()):
                body[flag] = b.draw(st.booleans())
        if b.draw(st.booleans()):
            body["minimum_bandwidth_weight"] = b.draw(st.integers(0, 100))
        else:
            body["minimum_bandwidth_absolute_mbps"] = b.draw(st.integers(0, 1_000_000_000))
        body["maximum_bandwidth_mbps"] = b.draw(st.integers(0, 100_000))
        out.append(b.add("virtual_port_profile", f"vpp-{i}", body))
    return out


def _uplinks(b: _Builder, sites: list[_Site], networks: dict[str, Body]) -> list[str]:
    out = []
    for i in range(b.draw(st.integers(0, 2))):
        chosen = b.subset([s.address for s in sites])
        body: Body = {"name": b.names.take("uplink_port_profile"), "network_sites": chosen}
        body["team_mode"] = b.draw(st.sampled_from(["static", "switch_independent", "lacp"]))
        body["load_balancing"] = b.draw(st.sampled_from(["host_default", "transport_ports", "dynamic", "hyperv_port"]))
        lns = {s.logical_network for s in sites if s.address in chosen}
        if any(networks[ln].get("network_virtualization") for ln in lns) and b.draw(st.booleans()):
            body["network_virtualization"] = True
        out.append(b.add("uplink_port_profile", f"uplink-{i}", body))
    return out


def _switches(b: _Builder, uplinks: list[str], classes: list[str], profiles: list[str]) -> None:
    for i in range(b.draw(st.integers(0, 2))):
        mode = b.draw(st.sampled_from(["no_team", "team", "embedded_team"]))
        body: Body = {"name": b.names.take("logical_switch"), "uplink_mode": mode}
        body["minimum_bandwidth_mode"] = b.draw(st.sampled_from(["default", "weight", "absolute", "none"]))
        if mode != "team" and b.draw(st.booleans()):
            body["enable_sriov"] = True
        body["uplink_port_profiles"] = b.subset(uplinks)
        ports = []
        default = b.draw(st.integers(-1, 3))
        for n, pc in enumerate(b.subset(classes) if profiles else []):
            port: Body = {"port_classification": pc, "profile": b.draw(st.sampled_from(profiles))}
            if n == default:
                port["default"] = True
            ports.append(port)
        body["virtual_ports"] = ports
        b.add("logical_switch", f"switch-{i}", body)


def _custom_properties(b: _Builder) -> list[str]:
    out = []
    for i in range(b.draw(st.integers(0, 2))):
        members = b.draw(st.lists(st.sampled_from(MEMBERS), min_size=1, max_size=3, unique=True))
        body: Body = {"name": b.names.take("custom_property"), "members": members}
        out.append(b.add("custom_property", f"prop-{i}", body))
    return out


def _reach(groups: Iterable[str], parents: dict[str, str]) -> set[str]:
    """The groups, their ancestors and their descendants (where a cloud's hosts can be)."""
    groups = set(groups)
    reach: set[str] = set()
    for g in groups:
        while g:
            reach.add(g)
            g = parents[g]
    for g in parents:
        a = g
        while a:
            if a in groups:
                reach.add(g)
                break
            a = parents[a]
    return reach


def _clouds(
    b: _Builder, parents: dict[str, str], sites: list[_Site], classes: list[str], props: list[str], least: int = 0
) -> None:
    cloud_props = [p for p in props if "cloud" in b.bodies[p]["members"]]
    quota = st.one_of(st.none(), st.just("unlimited"), st.integers(0, 1_000_000_000))
    for i in range(b.draw(st.integers(least, max(least, 3)))):
        groups = b.subset(sorted(parents), min_size=1)
        reach = _reach(groups, parents)
        reachable = sorted({s.logical_network for s in sites if reach & set(s.host_groups)})
        body: Body = {"name": b.names.take("cloud"), "host_groups": groups}
        body["logical_networks"] = b.subset(reachable)
        body["port_classifications"] = b.subset(classes)
        quotas = ("vm_count", "cpu_count", "memory_mb", "storage_gb")
        capacity = {k: b.draw(quota) for k in quotas if b.draw(st.booleans())}
        if capacity:
            body["capacity"] = capacity
        values = st.one_of(NAMES, st.booleans(), st.integers(-(10**6), 10**6))
        body["custom_properties"] = {p: b.draw(values) for p in b.subset(cloud_props)}
        body["disaster_recovery_supported"] = b.draw(st.booleans())
        b.depends_on(body, b.order)
        b.add("cloud", f"cloud-{i}{b.draw(KEY_SUFFIXES)}", body)


def _group_path(b: _Builder, address: str, parents: dict[str, str]) -> str:
    """A host group's path by display names, as the lab's seed names it."""
    parts = []
    current = address
    while current:
        parts.append(b.bodies[current].get("name") or current.rsplit("/", 1)[-1].removeprefix("host_group."))
        current = parents[current]
    return "/".join(reversed(parts))


def _related(a: list[str], c: list[str], parents: dict[str, str]) -> bool:
    def up(g: str) -> set[str]:
        out = set()
        while g:
            out.add(g)
            g = parents[g]
        return out

    return any(x in up(y) or y in up(x) for x in a for y in c)


def _dr(b: _Builder, parents: dict[str, str], always: bool = False) -> dict[str, Any]:
    """Pairings between DR-enabled clouds on unrelated host groups, protected VMs on them and a
    recovery plan; returns the lab seed (hosts in both clouds, the VMs)."""
    clouds = [(a, c) for a, c in b.bodies.items() if a.startswith("cloud.")]
    pairs = [
        (p, r)
        for p in clouds
        for r in clouds
        if p[0] != r[0] and not _related(p[1]["host_groups"], r[1]["host_groups"], parents)
    ]
    seed: dict[str, Any] = {"hosts": {}, "vms": {}}
    if not pairs or (not always and b.draw(st.integers(0, 3)) == 0):
        return seed
    policy: Body = {
        "name": b.names.take("replication_policy"),
        "copy_frequency_seconds": b.draw(st.sampled_from([30, 300, 900])),
        "recovery_points": b.draw(st.integers(0, 24)),
        "authentication": b.draw(st.sampled_from(["kerberos", "certificate"])),
        "compression": b.draw(st.booleans()),
    }
    policy_address = b.add("replication_policy", "policy-0", policy)
    used: set[str] = set()
    vms: list[str] = []
    tag = b.names.prefix.strip().replace(" ", "-")
    for i, (primary, recovery) in enumerate(pairs[: b.draw(st.integers(1, 2))]):
        if primary[0] in used:
            continue
        used.add(primary[0])
        primary[1]["disaster_recovery_supported"] = recovery[1]["disaster_recovery_supported"] = True
        body: Body = {"name": b.names.take("cloud_pairing"), "primary_cloud": primary[0], "recovery_cloud": recovery[0]}
        body["policy"] = policy_address
        pairing = b.add("cloud_pairing", f"pairing-{i}", body)
        for side, cloud in (("p", primary), ("r", recovery)):
            host = f"{tag}h-{i}-{side}"
            seed["hosts"][host] = {"host_group": _group_path(b, cloud[1]["host_groups"][0], parents), "switches": ["S"]}
        for n in range(b.draw(st.integers(1 if always else 0, 3))):
            vm = f"{tag}dr-vm-{i}-{n}"
            seed["vms"][vm] = {"host": f"{tag}h-{i}-p", "adapters": [{"switch": "S", "ip": f"10.9.{i}.{n + 10}"}]}
            vm_body: Body = {"name": b.names.take("protected_vm"), "vm": vm, "pairing": pairing}
            vm_body["boot_seconds"] = b.draw(st.integers(0, 600))
            vms.append(b.add("protected_vm", f"vm-{i}-{n}", vm_body))
    if vms and (always or b.draw(st.integers(0, 3)) != 0):
        groups: list[Body] = []
        for g, address in enumerate(vms):
            if not groups or b.draw(st.booleans()):
                groups.append({"name": f"group-{g}", "vms": []})
            groups[-1]["vms"].append(address)
        kinds = st.lists(st.sampled_from(["test", "planned", "unplanned"]), min_size=1, max_size=3, unique=True)
        groups[0]["pre"] = [{"name": "check", "manual": {"instructions": "Check."}, "failover_types": b.draw(kinds)}]
        plan: Body = {"name": f"{tag or 'rp'}-plan", "groups": groups}
        if b.draw(st.booleans()):
            plan["shutdown"] = {"pre": [{"name": "prepare", "builtin": "prepare_replica_network"}]}
        b.add("recovery_plan", "plan-0", plan)
    return seed


def _grants(b: _Builder, pools: list[tuple[str, Body]]) -> None:
    """At most one grant per pool: its own address is its range_start (never reserved) or VMM's pick."""
    for i, (pool, body) in enumerate(pools):
        if not b.draw(st.booleans()):
            continue
        grant: Body = {"ip_pool": pool, "vm": f"vm-{i}", "adapter": b.draw(st.integers(0, 63))}
        if not b.vmm_picks or b.draw(st.booleans()):
            grant["address"] = body["range_start"]
        grant["name"] = b.names.take("ip_grant", pool)
        b.add("ip_grant", f"grant-{i}", grant)


def _preexisting(b: _Builder, networks: dict[str, Body], classes: list[str], roots: list[str]) -> None:
    """Objects already in the lab: namesakes of desired global objects, and unrelated ones."""
    for address in b.subset([*networks, *classes, *roots], max_size=3):
        kind = address.split(".")[0]
        desired = b.bodies[address]
        name = desired.get("name") or address.split(".", 1)[1]
        body: Body = {"name": name.upper(), "description": "made by hand"}  # names match case-insensitively
        if kind == "logical_network":
            # the same isolation: a namesake differing in what VMM cannot change is refused, never
            # replaced (adoption never destroys; tests/plan/cases/adopt-refuses-replace pins that)
            body["isolation"] = desired.get("isolation", "connected")
        b.preexisting.append(LabObject(kind, body, address))
    for i in range(b.draw(st.integers(0, 2))):
        kind = b.draw(st.sampled_from(["host_group", "logical_network", "port_classification"]))
        name = f"unmanaged {i}"
        if b.names.free(kind, name):
            b.preexisting.append(LabObject(kind, {"name": name}, None))


def lab_attributes(obj: LabObject) -> dict[str, Any]:
    """The full attribute dict the lab stores for a pre-existing object."""
    attributes: dict[str, Any] = KINDS[obj.kind].model_validate(obj.body).attributes()
    return attributes


@st.composite
def stamps(
    draw: Draw,
    *,
    with_lab: bool = True,
    depends_on: bool = True,
    vmm_picks_addresses: bool = True,
    name_prefix: str = "",
    dr: bool = False,
) -> GeneratedStamp:
    """A valid stamp, split across one to three resource files, and what the lab holds already.

    `with_lab=False`: nothing pre-exists in the lab. `depends_on=False`: no `depends_on` edges.
    `vmm_picks_addresses=False`: every ip_grant names its address (none is left to VMM).
    `name_prefix`: starts every display name (and host-group key); drawn names never contain `v`.
    `dr=True`: at least two clouds, and the disaster-recovery kinds whenever two have unrelated host groups.
    """
    b = _Builder(draw, extra_edges=depends_on, vmm_picks=vmm_picks_addresses, name_prefix=name_prefix)
    parents = _host_groups(b)
    groups = sorted(parents)
    networks = _logical_networks(b)
    props = _custom_properties(b)
    classes = _port_classifications(b)
    profiles = _virtual_port_profiles(b)
    _mac_pools(b, groups)
    sites = _sites(b, networks, groups)
    pools = _site_pools(b, sites) + _vm_networks(b, networks, sites)
    uplinks = _uplinks(b, sites, networks)
    _switches(b, uplinks, classes, profiles)
    _clouds(b, parents, sites, classes, props, least=2 if dr else 0)
    seed = _dr(b, parents, always=dr)
    _grants(b, pools)
    if with_lab:
        _preexisting(b, networks, classes, [g for g in groups if not parents[g]])
    files: dict[str, dict[str, dict[str, Body]]] = {}
    for kind, entries in b.kinds.items():
        files.setdefault(draw(st.sampled_from(["a.yaml", "b.yml", "c.yaml"])), {})[kind] = entries
    return GeneratedStamp(b.variables, files, list(b.order), b.preexisting, seed)
