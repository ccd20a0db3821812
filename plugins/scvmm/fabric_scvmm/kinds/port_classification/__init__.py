"""The port_classification kind in the scvmm provider: its inventory parser and the VMM properties its read uses.

Read with Get-SCPortClassification; fields: Name, Description.

Its scripts are beside this module: create, update, delete and read (`.ps1.j2`).
"""

from __future__ import annotations

from typing import Any

from fabric_scvmm.reading import Property, Raw, base, common

PROPERTIES: tuple[Property, ...] = (*common("port_classification", "PortClassification"),)


def parse(raw: Raw) -> dict[str, Any]:
    """The port classification's attributes from its read."""
    return base(raw)
