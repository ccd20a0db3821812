"""The mac_pool kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCMACAddressPool; fields: MACAddressRangeStart/End, HostGroupIDs.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import Property, Raw, base, common, ids, many, text

PROPERTIES: tuple[Property, ...] = (
    *common("mac_pool", "MACAddressPool"),
    *many(
        "mac_pool",
        "MACAddressPool",
        "P: `.MACAddressRangeStart`/`.MACAddressRangeEnd` (7 hits, e.g. a VMM fabric report script)",
        ("MACAddressRangeStart", "MACAddressRangeStart"),
        ("MACAddressRangeEnd", "MACAddressRangeEnd"),
    ),
    Property("mac_pool", "MACAddressPool", "HostGroup", "HostGroupIDs", None),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The mac pool's attributes from its read (fields: see the module docstring)."""
    return {
        **base(raw),
        "range_start": text(raw, "MACAddressRangeStart").upper().replace("-", ":"),  # D15: either form
        "range_end": text(raw, "MACAddressRangeEnd").upper().replace("-", ":"),
        "host_groups": ids(raw, "HostGroupIDs"),
    }
