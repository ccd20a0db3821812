"""`Action`: what a change does. Values double as JSON names; `symbol` as diff markers."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """The closed set of actions a plan can hold."""

    NOOP = "no-op"
    CREATE = "create"
    ADOPT = "adopt"  # shown for a take-over of a live object no stamp created (`Change.shown`)
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"
    FORGET = "forget"  # stop managing: drop from state, leave the object in VMM (a removed block)

    @property
    def symbol(self) -> str:
        """Terraform-style marker: `+`, `<=`, `~`, `-/+`, `-`, `=>`, or blank."""
        return _SYMBOLS[self.value]


_SYMBOLS = {"no-op": " ", "create": "+", "adopt": "<=", "update": "~", "replace": "-/+", "delete": "-", "forget": "=>"}
