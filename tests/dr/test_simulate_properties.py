"""Properties of the failover simulation (pure: the model and the facts of an applied lab, varied
by hypothesis). `make test` runs a fixed seed; FABRIC_EXPLORE=N fresh ones, N examples each.

- no VM starts before every VM of an earlier boot group is up;
- the RTO estimate is monotone in the estimates (a longer step never shortens it);
- adding a network mapping never turns a connected `mapped` adapter into a disconnected one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fabric.dr.facts import DrFacts, facts_from
from fabric.dr.simulate import Options, simulate
from fabric.model.base import Resource
from fabric.model.dr import NetworkMapping, ProtectedVm, RecoveryPlan
from fabric.project import open_stamp
from fabric.providers.lab.provider import LabProvider
from fabric.providers.registry import settings_models

EXPLORE = int(os.environ.get("FABRIC_EXPLORE") or 0)
SETTINGS = settings(
    max_examples=EXPLORE or 40,
    derandomize=not EXPLORE,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
TYPES = st.sampled_from(["test", "planned", "unplanned"])


@pytest.fixture(scope="module")
def world(applied: Path) -> tuple[dict[str, Resource], DrFacts]:
    fabric = open_stamp(applied, settings_models(), None)
    lab = LabProvider(applied / ".fabric" / "lab.db")
    try:
        raw = lab.dr_facts()
    finally:
        lab.close()
    return dict(fabric.resources), facts_from(raw["hosts"], raw["vms"], raw["replication"])


def _with_boots(resources: Mapping[str, Resource], boots: list[int]) -> dict[str, Resource]:
    out = dict(resources)
    vms = sorted(a for a, r in resources.items() if isinstance(r, ProtectedVm))
    for address, seconds in zip(vms, boots, strict=False):
        out[address] = out[address].model_copy(update={"boot_seconds": seconds})
    return out


@SETTINGS
@given(boots=st.lists(st.integers(0, 3600), min_size=8, max_size=8), kind=TYPES)
def test_no_vm_starts_before_the_earlier_groups_are_up(
    world: tuple[dict[str, Resource], DrFacts], boots: list[int], kind: Any
) -> None:
    resources, facts = world
    varied = _with_boots(resources, boots)
    sim = simulate(varied, facts, Options("recovery_plan.management-stamp", kind))
    plan = varied["recovery_plan.management-stamp"]
    assert isinstance(plan, RecoveryPlan)
    order = {g.name: i for i, g in enumerate(plan.groups)}
    starts = {e.step: e.start for e in sim.events if e.kind == "boot" and e.status == "run"}
    for vm in sim.vms:
        for earlier in sim.vms:
            if order[earlier.group] < order[vm.group] and earlier.up_at is not None:
                assert starts[vm.group] >= earlier.up_at, (vm.vm, earlier.vm)


@SETTINGS
@given(
    boots=st.lists(st.integers(0, 3600), min_size=8, max_size=8),
    which=st.integers(0, 7),
    more=st.integers(1, 900),
    kind=TYPES,
)
def test_a_longer_estimate_never_shortens_the_rto(
    world: tuple[dict[str, Resource], DrFacts], boots: list[int], which: int, more: int, kind: Any
) -> None:
    resources, facts = world
    before = simulate(_with_boots(resources, boots), facts, Options("recovery_plan.management-stamp", kind))
    longer = list(boots)
    longer[which] += more
    after = simulate(_with_boots(resources, longer), facts, Options("recovery_plan.management-stamp", kind))
    assert after.rto.expected >= before.rto.expected
    assert before.rto.worst is None or after.rto.worst is None or after.rto.worst >= before.rto.worst


def _connected(resources: Mapping[str, Resource], facts: DrFacts, kind: Any) -> set[tuple[str, int]]:
    out = set()
    for plan in ("recovery_plan.apps-oslo", "recovery_plan.apps-stockholm", "recovery_plan.apps-copenhagen"):
        sim = simulate(resources, facts, Options(plan, kind))
        out |= {(vm.vm, a.slot) for vm in sim.vms for a in vm.adapters if a.mode == "mapped" and a.vm_network}
    return out


@SETTINGS
@given(
    keep=st.lists(st.booleans(), min_size=3, max_size=3),
    extra=st.integers(0, 2),
    kind=st.sampled_from(["planned", "unplanned"]),
)
def test_adding_a_mapping_never_disconnects_an_adapter(
    world: tuple[dict[str, Resource], DrFacts], keep: list[bool], extra: int, kind: Any
) -> None:
    resources, facts = world
    mappings = sorted(a for a, r in resources.items() if isinstance(r, NetworkMapping))
    fewer = {a: r for a, r in resources.items() if a not in mappings or keep[mappings.index(a)]}
    more = dict(fewer)
    more[mappings[extra]] = resources[mappings[extra]]
    assert _connected(fewer, facts, kind) <= _connected(more, facts, kind)
