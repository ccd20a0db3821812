"""List diffs as a reviewer reads them, in every output: a set list's members added and removed
(never a positional swap), a keyed list's items by key, and reordering no change at all.

The planner cases of tests/plan/cases that change lists are planned again here and rendered in
each format; `list_diffs/CASE.txt` holds what a reviewer sees (FABRIC_REGENERATE=1 rewrites it).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import Cli

from fabric import secrets
from fabric.inventory import Inventory, ObservedObject
from fabric.model.resources import KINDS
from fabric.plan.action import Action
from fabric.plan.change import Change, Plan
from fabric.plan.diff import MISSING, Entry, changed_paths, diff_at, diff_entries, entry_from_json
from fabric.plan.planner import make_plan
from fabric.plan.reason import Reason, Why
from fabric.project import open_stamp
from fabric.render.jsonplan import plan_to_json
from fabric.render.markdown import plan_markdown
from fabric.render.text import entries_summary, plan_compact, plan_text
from fabric.snapshot import StateEntry, StateSnapshot

CASES = Path(__file__).resolve().parents[1] / "plan" / "cases"
GOLDEN = Path(__file__).parent / "list_diffs"
LIST_CASES = [
    "set-list-member-added-and-removed",
    "keyed-vm-subnets-added-changed-removed",
    "set-lists-reordered-no-change",
]


def _plan(case: str) -> Plan:
    """The case's plan, made as tests/plan/test_planner_cases.py makes it."""
    folder = CASES / case
    fabric = open_stamp(folder / "desired")
    observed = json.loads((folder / "observed.json").read_text())
    inventory = Inventory.of(ObservedObject(o["id"], o["kind"], o["name"], o["attributes"]) for o in observed)
    raw = json.loads((folder / "state.json").read_text())
    entries = {a: StateEntry(a, e["kind"], e["live_id"], e.get("attributes", {})) for a, e in raw.items()}
    return make_plan(
        "case", fabric.resources, inventory.owned(), StateSnapshot(1, "l", entries), lambda k: KINDS[k].IMMUTABLE
    )


def _all_formats(plan: Plan) -> str:
    diffs = {c["address"]: c["diff"] for c in plan_to_json(plan)["changes"] if c["diff"]}
    return "\n".join(
        [
            "== text",
            plan_text(plan),
            "== compact",
            plan_compact(plan),
            "== markdown",
            plan_markdown(plan),
            "== json (diff of each change)",
            json.dumps(diffs, indent=2, ensure_ascii=False),
            "",
        ]
    )


@pytest.mark.parametrize("case", LIST_CASES)
def test_list_changes_read_as_members_and_keyed_items_in_every_format(case: str) -> None:
    got = _all_formats(_plan(case))
    golden = GOLDEN / f"{case}.txt"
    if os.environ.get("FABRIC_REGENERATE"):
        golden.write_text(got)
    assert got == golden.read_text(), f"{case}: list diffs render differently; FABRIC_REGENERATE=1 rewrites"


def test_a_site_added_and_one_removed_is_not_a_swap() -> None:
    text = plan_text(_plan("set-list-member-added-and-removed"))
    assert "      ~ network_sites: - network_site.storage\n      ~ network_sites: + network_site.storage-b\n" in text
    assert "[" not in text.split("will be updated in place")[1]  # no position anywhere
    compact = plan_compact(_plan("set-list-member-added-and-removed")).splitlines()
    assert compact[0] == "  ~ uplink_port_profile.u  (network_sites +1 -1)"
    (change,) = [c for c in plan_to_json(_plan("set-list-member-added-and-removed"))["changes"] if c["diff"]]
    assert change["changed_paths"] == ["network_sites"]
    assert change["diff"] == [
        {"path": "network_sites", "op": "remove", "value": "network_site.storage"},
        {"path": "network_sites", "op": "add", "value": "network_site.storage-b"},
    ]


def test_keyed_items_read_by_key() -> None:
    text = plan_text(_plan("keyed-vm-subnets-added-changed-removed"))
    assert '      + subnets["app"] = {subnet: "10.0.2.0/24", vlan: 0, network_site: null}\n' in text
    assert '      - subnets["old"]\n' in text
    assert '      ~ subnets["web"].subnet: "10.0.0.0/24" → "10.0.5.0/24"\n' in text
    markdown = plan_markdown(_plan("keyed-vm-subnets-added-changed-removed"))
    assert '| ~ | `vm_network.default` | `subnets["old"]` removed |' in markdown


