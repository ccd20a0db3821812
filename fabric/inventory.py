"""`Inventory`: the live objects a provider observed, indexed for matching. No I/O here.

Attributes of observed objects hold references as live IDs (GUIDs), not addresses; the
planner translates them with the address ↔ ID map it builds.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from fabric.model import ownership
from fabric.model.resources import KINDS


@dataclass(frozen=True)
class ObservedObject:
    """One live object: its ID, kind, display name and attributes (references as IDs)."""

    id: str
    kind: str
    name: str
    attributes: Mapping[str, Any]
    owner: str | None = None  # the stamp whose ownership tag the object carries (see owned())
    # observed facts that are neither desired state nor drift (a protected VM's replication state)
    posture: Mapping[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form."""
        out = {"id": self.id, "kind": self.kind, "name": self.name, "attributes": dict(self.attributes)}
        if self.posture is not None:
            out["posture"] = dict(self.posture)
        return out


@dataclass
class Inventory:
    """Every live object of the managed kinds, by ID."""

    objects: dict[str, ObservedObject] = field(default_factory=dict)

    @classmethod
    def of(cls, objects: Iterable[ObservedObject]) -> Inventory:
        """Build from any iterable of observed objects."""
        return cls({o.id: o for o in objects})

    def __contains__(self, live_id: object) -> bool:
        return live_id in self.objects

    def __len__(self) -> int:
        return len(self.objects)

    def __iter__(self) -> Iterator[ObservedObject]:
        return iter(self.objects.values())

    def get(self, live_id: str) -> ObservedObject | None:
        """The object with this ID, or None."""
        return self.objects.get(live_id)

    def fingerprint(self) -> str:
        """A digest of every object (ID, kind, name, attributes): equal iff nothing changed."""
        digest = hashlib.sha256()
        for live_id in sorted(self.objects):
            obj = self.objects[live_id]
            digest.update(json.dumps([obj.id, obj.kind, obj.name, obj.attributes], sort_keys=True).encode())
        return digest.hexdigest()

    def owned(self) -> Inventory:
        """This inventory as fabric compares it: descriptions without fabric's ownership tag, and each
        object's `owner` from its tag — or, for kinds that have no description in VMM, from the
        object that scopes it (a network site's logical network, a grant's pool)."""
        objects: dict[str, ObservedObject] = {}
        for obj in self.objects.values():
            description = obj.attributes.get("description")
            if isinstance(description, str) and ownership.MARKER in description:
                plain, owner = ownership.untag(description)
                obj = replace(obj, attributes={**obj.attributes, "description": plain}, owner=owner)
            objects[obj.id] = obj
        for live_id, obj in objects.items():
            cls = KINDS.get(obj.kind)
            if cls is not None and not cls.OWNER_TAG and cls.SCOPE:
                scope = objects.get(str(obj.attributes.get(cls.SCOPE) or ""))
                if scope is not None and scope.owner is not None:
                    objects[live_id] = replace(obj, owner=scope.owner)
        return Inventory(objects)

    def to_json(self) -> list[dict[str, Any]]:
        """JSON-ready list, sorted by kind then name then ID."""
        ordered = sorted(self.objects.values(), key=lambda o: (o.kind, o.name, o.id))
        return [o.to_json() for o in ordered]
