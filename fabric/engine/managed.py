"""What a provider plans and applies. The lab carries out every kind, the DR kinds included (it
plays Hyper-V Replica and Site Recovery); a provider without DR operations (scvmm) plans the VMM
kinds only: the DR kinds are carried out by their backend (`dr.backend`: asr or hyperv_replica)
through the scripts `fabric dr render` writes, and are validated, simulated and rendered like
any other code. Nothing depends on a DR kind, so the VMM kinds' graph is a plain subgraph."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from fabric.digraph import DiGraph
from fabric.model.base import Resource
from fabric.model.resources import VMM_KINDS
from fabric.model.stamp import Fabric
from fabric.providers.logged import unwrapped
from fabric.providers.protocol import Provider
from fabric.snapshot import StateSnapshot


def manages_dr(provider: Provider) -> bool:
    """Whether the provider carries the DR kinds out itself (the lab)."""
    return hasattr(unwrapped(provider), "dr_facts")


def managed(fabric: Fabric, provider: Provider) -> tuple[Mapping[str, Resource], DiGraph[str] | None]:
    """The resources the provider plans, and their dependency graph."""
    if manages_dr(provider):
        return fabric.resources, fabric.graph
    kept = {a: r for a, r in fabric.resources.items() if r.DOMAIN == "vmm"}
    if len(kept) == len(fabric.resources):
        return fabric.resources, fabric.graph
    return kept, None if fabric.graph is None else fabric.graph.subgraph(kept)


def left_to_backend(fabric: Fabric, provider: Provider) -> list[str]:
    """The DR resources a provider does not plan (none for the lab)."""
    if manages_dr(provider):
        return []
    return [a for a, r in fabric.resources.items() if r.DOMAIN != "vmm"]


def managed_state(snapshot: StateSnapshot, provider: Provider) -> StateSnapshot:
    """State as the provider plans against it: without the DR entries of a provider that does not
    carry them out (entries the lab recorded before the stamp moved to VMM are the backend's, not
    objects this provider would delete)."""
    if manages_dr(provider) or all(e.kind in VMM_KINDS for e in snapshot.entries.values()):
        return snapshot
    return replace(snapshot, entries={a: e for a, e in snapshot.entries.items() if e.kind in VMM_KINDS})


def backend_message(fabric: Fabric, provider: Provider, address: str) -> str | None:
    """What to say of an address given to -target, -replace…: a DR resource this provider does
    not plan is its backend's."""
    resource = fabric.resources.get(address)
    if resource is None or manages_dr(provider) or resource.DOMAIN == "vmm":
        return None
    return (
        f"{address} is a disaster-recovery resource: the {fabric.config.dr.backend} backend carries it out "
        f"(fabric dr render), not the {provider.name} provider"
    )
