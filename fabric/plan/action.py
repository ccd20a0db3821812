"""`Action`: what a change does. Values double as JSON names; `symbol` as diff markers."""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """The closed set of actions a plan can hold."""

    NOOP = "no-op"
    CREATE = "create"
    UPDATE = "update"
    REPLACE = "replace"
    DELETE = "delete"

    @property
    def symbol(self) -> str:
        """Terraform-style marker: `+`, `~`, `-/+`, `-`, or blank."""
        return {"no-op": " ", "create": "+", "update": "~", "replace": "-/+", "delete": "-"}[self.value]
