"""Every VMM object property the read script reads, with where its name is confirmed.

One row per (VMM object type, property): the fabric kind whose read uses it, the JSON field the
read script writes (`Subnets[].LogicalNetworkDefinitionID`: a field of each item of the list
`Subnets`) and the source (tags: `fabric_scvmm.reading`). Each kind keeps its rows in its
folder (`fabric_scvmm.kinds.<kind>.PROPERTIES`); this module puts them together. A row whose
source is None is **unverified**: no public code or reference page reads it.

Unverified properties are read defensively, so a wrong name cannot pass for an empty value
(which would show as drift for ever): the read script reads them through its `Need` function
(`read_need` in `templates/_macros.ps1.j2`), which stops the script with `missing()`, naming the
property, if the object has no such property; an update that relies on one checks it the same
way first (`need`); and the inventory parser refuses a document without the field
(`check_present`). The lab checklist (docs/scvmm-lab-checklist.md) and `fabric scvmm selftest`
confirm them on a real VMM. A test parses every script the templates render and checks that
each property they read is in this table (or in `SCRIPT_MEMBERS`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fabric.errors import ProviderError
from fabric_scvmm.kinds import kinds, properties
from fabric_scvmm.reading import CHECKLIST, Property

__all__ = ["CHECKLIST", "PROPERTIES", "SCRIPT_MEMBERS", "Property", "check_present", "lookup", "unverified"]

PROPERTIES: tuple[Property, ...] = tuple(p for kind in kinds() for p in properties(kind))

# Members the scripts read that are no VMM object's: PowerShell's own (an array's Count, an error
# record's Exception.Message and CategoryInfo.Category, PSObject.Properties) and those of the
# read script's own [pscustomobject]s (the grant index's VM and Adapter).
SCRIPT_MEMBERS = frozenset(
    {"Count", "Exception", "Message", "CategoryInfo", "Category", "PSObject", "Properties", "VM", "Adapter"}
)

_BY_NAME: dict[tuple[str, str, str], Property] = {(p.kind, p.vmm_type, p.name): p for p in PROPERTIES}


def lookup(kind: str, vmm_type: str, name: str) -> Property:
    """The row for `name` on `vmm_type` as `kind` reads it; KeyError if the table has none."""
    return _BY_NAME[(kind, vmm_type, name)]


def unverified(kind: str | None = None) -> list[Property]:
    """The unverified rows (of `kind`, or all)."""
    return [p for p in PROPERTIES if not p.verified and kind in (None, p.kind)]


def check_present(kind: str, raw: Mapping[str, Any]) -> None:
    """ProviderError naming the first unverified property the read script found missing on this object."""
    for p in unverified(kind):
        container = p.container
        items = (raw.get(container) or []) if container is not None else [raw]
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, Mapping) and p.leaf not in item:
                raise ProviderError(p.missing())
