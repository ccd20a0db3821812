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


# The ranges of the MAC pools VMM ships (scvmm-domain.md 1.7): VMM refuses a pool overlapping
# them while they exist, and fabric never deletes them.
BUILT_IN_MAC_RANGES: dict[str, tuple[str, str]] = {
    "Default MAC address pool": ("00:1D:D8:B7:1C:00", "00:1D:D8:F4:1F:FF"),
    "Default VMware MAC address pool": ("00:50:56:00:00:00", "00:50:56:3F:FF:FF"),
}


def is_built_in(kind: str, name: str) -> bool:
    """True if VMM ships an object of this kind and (case-insensitive) name."""
    return name.casefold() in BUILT_IN.get(kind, frozenset())
