"""`ResourceAddress`: the stable `KIND.KEY` identity of a resource in code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ResourceAddress:
    """`KIND.KEY`; the kind never contains a dot, the key may contain anything else."""

    kind: str
    key: str

    @classmethod
    def parse(cls, text: str) -> ResourceAddress:
        """Split `kind.key` at the first dot; raise ValueError if either part is empty."""
        kind, dot, key = text.partition(".")
        if not dot or not kind or not key:
            raise ValueError(f"{text!r} is not an address of the form KIND.KEY")
        return cls(kind, key)

    def __str__(self) -> str:
        return f"{self.kind}.{self.key}"
