"""Attribute-level diff, structured: what was added to, removed from or changed in a resource.

One walk (`diff_entries`) decides every output's notation: a list that is a set in VMM
(`Resource.SETS`: host groups, sites, uplinks, members, gateways, …) changes by members
added and removed, never by position; a keyed list (`Resource.KEYED`: VM subnets by name, site
subnets by CIDR, virtual ports by classification) changes by item, named by its key, and an
item that stays names the attributes that changed inside it; a mapping changes by key; any
other list by position (the order of DNS servers is the order guests use them). `changed_paths`
is the same walk reduced to its distinct paths.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fabric.model.resources import KINDS, Resource

_TOKEN = re.compile(r'\.?([^.\[\]"]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def format_path(path: list[Any], keyed: bool = False) -> str:
    """`['capacity', 'vm_count']` → `capacity.vm_count`; list indexes as `[0]`; keys with dots as
    `["a.b"]`; with `keyed`, the second step is an item's key and always shown as `["key"]`."""
    out = ""
    for i, step in enumerate(path):
        if isinstance(step, int):
            out += f"[{step}]"
        elif not (keyed and i == 1) and re.fullmatch(r"[^.\[\]\"]+", str(step)):
            out += ("." if out else "") + str(step)
        else:
            out += f"[{json.dumps(str(step))}]"
    return out


def parse_path(text: str) -> list[str | int]:
    """The inverse of `format_path`."""
    parts: list[str | int] = []
    for match in _TOKEN.finditer(text):
        name, index, quoted = match.groups()
        parts.append(name if name is not None else int(index) if index is not None else json.loads(quoted))
    return parts


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # what `lookup` returns where a path leads nowhere

Op = Literal["add", "remove", "change"]


@dataclass(frozen=True)
class Entry:
    """One difference. `path` names where: for a set list the list itself (`network_sites`, and
    `before`/`after` is the member removed/added), else the attribute, keyed item
    (`subnets["web"]`) or mapping key that was added, removed or changed. `before` is MISSING for
    an add, `after` for a remove."""

    path: str
    op: Op
    before: Any = MISSING
    after: Any = MISSING
    member: bool = False  # a member of a set list

    @property
    def value(self) -> Any:
        """What was added (add) or removed (remove); the new value of a change."""
        return self.before if self.op == "remove" else self.after

    def to_json(self) -> dict[str, Any]:
        """`{path, op, value}` for an add or remove, `{path, op, before, after}` for a change."""
        if self.op == "change":
            return {"path": self.path, "op": self.op, "before": self.before, "after": self.after}
        return {"path": self.path, "op": self.op, "value": self.value}


def keyed(kind: str, data: Any) -> Any:
    """`data` with each of the kind's keyed lists (`Resource.KEYED`) as a mapping key → item, so that
    paths name an item by its key (`subnets["web"].subnet`) and order never matters."""
    cls = KINDS.get(kind)
    if cls is None or not cls.KEYED or not isinstance(data, Mapping):
        return data
    out = dict(data)
    for field, key in cls.KEYED.items():
        items = _by_key(out.get(field), key)
        if items is not None:
            out[field] = items
    return out


def _by_key(items: Any, key: str) -> dict[str, Any] | None:
    """A keyed list as key → item, or None if it is not a list of items that all carry the key."""
    if isinstance(items, list) and all(isinstance(i, Mapping) and key in i for i in items):
        return {str(i[key]): i for i in items}
    return None


def lookup(data: Any, path: str, kind: str = "") -> Any:
    """Value at a path like `capacity.vm_count`, `subnets["web"].vlan` (a keyed item of `kind`) or
    `custom_properties["custom_property.x"]` (or MISSING)."""
    node = keyed(kind, data) if kind else data
    for part in parse_path(path):
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return MISSING
    return node


def _identity(member: Any) -> str:
    """A set member as something hashable (members are strings, but state could hold anything)."""
    return json.dumps(member, sort_keys=True, default=str)


