"""Uniqueness VMM enforces beyond display names (domain reference, section 1.6).

A logical network holds at most one no-isolation VM network, and a site VLAN (a subnet and
VLAN of a network site) carries at most one VLAN VM network; a VLAN VM network that names no
site claims the pair on its whole logical network. Each such claim is
a *slot*; two objects may not hold one slot. Works on attribute dicts whose references are
addresses (validation, planning) or live IDs (the lab) alike.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from fabric.model.ipmath import network
from fabric.model.resources import NetworkSite, Resource

Slot = tuple[str, ...]


def slots(kind: str, attributes: Mapping[str, Any]) -> set[Slot]:
    """The slots an object of `kind` with these attributes holds."""
    if kind != "vm_network":
        return set()
    ln = str(attributes.get("logical_network") or "")
    isolation = attributes.get("isolation")
    if isolation == "no_isolation":
        return {("no-isolation VM network", ln)}
    if isolation != "vlan":
        return set()
    out: set[Slot] = set()
    for pair in attributes.get("subnets") or []:
        try:
            subnet = str(network(str(pair["subnet"])))
        except (KeyError, TypeError, ValueError):
            continue  # no subnet (refused elsewhere) or a masked value: holds nothing
        # the site VLAN: of the site named, else of the logical network (whichever site holds it)
        holder = str(pair.get("network_site") or ln)
        out.add(("VLAN VM network", holder, subnet, str(pair.get("vlan", 0))))
    return out


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
