"""Objects that ship with VMM. fabric may adopt and update them, but never deletes them."""

from __future__ import annotations

# Port classifications, virtual port profiles and MAC pools VMM creates on install
# (scvmm-domain.md). The list is partly documented, so it errs on the side of sparing an object.
_CLASSES = (
    "SR-IOV",
    "Host management",
    "Network load balancing",
    "Guest dynamic IP",
    "Live migration workload",
    "High bandwidth",
    "Medium bandwidth",
    "Low bandwidth",
    "Host Cluster Workload",
    "iSCSI workload",
)
_PROFILES = ("High Bandwidth Adapter", "Medium Bandwidth Adapter", "Low Bandwidth Adapter")
BUILT_IN: dict[str, frozenset[str]] = {
    "port_classification": frozenset(n.casefold() for n in _CLASSES),
    "virtual_port_profile": frozenset(n.casefold() for n in (*_CLASSES, *_PROFILES)),
    "mac_pool": frozenset(n.casefold() for n in ("Default MAC address pool", "Default VMware MAC address pool")),
}


def is_built_in(kind: str, name: str) -> bool:
    """True if VMM ships an object of this kind and (case-insensitive) name."""
    return name.casefold() in BUILT_IN.get(kind, frozenset())
