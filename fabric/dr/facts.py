"""What a failover simulation reads from the live fabric: Hyper-V hosts, VMs (primaries and
replicas) with their adapters, and each VM's replication. A plain, validated snapshot: the lab
provides it today (`LabProvider.dr_facts`), a real fabric's export later."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Adapter:
    """One network adapter of a VM as Hyper-V and VMM see it."""

    switch: str | None = None
    vlan: int = 0
    vm_network: str | None = None
    ip: str | None = None
    static: bool = True
    failover_ipv4: str | Mapping[str, Any] = "disabled"  # disabled, enabled_empty, or {address, prefix, gateway}


@dataclass(frozen=True)
class Vm:
    """A VM copy: where it runs and its adapters by slot."""

    name: str
    host: str
    adapters: tuple[Adapter, ...] = ()


@dataclass(frozen=True)
class Replication:
    """A VM's replication: state, health, and where its replica is."""

    state: str
    health: str
    replica_host: str


@dataclass(frozen=True)
class Host:
    """A Hyper-V host: its host group path (Oslo/IaaS) and virtual switches."""

    name: str
    host_group: str
    switches: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrFacts:
    """Everything by casefolded name (Hyper-V and VMM compare names case-insensitively)."""

    hosts: Mapping[str, Host] = field(default_factory=dict)
    primaries: Mapping[str, Vm] = field(default_factory=dict)
    replicas: Mapping[str, Vm] = field(default_factory=dict)
    replication: Mapping[str, Replication] = field(default_factory=dict)
    grants: Mapping[str, frozenset[str]] = field(default_factory=dict)  # pool address → addresses it granted
    notes: tuple[str, ...] = ()  # what the facts cannot say (a simulation warns: DR046)
    origin: str | None = None  # a saved document's file, export time and source (None: read live)


def _adapter(raw: Mapping[str, Any]) -> Adapter:
    failover = raw.get("failover_ipv4", "disabled")
    return Adapter(
        switch=raw.get("switch"),
        vlan=int(raw.get("vlan") or 0),
        vm_network=raw.get("vm_network"),
        ip=raw.get("ip"),
        static=bool(raw.get("static", True)),
        failover_ipv4=dict(failover) if isinstance(failover, Mapping) else str(failover),
    )


def _vm(raw: Mapping[str, Any]) -> Vm:
    return Vm(str(raw["name"]), str(raw["host"]), tuple(_adapter(a) for a in raw.get("adapters") or []))


def facts_from(
    hosts: Sequence[Mapping[str, Any]],
    vms: Sequence[Mapping[str, Any]],
    replication: Mapping[str, Mapping[str, Any]],
    grants: Mapping[str, Sequence[str]] | None = None,
) -> DrFacts:
    """The snapshot from the lab's rows: hosts, VMs with a `role` (primary/replica), replication
    by VM name, and the addresses each pool (by address) has granted."""
    return DrFacts(
        grants={pool: frozenset(addresses) for pool, addresses in (grants or {}).items()},
        hosts={
            str(h["name"]).casefold(): Host(str(h["name"]), str(h["host_group"]), tuple(h.get("switches") or []))
            for h in hosts
        },
        primaries={str(v["name"]).casefold(): _vm(v) for v in vms if v.get("role") == "primary"},
        replicas={str(v["name"]).casefold(): _vm(v) for v in vms if v.get("role") == "replica"},
        replication={
            name.casefold(): Replication(str(r["state"]), str(r["health"]), str(r["replica_host"]))
            for name, r in replication.items()
        },
    )
