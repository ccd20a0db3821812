"""Did-you-mean hints: close matches among the valid names, bounded for large stamps.

Suggestions are computed only for what failed, over candidates indexed by kind (and, for
host-group paths, by parent first), and a shared budget caps the comparisons a whole run may
spend, so a stamp with thousands of dangling references stays linear.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field

CUTOFF = 0.6  # difflib's ratio a candidate needs to be suggested
BUDGET = 100_000  # candidate comparisons one run may spend on suggestions (at most about a second)
SHOWN = 3  # candidates listed when several match equally (display names)


def close_match(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to `word` (same text ignoring case first), or None below the cutoff."""
    pool = list(candidates)
    folded = word.casefold()
    for candidate in pool:
        if candidate.casefold() == folded and candidate != word:
            return candidate
    found = difflib.get_close_matches(word, pool, n=1, cutoff=CUTOFF)
    return found[0] if found else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """`; did you mean 'X'?` for the closest candidate, or '' when none is close."""
    match = close_match(word, candidates)
    return f"; did you mean {match!r}?" if match is not None else ""


def split_address(address: str) -> tuple[str, str]:
    """`kind.key` → (kind, key); ('', address) when there is no dot."""
    kind, dot, key = address.partition(".")
    return (kind, key) if dot else ("", address)


@dataclass
class _Kind:
    """The declared keys of one kind, as the look-ups need them."""

    keys: set[str] = field(default_factory=set)
    folded: dict[str, str] = field(default_factory=dict)  # casefolded key → key
    children: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # parent path → names


class AddressIndex:
    """Declared addresses by kind, for suggesting a close one for a dangling reference.

    A kind is indexed on its first question (one pass over the addresses), so only the kinds
    that dangling references name cost memory; each look-up compares the reference with keys
    of its kind only (a host-group path segment by segment), while the shared budget lasts.
    """

    def __init__(self, addresses: Collection[str], budget: int = BUDGET) -> None:
        self.budget = budget
        self.addresses = addresses
        self._kinds: set[str] | None = None
        self._index: dict[str, _Kind] = {}

    @property
    def kinds(self) -> set[str]:
        """Kinds with at least one declared address."""
        if self._kinds is None:
            self._kinds = {split_address(a)[0] for a in self.addresses}
        return self._kinds

    def _of(self, kind: str) -> _Kind:
        found = self._index.get(kind)
        if found is None:
            found = self._index[kind] = _Kind()
            prefix = kind + "."
            for address in self.addresses:
                if address.startswith(prefix):
                    key = address[len(prefix) :]
                    found.keys.add(key)
                    found.folded.setdefault(key.casefold(), key)
                    parent, _, name = key.rpartition("/")
                    found.children[parent].append(name)
        return found

    def _closest(self, key: str, candidates: Sequence[str]) -> str | None:
        if not candidates or len(candidates) > self.budget:
            return None
        self.budget -= len(candidates)
        found = difflib.get_close_matches(key, candidates, n=1, cutoff=CUTOFF)
        return found[0] if found else None

    def suggest(self, target: str, kind: str = "") -> str | None:
        """A declared address close to `target`, of `kind` ('' = the kind `target` names)."""
        written_kind, key = split_address(target)
        kind = kind or written_kind
        if kind not in self.kinds:
            kind = close_match(kind, sorted(self.kinds)) or ""
            if not kind:
                return None
        found = self._path(kind, key)
        return f"{kind}.{found}" if found is not None and f"{kind}.{found}" != target else None

    def _path(self, kind: str, key: str) -> str | None:
        """The declared key closest to `key`: the same ignoring case, else segment by segment
        (a host-group path's parent first, then the name among that parent's children)."""
        index = self._of(kind)
        if key in index.keys:
            return key
        exact = index.folded.get(key.casefold())
        if exact is not None:
            return exact
        parent, slash, name = key.rpartition("/")
        if slash and parent not in index.keys:
            parent = self._path(kind, parent) or ""
            if not parent:
                return None
            if f"{parent}/{name}" in index.keys:
                return f"{parent}/{name}"
        found = self._closest(name, index.children.get(parent, ()))
        return (f"{parent}/{found}" if slash else found) if found is not None else None


class NameIndex:
    """Declared resources by display name and by key (case-insensitive), per kind and across kinds.

    Answers "a reference written as `IaaS Oslo` (a display name) or `management` (a bare key):
    which address did the author mean?". A kind is indexed on its first question.
    """

    def __init__(self, named: Callable[[], Iterable[tuple[str, str]]], addresses: Collection[str]) -> None:
        """`named()`: (address, display name) of the resources that loaded; `addresses`: every declared one."""
        self._named = named
        self._addresses = addresses
        self._index: dict[str, tuple[dict[str, list[tuple[str, str]]], dict[str, list[str]]]] = {}

    def _of(self, kind: str) -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[str]]]:
        found = self._index.get(kind)
        if found is None:
            names: dict[str, list[tuple[str, str]]] = defaultdict(list)
            keys: dict[str, list[str]] = defaultdict(list)
            prefix = f"{kind}." if kind else ""
            for address, name in self._named():
                if address.startswith(prefix):
                    names[name.casefold()].append((address, name))
            for address in self._addresses:
                if address.startswith(prefix):
                    keys[split_address(address)[1].casefold()].append(address)
            found = self._index[kind] = (names, keys)
        return found

    def hint(self, value: str, kind: str = "") -> str | None:
        """`did you mean ADDRESS (display name 'X')?` for `value` written where a `kind` address
        ('' = any kind) belongs, or None when no declared resource is named or keyed so."""
        names, keys = self._of(kind)
        named = names.get(value.casefold(), [])
        if named:
            shown = sorted({name for _, name in named})
            return f"did you mean {_listed(sorted(a for a, _ in named))} (display name {shown[0]!r})?"
        keyed = keys.get(value.casefold(), [])
        if keyed:
            return f"did you mean {_listed(sorted(keyed))}?"
        if kind:  # not of the kind wanted: perhaps the name of something else
            other = self._of("")[0].get(value.casefold(), [])
            if other:
                return f"that is the display name of {_listed(sorted(a for a, _ in other))}, not of a {kind}"
        return None


def _listed(addresses: Sequence[str]) -> str:
    if len(addresses) == 1:
        return addresses[0]
    return "one of " + ", ".join(addresses[:SHOWN]) + (", …" if len(addresses) > SHOWN else "")
