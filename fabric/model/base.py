"""The types every kind is built from: `Resource` and its specs, and the shared value types.

`REFS` lists the attribute paths that hold addresses of other resources (`*` = every list
item or mapping value, `<key>` = every mapping key) and the kind they must point at.
`SCOPE` names the attribute whose target scopes the display name (VMM's identity), and
`SETS` the list attributes whose order carries no meaning, and `KEYED` the lists of
items VMM identifies by one of their fields (VM subnets by name): order carries no meaning
there either, and a change is told per key.
"""

# No `from __future__ import annotations` in the model modules: pydantic would then evaluate every
# field's annotation from a string at import (a compile each, ~10 ms of every command's start-up).

import re
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
)

from fabric.model.ipmath import ip, network

RefPath = tuple[str, ...]
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")  # C0, DEL, C1 (CSI, NEL, …), line separators
_REF = re.compile(r"[a-z_]+\.\S.*")  # the whole value (fullmatch): `$` would let a trailing newline through


def _name(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("names must not contain control characters (newline, tab, …)")
    return value


def _ref(value: str) -> str:
    if not _REF.fullmatch(value):
        raise ValueError(f"{value!r} is not an address of the form KIND.KEY (e.g. host_group.Oslo/IaaS)")
    return value


def _unlimited(value: Any) -> Any:
    return None if value == "unlimited" else value


Name = Annotated[str, Field(min_length=1, max_length=256), AfterValidator(_name)]
Ref = Annotated[str, AfterValidator(_ref)]


def _whole_number(value: Any) -> Any:
    # YAML 1.1 reads on/off/yes/no as booleans and pydantic takes True as 1: `vlan: on` would be VLAN 1
    if isinstance(value, bool):
        raise ValueError("expected a whole number, not a boolean (YAML reads on, off, yes and no as booleans)")
    return value


Whole = Annotated[int, BeforeValidator(_whole_number)]
Vlan = Annotated[Whole, Field(ge=0, le=4094)]
Count = Annotated[Whole, Field(ge=0, le=1_000_000_000)]
Quota = Annotated[
    Count | None,
    BeforeValidator(_unlimited),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": 1_000_000_000},
                {"type": "null"},
                {"const": "unlimited"},
            ]
        }
    ),
]


def _network(value: str) -> str:
    try:
        return str(network(value))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid subnet in CIDR form ({exc})") from None


