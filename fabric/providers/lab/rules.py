"""VMM's rules as the lab enforces them, on attribute dicts whose references are live IDs.

Each check returns a list of human-readable refusals (empty = allowed). Sources: the
domain reference (`scvmm-domain.md`), sections 0 and 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fabric.model.ipmath import ip, network, network_range, parse_range
from fabric.model.refs import iter_refs
from fabric.model.resources import KINDS

Obj = Mapping[str, Any]

IMMUTABLE: dict[str, frozenset[str]] = {kind: cls.IMMUTABLE for kind, cls in KINDS.items()}


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


def pool_problems(attrs: Obj, site: Obj | None) -> list[str]:
    """A pool's range, gateways and sets must lie in its subnet; the subnet in its site."""
    out = []
    net = network(attrs["subnet"])
    if site is not None and attrs["subnet"] not in {s["subnet"] for s in site.get("subnets", [])}:
        out.append(f"subnet {net} is not one of the network site's subnets")
    full = parse_range(f"{attrs['range_start']}-{attrs['range_end']}")
    if not full.within(network_range(net)):
        out.append(f"IP address range {full} is outside subnet {net}")
    for gateway in attrs.get("gateways", []):
        if ip(gateway) not in net:
            out.append(f"default gateway {gateway} is outside subnet {net}")
    for text in [*attrs.get("reserved", []), *attrs.get("vips", [])]:
        if not parse_range(text).within(full):
            out.append(f"address set {text} is outside the pool range {full}")
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
