"""Uniqueness VMM enforces beyond display names (domain reference, section 1.6).

Each kind says what it holds in its model's `slots` (a VM network: the no-isolation VM network
of its logical network, or the VLAN VM network of a site VLAN); two objects may not hold one
slot. Works on attribute dicts whose references are addresses (validation, planning) or live IDs
(the lab) alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from fabric.model.ipmath import network
from fabric.model.resources import KINDS, NetworkSite, Resource

Slot = tuple[str, ...]


def slots(kind: str, attributes: Mapping[str, Any]) -> set[Slot]:
    """The slots an object of `kind` with these attributes holds (its model's `slots`)."""
    cls = KINDS.get(kind)
    return cls.slots(attributes) if cls is not None else set()


def describe(slot: Slot) -> str:
    """The slot in words, for messages."""
    if slot[0] == "no-isolation VM network":
        return f"the no-isolation VM network of {slot[1]}"
    return f"the VLAN VM network for subnet {slot[2]} VLAN {slot[3]} of {slot[1]}"


SiteVlan = tuple[str, str, int]  # logical network, subnet (canonical), VLAN


def site_vlans(resources: Mapping[str, Resource]) -> dict[SiteVlan, list[str]]:
    """The network sites holding each subnet/VLAN pair of each logical network."""
    out: dict[SiteVlan, list[str]] = defaultdict(list)
    for address, site in resources.items():
        if isinstance(site, NetworkSite):
            for pair in site.subnets:
                out[(site.logical_network, str(network(pair.subnet)), pair.vlan)].append(address)
    return out