def test_reordering_a_set_is_no_change() -> None:
    plan = _plan("set-lists-reordered-no-change")
    assert not plan.has_changes
    assert plan_text(plan).startswith("No changes.")


def test_state_written_before_a_list_became_a_set_still_compares_equal() -> None:
    """The gateways, reserved and VIP sets of a pool are sets now; `canonical` sorts them, and state
    recorded in code order before that still matches the sorted live value."""
    old = {"gateways": ["10.0.0.2", "10.0.0.1"], "reserved": ["b", "a"], "dns_servers": ["10.0.0.4", "10.0.0.3"]}
    live = {"gateways": ["10.0.0.1", "10.0.0.2"], "reserved": ["a", "b"], "dns_servers": ["10.0.0.4", "10.0.0.3"]}
    assert changed_paths(old, live, "ip_pool") == ()
    # DNS servers stay in order: guests use the first one first
    swapped = {**live, "dns_servers": ["10.0.0.3", "10.0.0.4"]}
    assert changed_paths(old, swapped, "ip_pool") == ("dns_servers[0]", "dns_servers[1]")
    sets = KINDS["ip_pool"].SETS
    assert {"gateways", "reserved", "vips"} <= sets and "dns_servers" not in sets


def test_every_kind_of_difference() -> None:
    before = {
        "host_groups": ["host_group.A", "host_group.B"],
        "custom_properties": {"custom_property.x": "1", "custom_property.gone": "2"},
        "capacity": {"vm_count": 5},
    }
    after = {
        "host_groups": ["host_group.C", "host_group.A"],
        "custom_properties": {"custom_property.x": "3", "custom_property.new": "4"},
        "capacity": {"vm_count": None},
    }
    got = [e.to_json() for e in diff_entries("cloud", before, after)]
    assert got == [
        {"path": "capacity.vm_count", "op": "change", "before": 5, "after": None},
        {"path": 'custom_properties["custom_property.gone"]', "op": "remove", "value": "2"},
        {"path": 'custom_properties["custom_property.new"]', "op": "add", "value": "4"},
        {"path": 'custom_properties["custom_property.x"]', "op": "change", "before": "1", "after": "3"},
        {"path": "host_groups", "op": "remove", "value": "host_group.B"},
        {"path": "host_groups", "op": "add", "value": "host_group.C"},
    ]
    assert changed_paths(before, after, "cloud") == (
        "capacity.vm_count",
        'custom_properties["custom_property.gone"]',
        'custom_properties["custom_property.new"]',
        'custom_properties["custom_property.x"]',
        "host_groups",
    )
    # only: what ignore_changes left in a change's paths
    assert [e.path for e in diff_entries("cloud", before, after, ["host_groups"])] == ["host_groups"] * 2
    # the JSON form reads back (a set's member is told by its path)
    entries = diff_entries("cloud", before, after)
    assert tuple(entry_from_json("cloud", e.to_json()) for e in entries) == entries
    summary = entries_summary(entries)
    assert summary == (
        'capacity.vm_count, -custom_properties["custom_property.gone"], +custom_properties["custom_property.new"], '
        'custom_properties["custom_property.x"], host_groups +1 -1'
    )


def test_a_member_repeated_in_a_list_counts_as_many_times() -> None:
    got = diff_entries("mac_pool", {"host_groups": ["a", "a", "b"]}, {"host_groups": ["a", "b", "c"]})
    assert got == (
        Entry("host_groups", "remove", before="a", member=True),
        Entry("host_groups", "add", after="c", member=True),
    )


def test_diff_at_reads_values_already_picked_by_path() -> None:
    assert diff_at("uplink_port_profile", "network_sites", ["a", "b"], ["b", "c"]) == (
        Entry("network_sites", "remove", before="a", member=True),
        Entry("network_sites", "add", after="c", member=True),
    )
    item = {"subnet": "10.0.0.0/24", "vlan": 1}
    assert diff_at("network_site", 'subnets["10.0.0.0/24"]', item, {**item, "vlan": 2}) == (
        Entry('subnets["10.0.0.0/24"].vlan', "change", 1, 2),
    )
    assert diff_at("network_site", 'subnets["10.0.0.0/24"]', item, MISSING) == (
        Entry('subnets["10.0.0.0/24"]', "remove", before=item),
    )


def _cloud(host_groups: list[str]) -> dict[str, object]:
    return {"name": "IaaS", "host_groups": host_groups, "description": ""}


