"""Finding overlapping subnets quickly, and VMM's rule on where subnets may overlap.

Two CIDR subnets either are disjoint or one holds the other. So the subnets overlapping N
are N's supernets (one per shorter prefix length, found by dictionary look-up) and the
subnets inside N (a contiguous run when sorted by first address, found by bisection): no
pairwise comparison, whatever the number of subnets.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Generic, TypeVar

from fabric.model.ipmath import Net

T = TypeVar("T")


class SubnetIndex(Generic[T]):
    """Items keyed by subnet; `overlapping(net)` yields the items of every subnet that overlaps net.

    Subnets are keyed by (version, first address, prefix length) as integers: ipaddress's
    derived properties (broadcast address, supernet) cost microseconds each.
    """

    def __init__(self) -> None:
        self._exact: dict[tuple[int, int, int], list[T]] = defaultdict(list)
        self._prefixes: dict[int, set[int]] = defaultdict(set)  # version → prefix lengths present
        self._sorted: list[tuple[int, int, int]] | None = None

    def add(self, net: Net, item: T) -> None:
        """Index `item` under `net`."""
        self._exact[(net.version, int(net.network_address), net.prefixlen)].append(item)
        self._prefixes[net.version].add(net.prefixlen)
        self._sorted = None

    def __bool__(self) -> bool:
        return bool(self._exact)

    def overlapping(self, net: Net) -> Iterator[T]:
        """Items of `net` itself, of its supernets, and of the subnets inside it."""
        version, first, length = net.version, int(net.network_address), net.prefixlen
        bits = net.max_prefixlen
        for prefix in sorted(self._prefixes.get(version, ())):
            if prefix <= length:
                outer = first >> (bits - prefix) << (bits - prefix)
                yield from self._exact.get((version, outer, prefix), ())
        if self._sorted is None:
            self._sorted = sorted(self._exact)
        last = first | ((1 << (bits - length)) - 1)
        at = bisect.bisect_left(self._sorted, (version, first, length + 1))
        while at < len(self._sorted) and self._sorted[at][:2] <= (version, last):
            yield from self._exact[self._sorted[at]]
            at += 1


def ancestors(group: str, parent_of: Callable[[str], str | None]) -> Iterator[str]:
    """`group`, its parent, its parent's parent… (stops at the top or at a loop)."""
    seen: set[str] = set()
    current: str | None = group
    while current and current not in seen:
        seen.add(current)
        yield current
        current = parent_of(current)


def related_groups(
    groups: Iterable[str], others: Iterable[str], parent_of: Callable[[str], str | None]
) -> tuple[str, str] | None:
    """(descendant, ancestor): one of `groups` and one of `others` that are the same host group
    or one inside the other, where VMM forbids overlapping subnets (domain reference, rule 5);
    None if there is no such pair."""
    mine, theirs = list(groups), list(others)
    their_set = set(theirs)
    for group in mine:
        for above in ancestors(group, parent_of):
            if above in their_set:
                return group, above
    my_set = set(mine)
    for other in theirs:
        for above in ancestors(other, parent_of):
            if above in my_set:
                return other, above
    return None