def _address(value: str) -> str:
    try:
        return str(ip(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a valid IP address") from None


IPAddress = Annotated[str, AfterValidator(_address)]
IPNetwork = Annotated[str, AfterValidator(_network)]
_MAC = re.compile(r"[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}")  # the whole value: fullmatch


class Strict(BaseModel):
    """Base for every model: unknown keys refused, instances immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _collect(node: Any, pattern: RefPath, out: set[str]) -> None:
    """Add the strings found at `pattern` (see REFS) inside `node` to `out`."""
    if node is None:
        return
    if not pattern:
        if isinstance(node, str):
            out.add(node)
        return
    step, rest = pattern[0], pattern[1:]
    if step == "*":
        for child in node.values() if isinstance(node, dict) else node:
            _collect(child, rest, out)
    elif step == "<key>":
        out.update(node)
    elif isinstance(node, dict):
        _collect(node.get(step), rest, out)


class Lifecycle(Strict):
    """How fabric treats a resource beyond its attributes."""

    prevent_destroy: bool = Field(default=False, description="Refuse any plan that deletes or replaces it.")
    ignore_changes: list[str] = Field(
        default_factory=list, description="Attribute paths (capacity.vm_count) whose live value is left alone."
    )
    replace_adopted: bool = Field(
        default=False,
        description="Allow a plan to replace (delete and re-create) the existing object this resource adopts.",
    )


_NO_LIFECYCLE = Lifecycle()


class Resource(Strict):
    """Fields and specs shared by every kind."""

    KIND: ClassVar[str] = ""
    REFS: ClassVar[dict[RefPath, str]] = {}
    SCOPE: ClassVar[str | None] = None
    SETS: ClassVar[frozenset[str]] = frozenset()
    KEYED: ClassVar[dict[str, str]] = {}  # list attribute → the field of its items that identifies them
    # keyed list → item fields that cannot change in place: a change re-creates that item (VM subnet CIDR)
    ITEM_IMMUTABLE: ClassVar[dict[str, frozenset[str]]] = {}
    SITS_ON: ClassVar[tuple[tuple[str, str, str, str], ...]] = ()  # see IpPool
    COMPUTED: ClassVar[frozenset[str]] = frozenset()  # left to the provider when not set (null)
    IMMUTABLE: ClassVar[frozenset[str]] = frozenset()  # no Set- parameter in VMM (scvmm-domain.md)
    OWNER_TAG: ClassVar[bool] = True  # the VMM object has a description to carry fabric's ownership tag
    # referenced kinds it is only a member of: valid whatever their attributes, so its update need
    # not wait for theirs (what apply may loosen to break a cycle)
    MEMBERSHIP: ClassVar[frozenset[str]] = frozenset()
    BUILT_IN: ClassVar[frozenset[str]] = frozenset()  # names (casefolded) of the objects VMM ships: never deleted
    IMPLIED: ClassVar[frozenset[str]] = frozenset()  # kinds it depends on that no attribute names (`implied`)
    # of those, the kinds whose implied edges only order creates: deleting such a dependency never
    # takes this one along (a targeted destroy of a network mapping leaves the VMs it served)
    ORDER_ONLY: ClassVar[frozenset[str]] = frozenset()
    # references (REFS paths) that leaving an object clears to null instead of cutting the item holding
    # them: the item means something without it (a protected VM's adapter intent without its network)
    DETACH_CLEARS: ClassVar[frozenset[RefPath]] = frozenset()
    PLACED: ClassVar[bool] = False  # sits in host groups (directly or through what it uses): `unmanaged: under`
    PLACES: ClassVar[bool] = False  # what refers to it sits where it sits (a site, a pool, a VM network)
    PLURAL: ClassVar[str] = ""  # "Host groups": for help and messages
    UNMANAGED_HELP: ClassVar[str] = ""  # the `unmanaged:` entry's help, if not the usual one
    DOMAIN: ClassVar[str] = "vmm"  # what serves it: VMM itself, or the disaster-recovery backend ("dr")

    @classmethod
    def normalise(cls, data: dict[str, Any]) -> dict[str, Any]:
        """`data` (attributes, desired or observed) in the one form they are compared in, for kinds
        whose live shape carries more than one way of saying the same (a recovery plan)."""
        return data

    @classmethod
    def scope_key(cls, attributes: Mapping[str, Any]) -> str:
        """What scopes the display name (VMM identity), from attributes whose references are
        addresses or live IDs alike: the `SCOPE` attribute's value."""
        return str(attributes.get(cls.SCOPE) or "") if cls.SCOPE else ""

    @classmethod
    def slots(cls, attributes: Mapping[str, Any]) -> set[tuple[str, ...]]:
        """What VMM lets only one object hold besides its name (`fabric.model.slots`)."""
        return set()

    @classmethod
    def implied(cls, resources: "Mapping[str, Resource]") -> Iterator[tuple[str, str]]:
        """(dependency, dependent) pairs among `resources` that no attribute names, for kinds
        with `IMPLIED`: the dependent of this kind still needs the dependency first."""
        return iter(())

    name: Name = Field(description="VMM display name; defaults to the resource key.")
    description: str = ""
    depends_on: list[Ref] = Field(default_factory=list, description="Extra ordering dependencies (addresses).")
    lifecycle: Lifecycle | None = None

    @cached_property
    def canonical(self) -> dict[str, Any]:
        """Canonical JSON-ready attributes, computed once; callers must not mutate it."""
        data = self.model_dump(mode="json", exclude={"depends_on", "lifecycle"})
        return canonical_order(type(self), data)

    @cached_property
    def typed_references(self) -> frozenset[tuple[str, str]]:
        """(address, kind it must be) for every reference held in attributes."""
        found: set[tuple[str, str]] = set()
        for pattern, kind in self.REFS.items():
            targets: set[str] = set()
            _collect(self.canonical, pattern, targets)
            found.update((t, kind) for t in targets)
        return frozenset(found)

    @cached_property
    def references(self) -> frozenset[str]:
        """Every address this resource points at, through attributes and `depends_on`."""
        return frozenset({a for a, _ in self.typed_references} | set(self.depends_on))

    @property
    def guards(self) -> Lifecycle:
        """The resource's lifecycle settings (the shared defaults when none are written)."""
        return self.lifecycle or _NO_LIFECYCLE

    def attributes(self) -> dict[str, Any]:
        """Canonical JSON-ready attributes: what is compared with the live object (a copy)."""
        return dict(self.canonical)


def canonical_order(kind: type[Resource], data: dict[str, Any]) -> dict[str, Any]:
    """`data` (changed in place and returned) with its order-free lists sorted: sets by value,
    keyed lists by their key (so reordering items in code or in VMM is never a change)."""
    data = kind.normalise(data)
    for field in kind.SETS:
        if isinstance(data.get(field), list):
            data[field] = sorted(data[field])
    for field, key in kind.KEYED.items():
        items = data.get(field)
        if isinstance(items, list) and all(isinstance(i, dict) for i in items):
            data[field] = sorted(items, key=lambda item: str(item.get(key)))
    return data