def test_a_member_added_outside_fabric_reads_as_what_apply_removes() -> None:
    change = Change(
        "cloud.iaas",
        "cloud",
        "IaaS",
        Action.UPDATE,
        _cloud(["host_group.A", "host_group.Tenant"]),
        _cloud(["host_group.A"]),
        ("host_groups",),
        why=(Why(Reason.REVERTS_OUTSIDE),),
        changed_outside={"host_groups": ["host_group.A"]},
    )
    plan = Plan("s", (change,))
    outside, actions = plan_text(plan).split("fabric will perform these actions", 1)
    assert "  ~ cloud.iaas\n      ~ host_groups: - host_group.Tenant\n" in outside
    assert "      ~ host_groups: - host_group.Tenant\n" in actions
    markdown = plan_markdown(plan)
    assert "changed outside fabric: `host_groups`: - `host_group.Tenant` (last applied)" in markdown


def test_members_that_could_mislead_are_quoted() -> None:
    change = Change(
        "cloud.iaas",
        "cloud",
        "IaaS",
        Action.UPDATE,
        _cloud(["host_group.A"]),
        _cloud(["host_group.A", "host_group.B ", "host_group.Oslo/Fabric Management"]),
        ("host_groups",),
    )
    text = plan_text(Plan("s", (change,)))
    assert '      ~ host_groups: + "host_group.B "\n' in text  # a trailing space would be invisible
    assert "      ~ host_groups: + host_group.Oslo/Fabric Management\n" in text


def test_the_script_header_lists_the_changes_as_plans_do() -> None:
    from fabric_scvmm.provider import plan_header

    entries = diff_entries(
        "uplink_port_profile",
        {"network_sites": ["network_site.a", "network_site.old"], "description": "x"},
        {"network_sites": ["network_site.a", "network_site.b"], "description": "y"},
    )
    step = {
        "op": "update",
        "address": "uplink_port_profile.u",
        "kind": "uplink_port_profile",
        "attributes": {},
        "live_id": "1",
        "changed_paths": ["description", "network_sites"],
        "changes": [e.to_json() for e in entries],
    }
    header = plan_header("s", [step, {**step, "address": "uplink_port_profile.v", "changes": []}])
    assert header[2:] == [
        "#   update  uplink_port_profile.u",
        '#             ~ description: "x" → "y"',
        "#             ~ network_sites: - network_site.old",
        "#             ~ network_sites: + network_site.b",
        "#   update  uplink_port_profile.v  (changes: description, network_sites)",
    ]


def test_the_script_header_masks_secrets_in_the_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    from fabric_scvmm.provider import plan_header

    secrets.reset()
    secrets.register("s3cret-value-long", "POOL_DNS")
    try:
        entries = diff_entries("ip_pool", {"dns_suffix": "old-s3cret"}, {"dns_suffix": "s3cret-value-long"})
        step = {"op": "update", "address": "ip_pool.p", "kind": "ip_pool", "attributes": {}, "live_id": "1"}
        header = plan_header("s", [{**step, "changes": [e.to_json() for e in entries]}])
        assert header[-1] == '#             ~ dns_suffix: "(sensitive)" → "(sensitive)"'
    finally:
        secrets.reset()


def test_a_plan_at_the_command_line_shows_members(cli: Cli, lab: Path) -> None:
    assert cli("apply", lab, "--auto-approve").code == 0
    doc = lab / "lab.yaml"
    doc.write_text(
        doc.read_text().replace(
            'host_groups: ["host_group.{{ var.location }}/IaaS"]',
            'host_groups: ["host_group.{{ var.location }}/Fabric Management", "host_group.{{ var.location }}/IaaS"]',
        )
    )
    text = cli("plan", lab).out
    assert "  ~ cloud.iaas will be updated in place\n      ~ host_groups: + host_group.Lab/Fabric Management\n" in text
    plan = json.loads(cli("plan", lab, "--format", "json").out)
    assert plan["format_version"] == "4"
    (cloud,) = [c for c in plan["changes"] if c["address"] == "cloud.iaas"]
    assert cloud["changed_paths"] == ["host_groups"]
    assert cloud["diff"] == [{"path": "host_groups", "op": "add", "value": "host_group.Lab/Fabric Management"}]
    assert cli("plan", lab, "--compact").out.splitlines()[0] == "  ~ cloud.iaas  (host_groups +1)"
