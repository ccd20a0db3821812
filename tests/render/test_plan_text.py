"""Plan text as a reviewer reads it: creates show what code sets, quotas read `unlimited`, the
section on objects changed outside fabric, one arrow convention, adopt and forget marked."""

from __future__ import annotations

from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.reason import Reason, Why
from fabric.render.text import plan_compact, plan_text


def _cloud(**capacity: int | None) -> dict[str, object]:
    full = {"vm_count": None, "cpu_count": None, "memory_mb": None, "storage_gb": None, "custom_quota_count": None}
    return {
        "name": "IaaS",
        "description": "",
        "host_groups": ["host_group.A"],
        "logical_networks": [],
        "port_classifications": [],
        "capacity": {**full, **capacity},
        "custom_properties": {},
        "disaster_recovery_supported": False,
    }


def test_a_create_shows_what_code_sets_and_counts_the_defaults() -> None:
    plan = Plan("s", (Change("cloud.iaas", "cloud", "IaaS", Action.CREATE, None, _cloud(vm_count=20)),))
    text = plan_text(plan)
    assert '+ name = "IaaS"' in text and "+ capacity.vm_count = 20" in text
    assert '+ host_groups = ["host_group.A"]' in text
    assert "description" not in text and "storage_gb" not in text and "disaster_recovery" not in text
    assert "(9 more at their defaults)" in text


def test_a_quota_of_null_reads_unlimited() -> None:
    change = Change(
        "cloud.iaas", "cloud", "IaaS", Action.UPDATE, _cloud(storage_gb=500), _cloud(), ("capacity.storage_gb",)
    )
    assert "~ capacity.storage_gb: 500 → unlimited" in plan_text(Plan("s", (change,)))


def test_changes_outside_fabric_come_first_and_arrows_are_labelled() -> None:
    change = Change(
        "cloud.iaas",
        "cloud",
        "IaaS",
        Action.UPDATE,
        _cloud(vm_count=7),
        _cloud(vm_count=20),
        ("capacity.vm_count",),
        why=(Why(Reason.REVERTS_OUTSIDE),),
        changed_outside={"capacity.vm_count": 20},
    )
    text = plan_text(Plan("s", (change,)))
    first, rest = text.split("fabric will perform these actions", 1)
    assert "Objects changed outside fabric since it last applied them (values live → last applied)" in first
    assert "~ capacity.vm_count: 7 → 20" in first
    assert rest.startswith(" on stamp 's' (values live → code):")
    assert "~ cloud.iaas will be updated in place  # reverts changes made outside fabric" in rest


def test_adopt_and_forget_have_their_own_symbols_and_counts() -> None:
    adopt = Change(
        "cloud.iaas", "cloud", "IaaS", Action.NOOP, _cloud(), _cloud(), adopt=True, takes_over=True, owner_tag=True
    )
    forget = Change("cloud.old", "cloud", "Old", Action.FORGET, _cloud(), None, live_id="c-2")
    plan = Plan("s", (adopt, forget))
    text = plan_text(plan)
    assert "<= cloud.iaas will be adopted: fabric takes over this existing object" in text
    assert "=> cloud.old will no longer be managed by fabric" in text
    assert "Plan: 0 to create, 1 to adopt, 0 to update, 0 to replace, 0 to delete, 1 to forget, 0 unchanged." in text
    compact = plan_compact(plan).splitlines()
    assert compact[0].startswith(" <= cloud.iaas") and compact[1].startswith(" => cloud.old")
    assert plan.summary()["adopt"] == 1 and plan.summary()["forget"] == 1
