"""Reading the live fabric, as every engine operation does."""

from __future__ import annotations

from fabric.apply.retry import call_with_retries
from fabric.inventory import Inventory
from fabric.providers.protocol import Provider


def read_inventory(provider: Provider) -> Inventory:
    """The provider's live inventory as fabric compares it (ownership tags read off descriptions),
    transient errors retried (a read is always safe to repeat)."""
    return call_with_retries(provider.read_inventory).owned()
