"""Did-you-mean hints: close matches, addresses by kind, display names, and the budget."""

from __future__ import annotations

import time

from fabric.load.stamp import valid_keys
from fabric.load.suggest import AddressIndex, NameIndex, close_match, did_you_mean
from fabric.model.resources import Cloud, HostGroup, LogicalSwitch
from fabric.model.stamp import StampConfig


def test_close_match_prefers_the_same_text_in_another_case() -> None:
    assert close_match("Cloud", ["clouds", "cloud"]) == "cloud"
    assert close_match("clouds", ["cloud", "host_group"]) == "cloud"
    assert close_match("virtual_machine", ["cloud", "host_group"]) is None
    assert did_you_mean("vm_cout", ["vm_count", "cpu_count"]) == "; did you mean 'vm_count'?"
    assert did_you_mean("zzz", ["vm_count"]) == ""


def test_valid_keys_follow_the_model_down_to_nested_items() -> None:
    assert "host_groups" in valid_keys(Cloud, ())
    assert "for_each" in valid_keys(Cloud, ()) and "children" not in valid_keys(Cloud, ())
    quotas = ["vm_count", "cpu_count", "memory_mb", "storage_gb", "custom_quota_count"]
    assert valid_keys(Cloud, ("capacity",)) == quotas
    assert valid_keys(LogicalSwitch, ("virtual_ports", 3)) == ["port_classification", "profile", "default"]
    assert set(valid_keys(Cloud, ("lifecycle",))) == {"prevent_destroy", "ignore_changes", "replace_adopted"}
    host = valid_keys(HostGroup, ())
    assert "children" in host and "parent" not in host  # parent is never written by hand
    assert "schema" in valid_keys(StampConfig, ("state",))  # the alias, as written in fabric.yaml
    assert valid_keys(Cloud, ("no_such",)) == []


def test_address_suggestions_stay_in_the_expected_kind() -> None:
    index = AddressIndex(
        ["host_group.Oslo", "host_group.Oslo/IaaS", "host_group.Bergen/IaaS", "cloud.iaas-oslo", "cloud.iaas"]
    )
    assert index.suggest("host_group.Oslo/IaaZ", "host_group") == "host_group.Oslo/IaaS"
    assert index.suggest("host_group.oslo", "host_group") == "host_group.Oslo"
    assert index.suggest("cloud.iaas-osl") == "cloud.iaas-oslo"
    assert index.suggest("clouds.iaas-oslo") == "cloud.iaas-oslo"  # a misspelt kind (depends_on: any kind)
    assert index.suggest("cloud.Oslo", "host_group") == "host_group.Oslo"  # the wrong kind, the right key
    assert index.suggest("logical_network.x", "logical_network") is None  # nothing of that kind
    assert index.suggest("host_group.Tromsø/Edge", "host_group") is None


def test_address_suggestions_are_bounded_on_large_stamps() -> None:
    addresses = [f"cloud.tenant-{i:06d}" for i in range(20_000)]
    index = AddressIndex(addresses, budget=50_000)
    started = time.monotonic()
    first = index.suggest("cloud.tenant-00001x", "cloud")
    second = index.suggest("cloud.tenant-00002x", "cloud")
    third = index.suggest("cloud.tenant-00003x", "cloud")  # the budget is spent: no more comparisons
    assert first is not None and second is not None and third is None
    assert time.monotonic() - started < 5
    assert index.suggest("cloud.TENANT-000003", "cloud") == "cloud.tenant-000003"  # case: a look-up, free


def test_name_index_finds_display_names_and_keys() -> None:
    named = [("logical_network.management", "Management"), ("host_group.Oslo/IaaS", "IaaS")]
    named += [("host_group.Bergen/IaaS", "IaaS")]
    index = NameIndex(lambda: named, [address for address, _ in named])
    assert index.hint("management", "logical_network") == (
        "did you mean logical_network.management (display name 'Management')?"
    )
    assert index.hint("IaaS", "host_group") == (
        "did you mean one of host_group.Bergen/IaaS, host_group.Oslo/IaaS (display name 'IaaS')?"
    )
    assert index.hint("oslo/iaas", "host_group") == "did you mean host_group.Oslo/IaaS?"
    assert index.hint("Management", "host_group") == (
        "that is the display name of logical_network.management, not of a host_group"
    )
    assert index.hint("Management", "") is not None  # depends_on: any kind
    assert index.hint("Nothing", "") is None
