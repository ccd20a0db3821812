"""Parsing the read script's JSON (`templates/read_inventory.ps1.j2`) into an `Inventory`.

One document, one list per kind. Each kind's entries are parsed by its folder's `parse`
(`fabric_scvmm.kinds.<kind>`, whose docstring names the `Get-SC*` objects and fields), with IDs
cast to strings and enumerations to their names; every property read, with its source or marked
unverified, is in `fabric_scvmm.properties`. A field read from an unverified property must be
present (`check_present`): a document without it was not written by the read script, which
stops, naming the property, on a VMM whose objects lack it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fabric.errors import ProviderError
from fabric.inventory import Inventory, ObservedObject
from fabric_scvmm.kinds import kinds, parser
from fabric_scvmm.properties import check_present
from fabric_scvmm.reading import Raw

FORMAT = "fabric-scvmm-inventory"
PARSERS: dict[str, Callable[[Raw], dict[str, Any]]] = {kind: parser(kind) for kind in kinds()}


def parse_inventory(doc: Any) -> Inventory:
    """The read script's document as an `Inventory`; ProviderError if it is not one."""
    if not isinstance(doc, Mapping):
        raise ProviderError("inventory is not a JSON object")
    if doc.get("ok") is False:
        raise ProviderError(f"the inventory script failed: {doc.get('error')}")
    if doc.get("format") != FORMAT or doc.get("format_version") != 1:
        raise ProviderError(f"not a {FORMAT} document (version 1)")
    objects = []
    try:
        # All Hosts, the root, exists in every VMM and is never managed: its children have no parent
        roots = {str(r["ID"]) for r in doc.get("host_group") or [] if not r.get("ParentID")}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ProviderError(f"inventory document is malformed: host_group: {_why(exc)}") from None
    missing = [kind for kind in PARSERS if kind not in doc]
    if missing:  # an empty list says "none"; no list at all would plan to create every one of them
        raise ProviderError(
            f"the inventory has no {', '.join(missing)} list: it was not written by the read script "
            "(fabric scvmm export-inventory-script) of this fabric version; write it again"
        )
    for kind, parse in PARSERS.items():
        items = doc.get(kind)
        if not isinstance(items, list):
            raise ProviderError(f"inventory document is malformed: {kind} is not a list")
        for index, raw in enumerate(items):
            try:
                if kind == "host_group" and str(raw["ID"]) in roots:
                    continue
                check_present(kind, raw)
                attributes = parse(raw)
                if kind == "host_group" and attributes["parent"] in roots:
                    attributes["parent"] = None
                objects.append(ObservedObject(str(raw["ID"]), kind, attributes["name"], attributes))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise ProviderError(f"inventory document is malformed: {kind}[{index}]: {_why(exc)}") from None
    return Inventory.of(objects)


def _why(exc: Exception) -> str:
    """What is wrong with an item, in words (not Python's)."""
    if isinstance(exc, KeyError):
        return f"no {exc.args[0]!r} field"
    if isinstance(exc, (TypeError, AttributeError)):
        return "an item or field has the wrong type (expected the read script's objects)"
    return str(exc)
