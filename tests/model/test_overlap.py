"""The subnet index finds exactly the overlapping subnets a pairwise comparison finds."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from fabric.model.ipmath import Net
from fabric.model.overlap import SubnetIndex, ancestors, related_groups


def _v4(first: int, prefix: int) -> Net:
    return ipaddress.IPv4Network((first >> (32 - prefix) << (32 - prefix), prefix))


def _v6(first: int, prefix: int) -> Net:
    return ipaddress.IPv6Network((first >> (128 - prefix) << (128 - prefix), prefix))


# addresses packed into a few /8s (and one /64), so that random subnets often overlap
V4 = st.builds(_v4, st.integers(0, 3).map(lambda n: n << 24) | st.integers(0, 2**32 - 1), st.integers(0, 32))
V6 = st.builds(_v6, st.integers(0, 2**64 - 1).map(lambda n: (0xFD << 120) | n), st.integers(0, 128))
NETS = st.lists(V4 | V6, max_size=40)


@settings(max_examples=300, derandomize=True, database=None)
@given(indexed=NETS, probes=NETS)
def test_overlapping_matches_pairwise_comparison(indexed: list[Net], probes: list[Net]) -> None:
    index: SubnetIndex[int] = SubnetIndex()
    for i, net in enumerate(indexed):
        index.add(net, i)
    for probe in [*probes, *indexed]:
        expected = sorted(i for i, n in enumerate(indexed) if n.version == probe.version and n.overlaps(probe))
        assert sorted(index.overlapping(probe)) == expected, probe


def test_related_groups_names_the_pair() -> None:
    parents = {"a/b": "a", "a/b/c": "a/b", "loop": "loop/x", "loop/x": "loop"}
    up = parents.get
    assert list(ancestors("a/b/c", up)) == ["a/b/c", "a/b", "a"]
    assert list(ancestors("loop", up)) == ["loop", "loop/x"]  # a loop ends the walk
    assert related_groups(["a/b/c"], ["a"], up) == ("a/b/c", "a")
    assert related_groups(["a"], ["x", "a/b"], up) == ("a/b", "a")
    assert related_groups(["a/b"], ["a/b"], up) == ("a/b", "a/b")
    assert related_groups(["a/b"], ["x"], up) is None
