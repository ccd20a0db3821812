"""Objects that ship with VMM. fabric may adopt and update them, but never deletes them.

Each kind names its own in its model (`Resource.BUILT_IN`; a MAC pool also its ranges,
`MacPool.BUILT_IN_RANGES`); this module only asks.
"""

from __future__ import annotations

from fabric.model.resources import KINDS, MacPool

BUILT_IN_MAC_RANGES = MacPool.BUILT_IN_RANGES  # what lab and validation check MAC pools against


def is_built_in(kind: str, name: str) -> bool:
    """True if VMM ships an object of this kind and (case-insensitive) name."""
    cls = KINDS.get(kind)
    return cls is not None and name.casefold() in cls.BUILT_IN
