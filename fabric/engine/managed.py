"""What a provider plans and applies. The lab carries out every kind, the DR kinds included (it
plays Hyper-V Replica and Site Recovery); a provider without DR operations (scvmm) plans the VMM
kinds only: the DR kinds are carried out by their backend (`dr.backend`: asr or hyperv_replica)
through the scripts `fabric dr render` writes, and are validated, simulated and rendered like
any other code. Nothing depends on a DR kind, so the VMM kinds' graph is a plain subgraph."""

from __future__ import annotations

from collections.abc import Mapping

from fabric.digraph import DiGraph
from fabric.model.base import Resource
from fabric.model.stamp import Fabric
from fabric.providers.logged import unwrapped
from fabric.providers.protocol import Provider


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