class _Walk:
    """The entries between two values of one kind's attributes."""

    def __init__(self, cls: type[Resource] | None) -> None:
        self.sets = cls.SETS if cls is not None else frozenset()
        self.keyed = cls.KEYED if cls is not None else {}
        self.out: list[Entry] = []

    def walk(self, steps: list[Any], before: Any, after: Any, by_key: bool = False) -> None:
        if before == after:
            return
        top = steps[0] if len(steps) == 1 else None
        if top in self.sets and isinstance(before, list) and isinstance(after, list):
            self.members(steps, before, after)
            return
        if top in self.keyed:
            old, new = _by_key(before, self.keyed[str(top)]), _by_key(after, self.keyed[str(top)])
            if old is not None and new is not None:
                self.mapping(steps, old, new, by_key=True)
                return
        if isinstance(before, Mapping) and isinstance(after, Mapping):
            self.mapping(steps, before, after, by_key)
        elif isinstance(before, list) and isinstance(after, list):
            for i in range(max(len(before), len(after))):
                here = [*steps, i]
                if i >= len(after):
                    self.out.append(Entry(format_path(here, by_key), "remove", before=before[i]))
                elif i >= len(before):
                    self.out.append(Entry(format_path(here, by_key), "add", after=after[i]))
                else:
                    self.walk(here, before[i], after[i], by_key)
        else:
            self.out.append(Entry(format_path(steps, by_key), "change", before, after))

    def mapping(self, steps: list[Any], before: Mapping[Any, Any], after: Mapping[Any, Any], by_key: bool) -> None:
        for key in sorted({*before, *after}, key=str):
            here = [*steps, key]
            if key not in after:
                self.out.append(Entry(format_path(here, by_key), "remove", before=before[key]))
            elif key not in before:
                self.out.append(Entry(format_path(here, by_key), "add", after=after[key]))
            else:
                self.walk(here, before[key], after[key], by_key)

    def members(self, steps: list[Any], before: list[Any], after: list[Any]) -> None:
        old, new = Counter(map(_identity, before)), Counter(map(_identity, after))
        shown = {_identity(m): m for m in [*before, *after]}
        path = format_path(steps)
        for ident in sorted(old - new):
            self.out += [Entry(path, "remove", before=shown[ident], member=True)] * (old - new)[ident]
        for ident in sorted(new - old):
            self.out += [Entry(path, "add", after=shown[ident], member=True)] * (new - old)[ident]


def _order(e: Entry) -> tuple[tuple[tuple[int, int, str], ...], bool]:
    """Entries by path, positions by number (`[2]` before `[10]`), a list's removals before its additions."""
    steps = tuple((0, s, "") if isinstance(s, int) else (1, 0, s) for s in parse_path(e.path))
    return steps, e.op != "remove"


def _covers(path: str, entry: str) -> bool:
    return entry == path or entry.startswith((path + ".", path + "["))


def diff_entries(
    kind: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None, only: Iterable[str] | None = None
) -> tuple[Entry, ...]:
    """What changed from `before` to `after` (attributes of `kind`), in path order; () if either is None.

    `only`: keep the entries under these paths (a change's `changed_paths`, which leave out what
    `ignore_changes` silences). Drift calls it as `diff_entries(kind, live, code, paths)`.
    """
    if before is None or after is None or before == after:
        return ()
    walk = _Walk(KINDS.get(kind))
    walk.walk([], dict(before), dict(after))
    found = walk.out
    if only is not None:
        wanted = tuple(only)
        found = [e for e in found if any(_covers(p, e.path) for p in wanted)]
    return tuple(sorted(found, key=_order))


def diff_at(kind: str, path: str, before: Any, after: Any) -> tuple[Entry, ...]:
    """The entries between two values found at `path` of a `kind` (a set list by members, a keyed
    list by item): for values already picked out by path, such as `Change.changed_outside`."""
    cls = KINDS.get(kind)
    walk = _Walk(cls)
    steps = parse_path(path)
    by_key = cls is not None and len(steps) >= 2 and steps[0] in cls.KEYED
    if before is MISSING and after is not MISSING:
        return (Entry(path, "add", after=after),)
    if after is MISSING and before is not MISSING:
        return (Entry(path, "remove", before=before),)
    walk.walk(steps, before, after, by_key)
    return tuple(sorted(walk.out, key=_order))


def entry_from_json(kind: str, data: Mapping[str, Any]) -> Entry:
    """The inverse of `Entry.to_json` (a set list's member is told by its path: the list itself)."""
    op = data["op"]
    if op == "change":
        return Entry(data["path"], "change", data.get("before"), data.get("after"))
    steps = parse_path(str(data["path"]))
    cls = KINDS.get(kind)
    member = cls is not None and len(steps) == 1 and steps[0] in cls.SETS
    if op == "add":
        return Entry(data["path"], "add", after=data.get("value"), member=member)
    if op == "remove":
        return Entry(data["path"], "remove", before=data.get("value"), member=member)
    raise ValueError(f"not a diff entry: op {op!r}")


def changed_paths(before: Mapping[str, Any], after: Mapping[str, Any], kind: str = "") -> tuple[str, ...]:
    """Sorted paths that differ (`capacity.vm_count`, `subnets["web"].vlan`, and a set list's own
    path, `network_sites`); () if equal. Items of `kind`'s keyed lists are compared by key, its set
    lists by members (reordering either is no change), other lists by position."""
    return tuple(sorted({e.path for e in diff_entries(kind, before, after)}))


def top_level(paths: tuple[str, ...]) -> set[str]:
    """The top-level attribute names a set of changed paths touches."""
    return {str(parse_path(p)[0]) for p in paths if p}
