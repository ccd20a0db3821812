"""Live objects seen through state: references turned from IDs back into addresses."""

from __future__ import annotations

from typing import Any

from fabric.inventory import Inventory, ObservedObject
from fabric.model.refs import map_refs
from fabric.model.resources import KINDS, canonical_order


class LiveView:
    """Labels live IDs with the address state gives them (or a readable placeholder)."""

    def __init__(self, inventory: Inventory, addresses: dict[str, str]) -> None:
        self.inventory = inventory
        self.address = addresses  # live ID → address

    def view(self, obj: ObservedObject) -> dict[str, Any]:
        """`obj`'s attributes with references as addresses, order-free lists sorted."""
        cls = KINDS[obj.kind]
        return canonical_order(cls, map_refs(cls, dict(obj.attributes), self.label))

    def label(self, live_id: str) -> str:
        """The address of a live ID, or `<unmanaged KIND 'NAME'>` / `<missing ID>`."""
        if live_id in self.address:
            return self.address[live_id]
        obj = self.inventory.get(live_id)
        return f"<unmanaged {obj.kind} {obj.name!r}>" if obj else f"<missing {live_id}>"
