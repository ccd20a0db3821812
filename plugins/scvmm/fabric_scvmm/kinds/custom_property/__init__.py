"""The custom_property kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCCustomProperty; fields: Members (member type names).

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import MEMBERS, Property, Raw, base, common

PROPERTIES: tuple[Property, ...] = (
    *common("custom_property", "CustomProperty"),
    Property("custom_property", "CustomProperty", "Members", "Members", "X MSFT_xSCVMMCustomProperty.psm1:123-143"),
)


def parse(raw: Raw) -> dict[str, Any]:
    """The custom property's attributes from its read (fields: see the module docstring)."""
    return {**base(raw), "members": sorted(MEMBERS.get(str(m), str(m).lower()) for m in raw.get("Members") or [])}
