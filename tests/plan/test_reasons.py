"""Reasons are data: every reason has words, survives a plan file, and code never parses words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fabric.plan.reason import Reason, Why
from fabric.render.reasons import reason_text, text_of

SAMPLES = {
    Reason.CANNOT_UPDATE: Why(Reason.CANNOT_UPDATE, paths=("isolation", "name")),
    Reason.CASCADE: Why(Reason.CASCADE, ("ip_pool.network_site",), ("network_site.s",)),
    Reason.CANNOT_LEAVE: Why(Reason.CANNOT_LEAVE, ("host_group.parent",), ("host_group.A",)),
    Reason.REJOINS: Why(Reason.REJOINS, subjects=("network_site.s",)),
    Reason.ADDRESS_DECLARED: Why(Reason.ADDRESS_DECLARED, subjects=("ip_grant.b",), detail=("10.0.0.5",)),
    Reason.RENAMED_KEY: Why(Reason.RENAMED_KEY, subjects=("cloud.old", "cloud.new")),
    Reason.SHARED_NAME: Why(Reason.SHARED_NAME, subjects=("vm_network.t",), detail=("2", "vm_network", "T")),
    Reason.TWO_STEP: Why(Reason.TWO_STEP, step=Why(Reason.LEAVE, subjects=("network_site.s",))),
    Reason.LEAVE: Why(Reason.LEAVE, subjects=("network_site.a", "network_site.b")),
    Reason.DETACH: Why(Reason.DETACH, subjects=("network_site.old",), detail=("network_site.new",)),
}


@pytest.mark.parametrize("reason", list(Reason), ids=[r.value for r in Reason])
def test_every_reason_has_words_and_round_trips(reason: Reason) -> None:
    why = SAMPLES.get(reason, Why(reason))
    words = text_of(why)
    assert words and "{" not in words.replace("{from:", "")  # every field filled in
    assert Why.from_json(why.to_json()) == why
    for name in (*why.paths, *why.subjects, *why.detail):
        assert name in words


def test_words_join_in_order_and_nest_the_first_step() -> None:
    both = (Why(Reason.CANNOT_UPDATE, paths=("subnet",)), Why(Reason.REVERTS_OUTSIDE))
    assert reason_text(both) == "subnet cannot change in place; reverts changes made outside fabric"
    two = SAMPLES[Reason.TWO_STEP]
    assert reason_text((two,)) == "in two steps, first: leave network_site.s"


def test_no_code_outside_render_compares_the_words_of_a_reason() -> None:
    root = Path(__file__).resolve().parents[2] / "fabric"
    offenders = []
    pattern = re.compile(r"\.reason\.(endswith|startswith|removesuffix|removeprefix)|\bnot \w+\.reason\b|\breason=f?\"")
    for path in root.rglob("*.py"):
        if path.parts[-2] == "render":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []
