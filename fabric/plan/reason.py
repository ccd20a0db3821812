"""Why a change is what it is, as data: a closed set of reasons with the paths and addresses they
name. Text is made from them in `fabric.render.reasons` only; code asks the data (`Why.reason`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Reason(StrEnum):
    """Every reason a plan gives. The comment says what `paths`, `subjects` and `detail` hold."""

    CANNOT_UPDATE = "cannot-update"  # paths: attributes VMM cannot change in place
    REQUESTED = "requested"  # replacement asked for with -replace
    CASCADE = "cascade"  # subjects: (the replaced object,); paths: (kind.attribute,) that cannot change
    CANNOT_LEAVE = "cannot-leave"  # subjects: (the replaced object,); paths: (kind.attribute,) that must name it
    REJOINS = "rejoins"  # subjects: (the replaced object,) this update leaves and joins anew
    ADDRESS_DECLARED = "address-declared"  # subjects: (the grant declaring it,); detail: (the address,)
    REVERTS_OUTSIDE = "reverts-outside"  # the update undoes changes made outside fabric
    DELETED_OUTSIDE = "deleted-outside"  # a create: state had the object, VMM no longer does
    GONE_OUTSIDE = "gone-outside"  # a delete of an object already gone: only state is updated
    REMOVED = "removed"  # a forget: listed under removed: in fabric.yaml
    BUILT_IN = "built-in"  # a forget: VMM ships the object
    RENAMED_KEY = "renamed-key"  # subjects: (the deleted object whose name it takes, this address)
    SHARED_NAME = "shared-name"  # subjects: (this address,); detail: (how many, kind, name)
    TWO_STEP = "two-step"  # step: what the first of the two steps does
    LEAVE = "leave"  # a first step: subjects: the replaced members it leaves for a while
    DETACH = "detach"  # a first step: subjects: what it leaves before their delete; detail: what it joins after


@dataclass(frozen=True)
class Why:
    """One reason with what it names (see `Reason`)."""

    reason: Reason
    paths: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    detail: tuple[str, ...] = ()
    step: Why | None = field(default=None)  # TWO_STEP: the first step's own reason

    def to_json(self) -> dict[str, Any]:
        """The JSON form (plan files and JSON plans)."""
        doc: dict[str, Any] = {"reason": self.reason.value}
        for name in ("paths", "subjects", "detail"):
            if getattr(self, name):
                doc[name] = list(getattr(self, name))
        if self.step is not None:
            doc["step"] = self.step.to_json()
        return doc

    @staticmethod
    def from_json(doc: Any) -> Why:
        """Read the JSON form (ValueError, KeyError or TypeError if it is not one)."""
        step = doc.get("step")
        return Why(
            Reason(doc["reason"]),
            tuple(str(p) for p in doc.get("paths", ())),
            tuple(str(s) for s in doc.get("subjects", ())),
            tuple(str(d) for d in doc.get("detail", ())),
            Why.from_json(step) if step is not None else None,
        )


def has(why: tuple[Why, ...], reason: Reason) -> bool:
    """True if `reason` is among `why`."""
    return any(w.reason is reason for w in why)
